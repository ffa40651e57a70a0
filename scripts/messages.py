"""deckgen's catalogues: find every message, write `locale/deckgen.pot`, bring each `LANG.po` up to date.

    .venv/bin/python scripts/messages.py            # rewrite deckgen.pot and every LANG.po
    .venv/bin/python scripts/messages.py --check    # exit 1 if any would change or lacks a translation
    .venv/bin/python scripts/messages.py --new xx   # start locale/xx.po (then translate it)

Messages are found where deckgen writes them: `_()`, `gettext`, `ngettext`, `pgettext`, `npgettext`
and `{% trans %}` in the built-in themes' templates and the `deckgen new` skeleton, calls of those
functions with literal text in deckgen's Python, and the month names of `deckgen.messages`. A `.po`
keeps its header and its translations; a message no longer used is dropped, a new one is added
untranslated. Translators can use any gettext tool (Poedit, Weblate, msgmerge) on the files too.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from deckgen.messages import LOCALE_FOLDER, MESSAGES  # noqa: E402
from deckgen.pofile import PoEntry, header_fields, parse_po  # noqa: E402

GETTEXT_FUNCTIONS = ("_", "gettext", "ngettext", "pgettext", "npgettext")
TEMPLATE_FOLDERS = (ROOT / "themes" / "base", ROOT / "src" / "deckgen" / "skeleton")
POT = LOCALE_FOLDER / "deckgen.pot"
POT_HEADER = (
    "Project-Id-Version: deckgen\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\n"
)


@dataclass(slots=True)
class Found:
    """One message and where deckgen uses it."""

    context: str | None
    msgid: str
    plural: str | None
    places: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


def _as_message(function: str, strings: tuple[str | None, ...]) -> tuple[str | None, str, str | None] | None:
    """(context, msgid, plural) of a gettext call's literal arguments, or None when they are not literal."""
    has_context = function.startswith("p") or function.startswith("np")
    has_plural = function.startswith("n") or function.startswith("np")
    wanted = 1 + has_context + has_plural
    if len(strings) < wanted or any(not isinstance(s, str) for s in strings[:wanted]):
        return None
    context = strings[0] if has_context else None
    msgid = strings[1 if has_context else 0]
    plural = strings[wanted - 1] if has_plural else None
    return context, msgid or "", plural  # type: ignore[return-value]


def template_messages() -> list[tuple[str, int, str | None, str, str | None]]:
    """(file, line, context, msgid, plural) of every message in the templates, as deckgen's environments compile them."""
    import jinja2

    from deckgen.catalogue import install_words

    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    install_words(environment)
    found = []
    for folder in TEMPLATE_FOLDERS:
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".html", ".j2") or not path.is_file():
                continue
            for line, function, strings in environment.extract_translations(path.read_text(encoding="utf-8"), GETTEXT_FUNCTIONS):  # type: ignore[attr-defined]
                args = strings if isinstance(strings, tuple) else (strings,)
                message = _as_message(function if function != "_" else "gettext", args)
                if message is not None:
                    found.append((path.relative_to(ROOT).as_posix(), line, *message))
    return found


