"""`deckgen pdf`: the deck printed by the system's headless Chromium, one page per slide.

The deck is built into a temporary folder with reveal.js's print view switched on (`?print-pdf`,
one page per slide, fragments shown at once), opened in headless Chromium, and printed once
reveal.js has laid its pages out. Chromium is driven over its DevTools pipe (`devtools.py`): no
browser driver, only the `chromium` that Debian packages. (Chromium's own `--print-to-pdf` prints
right after the load event, before reveal.js has built its print pages: one page for a whole deck,
about every other time.)
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .assets import SetupError
from .counts import counted
from .devtools import Chromium, DevToolsError
from .errors import DeckgenError
from .problems import Problem, quoted_name

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
PRINT_CONFIG = {"view": "print", "pdfMaxPagesPerSlide": 1, "pdfSeparateFragments": False}
"""reveal.js options for the print build: its print view, exactly one page per slide."""
PRINT_FLAGS = ("--window-size=1280,720", "--hide-scrollbars", "--mute-audio")
READY_JS = """(() => {
  const pages = document.querySelectorAll('.pdf-page').length;
  const laidOut = pages > 0 && !document.querySelector('.loading-scroll-mode') && document.fonts.status === 'loaded';
  return laidOut ? pages : 0;
})()"""
"""The number of print pages once reveal.js has laid them out (its last step ends 'loading-scroll-mode'), else 0."""
FIT_JS = "window.deckgen ? (window.deckgen.fitAll(), true) : true"
"""Fit the slides' text to the laid-out pages: deckgen.js fits when the fonts are ready, which can
fall in the middle of reveal.js's print layout, where every box measures too small."""
PRINT_SECONDS = 60.0
PRINT_SECONDS_PER_SLIDE = 0.5
"""The time Chromium has to open, lay out and print a deck: a minute, and half a second a slide more
(a big deck's print layout and PDF take long minutes on a busy machine; a hung Chromium is still given up)."""
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


class PdfError(DeckgenError):
    """Chromium could not print the deck."""


class NoChromiumError(SetupError):
    """No Chromium to print with."""


@dataclass(frozen=True, slots=True)
class PdfResult:
    """What `build_pdf` printed."""

    pdf: Path
    page_count: int
    slide_count: int
    warnings: tuple[Problem, ...]
    seconds: float

    def summary(self) -> str:
        pages, slides = counted(self.page_count, "page"), counted(self.slide_count, "slide")
        return f"printed {quoted_name(str(self.pdf))}: {pages} for {slides} in {self.seconds:.2f} s"


def find_chromium(named: str | os.PathLike[str] | None = None) -> str:
    """The Chromium to print with: `named` (a path or a command), else the first of `CHROMIUM_NAMES` on PATH."""
    if named is not None:
        found = shutil.which(os.fspath(named))
        if found is None:
            raise NoChromiumError(f"--chromium {os.fspath(named)}: no such program (give the path of a Chromium or Chrome)")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise NoChromiumError(
        f"no Chromium found (looked for {', '.join(CHROMIUM_NAMES)} on PATH): install it "
        "(Debian or Ubuntu: apt-get install chromium) or name one with --chromium PATH"
    )


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF, counted from its page objects (`/Type /Page`, not `/Pages`)."""
    return len(_PAGE.findall(pdf))


def print_seconds(slide_count: int) -> float:
    """How long Chromium may take to print a deck of `slide_count` slides, all in all."""
    return PRINT_SECONDS + PRINT_SECONDS_PER_SLIDE * slide_count


def print_page(chromium: str, url: str, profile: Path, slide_count: int, *, show_messages: bool = False) -> tuple[bytes, int]:
    """Open `url` in headless Chromium, wait for reveal.js's print pages, print them; return (PDF, pages laid out).

    One deadline, `print_seconds(slide_count)`, for all of it: each step may take what the others left.
    """
    seconds = print_seconds(slide_count)
    deadline = time.monotonic() + seconds

    def left() -> float:
        return max(0.0, deadline - time.monotonic())

    hint = "" if show_messages else " (deckgen --debug pdf … shows Chromium's own messages)"
    try:
        with Chromium(chromium, profile, PRINT_FLAGS, show_messages=show_messages) as browser:
            try:
                page = browser.open_page(url, timeout=left())
                laid_out = int(browser.wait_for(page, READY_JS, left()))
                browser.evaluate(page, FIT_JS, timeout=left())
                printed = browser.send(
                    "Page.printToPDF",
                    {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False},
                    session=page,
                    timeout=left(),
                )
            except DevToolsError as exc:
                if left() == 0:
                    raise PdfError(f"Chromium did not print the deck's {counted(slide_count, 'slide')} in {seconds:.0f} s{hint}") from exc
                raise PdfError(f"{chromium} could not print the deck: {exc}{hint}") from exc
    except DevToolsError as exc:  # it did not even start
        raise PdfError(f"{exc}{hint}") from exc
    return base64.b64decode(printed["data"]), laid_out


def build_pdf(
    source: str | Path,
    pdf: str | Path,
    *,
    chromium: str | os.PathLike[str] | None = None,
    strict: bool = False,
    show_chromium_messages: bool = False,
) -> PdfResult:
    """Build the deck `source` and print it to `pdf`, one page per slide; raise `DeckError` on deck errors.

    Chromium's own messages (its stderr) reach this process's stderr only with `show_chromium_messages`.
    """
    from .builder import build_variant

    started = time.perf_counter()
    browser = find_chromium(chromium)
    target = Path(pdf)
    if target.is_dir():
        raise PdfError(f"{target} is a folder: name the PDF file to write")
    with tempfile.TemporaryDirectory(prefix="deckgen-pdf-") as scratch:
        folder = Path(scratch)
        result = build_variant(source, folder / "site", strict=strict, reveal=PRINT_CONFIG)
        url = result.index.resolve().as_uri() + "?print-pdf"
        data, laid_out = print_page(browser, url, folder / "profile", result.slide_count, show_messages=show_chromium_messages)
    pages = count_pages(data)
    warnings = result.warnings
    if pages != result.slide_count or laid_out != result.slide_count:
        message = f"the PDF has {pages} pages for {result.slide_count} slides (reveal.js laid out {laid_out})"
        warnings = (*warnings, Problem(str(target), None, None, "warning", "pdf-pages", message))
    partial = target.with_name(f".{target.name}.deckgen-partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, target)  # a reader never sees half a PDF
    except OSError as exc:  # a full disk, a read-only file system: the machine's fault, the old PDF kept
        from .output import writing_error

        with contextlib.suppress(OSError):
            partial.unlink()
        raise writing_error(exc, target) from None
    return PdfResult(target, pages, result.slide_count, warnings, time.perf_counter() - started)
