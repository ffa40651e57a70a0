"""Recognise an unchanged deck without loading it: a record, kept in OUT, of what a build was and read.

The record says which build made OUT (the deck folder, OUT, the options that change the output,
deckgen's and Python's versions, where the libraries that shape the output were found) and stamps
every file it depended on (`stamps.py`): the deck folder and the theme folders whole, each file and
folder the loader read, each file copied, reveal.js, deckgen's modules and those libraries' files.
It also keeps the build's result. A build of the same deck into the same OUT with the same options,
when every stamp still matches, has nothing to do: it returns that result. Anything that differs is
a rebuild. Only the standard library is imported here, so the check imports no renderer.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .stamps import FileStamp, stamp, stamp_tree
from .version import __version__

if TYPE_CHECKING:
    from .linklist import LinkEntry
    from .result import BuildResult

RECORD_FORMAT = 5
MARKER = ".deckgen-output"
"""The record's file in OUT; it also marks the folders deckgen made (see `output.py`)."""
OUTPUT_LIBRARIES = ("markdown_it", "jinja2", "yaml", "qrcode", "pygments")
"""The libraries whose code shapes a built deck: another version of one is a rebuild."""


@dataclass(frozen=True, slots=True)
class BuildIdentity:
    """What makes one build another: a record is only taken for a build with the same identity."""

    deck: str
    """The deck folder, resolved."""
    out: str
    """The output folder, resolved."""
    strict: bool
    self_contained: bool
    address: str | None = None
    """Where a site publishes the deck (its share tags' address when deck.yaml has no `url`)."""
    thumbnail: bool = False
    """Whether a picture of the title slide is made beside the deck."""

    def as_json(self) -> dict[str, Any]:
        return {
            "deck": self.deck,
            "out": self.out,
            "strict": self.strict,
            "self_contained": self.self_contained,
            "address": self.address,
            "thumbnail": self.thumbnail,
            "deckgen": __version__,
            "python": sys.version,
        }


def build_identity(
    source: str | Path, out: Path, *, strict: bool, self_contained: bool, address: str | None = None, thumbnail: bool = False
) -> BuildIdentity:
    return BuildIdentity(str(Path(source).resolve()), str(out.resolve()), strict, self_contained, address, thumbnail)


def environment_files() -> tuple[str, ...]:
    """The code a build runs besides the deck's: deckgen's files and the output libraries' entry files.

    The libraries are found as an import would find them, without importing them: a library
    installed elsewhere (another environment) or rewritten in place (an upgrade) is a rebuild.
    """
    from importlib.util import find_spec

    files: list[str] = []
    for current, dirs, names in os.walk(Path(__file__).resolve().parent):  # the package, data files included
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        files.extend(os.path.join(current, name) for name in sorted(names))
    for name in OUTPUT_LIBRARIES:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        files.append(spec.origin if spec is not None and spec.origin else f"{name}: not installed")
    return tuple(files)


def stamp_all(folders: tuple[str, ...], files: tuple[str, ...], out: Path) -> tuple[FileStamp, ...]:
    """Stamps of every file in `folders` (OUT left out), then of each of `files`."""
    stamps: list[FileStamp] = []
    for folder in folders:
        stamps.extend(stamp_tree(Path(folder), skip=out))
    stamps.extend(stamp(name) for name in files)
    return tuple(stamps)


def stamp_outputs(out: Path) -> tuple[FileStamp, ...]:
    """Stamps of what a build wrote, relative to OUT, without the ctime (the next build's hard links change it)."""
    stamps = stamp_tree(out, with_ctime=False)
    return tuple((str(Path(p).relative_to(out)), s, m, i, c) for p, s, m, i, c in stamps if Path(p).name != MARKER)


