"""Regenerate the README's pictures of the example deck: `python scripts/screenshots.py`.

Builds examples/kubecon-eu-2019, shows it in Chromium with the browser tests' own machinery
(tests/browser/deckbrowser.py) and saves four slides into docs/screenshots/ as small palette PNGs:
the title slide, a talk slide with its QR code, a track divider and a links page. Needs the `test`
extra (playwright, pillow, zxing-cpp) and Debian's chromium (or DECKGEN_CHROMIUM).
"""

from __future__ import annotations

import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

from conftest import EXAMPLE, find_chromium  # noqa: E402  (tests/conftest.py)
from deckbrowser import DeckPage, decode_qr_codes, launch_chromium  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
WIDTH = 960
COLOURS = 256
MAX_BYTES = 200_000

# Every slide of the page, as (h, v).
_SLIDES_JS = """
() => Array.from(document.querySelectorAll('.reveal .slides section[data-dg]'), section => {
  const at = Reveal.getIndices(section);
  return [at.h, at.v || 0];
})
"""

# What it takes to pick the pictures, of the slide shown: a slide's content waits as text until the
# slide is about to be shown (deckgen.js puts it in place), so it is counted once the slide is shown.
_SHOWN_JS = """
() => {
  const section = Reveal.getCurrentSlide();
  return {kind: section.dataset.dg, qr: section.querySelectorAll('.dg-qr-code').length,
          items: section.querySelectorAll('.dg-content li').length};
}
"""

PICTURES = {
    "title": lambda s: s["kind"] == "title",
    "talk": lambda s: s["kind"] == "talk" and s["qr"] == 1 and s["items"] >= 4,
    "divider": lambda s: s["kind"] == "divider",
    "links": lambda s: s["kind"] == "links",
}
"""File name (without .png) and the first slide it shows."""


def shrink(png: bytes) -> bytes:
    """Downscale to WIDTH px and quantize to a small palette: a README picture, not a print."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


def first_shown(page: DeckPage, slides: list[tuple[int, int]], wanted: Callable[[dict[str, Any]], bool]) -> tuple[int, int]:
    """The first slide that, once shown, is what `wanted` asks for."""
    for h, v in slides:
        page.show(h, v)
        if wanted(page.evaluate(_SHOWN_JS)):
            return h, v
    raise LookupError("no slide of the example deck fits the picture")


def main() -> int:
    from playwright.sync_api import sync_playwright

    import deckgen

    chromium = find_chromium()
    if chromium is None:
        print("no chromium on PATH: install Debian's 'chromium' or set DECKGEN_CHROMIUM", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        result = deckgen.build(EXAMPLE, Path(tmp) / "out")
        browser = launch_chromium(playwright, chromium)
        page = DeckPage.open(browser, result.index)
        slides = page.evaluate(_SLIDES_JS)
        for name, wanted in PICTURES.items():
            h, v = first_shown(page, slides, wanted)
            visit = page.visit(h, v)
            picture = shrink(page.screenshot())
            # The picture must show what the tests check: a slide that fits, and QR codes that still scan.
            scanned = sorted(code.text for code in decode_qr_codes(picture))
            if visit.problems or scanned != sorted(visit.qr_links) or len(picture) >= MAX_BYTES:
                print(f"{name}: {visit.where}: {visit.problems}, scanned {scanned}, {len(picture)} bytes", file=sys.stderr)
                return 1
            (OUT / f"{name}.png").write_bytes(picture)
            print(f"{OUT.relative_to(ROOT) / name}.png: {visit.where}, {len(picture) // 1024} KB")
        page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
