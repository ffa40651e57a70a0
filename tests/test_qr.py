"""QR codes decode back to exactly their URL with a real decoder (zxing-cpp)."""

from __future__ import annotations

import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from deckgen.qr import QUIET_ZONE, make_qr

URLS = [
    "https://www.youtube.com/watch?v=vdxcaR3I2ic",
    "https://www.youtube.com/watch?v=-zsThiLvYos",
    "https://static.sched.com/hosted_files/kccnceu19/6c/Learn%20how%20to%20Leverage%20Kubernetes%20to%20Support%2012%20Factor%20for%20Enterprise%20Apps.pdf",
    "HTTPS://EXAMPLE.COM/UPPER?Q=1",
    "https://example.org/ünïcode/päth?q=ß",
]
_RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\d+z")


def rasterise(path: str, size: int, scale: int = 6) -> Image.Image:
    """Draw the SVG path data as a browser would: dark runs on white."""
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    runs = _RUN.findall(path)
    assert "".join(f"M{x} {y}h{w}v1h-{w}z" for x, y, w in runs) == path, "path data has an unexpected shape"
    for x, y, w in runs:
        x0, y0 = int(x) * scale, int(y) * scale
        draw.rectangle([x0, y0, x0 + int(w) * scale - 1, y0 + scale - 1], fill=0)
    return image


@pytest.mark.parametrize("url", URLS)
def test_code_decodes_to_the_exact_url(url: str) -> None:
    code = make_qr(url)
    [result] = zxingcpp.read_barcodes(rasterise(code.path, code.size))
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.text == url


def test_quiet_zone_is_light_and_box_size_scales_the_code() -> None:
    code = make_qr(URLS[0])
    assert code.size == code.code_modules + 2 * QUIET_ZONE
    # Nothing is drawn in the quiet zone.
    for x, y, w in _RUN.findall(code.path):
        assert QUIET_ZONE <= int(x) and int(x) + int(w) <= code.size - QUIET_ZONE
        assert QUIET_ZONE <= int(y) < code.size - QUIET_ZONE
    assert code.box_px(150) * code.code_modules / code.size == pytest.approx(150, abs=3)
