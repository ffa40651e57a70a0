"""Drive a built deck in headless Chromium: open it offline, visit every slide, measure and scan it.

Shared by the browser tests and `scripts/screenshots.py`, so the README pictures come from the
same machinery that the tests check.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.devtools import BROWSER_FLAGS

CHROMIUM_ARGS = BROWSER_FLAGS
VIEWPORT = {"width": 1280, "height": 720}
TIMEOUT_MS = 15_000

# Every slide as (h, v); a horizontal slide without vertical ones is (h, 0).
_SLIDE_INDICES_JS = """
() => Reveal.getHorizontalSlides().flatMap((stack, h) => {
  const vertical = stack.querySelectorAll(':scope > section');
  return vertical.length ? Array.from(vertical, (_, v) => [h, v]) : [[h, 0]];
})
"""

# Go to a slide and fast-forward its CSS transitions to their end state (transitionend still fires).
_SHOW_SLIDE_JS = """
([h, v]) => {
  Reveal.slide(h, v);
  document.getAnimations().filter(a => a instanceof CSSTransition).forEach(a => a.finish());
  const now = Reveal.getIndices();
  return now.h === h && (now.v || 0) === v;
}
"""

# The slide is in place and deckgen.js has fitted it (when it, or a neighbour, was about to be shown).
_SETTLED_JS = """
() => Reveal.getCurrentSlide().classList.contains('present')
  && document.documentElement.dataset.deckgenFitted === 'true'
  && Reveal.getCurrentSlide().hasAttribute('data-dg-fitted')
  && document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')
"""

# Measure the current slide: everything a person would call "cut off" or "spilling over".
_MEASURE_JS = """
() => {
  const section = Reveal.getCurrentSlide();
  const frame = section.querySelector(':scope > .dg-slide');
  const name = el => el.tagName.toLowerCase() + (el.classList.length ? '.' + Array.from(el.classList).join('.') : '');
  const r4 = r => [r.left, r.top, r.right, r.bottom].map(n => Math.round(n * 10) / 10);
  const problems = [];
  if (!frame) return {kind: section.dataset.dg || '', source: section.dataset.source || '', problems: ['no .dg-slide'],
                      qrLinks: [], notes: [], elements: []};
  const box = frame.getBoundingClientRect();
  if (box.left < -1 || box.top < -1 || box.right > innerWidth + 1 || box.bottom > innerHeight + 1) {
    problems.push(`slide frame ${r4(box)} is not inside the ${innerWidth}x${innerHeight} viewport`);
  }
  for (const el of frame.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1) {
      problems.push(`${name(el)} ${r4(r)} leaves the slide ${r4(box)}: ${(el.textContent || '').trim().slice(0, 60)}`);
    }
  }
  for (const el of [frame, ...frame.querySelectorAll('*')]) {
    if (!(el instanceof HTMLElement)) continue;
    const style = getComputedStyle(el);
    // A line-clamped title or an ellipsis that carries the whole text in `title` is shortened on purpose.
    const shortened = (style.webkitLineClamp !== 'none' || style.textOverflow === 'ellipsis')
      && (el.getAttribute('title') || '').trim() === (el.textContent || '').trim();
    const clips = !shortened && (style.overflowX !== 'visible' || style.overflowY !== 'visible' || el.matches('.dg-main, .dg-footer'));
    if (clips && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      problems.push(`${name(el)} content ${el.scrollWidth}x${el.scrollHeight} is cut off at ${el.clientWidth}x${el.clientHeight}: `
                    + (el.textContent || '').trim().slice(0, 60));
    }
  }
  // reveal.js draws its arrows and the slide number over the slide: they must not hide text or a QR code.
  const overlays = Array.from(document.querySelectorAll('.reveal .controls button, .reveal .slide-number'))
    .filter(el => { const s = getComputedStyle(el); return s.display !== 'none' && s.visibility !== 'hidden' && +s.opacity > 0; });
  const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const covered = (what, rect) => {
    for (const overlay of overlays) {
      const o = overlay.getBoundingClientRect();
      if (o.width > 0 && meets(rect, o)) problems.push(`${what} ${r4(rect)} is under reveal.js's ${name(overlay)} ${r4(o)}`);
    }
  };
  const texts = document.createTreeWalker(frame, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) covered(`text "${node.textContent.trim().slice(0, 40)}"`, rect);
  }
  frame.querySelectorAll('svg.dg-qr-code').forEach(svg => covered('QR code', svg.getBoundingClientRect()));
  // The footer as drawn (its background and rule too), not only its text, stays clear of the arrows.
  frame.querySelectorAll('.dg-footer').forEach(footer => covered('footer', footer.getBoundingClientRect()));
  for (const img of frame.querySelectorAll('img')) {
    if (!img.complete || img.naturalWidth === 0) problems.push(`image ${img.getAttribute('src')} did not load`);
  }
  // Each highlighted token's colour and the background it is drawn on (a marked line's, else the block's).
  const backdrop = el => {
    for (let node = el; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
    }
    return 'rgb(255, 255, 255)';
  };
  const tokens = Array.from(frame.querySelectorAll('pre.dg-code code span:not(.dg-line)'), span => ({
    text: span.textContent, colour: getComputedStyle(span).color, background: backdrop(span),
  }));
  const notes = Array.from(section.querySelectorAll(':scope > aside.notes'), aside => ({
    hidden: aside.offsetParent === null || getComputedStyle(aside).display === 'none',
    text: aside.textContent,
  }));
  return {
    kind: section.dataset.dg || '',
    source: section.dataset.source || '',
    talk: section.dataset.talk || '',
    footer: Array.from(frame.querySelectorAll('.dg-footer'), footer => footer.textContent.trim()).join(' '),
    problems,
    qrLinks: Array.from(frame.querySelectorAll('a.dg-qr-link'), a => a.getAttribute('href')),
    notes,
    tokens,
    elements: Array.from(new Set(Array.from(frame.querySelectorAll('.dg-content *'), el => el.tagName.toLowerCase()))),
  };
}
"""


AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, installed by npm as a development dependency (package.json): never part of a deck."""
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")

