"""The no-op: a build answered from the record in OUT only when it would make the same OUT from the same files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import talk, write_deck

import deckgen
from deckgen.cli import main
from deckgen.problems import Problem


def built(deck: Path, out: Path, *options: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Build with the CLI; the summary line."""
    assert main(["build", str(deck), "-o", str(out), *options]) == 0
    return capsys.readouterr().out.strip()


def unchanged(deck: Path, out: Path, *options: str, capsys: pytest.CaptureFixture[str]) -> bool:
    """Build with the CLI; whether it was a no-op."""
    return built(deck, out, *options, capsys=capsys).endswith("(unchanged)")


def settled(deck: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Build until nothing changes (at most twice); the page."""
    built(deck, out, capsys=capsys)
    assert unchanged(deck, out, capsys=capsys)
    return (out / "index.html").read_text(encoding="utf-8")


def test_another_deck_into_the_same_folder_is_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deckgen.new_deck(tmp_path / "A", title="Deck A")
    deckgen.new_deck(tmp_path / "B", title="Deck B")
    site = tmp_path / "site"
    built(tmp_path / "A", site, capsys=capsys)
    assert not unchanged(tmp_path / "B", site, capsys=capsys)
    assert "<title>Deck B" in (site / "index.html").read_text(encoding="utf-8")
    # The same files in another folder are another deck too (a copy made with `cp -a` keeps every time).
    shutil.copytree(tmp_path / "A", tmp_path / "A-copy", symlinks=True)
    built(tmp_path / "A", site, capsys=capsys)
    assert unchanged(tmp_path / "A", site, capsys=capsys)
    assert not unchanged(tmp_path / "A-copy", site, capsys=capsys)


def test_every_option_that_changes_the_output_is_a_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": talk("A", video="https://example.com/v")})
    out = tmp_path / "out"
    built(deck, out, capsys=capsys)
    assert not unchanged(deck, out, "--self-contained", capsys=capsys)
    assert not (out / "_deckgen").exists()  # a one-file deck, not the previous one left in place
    assert unchanged(deck, out, "--self-contained", capsys=capsys)
    assert not unchanged(deck, out, capsys=capsys)
    assert (out / "_deckgen").is_dir()
    assert not unchanged(deck, out, "--strict", capsys=capsys)
    assert unchanged(deck, out, "--strict", capsys=capsys)
    assert not unchanged(deck, out, "--no-cache", capsys=capsys)  # --no-cache always builds


def test_an_edit_to_a_theme_outside_the_deck_is_a_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    theme = tmp_path / "shared" / "ours"
    theme.mkdir(parents=True)
    (theme / "theme.css").write_text(":root { --dg-accent: #123456; }\n")
    deck = write_deck(tmp_path / "deck", "title: T\ntheme: ../shared/ours\n", {"slides/1.md": "# One\n"})
    out = tmp_path / "out"
    settled(deck, out, capsys)
    (theme / "theme.css").write_text(":root { --dg-accent: #654321; }\n")
    assert not unchanged(deck, out, capsys=capsys)
    assert "#654321" in (out / "_deckgen/themes/local/theme.css").read_text()
    (theme / "fonts").mkdir()
    (theme / "fonts/face.woff2").write_bytes(b"wOF2")
    assert not unchanged(deck, out, capsys=capsys)
    assert (out / "_deckgen/themes/local/fonts/face.woff2").is_file()


def test_build_itself_returns_the_previous_result_for_an_unchanged_deck(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path / "deck",
        "title: T\ncolour: red\nlinks: [https://example.com/deck]\n",
        {"slides/1.md": talk("A", "x", "https://example.com/v", links="[https://example.com/more]")},
    )
    out = tmp_path / "out"
    first = deckgen.build(deck, out)
    again = deckgen.build(deck, out)
    assert not first.unchanged and again.unchanged
    assert again.summary().endswith("(unchanged)") and not first.summary().endswith("(unchanged)")
    assert again.warnings == first.warnings and first.warnings
    assert all(isinstance(p, Problem) for p in again.warnings)
    assert str(again.warnings[0]) == str(first.warnings[0])
    counts = ("slide_count", "talk_count", "link_count", "qr_count")
    assert [getattr(again, c) for c in counts] == [getattr(first, c) for c in counts]
    assert again.links == first.links and len(first.links) == 3
    assert again.out == out and again.index == first.index
    assert not deckgen.build(deck, out, use_cache=False).unchanged  # forces a full build
    assert not deckgen.build(deck, tmp_path / "elsewhere").unchanged


def test_the_no_op_imports_no_renderer_nor_its_libraries(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": talk("A", video="https://example.com/v")})
    command = [sys.executable, "-X", "importtime", "-m", "deckgen", "build", str(deck), "-o", str(tmp_path / "out")]
    subprocess.run(command, check=True, capture_output=True)
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    assert done.stdout.strip().endswith("(unchanged)")
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "deckgen.builder" in imported  # the CLI asked the library
    heavy = {"deckgen.render", "deckgen.loader", "deckgen.markdown", "markdown_it", "jinja2", "yaml", "qrcode", "sqlite3"}
    assert not imported & heavy


def test_an_edit_behind_a_linked_folder_is_a_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "# One\n", ".parts/2.md": "# Two\n"})
    (deck / "slides/more").symlink_to("../.parts", target_is_directory=True)  # a folder the deck walk skips
    out = tmp_path / "out"
    assert "Two" in settled(deck, out, capsys)
    (deck / ".parts/2.md").write_text("# Two, edited\n")
    assert "Two, edited" in settled(deck, out, capsys)
    (deck / ".parts/3.md").write_text("# Three, added\n")  # a file added behind the link
    assert "Three, added" in settled(deck, out, capsys)


def test_a_file_named_in_the_slides_list_is_stamped_wherever_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\nslides: [.drafts/1.md]\n", {"slides/.drafts/1.md": "# Draft\n"})
    out = tmp_path / "out"
    assert "Draft" in settled(deck, out, capsys)
    (deck / "slides/.drafts/1.md").write_text("# Final\n")
    assert "Final" in settled(deck, out, capsys)


def copy_of_library(name: str, into: Path) -> Path:
    """A copy of an installed pure-Python library, to be found first on PYTHONPATH."""
    module = __import__(name)
    folder = Path(module.__file__).parent
    shutil.copytree(folder, into / folder.name, ignore=shutil.ignore_patterns("__pycache__"))
    return into / folder.name


@pytest.mark.parametrize("library", ["markdown_it", "jinja2", "yaml"])
def test_another_version_of_a_library_that_shapes_the_output_is_a_rebuild(tmp_path: Path, library: str) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": talk("A", video="https://example.com/v")})
    command = [sys.executable, "-m", "deckgen", "build", str(deck), "-o", str(tmp_path / "out")]

    def summary(**env: str) -> str:
        done = subprocess.run(command, check=True, capture_output=True, text=True, env={**os.environ, **env})
        return done.stdout.strip()

    summary()
    assert summary().endswith("(unchanged)")
    copy = copy_of_library(library, tmp_path / "libs")
    first = os.pathsep.join(filter(None, [str(tmp_path / "libs"), os.environ.get("PYTHONPATH")]))
    assert not summary(PYTHONPATH=first).endswith("(unchanged)")  # another installation
    assert summary(PYTHONPATH=first).endswith("(unchanged)")
    init = copy / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8") + "\n# upgraded\n", encoding="utf-8")  # rewritten in place
    assert not summary(PYTHONPATH=first).endswith("(unchanged)")
