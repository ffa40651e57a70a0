"""Find a deck's files, read them as text, and split front-matter from body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Collector

DECK_FILE = "deck.yaml"
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


def discover_slide_files(slides_dir: Path) -> list[Path]:
    """Return every `.md` file under `slides_dir` in natural path order, skipping `_`/`.` names."""
    found: list[Path] = []

    def walk(folder: Path) -> None:
        entries = sorted(folder.iterdir(), key=lambda p: natural_key(p.name))
        for entry in entries:
            if _is_skipped(entry.name):
                continue
            if entry.is_dir():
                walk(entry)
            elif entry.suffix.lower() == ".md" and entry.is_file():
                found.append(entry)

    if slides_dir.is_dir():
        walk(slides_dir)
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


def read_text(path: Path, rel: str, problems: Collector) -> SourceText | None:
    """Read one deck file as text, reporting unreadable files as problems."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(rel, None, None, "unreadable", f"cannot read file: {exc.strerror or exc}")
        return None
    return decode_text(data, rel, problems)


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
