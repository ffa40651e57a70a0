"""Browser fixtures: one Chromium for the session; each deck built with each theme and toured once."""

from __future__ import annotations

import importlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from deckbrowser import DeckPage, SlideVisit, launch_chromium

if TYPE_CHECKING:
    from deckgen import BuildResult, Deck

FEATURE_DECK = Path(__file__).resolve().parents[1] / "fixtures" / "feature-deck"
THEMES = ("default", "kubecon")
DECKS = ("example", "feature")
SITE_TOURS = (("feature", "default"), ("feature", "kubecon"), ("example", "kubecon"))
"""Decks also toured as `deckgen site` builds them, in a site with a url (their share tags name it) and pictures."""


@pytest.fixture(scope="session")
def feature_deck() -> Path:
    """A small deck that uses every feature of the deck format."""
    return FEATURE_DECK


def require_test_tools() -> None:
    """The browser tests' Python tools: missing in CI fails the run, missing locally skips."""
    from deckbrowser import AXE_SCRIPT

    if not AXE_SCRIPT.is_file():
        message = f"{AXE_SCRIPT} is missing: run 'npm ci' (axe-core is a development dependency in package.json)"
        if os.environ.get("CI"):
            pytest.fail(f"CI=true but {message}")
        pytest.skip(message)
    for module in ("playwright.sync_api", "zxingcpp", "PIL"):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            message = f"{module} is not installed ({exc}): install the 'test' extra"
            if os.environ.get("CI"):
                pytest.fail(f"CI=true but {message}")
            pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    """Debian's chromium, launched once for the whole session."""
    require_test_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        yield browser
        browser.close()


def with_theme(source: Path, theme: str, folder: Path) -> Path:
    """The deck folder itself if it already uses `theme`, else a copy of it in `folder` that does."""
    import yaml

    import deckgen

    if deckgen.load_deck(source).theme == theme:
        return source
    copy = folder / source.name
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("_site"))
    deck_file = copy / "deck.yaml"
    settings = yaml.safe_load(deck_file.read_text(encoding="utf-8"))
    settings["theme"] = theme
    deck_file.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return copy


@dataclass(frozen=True)
class DeckTour:
    """A deck built with one theme, and what Chromium showed of every slide."""

    name: str
    """`example` or `feature`."""
    via: str
    """`build` (`deckgen build`) or `site` (a deck of a site built by `deckgen site`)."""
    source: Path
    result: BuildResult
    deck: Deck
    """The deck the build was made from."""
    total_slides: int
    visits: tuple[SlideVisit, ...]
    console_errors: tuple[str, ...]
    requests: tuple[str, ...]
    blocked: tuple[str, ...]

    @property
    def link_urls(self) -> set[str]:
        """Every URL the deck must show as a QR code: its links and its own `url`."""
        urls = {entry.url for entry in self.result.links}
        return urls | {self.deck.url} if self.deck.url else urls


@pytest.fixture(scope="session")
def tours(browser, chromium_path: str, example_deck: Path, feature_deck: Path, tmp_path_factory, request):
    """`tours(deck, theme, via)`: the deck ("example" or "feature") built with `theme` (by `deckgen build`,
    or by `deckgen site` with `via="site"`) and toured, once a session."""
    import deckgen

    made: dict[tuple[str, str, str], DeckTour] = {}

    def tour_of(name: str, theme: str, via: str = "build") -> DeckTour:
        if (name, theme, via) in made:
            return made[name, theme, via]
        folder = tmp_path_factory.mktemp(f"{name}-{theme}-{via}")
        source = with_theme(example_deck if name == "example" else feature_deck, theme, folder)
        if via == "site":
            result = built_in_site(source, name, folder, chromium_path)
        elif source == example_deck:
            result = request.getfixturevalue("built_example")
        else:
            result = deckgen.build(source, folder / "out")
        page = DeckPage.open(browser, result.index, axe=True)
        try:
            total = page.total_slides()
            visits = tuple(page.tour())
        finally:
            page.close()
        made[name, theme, via] = DeckTour(
            name=name,
            via=via,
            source=source,
            result=result,
            deck=deckgen.load_deck(source),
            total_slides=total,
            visits=visits,
            console_errors=tuple(page.console_errors),
            requests=tuple(page.requests),
            blocked=tuple(page.blocked),
        )
        return made[name, theme, via]

    return tour_of


def built_in_site(source: Path, name: str, folder: Path, chromium: str) -> BuildResult:
    """The deck `source` built by `deckgen site` as the folder `name` of a site (with a url and pictures)."""
    import deckgen

    root = folder / "decks"
    root.mkdir()
    (root / name).symlink_to(source, target_is_directory=True)
    (root / "site.yaml").write_text("url: https://example.org/recaps/\n", encoding="utf-8")
    site = deckgen.build_site(root, folder / "site", thumbnails=True, chromium=chromium)
    [result] = site.decks
    return result


@pytest.fixture(
    params=[(deck, theme, "build") for deck in DECKS for theme in THEMES] + [(deck, theme, "site") for deck, theme in SITE_TOURS],
    ids=lambda p: "-".join(p),
)
def tour(request, tours) -> DeckTour:
    """Each deck with each built-in theme; and some built by `deckgen site`."""
    return tours(*request.param)


@pytest.fixture(params=THEMES)
def feature_tour(request, tours) -> DeckTour:
    """The feature deck with each built-in theme."""
    return tours("feature", request.param)