def python_messages() -> list[tuple[str, int, str | None, str, str | None]]:
    """(file, line, context, msgid, plural) of every gettext call with literal text in deckgen's modules."""
    found = []
    for path in sorted((ROOT / "src" / "deckgen").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else ""
            if name not in GETTEXT_FUNCTIONS:
                continue
            args = tuple(arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in node.args)
            message = _as_message(name if name != "_" else "gettext", args)
            if message is not None:
                found.append((path.relative_to(ROOT).as_posix(), node.lineno, *message))
    return found


def all_messages() -> list[Found]:
    """Every message deckgen shows or writes, in order of first use, each with its places."""
    messages: dict[tuple[str | None, str], Found] = {}
    uses = template_messages() + python_messages()
    # Messages no call names literally: the month names (looked up by number) and words kept for other pages.
    uses += [("src/deckgen/messages.py", 0, m.context, m.msgid, m.plural) for m in MESSAGES]
    for file, line, context, msgid, plural in uses:
        entry = messages.setdefault((context, msgid), Found(context, msgid, plural))
        if plural != entry.plural:
            raise SystemExit(f"{file}:{line}: {msgid!r} is used with two plurals: {entry.plural!r} and {plural!r}")
        if file not in entry.places:  # files only, as xgettext --add-location=file: an edit elsewhere in a file changes nothing
            entry.places.append(file)
    # The pages' words first, in the README's order of their keys; then what `deckgen new` writes.
    order = {(m.context, m.msgid): index for index, m in enumerate(MESSAGES)}
    firsts = list(messages)
    return sorted(messages.values(), key=lambda m: (order.get(m.key, len(order)), firsts.index(m.key)))


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return f'"{escaped}"'


def _field(name: str, text: str) -> list[str]:
    """A PO field; text with line breaks is written one line of the text per line of the file."""
    if "\n" not in text.rstrip("\n"):
        return [f"{name} {_quote(text)}"]
    return [f'{name} ""'] + [_quote(line) for line in text.splitlines(keepends=True)]


def write_po(header: str, messages: list[Found], translations: dict[tuple[str | None, str], PoEntry], nplurals: int) -> str:
    """A catalogue's text: the header, then each message with its translator notes and translation."""
    docs = {(m.context, m.msgid): f"strings key: {m.key} — {m.doc}" for m in MESSAGES}
    lines = [*_field("msgid", ""), *_field("msgstr", header)]
    for message in messages:
        lines.append("")
        if message.key in docs:
            lines.append(f"#. {docs[message.key]}")
        if message.context == "new deck":
            lines.append("#. written by `deckgen new` into a new deck (comments, sample text)")
        lines.append("#: " + " ".join(message.places))
        if "%(" in message.msgid or "%%" in message.msgid:
            lines.append("#, python-format")
        if message.context is not None:
            lines += _field("msgctxt", message.context)
        lines += _field("msgid", message.msgid)
        translated = translations.get(message.key)
        if message.plural is None:
            lines += _field("msgstr", translated.strings[0] if translated else "")
        else:
            lines += _field("msgid_plural", message.plural)
            forms = translated.strings if translated else ("",) * nplurals
            for index, form in enumerate(forms):
                lines += _field(f"msgstr[{index}]", form)
    return "\n".join(lines) + "\n"


def updated_catalogues() -> dict[Path, str]:
    """deckgen.pot and every LANG.po as they should be."""
    messages = all_messages()
    texts = {POT: write_po(POT_HEADER, messages, {}, 2)}
    for path in sorted(LOCALE_FOLDER.glob("*.po")):
        entries = parse_po(path.read_text(encoding="utf-8"))
        header = next(e.strings[0] for e in entries if e.msgid == "" and e.context is None)
        plural_forms = header_fields(entries).get("Plural-Forms", "nplurals=2;")
        nplurals = int(plural_forms.split("nplurals=")[1].split(";")[0])
        translations = {(e.context, e.msgid): e for e in entries if e.msgid}
        texts[path] = write_po(header, messages, translations, nplurals)
    return texts


def untranslated(path: Path) -> list[str]:
    """The messages a catalogue has no (or a fuzzy) translation for."""
    entries = parse_po(path.read_text(encoding="utf-8"))
    return [f"{path.name}:{e.line}: {e.msgid!r}" for e in entries if e.msgid and not e.translated]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a catalogue is out of date or incomplete")
    parser.add_argument("--new", metavar="LANG", help="start locale/LANG.po from the template")
    args = parser.parse_args()
    if args.new:
        path = LOCALE_FOLDER / f"{args.new}.po"
        if path.exists():
            raise SystemExit(f"{path} exists")
        header = POT_HEADER.replace("Project-Id-Version: deckgen\n", f"Project-Id-Version: deckgen\nLanguage: {args.new}\n")
        path.write_text(write_po(header, all_messages(), {}, 2), encoding="utf-8")
        print(f"wrote {path}: set its Plural-Forms, then translate every msgstr")
        return 0
    stale = [path for path, text in updated_catalogues().items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        problems = [f"{path.relative_to(ROOT)}: out of date (run scripts/messages.py)" for path in stale]
        problems += [line for path in sorted(LOCALE_FOLDER.glob("*.po")) for line in untranslated(path)]
        print("\n".join(problems) or "catalogues: up to date, every message translated")
        return 1 if problems else 0
    for path, text in updated_catalogues().items():
        if path in stale:
            path.write_text(text, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
