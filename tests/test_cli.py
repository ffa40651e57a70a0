"""The command line, run in-process through `main(argv)`."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import talk, write_deck

from deckgen import __version__
from deckgen.cli import main


def test_build_prints_one_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": talk("A", "x", "https://example.com/v")})
    assert main(["build", str(deck), "-o", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith(f"built {tmp_path / 'out' / 'index.html'}: 5 slides, 1 talk, 1 link, 2 QR codes in ")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["build"]) == 2
    assert main(["frobnicate"]) == 2
    assert "usage:" in capsys.readouterr().err


ROOT = Path(__file__).resolve().parents[1]


def expected_version() -> str:
    """deckgen's version, the reveal.js that package.json pins (npm installed it), and this Python's."""
    reveal = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["reveal.js"]
    return f"deckgen {__version__} (reveal.js {reveal}, Python {platform.python_version()})"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == expected_version() + "\n"


def test_missing_deck_folder_is_a_deck_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err
    assert "no such directory" in err and "Traceback" not in err


def test_strict_turns_warnings_into_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\ncolour: red\n", {"slides/1.md": "# x\n"})
    assert main(["check", str(deck)]) == 0
    assert main(["check", str(deck), "--strict"]) == 1
    assert "deck.yaml:2:1: error: unknown key 'colour'" in capsys.readouterr().err


def test_python_dash_m_and_console_script(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "deckgen", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == expected_version()
    # The console script pip installed beside this Python runs the same command, and reports failure by its exit code.
    script = Path(sys.executable).with_name("deckgen")
    assert script.is_file(), f"no console script at {script}: install deckgen (pip install -e .)"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == expected_version()
    missing = subprocess.run([str(script), "check", str(tmp_path / "no-such-deck")], capture_output=True, text=True)
    assert missing.returncode == 1 and "no-such-deck" in missing.stderr and "Traceback" not in missing.stderr


def test_unchanged_deck_is_recognised_and_any_change_rebuilds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\ncolour: red\n", {"slides/1.md": talk("A", "x", "https://example.com/v")})
    out = tmp_path / "out"

    def build_line() -> str:
        assert main(["build", str(deck), "-o", str(out)]) == 0
        captured = capsys.readouterr()
        assert "unknown key 'colour'" in captured.err  # warnings are repeated, even when nothing was rebuilt
        return captured.out.strip()

    assert not build_line().endswith("(unchanged)")
    assert build_line().endswith("(unchanged)")
    (deck / "slides/1.md").write_text(talk("A longer title", "x", "https://example.com/v"))
    assert not build_line().endswith("(unchanged)")
    assert "A longer title" in (out / "index.html").read_text()
    (out / "index.html").unlink()
    assert not build_line().endswith("(unchanged)")
    assert (out / "index.html").is_file()
    (deck / "slides/img.png").write_bytes(b"x")  # any file of the deck counts
    assert not build_line().endswith("(unchanged)")
    # An edit that keeps the size and the modification time (`cp -p` over the file) still rebuilds.
    talk_file = deck / "slides/1.md"
    before = talk_file.stat()
    assert build_line().endswith("(unchanged)")
    talk_file.write_text(talk_file.read_text().replace("A longer title", "A LONGER TITLE"))
    os.utime(talk_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert talk_file.stat().st_size == before.st_size and talk_file.stat().st_mtime_ns == before.st_mtime_ns
    assert not build_line().endswith("(unchanged)")
    assert "A LONGER TITLE" in (out / "index.html").read_text()
    assert main(["build", str(deck), "-o", str(out), "--strict"]) == 1  # other options: never taken for unchanged
    capsys.readouterr()


def test_summaries_count_warnings_in_the_right_plural(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\ncolour: red\nsize: big\n", {"slides/1.md": talk("A", "x", "https://example.com/v")})
    assert main(["build", str(deck), "-o", str(tmp_path / "out")]) == 0
    line = capsys.readouterr().out.strip()
    assert ": 5 slides, 1 talk, 1 link, 2 QR codes, 2 warnings in " in line
    assert main(["build", str(deck), "-o", str(tmp_path / "out")]) == 0
    assert ", 2 warnings in " in capsys.readouterr().out  # the unchanged deck's report says it too
    assert main(["check", str(deck)]) == 0
    assert capsys.readouterr().out.strip() == f"{deck}: 0 errors, 2 warnings"
    (deck / "deck.yaml").write_text("title: T\ncolour: red\n")
    assert main(["check", str(deck)]) == 0
    assert capsys.readouterr().out.strip() == f"{deck}: 0 errors, 1 warning"
    (deck / "slides/2.md").write_text(talk("B", "x", "javascript:x"))
    assert main(["build", str(deck), "-o", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.strip().endswith("deckgen: 1 error; nothing was written")


def test_a_reader_that_stops_reading_is_no_deckgen_bug(tmp_path: Path) -> None:
    """`deckgen links DECK | head -1`: the closed pipe ends the command quietly, never as an internal error."""
    links = "".join(f"[link {n}](https://example.com/{n})\n" for n in range(3000))
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": talk("T", "x", "https://example.com/v") + links})
    read_end, write_end = os.pipe()
    os.close(read_end)  # a reader that has already gone, as `head -1` has once it has its line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "deckgen", "links", str(deck), "--format", "csv"], stdout=write_end, stderr=subprocess.PIPE, timeout=120
        )
    finally:
        os.close(write_end)
    err = done.stderr.decode()
    assert done.returncode == 0 and "internal error" not in err and "Traceback" not in err, err


def test_a_theme_yaml_with_a_value_its_type_cannot_be_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\ntheme: ours\n", {"slides/1.md": "# x\n", "ours/theme.css": "\n"})
    for text in ("extends: !!timestamp someday\n", "extends: !!bool perhaps\n", "extends: " + "[" * 3000 + "]" * 3000 + "\n"):
        (deck / "ours/theme.yaml").write_text(text)
        assert main(["build", str(deck), "-o", str(tmp_path / "out")]) == 1
        err = capsys.readouterr().err
        assert err.startswith("deck.yaml:2:8: error: cannot read ") and "[deckgen.unknown-theme]" in err, err


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_a_port_that_is_no_port_is_a_usage_error(tmp_path: Path, port: str, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "# x\n"})
    assert main(["serve", str(deck), "--port", port]) == 2
    assert f"argument --port: '{port}' is not a port (0 to 65535" in capsys.readouterr().err


def test_what_new_and_import_print_is_one_line_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder name holding a newline is quoted in every line a command prints, as problems are."""
    schedule = Path(__file__).parent / "fixtures" / "schedules" / "frab.xml"
    folder = tmp_path / "new\nrecap"
    assert main(["new", str(folder)]) == 0
    assert main(["import", str(schedule), "--into", str(folder), "--pick", "101"]) == 0
    out = capsys.readouterr().out.splitlines()
    quoted = '"' + str(tmp_path) + '/new\\nrecap'
    assert out[0].startswith(f"created {quoted}\": deck.schema.json, ")
    assert out[1] == f"next: edit it with 'deckgen serve {quoted}\"', build it with 'deckgen build {quoted}\"'"
    assert out[2].startswith(f"wrote {quoted}/slides/") and out[2].endswith('.md"')
    assert out[3].startswith(f"imported 1 talk in 1 track into {quoted}\": ")
    assert len(out) == 4
