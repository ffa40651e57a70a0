"""Find what a slide's Markdown points at: images, links and raw HTML, each at its file position."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token

from .markdown import markdown_parser
from .model import LocalRef, SourcePos
from .paths import HTML_PATH_ATTRIBUTE, is_local_target


@dataclass(frozen=True, slots=True)
class MarkupRef:
    """An image, a link or a piece of raw HTML in a slide's Markdown, at the place it is written."""

    kind: Literal["image", "link", "html"]
    target: str
    """The image source or link destination as parsed, or the raw HTML itself."""
    pos: SourcePos
    written: str = ""
    """An image source or link destination as the author wrote it (entities and all); `target` when unknown."""

    @property
    def shown(self) -> str:
        """The destination as messages show it: as written."""
        return self.written or self.target


# Every link, image or raw HTML piece in Markdown has one of these: `](`, a reference `][`/`]:`, or `<`.
_REF_MARKS = ("](", "][", "]:", "<")
_REF_KINDS = {"image": "image", "link_open": "link", "html_inline": "html"}


def _ref_target(token: Token) -> str:
    if token.type == "image":
        return str(token.attrGet("src") or "")
    if token.type == "link_open":
        return str(token.attrGet("href") or "")
    return token.content


def find_refs(text: str, first_line: int, rel: str, html: bool) -> tuple[MarkupRef, ...]:
    """Every image, link and raw HTML piece of `text`, in order, with its file position."""
    if not any(mark in text for mark in _REF_MARKS):
        return ()  # most slides have none: skip the parse
    lines = text.split("\n")
    refs: list[MarkupRef] = []
    cursor = (0, 0)  # where the previous target was found: a target repeated in a block is found anew
    parser = markdown_parser(html)
    for block in parser.parse(text):
        block_line = block.map[0] if block.map else 0
        if block.type == "html_block":
            refs.append(MarkupRef("html", block.content, SourcePos(rel, first_line + block_line, 1)))
            continue
        if block.type != "inline" or not block.children:
            continue
        for child in block.children:
            kind = _REF_KINDS.get(child.type)
            if kind is None:
                continue
            target = _ref_target(child)
            if cursor[0] < block_line:
                cursor = (block_line, 0)
            located = _locate_destination(lines, cursor, target, parser) if kind != "html" else None
            written = ""
            if located is not None:
                line_index, column, written = located
                cursor = (line_index, column + len(written))
            else:
                line_index, column = _locate_text(lines, cursor, target)
                if (line_index, column) != cursor:
                    cursor = (line_index, column + len(target))
            refs.append(MarkupRef(kind, target, SourcePos(rel, first_line + line_index, column + 1), written))  # type: ignore[arg-type]
    return tuple(refs)


# Where a link destination starts: after `](` of an inline link or image, after `]:` of a reference definition.
_DESTINATION_START = re.compile(r"\]\([ \t]*|\]:[ \t]*")


def _locate_destination(lines: list[str], cursor: tuple[int, int], target: str, parser: MarkdownIt) -> tuple[int, int, str] | None:
    """Where the destination that markdown-it parsed to `target` is written, from `cursor` on:
    (line index, 0-based column, the destination as written), or None.

    Each candidate is parsed with markdown-it's own destination parser and normalised as its link
    rule does, so entities, percent-encoding and `<…>` brackets compare as markdown-it saw them.
    """
    if not target:
        return None
    for index in range(cursor[0], len(lines)):
        line = lines[index]
        for start in _DESTINATION_START.finditer(line, cursor[1] if index == cursor[0] else 0):
            found = parseLinkDestination(line, start.end(), len(line))
            if not found.ok or parser.normalizeLink(found.str) != target:
                continue
            written = line[start.end() : found.pos]
            if written.startswith("<") and written.endswith(">"):
                return index, start.end() + 1, written[1:-1]
            return index, start.end(), written
    return None


def _locate_text(lines: list[str], cursor: tuple[int, int], text: str) -> tuple[int, int]:
    """Where `text` is first written from `cursor` on, as (line index, 0-based column); the cursor if nowhere."""
    for index in range(cursor[0], len(lines)) if text else ():
        found = lines[index].find(text, cursor[1] if index == cursor[0] else 0)
        if found >= 0:
            return index, found
    return cursor


# Markdown links and images have one of these.
_LOCAL_REF_MARKS = ("](", "][", "]:")


def find_local_refs(text: str, first_line: int, rel: str, html: bool) -> tuple[LocalRef, ...]:
    """Every local file an image, a link or raw HTML in `text` points at, with its file position."""
    may_have_html_paths = "<" in text and HTML_PATH_ATTRIBUTE.search(text) is not None
    if not may_have_html_paths and not any(mark in text for mark in _LOCAL_REF_MARKS):
        return ()  # plain text and tags without paths (a caption's <p class>): no parse needed
    refs: list[LocalRef] = []
    for ref in find_refs(text, first_line, rel, html):
        if ref.kind != "html":
            if is_local_target(ref.target):
                refs.append(LocalRef(ref.target, ref.pos, written=ref.written))
            continue
        if not HTML_PATH_ATTRIBUTE.search(ref.target):
            continue  # a tag without a path attribute (`<div class="columns-2">`)
        from .rawhtml import find_html_paths  # html.parser only for raw HTML that names a file

        for found in find_html_paths(ref.target):
            where = SourcePos(rel, ref.pos.line + found.line - 1, (ref.pos.column if found.line == 1 else 1) + found.column)
            refs.append(LocalRef(found.value, where, in_raw_html=True, written=found.written))
    return tuple(refs)
