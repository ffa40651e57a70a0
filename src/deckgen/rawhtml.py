"""Local paths in raw HTML: found with their positions, and rewritten like Markdown's own.

Only start tags that name a local file change: such a tag is written again from the parsed tag
name and attributes (values escaped), with its paths pointing at their copies in the output.
Everything else of the raw HTML is passed through as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from typing import Callable

from .markdown import is_local_target

PATH_ATTRIBUTES: dict[str, frozenset[str]] = {
    "src": frozenset({"img", "source", "video", "audio", "track", "iframe", "embed", "script", "input"}),
    "href": frozenset({"a", "area", "link"}),
    "poster": frozenset({"video"}),
    "data": frozenset({"object"}),
}
"""The attributes that name a file, and the elements on which a browser loads or links it."""

@dataclass(frozen=True, slots=True)
class HtmlPath:
    """A local path in raw HTML: the attribute's value, where it is, and which tag and attribute hold it."""

    value: str
    line: int
    """1-based line in the raw HTML."""
    column: int
    """0-based column of the value in that line."""
    tag: str
    attribute: str


Rewrite = Callable[[str, str, str], "str | None"]
"""(tag, attribute, local path) → the attribute's new value, or None to keep it."""


class _RawHtmlPaths(HTMLParser):
    def __init__(self, source: str, rewrite: Rewrite | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = source.split("\n")
        self.rewrite = rewrite
        self.found: list[HtmlPath] = []
        self.rewritten: list[tuple[int, int, str, str]] = []
        """(line, column, tag as written, tag as rewritten) of each start tag that changes."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=True)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        line, column = self.getpos()
        new_attrs: list[tuple[str, str | None]] = []
        changed = False
        for name, value in attrs:
            if tag in PATH_ATTRIBUTES.get(name, ()) and value and is_local_target(value):
                at = self.lines[line - 1].find(value, column)  # the value itself, where the tag's line has it
                self.found.append(HtmlPath(value, line, at if at >= 0 else column, tag, name))
                new_value = self.rewrite(tag, name, value) if self.rewrite else None
                if new_value is not None and new_value != value:
                    value, changed = new_value, True
            new_attrs.append((name, value))
        written = self.get_starttag_text()
        if changed and written is not None:
            attributes = "".join(f" {name}" if value is None else f' {name}="{escape(value)}"' for name, value in new_attrs)
            self.rewritten.append((line, column, written, f"<{tag}{attributes}{' /' if closed else ''}>"))


def find_html_paths(source: str) -> list[HtmlPath]:
    """Each local path in `source`, in order."""
    finder = _RawHtmlPaths(source)
    finder.feed(source)
    finder.close()
    return finder.found


def rewrite_html_paths(source: str, rewrite: Rewrite) -> str:
    """`source` with the local paths of its tags replaced by what `rewrite` gives for them."""
    finder = _RawHtmlPaths(source, rewrite)
    finder.feed(source)
    finder.close()
    if not finder.rewritten:
        return source
    line_starts = [0]
    for line in finder.lines[:-1]:
        line_starts.append(line_starts[-1] + len(line) + 1)
    result = source
    for line, column, written, replacement in reversed(finder.rewritten):  # from the end: offsets stay valid
        start = line_starts[line - 1] + column
        if result.startswith(written, start):
            result = result[:start] + replacement + result[start + len(written) :]
    return result
