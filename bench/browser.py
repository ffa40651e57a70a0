#!/usr/bin/env python3
"""How fast a built deck opens: deckgen against pandoc's revealjs output and Marp, in one Chromium.

Makes the example deck ×1 and ×10 (as bench/run.py does) with a code slide added, builds it with
deckgen, converts the same slides with pandoc (its revealjs writer, pointed at the same reveal.js
files deckgen ships, laid out as pandoc's template expects) and with Marp CLI, then opens each page
in headless Chromium (Debian's, through Playwright) over file:// URLs, alternating the tools round
by round (the order rotates) so machine noise hits them alike.

One sample is the time from navigation to reveal.js's `ready` event and the next painted frame
(Marp, which has no reveal.js: its `load` event and the next frame), read from the page's own
clock (`performance.now()`). Prints medians, ratios against pandoc, and the bytes each page loads,
and writes them to docs/benchmark.md (its own section; bench/run.py keeps the other).

    .venv/bin/python bench/browser.py [--rounds 21] [--scales 1,10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import write_section  # noqa: E402  (bench/report.py)
from run import deckgen_command, ensure_marp, ensure_pandoc, make_scaled_deck, peer_markdown  # noqa: E402

CODE_SLIDE = '''\
## Code, highlighted

```python
from pathlib import Path


def build_all(decks: Path, out: Path) -> int:
    """Build every deck folder below `decks`; the number built."""
    built = 0
    for deck in sorted(decks.iterdir()):
        if (deck / "deck.yaml").is_file():  # a deck folder
            built += 1
    return built
```
'''

# Installed before any page script runs: notes when reveal.js is ready (or, without reveal.js, when
# the page has loaded), then waits for the next frame to be painted.
OPENED_JS = """
(() => {
  const painted = () => requestAnimationFrame(() => setTimeout(() => { window.__openedAt = performance.now(); }, 0));
  let reveal;
  Object.defineProperty(window, 'Reveal', {
    configurable: true,
    get() { return reveal; },
    set(value) { reveal = value; if (value && value.on) value.on('ready', painted); },
  });
  window.addEventListener('load', () => { if (!reveal) painted(); });
})();
"""
TOOLS = ("deckgen", "pandoc", "marp")
PANDOC_REVEAL = {
    # pandoc's revealjs template's paths → reveal.js's own files (the ones deckgen ships, and the
    # plugins and theme pandoc's page loads).
    "dist/reset.css": "dist/reset.css",
    "dist/reveal.css": "dist/reveal.css",
    "dist/reveal.js": "dist/reveal.js",
    "dist/theme/black.css": "dist/theme/black.css",
    "plugin/notes/notes.js": "dist/plugin/notes.js",
    "plugin/search/search.js": "dist/plugin/search.js",
    "plugin/zoom/zoom.js": "dist/plugin/zoom.js",
}


@dataclass(frozen=True)
class Page:
    tool: str
    scale: int
    index: Path


def pandoc_reveal_folder(folder: Path) -> Path:
    """reveal.js's files where pandoc's template looks for them (copied from the npm package)."""
    source = ROOT / "node_modules" / "reveal.js"
    for target, name in PANDOC_REVEAL.items():
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, folder / target)
    return folder


def build_pages(work: Path, scales: list[int]) -> list[Page]:
    """Every tool's page of each scale's deck, built once."""
    pandoc, marp, deckgen = ensure_pandoc(), ensure_marp(), deckgen_command()
    env = {**os.environ, "DECKGEN_CACHE_DIR": str(work / "cache")}
    pages: list[Page] = []
    for scale in scales:
        deck = make_scaled_deck(scale, work / f"x{scale}")
        (deck / "slides" / "zz-code.md").write_text(CODE_SLIDE, encoding="utf-8")
        markdown = peer_markdown(deck)
        site = work / f"site-x{scale}"
        subprocess.run([*deckgen, "build", str(deck), "-o", str(site / "deckgen")], check=True, env=env, stdout=subprocess.DEVNULL)
        pandoc_dir = site / "pandoc"
        pandoc_reveal_folder(pandoc_dir / "reveal.js")
        to_revealjs = [pandoc, "-f", "markdown", "-t", "revealjs", "-s", "-V", "revealjs-url=reveal.js"]
        subprocess.run([*to_revealjs, str(markdown), "-o", str(pandoc_dir / "index.html")], check=True)
        (site / "marp").mkdir()
        subprocess.run([marp, "--html", str(markdown), "-o", str(site / "marp" / "index.html")], check=True, env={**os.environ, "CI": "1"})
        pages += [Page("deckgen", scale, site / "deckgen" / "index.html"), Page("pandoc", scale, pandoc_dir / "index.html")]
        pages.append(Page("marp", scale, site / "marp" / "index.html"))
    return pages


def open_once(browser: Any, page: Page) -> tuple[float, int]:
    """Open the page in a new tab: milliseconds to ready and painted, and the bytes of every file it loaded."""
    tab = browser.new_page(viewport={"width": 1280, "height": 720})
    loaded: set[Path] = set()
    tab.on("request", lambda request: loaded.add(Path(unquote(urlparse(request.url).path))) if request.url.startswith("file:") else None)
    tab.add_init_script(OPENED_JS)
    try:
        tab.goto(page.index.resolve().as_uri())
        tab.wait_for_function("() => window.__openedAt !== undefined", timeout=60_000)
        opened = float(tab.evaluate("() => window.__openedAt"))
    finally:
        tab.close()
    return opened, sum(path.stat().st_size for path in loaded if path.is_file())


Key = tuple[str, int]
"""(tool, scale)."""


def measure(pages: list[Page], rounds: int, chromium: str) -> tuple[dict[Key, list[float]], dict[Key, int]]:
    """Each page's opening times in milliseconds, and the bytes it loads."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from deckbrowser import launch_chromium

    times: dict[Key, list[float]] = {}
    weights: dict[Key, int] = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        try:
            for page in pages:  # a first visit of each, not counted: every file is then in the disk cache
                open_once(browser, page)
            for round_number in range(rounds):
                shift = round_number % len(pages)
                for page in pages[shift:] + pages[:shift]:
                    opened, weight = open_once(browser, page)
                    times.setdefault((page.tool, page.scale), []).append(opened)
                    weights[(page.tool, page.scale)] = weight
                print(f"round {round_number + 1}/{rounds} done", file=sys.stderr)
        finally:
            browser.close()
    return times, weights