def record_json(
    identity: BuildIdentity,
    folders: tuple[str, ...],
    files: tuple[str, ...],
    inputs: tuple[FileStamp, ...],
    outputs: tuple[FileStamp, ...],
    result: BuildResult,
) -> str:
    """The record of one build, as JSON.

    `folders`: folders whose every file is an input (the deck, the theme folders); `files`: other
    inputs (what the loader read, the copied files, reveal.js, `environment_files()`); `inputs`:
    their stamps, as `stamp_all(folders, files)` gives them; `outputs`: `stamp_outputs` of OUT.
    """
    return json.dumps(
        {
            "format": RECORD_FORMAT,
            "identity": identity.as_json(),
            "environment": list(environment_files()),
            "folders": list(folders),
            "files": list(files),
            "inputs": [list(i) for i in inputs],
            "outputs": [list(o) for o in outputs],
            "result": _result_json(result),
        },
        indent=0,
        sort_keys=True,
    )


def _result_json(result: BuildResult) -> dict[str, Any]:
    return {
        "slide_count": result.slide_count,
        "talk_count": result.talk_count,
        "link_count": result.link_count,
        "qr_count": result.qr_count,
        "warnings": [[p.path, p.line, p.column, p.severity, p.code, p.message] for p in result.warnings],
        "facts": dataclasses.asdict(result.facts) if result.facts is not None else None,
        "links": [
            [e.url, e.title, e.kind, e.talk, list(e.speakers), e.track, e.track_title,
             [e.link.title, e.link.url, e.link.pos.path, e.link.pos.line, e.link.pos.column, e.link.kind]]
            for e in result.links
        ],
    }


def read_record(path: Path, record_format: int | str = RECORD_FORMAT) -> dict[str, Any] | None:
    """A record file's data when it is one of this format; else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == record_format else None


def inputs_unchanged(data: dict[str, Any], out: Path) -> bool:
    """Whether deckgen's files and every input a record stamped are as they were (`KeyError` or
    `TypeError` for a record that lacks them)."""
    if data["environment"] != list(environment_files()):
        return False
    folders = tuple(str(f) for f in data["folders"])
    files = tuple(str(f) for f in data["files"])
    return bool([list(i) for i in stamp_all(folders, files, out)] == data["inputs"])


def unchanged_result_json(identity: BuildIdentity) -> dict[str, Any] | None:
    """The recorded result of the last build into OUT when it was this build and nothing it read has changed since."""
    out = Path(identity.out)
    data = read_record(out / MARKER)
    if data is None or data.get("identity") != identity.as_json():
        return None
    try:
        if not inputs_unchanged(data, out):
            return None
        if [list(o) for o in stamp_outputs(out)] != data["outputs"]:
            return None
    except (KeyError, TypeError):
        return None
    result = data.get("result")
    return result if isinstance(result, dict) else None


def previous_result(identity: BuildIdentity, out: Path) -> BuildResult | None:
    """The last build's result, marked unchanged, when this build would make the same OUT from the same files; else None."""
    import time

    started = time.perf_counter()
    recorded = unchanged_result_json(identity)
    if recorded is None:
        return None
    try:
        result = _result_from_json(recorded, out)
    except (KeyError, TypeError, ValueError):  # a record this version cannot read back: build
        return None
    from dataclasses import replace

    return replace(result, seconds=time.perf_counter() - started)


def _result_from_json(data: dict[str, Any], out: Path) -> BuildResult:
    from .problems import Problem
    from .result import BuildResult, DeckFacts

    links: tuple[LinkEntry, ...] = ()
    if data["links"]:
        from .linklist import LinkEntry
        from .model import Link, SourcePos

        links = tuple(
            LinkEntry(url, title, kind, talk, tuple(speakers), track, track_title, Link(lt, lu, SourcePos(lp, ll, lc), lk))
            for url, title, kind, talk, speakers, track, track_title, (lt, lu, lp, ll, lc, lk) in data["links"]
        )
    return BuildResult(
        out=out,
        slide_count=int(data["slide_count"]),
        talk_count=int(data["talk_count"]),
        link_count=int(data["link_count"]),
        qr_count=int(data["qr_count"]),
        warnings=tuple(Problem(*warning) for warning in data["warnings"]),
        seconds=0.0,
        links=links,
        unchanged=True,
        facts=DeckFacts(**data["facts"]) if data["facts"] is not None else None,
    )
