"""The wheel carries reveal.js, the themes and the skeleton, and builds a deck with no npm."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from deckgen import __version__ as deckgen_version

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    scratch = tmp_path_factory.mktemp("wheel-tmp")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    # The build compiles templates and catalogues in a temporary folder, and removes it.
    assert [path.name for path in scratch.iterdir()] == []
    [built] = out.glob("deckgen-*.whl")
    return built


def test_wheel_carries_what_a_deck_needs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    from deckgen.assets import REVEAL_FILES, REVEAL_PACKAGE_FILES

    # reveal.js: exactly the files of the one list in assets.py, its licence and its manifest
    reveal = {name.removeprefix("deckgen/_reveal/") for name in names if name.startswith("deckgen/_reveal/")}
    assert reveal == {*REVEAL_FILES, *REVEAL_PACKAGE_FILES}
    for theme in ("base", "default", "kubecon"):
        assert f"deckgen/themes/{theme}/theme.css" in names
    assert "deckgen/themes/base/deck.html" in names
    assert "deckgen/py.typed" in names
    assert any(name.startswith("deckgen/skeleton/") for name in names)
    assert not any("node_modules" in name for name in names)
    assert not any("axe" in name.lower() for name in names), "axe-core (a development dependency) is in the wheel"
    # The base theme's templates, compiled, under both names each (see deckgen/precompiled.py).
    compiled = [name for name in names if name.startswith("deckgen/_compiled_themes/t_")]
    templates = [name for name in names if name.startswith("deckgen/themes/base/") and name.endswith(".html")]
    assert len(compiled) == 2 * len(templates) > 0
    # Each catalogue, as its source and compiled (see deckgen/catalogue.py).
    sources = sorted(name for name in names if name.startswith("deckgen/locale/") and name.endswith(".po"))
    catalogues = sorted(name for name in names if name.startswith("deckgen/_compiled_locales/") and name.endswith(".mo"))
    assert len(sources) == len(catalogues) >= 10 and "deckgen/locale/es.po" in sources


def test_installed_wheel_builds_the_example_without_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    # Only the installed copy is importable: the source checkout and its node_modules play no part.
    code = (
        "import sys; sys.path[:0] = [sys.argv[1]];"
        "import deckgen; assert deckgen.__file__.startswith(sys.argv[1]), deckgen.__file__;"
        # Count what jinja2 compiles: the wheel's compiled templates leave nothing to compile.
        "import jinja2; names = []; compile = jinja2.Environment.compile;"
        "jinja2.Environment.compile = lambda self, source, name=None, *a, **k: names.append(name) or compile(self, source, name, *a, **k);"
        "r = deckgen.build(sys.argv[2], sys.argv[3]); print(r.slide_count, names)"
        # A deck in Spanish: its catalogue comes compiled, so the .po reader is never needed.
        "; import shutil, pathlib; es = pathlib.Path(sys.argv[3]).parent / 'es'; shutil.copytree(sys.argv[2], es);"
        "y = es / 'deck.yaml'; y.write_text(y.read_text(encoding='utf-8') + 'lang: es\\n', encoding='utf-8');"
        "import deckgen.catalogue as c; c.compile_catalogue = lambda *a: sys.exit('compiled a catalogue');"
        "deckgen.build(es, es / 'out');"
        "assert 'Temática' in (es / 'out' / 'index.html').read_text(encoding='utf-8')"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", code, str(target), str(ROOT / "examples" / "kubecon-eu-2019"), str(tmp_path / "out")],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "empty-cache")},
    )
    slides, compiled = done.stdout.split(" ", 1)
    assert int(slides) > 100
    assert compiled.strip() == "[]"
    assert (tmp_path / "out" / "_deckgen" / "reveal" / "reveal.js").is_file()
    # `deckgen --version` reads reveal.js's version from the manifest the wheel carries.
    version = "import sys; sys.path[:0] = [sys.argv[1]]; from deckgen.cli import main; main(['--version'])"
    said = subprocess.run([sys.executable, "-I", "-c", version, str(target)], capture_output=True, text=True).stdout
    reveal = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["reveal.js"]
    assert said.startswith(f"deckgen {deckgen_version} (reveal.js {reveal}, Python ")
    shutil.rmtree(target / "deckgen" / "_reveal")
    said = subprocess.run([sys.executable, "-I", "-c", version, str(target)], capture_output=True, text=True).stdout
    assert "(reveal.js not installed, Python " in said
