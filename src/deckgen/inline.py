"""One-file decks (`build --self-contained`): reveal.js, CSS, fonts and images inside index.html.

Everything the page loads from a file becomes part of the page: stylesheets and scripts go into
`<style>` and `<script>` elements (made safe here, the one place their text becomes `Markup`), and
the files they and the slides name become `data:` URIs. What cannot come along (an `<iframe>`, a
remote image, a link to a local file) is reported as a `not-offline` warning at its place.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

from markupsafe import Markup

from .assets import REVEAL_OUT, REVEAL_SCRIPTS, REVEAL_STYLESHEETS, reveal_files
from .markdown import INLINED_ATTRIBUTES
from .model import Deck, Slide
from .paths import is_local_target, resolve_local
from .problems import Problem
from .refs import MarkupRef, find_refs
from .sources import line_and_column
from .themefolder import BASE_THEME, is_theme_file
from .themes import Theme

CODE = "not-offline"

DECKGEN_SCRIPT = "deckgen.js"

_MEDIA_TYPES = {
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
}

# A CSS url(): quoted or not; group 1, 2 or 3 holds the address.
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^'")\s]*))\s*\)""", re.IGNORECASE)
_CLOSE_SCRIPT = re.compile(r"</(script)", re.IGNORECASE)
_CLOSE_STYLE = re.compile(r"</(style)", re.IGNORECASE)

# Raw HTML: elements whose content comes from elsewhere, and the attributes naming it.
_EMBEDS = frozenset({"iframe", "frame", "embed", "object"})
_SOURCE_ATTRS = frozenset({"src", "poster", "data", "srcset"})


@dataclass(frozen=True, slots=True)
class InlineAssets:
    """What a one-file deck carries inside its page, and what it could not take along."""

    styles: tuple[Markup, ...]
    """Stylesheet texts in cascade order (reveal.js, theme layers), safe inside `<style>`."""
    scripts: tuple[Markup, ...]
    """Script texts in load order (reveal.js, its plugins, deckgen.js), safe inside `<script>`."""
    media: Mapping[str, str]
    """Deck-relative path of each image the slides show → its `data:` URI."""
    problems: tuple[Problem, ...]
    """`not-offline` warnings: what the page still needs from the network or from beside it."""


def data_uri(path: Path) -> str:
    """The file as a base64 `data:` URI, typed by its suffix."""
    media_type = _MEDIA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{media_type};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def script_markup(js: str) -> Markup:
    """Script text that cannot end its `<script>` element early nor open an HTML comment in it."""
    return Markup(_CLOSE_SCRIPT.sub(r"<\\/\1", js).replace("<!--", "\\x3C!--"))


def style_markup(css: str) -> Markup:
    """Stylesheet text that cannot end its `<style>` element early."""
    return Markup(_CLOSE_STYLE.sub(r"<\\/\1", css))


def _is_remote(address: str) -> bool:
    return address.lower().startswith(("http://", "https://", "//"))


def _shown_path(path: Path, deck_root: Path) -> str:
    """A file as problems name it: relative to the deck when inside it, else absolute."""
    try:
        return path.resolve().relative_to(deck_root.resolve()).as_posix()
    except ValueError:
        return str(path)


def inline_css(css_file: Path, layer_folder: Path, deck_root: Path, problems: list[Problem]) -> str:
    """The stylesheet with every local `url()` as a `data:` URI; remote or missing ones reported."""
    text = css_file.read_text(encoding="utf-8-sig")
    shown = _shown_path(css_file, deck_root)

    def replace(match: re.Match[str]) -> str:
        address = next(group for group in match.groups() if group is not None)
        if not address or address.startswith(("data:", "#")):
            return match.group(0)
        line, column = line_and_column(text, match.start())
        if _is_remote(address):
            problems.append(_warning(shown, line, column, f"url({address}) is loaded from the network"))
            return match.group(0)
        target = css_file.parent / address.split("#")[0].split("?")[0]
        if not is_theme_file(layer_folder, target):  # a dot file, or a file outside the theme folder
            problems.append(_warning(shown, line, column, f"url({address}) is not a file of the theme folder, so it cannot be inlined"))
            return match.group(0)
        return f'url("{data_uri(target)}")'

    return _CSS_URL.sub(replace, text)


def _warning(path: str, line: int | None, column: int | None, message: str) -> Problem:
    return Problem(path, line, column, "warning", CODE, message)


