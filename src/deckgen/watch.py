"""Notice saved files without a dependency: poll the file times and sizes of the deck and its theme."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path

POLL_SECONDS = 0.2
"""How often the watcher looks at the files' modification times."""
SETTLE_SECONDS = 0.05
"""After a change, wait until the files stop changing (an editor's save can take several writes)."""
SETTLE_LIMIT_SECONDS = 1.0
"""...but no longer than this: files that never stop changing (a log written every few ms) are built as they are."""

Snapshot = dict[str, tuple[int, int, int]]
"""Absolute file path → (modification time in ns, size, change time in ns: a `cp -p` keeps the first two)."""


def _ignored(name: str, is_dir: bool) -> bool:
    """Hidden files and folders, and `_`-prefixed folders (output like `_site/`, skipped slides)."""
    return name.startswith(".") or (is_dir and name.startswith("_"))


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Modification time and size of every file under `roots` that the watcher cares about."""
    seen: Snapshot = {}
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not _ignored(d, True))
            for name in names:
                if _ignored(name, False):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:  # removed while we looked
                    continue
                seen[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns)
    return seen


def settle(roots: Iterable[Path], changed: Snapshot, stop: threading.Event) -> Snapshot:
    """Wait until the files under `roots` stop changing, from the snapshot `changed`; return the last snapshot.

    Gives up waiting after `SETTLE_LIMIT_SECONDS`, or at once when `stop` is set.
    """
    roots = list(roots)
    deadline = time.monotonic() + SETTLE_LIMIT_SECONDS
    current = changed
    while time.monotonic() < deadline and not stop.wait(SETTLE_SECONDS):
        settled = snapshot(roots)
        if settled == current:
            break
        current = settled
    return current


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """Files added, removed or modified between two snapshots."""
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def theme_folders(deck_root: Path) -> list[Path]:
    """The folders of the deck's theme chain outside the deck folder (which is watched anyway).

    Only a guide for the watcher: whatever keeps the theme from being found here (a broken
    deck.yaml, an odd path) the build reports at its file and line, and the deck folder is still watched.
    """
    from .problems import Collector
    from .themes import ThemeError, find_theme
    from .yamlfile import load_yaml

    try:
        doc = load_yaml((deck_root / "deck.yaml").read_text(encoding="utf-8"), "deck.yaml", 1, Collector())
        settings = doc.data if doc is not None else None
        spec = settings.get("theme", "default") if isinstance(settings, dict) else "default"
        theme = find_theme(str(spec), deck_root)
        deck_folder = deck_root.resolve()
        return [layer.folder for layer in theme.layers if not layer.folder.resolve().is_relative_to(deck_folder)]
    except (OSError, ValueError, ThemeError):  # ValueError: undecodable text, a NUL in the path
        return []
