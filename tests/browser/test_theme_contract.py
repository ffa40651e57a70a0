"""The themes' contract, in Chromium: every documented variable changes what is drawn under both
built-in themes; reveal.js's progress bar shows on every slide; its arrows never cross the footer.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from deckbrowser import DeckPage
from helpers import documented_theme_variables, write_deck

import deckgen

pytestmark = pytest.mark.browser

THEMES = ("default", "kubecon")
FONT_VARIABLES = ("--dg-font", "--dg-heading-font", "--dg-mono", "--dg-emoji")
PROBE_CONTROLS_WIDTH = 150

# Every computed value that can show a variable: of each element of the slide shown (and its
# ::before), of reveal.js's arrows, progress bar and slide number, and of the page behind them.
_DRAWN_VALUES_JS = """
() => {
  const properties = ['color', 'background-color', 'background-image', 'border-top-color', 'border-left-color',
                      'border-bottom-color', 'border-image-source', 'font-family'];
  const section = Reveal.getCurrentSlide();
  const chrome = Array.from(document.querySelectorAll('.reveal .controls, .reveal .progress, .reveal .slide-number'));
  const values = new Set();
  const add = style => properties.forEach(name => values.add(style.getPropertyValue(name)));
  for (const el of [document.documentElement, document.body, ...chrome, ...section.querySelectorAll('*')]) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0 && !chrome.includes(el)) continue;
    add(getComputedStyle(el));
    add(getComputedStyle(el, '::before'));
  }
  return Array.from(values);
}
"""


_FOOTER_RIGHT_JS = "() => Array.from(Reveal.getCurrentSlide().querySelectorAll('.dg-footer'), f => f.getBoundingClientRect().right)"


def probe_value(name: str, index: int) -> tuple[str, str]:
    """A value no theme uses for variable `name`, and the text of it that a computed style shows."""
    colour = f"rgb(7, {100 + index}, 201)"
    if name in FONT_VARIABLES:
        family = f"Probe Font {index}"
        # The other fonts keep their fallbacks to --dg-emoji, so setting it still shows.
        fallback = "" if name == "--dg-emoji" else ", var(--dg-emoji)"
        return f'"{family}"{fallback}, sans-serif', family
    if name == "--dg-controls-width":
        return f"{PROBE_CONTROLS_WIDTH}px", ""
    if name.endswith("-bg") or name == "--dg-band":
        return f"linear-gradient(90deg, {colour} 0%, rgb(8, 8, 8) 100%)", colour  # gradients are values too
    return colour, colour


@pytest.fixture(scope="module", params=THEMES)
def probed(request, browser, feature_deck: Path, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The feature deck with a user theme that sets every documented variable, over one built-in theme."""
    parent = request.param
    deck = tmp_path_factory.mktemp(f"probe-{parent}") / "deck"
    shutil.copytree(feature_deck, deck)
    settings = (deck / "deck.yaml").read_text(encoding="utf-8").replace("theme: default", "theme: probe")
    (deck / "deck.yaml").write_text(settings, encoding="utf-8")
    # Tokens the feature deck's code has none of: a decorator, a diff's inserted and deleted lines.
    code = "## Code\n\n```python\n@cache\ndef f():\n    pass\n```\n\n```diff\n+ added\n- removed\n```\n"
    (deck / "slides" / "16-code.md").write_text(code, encoding="utf-8")
    values = {name: probe_value(name, index) for index, name in enumerate(documented_theme_variables())}
    (deck / "probe").mkdir()
    (deck / "probe" / "theme.yaml").write_text(f"extends: {parent}\n", encoding="utf-8")
    css = ":root {\n" + "".join(f"  {name}: {value};\n" for name, (value, _) in values.items()) + "}\n"
    (deck / "probe" / "theme.css").write_text(css, encoding="utf-8")
    result = deckgen.build(deck, deck.parent / "out")
    page = DeckPage.open(browser, result.index)
    drawn: dict[str, set[str]] = {}
    footer_right: list[float] = []
    for h, v in page.slide_indices():
        page.show(h, v)
        kind = page.evaluate("() => Reveal.getCurrentSlide().dataset.dg")
        drawn.setdefault(kind, set()).update(page.evaluate(_DRAWN_VALUES_JS))
        footer_right += page.evaluate(_FOOTER_RIGHT_JS)
    page.close()
    return parent, values, drawn, footer_right


