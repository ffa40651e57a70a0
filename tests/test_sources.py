"""Finding, reading and splitting deck files."""

from __future__ import annotations

from pathlib import Path

from deckgen.problems import Collector
from deckgen.sources import DeckReader, decode_text, natural_key, split_front_matter


def test_natural_order_compares_numbers_as_numbers(tmp_path: Path) -> None:
    for name in ["10-y.md", "2-x.md", "1-a/3.md", "1-a/20.md", "_draft.md", ".hidden.md", "notes.txt", "1-a/_skip/9.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in DeckReader(tmp_path.resolve(), Collector()).discover(tmp_path)]
    assert found == ["1-a/3.md", "1-a/20.md", "2-x.md", "10-y.md"]
    assert sorted(["b10", "b9", "a"], key=natural_key) == ["a", "b9", "b10"]


def test_bom_and_crlf_are_normalised_and_lines_kept() -> None:
    problems = Collector()
    source = decode_text("\ufeff---\r\ntitle: T\r\n---\r\n# Body\r\n".encode("utf-8"), "slides/a.md", problems)
    assert source is not None and not problems.problems
    split = split_front_matter(source, problems)
    assert split is not None
    assert split.front_matter == "title: T"
    assert split.front_matter_line == 2
    assert split.body == "# Body\n"
    assert split.body_line == 4


def test_file_without_front_matter_is_all_body() -> None:
    problems = Collector()
    source = decode_text(b"# Just slides\n---\n# Two\n", "slides/a.md", problems)
    assert source is not None
    split = split_front_matter(source, problems)
    assert split is not None and split.front_matter is None and split.body_line == 1


def test_invalid_utf8_names_line_of_first_bad_byte() -> None:
    problems = Collector()
    assert decode_text(b"ok\nfine\nbad \xff here\n", "slides/a.md", problems) is None
    [problem] = problems.problems
    assert (problem.path, problem.line, problem.column, problem.code) == ("slides/a.md", 3, 5, "not-utf8")


def test_unclosed_front_matter_is_an_error_at_line_one() -> None:
    problems = Collector()
    source = decode_text(b"---\ntitle: x\n# body\n", "slides/a.md", problems)
    assert source is not None
    assert split_front_matter(source, problems) is None
    [problem] = problems.problems
    assert (problem.line, problem.code) == (1, "unclosed-front-matter")
