"""Local paths in raw HTML: found with their positions, and rewritten like Markdown's own.

Only start tags that name a local file change: such a tag is written again from the parsed tag
name and attributes (values escaped), with its paths pointing at their copies in the output (or at
`data:` URIs in a one-file deck). Everything else of the raw HTML is passed through as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from .paths import is_local_target
from .sources import line_and_column

PATH_ATTRIBUTES: dict[str, frozenset[str]] = {
    "src": frozenset({"img", "source", "video", "audio", "track", "iframe", "embed", "script", "input"}),
    "href": frozenset({"a", "area", "link"}),
    "poster": frozenset({"video"}),
    "data": frozenset({"object"}),
}
"""The attributes that name a file, and the elements on which a browser loads or links it."""
SRCSET_TAGS = frozenset({"img", "source"})
"""Elements whose `srcset` lists image candidates, each a URL and a width or density."""
_SRCSET_SEPARATOR = re.compile(r",\s+")
_TAG_NAME = re.compile(r"<[^\s/>]*")
_ATTRIBUTE = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")


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
    written: str = ""
    """The path as written in the tag (entities not decoded)."""


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
        written = self.get_starttag_text() or ""
        new_attrs: list[tuple[str, str | None]] = []
        changed = False
        raw = _raw_attributes(written)
        for name, value in attrs:
            paths = _local_paths(tag, name, value)
            offset, raw_value = _next_raw_value(raw, name)
            raw_paths = _local_paths(tag, name, raw_value) if raw_value is not None else []
            if len(raw_paths) != len(paths):  # written in a way this reading does not follow: point at the attribute
                raw_paths = paths
            searched = 0
            for path, as_written in zip(paths, raw_paths, strict=True):
                at = raw_value.find(as_written, searched) if raw_value is not None and offset >= 0 else -1
                searched = at + len(as_written) if at >= 0 else searched
                where = offset + at if at >= 0 else max(offset, 0)
                self.found.append(HtmlPath(path, *_position(written, where, line, column), tag, name, as_written))
            if paths and value is not None and self.rewrite is not None:
                new_value = _rewritten_value(tag, name, value, self.rewrite)
                if new_value != value:
                    value, changed = new_value, True
            new_attrs.append((name, value))
        if changed and written:
            attributes = "".join(f" {name}" if value is None else f' {name}="{escape(value)}"' for name, value in new_attrs)
            self.rewritten.append((line, column, written, f"<{tag}{attributes}{' /' if closed else ''}>"))


def _raw_attributes(written: str) -> list[tuple[str, int, str | None]]:
    """Each attribute of a start tag as written: (lowercase name, offset of its value, value without
    quotes and with its entities as written), in order; a bare attribute has offset -1 and no value."""
    name = _TAG_NAME.match(written)
    found: list[tuple[str, int, str | None]] = []
    for match in _ATTRIBUTE.finditer(written, name.end() if name else 0):
        group = next((index for index in (2, 3, 4) if match.group(index) is not None), None)
        if group is None:
            found.append((match.group(1).lower(), -1, None))
        else:
            found.append((match.group(1).lower(), match.start(group), match.group(group)))
    return found


def _next_raw_value(raw: list[tuple[str, int, str | None]], name: str) -> tuple[int, str | None]:
    """Take the next attribute called `name` from `raw`: its value's offset and text as written."""
    while raw:
        raw_name, offset, value = raw.pop(0)
        if raw_name == name:
            return offset, value
    return -1, None


def _local_paths(tag: str, name: str, value: str | None) -> list[str]:
    """The local paths an attribute names: none, one, or for `srcset` one per image candidate."""
    if not value:
        return []
    if name == "srcset" and tag in SRCSET_TAGS:
        return [url for url, _ in _srcset(value) if is_local_target(url)]
    return [value] if tag in PATH_ATTRIBUTES.get(name, ()) and is_local_target(value) else []


def _rewritten_value(tag: str, name: str, value: str, rewrite: Rewrite) -> str:
    if name != "srcset":
        return rewrite(tag, name, value) or value
    candidates = [((rewrite(tag, name, url) or url) if is_local_target(url) else url, rest) for url, rest in _srcset(value)]
    return ", ".join(f"{url} {rest}".rstrip() for url, rest in candidates)


def _srcset(value: str) -> list[tuple[str, str]]:
    """`srcset`'s image candidates as (URL, descriptor): `a.png 1x, b.png 2x`."""
    candidates = []
    for candidate in _SRCSET_SEPARATOR.split(value.strip()):
        url, _, rest = candidate.strip().partition(" ")
        if url:
            candidates.append((url, rest.strip()))
    return candidates


def _position(written: str, at: int, line: int, column: int) -> tuple[int, int]:
    """(line, 0-based column) in the source of offset `at` in a tag that starts at (line, column)."""
    if at < 0:
        return line, column
    lines_in, column_in = line_and_column(written, at)
    if lines_in == 1:
        return line, column + at
    return line + lines_in - 1, column_in - 1


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
    for text in finder.lines[:-1]:
        line_starts.append(line_starts[-1] + len(text) + 1)
    result = source
    for line, column, written, replacement in reversed(finder.rewritten):  # from the end: offsets stay valid
        start = line_starts[line - 1] + column
        if result.startswith(written, start):
            result = result[:start] + replacement + result[start + len(written) :]
    return result
