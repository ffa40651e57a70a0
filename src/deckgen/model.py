"""The parsed deck: frozen, slotted dataclasses, built once by the loader and never changed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class SourcePos:
    """A place in a deck file."""

    path: str
    """Relative to the deck folder, POSIX form."""
    line: int
    """1-based line in the original file."""
    column: int = 1


@dataclass(frozen=True, slots=True)
class LocalRef:
    """A file that a slide's Markdown points at (an image, a PDF), relative to its Markdown file."""

    target: str
    """The path as parsed: entities decoded, non-ASCII percent-encoded (`pics/caf%C3%A9.png`)."""
    pos: SourcePos
    """Where the path is written (its first character)."""
    in_raw_html: bool = False
    """Written in raw HTML (`<img src=…>`) rather than in Markdown; copied and rewritten alike."""
    written: str = ""
    """The path as the author wrote it (`pics/café.png`), for messages; `target` when unknown."""

    @property
    def shown(self) -> str:
        """The path as messages show it: as written."""
        return self.written or self.target


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide as written: Markdown text and optional speaker notes."""

    markdown: str
    notes: str
    """Speaker notes (Markdown), empty when the slide has none."""
    pos: SourcePos
    """Where the slide's first line is."""
    refs: tuple[LocalRef, ...] = ()
    """Local files the slide's Markdown references."""


@dataclass(frozen=True, slots=True)
class SlideStack:
    """A horizontal slide and the vertical slides under it (`--`)."""

    slides: tuple[Slide, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A link shown on the closing links pages."""

    title: str
    url: str
    pos: SourcePos
    kind: Literal["video", "link", "deck"] = "link"


@dataclass(frozen=True, slots=True)
class Track:
    """A track of the conference, as declared in deck.yaml."""

    name: str
    title: str
    """Shown on the divider; the name when deck.yaml gives no title."""
    description: str = ""
    pos: SourcePos | None = None


@dataclass(frozen=True, slots=True)
class Talk:
    """A file whose front-matter has `video` or `track`: one recorded talk."""

    title: str
    speakers: tuple[str, ...]
    track: str | None
    video: str | None
    links: tuple[Link, ...]
    stacks: tuple[SlideStack, ...]
    pos: SourcePos
    css_class: str = ""
    track_pos: SourcePos | None = None
    video_pos: SourcePos | None = None

    @property
    def speaker_line(self) -> str:
        return ", ".join(self.speakers)

    @property
    def slides(self) -> tuple[Slide, ...]:
        """Every slide of the file, stack by stack."""
        return tuple(slide for stack in self.stacks for slide in stack.slides)


@dataclass(frozen=True, slots=True)
class Section:
    """A file of plain slides (no `video`, no `track`)."""

    stacks: tuple[SlideStack, ...]
    pos: SourcePos
    title: str = ""
    css_class: str = ""

    @property
    def slides(self) -> tuple[Slide, ...]:
        """Every slide of the file, stack by stack."""
        return tuple(slide for stack in self.stacks for slide in stack.slides)


Part = Talk | Section


@dataclass(frozen=True, slots=True)
class Deck:
    """A whole deck: deck.yaml's settings and the slide files in order."""

    root: str
    """The deck folder, as an absolute path."""
    title: str
    subtitle: str = ""
    date: str = ""
    author: str = ""
    event: str = ""
    lang: str = "en"
    url: str | None = None
    url_pos: SourcePos | None = None
    theme: str = "default"
    theme_pos: SourcePos | None = None
    tracks: tuple[Track, ...] = ()
    links: tuple[Link, ...] = ()
    closing: str = ""
    """The closing slide's text; empty: "Thank you!" in the deck's language."""
    closing_qr: Literal["deck", "links"] = "deck"
    """Where the closing slide's QR code leads: the deck's `url`, or the links page beside it."""
    strings: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """deck.yaml's `strings`: deckgen's words for this deck, by message key (`deckgen.messages`),
    as written (placeholders in braces); several texts for the plural forms of a count."""
    reveal: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    html: bool = True
    parts: tuple[Part, ...] = ()

    @property
    def talks(self) -> tuple[Talk, ...]:
        return tuple(p for p in self.parts if isinstance(p, Talk))

    def talks_in(self, track: str) -> tuple[Talk, ...]:
        return tuple(t for t in self.talks if t.track == track)

    def shown_tracks(self) -> tuple[str | None, ...]:
        """The track each talk is shown under, talk by talk: its own, or for a talk without one the
        previous talk's (it follows that divider, on the slides and on the links pages alike)."""
        shown: list[str | None] = []
        current: str | None = None
        for talk in self.talks:
            current = talk.track or current
            shown.append(current)
        return tuple(shown)

    def track_named(self, name: str | None) -> Track | None:
        return next((t for t in self.tracks if t.name == name), None)

    def slides(self) -> Iterator[Slide]:
        """Every authored slide of the deck, in deck order."""
        for part in self.parts:
            yield from part.slides

    def local_refs(self) -> Iterator[LocalRef]:
        """Every local file the slides and their notes name, in deck order (repeats included)."""
        for slide in self.slides():
            yield from slide.refs
