"""Turn a checked `Deck` into the page: slides rendered, QR codes made, the views in one jinja2 render."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .assets import REVEAL_OUT, REVEAL_PLUGINS, REVEAL_SCRIPTS, REVEAL_STYLESHEETS, reveal_files
from .cache import Cache, library_versions, make_key
from .catalogue import Words
from .linklist import LinkEntry, collect_links
from .markdown import render_markdown
from .model import Deck, Part
from .pages import ShareTags, deck_share, links_page, links_page_share
from .parallel import WorkerPool
from .paths import MEDIA_DIR, resolve_local
from .qr import QrCode, make_qr_codes
from .themes import (
    Theme,
    deck_words,
    make_environment,
    page_stylesheets,
    template_errors_as_deck_errors,
    theme_static_files,
    theme_stylesheets,
)
from .version import __version__
from .views import SlideHtml, View, build_views, count_qr_codes, count_slides, deck_urls_needing_codes

if TYPE_CHECKING:
    from .inline import InlineAssets

DEFAULT_REVEAL_CONFIG: dict[str, Any] = {
    "width": 1280,
    "height": 720,
    "margin": 0.0,
    "center": False,
    "hash": True,
    "slideNumber": "c/t",
    "transition": "slide",
    # Slides laid out around the one shown: deckgen.js readies the neighbours itself, so two (as
    # reveal.js does on phones) is enough, and a big deck starts with less to lay out.
    "viewDistance": 2,
}


@dataclass(frozen=True, slots=True)
class PageContext:
    """Everything `deck.html` sees."""

    deck: Deck
    views: tuple[View, ...]
    stylesheets: tuple[str, ...]
    reveal: str
    """reveal.js's folder in the output."""
    reveal_stylesheets: tuple[str, ...]
    """reveal.js's stylesheets, in the order the page links them (paths relative to the page)."""
    reveal_scripts: tuple[str, ...]
    """reveal.js's scripts and plugins, in load order (paths relative to the page)."""
    reveal_plugins: tuple[str, ...]
    """The plugins' global names, for `Reveal.initialize`."""
    reveal_config: dict[str, Any]
    generator: str
    share: ShareTags
    """What the page says of itself to search engines and link previews."""
    inline: InlineAssets | None = None
    """A one-file deck's stylesheets, scripts and images; None links the files beside the page."""
    live_reload: str = ""
    """The build id `deckgen serve` gives its live-reload script; empty (no script) in a normal build."""
    qr_codes: tuple[QrCode, ...] = ()
    """Every QR code of the page, once each, in order of first use."""


@dataclass(frozen=True, slots=True)
class RenderedDeck:
    """The built page and every file to copy beside it."""

    html: str
    copies: tuple[tuple[Path, str], ...]
    """(source file, output path) pairs."""
    slide_count: int
    talk_count: int
    link_count: int
    qr_count: int
    links: tuple[LinkEntry, ...] = field(default=())
    links_page: str = ""
    """The links page (`links.html`, made for phones); empty for a one-file deck, which is one file."""


SLIDE_SECONDS = 0.00015
"""What rendering one slide costs (see docs/benchmark.md): the pool starts workers only for enough of them."""


def _render_part(part: Part, html: bool = True, media: Mapping[str, str] | None = None) -> SlideHtml:
    return tuple(
        tuple(
            (render_markdown(slide.markdown, slide.pos.path, html, media), render_markdown(slide.notes, slide.pos.path, html, media))
            for slide in stack.slides
        )
        for stack in part.stacks
    )


HIGHLIGHTED_FENCE = re.compile(r"(?:`{3,}|~{3,})[ \t]*[^\s`~]")
"""What may open a fence with a language (a superset): slides with one are highlighted by Pygments."""


def _slides_key(part: Part, deck: Deck) -> str:
    """The key of a file's rendered slides: their text, and the libraries that render it (Pygments only
    where a fence may name a language, so a deck without code never imports it)."""
    texts = [f"{slide.pos.line}\0{slide.markdown}\0{slide.notes}" for slide in part.slides]
    highlighted = any(HIGHLIGHTED_FENCE.search(slide.markdown) or HIGHLIGHTED_FENCE.search(slide.notes) for slide in part.slides)
    libraries = library_versions("markdown_it", "pygments") if highlighted else library_versions("markdown_it")
    return make_key("slides", libraries, part.pos.path, str(deck.html), str(len(part.stacks)), *texts)


