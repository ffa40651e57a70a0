"""Markdown bodies → slides → HTML, as fixture files of input/expected pairs."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from deckgen.markdown import render_markdown
from deckgen.refs import find_local_refs
from deckgen.slides import split_slides

FIXTURES = Path(__file__).parent / "fixtures"


def describe_slides(body: str) -> str:
    """The split and rendered slides of `body` in the fixture file's notation."""
    out: list[str] = []
    for h, stack in enumerate(split_slides(body, 1, "slides/x.md", html=True), start=1):
        for v, slide in enumerate(stack.slides, start=1):
            out.append(f"[{h}.{v} line {slide.pos.line}]\n")
            out.append(render_markdown(slide.markdown, "slides/x.md", html=True))
            if slide.notes:
                out.append("notes:\n" + render_markdown(slide.notes, "slides/x.md", html=True))
    return "".join(out)


@pytest.mark.parametrize(
    "line,title,text,expected", read_fixture_file(FIXTURES / "slides.txt"), ids=[f[1] for f in read_fixture_file(FIXTURES / "slides.txt")]
)
def test_slide_fixtures(line: int, title: str, text: str, expected: str) -> None:
    assert describe_slides(text) == expected


def test_html_false_escapes_raw_html() -> None:
    html = render_markdown("<script>alert(1)</script>\n\n<b>x</b>", "slides/x.md", html=False)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html


def test_local_refs_carry_file_line_and_column() -> None:
    body = "# Title\n\nsee ![a](pics/a.png)\n\n[doc](../docs/d.pdf) and [x](https://example.com)"
    refs = find_local_refs(body, 10, "slides/t.md", html=True)
    assert [(r.target, r.pos.line, r.pos.column) for r in refs] == [("pics/a.png", 12, 10), ("../docs/d.pdf", 14, 7)]


def test_slide_positions_count_front_matter_lines() -> None:
    stacks = split_slides("\n# A\n---\n# B", 5, "slides/t.md", html=True)
    assert [s.slides[0].pos.line for s in stacks] == [6, 8]


def test_local_paths_in_raw_html_whatever_the_case() -> None:
    refs = find_local_refs('<IMG SRC="pics/a.png">\n\n<p class="caption">no path</p>', 3, "slides/t.md", html=True)
    assert [(r.target, r.pos.line, r.pos.column, r.in_raw_html) for r in refs] == [("pics/a.png", 3, 11, True)]


def test_files_named_in_speaker_notes_are_refs_of_their_slide() -> None:
    body = "# A\n\nNote: look at ![x](a.png)\nthen ![y](b.png)\n---\n# B\n\nNotes:\n\n![z](c.png)"
    stacks = split_slides(body, 4, "slides/t.md", html=True)
    first, second = stacks[0].slides[0], stacks[1].slides[0]
    assert [(r.target, r.pos.line, r.pos.column) for r in first.refs] == [("a.png", 6, 20), ("b.png", 7, 11)]
    assert [(r.target, r.pos.line, r.pos.column) for r in second.refs] == [("c.png", 13, 6)]
    assert first.notes == "look at ![x](a.png)\nthen ![y](b.png)" and second.notes == "![z](c.png)"
