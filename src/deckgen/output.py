"""Write a built deck: into a temporary folder beside OUT, swapped in only when all went well."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .problems import DeckError, Problem

MARKER = ".deckgen-output"
"""A file in every folder deckgen writes, so it knows which folders it may replace."""


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


def write_output(out: Path, files: dict[str, bytes], copies: tuple[tuple[Path, str], ...]) -> None:
    """Write `files` and `copies` as the new content of `out`, atomically replacing the old one."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.deckgen-", dir=out.parent))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for source, rel in copies:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        (staging / MARKER).write_text("This folder was written by deckgen and is replaced by each build.\n")
        os.chmod(staging, 0o755)
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
