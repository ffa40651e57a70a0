"""Building decks: what the compiler adds around the authored slides, and the example deck."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import PageInspector, talk, write_deck

import deckgen
from deckgen.linklist import collect_links, group_links, page_links
from deckgen.output import MARKER

DECK_YAML = """\
title: Recap
url: https://example.com/recap
tracks:
  - name: ops
    title: Operations
    description: Running things
  - dev
links:
  - https://example.com/extra
  - {title: Same as a video, url: "https://example.com/v1"}
"""


@pytest.fixture()
def small_deck(tmp_path: Path) -> Path:
    return write_deck(
        tmp_path / "deck",
        DECK_YAML,
        {
            "slides/01-intro.md": "# Welcome\n",
            "slides/02-a.md": talk("A", "ops", "https://example.com/v1", links="[https://example.com/a-link]"),
            "slides/03-break.md": "# Coffee\n",
            "slides/04-b.md": talk("B", "ops", "https://example.com/v2", body="# B1\n--\n# B2\n---\n# B3\n"),
            "slides/05-c.md": talk("C", "dev", "https://example.com/v3"),
            "slides/06-d.md": talk("D", "ops", "https://example.com/v4"),
        },
    )


def test_dividers_come_before_the_first_talk_and_on_each_track_change(small_deck: Path, tmp_path: Path) -> None:
    result = deckgen.build(small_deck, tmp_path / "out")
    page = PageInspector(result.index.read_text())
    # plain file 03 between two ops talks does not count as a change; dev → ops again does.
    assert page.divider_tracks() == ["ops", "dev", "ops"]
    assert page.kinds()[:4] == ["title", "plain", "divider", "talk"]
    assert page.kinds()[-1] == "closing"
    assert any(w.code == "split-track" for w in result.warnings)


def test_every_talk_slide_has_footer_and_qr_of_its_video(small_deck: Path, tmp_path: Path) -> None:
    result = deckgen.build(small_deck, tmp_path / "out")
    page = PageInspector(result.index.read_text())
    talk_slides = [s for s in page.sections if s["data-dg"] == "talk"]
    assert len(talk_slides) == 6  # A, B1, B2, B3, C, D
    # The talk's QR code and footer are in the page once, as text on its first slide, plus its
    # links card; each of its slides gets a copy in the browser (the browser tests see them on every slide).
    assert page.qr_links.count("https://example.com/v2") == 1 + 1
    html = result.index.read_text()
    assert html.count("data-dg-chrome-copy") == 6 and html.count('class="dg-talk-chrome"') == 4
    assert result.slide_count == len(page.sections)
    assert result.talk_count == 4


def test_links_are_grouped_by_track_and_deduplicated(small_deck: Path) -> None:
    deck = deckgen.load_deck(small_deck)
    entries = collect_links(deck)
    urls = [e.url for e in entries]
    assert len(urls) == len(set(urls))
    assert "https://example.com/v1" in urls and "https://example.com/a-link" in urls
    groups = group_links(deck, entries)
    assert [g.title for g in groups] == ["Operations", "dev", "More links"]
    assert [e.url for e in groups[-1].entries] == ["https://example.com/extra"]
    pages = page_links(groups, per_page=2)
    assert [(p.title, p.number, p.of, len(p.entries)) for p in pages] == [
        ("Operations", 1, 2, 2),
        ("Operations", 2, 2, 2),
        ("dev", 1, 1, 1),
        ("More links", 1, 1, 1),
    ]


def test_title_and_closing_slides_carry_the_deck_url(small_deck: Path, tmp_path: Path) -> None:
    result = deckgen.build(small_deck, tmp_path / "out")
    page = PageInspector(result.index.read_text())
    assert page.qr_links[0] == "https://example.com/recap"
    assert page.qr_links[-1] == "https://example.com/recap"
    # codes shown: the page's, with each talk's (as text on its first slide) once per slide of the talk (data-dg-chrome-copy)
    html = result.index.read_text()
    assert result.qr_count == len(page.qr_links) - html.count('class="dg-talk-chrome"') + html.count("data-dg-chrome-copy")


def test_front_matter_values_are_escaped(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path / "deck",
        'title: "<b>Deck</b> & co"\n',
        {"slides/1.md": talk('<script>alert("x")</script>', video='"https://example.com/?a=1&b=<2>"', speakers="\"O'Brien & <i>Co</i>\"")},
    )
    html = deckgen.build(deck, tmp_path / "out").index.read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<b>Deck</b>" not in html and "&lt;b&gt;Deck&lt;/b&gt; &amp; co" in html
    assert "O&#39;Brien &amp; &lt;i&gt;Co&lt;/i&gt;" in html
    assert 'href="https://example.com/?a=1&amp;b=&lt;2&gt;"' in html


def test_talk_without_slides_gets_a_title_card(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": talk("Only a video", "x", "https://example.com/v", body="")})
    result = deckgen.build(deck, tmp_path / "out")
    assert "Only a video" in PageInspector(result.index.read_text()).texts
    assert result.slide_count == 5  # title, divider, title card, links page, closing


def test_explicit_slides_order_in_deck_yaml(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path / "deck",
        "title: T\nslides: [b.md, parts]\n",
        {"slides/a.md": "# A\n", "slides/b.md": "# B\n", "slides/parts/10.md": "# P10\n", "slides/parts/9.md": "# P9\n"},
    )
    loaded = deckgen.load_deck(deck)
    assert [p.pos.path for p in loaded.parts] == ["slides/b.md", "slides/parts/9.md", "slides/parts/10.md"]


def test_images_are_copied_and_output_is_deterministic(tmp_path: Path) -> None:
    png = bytes.fromhex("89504e470d0a1a0a")
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "![pic](img/p.png)\n", "slides/img/p.png": png})
    first = deckgen.build(deck, tmp_path / "out1")
    second = deckgen.build(deck, tmp_path / "out2")
    assert (first.out / "media/slides/img/p.png").read_bytes() == png
    assert 'src="media/slides/img/p.png"' in first.index.read_text()
    # The deck's files are the same bytes; the build record (.deckgen-output) is about the build, not the deck.
    files1 = sorted(p.relative_to(first.out) for p in first.out.rglob("*") if p.is_file() and p.name != MARKER)
    files2 = sorted(p.relative_to(second.out) for p in second.out.rglob("*") if p.is_file() and p.name != MARKER)
    assert files1 == files2 and Path("index.html") in files1
    assert all((first.out / f).read_bytes() == (second.out / f).read_bytes() for f in files1)


def test_images_in_speaker_notes_are_copied_for_the_speaker_view(tmp_path: Path) -> None:
    png = bytes.fromhex("89504e470d0a1a0a")
    body = "# Slide\n\nNote: the room plan ![plan](img/plan.png)\n"
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": body, "slides/img/plan.png": png})
    result = deckgen.build(deck, tmp_path / "out")
    assert (result.out / "media/slides/img/plan.png").read_bytes() == png
    assert '<aside class="notes"><p>the room plan <img src="media/slides/img/plan.png" alt="plan" /></p>' in result.index.read_text()


def test_built_deck_carries_reveal_and_loads_nothing_remote(built_example) -> None:
    page = PageInspector(built_example.index.read_text())
    for asset in page.scripts + page.stylesheets:
        assert not asset.startswith(("http:", "https:", "//")), asset
        assert (built_example.out / asset).is_file(), asset
    assert "_deckgen/reveal/plugin/notes.js" in page.scripts
    # Code is highlighted at build time: no highlighting script or stylesheet ships.
    assert [asset for asset in page.scripts + page.stylesheets if "highlight" in asset] == []
    assert [path for path in built_example.out.rglob("*") if "highlight" in path.name] == []
    # axe-core is a development dependency for the browser tests: never in a deck.
    assert [path for path in built_example.out.rglob("*") if "axe" in path.name.lower()] == []
    assert "axe.run" not in built_example.index.read_text() and "axe-core" not in built_example.index.read_text()
    for css in built_example.out.rglob("*.css"):
        text = css.read_text()
        assert "@import" not in text and "googleapis" not in text, css


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:]) or {}


def test_example_deck_end_to_end(example_deck: Path, built_example) -> None:
    talk_files = [p for p in sorted(example_deck.rglob("*.md")) if {"video", "track"} & set(_front_matter(p))]
    videos = [_front_matter(p)["video"] for p in talk_files]
    assert len(talk_files) == 26 and len(set(videos)) == 26  # 25 YouTube talks and the 12-factor PDF
    assert sum("youtube.com/watch?v=" in v for v in videos) == 25

    page = PageInspector(built_example.index.read_text())
    assert built_example.talk_count == 26
    assert built_example.slide_count == len(page.sections)
    # Every talk's slides carry its video's QR code, and its links page card too.
    for path, video in zip(talk_files, videos, strict=False):
        rel = path.relative_to(example_deck).as_posix()
        slides = [s for s in page.sections if s.get("data-talk") == rel]
        assert slides, rel
        assert page.qr_links.count(video) >= 2, rel  # its first slide (the others copy it) and its card
    # Every declared track has a divider, in deck.yaml order.
    declared = [t["name"] if isinstance(t, dict) else t for t in yaml.safe_load((example_deck / "deck.yaml").read_text())["tracks"]]
    assert page.divider_tracks() == declared
    # The links pages list every link exactly once: every talk's video and links, then the deck's.
    talk_links = [link["url"] if isinstance(link, dict) else link for p in talk_files for link in _front_matter(p).get("links", [])]
    deck_links = yaml.safe_load((example_deck / "deck.yaml").read_text()).get("links", [])
    expected = list(dict.fromkeys([*videos, *talk_links, *(d["url"] if isinstance(d, dict) else d for d in deck_links)]))
    on_links_pages = [url for s, urls in zip(page.sections, page.section_qr_links, strict=True) if s["data-dg"] == "links" for url in urls]
    assert sorted(on_links_pages) == sorted(expected)
    assert len(on_links_pages) == built_example.link_count == len(expected)
    assert "Thank you!" in page.texts


def test_a_talk_without_a_track_is_shown_under_the_previous_divider_on_slides_and_links_pages(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path / "deck",
        "title: T\ntracks: [ops, dev]\n",
        {
            "slides/1.md": talk("Early", video="https://example.com/v0"),
            "slides/2.md": talk("A", "ops", "https://example.com/v1"),
            "slides/3.md": talk("No track", video="https://example.com/v2"),
            "slides/4.md": talk("B", "ops", "https://example.com/v3"),
            "slides/5.md": talk("C", "dev", "https://example.com/v4"),
        },
    )
    result = deckgen.build(deck, tmp_path / "out")
    assert [(w.path, w.code, w.message) for w in result.warnings] == [
        ("slides/1.md", "no-track", "talk has no track; it is shown before the first divider"),
        ("slides/3.md", "no-track", "talk has no track; it is shown under the previous divider"),
    ]
    page = PageInspector(result.index.read_text())
    assert page.divider_tracks() == ["ops", "dev"]  # no second ops divider after the talk without a track
    loaded = deckgen.load_deck(deck)
    groups = group_links(loaded, collect_links(loaded))
    assert [(g.title, [e.talk for e in g.entries]) for g in groups] == [
        ("Talks", ["Early"]),
        ("ops", ["A", "No track", "B"]),
        ("dev", ["C"]),
    ]


def test_a_talk_with_links_but_no_video_shows_them_and_one_with_neither_has_no_code(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path / "deck",
        "title: T\n",
        {
            "slides/1.md": talk("Links only", "x", links="[https://example.com/slides]"),
            "slides/2.md": talk("Nothing to scan", "x"),
        },
    )
    result = deckgen.build(deck, tmp_path / "out")
    page = PageInspector(result.index.read_text())
    assert page.qr_links == ["https://example.com/slides"]  # its card on the links page, and no other code
    assert result.qr_count == 1 and result.link_count == 1
    assert page.kinds() == ["title", "divider", "talk", "talk", "links", "closing"]


def test_links_pages_share_a_group_evenly() -> None:
    from deckgen.linklist import LinkGroup

    pages = page_links((LinkGroup("x", tuple(range(9))), LinkGroup("y", tuple(range(17)))), per_page=8)  # type: ignore[arg-type]
    assert [(p.title, len(p.entries)) for p in pages] == [("x", 5), ("x", 4), ("y", 6), ("y", 6), ("y", 5)]
