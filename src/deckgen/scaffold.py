"""`deckgen new`: a ready-to-build deck folder for the next recap, from the skeleton in the package."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import DeckError, Problem

if TYPE_CHECKING:  # where Python keeps the Traversable protocol moved in 3.11
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

DEFAULT_TITLE = "Conference recap"
EXAMPLE_TALK = "slides/10-example-talk.md"
"""The skeleton's example talk, left out (with its tracks) when an import fills the deck."""
TEMPLATE_SUFFIX = ".j2"
"""Skeleton files ending in this are jinja2 templates (the suffix is dropped); the others are copied."""


def yaml_string(value: str) -> str:
    """`value` as a YAML double-quoted scalar: whatever it holds, it reads back as the same string."""
    import yaml

    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=2**31).rstrip("\n")


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


def new_deck(folder: str | Path, *, title: str | None = None, example_talk: bool = True) -> tuple[Path, ...]:
    """Write a new deck into `folder` (missing or empty) and return the files written.

    Without `example_talk` the deck has no example talk and no tracks (`deckgen import` adds them).
    Raise `DeckError` rather than touch a folder that already holds something.
    """
    import jinja2

    target = Path(folder)
    title = DEFAULT_TITLE if title is None else title
    if not title.strip():
        raise _refuse(target, "the title is empty: give the deck a title with --title", "empty-title")
    if target.exists() and not target.is_dir():
        raise _refuse(target, "a file of that name exists: choose a new folder for the deck")
    if target.is_dir() and any(target.iterdir()):
        raise _refuse(target, "the folder exists and is not empty: deckgen new never overwrites a deck; choose a new folder")
    from .json_schema import DECK_SCHEMA_FILE, schema_text

    environment = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    environment.filters["yaml_string"] = yaml_string
    # deck.yaml's first line names the schema for editors; the schema is made from this deckgen's keys.
    texts = {DECK_SCHEMA_FILE: schema_text("deck")}
    for rel, source in _skeleton_files(files("deckgen") / "skeleton"):
        if rel == EXAMPLE_TALK and not example_talk:
            continue
        text = source.read_text(encoding="utf-8")
        if rel.endswith(TEMPLATE_SUFFIX):
            rel = rel[: -len(TEMPLATE_SUFFIX)]
            text = environment.from_string(text).render(title=title, example_talk=example_talk, schema_file=DECK_SCHEMA_FILE)
        texts[rel] = text
    written: list[Path] = []
    for rel, text in sorted(texts.items()):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return tuple(written)
