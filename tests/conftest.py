"""Shared fixtures: the example deck, built once per session, and the browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kubecon-eu-2019"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests never read or fill the user's own cache folder."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["DECKGEN_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def example_deck() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory):
    """The example deck built once for the whole session (a `deckgen.BuildResult`)."""
    import deckgen

    return deckgen.build(EXAMPLE, tmp_path_factory.mktemp("example") / "out")


def find_chromium() -> str | None:
    """Debian's chromium (or one named by DECKGEN_CHROMIUM)."""
    named = os.environ.get("DECKGEN_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The browser for browser tests: in CI a missing browser fails the run instead of skipping."""
    path = find_chromium()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI=true but no chromium on PATH: .ci/run must install Debian's chromium")
        pytest.skip("no chromium on PATH (install Debian's 'chromium' to run the browser tests)")
    return path
