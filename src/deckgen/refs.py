"""Find what a slide's Markdown points at: images, links and raw HTML, each at its file position."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    for block in markdown_parser(html).parse(text):
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
            line_index, column = cursor[0], 0
            for index in range(cursor[0], len(lines)) if target else ():
                found = lines[index].find(target, cursor[1] if index == cursor[0] else 0)
                if found >= 0:
                    line_index, column = index, found
                    cursor = (index, found + len(target))
                    break
            refs.append(MarkupRef(kind, target, SourcePos(rel, first_line + line_index, column + 1)))  # type: ignore[arg-type]
    return tuple(refs)


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
                refs.append(LocalRef(ref.target, ref.pos))
            continue
        if not HTML_PATH_ATTRIBUTE.search(ref.target):
            continue  # a tag without a path attribute (`<div class="columns-2">`)
        from .rawhtml import find_html_paths  # html.parser only for raw HTML that names a file

        for found in find_html_paths(ref.target):
            where = SourcePos(rel, ref.pos.line + found.line - 1, (ref.pos.column if found.line == 1 else 1) + found.column)
            refs.append(LocalRef(found.value, where, in_raw_html=True))
    return tuple(refs)
