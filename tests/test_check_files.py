"""`deckgen check --files`: the decks that hold some files, as a git hook names them."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import talk, write_deck

from deckgen import decks_holding
from deckgen.cli import main


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of decks: two recaps side by side, a deck inside a deck's folder, files in none."""
    write_deck(tmp_path / "recaps" / "2019", "title: A\n", {"slides/1.md": talk("T", "x", "https://example.com/a"), "images/a.png": b"png"})
    write_deck(tmp_path / "recaps" / "2020", "title: B\n", {"slides/1.md": talk("T", "x", "ftp://example.com/b")})
    write_deck(tmp_path / "recaps" / "2019" / "extra", "title: C\n", {"slides/1.md": "# C\n"})
    (tmp_path / "README.md").write_text("recaps\n", encoding="utf-8")
    (tmp_path / "recaps" / "deck.yml").write_text("title: not a deck: no deck.yaml\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_each_file_finds_the_nearest_deck_once(repo: Path) -> None:
    paths = [
        "recaps/2019/slides/1.md",
        "recaps/2019/images/a.png",
        "recaps/2019/deck.yaml",
        "README.md",
        "recaps/deck.yml",
        "recaps/2020/slides/gone.md",  # a file the commit deletes still names its deck
        "recaps/2019/extra/slides/1.md",
        "recaps/2020",  # a deck folder is its own deck
    ]
    assert decks_holding(paths) == (Path("recaps/2019"), Path("recaps/2020"), Path("recaps/2019/extra"))  # in the order first named
    assert decks_holding([repo / "recaps" / "2020" / "slides" / "1.md"]) == (repo / "recaps" / "2020",)
    assert decks_holding(["README.md", "recaps", "."]) == ()


def test_a_relative_path_finds_no_deck_above_the_current_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "recaps" / "2019" / "slides")
    assert decks_holding(["1.md"]) == ()  # the deck is above: a hook runs at the repository's top, and never looks above it
    assert decks_holding([Path.cwd() / "1.md"]) == (repo / "recaps" / "2019",)


def test_problems_are_named_from_the_current_folder(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--files", "README.md", "recaps/2019/slides/1.md", "recaps/2020/slides/1.md"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "recaps/2020/slides/1.md:4:8: error: 'video': URL scheme 'ftp:' is not allowed (only http and https) [deckgen.bad-url]"
    ]
    assert captured.out.splitlines() == ["recaps/2019: 0 errors, 0 warnings", "recaps/2020: 1 error, 0 warnings"]


def test_files_of_good_decks_or_of_none_pass(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--files", "recaps/2019/images/a.png", "recaps/2019/extra/deck.yaml"]) == 0
    assert capsys.readouterr().out.splitlines() == ["recaps/2019: 0 errors, 0 warnings", "recaps/2019/extra: 0 errors, 0 warnings"]
    assert main(["check", "--files", "README.md"]) == 0
    assert capsys.readouterr() == ("", "")


def test_strict_applies_to_every_deck(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "recaps" / "2019" / "deck.yaml").write_text("title: A\ncolour: red\n", encoding="utf-8")
    assert main(["check", "--files", "recaps/2019/deck.yaml"]) == 0
    assert main(["check", "--files", "--strict", "recaps/2019/deck.yaml"]) == 1
    assert "recaps/2019/deck.yaml:2:1: error: unknown key 'colour'" in capsys.readouterr().err


def test_without_files_check_takes_one_deck(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "recaps/2019", "recaps/2020"]) == 2
    assert "give one deck folder" in capsys.readouterr().err
    assert main(["check", "recaps/2020"]) == 1
    assert capsys.readouterr().err.startswith("slides/1.md:4:8: error: 'video'")  # one deck: paths as ever, from the deck


def test_a_repository_that_is_one_deck(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write_deck(tmp_path, "title: A\n", {"slides/1.md": talk("T", "x", "https://example.com/a"), "slides/2.md": "---\nvidoe: x\n---\n# 2\n"})
    monkeypatch.chdir(tmp_path)
    assert decks_holding(["slides/1.md", "deck.yaml"]) == (Path("."),)
    assert main(["check", "--files", "slides/1.md"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("slides/2.md:2:1: warning: unknown key 'vidoe'")  # named from the top, which is the deck
    assert captured.out == ".: 0 errors, 1 warning\n"
