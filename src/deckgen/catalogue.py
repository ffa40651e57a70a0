"""deckgen's words in a deck's language, through Python's `gettext`: for the templates (jinja2's
i18n extension: `{% trans %}`, `_()`, `ngettext`), the exporters and `deckgen new`.

A deck's `Words` look a message up in deck.yaml's `strings`, then in its theme's catalogues
(`THEME/locale/LANG.po`), then in deckgen's own (`deckgen/locale/LANG.po`); what none of them has
stays English. deckgen's catalogues are compiled when the package is built (`hatch_build.py`) into
`deckgen/_compiled_locales/`, each named by a digest of its `.po`, so an edited `.po` (a source
checkout) is never served stale: it is compiled in memory instead, like a theme's.
"""

from __future__ import annotations

import datetime as _dt
import gettext
import hashlib
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .messages import DATE_CONTEXT, LOCALE_FOLDER, MESSAGE_KEYS, MONTHS, SOURCE_LANGUAGE, candidate_tags, match_language, normal_tag
from .pofile import CatalogueError, PoEntry, header_fields, mo_bytes, parse_po
from .problems import Problem
from .themefolder import CATALOGUE_FOLDER, is_theme_file

if TYPE_CHECKING:
    import jinja2

COMPILED_FOLDER = Path(__file__).with_name("_compiled_locales")
JINJA_I18N = {"newstyle_gettext": True, "ext.i18n.trimmed": True}
"""How deckgen's environments use jinja2's i18n extension (it changes compiled templates: see precompiled.py).
Newstyle gettext formats `%(name)s` placeholders itself and escapes their values."""
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class Words:
    """deckgen's words in one language, and the date format of that language."""

    lang: str
    """The deck's language tag, in BCP 47's form (`pt-BR`)."""
    language: str
    """The catalogue it speaks (`pt`); `en` when deckgen has none for `lang`."""
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, count: int) -> str:
        return self.translations.npgettext(context, singular, plural, count)

    def date(self, text: str) -> str:
        """An ISO date (`2019-06-12`) in the language's long form (`12 de junio de 2019`); other text as it is."""
        match = _ISO_DATE.fullmatch(text.strip())
        if match is None:
            return text
        try:
            day = _dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:  # 2019-02-30 is text, not a date
            return text
        month = self.pgettext(DATE_CONTEXT, MONTHS[day.month - 1])
        return self.gettext("%(day)s %(month)s %(year)s") % {"day": day.day, "month": month, "year": day.year}

    @contextmanager
    def speaking(self) -> Iterator[Words]:
        """Templates rendered meanwhile (in this thread or task) use these words."""
        token = _SPEAKING.set(self)
        try:
            yield self
        finally:
            _SPEAKING.reset(token)


_SPEAKING: ContextVar[Words | None] = ContextVar("deckgen_words", default=None)
"""The words of the render in progress: one jinja2 environment serves every deck and language of
a process (`deckgen serve`), so the words are the render's, not the environment's."""


def english() -> Words:
    """The messages as written: English, no catalogue."""
    return Words(SOURCE_LANGUAGE, SOURCE_LANGUAGE, gettext.NullTranslations())


def speaking_now() -> Words:
    """The words of the render in progress; English outside one."""
    return _SPEAKING.get() or english()


def install_words(environment: jinja2.Environment) -> None:
    """Give `environment`'s templates `_()`, `gettext`, `ngettext`, … and `{% trans %}` in the words of the render in progress.

    A translation is text, never HTML: it is escaped like any value (a deck's `strings` are the author's text).
    """
    from markupsafe import escape

    environment.policies["ext.i18n.trimmed"] = JINJA_I18N["ext.i18n.trimmed"]

    def gettext_(message: str) -> str:
        return escape(speaking_now().gettext(message))

    def ngettext_(singular: str, plural: str, count: int) -> str:
        return escape(speaking_now().ngettext(singular, plural, count))

    def pgettext_(context: str, message: str) -> str:
        return escape(speaking_now().pgettext(context, message))

    def npgettext_(context: str, singular: str, plural: str, count: int) -> str:
        return escape(speaking_now().npgettext(context, singular, plural, count))

    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext_, ngettext_, newstyle=JINJA_I18N["newstyle_gettext"], pgettext=pgettext_, npgettext=npgettext_
    )