# axe-core over the slide shown and reveal.js's arrows (the whole page on the first slide: its
# language, title and landmarks); every violation with its impact and where.
_AXE_JS = """
async ([whole, tags]) => {
  const context = whole ? document : {include: [['.reveal .slides section.present'], ['.reveal .controls']]};
  // No preload: axe would fetch the stylesheets again, which a file:// page refuses (a console error).
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload: false});
  return {passes: result.passes.length + result.incomplete.length + result.violations.length,
          violations: result.violations.map(v => ({rule: v.id, impact: v.impact || '',
            where: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}))};
}
"""


def launch_chromium(playwright: Any, executable: str) -> Any:
    """Debian's chromium under Playwright: no download, no sandbox, no background traffic."""
    return playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS), headless=True)


@dataclass(frozen=True, slots=True)
class DecodedCode:
    """A QR code found in a screenshot."""

    text: str
    width: float
    """On-screen width in px of the code itself (the decoder's corners, quiet zone excluded)."""


@dataclass(frozen=True, slots=True)
class Notes:
    """One `aside.notes` of a slide."""

    hidden: bool
    text: str


@dataclass(frozen=True, slots=True)
class CodeToken:
    """A highlighted token of a code block, as drawn."""

    text: str
    colour: str
    """Its computed `color` (`rgb(…)`)."""
    background: str
    """The computed background it is drawn on: a marked line's, else the code block's."""


@dataclass(frozen=True, slots=True)
class Violation:
    """One rule axe-core found broken on a slide."""

    rule: str
    impact: str
    """`minor`, `moderate`, `serious` or `critical`."""
    where: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SlideVisit:
    """What one slide looked like at 1280×720."""

    h: int
    v: int
    kind: str
    """`data-dg` of the slide: title, divider, talk, plain, links, closing."""
    source: str
    """`data-source` (`path:line`) of an authored slide, else empty."""
    talk: str
    """`data-talk` (the talk file) of a talk slide, else empty."""
    footer: str
    """The text of the slide's footer (talk slides), else empty."""
    problems: tuple[str, ...]
    """Layout problems: content leaving the slide or cut off by its box."""
    qr_links: tuple[str, ...]
    """The URLs of the QR codes in the slide's HTML."""
    codes: tuple[DecodedCode, ...]
    """The QR codes read from the screenshot."""
    notes: tuple[Notes, ...]
    tokens: tuple[CodeToken, ...]
    """Highlighted tokens of the slide's code blocks."""
    elements: frozenset[str]
    """Tag names of the elements in the slide's content."""
    accessibility: tuple[Violation, ...] | None = None
    """axe-core's violations on the slide; None when the page was opened without axe."""

    @property
    def where(self) -> str:
        return f"slide {self.h}/{self.v} ({self.kind}{' ' + self.source if self.source else ''})"


