"""Links pages in Chromium: codes grow to fill the page, rows balance, titles keep one type size and
bare URLs break between their parts, in both built-in themes."""

from __future__ import annotations

import pytest
from deckbrowser import DeckPage
from helpers import talk, write_deck

import deckgen

pytestmark = pytest.mark.browser

LONG_TITLE = "A Very Long Title About Running Thousands of Clusters Across Many Clouds, Regions and Teams Without Losing Sleep"
BARE_URL = "https://docs.example.org/kubernetes/concepts/workloads/controllers/statefulsets-and-persistent-volume-claims"
SIZES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8}
"""Tracks of the small deck and how many links each has: a links page each."""

_PAGE_JS = """
() => {
  const slide = Reveal.getCurrentSlide();
  const cards = Array.from(slide.querySelectorAll('.dg-link-card'));
  const titles = Array.from(slide.querySelectorAll('.dg-link-title a'), title => {
    const style = getComputedStyle(title);
    const lines = Math.round(title.getBoundingClientRect().height / parseFloat(style.lineHeight));
    // Where the text goes to a new line: the characters either side of each break.
    const breaks = [];
    const walker = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
    let previous = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (previous && rect.top > previous.top + 2) breaks.push(previous.char + node.data[i]);
        previous = {top: rect.top, char: node.data[i]};
      }
    }
    return {text: title.textContent, title: title.getAttribute('title'), fontSize: style.fontSize, lines,
            clipped: title.scrollHeight > title.clientHeight + 1, breaks};
  });
  return {title: slide.querySelector('.dg-links-title').textContent,
          rows: Object.values(cards.reduce((rows, card) => {
            const top = Math.round(card.getBoundingClientRect().top);
            rows[top] = (rows[top] || 0) + 1;
            return rows;
          }, {})),
          titles};
}
"""


@pytest.fixture(scope="module", params=("default", "kubecon"))
def links_pages(request, browser, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A small deck whose tracks have 1, 2, 3, 4, 5, 7 and 8 links: what each links page shows."""
    root = tmp_path_factory.mktemp(f"links-{request.param}") / "deck"
    files: dict[str, str | bytes] = {}
    for number, (track, count) in enumerate(SIZES.items()):
        links = [f"https://{track}.example.org/link/{index}" for index in range(1, count)]
        if track == "eight":
            links[2] = BARE_URL
        titles = "".join(f"\n  - {{title: 'Link {index} of {track}', url: '{url}'}}" for index, url in enumerate(links, 1))
        if track == "eight":
            titles = titles.replace("Link 3 of eight', url", "', url")  # the bare URL has no title
        title = LONG_TITLE if track in ("three", "eight") else f"The {track} talk"
        files[f"slides/{number}.md"] = talk(title, track, f"https://video.example.org/{track}", links=titles or "[]")
    deck = write_deck(root, f"title: Links\ntheme: {request.param}\ntracks: [{', '.join(SIZES)}]\n", files)
    result = deckgen.build(deck, root.parent / "out")
    page = DeckPage.open(browser, result.index)
    seen = []
    for h, v in page.slide_indices():
        visit = page.visit(h, v)
        if visit.kind == "links":
            seen.append((visit, page.evaluate(_PAGE_JS)))
    page.close()
    return seen


def test_every_track_has_its_page_and_every_code_scans(links_pages) -> None:  # type: ignore[no-untyped-def]
    counts = {measured["title"].split("·")[-1].strip(): len(visit.codes) for visit, measured in links_pages}
    assert counts == SIZES
    assert all(sorted(code.text for code in visit.codes) == sorted(visit.qr_links) for visit, _ in links_pages)
    assert [problem for visit, _ in links_pages for problem in visit.problems] == []


def test_codes_grow_to_fill_the_page(links_pages) -> None:  # type: ignore[no-untyped-def]
    widths = {len(visit.codes): round(min(code.width for code in visit.codes)) for visit, _ in links_pages}
    assert {count: width for count, width in widths.items() if count <= 4 and width < 240} == {}, widths
    assert {count: width for count, width in widths.items() if width < 150} == {}, widths


def test_no_lone_card_on_a_row_when_the_cards_could_balance(links_pages) -> None:  # type: ignore[no-untyped-def]
    rows = {len(visit.codes): sorted(measured["rows"], reverse=True) for visit, measured in links_pages}
    assert rows == {1: [1], 2: [2], 3: [3], 4: [2, 2], 5: [3, 2], 7: [4, 3], 8: [4, 4]}


def test_titles_keep_one_type_size_and_three_lines_with_the_whole_title_in_reach(links_pages) -> None:  # type: ignore[no-untyped-def]
    clipped = []
    for _, measured in links_pages:
        titles = measured["titles"]
        assert len({title["fontSize"] for title in titles}) == 1, measured["title"]
        assert all(title["lines"] <= 3 for title in titles), [(t["text"], t["lines"]) for t in titles]
        assert all(title["title"] == title["text"] for title in titles)
        clipped += [title["text"] for title in titles if title["clipped"]]
    assert LONG_TITLE in clipped  # too long for three lines: cut with an ellipsis, whole in `title`


def test_a_bare_url_breaks_between_its_parts(links_pages) -> None:  # type: ignore[no-untyped-def]
    [bare] = [title for _, measured in links_pages for title in measured["titles"] if title["text"] == BARE_URL]
    assert bare["breaks"], "the URL fits on one line: the test proves nothing"
    assert all(before == "/" or after in ".?&#-" or before == "-" for before, after in bare["breaks"]), bare["breaks"]