class _EmbedFinder(HTMLParser):
    """Collects, from raw HTML, what a one-file page cannot carry: (line, column, message)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()
        sources = [(name, value) for name, value in attrs if name in _SOURCE_ATTRS and value and not value.startswith("data:")]
        for name, value in sources:
            where = "the network" if _is_remote(value) else "a file beside the page"
            if tag in _EMBEDS:
                message = f"<{tag} {name}='{value}'> needs {where}: a one-file deck cannot carry it"
            elif _is_remote(value):
                message = f"<{tag} {name}='{value}'> is loaded from the network"
            elif name in INLINED_ATTRIBUTES:
                continue  # a local image or poster: carried as a data: URI
            else:
                message = f"<{tag} {name}='{value}'> names a file beside the page: {name} paths are not inlined"
            self.found.append((line, offset, message))
        for attribute, written in attrs:
            if attribute == "href" and written and is_local_target(written):
                self.found.append((line, offset, f"<{tag} href='{written}'> links to a local file: a one-file deck does not carry it"))
        if tag in _EMBEDS and not sources:
            self.found.append((line, offset, f"<{tag}> cannot be part of a one-file deck"))


def _ref_problems(ref: MarkupRef, where: str) -> list[Problem]:
    pos = ref.pos
    if ref.kind == "image" and _is_remote(ref.target):
        return [_warning(pos.path, pos.line, pos.column, f"{where}image '{ref.shown}' is loaded from the network")]
    if ref.kind == "link" and is_local_target(ref.target):
        return [
            _warning(pos.path, pos.line, pos.column, f"{where}link to the local file '{ref.shown}': a one-file deck does not carry it")
        ]
    if ref.kind != "html":
        return []
    finder = _EmbedFinder()
    finder.feed(ref.target)
    finder.close()
    return [
        _warning(pos.path, pos.line + line - 1, (pos.column + offset) if line == 1 else offset + 1, where + message)
        for line, offset, message in finder.found
    ]


def _slide_refs(slide: Slide, html: bool) -> tuple[tuple[MarkupRef, ...], tuple[MarkupRef, ...]]:
    """The slide's refs at their places, and its notes' refs (placed at the slide: notes keep no lines)."""
    pos = slide.pos
    body = find_refs(slide.markdown, pos.line, pos.path, html)
    notes = tuple(MarkupRef(r.kind, r.target, pos, r.written) for r in find_refs(slide.notes, pos.line, pos.path, html))
    return body, notes


def find_offline_problems(deck: Deck) -> tuple[Problem, ...]:
    """What the deck's slides need beyond one file: embedded frames, remote images, local links."""
    problems: list[Problem] = []
    for slide in deck.slides():
        body, notes = _slide_refs(slide, deck.html)
        for ref in body:
            problems.extend(_ref_problems(ref, ""))
        for ref in notes:
            problems.extend(_ref_problems(ref, "speaker notes: "))
    return tuple(problems)


def slide_images(deck: Deck) -> dict[str, str]:
    """Every local image the slides and their notes show, deck-relative path → `data:` URI (files checked by validation)."""
    root = Path(deck.root)
    media: dict[str, str] = {}
    for slide in deck.slides():
        shown = find_refs(slide.markdown, slide.pos.line, slide.pos.path, deck.html)
        in_notes = find_refs(slide.notes, slide.pos.line, slide.pos.path, deck.html)
        for ref in shown + in_notes:
            for target in _image_targets(ref):
                resolved = resolve_local(target, ref.pos.path)
                if resolved is not None and resolved not in media and (root / resolved).is_file():
                    media[resolved] = data_uri(root / resolved)
    return media


def _image_targets(ref: MarkupRef) -> list[str]:
    """The local files a Markdown image or a piece of raw HTML shows (`<img src>`, `<video poster>`)."""
    if ref.kind == "image":
        return [ref.target] if is_local_target(ref.target) else []
    if ref.kind != "html":
        return []
    from .rawhtml import find_html_paths

    return [found.value for found in find_html_paths(ref.target) if found.attribute in INLINED_ATTRIBUTES and found.tag not in _EMBEDS]


def inline_assets(deck: Deck, theme: Theme) -> InlineAssets:
    """Read everything the page needs into it; list what stays outside."""
    root = Path(deck.root)
    problems: list[Problem] = []
    reveal = {out: source for source, out in reveal_files()}
    reveal_css = [reveal[f"{REVEAL_OUT}/{name}"] for name in REVEAL_STYLESHEETS]
    styles = [inline_css(css, css.parent, root, problems) for css in reveal_css]
    for layer in theme.stylesheet_layers:
        if (layer.folder / "theme.css").is_file():
            styles.append(inline_css(layer.folder / "theme.css", layer.folder, root, problems))
    scripts = [reveal[f"{REVEAL_OUT}/{name}"].read_text(encoding="utf-8") for name in REVEAL_SCRIPTS]
    base = next(layer.folder for layer in theme.layers if layer.name == BASE_THEME)
    scripts.append((base / DECKGEN_SCRIPT).read_text(encoding="utf-8"))
    problems.extend(find_offline_problems(deck))
    return InlineAssets(
        styles=tuple(style_markup(css) for css in styles),
        scripts=tuple(script_markup(js) for js in scripts),
        media=MappingProxyType(slide_images(deck)),
        problems=tuple(problems),
    )
