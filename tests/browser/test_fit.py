"""The fit script in Chromium: a slide too full gives up picture size first, then type size."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from deckbrowser import DeckPage
from helpers import talk, write_deck

import deckgen

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const slide = Reveal.getCurrentSlide();
  const main = slide.querySelector('.dg-main');
  const content = main.firstElementChild;
  const picture = content.querySelector('img');
  return {
    overflows: main.scrollHeight > main.clientHeight + 1,
    fontShrunk: main.classList.contains('dg-fitted'),
    pictureHeight: picture.offsetHeight,
    pictureNatural: picture.naturalHeight,
    headingPx: parseFloat(getComputedStyle(content.querySelector('h1')).fontSize),
  };
}"""


def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "#c63").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def page(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    body = "# A tall chart\n\nOne line of text above it.\n\n![tall](tall.png)\n\n---\n\n# Words\n\n" + "\n".join(
        f"- point {i} with a few more words to fill the line" for i in range(16)
    ) + "\n\n![small](tall.png)\n"
    files = {"slides/1.md": talk("T", video="https://example.com/v", body=body), "slides/tall.png": png(300, 2000)}
    deck = write_deck(tmp_path / "deck", "title: Fit\n", files)
    result = deckgen.build(deck, tmp_path / "out")
    opened = DeckPage.open(browser, result.index)
    yield opened
    opened.close()


def test_a_tall_picture_shrinks_and_the_type_keeps_its_size(page: DeckPage) -> None:
    page.show(1, 0)
    measured = page.evaluate(MEASURE)
    assert not measured["overflows"]
    assert not measured["fontShrunk"], "the type shrank although the picture could give way"
    assert measured["pictureHeight"] < 480 and measured["pictureNatural"] == 2000
    assert measured["headingPx"] == pytest.approx(60, abs=0.5)  # 2em of the 30px base


def test_when_pictures_reach_their_floor_the_type_shrinks_too(page: DeckPage) -> None:
    page.show(2, 0)
    measured = page.evaluate(MEASURE)
    assert not measured["overflows"]
    assert measured["fontShrunk"]
    assert measured["pictureHeight"] <= 160


def test_a_picture_that_arrives_late_refits_its_slide(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    body = "# Late\n\nA line above.\n\n![tall](tall.png)\n"
    files = {"slides/1.md": talk("T", video="https://example.com/v", body=body), "slides/tall.png": png(300, 2000)}
    deck = write_deck(tmp_path / "deck", "title: Late\n", files)
    result = deckgen.build(deck, tmp_path / "out")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    held: list = []
    # The picture is held back until the fit has run, as a slow disk or a big file would.
    page.route("**/tall.png", lambda route: held.append(route))
    page.goto(result.index.resolve().as_uri() + "#/1", wait_until="domcontentloaded")
    page.wait_for_function("() => window.Reveal && Reveal.isReady() && document.documentElement.dataset.deckgenFitted")
    for route in held:
        route.continue_()
    page.wait_for_function("() => document.querySelector('.dg-talk-slide img').complete")
    page.wait_for_timeout(100)
    measured = DeckPage(page).evaluate(MEASURE)
    page.close()
    assert measured["pictureNatural"] == 2000
    assert not measured["overflows"] and not measured["fontShrunk"]


def test_every_slide_names_its_reveal_background_transparent(page: DeckPage) -> None:
    # Else reveal.js reads each slide's computed colour at start: a style recalculation per slide.
    measured = page.evaluate(
        """() => ({
      unnamed: document.querySelectorAll('.reveal .slides section:not([data-background-color])').length,
      sections: document.querySelectorAll('.reveal .slides section').length,
      shown: getComputedStyle(document.querySelector('.reveal .backgrounds .slide-background.present')).backgroundColor,
      page: getComputedStyle(document.querySelector('.reveal-viewport')).backgroundColor,
    })"""
    )
    assert measured["sections"] >= 3 and measured["unnamed"] == 0
    assert measured["shown"] == "rgba(0, 0, 0, 0)", "the slide's reveal.js background covers the theme's"
    assert measured["page"] == "rgb(255, 255, 255)"


def test_slide_text_that_looks_like_the_end_of_its_script_shows_as_written(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A slide waits in the page as script text (deckgen.later): what it holds must come back intact.
    code = "x = '</script>' + '</SCRIPT >' + '<!-- no -->' + '%3C' + '%25' + '%'"
    body = f"# Odd text\n\n50% off, %3C and %25 stay as typed.\n\n```\n{code}\n```\n\n<!-- an HTML comment -->\n\nafter\n"
    deck = write_deck(tmp_path / "deck", "title: Odd\n", {"slides/1.md": talk("T", video="https://example.com/v", body=body)})
    result = deckgen.build(deck, tmp_path / "out")
    page = DeckPage.open(browser, result.index)
    try:
        page.show(1, 0)
        shown = page.evaluate(
            """() => {
          const slide = Reveal.getCurrentSlide();
          return { code: slide.querySelector('pre code').textContent, text: slide.querySelector('.dg-content').innerText };
        }"""
        )
    finally:
        page.close()
    assert shown["code"].strip() == code
    assert "50% off, %3C and %25 stay as typed." in shown["text"] and "after" in shown["text"]
    assert "an HTML comment" not in shown["text"]
