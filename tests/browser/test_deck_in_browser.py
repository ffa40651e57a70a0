"""The built decks in real Chromium: reveal.js starts, nothing is fetched, every slide fits, every QR code scans.

Each test runs over the example deck and the feature deck, each built with both built-in themes;
a deck is toured once (see `conftest.tour`) and the tests read what the tour saw.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.browser

MIN_QR_PX = 150
"""A code (quiet zone excluded) at least this wide at 1280×720 scans from the back of a room."""


def test_reveal_is_ready_with_every_slide(tour):
    assert tour.total_slides == tour.result.slide_count
    assert len(tour.visits) == tour.result.slide_count


def test_no_console_errors(tour):
    assert list(tour.console_errors) == []


def test_no_network(tour):
    assert tour.requests, "no request was seen at all: the page did not load"
    assert [url for url in tour.requests if not url.startswith("file:")] == []
    assert list(tour.blocked) == []


def test_qr_codes_scan_to_every_link_of_the_deck(tour):
    decoded = {code.text for visit in tour.visits for code in visit.codes}
    assert tour.link_urls, "the deck has no links: the test would prove nothing"
    assert sorted(decoded) == sorted(tour.link_urls)


def test_every_qr_code_on_a_slide_scans(tour):
    unread = [
        (visit.where, sorted(visit.qr_links), sorted(code.text for code in visit.codes))
        for visit in tour.visits
        if sorted(visit.qr_links) != sorted(code.text for code in visit.codes)
    ]
    assert unread == []


def test_every_talk_slide_shows_its_footer_and_the_code_of_its_video(tour):
    talks = {talk.pos.path: talk for talk in tour.deck.talks}
    talk_visits = [visit for visit in tour.visits if visit.kind == "talk"]
    assert len({visit.talk for visit in talk_visits}) == len(talks) and any(
        [v.talk for v in talk_visits].count(path) > 1 for path in talks
    ), "no talk has several slides: the copies of a talk's footer and code are not tested"
    wrong = [
        (visit.where, visit.qr_links, [code.text for code in visit.codes], visit.footer[:60])
        for visit in talk_visits
        if visit.qr_links != ((talks[visit.talk].video,) if talks[visit.talk].video else ())
        or [code.text for code in visit.codes] != ([talks[visit.talk].video] if talks[visit.talk].video else [])
        or talks[visit.talk].title not in visit.footer
    ]
    assert wrong == []


def test_qr_codes_are_large_enough(tour):
    small = [(visit.where, code.text, round(code.width)) for visit in tour.visits for code in visit.codes if code.width < MIN_QR_PX]
    assert small == []


def test_no_slide_overflows_its_frame(tour):
    problems = [f"{visit.where}: {problem}" for visit in tour.visits for problem in visit.problems]
    assert problems == []


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def words_of_markdown(markdown: str) -> list[str]:
    """The words a reader sees of some Markdown (rendered by markdown-it, tags dropped)."""
    from markdown_it import MarkdownIt

    text = _Text()
    text.feed(MarkdownIt("commonmark").render(markdown))
    return re.findall(r"\w+", " ".join(text.parts))


def authored_notes(deck) -> dict[str, str]:
    """Speaker notes of the deck's files by slide source (`path:line`)."""
    return {
        f"{slide.pos.path}:{slide.pos.line}": slide.notes
        for part in deck.parts
        for stack in part.stacks
        for slide in stack.slides
        if slide.notes.strip()
    }


def test_speaker_notes_are_in_the_speaker_view_only(tour):
    expected = {source: words_of_markdown(notes) for source, notes in authored_notes(tour.deck).items()}
    shown = {visit.source: [re.findall(r"\w+", notes.text) for notes in visit.notes] for visit in tour.visits if visit.notes}
    assert shown == {source: [words] for source, words in expected.items()}
    visible = [visit.where for visit in tour.visits for notes in visit.notes if not notes.hidden]
    assert visible == []


def test_feature_deck_shows_every_feature(feature_tour):
    tour = feature_tour
    kinds = {visit.kind for visit in tour.visits}
    assert kinds == {"title", "divider", "talk", "plain", "links", "closing"}
    elements = set().union(*(visit.elements for visit in tour.visits))
    assert {"pre", "code", "table", "img", "blockquote", "ul", "ol", "s", "strong", "em", "span"} <= elements
    assert any(visit.v > 0 for visit in tour.visits), "no vertical slide"
    assert any(visit.notes for visit in tour.visits), "no speaker notes"
    assert tour.deck.url and tour.deck.links and any(track.description for track in tour.deck.tracks)


def _luminance(css_colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"[\d.]+", css_colour)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two computed CSS colours."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_code_is_highlighted_in_readable_colours(feature_tour):
    tokens = [(visit.where, token) for visit in feature_tour.visits for token in visit.tokens]
    colours = {token.colour for _, token in tokens}
    assert len(colours) >= 3, f"code shows {len(colours)} token colours: {sorted(colours)}"
    unreadable = [
        (where, token.text, token.colour, token.background, round(contrast(token.colour, token.background), 2))
        for where, token in tokens
        if contrast(token.colour, token.background) < 4.5
    ]
    assert unreadable == []
    marked = {token.background for _, token in tokens} - {tokens[0][1].background}
    assert marked, "no token on a marked line: the marked line's background is not tested"


def test_no_serious_or_critical_accessibility_violation_on_any_slide(tour):
    """axe-core (npm, a development dependency) on every slide of each deck in each theme."""
    assert all(visit.accessibility is not None for visit in tour.visits)
    found = [
        (visit.where, violation.rule, violation.impact, violation.where)
        for visit in tour.visits
        for violation in visit.accessibility or ()
        if violation.impact in ("serious", "critical")
    ]
    assert found == []
