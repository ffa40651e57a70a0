"""Trust boundaries: a build reads the deck folder and the theme folder only, and publishes no dot file."""

from __future__ import annotations

import os
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


def theme_with_secrets(folder: Path, secret: Path) -> Path:
    """A theme folder as a real one may be: in git, with an .env, and fonts."""
    files = {
        "theme.css": ":root { --dg-accent: #123456; }\n@font-face { font-family: F; src: url(fonts/face.woff2); }\n",
        "fonts/face.woff2": "wOF2",
        ".env": "API_TOKEN=secret-token\n",
        ".git/config": "[remote]\n url = secret-remote\n",
        ".cache/notes.css": "secret-cache\n",
        "fonts/.DS_Store": "secret-finder\n",
    }
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder


def published(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("where", ["ours", "../shared/ours"])
def test_a_theme_folder_publishes_no_dot_file(tmp_path: Path, secret: Path, where: str) -> None:
    deck = write_deck(tmp_path / "deck", f"title: T\ntheme: {where}\n", {"slides/1.md": "# One\n"})
    theme_with_secrets((deck / where).resolve(), secret)
    (deck / where / "fonts/inside.woff2").symlink_to("face.woff2")  # a link that stays inside is a file of the theme
    out = tmp_path / "out"
    deckgen.build(deck, out)
    files = published(out)
    assert {f"_deckgen/themes/local/{name}" for name in ("theme.css", "fonts/face.woff2", "fonts/inside.woff2")} <= files
    assert not [f for f in files if any(part.startswith(".") for part in f.split("/")) and f != ".deckgen-output"]
    assert not any("secret" in (out / f).read_text(errors="replace") for f in files)


def test_a_one_file_deck_inlines_no_dot_file_of_its_theme(tmp_path: Path, secret: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\ntheme: ours\n", {"slides/1.md": "# One\n"})
    theme = theme_with_secrets(deck / "ours", secret)
    with (theme / "theme.css").open("a") as css:
        css.write(".a { background: url(.env); }\n.b { background: url(fonts/../.git/config); }\n")
    result = deckgen.build(deck, tmp_path / "out", self_contained=True)
    page = result.index.read_text(encoding="utf-8")
    assert "c2VjcmV0" not in page and "secret" not in page  # neither the files nor their base64
    assert sum(p.code == "not-offline" and "url(" in p.message for p in result.warnings) == 2
    assert "data:font/woff2;base64," in page  # the font itself is carried


@pytest.mark.parametrize("target", ["file", "folder"])
def test_a_link_out_of_the_theme_folder_is_an_error_at_the_link(
    tmp_path: Path, secret: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\ntheme: ours\n", {"slides/1.md": "# One\n", "ours/theme.css": "\n"})
    link = deck / "ours/assets/leak"
    link.parent.mkdir()
    link.symlink_to(secret / "notes.md" if target == "file" else secret, target_is_directory=target == "folder")
    assert errors_of(deck) == [("ours/assets/leak", "outside-theme")]
    out = tmp_path / "out"
    deckgen.build(write_deck(tmp_path / "good", "title: Good\n", {"slides/1.md": "# Good\n"}), out)
    assert main(["build", str(deck), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"ours/assets/leak: error: symbolic link to {os.path.realpath(link)}, outside the theme folder" in err
    assert "Good" in (out / "index.html").read_text()  # the previous output untouched


def test_a_template_cannot_read_a_dot_file_or_a_file_out_of_the_theme(tmp_path: Path, secret: Path) -> None:
    theme = {
        "ours/.private.html": "secret-template",
        "ours/slides/section.html": '<section>{% include ".private.html" %}</section>\n',
    }
    deck = write_deck(tmp_path / "deck", "title: T\ntheme: ours\n", {"slides/1.md": "# One\n", **theme})
    with pytest.raises(deckgen.DeckError) as raised:
        deckgen.build(deck, tmp_path / "out")
    assert [(p.path, p.code) for p in raised.value.problems] == [("ours/slides/section.html", "theme-template")]
    assert "'.private.html' not found" in raised.value.problems[0].message


@pytest.mark.parametrize(
    ("link", "target", "folder"),
    [
        ("ours/img/logo.png", "../.env", False),  # a file of a publishable name, to a dot file
        ("ours/fonts/face2.woff2", "../.git/config", False),  # to a file in a dot folder
        ("ours/public", ".cache", True),  # a folder, to a dot folder
        ("../shared/ours/img/logo.png", "../.env", False),  # a theme outside the deck folder
    ],
)
def test_a_link_in_a_theme_to_its_own_dot_file_is_an_error_at_the_link(
    tmp_path: Path, secret: Path, link: str, target: str, folder: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    where = "../shared/ours" if link.startswith("../") else "ours"
    deck = write_deck(tmp_path / "deck", f"title: T\ntheme: {where}\n", {"slides/1.md": "# One\n"})
    theme_with_secrets((deck / where).resolve(), secret)
    (deck / link).parent.mkdir(parents=True, exist_ok=True)
    (deck / link).symlink_to(target, target_is_directory=folder)
    assert errors_of(deck) == [(link, "dot-file")]
    for options in ([], ["--self-contained"]):
        out = tmp_path / "out"
        assert main(["build", str(deck), "-o", str(out), *options]) == 1
        err = capsys.readouterr().err
        assert f"{link}: error: symbolic link to " in err and "a theme never publishes those [deckgen.dot-file]" in err
        assert not out.exists() and "Traceback" not in err


@pytest.mark.parametrize(
    ("files", "link", "target", "folder", "error"),
    [
        ({"slides/1.md": "![logo](logo.png)\n"}, "slides/logo.png", "../.env", False, ("slides/1.md", "dot-file")),
        ({"slides/1.md": "[notes](../pub/notes.txt)\n"}, "pub", ".private", True, ("slides/1.md", "dot-file")),
        ({"slides/1.md": "[notes](notes.txt)\n"}, "slides/notes.txt", "../.private/notes.txt", False, ("slides/1.md", "dot-file")),
    ],
)
def test_a_link_in_the_deck_to_a_dot_file_is_an_error(
    tmp_path: Path, files: dict[str, str], link: str, target: str, folder: bool, error: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A link of a publishable name does not publish what a dot name keeps out (an image, a linked file)."""
    hidden = {".env": "TOKEN=secret-token\n", ".private/notes.txt": "secret notes\n", ".drafts/2.md": "# secret draft\n"}
    deck = write_deck(tmp_path / "deck", "title: T\n", {**files, **hidden})
    (deck / link).symlink_to(target, target_is_directory=folder)
    assert errors_of(deck) == [error]
    assert "dot file" in refused(deck, tmp_path, capsys)


@pytest.mark.parametrize("spec", [".", "..", "slides/.."])
def test_a_theme_folder_that_is_or_holds_the_deck_is_an_error(tmp_path: Path, spec: str) -> None:
    deck = write_deck(tmp_path / "deck", f"title: T\ntheme: '{spec}'\n", {"slides/1.md": "# One\n"})
    problems = [(p.path, p.line, p.code) for p in deckgen.check(deck) if p.is_error]
    assert problems == [("deck.yaml", 2, "theme-folder")]


def test_an_output_folder_in_the_theme_folder_is_refused(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\ntheme: ../shared\n", {"slides/1.md": "# One\n"})
    (tmp_path / "shared").mkdir()
    for out in (tmp_path / "shared" / "out", tmp_path):
        with pytest.raises(deckgen.DeckError) as raised:
            deckgen.build(deck, out, force=True)
        assert [p.code for p in raised.value.problems] == ["unsafe-output"]
    assert not (tmp_path / "shared" / "out").exists()
