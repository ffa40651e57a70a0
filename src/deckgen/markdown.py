"""Render a slide's Markdown to HTML with the one configured markdown-it-py parser (fenced code: `highlight.py`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from .paths import HTML_PATH_ATTRIBUTE, is_local_target, output_href, resolve_local


@lru_cache(maxsize=2)
def markdown_parser(html: bool) -> MarkdownIt:
    """The one configured parser: CommonMark with tables and strikethrough."""
    md = MarkdownIt("commonmark", {"html": html})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("html_block", _render_raw_html)
    md.add_render_rule("html_inline", _render_raw_html)
    md.add_render_rule("fence", _render_fence)
    return md


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
    if "md_rel" not in env or not HTML_PATH_ATTRIBUTE.search(content):
        return content  # most raw HTML names no file (`<div class="columns-2">`)
    from .rawhtml import rewrite_html_paths

    return rewrite_html_paths(content, lambda tag, attribute, value: _output_target(attribute, value, env))


def _render_fence(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict[str, Any]) -> str:
    from .highlight import highlight_fence, parse_fence_info

    token = tokens[idx]
    return highlight_fence(token.content, parse_fence_info(token.info))


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
    return str(markdown_parser(html).render(text + "\n", env))
