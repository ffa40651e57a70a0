"""Deck folders: which hold some files (how `deckgen check --files` finds the decks a commit
touches), and which a folder of decks holds (`deckgen site`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .sources import DECK_FILE, natural_key


def deck_holding(path: str | Path) -> Path | None:
    """The deck folder that holds `path`: the nearest folder with a deck.yaml, from `path` itself up.

    A relative path is looked at no higher than the folder it is relative to (as a git hook runs in
    the repository's top folder, the decks are found inside the repository only). None when no
    folder holds a deck.yaml.
    """
    path = Path(path)
    folders = [path, *path.parents] if path.is_dir() else list(path.parents)
    for folder in folders:
        if (folder / DECK_FILE).is_file():
            return folder
    return None


def decks_holding(paths: Iterable[str | Path]) -> tuple[Path, ...]:
    """The deck folders holding any of `paths`, each once, in the order first named; paths in no deck are left out."""
    found = (deck_holding(path) for path in paths)
    return tuple(dict.fromkeys(deck for deck in found if deck is not None))


def find_deck_folders(root: Path) -> tuple[str, ...]:
    """The names of the deck folders in `root`: each folder one level down that holds a deck.yaml,
    in natural order, skipping names that start with `_` or `.` (an output folder `_site`)."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return ()
    names = [entry.name for entry in entries if not entry.name.startswith(("_", ".")) and (entry / DECK_FILE).is_file()]
    return tuple(sorted(names, key=natural_key))
