"""A QR code's dark modules as compact SVG path data.

Each run of dark modules in a row is one stroked line one module thick (`h5`), reached from the
previous run by a relative move (`m3 0`, `m-20 1`): a few characters a run, where a filled
rectangle took a dozen. The function patterns (finders, timing, alignment, format and version
information) are the same in every code of a version, error correction level and mask, so they
are drawn once per page for each size and shared by the codes of that size; a code's own path
draws only the rest (and may run through shared dark modules, which costs nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Matrix = Sequence[Sequence[bool]]
Cell = tuple[int, int]
"""(row, column) in the code's own modules, quiet zone excluded."""


def function_pattern_cells(version: int, alignment_centres: Sequence[int]) -> frozenset[Cell]:
    """The modules whose colour depends only on the version, error correction level and mask."""
    n = 17 + 4 * version
    cells: set[Cell] = set()

    def block(rows: range, columns: range) -> None:
        cells.update((r, c) for r in rows for c in columns)

    # The three finders with their separators and the format information beside them (row and
    # column 8, which also hold the dark module).
    block(range(9), range(9))
    block(range(9), range(n - 8, n))
    block(range(n - 8, n), range(9))
    # Timing patterns.
    block(range(6, 7), range(n))
    block(range(n), range(6, 7))
    # Alignment patterns, except where a finder already is.
    for row in alignment_centres:
        for column in alignment_centres:
            if (row, column) not in cells:
                block(range(row - 2, row + 3), range(column - 2, column + 3))
    if version >= 7:  # version information
        block(range(n - 11, n - 8), range(6))
        block(range(6), range(n - 11, n - 8))
    return frozenset(cells)


def stroke_path(matrix: Matrix, border: int, must: Callable[[int, int], bool], may: Callable[[int, int], bool]) -> str:
    """Path data of the runs of modules that `may` be drawn and hold one that `must` be.

    `matrix` includes a quiet zone `border` modules wide; the callables take a code cell (row,
    column without the border). Lines lie on each row's middle (`y + .5`), one module thick.
    """
    parts: list[str] = []
    pen: tuple[int, int] | None = None  # where the last line ended: (x, y), in modules of the matrix
    for y in range(border, len(matrix) - border):
        x, end = border, len(matrix[y]) - border
        while x < end:
            if not may(y - border, x - border):
                x += 1
                continue
            start, needed = x, False
            while x < end and may(y - border, x - border):
                needed = needed or must(y - border, x - border)
                x += 1
            if not needed:
                continue
            move = f"M{start} {y}.5" if pen is None else f"m{start - pen[0]} {y - pen[1]}"
            parts.append(f"{move}h{x - start}")
            pen = (x, y)
    return "".join(parts)


def split_paths(matrix: Matrix, border: int, pattern_cells: frozenset[Cell]) -> tuple[str, str]:
    """(the function patterns' path, the rest's path) of a code's `matrix` (quiet zone included)."""

    def dark(row: int, column: int) -> bool:
        return bool(matrix[row + border][column + border])

    def dark_pattern(row: int, column: int) -> bool:
        return (row, column) in pattern_cells and dark(row, column)

    def dark_data(row: int, column: int) -> bool:
        return (row, column) not in pattern_cells and dark(row, column)

    return stroke_path(matrix, border, dark_pattern, dark_pattern), stroke_path(matrix, border, dark_data, dark)