def decode_qr_codes(png: bytes) -> tuple[DecodedCode, ...]:
    """Read every QR code in a screenshot with zxing-cpp."""
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("L")
    found = []
    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        pos = barcode.position
        top = math.dist((pos.top_left.x, pos.top_left.y), (pos.top_right.x, pos.top_right.y))
        bottom = math.dist((pos.bottom_left.x, pos.bottom_left.y), (pos.bottom_right.x, pos.bottom_right.y))
        found.append(DecodedCode(barcode.text, min(top, bottom)))
    return tuple(sorted(found, key=lambda code: code.text))


@dataclass
class DeckPage:
    """One page showing a built deck, with every console message and request it made."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    axe: bool = False
    """Whether axe-core is in the page: each visit then checks the slide's accessibility."""

    @classmethod
    def open(cls, browser: Any, index: Path, *, axe: bool = False) -> DeckPage:
        """Open `index.html` at 1280×720 with the network cut off, and wait for reveal.js and the fit script.

        With `axe`, axe-core is put in the page (never in the deck) and every visit runs it.
        """
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(TIMEOUT_MS)
        deck = cls(page)
        page.on("console", deck._on_console)
        page.on("pageerror", lambda error: deck.console_errors.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: deck.console_errors.append(f"request failed: {request.url}"))
        page.on("request", lambda request: deck.requests.append(request.url))
        page.route("**/*", deck._route)
        page.goto(index.resolve().as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady() && document.documentElement.dataset.deckgenFitted")
        if axe:
            page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
            deck.axe = True
        return deck

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"console error: {message.text}")

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def total_slides(self) -> int:
        return int(self.evaluate("() => Reveal.getTotalSlides()"))

    def slide_indices(self) -> list[tuple[int, int]]:
        return [(h, v) for h, v in self.evaluate(_SLIDE_INDICES_JS)]

    def show(self, h: int, v: int) -> None:
        """Go to slide (h, v) and wait until its transition is over and the fit script has run."""
        if not self.evaluate(_SHOW_SLIDE_JS, [h, v]):
            raise AssertionError(f"reveal.js did not go to slide {h}/{v}")
        self.page.wait_for_function(_SETTLED_JS)

    def screenshot(self) -> bytes:
        return self.page.screenshot(type="png", animations="disabled")

    def visit(self, h: int, v: int) -> SlideVisit:
        """Show one slide, measure its layout and read the QR codes from its screenshot."""
        self.show(h, v)
        measured = self.evaluate(_MEASURE_JS)
        accessibility = None
        if self.axe:
            checked = self.evaluate(_AXE_JS, [h == 0 and v == 0, list(AXE_TAGS)])
            if not checked["passes"]:
                raise AssertionError(f"axe-core checked nothing on slide {h}/{v}")
            accessibility = tuple(Violation(x["rule"], x["impact"], tuple(x["where"])) for x in checked["violations"])
        return SlideVisit(
            h=h,
            v=v,
            kind=measured["kind"],
            source=measured["source"],
            talk=measured["talk"],
            footer=measured["footer"],
            problems=tuple(measured["problems"]),
            qr_links=tuple(measured["qrLinks"]),
            codes=decode_qr_codes(self.screenshot()),
            notes=tuple(Notes(n["hidden"], n["text"]) for n in measured["notes"]),
            tokens=tuple(CodeToken(t["text"], t["colour"], t["background"]) for t in measured["tokens"]),
            elements=frozenset(measured["elements"]),
            accessibility=accessibility,
        )

    def tour(self) -> list[SlideVisit]:
        """Visit every slide in order."""
        return [self.visit(h, v) for h, v in self.slide_indices()]

    def close(self) -> None:
        self.page.close()
