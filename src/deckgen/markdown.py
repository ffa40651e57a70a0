"""Markdown: split a file body into slides, find local files it references, render slides to HTML."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Mapping, Sequence
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from .model import LocalRef, Slide, SlideStack, SourcePos

MEDIA_DIR = "media"
_NOTE_LINE = re.compile(r"^Notes?:\s?(.*)$")
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
        LocalRef(r.target, SourcePos(r.pos.path, r.pos.line, r.pos.column + chunk.notes_column - 1), r.in_raw_html)
        if r.pos.line == chunk.notes_line
        else r
        for r in refs
    )


@lru_cache(maxsize=2)
def markdown_parser(html: bool) -> MarkdownIt:
    """The one configured parser: CommonMark with tables and strikethrough."""
    md = MarkdownIt("commonmark", {"html": html})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("html_block", _render_raw_html)
    md.add_render_rule("html_inline", _render_raw_html)
    return md


def is_local_target(target: str) -> bool:
    """True for a path to a file of the deck (not a URL, an anchor or a data: URI)."""
    if not target or target.startswith(("#", "//")):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc


def resolve_local(target: str, md_rel: str) -> str | None:
    """The deck-relative POSIX path a local target names, or None when it leaves the deck folder."""
    path = unquote(urlsplit(target).path)
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(md_rel), path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def output_href(target: str, md_rel: str) -> str:
    """Where a local file ends up in the output, as a URL relative to index.html."""
    resolved = resolve_local(target, md_rel)
    if resolved is None:
        return target
    fragment = urlsplit(target).fragment
    return quote(f"{MEDIA_DIR}/{resolved}") + (f"#{fragment}" if fragment else "")


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


# Markdown links and images have one of these; raw HTML that names a file has a tag and an attribute.
_LOCAL_REF_MARKS = ("](", "][", "]:")
_PATH_ATTRIBUTE = re.compile(r"\b(?:src|srcset|href|poster|data)\s*=", re.IGNORECASE)


def find_local_refs(text: str, first_line: int, rel: str, html: bool) -> tuple[LocalRef, ...]:
    """Every local file an image, a link or raw HTML in `text` points at, with its file position."""
    may_have_html_paths = "<" in text and _PATH_ATTRIBUTE.search(text) is not None
    if not may_have_html_paths and not any(mark in text for mark in _LOCAL_REF_MARKS):
        return ()  # plain text and tags without paths (a caption's <p class>): no parse needed
    refs: list[LocalRef] = []
    for ref in find_refs(text, first_line, rel, html):
        if ref.kind != "html":
            if is_local_target(ref.target):
                refs.append(LocalRef(ref.target, ref.pos))
            continue
        if not _PATH_ATTRIBUTE.search(ref.target):
            continue  # a tag without a path attribute (`<div class="columns-2">`)
        from .rawhtml import find_html_paths  # html.parser only for raw HTML that names a file

        for found in find_html_paths(ref.target):
            where = SourcePos(rel, ref.pos.line + found.line - 1, (ref.pos.column if found.line == 1 else 1) + found.column)
            refs.append(LocalRef(found.value, where, in_raw_html=True))
    return tuple(refs)


INLINED_ATTRIBUTES = frozenset({"src", "poster", "srcset"})
"""Attributes whose local file a one-file deck carries as a `data:` URI (pictures, not links)."""


def _output_target(attribute: str, value: str, env: dict[str, Any]) -> str:
    """Where a local path points in the output: a picture's `data:` URI in a one-file deck, else its copy."""
    media = env.get("inline_media")
    if media and attribute in INLINED_ATTRIBUTES:
        inlined = media.get(resolve_local(value, env["md_rel"]) or "")
        if inlined:
            return str(inlined)
    return output_href(value, env["md_rel"])


def _rewrite_attr(token: Token, name: str, env: dict[str, Any]) -> None:
    value = token.attrGet(name)
    if isinstance(value, str) and is_local_target(value) and "md_rel" in env:
        token.attrSet(name, _output_target(name, value, env))


def _render_raw_html(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict[str, Any]) -> str:
    content = tokens[idx].content
    if "md_rel" not in env or not _PATH_ATTRIBUTE.search(content):
        return content  # most raw HTML names no file (`<div class="columns-2">`)
    from .rawhtml import rewrite_html_paths

    return rewrite_html_paths(content, lambda tag, attribute, value: _output_target(attribute, value, env))


def _render_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict[str, Any]) -> str:
    _rewrite_attr(tokens[idx], "src", env)
    return self.image(tokens, idx, options, env)


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict[str, Any]
) -> str:
    _rewrite_attr(tokens[idx], "href", env)
    return self.renderToken(tokens, idx, options, env)


def render_markdown(text: str, md_rel: str, html: bool, inline_media: Mapping[str, str] | None = None) -> str:
    """Render one slide's Markdown to HTML, pointing local paths at their copies in the output.

    `inline_media` maps deck-relative image paths to `data:` URIs that replace them (one-file decks).
    """
    if not text.strip():
        return ""
    env: dict[str, Any] = {"md_rel": md_rel}
    if inline_media:
        env["inline_media"] = inline_media
    return markdown_parser(html).render(text + "\n", env)
