"""Recognise an unchanged deck without loading it: a record, kept in OUT, of what a build read.

The record lists every file the build depended on (the deck folder, the theme folders, reveal.js,
deckgen's own modules) with size, modification and change times and inode, the build's options and
its summary. When
all of them still match, a build has nothing to do. Only the standard library is used here, so the
check imports no renderer and reads no deck file, only their stamps.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:
    from .result import BuildResult

RECORD_FORMAT = 3
MARKER = ".deckgen-output"
"""The record's file in OUT; it also marks the folders deckgen made (see `output.py`)."""
FileStamp = tuple[str, int, int, int, int]
"""(path, size, mtime in ns, inode, ctime in ns or 0)."""


def record_json(
    options: dict[str, Any],
    watched: tuple[str, ...],
    extra: tuple[str, ...],
    inputs: tuple[FileStamp, ...],
    outputs: tuple[FileStamp, ...],
    summary: dict[str, Any],
) -> str:
    """The record of one build, as JSON.

    `watched`: folders whose every file is an input (the deck, the theme folders); `extra`: single
    input files (reveal.js, deckgen's modules); `inputs`: (path, size, mtime in ns, inode, ctime in
    ns) of each input; `outputs`: the same for each file written, relative to OUT, without the
    ctime (the next build's hard links change it); `summary`: what was printed.
    """
    return json.dumps(
        {
            "format": RECORD_FORMAT,
            "deckgen": __version__,
            "options": options,
            "watched": list(watched),
            "extra": list(extra),
            "inputs": [list(i) for i in inputs],
            "outputs": [list(o) for o in outputs],
            "summary": summary,
        },
        indent=0,
        sort_keys=True,
    )


def _stamp(path: Path, with_ctime: bool = True) -> FileStamp | None:
    """A file's stamp. The ctime, which no program can set back, tells an edit that kept the size
    and the mtime (a `cp -p` over the file, a tool that restores times) from no edit at all."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path), info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns if with_ctime else 0)


def stamp_folder(folder: Path, skip: Path | None = None, with_ctime: bool = True) -> list[FileStamp]:
    """Stamps of every file under `folder`, in sorted order, leaving out the `skip` subtree."""
    stamps: list[FileStamp] = []
    skip_text = str(skip) if skip is not None else None
    for current, dirs, files in os.walk(folder):
        # Hidden folders (.git, a build's staging folder) are not part of a deck.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if skip_text is not None:
            dirs[:] = [d for d in dirs if os.path.join(current, d) != skip_text]
        for name in sorted(files):
            stamp = _stamp(Path(current) / name, with_ctime)
            if stamp is not None:
                stamps.append(stamp)
    return stamps


def stamp_inputs(watched: tuple[str, ...], extra: tuple[str, ...], out: Path) -> tuple[FileStamp, ...]:
    """Stamps of every file in the watched folders (OUT excluded) and of the extra files."""
    stamps: list[FileStamp] = []
    for folder in watched:
        stamps.extend(stamp_folder(Path(folder), skip=out))
    for name in extra:
        stamp = _stamp(Path(name))
        stamps.append(stamp if stamp is not None else (name, -1, -1, -1, -1))
    return tuple(stamps)


def stamp_outputs(out: Path, skip_name: str) -> tuple[FileStamp, ...]:
    stamps = stamp_folder(out, with_ctime=False)
    return tuple((str(Path(p).relative_to(out)), s, m, i, c) for p, s, m, i, c in stamps if Path(p).name != skip_name)


def read_record(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT or data.get("deckgen") != __version__:
        return None
    return data


def unchanged_summary(record_path: Path, out: Path, options: dict[str, Any]) -> dict[str, Any] | None:
    """The summary of the last build when nothing it depended on has changed since, else None."""
    data = read_record(record_path)
    if data is None or data.get("options") != options:
        return None
    try:
        watched = tuple(str(w) for w in data["watched"])
        extra = tuple(str(e) for e in data["extra"])
        recorded_inputs = [tuple(i) for i in data["inputs"]]
        recorded_outputs = [tuple(o) for o in data["outputs"]]
    except (KeyError, TypeError):
        return None
    if list(stamp_inputs(watched, extra, out)) != recorded_inputs:
        return None
    if list(stamp_outputs(out, record_path.name)) != recorded_outputs:
        return None
    summary = data.get("summary")
    return summary if isinstance(summary, dict) else None


def build_options(out: Path, *, strict: bool, self_contained: bool) -> dict[str, Any]:
    """The options that change what a build makes; a record only matches the same ones."""
    return {"out": str(out.resolve()), "strict": strict, "self_contained": self_contained}


def package_files() -> tuple[str, ...]:
    """deckgen's own modules: a changed deckgen rebuilds."""
    here = Path(__file__).resolve().parent
    return tuple(str(p) for p in sorted(here.glob("*.py")))


def summary_of(result: BuildResult) -> dict[str, Any]:
    """What the CLI prints for a build, kept so an unchanged deck prints it again as it was."""
    return {"head": result.summary_head(), "warnings": [str(p) for p in result.warnings]}


class UnchangedReport:
    """The last build's printed report, for a deck in which nothing has changed since.

    A plain class: the dataclasses module costs more to import than this whole check.
    """

    __slots__ = ("summary", "warnings")

    def __init__(self, warnings: tuple[str, ...], summary: str) -> None:
        self.warnings = warnings
        """Warning lines, as the build printed them."""
        self.summary = summary
        """The summary line, marked `(unchanged)`."""


def unchanged_report(source: Path, out: Path | None, *, strict: bool, self_contained: bool) -> UnchangedReport | None:
    """The report of the last build into OUT when nothing it read has changed since, else None."""
    import time

    started = time.perf_counter()
    out_path = out if out is not None else source / "_site"
    options = build_options(out_path, strict=strict, self_contained=self_contained)
    summary = unchanged_summary(out_path / MARKER, out_path.resolve(), options)
    if summary is None or not isinstance(summary.get("head"), str) or not isinstance(summary.get("warnings"), list):
        return None
    seconds = time.perf_counter() - started
    return UnchangedReport(tuple(str(w) for w in summary["warnings"]), f"{summary['head']} in {seconds:.2f} s (unchanged)")
