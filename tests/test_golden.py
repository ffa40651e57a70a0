"""A small deck's whole output, compared with `tests/golden/`.

Regenerate after an intended change, then review the diff:
    DECKGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
from pathlib import Path

import deckgen
from deckgen.later import from_later_text

HERE = Path(__file__).parent
DECK = HERE / "fixtures" / "golden-deck"
GOLDEN = HERE / "golden" / "golden-deck"
# Files compared byte for byte; the rest (reveal.js, theme CSS) are listed with their sizes' presence only.
COMPARED = ("index.html", "links.html")


def listing(out: Path) -> str:
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if rel.startswith("media/") else "-"
        lines.append(f"{rel} {digest}\n")
    return "".join(lines)


def test_whole_output_matches_golden(tmp_path: Path) -> None:
    out = deckgen.build(DECK, tmp_path / "out").out
    actual = {name: (out / name).read_text(encoding="utf-8") for name in COMPARED}
    actual["files.txt"] = listing(out)
    if os.environ.get("DECKGEN_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
        for name, text in actual.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    for name, text in actual.items():
        expected = (GOLDEN / name).read_text(encoding="utf-8")
        if text != expected:
            # Shown with the slides' content read back from its text form (deckgen.later), so the diff reads as HTML.
            old, new = from_later_text(expected), from_later_text(text)
            diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"golden/{name}", f"built/{name}"))
            raise AssertionError(f"{name} differs from the golden copy (see the test's docstring to regenerate):\n{diff[:6000]}")
