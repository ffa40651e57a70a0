"""Shared fixtures: the example deck, built once per session, and the browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def written_decks_agree_with_the_schema() -> Iterator[None]:
    """Every deck a test writes (helpers' write_deck and write_case), good or bad, once the test is done:
    `deckgen schema` refuses a file exactly when the loader finds its shape wrong (see schema_agreement.py)."""
    from helpers import WRITTEN_DECKS

    WRITTEN_DECKS.clear()
    yield
    decks = [deck for deck in dict.fromkeys(WRITTEN_DECKS) if (deck / "deck.yaml").is_file()]
    WRITTEN_DECKS.clear()
    if decks:
        from schema_agreement import disagreements

        found = {str(deck): said for deck in decks if (said := disagreements(deck))}
        assert not found, f"deckgen schema and the loader disagree on a deck this test wrote: {found}"


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
