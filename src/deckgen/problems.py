"""Problems found in a deck: data first, an exception only at the library boundary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .errors import DeckgenError

Severity = Literal["error", "warning"]


def printable(text: str) -> str:
    """`text` with each character that does not print as itself (a newline, a tab, an escape, a
    bidirectional control, an undecodable byte of a file name) written as its Python escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def quoted_name(name: str) -> str:
    """A file name as a message shows it: as it is, or, when it holds a character that does not print
    as itself, in double quotes with that character escaped (as git quotes such names)."""
    if name.isprintable():
        return name
    return '"' + printable(name.replace("\\", "\\\\").replace('"', '\\"')) + '"'


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a deck, at a place in one of its files."""

    path: str
    """The file, relative to the deck folder, in POSIX form (`slides/10-talk.md`)."""
    line: int | None
    """1-based line in the original file (front-matter and BOM counted), or None for the whole file."""
    column: int | None
    """1-based column, or None when only the line is known."""
    severity: Severity
    code: str
    """A stable identifier (`unknown-track`), printed as `[deckgen.unknown-track]`."""
    message: str

    def __str__(self) -> str:
        """The compiler-style line: always one line, whatever the file's name or the message hold."""
        where = quoted_name(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {printable(self.message)} [deckgen.{self.code}]"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def under(self, folder: str) -> Problem:
        """This problem with its path seen from the folder above: `folder` is the deck's path from there."""
        if folder in ("", ".") or self.path.startswith("/"):
            return self
        return Problem(f"{folder.rstrip('/')}/{self.path}", self.line, self.column, self.severity, self.code, self.message)

    def as_error(self) -> Problem:
        """Return this problem as an error (for `--strict`)."""
        return Problem(self.path, self.line, self.column, "error", self.code, self.message)


def sort_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """Order problems by file and position so output is stable."""
    return tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.column or 0, p.code, p.message)))


class DeckError(DeckgenError):
    """A deck that cannot be built; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = sort_problems(problems)
        super().__init__(str(self))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class Collector:
    """Gathers problems while a stage runs, so a stage reports all of them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path: str, line: int | None, column: int | None, code: str, message: str) -> None:
        self.problems.append(Problem(path, line, column, "error", code, message))

    def warning(self, path: str, line: int | None, column: int | None, code: str, message: str) -> None:
        self.problems.append(Problem(path, line, column, "warning", code, message))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)
