"""The README's worked example of a theme of one's own (examples/custom-theme), in Chromium: its
colours, the logo on its title slide and its own footer show, under default and under kubecon."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from deckbrowser import DeckPage

import deckgen

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "custom-theme"

_TITLE_JS = """
() => {
  const logo = document.querySelector('.dg-title .org-logo');
  const box = logo.getBoundingClientRect();
  return {logo: getComputedStyle(logo).backgroundImage, left: box.left, top: box.top, width: box.width, height: box.height,
          background: getComputedStyle(document.querySelector('.dg-title')).backgroundImage};
}
"""

_TALK_JS = """
() => {
  const footer = Reveal.getCurrentSlide().querySelector('.dg-footer');
  return {background: getComputedStyle(footer).backgroundColor,
          lines: Array.from(footer.querySelectorAll('p'), p => p.className),
          track: (footer.querySelector('.org-track') || {}).textContent || ''};
}
"""


@pytest.fixture(scope="module", params=("default", "kubecon"))
def shown(request, browser, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The example built with its theme extending one built-in theme: every slide visited."""
    deck = tmp_path_factory.mktemp(f"custom-{request.param}") / "deck"
    shutil.copytree(EXAMPLE, deck, ignore=shutil.ignore_patterns("_site"))
    (deck / "theme" / "theme.yaml").write_text(f"extends: {request.param}\n", encoding="utf-8")
    result = deckgen.build(deck, deck.parent / "out")
    assert result.warnings == ()
    from PIL import Image

    page = DeckPage.open(browser, result.index)
    visits, title, talk = [], None, None
    for h, v in page.slide_indices():
        visit = page.visit(h, v)
        visits.append(visit)
        if visit.kind == "title":
            title = page.evaluate(_TITLE_JS)
            picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
            left, top = int(title["left"]), int(title["top"])
            box = range(left, left + int(title["width"]), 2), range(top, top + int(title["height"]), 2)
            title["logo_pixels"] = {picture.getpixel((x, y)) for x in box[0] for y in box[1]}
        elif visit.kind == "talk" and talk is None:
            talk = page.evaluate(_TALK_JS)
    page.close()
    return result, visits, title, talk


def test_every_slide_fits_and_every_code_scans(shown) -> None:  # type: ignore[no-untyped-def]
    _, visits, _, _ = shown
    assert [problem for visit in visits for problem in visit.problems] == []
    assert all(sorted(code.text for code in visit.codes) == sorted(visit.qr_links) for visit in visits)


def test_the_title_slide_shows_the_logo_on_the_theme_s_colours(shown) -> None:  # type: ignore[no-untyped-def]
    _, _, title, _ = shown
    assert "logo.svg" in title["logo"] and title["width"] > 100 and title["height"] > 40
    assert "rgb(11, 61, 58)" in title["background"]  # --dg-title-bg's gradient, over the parent's
    assert (255, 255, 255) in title["logo_pixels"]  # the logo's white shapes are drawn


def test_the_talk_footer_is_the_theme_s_own(shown) -> None:  # type: ignore[no-untyped-def]
    _, _, _, talk = shown
    assert talk["background"] == "rgb(231, 245, 242)"
    assert talk["lines"] == ["dg-talk-line", "dg-video-line"]  # title first, then the video
    assert talk["track"] == "· Operations"