def test_every_documented_variable_changes_what_is_drawn(probed) -> None:  # type: ignore[no-untyped-def]
    parent, values, drawn, _ = probed
    everything = set().union(*drawn.values())
    shown = {name: any(token in value for value in everything) for name, (_, token) in values.items() if token}
    assert [name for name, seen in shown.items() if not seen] == [], f"variables that change nothing under {parent}"
    assert len(shown) == len(values) - 1 > 20


def test_the_controls_width_variable_moves_the_footer_clear(probed) -> None:  # type: ignore[no-untyped-def]
    _, _, _, footer_right = probed
    assert footer_right and all(right == pytest.approx(1280 - PROBE_CONTROLS_WIDTH, abs=1) for right in footer_right)


def test_each_slide_kind_takes_its_own_colours(probed) -> None:  # type: ignore[no-untyped-def]
    """Title, divider and footer colours show where they belong, the arrows' colour on each kind of slide."""
    _, values, drawn, _ = probed

    def token(name: str) -> str:
        return values[name][1]

    assert any(token("--dg-title-bg") in value for value in drawn["title"] | drawn["closing"])
    assert any(token("--dg-divider-bg") in value for value in drawn["divider"])
    assert any(token("--dg-footer-bg") in value for value in drawn["talk"])
    assert not any(token("--dg-divider-bg") in value for value in drawn["talk"])
    assert token("--dg-controls") in drawn["talk"] and token("--dg-controls") not in drawn["divider"]


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


_PROGRESS_JS = """
() => {
  const bar = document.querySelector('.reveal .progress');
  const box = bar.getBoundingClientRect();
  const colour = getComputedStyle(bar.querySelector('span')).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number);
  return {top: box.top, bottom: box.bottom, colour, shown: getComputedStyle(bar).display !== 'none'};
}
"""


@pytest.mark.parametrize("theme", THEMES)
def test_the_progress_bar_contrasts_with_every_kind_of_slide(theme: str, browser, tours) -> None:  # type: ignore[no-untyped-def]
    """The bar's filled colour against the slide under it (the bar hidden), across the whole width."""
    from PIL import Image

    tour = tours("feature", theme)
    page = DeckPage.open(browser, tour.result.index)
    seen: dict[str, float] = {}
    try:
        for visit in tour.visits:
            if visit.kind in seen:
                continue
            page.show(visit.h, visit.v)
            bar = page.evaluate(_PROGRESS_JS)
            assert bar["shown"], "reveal.js's progress bar is not shown"
            page.page.add_style_tag(content=".reveal .progress { visibility: hidden !important; }")
            under = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
            page.evaluate("() => document.head.lastElementChild.remove()")
            rows = range(int(bar["top"]), min(int(bar["bottom"]), under.height))
            worst = min(contrast(tuple(bar["colour"]), under.getpixel((x, y))) for x in range(0, under.width, 4) for y in rows)
            seen[visit.kind] = round(worst, 2)
    finally:
        page.close()
    assert set(seen) == {"title", "plain", "divider", "talk", "links", "closing"}
    assert {kind: ratio for kind, ratio in seen.items() if ratio < 3} == {}, seen


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(
    ("band", "left", "right"),
    [
        ("rgb(0, 200, 0)", (0, 200, 0), (0, 200, 0)),  # a colour is no border image: it is the border's colour
        ("linear-gradient(90deg, #ff0000, #0000ff)", (255, 0, 0), (0, 0, 255)),
        ("none", (255, 255, 255), (255, 255, 255)),
        ("transparent", (255, 255, 255), (255, 255, 255)),
    ],
    ids=["colour", "gradient", "none", "transparent"],
)
def test_the_band_takes_a_colour_or_a_gradient(theme: str, band: str, left, right, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """What README says of --dg-band: a colour or a gradient, `none` and `transparent` draw nothing."""
    from PIL import Image

    deck = write_deck(tmp_path / "deck", "title: Band\ntheme: ours\n", {"slides/1.md": "## A plain slide\n"})
    (deck / "ours").mkdir()
    (deck / "ours" / "theme.yaml").write_text(f"extends: {theme}\n", encoding="utf-8")
    (deck / "ours" / "theme.css").write_text(f":root {{ --dg-band: {band}; }}\n", encoding="utf-8")
    page = DeckPage.open(browser, deckgen.build(deck, tmp_path / "out").index)
    try:
        page.show(1, 0)
        shown = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    finally:
        page.close()
    edges = (shown.getpixel((2, 7)), shown.getpixel((1277, 7)))
    pairs = zip(edges, (left, right), strict=True)
    assert all(abs(got - want) <= 8 for edge, colour in pairs for got, want in zip(edge, colour, strict=True)), edges
    assert shown.getpixel((640, 20)) == (255, 255, 255), "the band is 14 px high"
