"""Files named in raw HTML are copied and their paths rewritten, as Markdown's own are."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import page_as_shown, talk, write_deck

import deckgen
from deckgen.rawhtml import find_html_paths, rewrite_html_paths

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

BODY = """# Sized, as only raw HTML can

<div class="columns-2">
<img src="img/chart.png" width="50%" alt="Talks &amp; tracks">
<img src="https://example.com/remote.png" alt="remote">
</div>

Inline <img src='img/small.png' height=20> and a <a href="docs/guide.pdf">guide</a>.

<video controls poster="img/poster.png"><source src="clip.mp4" type="video/mp4"></video>

<picture><source srcset="img/chart.png 1x, img/big.png 2x"><img src="img/small.png" alt="responsive"></picture>
"""


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {
        "slides/01-talk.md": talk("Raw", body=BODY),
        "slides/img/chart.png": PNG,
        "slides/img/small.png": PNG,
        "slides/img/poster.png": PNG,
        "slides/img/big.png": PNG,
        "slides/docs/guide.pdf": b"%PDF-1.4\n",
        "slides/clip.mp4": b"\x00\x00\x00\x18ftypmp42",
    }
    return write_deck(tmp_path / "deck", "title: Raw HTML\n", files)


def test_files_named_in_raw_html_are_copied_and_pointed_at(deck: Path, tmp_path: Path) -> None:
    result = deckgen.build(deck, tmp_path / "out")
    out = tmp_path / "out"
    page = page_as_shown((out / "index.html").read_text(encoding="utf-8"))
    assert '<img src="media/slides/img/chart.png" width="50%" alt="Talks &amp; tracks">' in page
    assert '<img src="https://example.com/remote.png" alt="remote">' in page  # a URL is left as written
    assert "<img src=\"media/slides/img/small.png\" height=\"20\">" in page
    assert '<a href="media/slides/docs/guide.pdf">guide</a>' in page
    assert '<video controls poster="media/slides/img/poster.png"><source src="media/slides/clip.mp4" type="video/mp4"></video>' in page
    assert '<source srcset="media/slides/img/chart.png 1x, media/slides/img/big.png 2x">' in page
    for name in ("img/chart.png", "img/small.png", "img/poster.png", "img/big.png", "docs/guide.pdf", "clip.mp4"):
        assert (out / "media" / "slides" / name).read_bytes() == (deck / "slides" / name).read_bytes()
    assert result.warnings == ()


def test_raw_html_without_local_paths_is_passed_through_as_written() -> None:
    source = '<DIV Class="x"><!-- a comment with src="no.png" -->\n<img src="https://a.example/b.png"/>\n<br>text &amp; more</DIV>'
    assert rewrite_html_paths(source, lambda tag, attribute, value: "never") == source


def test_srcset_candidates_are_found_at_their_places_and_rewritten_each() -> None:
    source = '<img alt="a.png"\n     srcset="a.png 1x, https://cdn.example/b.png 2x, c%20d.png 3x">'
    found = [(p.value, p.line, p.column, p.attribute) for p in find_html_paths(source)]
    assert found == [("a.png", 2, 13, "srcset"), ("c%20d.png", 2, 53, "srcset")]
    rewritten = rewrite_html_paths(source, lambda tag, attribute, value: f"media/{value}")
    assert rewritten == '<img alt="a.png" srcset="media/a.png 1x, https://cdn.example/b.png 2x, media/c%20d.png 3x">'


def test_only_tags_naming_a_local_file_are_written_again() -> None:
    source = '<p class="a"  id=b>\n  <IMG SRC = "x y.png" ALT=\'it\' hidden />\n</p>'
    rewritten = rewrite_html_paths(source, lambda tag, attribute, value: f"media/{value}")
    assert rewritten == '<p class="a"  id=b>\n  <img src="media/x y.png" alt="it" hidden />\n</p>'
    assert [(p.value, p.line, p.column, p.tag, p.attribute) for p in find_html_paths(source)] == [("x y.png", 2, 14, "img", "src")]


def test_a_value_is_escaped_when_its_tag_is_written_again() -> None:
    rewritten = rewrite_html_paths('<img src="a.png" alt="&quot;quoted&quot; &lt;b&gt;">', lambda tag, attribute, value: "media/a.png")
    assert rewritten == '<img src="media/a.png" alt="&quot;quoted&quot; &lt;b&gt;">'


def test_a_one_file_deck_carries_raw_html_images_and_warns_about_local_links(deck: Path, tmp_path: Path) -> None:
    result = deckgen.build(deck, tmp_path / "one", self_contained=True)
    page = (tmp_path / "one" / "index.html").read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in page and 'poster="data:image/png;base64,' in page
    assert "media/slides/img" not in page
    messages = [str(p) for p in result.warnings]
    assert messages == [
        "slides/01-talk.md:8:1: warning: <img src='https://example.com/remote.png'> is loaded from the network [deckgen.not-offline]",
        "slides/01-talk.md:11:50: warning: <a href='docs/guide.pdf'> links to a local file:"
        " a one-file deck does not carry it [deckgen.not-offline]",
    ]
    assert '<source src="data:video/mp4;base64,' in page
    assert '<source srcset="data:image/png;base64,' in page and ", data:image/png;base64," in page
