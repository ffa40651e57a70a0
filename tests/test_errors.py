"""Bad input: every problem at its file and line, exit 1, no traceback, earlier output untouched.

`fixtures/errors.txt` holds bad decks beside the exact lines `deckgen check` must print.
A case's files follow `>>> path` lines; `\\ufeff` and `\\r` in them stand for a BOM and a CR.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from pathlib import Path

import pytest
from helpers import talk, write_case, write_deck
from markdown_it.utils import read_fixture_file

import deckgen
from deckgen.cli import main

CASES = read_fixture_file(Path(__file__).parent / "fixtures" / "errors.txt")


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    deck = write_deck(tmp_path_factory.mktemp("good") / "deck", "title: Good\n", {"slides/1.md": talk("T", "x", "https://example.com/v")})
    return deckgen.build(deck, deck.parent / "out").out


@pytest.mark.parametrize("line,title,spec,expected", CASES, ids=[c[1] for c in CASES])
def test_error_messages(line: int, title: str, spec: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "deck"
    write_case(deck, spec)
    code = main(["check", str(deck)])
    err = capsys.readouterr().err
    assert err == expected.replace("DECK", str(deck.resolve()))
    assert "Traceback" not in err
    assert code == (1 if " error: " in expected else 0)


@pytest.mark.parametrize("line,title,spec,expected", CASES, ids=[c[1] for c in CASES])
def test_failed_build_keeps_earlier_output(
    line: int, title: str, spec: str, expected: str, tmp_path: Path, good_output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "deck"
    write_case(deck, spec)
    out = tmp_path / "out"
    shutil.copytree(good_output, out)
    before = snapshot(out)
    # Warnings fail the build only with --strict; every case must then fail.
    code = main(["build", str(deck), "-o", str(out), "--strict"])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck", "out"], "no temporary folder may be left behind"


def test_non_utf8_file_names_file_and_line(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": b"# ok\n\ncaf\xe9 au lait\n"})
    problems = deckgen.check(deck)
    assert [str(p) for p in problems] == ["slides/1.md:3:4: error: file is not valid UTF-8 (byte 0xe9) [deckgen.not-utf8]"]


def test_symlink_leading_outside_is_refused_and_not_copied(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret")
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "![x](img/link.png)\n"})
    (deck / "slides/img").mkdir()
    (deck / "slides/img/link.png").symlink_to(secret)
    problems = deckgen.check(deck)
    assert [(p.line, p.code) for p in problems] == [(1, "outside-deck")]
    with pytest.raises(deckgen.DeckError):
        deckgen.build(deck, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(ord("b"), ord("j")):
        prev = chr(i - 1)
        lines.append(f"{chr(i)}: &{chr(i)} [{', '.join(['*' + prev] * 9)}]")
    deck = write_deck(tmp_path / "deck", "title: T\n" + "\n".join(lines) + "\n", {"slides/1.md": "# x\n"})
    started = time.perf_counter()
    problems = deckgen.check(deck)
    assert time.perf_counter() - started < 0.5
    assert [p.code for p in problems if p.is_error] == ["yaml-syntax"]
    assert "aliases" in problems[0].message


@pytest.mark.parametrize("not_a_day", ["2021-02-30", "2019-13-01", "2019-00-10"])
def test_a_date_no_calendar_has_is_text_not_a_crash(not_a_day: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """YAML's date pattern matches it, the calendar does not: PyYAML raises ValueError; deckgen reads its text."""
    deck = write_deck(
        tmp_path / "decks" / "deck",
        f"title: {not_a_day}\ndate: {not_a_day}\ntracks: [{not_a_day}]\n",
        {"slides/1.md": talk("T", track=not_a_day, speakers=not_a_day, video="https://example.com/v")},
    )
    (tmp_path / "decks" / "site.yaml").write_text(f"title: {not_a_day}\n", encoding="utf-8")
    assert main(["build", str(deck), "-o", str(tmp_path / "out")]) == 0
    assert main(["site", str(tmp_path / "decks"), "-o", str(tmp_path / "site")]) == 0
    assert "internal error" not in capsys.readouterr().err
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert page.count(not_a_day) >= 4  # title, date, track's divider, speaker
    assert f"<title>{not_a_day}</title>" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.yaml").write_text(f"extends: {not_a_day}\n", encoding="utf-8")
    deck.joinpath("deck.yaml").write_text(f"title: T\ntheme: {theme}\n", encoding="utf-8")
    assert main(["build", str(deck), "-o", str(tmp_path / "out")]) == 1  # a theme error, named as such
    assert "'extends' must be one of" in capsys.readouterr().err


def test_all_problems_of_all_files_are_reported_at_once(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path / "deck",
        "title: T\ntracks: [a]\n",
        {
            "slides/1.md": talk("A", "b", "https://example.com/1"),
            "slides/2.md": talk("B", "c", "javascript:x"),
            "slides/3.md": "---\n[\n---\n",
        },
    )
    with pytest.raises(deckgen.DeckError) as caught:
        deckgen.load_deck(deck)
    assert [p.path for p in caught.value.errors] == ["slides/1.md", "slides/2.md", "slides/2.md", "slides/3.md"]


def test_slides_list_with_unusable_paths(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", 'title: T\nslides: ["a\\0b.md", ../deck.yaml, nope.md, 1.md]\n', {"slides/1.md": "# x\n"})
    assert [str(p) for p in deckgen.check(deck)] == [
        "deck.yaml:2:10: error: 'a\\x00b.md' does not exist under slides/ [deckgen.missing-file]",
        "deck.yaml:2:21: error: '../deck.yaml' is outside the slides folder [deckgen.outside-deck]",
        "deck.yaml:2:35: error: 'nope.md' does not exist under slides/ [deckgen.missing-file]",
    ]
