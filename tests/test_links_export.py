"""`deckgen links`: every link of a deck as Markdown, JSON or CSV, in deck order."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import talk, write_deck

import deckgen
from deckgen.cli import main
from deckgen.export import FIELDS, markdown_text
from deckgen.markdown import markdown_parser

TRICKY = "Cats *and* [dogs] <b>not bold</b> & &amp; _under_ `code` #1 ~~gone~~ Wow![x]"

DECK_YAML = """\
title: "Recap #3"
tracks:
  - {name: ops, title: "Operations & more"}
  - dev
links:
  - {title: "All the videos", url: "https://example.com/playlist"}
"""


@pytest.fixture()
def deck(tmp_path: Path) -> Path:
    return write_deck(
        tmp_path / "deck",
        DECK_YAML,
        {
            "slides/00-intro.md": "# Welcome\n",
            "slides/01-a.md": talk(
                "Talk A",
                "ops",
                "https://example.com/a",
                speakers='["Ann", "Bob"]',
                links='[{title: "A slides", url: "https://example.com/a-slides"}]',
            ),
            "slides/02-b.md": talk("Talk B", "dev", "https://example.com/b_(video)", speakers="Cy"),
            "slides/03-c.md": talk(TRICKY, "dev", "https://example.com/c?x=1&y=2", links="[https://example.com/a]"),
        },
    )


EXPECTED = [  # (url, title, kind, talk, speakers, track, track_name)
    ("https://example.com/a", "Talk A", "video", "Talk A", ["Ann", "Bob"], "Operations & more", "ops"),
    ("https://example.com/a-slides", "A slides", "link", "Talk A", ["Ann", "Bob"], "Operations & more", "ops"),
    ("https://example.com/b_(video)", "Talk B", "video", "Talk B", ["Cy"], "dev", "dev"),
    ("https://example.com/c?x=1&y=2", TRICKY, "video", TRICKY, [], "dev", "dev"),
    ("https://example.com/playlist", "All the videos", "deck", "", [], "", ""),
]


def run(deck: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["links", str(deck), "--format", fmt]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_json_lists_every_link_in_deck_order(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = json.loads(run(deck, "json", capsys))
    assert [tuple(r[k] for k in FIELDS[:-1]) for r in records] == EXPECTED
    assert records[0]["source"] == "slides/01-a.md:4"  # the talk's `video:` line
    assert all(list(r) == list(FIELDS) for r in records)


def test_csv_has_a_header_and_one_row_per_link(deck: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.reader(io.StringIO(run(deck, "csv", capsys), newline="")))
    assert rows[0] == list(FIELDS)
    assert [tuple(row[:7]) for row in rows[1:]] == [
        (url, title, kind, talk_, "; ".join(speakers), track, name) for url, title, kind, talk_, speakers, track, name in EXPECTED
    ]


def test_markdown_groups_by_track_and_reads_back_as_the_same_links(deck: Path, capsys) -> None:
    text = run(deck, "md", capsys)
    assert text.startswith("# Recap \\#3: links\n\n## Operations & more\n\n- ► [Talk A](https://example.com/a) — Ann, Bob\n")
    tokens = markdown_parser(True).parse(text)
    headings = ["".join(c.content for c in tokens[i + 1].children) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Recap #3: links", "Operations & more", "dev", "More links"]
    md = markdown_parser(True)
    found = []  # (href, link text) of every link, as a Markdown reader sees them
    for token in tokens:
        for i, child in enumerate(token.children or []):
            if child.type == "link_open":
                label = token.children[i + 1]
                assert label.type == "text" and token.children[i + 2].type == "link_close", f"markup inside {label}"
                found.append((child.attrGet("href"), label.content))
    assert found == [(md.normalizeLink(url), title) for url, title, *_ in EXPECTED]
    assert "from *Talk A*" in text


def test_markdown_text_shows_specials_as_written() -> None:
    html = markdown_parser(True).renderInline(markdown_text(TRICKY + " back\\slash"))
    assert html == (
        "Cats *and* [dogs] &lt;b&gt;not bold&lt;/b&gt; &amp; &amp;amp; _under_ `code` #1 ~~gone~~ Wow![x] back\\slash"
    )


def test_library_and_example_deck(example_deck: Path, built_example) -> None:
    found = deckgen.links(example_deck)
    assert found.entries == built_example.links  # the same links as the deck's links pages
    assert len(found.entries) == built_example.link_count == 32
    records = json.loads(found.as_json())
    assert len(records) == 32 and all(r["url"].startswith("https://") for r in records)
    assert {r["kind"] for r in records} == {"video", "link"}
    assert all(r["talk"] and r["track"] for r in records)


def test_deck_errors_exit_1_like_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = write_deck(tmp_path / "deck", "title: T\ntracks: [a]\n", {"slides/1.md": talk("X", "b", "https://example.com/x")})
    assert main(["links", str(broken), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "slides/1.md:3:8: error: unknown track 'b'" in captured.err and "Traceback" not in captured.err
    assert main(["links", str(broken), "--format", "xml"]) == 2
