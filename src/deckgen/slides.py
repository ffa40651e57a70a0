"""Split a Markdown file's body into slides: `---` and `--` lines, `Note:` speaker notes, by source line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import LocalRef, Slide, SlideStack, SourcePos
from .refs import find_local_refs

# `Note:` or `Notes:` in any case, as reveal.js accepts them (up to three spaces before, as Markdown allows).
_NOTE_LINE = re.compile(r"^ {0,3}notes?:\s?(.*)$", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Lines of one slide before it becomes a `Slide`."""

    lines: tuple[str, ...]
    notes: tuple[str, ...]
    first_line: int
    notes_line: int = 0
    """The line of the first notes line: the `Note:` line itself (its text after the marker)."""
    notes_column: int = 1
    """Where the first notes line's text starts on that line (after `Note: `)."""


def _split_lines(body: str, first_line: int) -> list[list[_Chunk]]:
    """Cut a body at `---` (next slide) and `--` (vertical slide) lines, outside fenced code."""
    stacks: list[list[_Chunk]] = [[]]
    lines: list[str] = []
    notes: list[str] | None = None
    start = first_line
    fence: str | None = None

    notes_at = (0, 1)

    def close(next_start: int) -> None:
        nonlocal lines, notes, start
        stacks[-1].append(_Chunk(tuple(lines), tuple(notes or ()), start, *notes_at))
        lines, notes, start = [], None, next_start

    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
        elif fence_match:
            fence = fence_match.group(1)
        elif line.rstrip() == "---":
            close(number + 1)
            stacks.append([])
            continue
        elif line.rstrip() == "--":
            close(number + 1)
            continue
        elif notes is None and (note := _NOTE_LINE.match(line)):
            notes = [note.group(1)]
            notes_at = (number, note.start(1) + 1)
            continue
        (lines if notes is None else notes).append(line)
    close(first_line)
    return stacks


def _is_blank(chunk: _Chunk) -> bool:
    return not any(line.strip() for line in chunk.lines) and not any(line.strip() for line in chunk.notes)


def split_slides(body: str, first_line: int, rel: str, html: bool) -> tuple[SlideStack, ...]:
    """Split a file body into slide stacks; empty slides (e.g. a trailing `---`) are dropped."""
    stacks: list[SlideStack] = []
    for raw_stack in _split_lines(body, first_line):
        slides = []
        for chunk in raw_stack:
            if _is_blank(chunk):
                continue
            leading = next((i for i, line in enumerate(chunk.lines) if line.strip()), 0)
            text = "\n".join(chunk.lines[leading:]).rstrip()
            pos = SourcePos(rel, chunk.first_line + leading)
            notes = "\n".join(chunk.notes)
            refs = find_local_refs(text, pos.line, rel, html) + _notes_refs(notes, chunk, rel, html)
            slides.append(Slide(text, notes.strip("\n"), pos, refs))
        if slides:
            stacks.append(SlideStack(tuple(slides)))
    return tuple(stacks)


def _notes_refs(notes: str, chunk: _Chunk, rel: str, html: bool) -> tuple[LocalRef, ...]:
    """The files speaker notes name (shown in the speaker view, so copied too), at their file positions."""
    if not notes.strip():
        return ()
    refs = find_local_refs(notes, chunk.notes_line, rel, html)
    # The first notes line starts after `Note: ` on its line: columns there are shifted by the marker.
    return tuple(
        LocalRef(r.target, SourcePos(r.pos.path, r.pos.line, r.pos.column + chunk.notes_column - 1), r.in_raw_html, r.written)
        if r.pos.line == chunk.notes_line
        else r
        for r in refs
    )