def render_all_slides(deck: Deck, media: Mapping[str, str] | None, cache: Cache | None, pool: WorkerPool) -> dict[int, SlideHtml]:
    """Every file's slides rendered, by index in `deck.parts`: cached ones read, the rest made (on the workers too, when many)."""
    use_cache = cache is not None and media is None  # a one-file deck's data URIs are not worth caching
    done: dict[int, SlideHtml] = {}
    keys: dict[int, str] = {}
    for index, part in enumerate(deck.parts):
        if use_cache and cache is not None:
            keys[index] = _slides_key(part, deck)
            hit = cache.get(keys[index])
            if isinstance(hit, tuple):
                done[index] = hit
    missing = [index for index in range(len(deck.parts)) if index not in done]
    slide_count = sum(len(deck.parts[index].slides) for index in missing)
    # A one-file deck's slides are rendered here: its pictures' data would be sent with every chunk.
    work = slide_count * SLIDE_SECONDS if media is None else 0.0
    render = partial(_render_part, html=deck.html, media=media)
    rendered = pool.map(render, [deck.parts[index] for index in missing], work_seconds=work)
    for index, html in zip(missing, rendered, strict=True):
        done[index] = html
        if use_cache and cache is not None:
            cache.put(keys[index], html)
    if use_cache and cache is not None:
        cache.flush()
    return done


def media_files(deck: Deck) -> list[tuple[Path, str]]:
    """Local files the slides reference, with their output paths (checked by validation)."""
    root = Path(deck.root)
    files: dict[str, Path] = {}
    for ref in deck.local_refs():
        resolved = resolve_local(ref.target, ref.pos.path)
        if resolved is not None:
            files.setdefault(f"{MEDIA_DIR}/{resolved}", root / resolved)
    return [(source, out) for out, source in sorted(files.items())]


def reveal_config(deck: Deck, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """deckgen's defaults, overridden by deck.yaml's `reveal` mapping, then by `overrides`; JSON-safe."""
    merged = {**DEFAULT_REVEAL_CONFIG, **dict(deck.reveal), **dict(overrides or {})}
    safe: dict[str, Any] = json.loads(json.dumps(merged, default=str))
    return safe


def render_deck(
    deck: Deck,
    theme: Theme,
    *,
    inline: InlineAssets | None = None,
    live_reload: str = "",
    reveal: Mapping[str, Any] | None = None,
    cache_root: Path | None = None,
    address: str | None = None,
    thumbnail: bool = False,
) -> RenderedDeck:
    """Render the page through the theme's `deck.html`, and its links page, and list the files they need.

    With `inline`, the page carries its files itself and needs none beside it (and has no links
    page); `live_reload` is `deckgen serve`'s build id; `reveal` overrides reveal.js options (the
    PDF's print layout); `cache_root` is the cache folder for QR codes and rendered slides (None: no
    cache). The share tags give the deck's `url` as its address, else `address` (where a site
    publishes it), and with `thumbnail` a picture of the title slide published beside it.
    """
    links = collect_links(deck)
    with WorkerPool() as pool:
        codes = make_qr_codes(deck_urls_needing_codes(deck, links), Cache(cache_root, "qr") if cache_root else None, pool)
        slides = render_all_slides(deck, inline.media if inline else None, Cache(cache_root, "slides") if cache_root else None, pool)
    with template_errors_as_deck_errors(Path(deck.root)):
        template = make_environment(theme, cache_root).get_template("deck.html")
    words = deck_words(deck, theme)
    views = build_views(deck, links, codes, slides, words)
    published = deck.url or address
    context = PageContext(
        deck=deck,
        views=views,
        stylesheets=tuple(theme_stylesheets(theme)),
        reveal=REVEAL_OUT,
        reveal_stylesheets=tuple(f"{REVEAL_OUT}/{name}" for name in REVEAL_STYLESHEETS),
        reveal_scripts=tuple(f"{REVEAL_OUT}/{name}" for name in REVEAL_SCRIPTS),
        reveal_plugins=tuple(name for _, name in REVEAL_PLUGINS),
        reveal_config=reveal_config(deck, reveal),
        generator=f"deckgen {__version__}",
        share=deck_share(deck, words, published, thumbnail),
        inline=inline,
        live_reload=live_reload,
        qr_codes=tuple(codes.values()),
    )
    with template_errors_as_deck_errors(Path(deck.root)), words.speaking():
        html = template.render(page=context)
        links_html = "" if inline else _render_links_page(deck, theme, words, published, thumbnail, cache_root)
    copies = () if inline else tuple(reveal_files() + theme_static_files(theme) + media_files(deck))
    return RenderedDeck(
        html=html,
        copies=copies,
        slide_count=count_slides(views),
        talk_count=len(deck.talks),
        link_count=len(links),
        qr_count=count_qr_codes(views),
        links=links,
        links_page=links_html,
    )


def _render_links_page(deck: Deck, theme: Theme, words: Words, address: str | None, thumbnail: bool, cache_root: Path | None) -> str:
    """The attendee's page: every talk with its links, for a phone (no QR codes, no script)."""
    share = links_page_share(deck, words, address, thumbnail)
    context = links_page(deck, words, share, tuple(page_stylesheets(theme)), f"deckgen {__version__}")
    return str(make_environment(theme, cache_root).get_template("site/links.html").render(page=context))
