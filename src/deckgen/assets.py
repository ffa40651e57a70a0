"""reveal.js files for a built deck: from the wheel, or from node_modules in a source checkout.

The one list of what a deck takes from reveal.js: the page links these stylesheets and loads these
scripts (`deck.html`), a one-file deck carries them (`inline.py`), and the wheel packs them
(`hatch_build.py`).
"""

from __future__ import annotations

from pathlib import Path

from .errors import DeckgenError

REVEAL_OUT = "_deckgen/reveal"
REVEAL_STYLESHEETS = ("reset.css", "reveal.css")
"""reveal.js's stylesheets, in the order the page links them (the theme's follow)."""
REVEAL_PLUGINS = (("plugin/notes.js", "RevealNotes"),)
"""Each plugin's script and the global name `Reveal.initialize` is given: only the speaker view.
Code is highlighted at build time, so no highlight plugin is shipped."""
REVEAL_SCRIPTS = ("reveal.js", *(script for script, _ in REVEAL_PLUGINS))
"""reveal.js's scripts, in the order the page loads them (deckgen.js follows)."""
REVEAL_FILES = REVEAL_STYLESHEETS + REVEAL_SCRIPTS
"""Every file a deck takes from reveal.js's `dist/` folder."""
REVEAL_LICENSE = "LICENSE"
"""reveal.js's licence, at the top of its package: the wheel carries it beside the files."""
REVEAL_MANIFEST = "package.json"
"""reveal.js's package manifest, at the top of its package, carried too: it says which version this is."""
REVEAL_PACKAGE_FILES = (REVEAL_LICENSE, REVEAL_MANIFEST)
"""The files the wheel takes from the top of reveal.js's package, beside those of `dist/`."""


class SetupError(DeckgenError):
    """deckgen itself is not set up (reveal.js missing): not a problem of the deck."""


def reveal_source_dir() -> Path:
    """Where reveal.js's built files are: `deckgen/_reveal` in a wheel, else `node_modules`."""
    here = Path(__file__).resolve().parent
    packaged = here / "_reveal"
    if (packaged / "reveal.js").is_file():
        return packaged
    checkout = here.parents[1] / "node_modules" / "reveal.js" / "dist"
    if (checkout / "reveal.js").is_file():
        return checkout
    raise SetupError(
        "reveal.js is not installed: run 'npm ci' in the deckgen source folder (or install deckgen from a wheel)"
    )


def reveal_version() -> str | None:
    """The version of the reveal.js that decks get (from its package manifest), or None when it is missing."""
    import json

    here = Path(__file__).resolve().parent
    for manifest in (here / "_reveal" / REVEAL_MANIFEST, here.parents[1] / "node_modules" / "reveal.js" / REVEAL_MANIFEST):
        try:
            version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(version, str):
            return version
    return None


def reveal_files() -> list[tuple[Path, str]]:
    """The reveal.js files every deck carries, with their output paths."""
    source = reveal_source_dir()
    missing = [name for name in REVEAL_FILES if not (source / name).is_file()]
    if missing:
        raise SetupError(f"reveal.js at {source} lacks {', '.join(missing)}: reinstall it with 'npm ci'")
    return [(source / name, f"{REVEAL_OUT}/{name}") for name in REVEAL_FILES]
