"""QR codes as SVG path data (`qrpath.py`): one unit per module, drawn by the theme's template."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from .cache import Cache, library_versions, make_key
from .parallel import map_forked, start_forked
from .qrpath import function_pattern_cells, split_paths

QUIET_ZONE = 4
"""Modules of light margin around a code, as the QR standard asks."""
MASK_PATTERN = 2
"""A fixed mask: choosing the best of eight costs six times as much, and every code still decodes
(the decoder tests read each code back, from rasters and from browser screenshots)."""
PARALLEL_FROM = 96
"""Codes to make before a second process pays for itself."""


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


@lru_cache(maxsize=8192)
def make_qr(url: str) -> QrCode:
    """Encode `url` exactly as written (error correction M, standard quiet zone)."""
    import qrcode  # imported here: loading and checking a deck need no QR codes
    from qrcode.constants import ERROR_CORRECT_M
    from qrcode.util import pattern_position

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1, mask_pattern=MASK_PATTERN)
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
    return f"{library_versions('qrcode')} M border={QUIET_ZONE} mask={MASK_PATTERN}"


def _make_many(urls: list[str]) -> list[QrCode]:
    """Make codes, on every core when there are many."""
    if len(urls) >= PARALLEL_FROM:
        import qrcode  # noqa: F401  (imported before forking, so workers start warm)

    return map_forked(make_qr, urls, worth_it=len(urls) >= PARALLEL_FROM)


def _import_qrcode_without_pillow() -> None:
    """Import qrcode in a child process that only makes codes and then exits.

    qrcode imports pillow's image drawers whether or not they are used (about 10 ms when pillow
    is installed); deckgen draws SVG itself, so the child hides pillow (an import of a module set
    to None fails, which qrcode allows for). Never done in the main process: a program that
    imports deckgen may use qrcode's pillow drawers itself.
    """
    import sys

    if "qrcode.main" in sys.modules or "PIL" in sys.modules:
        return
    sys.modules["PIL"] = None  # type: ignore[assignment]
    try:
        import qrcode.main  # noqa: F401
    finally:
        del sys.modules["PIL"]


def _make_and_cache(job: tuple[list[str], Cache | None, str]) -> list[QrCode]:
    """Make the codes of `urls` and keep them in the cache (in the child, when there is one)."""
    urls, cache, settings = job
    codes = _make_many(urls)
    if settings and cache is not None:
        for code in codes:
            cache.put(make_key(settings, code.url), (code.url, code.path, code.size, code.pattern))
        cache.flush()
    return codes


OVERLAP_FROM = 12
"""Missing codes worth making in a child process while this one renders the slides."""


def start_qr_codes(urls: Iterable[str], cache: Cache | None = None) -> Callable[[], dict[str, QrCode]]:
    """Start making the codes of every URL; the returned function gives them all.

    Cached codes are read now. Of the missing ones, many are made on every core when asked for;
    a dozen or more start now in a child process, so they are made while the slides render.
    """
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
    job = (missing, cache, settings)
    if OVERLAP_FROM <= len(missing) < PARALLEL_FROM:
        made = start_forked(_make_and_cache, job, in_child=_import_qrcode_without_pillow)
    else:
        made = lambda: _make_and_cache(job)  # noqa: E731

    def finish() -> dict[str, QrCode]:
        for code in made():
            codes[code.url] = code
        return {url: codes[url] for url in wanted}

    return finish


def make_qr_codes(urls: Iterable[str], cache: Cache | None = None) -> dict[str, QrCode]:
    """Codes for every URL, from the cache where it has them, made (and cached) where not."""
    return start_qr_codes(urls, cache)()
