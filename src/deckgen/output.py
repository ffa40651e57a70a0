"""Write a built deck: into a temporary folder beside OUT, swapped in only when all went well."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from .manifest import MARKER  # every folder deckgen writes has it: those are the ones it may replace
from .problems import DeckError, Problem


def _refuse(out: Path, message: str) -> DeckError:
    return DeckError([Problem(str(out), None, None, "error", "unsafe-output", message)])


def check_output_folder(out: Path, deck_root: Path, force: bool) -> None:
    """Refuse an OUT that is or holds the deck, or a non-empty folder deckgen did not make."""
    out = out.resolve()
    deck_root = deck_root.resolve()
    if out == deck_root:
        raise _refuse(out, "the output folder is the deck folder itself")
    if deck_root.is_relative_to(out):
        raise _refuse(out, "the output folder contains the deck folder")
    if (deck_root / "slides").resolve() in (out, *out.parents):
        raise _refuse(out, "the output folder is inside the deck's slides/ folder")
    if out.exists() and not out.is_dir():
        raise _refuse(out, "the output path exists and is not a folder")
    if out.is_dir() and not force and not (out / MARKER).is_file() and any(out.iterdir()):
        raise _refuse(out, "the output folder is not empty and was not made by deckgen (use --force to replace it)")


def _place(target: Path, previous: Path, same: bool, write: Callable[[], object]) -> None:
    """Put a file in the staging folder: a link to the previous build's copy when it is the same."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if same:
        try:
            os.link(previous, target)  # unchanged bytes are not rewritten: watchers and caches see no change
            return
        except OSError:
            pass
    write()


def _write_bytes(target: Path, data: bytes) -> None:
    target.write_bytes(data)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _same_copy(path: Path, source: Path) -> bool:
    """A previous copy made with its source's size and time is still that source's copy."""
    try:
        old, new = path.stat(), source.stat()
    except OSError:
        return False
    return old.st_size == new.st_size and old.st_mtime_ns == new.st_mtime_ns


def write_output(
    out: Path,
    files: dict[str, bytes],
    copies: tuple[tuple[Path, str], ...],
    record: Callable[[Path], str] | None = None,
) -> None:
    """Write `files` and `copies` as the new content of `out`, atomically replacing the old one.

    `record(staging)` gives the text of the marker file, written last (see `manifest.py`).
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = out if (out / MARKER).is_file() else None
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.deckgen-", dir=out.parent))
    try:
        for rel, data in files.items():
            old = out / rel
            same = previous is not None and _same_bytes(old, data)
            _place(staging / rel, old, same, partial(_write_bytes, staging / rel, data))
        for source, rel in copies:
            old = out / rel
            same = previous is not None and _same_copy(old, source)
            _place(staging / rel, old, same, partial(shutil.copy2, source, staging / rel))
        os.chmod(staging, 0o755)
        marker = record(staging) if record is not None else "This folder was written by deckgen and is replaced by each build.\n"
        (staging / MARKER).write_text(marker, encoding="utf-8")
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_in(staging: Path, out: Path) -> None:
    """Put `staging` at `out`; the old output is moved aside first and removed last."""
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
