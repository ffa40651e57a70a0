"""QR codes as SVG path data: one unit per module, drawn by the theme's template."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

QUIET_ZONE = 4
"""Modules of light margin around a code, as the QR standard asks."""


@dataclass(frozen=True, slots=True)
class QrCode:
    """A QR code of one URL, ready for an inline `<svg>`."""

    url: str
    path: str
    """SVG path data of the dark modules, in module units, quiet zone included."""
    size: int
    """Width in modules, quiet zone included."""

    @property
    def code_modules(self) -> int:
        """Width in modules of the code itself, without the quiet zone."""
        return self.size - 2 * QUIET_ZONE

    def box_px(self, code_px: float) -> int:
        """Width in px of the whole SVG when the code itself is `code_px` wide."""
        return round(code_px * self.size / self.code_modules)


def _path_data(matrix: list[list[bool]]) -> str:
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return "".join(runs)


@lru_cache(maxsize=4096)
def make_qr(url: str) -> QrCode:
    """Encode `url` exactly as written (error correction M, standard quiet zone)."""
    import qrcode  # imported here: building the model and checking a deck need no QR codes
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    return QrCode(url, _path_data(matrix), len(matrix))
