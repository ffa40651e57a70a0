"""Find a deck's files, read them as text, and split front-matter from body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Collector
from .stamps import FileStamp, stamp

DECK_FILE = "deck.yaml"
SITE_FILE = "site.yaml"
"""The settings of a folder of decks (`deckgen site`), beside the deck folders."""
SLIDES_DIR = "slides"
_BOM = "\ufeff"
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class SourceText:
    """A file's text with LF line ends and without BOM, and its path relative to the deck."""

    rel: str
    text: str


@dataclass(frozen=True, slots=True)
class SplitSource:
    """A Markdown file cut into its front-matter and body."""

    rel: str
    front_matter: str | None
    """The YAML between the `---` lines, or None when the file has none."""
    front_matter_line: int
    """The file line of the first front-matter line (2 when the file starts with front-matter)."""
    body: str
    body_line: int
    """The file line on which the body starts."""


def line_and_column(text: str | bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text` (columns count characters, or bytes for bytes)."""
    if isinstance(text, bytes):
        line_start, line = text.rfind(b"\n", 0, offset) + 1, text.count(b"\n", 0, offset) + 1
    else:
        line_start, line = text.rfind("\n", 0, offset) + 1, text.count("\n", 0, offset) + 1
    return line, offset - line_start + 1


def natural_key(path: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that compares runs of digits as numbers: `2-x` before `10-y`."""
    parts: list[tuple[int, int | str]] = []
    for chunk in _DIGITS.split(path.lower()):
        if chunk.isdigit():
            parts.append((0, int(chunk)))
        elif chunk:
            parts.append((1, chunk))
    return tuple(parts)


def _is_skipped(name: str) -> bool:
    return name.startswith((".", "_"))


class DeckReader:
    """Reads a deck folder's files, and only those: a file or folder that leads out of it is an error.

    Each file and folder is stamped just before it is read, so the record of a build (`manifest.py`)
    holds what the loader actually read, whichever way it was reached (a linked folder included).
    """

    def __init__(self, root: Path, problems: Collector) -> None:
        self.root = root
        """The deck folder, resolved."""
        self.problems = problems
        self.stamps: list[FileStamp] = []

    def rel(self, path: Path) -> str:
        return relative_name(path, self.root)

    def leads_outside(self, path: Path) -> bool:
        """Whether `path` is a symbolic link out of the deck folder (an error at its path): nothing leaves the deck."""
        if not path.is_symlink():
            return False
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a loop of links
            self.problems.error(self.rel(path), None, None, "unreadable", "cannot read: a loop of symbolic links")
            return True
        if target.is_relative_to(self.root):
            return False
        self.problems.error(self.rel(path), None, None, "outside-deck", f"symbolic link to {target}, outside the deck folder")
        return True

    def read_bytes(self, path: Path) -> bytes | None:
        """A deck file's bytes; None (and an error at its path) when it cannot be read or leads out of the deck."""
        if self.leads_outside(path):
            return None
        self.stamps.append(stamp(path))
        try:
            return path.read_bytes()
        except OSError as exc:
            self.problems.error(self.rel(path), None, None, "unreadable", f"cannot read file: {exc.strerror or exc}")
            return None

    def read_text(self, path: Path) -> SourceText | None:
        """A deck file as text (see `decode_text`), reporting unreadable files as problems."""
        data = self.read_bytes(path)
        return decode_text(data, self.rel(path), self.problems) if data is not None else None

    def discover(self, slides_dir: Path) -> list[Path]:
        """Every `.md` file under `slides_dir` in natural path order, skipping `_`/`.` names.

        A linked file or folder is read when it leads to a place inside the deck folder; a folder
        linked back to one being read is an error, not a loop.
        """
        found: list[Path] = []

        def walk(folder: Path, reading: tuple[Path, ...]) -> None:
            self.stamps.append(stamp(folder))  # an added or removed file changes its folder's stamp
            try:
                entries = sorted(folder.iterdir(), key=lambda p: natural_key(p.name))
            except OSError as exc:
                self.problems.error(self.rel(folder), None, None, "unreadable", f"cannot read folder: {exc.strerror or exc}")
                return
            for entry in entries:
                if _is_skipped(entry.name):
                    continue
                if entry.is_dir():
                    if self.leads_outside(entry):
                        continue
                    real = entry.resolve()
                    if real in reading:
                        self.problems.error(self.rel(entry), None, None, "link-loop", "symbolic link to a folder that holds it")
                    else:
                        walk(entry, (*reading, real))
                elif entry.suffix.lower() == ".md" and not self.leads_outside(entry):
                    if entry.is_file():
                        found.append(entry)
                    elif entry.is_symlink():
                        self.problems.error(self.rel(entry), None, None, "missing-file", "symbolic link to a file that does not exist")

        if slides_dir.is_dir() and not self.leads_outside(slides_dir):
            walk(slides_dir, (slides_dir.resolve(),))
        return found


def relative_name(path: Path, root: Path) -> str:
    """The path relative to the deck folder, POSIX style, as printed in messages."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def decode_text(data: bytes, rel: str, problems: Collector) -> SourceText | None:
    """Decode UTF-8 (optional BOM, CRLF or CR line ends); report the first bad byte's line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_and_column(data, exc.start)
        problems.error(rel, line, column, "not-utf8", f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        return None
    if text.startswith(_BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(rel, text)


def split_front_matter(source: SourceText, problems: Collector) -> SplitSource | None:
    """Split `---` front-matter from the body; an unclosed block is an error at its opening line."""
    lines = source.text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return SplitSource(source.rel, None, 1, source.text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return SplitSource(source.rel, front, 2, body, index + 2)
    problems.error(source.rel, 1, 1, "unclosed-front-matter", "front-matter opened by '---' is never closed by a '---' line")
    return None
