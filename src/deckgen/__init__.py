"""deckgen: compile a folder of Markdown talk notes into an offline reveal.js recap deck."""

from __future__ import annotations

__version__ = "0.1.0"

# The public API is imported on first use, so `deckgen --version` and `import deckgen` stay fast.
_EXPORTS = {
    "build": "builder",
    "BuildResult": "result",
    "check": "builder",
    "load_deck": "builder",
    "DEFAULT_OUT": "builder",
    "Deck": "model",
    "Track": "model",
    "Talk": "model",
    "Section": "model",
    "Slide": "model",
    "SlideStack": "model",
    "Link": "model",
    "SourcePos": "model",
    "Problem": "problems",
    "DeckError": "problems",
    "LinkEntry": "linklist",
    "collect_links": "linklist",
    "new_deck": "scaffold",
    "links": "export",
    "DeckLinks": "export",
    "serve": "server",
    "DeckServer": "server",
    "build_pdf": "pdf",
    "PdfResult": "pdf",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (5 ms) for `deckgen --version`
if TYPE_CHECKING:
    from typing import Any

    from .builder import DEFAULT_OUT, build, check, load_deck
    from .result import BuildResult
    from .export import DeckLinks, links
    from .linklist import LinkEntry, collect_links
    from .model import Deck, Link, Section, Slide, SlideStack, SourcePos, Talk, Track
    from .problems import DeckError, Problem
    from .scaffold import new_deck
    from .pdf import PdfResult, build_pdf
    from .server import DeckServer, serve


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'deckgen' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