def compiled_name(language: str, source: bytes) -> str:
    """The compiled catalogue's file name for this exact `.po` source."""
    return f"{language}-{hashlib.sha256(source).hexdigest()[:20]}.mo"


def compile_catalogue(source: bytes, path: Path) -> bytes:
    """A `.po` file's bytes compiled to `.mo`; raise `CatalogueError` at the line of what is wrong."""
    try:
        entries = parse_po(source.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CatalogueError(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except CatalogueError as exc:
        raise CatalogueError(path, exc.line, exc.reason) from None
    charset = re.search(r"charset=([\w-]+)", header_fields(entries).get("Content-Type", "charset=UTF-8"))
    if charset is None or charset.group(1).lower().replace("-", "") != "utf8":
        raise CatalogueError(path, 1, "a catalogue must be UTF-8: its header needs 'Content-Type: text/plain; charset=UTF-8'")
    for entry in entries:
        _check_placeholders(entry, path)
    compiled = mo_bytes(entries)
    try:
        gettext.GNUTranslations(io.BytesIO(compiled))  # a bad Plural-Forms shows here
    except (ValueError, OSError) as exc:
        raise CatalogueError(path, 1, f"bad header: {exc}") from None
    return compiled


def _check_placeholders(entry: PoEntry, path: Path) -> None:
    """A translation uses only placeholders its message has, and no lone `%`: formatting it cannot fail."""
    if not entry.translated or not entry.msgid:  # the header is not a message
        return
    message = next((m for m in MESSAGE_KEYS.values() if m.msgid == entry.msgid and m.context == entry.context), None)
    allowed = set(message.placeholders) if message else set(re.findall(r"%\((\w+)\)s", entry.msgid + (entry.plural or "")))
    probe = {name: 1 for name in allowed}
    for text in entry.strings:
        try:
            text % probe
        except KeyError as exc:
            reason = f"uses %({exc.args[0]})s, which the message does not have"
        except (ValueError, TypeError):
            reason = "has a lone '%' (write %% for a percent sign)"
        else:
            continue
        raise CatalogueError(path, entry.line, f"the translation of {entry.msgid!r} {reason}")


@lru_cache(maxsize=32)
def _compiled(source: bytes, path: Path, compiled: Path | None) -> bytes:
    """A catalogue compiled: ahead of time when there is a file for this exact source, else now."""
    if compiled is not None:
        try:
            return (compiled / compiled_name(path.stem, source)).read_bytes()
        except OSError:  # not compiled ahead (an edited .po, a read-only checkout)
            pass
    return compile_catalogue(source, path)


def write_compiled_catalogues(target: Path) -> list[Path]:
    """Compile each of deckgen's catalogues into `target` (at package time: see hatch_build.py)."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(LOCALE_FOLDER.glob("*.po")):
        source = path.read_bytes()
        written.append(target / compiled_name(path.stem, source))
        written[-1].write_bytes(compile_catalogue(source, path))
    return written


def read_catalogue(path: Path, compiled: Path | None = None) -> gettext.GNUTranslations:
    """The translations of one `.po` file (a new object each time: a chain of fallbacks changes it);
    raise `CatalogueError` when it cannot be read or compiled."""
    try:
        source = path.read_bytes()
    except OSError as exc:
            raise CatalogueError(path, None, f"cannot read: {exc.strerror or exc}") from None
    return gettext.GNUTranslations(io.BytesIO(_compiled(source, path, compiled)))


def theme_catalogues(folders: Iterable[Path], lang: str) -> tuple[Path, ...]:
    """The catalogues the theme folders hold for `lang`, most specific folder first; in each
    folder the most specific tag (`pt-br.po` or `pt-BR.po` before `pt.po`)."""
    found: list[Path] = []
    for folder in folders:
        locale = folder / CATALOGUE_FOLDER
        if not locale.is_dir():
            continue
        # Only what the theme may publish: no dot file, no link leading out of the folder.
        catalogues = [path for path in sorted(locale.glob("*.po")) if is_theme_file(folder, path)]
        names = {path.stem.lower().replace("_", "-"): path for path in catalogues}
        found.extend(names[tag] for tag in candidate_tags(lang) if tag in names)
    return tuple(found)


def theme_catalogue_problems(folders: Iterable[Path], lang: str, deck_root: Path) -> list[Problem]:
    """The theme's catalogues for `lang` that cannot be used, each an error at its file and line."""
    problems: list[Problem] = []
    for path in theme_catalogues(folders, lang):
        try:
            read_catalogue(path)
        except CatalogueError as exc:
            shown = Path(os.path.relpath(path, deck_root)).as_posix()
            problems.append(Problem(shown, exc.line, None, "error", "theme-catalogue", exc.reason))
    return problems


def plural_forms(language: str) -> str:
    """The `Plural-Forms` of deckgen's catalogue for a language (English's without one)."""
    if language == SOURCE_LANGUAGE:
        return "nplurals=2; plural=(n != 1);"
    info = read_catalogue(LOCALE_FOLDER / f"{language}.po", COMPILED_FOLDER).info()
    return info.get("plural-forms", "nplurals=2; plural=(n != 1);")


def plural_count(language: str) -> int:
    """How many plural forms a language's catalogue has."""
    match = re.search(r"nplurals\s*=\s*(\d+)", plural_forms(language))
    return int(match.group(1)) if match else 2


def _override_translations(strings: Mapping[str, tuple[str, ...]], language: str) -> gettext.GNUTranslations:
    """deck.yaml's `strings` as a catalogue of their own, with the language's plural rule."""
    from .messages import override_text

    count = plural_count(language)
    header = PoEntry("", (f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural_forms(language)}\n",))
    entries = [header]
    for key, texts in strings.items():
        message = MESSAGE_KEYS.get(key)
        if message is None or not texts:
            continue  # an unknown key was a warning at load time
        converted = tuple(override_text(text, message.placeholders) for text in texts)
        if message.plural is not None:
            converted = (converted + (converted[-1],) * count)[:count]  # one text serves every count
        entries.append(PoEntry(message.msgid, converted[:1] if message.plural is None else converted, message.context, message.plural))
    return gettext.GNUTranslations(io.BytesIO(mo_bytes(tuple(entries))))


def words_for(lang: str, *, theme_folders: Iterable[Path] = (), strings: Mapping[str, tuple[str, ...]] | None = None) -> Words:
    """The words of a deck in `lang`: its `strings` (by message key), then the theme folders'
    catalogues, then deckgen's catalogue for the language (`pt-BR` falls back to `pt`), then English.

    Raise `CatalogueError` for a theme catalogue that cannot be read (validation reports it first).
    """
    language = match_language(lang) or SOURCE_LANGUAGE
    chain: list[gettext.NullTranslations] = []
    if strings:
        chain.append(_override_translations(strings, language))
    chain.extend(read_catalogue(path) for path in theme_catalogues(theme_folders, lang))
    if language != SOURCE_LANGUAGE:
        chain.append(read_catalogue(LOCALE_FOLDER / f"{language}.po", COMPILED_FOLDER))
    if not chain:
        return Words(normal_tag(lang), language, gettext.NullTranslations())
    first = chain[0]
    for translations in chain[1:]:
        first.add_fallback(translations)
    return Words(normal_tag(lang), language, first)
