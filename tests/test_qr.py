"""QR codes decode back to exactly their URL with a real decoder (zxing-cpp)."""

from __future__ import annotations

import re
import sys

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from deckgen.qr import QUIET_ZONE, QrCode, make_qr

URLS = [
    "https://www.youtube.com/watch?v=vdxcaR3I2ic",
    "https://www.youtube.com/watch?v=-zsThiLvYos",
    "https://static.sched.com/hosted_files/kccnceu19/6c/Learn%20how%20to%20Leverage%20Kubernetes%20to%20Support%2012%20Factor%20for%20Enterprise%20Apps.pdf",
    "HTTPS://EXAMPLE.COM/UPPER?Q=1",
    "https://example.org/ünïcode/päth?q=ß",
]
_COMMAND = re.compile(r"([Mmh])(-?\d+(?:\.5)?)(?: ?(-?\d+(?:\.5)?))?")


def lines_of(path: str) -> list[tuple[float, float, int]]:
    """The stroked lines of path data in deckgen's form: (x, y of the middle, length) each."""
    commands = _COMMAND.findall(path)
    assert "".join(f"{c}{a}{' ' + b if b and not b.startswith('-') else b}" for c, a, b in commands) == path, "unexpected path data"
    lines, x, y = [], 0.0, 0.0
    for command, a, b in commands:
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            lines.append((x, y, int(a)))
            x += int(a)
    return lines


def rasterise(code: QrCode, scale: int = 6) -> Image.Image:
    """Draw a code's function patterns and its own path as a browser would: lines one module thick, dark on white."""
    image = Image.new("L", (code.size * scale, code.size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, length in lines_of(code.pattern) + lines_of(code.path):
        assert y % 1 == 0.5, "a line off a row's middle"
        x0, y0 = round(x * scale), round((y - 0.5) * scale)
        draw.rectangle([x0, y0, x0 + length * scale - 1, y0 + scale - 1], fill=0)
    return image


@pytest.mark.parametrize("url", URLS)
def test_code_decodes_to_the_exact_url(url: str) -> None:
    code = make_qr(url)
    [result] = zxingcpp.read_barcodes(rasterise(code))
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.text == url


def test_quiet_zone_is_light_and_box_size_scales_the_code() -> None:
    code = make_qr(URLS[0])
    assert code.size == code.code_modules + 2 * QUIET_ZONE
    # Nothing is drawn in the quiet zone.
    for x, y, length in lines_of(code.pattern) + lines_of(code.path):
        assert x >= QUIET_ZONE and x + length <= code.size - QUIET_ZONE
        assert QUIET_ZONE <= y < code.size - QUIET_ZONE
    assert code.box_px(150) * code.code_modules / code.size == pytest.approx(150, abs=3)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from deckgen import cache as memory  # noqa: E402
from deckgen.cache import DATABASE, Cache  # noqa: E402
from deckgen.parallel import WorkerPool, start_method  # noqa: E402
from deckgen.qr import make_qr_codes  # noqa: E402

url_paths = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FF, exclude_characters="\x7f"), max_size=160)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["http://", "https://", "HTTPS://"]), st.from_regex(r"[a-z0-9-]{1,20}\.[a-z]{2,6}", fullmatch=True), url_paths)
def test_fixed_mask_codes_decode_for_any_url(scheme: str, host: str, path: str) -> None:
    url = f"{scheme}{host}/{path}"
    code = make_qr(url)
    results = zxingcpp.read_barcodes(rasterise(code, scale=4))
    assert [r.text for r in results] == [url]


def test_codes_come_back_from_the_cache_and_survive_corrupt_entries(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    cache = Cache(tmp_path, "qr")
    first = make_qr_codes(URLS, cache)
    with sqlite3.connect(tmp_path / DATABASE) as db:
        assert db.execute("SELECT count(*) FROM entries WHERE namespace = 'qr'").fetchone() == (len(URLS),)
        key = db.execute("SELECT key FROM entries LIMIT 1").fetchone()[0]
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (b"garbage", key))
    memory._memory.clear()  # as a new process would: read the entries back from disk
    again = make_qr_codes(URLS, cache)
    assert again == first


@pytest.mark.parametrize("method", ["fork", "spawn"] if sys.platform.startswith("linux") else ["spawn"])
def test_many_codes_are_made_by_a_worker_too_and_alike(method: str) -> None:
    urls = [f"https://example.com/talk/{i}" for i in range(300)]
    if method == "fork" and start_method() != "fork":
        pytest.skip("this process has threads now: forking it is not safe")
    with WorkerPool(2, method) as pool:
        codes = make_qr_codes(urls, None, pool)
    assert pool.items_by_workers > 0, "no code was made by a worker"
    assert [codes[u] for u in urls] == [make_qr(u) for u in urls]


def test_pattern_and_path_draw_exactly_the_matrix_and_codes_of_a_size_share_the_pattern() -> None:
    import qrcode
    import qrcode.constants

    from deckgen.qr import ERROR_CORRECTION, MASK_PATTERN

    codes = [make_qr(f"https://example.com/talk/{i}") for i in range(6)] + [make_qr(url) for url in URLS]
    for code in codes:
        level = getattr(qrcode.constants, f"ERROR_CORRECT_{ERROR_CORRECTION}")
        reference = qrcode.QRCode(error_correction=level, border=QUIET_ZONE, box_size=1, mask_pattern=MASK_PATTERN)
        reference.add_data(code.url)
        matrix = reference.get_matrix()
        drawn = rasterise(code, scale=1)
        assert [[drawn.getpixel((x, y)) == 0 for x in range(code.size)] for y in range(code.size)] == matrix
    by_size: dict[int, set[str]] = {}
    for code in codes:
        by_size.setdefault(code.size, set()).add(code.pattern)
    assert all(len(patterns) == 1 for patterns in by_size.values())
    assert len(by_size) >= 3, "the URLs should span several sizes"
