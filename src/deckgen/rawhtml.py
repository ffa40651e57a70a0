"""The local paths named in a piece of raw HTML: only read, never rewritten (validation warns)."""

from __future__ import annotations

from html.parser import HTMLParser

from .markdown import is_local_target

PATH_ATTRIBUTES = frozenset({"src", "href", "poster", "data"})


class _RawHtmlPaths(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = source.split("\n")
        self.found: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        for name, value in attrs:
            if name in PATH_ATTRIBUTES and value and is_local_target(value):
                at = self.lines[line - 1].find(value, column)  # the value itself, where the tag's line has it
                self.found.append((value, line, at if at >= 0 else column))


def find_html_paths(source: str) -> list[tuple[str, int, int]]:
    """Each local path in `source` with its 1-based line and 0-based column in it."""
    finder = _RawHtmlPaths(source)
    finder.feed(source)
    finder.close()
    return finder.found