def render_report(
    times: dict[Key, list[float]], weights: dict[Key, int], index_sizes: dict[Key, int], scales: list[int], rounds: int
) -> str:
    lines = [
        "## Opening a deck in the browser",
        "",
        f"Made by `bench/browser.py`: the example deck with a code slide added, {rounds} alternating rounds in one headless",
        "Chromium; milliseconds from navigation to reveal.js ready and painted (Marp: loaded and painted), medians;",
        "the bytes of every file the page loads (pandoc's page and deckgen's load the same reveal.js files).",
        "",
        "The ratio is of the medians; beside it, the median of each round's own ratio (the tools of a round",
        "share the machine's load at that moment), and the quartiles of the times.",
        "",
        "| scale | tool | median ms | × pandoc | round's × pandoc, median | quartiles ms | page KB (index.html) | loaded KB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scale in scales:
        pandoc = statistics.median(times[("pandoc", scale)])
        for tool in TOOLS:
            samples = times[(tool, scale)]
            value = statistics.median(samples)
            paired = statistics.median(t / p for t, p in zip(samples, times[("pandoc", scale)], strict=True))
            low, _, high = statistics.quantiles(samples, n=4)
            index_kb, loaded_kb = index_sizes[(tool, scale)] / 1024, weights[(tool, scale)] / 1024
            lines.append(
                f"| ×{scale} | {tool} | {value:.0f} | {value / pandoc:.2f} | {paired:.2f} | {low:.0f}–{high:.0f}"
                f" | {index_kb:.0f} | {loaded_kb:.0f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmark.md")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    with tempfile.TemporaryDirectory(prefix="deckgen-open-") as tmp:
        pages = build_pages(Path(tmp), scales)
        index_sizes = {(page.tool, page.scale): page.index.stat().st_size for page in pages}
        times, weights = measure(pages, args.rounds, args.chromium)
    report = render_report(times, weights, index_sizes, scales, args.rounds)
    print(report)
    write_section(args.out, "open", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
