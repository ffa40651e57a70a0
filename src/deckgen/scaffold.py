"""`deckgen new`: a ready-to-build deck folder for the next recap, from the skeleton in the package,
its comments and sample text in the deck's language where deckgen has a catalogue for it."""

from __future__ import annotations

import contextlib
import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from .messages import SOURCE_LANGUAGE, available_languages, normal_tag
from .problems import DeckError, Problem

if TYPE_CHECKING:  # where Python keeps the Traversable protocol moved in 3.11
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

EXAMPLE_TALK = "slides/10-example-talk.md"
"""The skeleton's example talk, left out (with its tracks) when an import fills the deck."""
TEMPLATE_SUFFIX = ".j2"
"""Skeleton files ending in this are jinja2 templates (the suffix is dropped); the others are copied."""


def yaml_word(value: str) -> str:
    """`value` as a YAML scalar: a plain word (`keynotes`, `es`) as it is when it reads back as the same string."""
    import re

    import yaml

    try:
        plain = re.fullmatch(r"\w[\w-]*", value) is not None and yaml.safe_load(value) == value
    except ValueError:  # a date no calendar has (`2019-02-30`): quoted, so that any YAML reader takes it as text
        plain = False
    return value if plain else yaml_string(value)


def yaml_string(value: str) -> str:
    """`value` as a YAML double-quoted scalar: whatever it holds, it reads back as the same string."""
    import yaml

    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=2**31).rstrip("\n")


def yaml_comment(text: str) -> str:
    """`text` as YAML comment lines, wrapped at 100 columns where it has spaces."""
    import textwrap

    lines = textwrap.wrap(" ".join(text.split()), width=98, break_long_words=False, break_on_hyphens=False)
    return "\n".join(f"# {line}" for line in lines)


def _skeleton_files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    """Every file of the skeleton, with its path relative to the skeleton, in sorted order."""
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("_", ".")):
            continue
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_skeleton_files(entry, f"{rel}/"))
        else:
            found.append((rel, entry))
    return found


def _refuse(folder: Path, message: str, code: str = "deck-exists") -> DeckError:
    return DeckError([Problem(str(folder), None, None, "error", code, message)])


def new_deck(
    folder: str | Path, *, title: str | None = None, example_talk: bool = True, lang: str = SOURCE_LANGUAGE
) -> tuple[Path, ...]:
    """Write a new deck in language `lang` into `folder` (missing or empty) and return the files written.

    Its comments and sample text are in `lang` where deckgen has a catalogue for it (else English),
    and deck.yaml says `lang:`. Without `example_talk` the deck has no example talk and no tracks
    (`deckgen import` adds them). Raise `DeckError` rather than touch a folder that already holds something.
    """
    import jinja2

    from .catalogue import words_for

    target = Path(folder)
    words = words_for(lang)
    title = words.pgettext("new deck", "Conference recap") if title is None else title
    if not title.strip():
        raise _refuse(target, "the title is empty: give the deck a title with --title", "empty-title")
    if target.exists() and not target.is_dir():
        raise _refuse(target, "a file of that name exists: choose a new folder for the deck")
    if target.is_dir() and any(target.iterdir()):
        raise _refuse(target, "the folder exists and is not empty: deckgen new never overwrites a deck; choose a new folder")
    from .json_schema import DECK_SCHEMA_FILE, schema_text

    environment = jinja2.Environment(
        autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True, extensions=["jinja2.ext.i18n"]
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        words.gettext, words.ngettext, newstyle=True, pgettext=words.pgettext, npgettext=words.npgettext
    )
    environment.filters["yaml_string"] = yaml_string
    environment.filters["yaml_word"] = yaml_word
    environment.globals["comment"] = yaml_comment
    # deck.yaml's first line names the schema for editors; the schema is made from this deckgen's keys.
    texts = {DECK_SCHEMA_FILE: schema_text("deck")}
    values = {
        "title": title,
        "example_talk": example_talk,
        "schema_file": DECK_SCHEMA_FILE,
        "lang": normal_tag(lang),
        "languages": ", ".join(available_languages()),
    }
    for rel, source in _skeleton_files(files("deckgen") / "skeleton"):
        if rel.removesuffix(TEMPLATE_SUFFIX) == EXAMPLE_TALK and not example_talk:
            continue
        text = source.read_text(encoding="utf-8")
        if rel.endswith(TEMPLATE_SUFFIX):
            rel = rel[: -len(TEMPLATE_SUFFIX)]
            text = environment.from_string(text).render(values)
        texts[rel] = text
    written: list[Path] = []
    folders = [folder for folder in (target, *{(target / rel).parent for rel in texts}) if not folder.exists()]
    try:
        for rel, text in sorted(texts.items()):
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            written.append(path)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:  # a file where a folder of the path should be, a read-only place, a full disk
        for path in written:  # no half a deck is left behind
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in sorted(folders, key=lambda folder: len(folder.parts), reverse=True):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise _refuse(target, f"cannot write the deck: {exc.strerror or exc}", "unwritable") from None
    return tuple(written)
