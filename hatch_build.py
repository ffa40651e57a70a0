"""Carry reveal.js (installed by npm from the lock file) inside the wheel."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# The files of reveal.js that a built deck loads; the rest of the npm package is not needed.
REVEAL_FILES = (
    "dist/reveal.js",
    "dist/reveal.css",
    "dist/reset.css",
    "dist/plugin/notes.js",
    "dist/plugin/highlight.js",
    "dist/plugin/highlight/monokai.css",
    "LICENSE",
)


class RevealBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            # An editable install finds reveal.js in node_modules/ at run time.
            return
        root = Path(self.root)
        reveal = root / "node_modules" / "reveal.js"
        if not reveal.is_dir():
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError("building a wheel needs npm to install reveal.js (see package.json)")
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=root, check=True)
        for name in REVEAL_FILES:
            build_data["force_include"][str(reveal / name)] = f"deckgen/_reveal/{name.removeprefix('dist/')}"
