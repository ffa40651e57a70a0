"""The pages `deckgen site` publishes beside the slides, in Chromium: the archive page and each deck's
links page work with JavaScript off, read at a phone's 360 px, fetch nothing, and pass axe-core;
the title slides' pictures are the slides. (The decks of a site are toured like any deck: conftest.)"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import FEATURE_DECK
from deckbrowser import AXE_SCRIPT, AXE_TAGS

import deckgen
from deckgen.pages import sibling_url

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = (360, 1280)
"""A small phone's width and a laptop's."""

_PAGE_JS = """
() => ({
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  links: Array.from(document.querySelectorAll('a[href]'), a => {
    const box = a.getBoundingClientRect();
    return {href: a.getAttribute('href'), url: a.href, text: a.textContent.trim(), width: box.width, height: box.height,
            button: a.matches('.dg-page-link a, .dg-archive-links a')};
  }),
  cut: Array.from(document.querySelectorAll('body *')).filter(el => {
    const style = getComputedStyle(el);
    return (style.overflowX !== 'visible' || style.overflowY !== 'visible')
      && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
  }).map(el => el.className),
  images: Array.from(document.images, img => ({src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0})),
})
"""

_AXE_PAGE_JS = """
async tags => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload: false});
  return result.violations.map(v => ({rule: v.id, impact: v.impact || '', where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}
"""


@dataclass(frozen=True)
class PageView:
    """What Chromium showed of one page at one width, JavaScript off."""

    path: Path
    width: int
    overflow: int
    links: tuple[dict[str, Any], ...]
    cut: tuple[str, ...]
    images: tuple[dict[str, Any], ...]
    requests: tuple[str, ...]
    errors: tuple[str, ...]


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium_path):  # type: ignore[no-untyped-def]
    """A site of three decks in three themes (a Spanish archive page, a url, pictures of the title slides)."""
    root = tmp_path_factory.mktemp("site") / "decks"
    root.mkdir()
    for name, source in (("kubecon-eu-2019", ROOT / "examples" / "kubecon-eu-2019"), ("feature", FEATURE_DECK),
                         ("custom", ROOT / "examples" / "custom-theme")):  # fmt: skip
        (root / name).symlink_to(source, target_is_directory=True)
    (root / "site.yaml").write_text("title: Nuestros resúmenes\nlang: es\nurl: https://example.org/recaps/\n", encoding="utf-8")
    return deckgen.build_site(root, root.parent / "out", thumbnails=True, chromium=chromium_path)


def view(browser, path: Path, width: int) -> PageView:  # type: ignore[no-untyped-def]
    """Open a page with JavaScript off, the network cut off, at `width` px."""
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.resolve().as_uri())
    # JavaScript is off in the page; Playwright's own evaluation still runs (in an isolated world).
    measured = page.evaluate(_PAGE_JS)
    context.close()
    return PageView(path, width, measured["overflow"], tuple(measured["links"]), tuple(measured["cut"]),
                    tuple(measured["images"]), tuple(requests), tuple(errors))  # fmt: skip


def pages_of(site) -> list[Path]:  # type: ignore[no-untyped-def]
    return [site.index, *(deck.out / "links.html" for deck in site.decks)]


@pytest.fixture(scope="module")
def views(browser, site):  # type: ignore[no-untyped-def]
    return [view(browser, path, width) for path in pages_of(site) for width in WIDTHS]


def test_the_archive_links_every_deck_and_its_links_page(site, views) -> None:  # type: ignore[no-untyped-def]
    archive = next(v for v in views if v.path == site.index)
    hrefs = [link["href"] for link in archive.links]
    for deck in site.decks:
        assert f"{deck.out.name}/index.html" in hrefs and f"{deck.out.name}/links.html" in hrefs
    for link in archive.links:
        assert Path(link["url"].removeprefix("file://")).is_file(), link
    assert [image["src"] for image in archive.images] == [f"{deck}/thumbnail.jpg" for deck in ("custom", "feature", "kubecon-eu-2019")]
    assert all(image["loaded"] for image in archive.images)


def test_a_deck_opens_from_its_link_on_the_archive_page(browser, site) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(site.index.as_uri())
    page.get_by_role("link", name="Every Feature Recap").click()
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    assert page.url.endswith("/feature/index.html")
    page.close()


def test_each_links_page_carries_every_link_of_its_deck(site, views) -> None:  # type: ignore[no-untyped-def]
    for deck in site.decks:
        source = deckgen.load_deck(site.out.parent / "decks" / deck.out.name)
        wanted = {t.video for t in source.talks if t.video} | {link.url for t in source.talks for link in t.links}
        wanted |= {link.url for link in source.links}
        for page in (v for v in views if v.path == deck.out / "links.html"):
            shown = {link["href"] for link in page.links}
            assert wanted and wanted <= shown, (deck.out.name, page.width, wanted - shown)
            assert {link["href"] for link in page.links if not link["button"]} == {"index.html"}


def test_the_pages_read_at_a_phones_width_with_nothing_cut_off(views) -> None:  # type: ignore[no-untyped-def]
    for page in views:
        assert page.overflow <= 0, f"{page.path} scrolls sideways at {page.width} px"
        assert page.cut == (), (page.path, page.width)
        small = [link["text"] for link in page.links if link["button"] and (link["height"] < 44 or link["width"] < 44)]
        assert small == [], f"{page.path} at {page.width} px: buttons smaller than a fingertip"


def test_the_pages_need_no_script_and_no_network(site, views) -> None:  # type: ignore[no-untyped-def]
    for path in pages_of(site):
        assert "<script" not in path.read_text(encoding="utf-8")
    for page in views:
        assert page.errors == ()
        assert page.requests and all(url.startswith("file:") for url in page.requests), page.requests


def test_no_serious_or_critical_accessibility_violation(browser, site) -> None:  # type: ignore[no-untyped-def]
    found = {}
    for path in pages_of(site):
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(path.as_uri())
            page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
            violations = [v for v in page.evaluate(_AXE_PAGE_JS, list(AXE_TAGS)) if v["impact"] in ("serious", "critical")]
            page.close()
            if violations:
                found[f"{path.parent.name}/{path.name}@{width}"] = violations
    assert found == {}


def test_the_pictures_show_each_decks_title_slide(browser, site) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image, ImageChops, ImageStat

    for deck in site.decks:
        picture = Image.open(io.BytesIO((deck.out / "thumbnail.jpg").read_bytes())).convert("RGB")
        assert picture.size == (1280, 720)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(deck.index.as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady() && document.documentElement.dataset.deckgenFitted")
        page.evaluate("() => Reveal.configure({controls: false, progress: false, slideNumber: false})")
        page.wait_for_timeout(300)
        shown = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        page.close()
        difference = ImageStat.Stat(ImageChops.difference(picture, shown)).mean
        assert max(difference) < 2, (deck.out.name, difference)
        tags = (deck.out / "index.html").read_text(encoding="utf-8")
        address = deck.facts.url if deck.facts and deck.facts.url else f"https://example.org/recaps/{deck.out.name}/"
        assert f'<meta property="og:image" content="{sibling_url(address, "thumbnail.jpg")}">' in tags
