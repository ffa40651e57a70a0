"""deckgen: compile a folder of Markdown talk notes into an offline reveal.js recap deck."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = [
    "DEFAULT_OUT",
    "BuildResult",
    "Deck",
    "DeckError",
    "DeckLinks",
    "DeckServer",
    "DeckgenError",
    "ImportResult",
    "Link",
    "LinkEntry",
    "NoNetworkError",
    "OutputError",
    "PdfError",
    "PdfResult",
    "Problem",
    "Schedule",
    "ScheduleError",
    "ScheduleEvent",
    "Section",
    "ServeError",
    "SetupError",
    "SiteResult",
    "Slide",
    "SlideStack",
    "SourcePos",
    "Talk",
    "ThemeError",
    "Track",
    "__version__",
    "build",
    "build_pdf",
    "build_site",
    "check",
    "collect_links",
    "decks_holding",
    "import_schedule",
    "links",
    "load_deck",
    "new_deck",
    "read_schedule",
    "serve",
]

# The public API is imported on first use, so `deckgen --version` and `import deckgen` stay fast.
_HOMES = {
    "DEFAULT_OUT": "builder",
    "BuildResult": "result",
    "Deck": "model",
    "DeckError": "problems",
    "DeckLinks": "export",
    "DeckServer": "server",
    "DeckgenError": "errors",
    "ImportResult": "importers.run",
    "Link": "model",
    "LinkEntry": "linklist",
    "NoNetworkError": "online",
    "OutputError": "output",
    "PdfError": "pdf",
    "PdfResult": "pdf",
    "Problem": "problems",
    "Schedule": "importers.event",
    "ScheduleError": "importers.event",
    "ScheduleEvent": "importers.event",
    "Section": "model",
    "ServeError": "server",
    "SetupError": "assets",
    "SiteResult": "site",
    "Slide": "model",
    "SlideStack": "model",
    "SourcePos": "model",
    "Talk": "model",
    "ThemeError": "themes",
    "Track": "model",
    "build": "builder",
    "build_pdf": "pdf",
    "build_site": "site",
    "check": "builder",
    "collect_links": "linklist",
    "decks_holding": "deckfolders",
    "import_schedule": "importers.run",
    "links": "export",
    "load_deck": "builder",
    "new_deck": "scaffold",
    "read_schedule": "importers.reading",
    "serve": "server",
}

if TYPE_CHECKING:
    from .assets import SetupError
    from .builder import DEFAULT_OUT, build, check, load_deck
    from .deckfolders import decks_holding
    from .errors import DeckgenError
    from .export import DeckLinks, links
    from .importers.event import Schedule, ScheduleError, ScheduleEvent
    from .importers.reading import read_schedule
    from .importers.run import ImportResult, import_schedule
    from .linklist import LinkEntry, collect_links
    from .model import Deck, Link, Section, Slide, SlideStack, SourcePos, Talk, Track
    from .online import NoNetworkError
    from .output import OutputError
    from .pdf import PdfError, PdfResult, build_pdf
    from .problems import DeckError, Problem
    from .result import BuildResult
    from .scaffold import new_deck
    from .server import DeckServer, ServeError, serve
    from .site import SiteResult, build_site
    from .themes import ThemeError


def __getattr__(name: str) -> Any:
    module = _HOMES.get(name)
    if module is None:
        raise AttributeError(f"module 'deckgen' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
