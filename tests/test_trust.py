"""Trust boundaries: a build reads the deck folder and the theme folder only, and publishes no dot file."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_deck

import deckgen
from deckgen.cli import main


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A folder outside every deck, with a file no deck may read."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "notes.md").write_text("# the secret notes\n")
    return folder


def errors_of(deck: Path) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in deckgen.check(deck) if p.is_error]


def refused(deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Build with the CLI: exit 1, nothing written, no traceback; the error lines."""
    out = tmp_path / "refused-out"
    assert main(["build", str(deck), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and not out.exists()
    return err


def test_a_slide_file_linked_outside_the_deck_is_an_error_at_its_path(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "# One\n"})
    (deck / "slides/2.md").symlink_to(secret / "notes.md")
    assert errors_of(deck) == [("slides/2.md", "outside-deck")]
    err = refused(deck, tmp_path, capsys)
    assert f"slides/2.md: error: symbolic link to {secret / 'notes.md'}, outside the deck folder [deckgen.outside-deck]" in err


@pytest.mark.parametrize("link", ["slides/shared", "slides/a/b/shared", "slides"])
def test_a_folder_linked_outside_the_deck_is_an_error_at_its_path(
    tmp_path: Path, secret: Path, link: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {} if link == "slides" else {"slides/1.md": "# One\n"})
    (deck / link).parent.mkdir(parents=True, exist_ok=True)
    (deck / link).symlink_to(secret, target_is_directory=True)
    assert (link, "outside-deck") in errors_of(deck)
    assert "secret notes" not in refused(deck, tmp_path, capsys)


def test_the_slides_list_and_deck_yaml_cannot_lead_out_either(tmp_path: Path, secret: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\nslides: [shared/notes.md]\n", {"slides/1.md": "# One\n"})
    (deck / "slides/shared").symlink_to(secret, target_is_directory=True)
    assert ("deck.yaml", "outside-deck") in errors_of(deck)
    (secret / "deck.yaml").write_text("title: Elsewhere\n")
    other = write_deck(tmp_path / "other", "title: T\n", {"slides/1.md": "# One\n"})
    (other / "deck.yaml").unlink()
    (other / "deck.yaml").symlink_to(secret / "deck.yaml")
    assert errors_of(other) == [("deck.yaml", "outside-deck")]


def test_links_that_stay_inside_the_deck_are_read(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "# One\n", "common/2.md": "# Two\n", "common/3.md": "# Three\n"})
    (deck / "slides/2.md").symlink_to("../common/2.md")
    (deck / "slides/more").symlink_to("../common", target_is_directory=True)
    result = deckgen.build(deck, tmp_path / "out")
    page = result.index.read_text(encoding="utf-8")
    assert all(text in page for text in ("One", "Two", "Three"))


def test_a_link_back_to_a_folder_being_read_is_an_error_not_a_hang(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/a/1.md": "# One\n"})
    (deck / "slides/a/again").symlink_to("..", target_is_directory=True)
    assert errors_of(deck) == [("slides/a/again", "link-loop")]


def test_a_dangling_slide_link_is_an_error(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "# One\n"})
    (deck / "slides/2.md").symlink_to("gone.md")
    assert errors_of(deck) == [("slides/2.md", "missing-file")]
