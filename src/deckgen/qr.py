"""QR codes as SVG path data (`qrpath.py`): one unit per module, drawn by the theme's template."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .cache import Cache, library_versions, make_key
from .qrpath import function_pattern_cells, split_paths
from .worker import in_worker

if TYPE_CHECKING:
    from .parallel import WorkerPool

QUIET_ZONE = 4
"""Modules of light margin around a code, as the QR standard asks."""
ERROR_CORRECTION = "L"
"""The QR level of error correction. A code on a screen is not torn or stained, it is seen from
afar: level L's fewer modules are larger at the same size, so they scan from further back, and
the page carries a quarter less path data than at level M."""
MASK_PATTERN = 2
"""A fixed mask: choosing the best of eight costs six times as much, and every code still decodes
(the decoder tests read each code back, from rasters and from browser screenshots)."""
CODE_SECONDS = 0.0008
"""What making one code costs (see docs/benchmark.md): the pool starts workers only for enough of them."""


@dataclass(frozen=True, slots=True)
class QrCode:
    """A QR code of one URL, ready for an inline `<svg>`."""

    url: str
    path: str
    """SVG path data (stroked lines) of the dark modules besides the function patterns, in module
    units, quiet zone included."""
    size: int
    """Width in modules, quiet zone included."""
    pattern: str
    """SVG path data of the function patterns: the same for every code of this size, drawn once a page."""

    @property
    def code_modules(self) -> int:
        """Width in modules of the code itself, without the quiet zone."""
        return self.size - 2 * QUIET_ZONE

    @property
    def id(self) -> str:
        """A stable element id for the code's SVG symbol in the page."""
        return "qr-" + hashlib.sha256(self.url.encode("utf-8", "surrogatepass")).hexdigest()[:12]

    @property
    def pattern_id(self) -> str:
        """The element id of the function patterns every code of this size shares."""
        return f"qr-p{self.size}"

    def box_px(self, code_px: float) -> int:
        """Width in px of the whole SVG when the code itself is `code_px` wide."""
        return round(code_px * self.size / self.code_modules)


def make_qr(url: str) -> QrCode:
    """Encode `url` exactly as written (error correction `ERROR_CORRECTION`, standard quiet zone)."""
    import qrcode  # imported here: loading and checking a deck need no QR codes
    import qrcode.constants
    from qrcode.util import pattern_position

    level = getattr(qrcode.constants, f"ERROR_CORRECT_{ERROR_CORRECTION}")
    code = qrcode.QRCode(error_correction=level, border=QUIET_ZONE, box_size=1, mask_pattern=MASK_PATTERN)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    assert code.version is not None  # set by make(fit=True)
    pattern, rest = split_paths(matrix, QUIET_ZONE, _pattern_cells(code.version, tuple(pattern_position(code.version))))
    return QrCode(url, rest, len(matrix), pattern)


@lru_cache(maxsize=64)
def _pattern_cells(version: int, alignment_centres: tuple[int, ...]) -> frozenset[tuple[int, int]]:
    return function_pattern_cells(version, alignment_centres)


def _settings_key() -> str:
    """What a cached code depends on besides its URL: the settings and the installed qrcode."""
    return f"{library_versions('qrcode')} {ERROR_CORRECTION} border={QUIET_ZONE} mask={MASK_PATTERN}"


def _make_code(url: str) -> QrCode:
    """`make_qr`, in a worker without pillow (see `_import_qrcode_without_pillow`)."""
    if in_worker():
        _import_qrcode_without_pillow()
    return make_qr(url)


def _import_qrcode_without_pillow() -> None:
    """Import qrcode in a worker process, which only makes codes and then exits.

    qrcode imports pillow's image drawers whether or not they are used (when pillow is installed);
    deckgen draws SVG itself, so the worker hides pillow (an import of a module set to None fails,
    which qrcode allows for). Never done in the calling process: a program that imports deckgen
    may use qrcode's pillow drawers itself.
    """
    import sys

    if "qrcode.main" in sys.modules or "PIL" in sys.modules:
        return
    sys.modules["PIL"] = None  # type: ignore[assignment]
    try:
        import qrcode.main  # noqa: F401
    finally:
        del sys.modules["PIL"]


def make_qr_codes(urls: Iterable[str], cache: Cache | None = None, pool: WorkerPool | None = None) -> dict[str, QrCode]:
    """Codes for every URL: from the cache where it has them, else made (on the `pool`'s workers too, when many) and cached."""
    wanted = list(dict.fromkeys(urls))
    settings = _settings_key() if cache is not None and cache.enabled else ""
    codes: dict[str, QrCode] = {}
    missing: list[str] = []
    for url in wanted:
        hit = cache.get(make_key(settings, url)) if settings and cache is not None else None
        if isinstance(hit, tuple) and len(hit) == 4 and hit[0] == url:
            codes[url] = QrCode(*hit)
        else:
            missing.append(url)
    if pool is not None:
        made = pool.map(_make_code, missing, work_seconds=len(missing) * CODE_SECONDS)
    else:
        made = [make_qr(url) for url in missing]
    for code in made:
        codes[code.url] = code
        if settings and cache is not None:
            cache.put(make_key(settings, code.url), (code.url, code.path, code.size, code.pattern))
    if settings and cache is not None:
        cache.flush()
    return {url: codes[url] for url in wanted}
