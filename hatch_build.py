"""At package time: carry reveal.js (installed by npm from the lock file), the compiled templates and catalogues.

Which reveal.js files a deck needs is said once, in src/deckgen/assets.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED_THEMES = "deckgen/_compiled_themes"
"""Where the built-in themes' templates go, compiled by jinja2 (see src/deckgen/precompiled.py)."""
COMPILED_LOCALES = "deckgen/_compiled_locales"
"""Where deckgen's catalogues (`locale/LANG.po`) go, compiled to `.mo` (see src/deckgen/catalogue.py)."""


class RevealBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"
    _staging: Path | None = None
    """Where a wheel's compiled templates and catalogues wait until they are in the wheel."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        if version == "editable":
            # An editable install finds reveal.js in node_modules/ and the compiled templates and
            # catalogues in src/ (ignored by git) at run time.
            try:
                self._compile_templates(root / "src" / COMPILED_THEMES)
                self._compile_catalogues(root / "src" / COMPILED_LOCALES)
            except OSError as exc:  # a read-only checkout: deckgen compiles them at run time
                self.app.display_warning(f"deckgen: templates and catalogues not compiled ahead ({exc})")
            return
        reveal = root / "node_modules" / "reveal.js"
        if not reveal.is_dir():
            npm = shutil.which("npm")
            if npm is None:
                raise RuntimeError(
                    "building a wheel needs npm to install reveal.js (see package.json): "
                    "install npm (Node.js), or install deckgen from a built wheel"
                )
            # Only what a deck carries: the development tools (axe-core, for the browser tests) stay out.
            subprocess.run([npm, "ci", "--omit=dev", "--no-audit", "--no-fund"], cwd=root, check=True)
        with self._source_on_path():
            from deckgen.assets import REVEAL_FILES, REVEAL_PACKAGE_FILES
        carried = [*((reveal / "dist" / name, name) for name in REVEAL_FILES), *((reveal / name, name) for name in REVEAL_PACKAGE_FILES)]
        for source, name in carried:
            build_data["force_include"][str(source)] = f"deckgen/_reveal/{name}"
        self._staging = Path(tempfile.mkdtemp(prefix="deckgen-wheel-"))
        for path in self._compile_templates(self._staging / "themes"):
            build_data["force_include"][str(path)] = f"{COMPILED_THEMES}/{path.name}"
        for path in self._compile_catalogues(self._staging / "locales"):
            build_data["force_include"][str(path)] = f"{COMPILED_LOCALES}/{path.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        # The wheel holds its own copies now: leave nothing behind in the temporary folder.
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    @contextmanager
    def _source_on_path(self) -> Iterator[None]:
        """Import deckgen's own modules from the source tree being packaged."""
        sys.path.insert(0, str(Path(self.root) / "src"))
        try:
            yield
        finally:
            sys.path.pop(0)

    def _compile_templates(self, target: Path) -> list[Path]:
        with self._source_on_path():
            from deckgen.precompiled import write_precompiled
            from deckgen.themefolder import BASE_THEME, BUILTIN_THEMES
        shutil.rmtree(target, ignore_errors=True)  # no module of an older template is left behind
        return write_precompiled(Path(self.root) / "themes", (BASE_THEME, *BUILTIN_THEMES), target)

    def _compile_catalogues(self, target: Path) -> list[Path]:
        with self._source_on_path():
            from deckgen.catalogue import write_compiled_catalogues
        shutil.rmtree(target, ignore_errors=True)  # no catalogue of an older .po is left behind
        return write_compiled_catalogues(target)
