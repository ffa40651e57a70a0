"""`deckgen pdf`: headless Chromium prints the deck, one page per slide, QR codes still scannable."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import talk

import deckgen
from deckgen.cli import main
from deckgen.pdf import count_pages

pytestmark = pytest.mark.browser


def poppler(tool: str) -> str:
    """A poppler-utils program: CI must have it (.ci/run installs it); elsewhere its tests skip."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI=true but no {tool} on PATH: .ci/run must install Debian's poppler-utils")
        pytest.skip(f"no {tool} on PATH (install Debian's poppler-utils to read PDFs back)")
    return found


@pytest.fixture(scope="module")
def example_pdf(example_deck: Path, chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pdf = tmp_path_factory.mktemp("pdf") / "out" / "kubecon.pdf"
    assert main(["pdf", str(example_deck), "-o", str(pdf), "--chromium", chromium_path]) == 0
    return pdf


def test_one_page_per_slide_at_the_slide_size(example_pdf: Path, built_example) -> None:
    data = example_pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert count_pages(data) == built_example.slide_count == 105
    assert re.findall(rb"/MediaBox\s*\[\s*0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*\]", data)[0] == (b"960", b"540")  # 1280×720 px
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(example_pdf)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Pages:\s+105$", info, re.MULTILINE)


def test_every_qr_code_in_the_pdf_scans(example_pdf: Path, built_example, tmp_path: Path) -> None:
    from browser.deckbrowser import decode_qr_codes

    # 96 dpi: a page becomes 1280×720 pixels, the size the deck is presented at
    subprocess.run([poppler("pdftoppm"), "-r", "96", "-png", str(example_pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 105
    codes = [code for page in pages for code in decode_qr_codes(page.read_bytes())]
    assert len(codes) == built_example.qr_count  # each one on every page it is printed on
    assert {code.text for code in codes} == {entry.url for entry in built_example.links}
    assert min(code.width for code in codes) >= 100


def test_slides_keep_their_type_size(example_pdf: Path) -> None:
    """The text is fitted to the printed page, not shrunk to the fit script's minimum."""
    box = subprocess.run(
        [poppler("pdftotext"), "-f", "2", "-l", "2", "-bbox", str(example_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    heading = re.search(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">KubeCon</word>', box)
    assert heading, box[:2000]
    assert float(heading.group(2)) - float(heading.group(1)) > 25  # a 45 px heading is 34 pt; fully shrunk it is 14


def test_fragments_and_vertical_slides_still_give_one_page_each(tmp_path: Path, chromium_path: str) -> None:
    deck = tmp_path / "deck"
    deckgen.new_deck(deck)
    fragments = '# Step by step\n\n<p class="fragment">one</p>\n<p class="fragment">two</p>\n'
    (deck / "slides" / "20-steps.md").write_text(talk("Steps", "talks", "https://example.com/steps", body=fragments))
    slides = deckgen.build(deck, tmp_path / "site").slide_count
    result = deckgen.build_pdf(deck, tmp_path / "steps.pdf", chromium=chromium_path)
    assert result.page_count == result.slide_count == slides == count_pages((tmp_path / "steps.pdf").read_bytes())
    assert result.warnings == ()


def test_no_chromium_names_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    deck = tmp_path / "deck"
    deckgen.new_deck(deck)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert main(["pdf", str(deck), "-o", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "deckgen: error: no Chromium found" in err and "apt-get install chromium" in err and "--chromium" in err
    assert main(["pdf", str(deck), "-o", str(tmp_path / "x.pdf"), "--chromium", str(tmp_path / "no-such-chromium")]) == 1
    assert "no such program" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_deck_errors_stop_before_printing(tmp_path: Path, chromium_path: str, capsys) -> None:
    deck = tmp_path / "deck"
    deckgen.new_deck(deck)
    (deck / "slides" / "20-bad.md").write_text(talk("Bad", "nope", "https://example.com/bad"))
    assert main(["pdf", str(deck), "-o", str(tmp_path / "x.pdf"), "--chromium", chromium_path]) == 1
    err = capsys.readouterr().err
    assert "slides/20-bad.md:3:8: error: unknown track 'nope'" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_count_pages_counts_page_objects_not_page_trees() -> None:
    assert count_pages(b"<< /Type /Pages /Kids [3 0 R 4 0 R] >> << /Type /Page >> << /Type/Page/Parent 2 0 R >>") == 2


def test_a_big_busy_deck_prints_in_full_and_quietly(tmp_path: Path, chromium_path: str, capfd: pytest.CaptureFixture[str]) -> None:
    """500 talk slides, each with a QR code, one with a script that holds the page for 32 s.

    The time allowed grows with the slides, and no step has a fixed cap of its own (Chromium
    answers nothing while the page's script runs).
    """
    deck = tmp_path / "deck"
    deckgen.new_deck(deck)
    for number in range(500):
        body = f"## Talk {number}\n\n- what it was about\n- what we took home\n"
        if number == 250:
            body += "\n<script>const until = Date.now() + 32000; while (Date.now() < until) {}</script>\n"
        text = talk(f"Talk {number}", "talks", f"https://example.com/v/{number}", body=body)
        (deck / "slides" / f"{100 + number}-talk.md").write_text(text, encoding="utf-8")
    assert main(["pdf", str(deck), "-o", str(tmp_path / "big.pdf"), "--chromium", chromium_path]) == 0
    out, err = capfd.readouterr()
    assert err == ""  # Chromium's D-Bus and GPU complaints stay out of the terminal
    pages = count_pages((tmp_path / "big.pdf").read_bytes())
    assert pages >= 500 and out.startswith(f"printed {tmp_path / 'big.pdf'}: {pages} pages for {pages} slides in ")


def _wrapped_chromium(folder: Path, name: str, real: str | None) -> Path:
    """A Chromium that first says something on its stderr (as Chromium does: D-Bus, GPU); `real` None: then fails."""
    script = folder / name
    then = f'exec "{real}" "$@"' if real else "exit 1"
    script.write_text(f"#!/bin/sh\necho 'ERROR:dbus/bus.cc(405) Failed to connect to the bus' >&2\n{then}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_chromiums_own_messages_reach_the_terminal_only_with_debug(tmp_path: Path, chromium_path: str, capfd) -> None:
    deck = tmp_path / "deck"
    deckgen.new_deck(deck)
    talking = _wrapped_chromium(tmp_path, "talking-chromium", chromium_path)
    failing = _wrapped_chromium(tmp_path, "failing-chromium", None)
    assert main(["pdf", str(deck), "-o", str(tmp_path / "a.pdf"), "--chromium", str(talking)]) == 0
    assert capfd.readouterr().err == ""
    assert main(["pdf", str(deck), "-o", str(tmp_path / "b.pdf"), "--chromium", str(failing)]) == 1
    err = capfd.readouterr().err
    assert err.startswith("deckgen: error: ") and "Chromium exited" in err and "--debug" in err and "dbus" not in err
    assert main(["--debug", "pdf", str(deck), "-o", str(tmp_path / "c.pdf"), "--chromium", str(talking)]) == 0
    assert "Failed to connect to the bus" in capfd.readouterr().err
