"""A deck in another language, as Chromium shows it: every accessible label on the page, reveal.js's
arrows too (reveal.js writes them in English when it starts), is in the deck's language."""

from __future__ import annotations

import re

import pytest
from deckbrowser import DeckPage
from helpers import talk, write_deck

import deckgen
from deckgen.catalogue import words_for

pytestmark = pytest.mark.browser

ARROWS = {
    "navigate-left": "previous slide",
    "navigate-right": "next slide",
    "navigate-up": "above slide",
    "navigate-down": "below slide",
}
"""reveal.js's arrows, by class, and deckgen's message for each."""

# Every accessible label and title on the page once reveal.js has started, by element.
_LABELS_JS = """
() => Array.from(document.querySelectorAll('[aria-label], [title], [alt]'), el => ({
  classes: el.getAttribute('class') || '',
  label: el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('alt'),
}))
"""


def _deck(root, lang: str):  # type: ignore[no-untyped-def]
    yaml = f"title: Resum de la trobada\nlang: {lang}\nurl: https://recap.example.org/\ntracks: [plataforma]\n"
    # A vertical slide under the first, so the up and down arrows are live too.
    body = "## Primera\n\nText.\n\n--\n\n## A sota\n\nMés text.\n"
    files: dict[str, str | bytes] = {"slides/1.md": talk("Xerrada", "plataforma", "https://video.example.com/x", body=body)}
    return write_deck(root, yaml, files)


@pytest.mark.parametrize("lang", ["ca", "es", "ja", "pl"])
def test_the_arrows_speak_the_deck_s_language(browser, tmp_path, lang: str) -> None:  # type: ignore[no-untyped-def]
    result = deckgen.build(_deck(tmp_path / "deck", lang), tmp_path / "out")
    page = DeckPage.open(browser, result.index)
    try:
        labels = page.evaluate(_LABELS_JS)
    finally:
        page.close()
    words = words_for(lang)
    arrows = {name: [x["label"] for x in labels if name in x["classes"].split()] for name in ARROWS}
    assert arrows == {name: [words.gettext(message)] for name, message in ARROWS.items()}
    # English words of the arrows' and the codes' labels ("QR" is the code's name in every language).
    english = {"previous", "next", "above", "below", "slide", "code", "video", "of", "this", "deck"}
    found = {word for x in labels for word in re.findall(r"[a-z]+", re.sub(r"https://\S+", " ", x["label"]).lower())}
    assert found & english == set()


def test_an_english_deck_keeps_reveal_js_s_own_labels(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = deckgen.build(_deck(tmp_path / "deck", "en"), tmp_path / "out")
    page = DeckPage.open(browser, result.index)
    try:
        labels = page.evaluate(_LABELS_JS)
    finally:
        page.close()
    assert {x["label"] for x in labels if "navigate-left" in x["classes"]} == {"previous slide"}
