"""Code highlighted at build time: Pygments only when a deck has fenced code, fence options read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_deck

from deckgen.highlight import FenceInfo, fence_problems, highlight_fence, parse_fence_info

BUILD_AND_REPORT = """
import sys, deckgen
deckgen.build(sys.argv[1], sys.argv[2])
print("pygments" in sys.modules, any(name.startswith("pygments") for name in sys.modules))
"""


def cold_build_imports_pygments(deck: Path, tmp_path: Path) -> str:
    """Build `deck` in a fresh interpreter with an empty cache; whether it imported Pygments."""
    env = {**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_REPORT, str(deck), str(tmp_path / "out")], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_a_cold_build_without_code_never_imports_pygments(tmp_path: Path) -> None:
    body = "# Plain\n\nText with `inline code`.\n\n    an indented block\n\n```\nplain fence, no language\n```\n"
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": body})
    assert cold_build_imports_pygments(deck, tmp_path) == "False False"


def test_a_cold_build_with_fenced_code_imports_pygments(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "# Code\n\n```python\nprint(1)\n```\n"})
    assert cold_build_imports_pygments(deck, tmp_path) == "True True"


@pytest.mark.parametrize(
    "info,expected",
    [
        ("", FenceInfo("", (), False)),
        ("Python", FenceInfo("python", (), False)),
        ("python {2,4-5}", FenceInfo("python", ((2, 2), (4, 5)), False)),
        ("yaml {numbers}", FenceInfo("yaml", (), True)),
        ("js {numbers 3 7-7}", FenceInfo("js", ((3, 3), (7, 7)), True)),
        ("{1}", FenceInfo("", ((1, 1),), False)),
        ("sh {0, 5-2, two}", FenceInfo("sh", (), False, ("0", "5-2", "two"))),
        ("python extra words", FenceInfo("python", (), False)),
    ],
)
def test_fence_info(info: str, expected: FenceInfo) -> None:
    assert parse_fence_info(info) == expected


def test_fence_problems() -> None:
    assert fence_problems(parse_fence_info("python {2}"), 2) == []
    assert fence_problems(parse_fence_info("python {3, x}"), 2) == [
        "code fence option 'x' is neither a line (4), a range (2-5) nor 'numbers'",
        "code fence marks line 3, but the code has 2 lines",
    ]


def test_a_huge_range_costs_nothing(tmp_path: Path) -> None:
    """`{1-99999999999}` is a range, never a set of its lines: the build ends at once, marking the lines there are."""
    fence = "```python {numbers 2-99999999999}\na = 1\nb = 2\n```\n"
    deck = write_deck(tmp_path / "deck", "title: T\n", {"slides/1.md": "# Code\n\n" + fence})
    command = [sys.executable, "-c", "import sys, deckgen; deckgen.build(sys.argv[1], sys.argv[2])", str(deck), str(tmp_path / "out")]
    subprocess.run(command, check=True, timeout=60)
    page = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert page.count("dg-marked") == 1
    assert fence_problems(parse_fence_info("{3-99999999999999999999}"), 2) == ["code fence marks line 3, but the code has 2 lines"]


def test_an_unknown_language_is_plain_escaped_code() -> None:
    html = highlight_fence("<script>alert(1)</script>\n", parse_fence_info("no-such-language {1}"))
    assert html == (
        '<pre class="dg-code"><code class="language-no-such-language">'
        '<span class="dg-line dg-marked">&lt;script&gt;alert(1)&lt;/script&gt;\n</span></code></pre>\n'
    )


def test_spans_never_cross_a_line_end() -> None:
    html = highlight_fence('x = """one\ntwo"""\n', parse_fence_info("python {numbers}"))
    assert html.count('<span class="dg-line">') == 2
    assert '<span class="s">&quot;&quot;&quot;one</span>\n</span><span class="dg-line"><span class="s">two&quot;&quot;&quot;</span>' in html
