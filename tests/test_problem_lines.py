"""A problem is one line, whatever the names and text it carries: such names are quoted, git-style."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_deck

from deckgen.cli import main
from deckgen.problems import Problem


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("slides/a\nb.md", '"slides/a\\nb.md"'),
        ("slides/tab\there.md", '"slides/tab\\there.md"'),
        ("slides/\x1b[31mred.md", '"slides/\\x1b[31mred.md"'),
        ("slides/\u202egnp.md", '"slides/\\u202egnp.md"'),  # a right-to-left override would reorder the line
        ("slides/line\u2028sep.md", '"slides/line\\u2028sep.md"'),
        ("slides/\udcff.md", '"slides/\\udcff.md"'),  # a byte that is not UTF-8, as Python names it
        ('slides/quote"and\\\n.md', '"slides/quote\\"and\\\\\\n.md"'),
        ("slides/café talk.md", "slides/café talk.md"),  # printable names are shown as they are
        ('slides/"quoted".md', 'slides/"quoted".md'),
    ],
)
def test_a_name_that_does_not_print_as_itself_is_quoted(name: str, shown: str) -> None:
    line = str(Problem(name, 3, 1, "error", "x", "went wrong"))
    assert line == f"{shown}:3:1: error: went wrong [deckgen.x]"
    assert line.isprintable()


def test_a_message_is_one_line_too() -> None:
    line = str(Problem("deck.yaml", 1, None, "warning", "x", "looked for slides/a\nb.png\r\x07"))
    assert line == "deck.yaml:1: warning: looked for slides/a\\nb.png\\r\\x07 [deckgen.x]"


def test_the_cli_prints_one_line_per_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(
        tmp_path / "deck",
        "title: T\n",
        {"slides/a\nb.md": "---\ntitle: [unclosed\n---\n# x\n", "slides/2.md": "![pic](pics/new%0Aline.png)\n"},
    )
    assert main(["build", str(deck), "-o", str(tmp_path / "out")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3  # two problems and the count
    assert lines[0].startswith("slides/2.md:1:") and "pics/new\\nline.png" in lines[0]
    assert lines[1].startswith('"slides/a\\nb.md":2:')
    assert all(line.isprintable() for line in lines)


def test_the_summary_lines_are_one_line_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "new\nline deck", "title: T\n", {"slides/1.md": "# x\n"})
    assert main(["build", str(deck), "-o", str(tmp_path / "out\rput")]) == 0
    assert main(["check", str(deck)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.isprintable() for line in lines)
    assert lines[0].startswith(f'built "{tmp_path}/out\\rput/index.html": 3 slides')
    assert lines[1] == f'"{tmp_path}/new\\nline deck": 0 errors, 0 warnings'
