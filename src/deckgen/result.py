"""What a build made: light on imports, so an unchanged deck is answered without the renderer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .counts import counted
from .problems import quoted_name

if TYPE_CHECKING:  # annotations only: importing linklist would slow down the no-op check
    from .linklist import LinkEntry
    from .problems import Problem


@dataclass(frozen=True, slots=True)
class DeckFacts:
    """What an archive of decks shows of one (`deckgen site`): deck.yaml's words as written, and its tracks."""

    title: str
    subtitle: str = ""
    date: str = ""
    """deck.yaml's `date` as written (`2019-06-12`, `Spring 2019`)."""
    author: str = ""
    event: str = ""
    lang: str = "en"
    url: str | None = None
    track_count: int = 0
    """The tracks its talks are shown under."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build made."""

    out: Path
    """The output folder; the deck is `out / "index.html"`."""
    slide_count: int
    talk_count: int
    link_count: int
    qr_count: int
    warnings: tuple[Problem, ...]
    seconds: float
    links: tuple[LinkEntry, ...] = ()
    """Every link of the deck, as on its links pages (`link_count` of them)."""
    unchanged: bool = False
    """True when nothing had changed since the last build into `out`: that build's result, nothing written."""
    facts: DeckFacts | None = None
    """The deck's title, event, date… (see `DeckFacts`)."""

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    def summary_head(self) -> str:
        """`built OUT/index.html: 12 slides, 1 talk, 3 links, 4 QR codes, 2 warnings` (warnings only when there are some)."""
        counts = [
            counted(self.slide_count, "slide"),
            counted(self.talk_count, "talk"),
            counted(self.link_count, "link"),
            counted(self.qr_count, "QR code"),
        ]
        if self.warnings:
            counts.append(counted(len(self.warnings), "warning"))
        return f"built {quoted_name(str(self.index))}: {', '.join(counts)}"

    def summary(self) -> str:
        """The one line the CLI prints for a build."""
        return f"{self.summary_head()} in {self.seconds:.2f} s" + (" (unchanged)" if self.unchanged else "")
