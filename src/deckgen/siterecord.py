"""Recognise an unchanged site without building it: a record, kept in OUT, of what a `deckgen site` was and read.

Each deck of a site keeps its own record in `OUT/<deck>/` (`manifest.py`), which says whether that
deck has changed. The site's record, in OUT, says the rest: which build made OUT (the folder of
decks, OUT, the options), which decks it found, the stamps of site.yaml, of the archive page's
theme folders and of deckgen's own files, and of what it wrote itself (the archive page, its
stylesheets, and each deck's record, so a deck replaced since by another build is noticed).
A site whose record and every deck's record still hold has nothing to do. Only the standard
library is imported here.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .manifest import MARKER, environment_files, inputs_unchanged, read_record
from .stamps import FileStamp, stamp, stamp_tree
from .version import __version__

SITE_RECORD_FORMAT = "site-1"
"""Not a number: a deck record (`manifest.RECORD_FORMAT`) is never read as a site record, nor the other way."""
SITE_ASSETS = "_deckgen"
"""The archive page's stylesheets (its theme's files), in OUT beside the deck folders."""


@dataclass(frozen=True, slots=True)
class SiteIdentity:
    """What makes one site build another: a record is only taken for a build with the same identity."""

    root: str
    """The folder of decks, resolved."""
    out: str
    """The output folder, resolved."""
    strict: bool
    thumbnails: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": "site",
            "root": self.root,
            "out": self.out,
            "strict": self.strict,
            "thumbnails": self.thumbnails,
            "deckgen": __version__,
            "python": sys.version,
        }


def site_outputs(out: Path, decks: tuple[str, ...]) -> tuple[FileStamp, ...]:
    """Stamps of what a site build wrote itself, relative to OUT, without the ctime (linking a file
    into the next build changes it): the archive page, its stylesheets, each deck's record."""
    files = [stamp(out / "index.html", with_ctime=False)]
    files.extend(stamp_tree(out / SITE_ASSETS, with_ctime=False))
    files.extend(stamp(out / deck / MARKER, with_ctime=False) for deck in decks)
    return tuple((str(Path(p).relative_to(out)), s, m, i, c) for p, s, m, i, c in files)


@dataclass(frozen=True, slots=True)
class RecordedSite:
    """What the record of an unchanged site still says."""

    addresses: dict[str, str | None]
    """Each deck folder's name and where the site publishes it (site.yaml's `url` and the folder)."""
    warnings: list[list[Any]]
    """site.yaml's warnings, as `Problem` fields."""


def site_record_json(
    identity: SiteIdentity,
    decks: dict[str, str | None],
    folders: tuple[str, ...],
    files: tuple[str, ...],
    inputs: tuple[FileStamp, ...],
    outputs: tuple[FileStamp, ...],
    warnings: list[list[Any]],
) -> str:
    """The record of one site build, as JSON: `decks` each deck folder's name and address, `inputs`
    `stamp_all(folders, files)` taken before they were read, `outputs` `site_outputs` of the folder
    written, `warnings` site.yaml's."""
    return json.dumps(
        {
            "format": SITE_RECORD_FORMAT,
            "identity": identity.as_json(),
            "environment": list(environment_files()),
            "decks": [[name, address] for name, address in decks.items()],
            "folders": list(folders),
            "files": list(files),
            "inputs": [list(i) for i in inputs],
            "outputs": [list(o) for o in outputs],
            "warnings": warnings,
        },
        indent=0,
        sort_keys=True,
    )


def unchanged_site(identity: SiteIdentity, decks: tuple[str, ...]) -> RecordedSite | None:
    """What the record says when the last build into OUT was this site build, it found the same
    decks, and nothing it read (site.yaml included) or wrote has changed since; else None. (Each
    deck's own record says whether that deck has changed.)"""
    out = Path(identity.out)
    data = read_record(out / MARKER, SITE_RECORD_FORMAT)
    if data is None or data.get("identity") != identity.as_json():
        return None
    try:
        addresses = {str(name): address for name, address in data["decks"]}
        if list(addresses) != list(decks) or not inputs_unchanged(data, out):
            return None
        if [list(o) for o in site_outputs(out, decks)] != data["outputs"]:
            return None
        warnings = data["warnings"]
    except (KeyError, TypeError, ValueError):
        return None
    return RecordedSite(addresses, warnings) if isinstance(warnings, list) else None
