"""The output folder: atomic swaps, refusals, nothing written outside OUT."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import talk, write_deck

import deckgen
from deckgen import output
from deckgen.cli import main


@pytest.fixture()
def deck(tmp_path: Path) -> Path:
    return write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": talk("A", "x", "https://example.com/v")})


def test_default_output_is_site_folder_in_deck(deck: Path) -> None:
    result = deckgen.build(deck)
    assert result.out == deck / "_site"
    assert (deck / "_site/index.html").is_file()
    deckgen.build(deck)  # rebuilding over its own output is fine


@pytest.mark.parametrize("where", ["deck", "parent"])
def test_refuses_output_that_is_or_contains_the_deck(deck: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = deck if where == "deck" else deck.parent
    before = sorted(p.as_posix() for p in deck.parent.rglob("*"))
    assert main(["build", str(deck), "-o", str(out)]) == 1
    assert "unsafe-output" in capsys.readouterr().err
    assert sorted(p.as_posix() for p in deck.parent.rglob("*")) == before


def test_refuses_foreign_non_empty_folder_unless_forced(deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("precious")
    assert main(["build", str(deck), "-o", str(out)]) == 1
    assert "not empty and was not made by deckgen" in capsys.readouterr().err
    assert (out / "thesis.txt").read_text() == "precious"
    assert main(["build", str(deck), "-o", str(out), "--force"]) == 0
    assert (out / "index.html").is_file() and not (out / "thesis.txt").exists()


def test_empty_folder_is_fine(deck: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["build", str(deck), "-o", str(tmp_path / "empty")]) == 0


def test_interrupted_build_leaves_previous_output(deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = deckgen.build(deck, tmp_path / "out").out
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (deck / "slides/1.md").write_text(talk("Changed", "x", "https://example.com/v2"))
    placed = 0
    real_place = output._place

    def place_then_interrupt(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal placed
        placed += 1
        if placed == 3:
            raise KeyboardInterrupt  # Ctrl-C in the middle of writing
        return real_place(*args, **kwargs)

    monkeypatch.setattr(output, "_place", place_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        deckgen.build(deck, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck", "out"]


def test_successful_rebuild_replaces_stale_files(deck: Path, tmp_path: Path) -> None:
    out = deckgen.build(deck, tmp_path / "out").out
    (out / "stale.txt").write_text("old")
    deckgen.build(deck, out)
    assert not (out / "stale.txt").exists()
    assert (out / output.MARKER).is_file()


def test_unchanged_files_are_not_rewritten(deck: Path, tmp_path: Path) -> None:
    out = deckgen.build(deck, tmp_path / "out").out
    before = {p.relative_to(out): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    (deck / "slides/1.md").write_text(talk("Changed", "x", "https://example.com/v"))
    deckgen.build(deck, out)
    after = {p.relative_to(out): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert changed == {Path("index.html"), Path("links.html"), Path(output.MARKER)}
