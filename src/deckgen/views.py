"""Slide views: the deck's slides in order (title, talks behind their dividers, links pages,
closing), each holding what its template shows. Rendered Markdown becomes `Markup` here only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import ClassVar

from markupsafe import Markup

from .catalogue import Words
from .linklist import LinkEntry, group_links, page_links
from .model import Deck, Part, Section, Talk, Track
from .pages import closing_url, title_parts
from .qr import QrCode

LINKS_PER_PAGE = 8
SlideHtml = tuple[tuple[tuple[str, str], ...], ...]
"""A file's slides as (HTML, notes HTML), stack by stack."""


@dataclass(frozen=True, slots=True)
class SlideView:
    """One authored slide, rendered: the only place Markdown output becomes `Markup`."""

    html: Markup
    notes: Markup
    css_class: str
    source: str
    """`path:line` of the slide, for the page's data attributes and error overlays."""


@dataclass(frozen=True, slots=True)
class TitleView:
    """The opening slide: the deck's title, subtitle, event and date, and the QR code of its `url`."""

    kind: ClassVar[str] = "title"
    deck: Deck
    qr: QrCode | None
    date: str = ""
    """The deck's `date` as shown: a date in the deck's language (`12 de junio de 2019`), other text as written."""


@dataclass(frozen=True, slots=True)
class DividerView:
    """The slide before a track's talks."""

    kind: ClassVar[str] = "divider"
    track: Track
    talk_count: int = 0
    """The talks that follow it, up to the next divider."""


@dataclass(frozen=True, slots=True)
class SectionView:
    """Slides of a plain Markdown file (no front-matter): an intro, an agenda."""

    kind: ClassVar[str] = "section"
    stacks: tuple[tuple[SlideView, ...], ...]


@dataclass(frozen=True, slots=True)
class TalkView:
    """A talk's slides, each with its footer and the QR code of its video."""

    kind: ClassVar[str] = "talk"
    talk: Talk
    track: Track | None
    qr: QrCode | None
    stacks: tuple[tuple[SlideView, ...], ...]


@dataclass(frozen=True, slots=True)
class LinkCard:
    """One link of a links page, with its QR code."""

    entry: LinkEntry
    qr: QrCode

    @property
    def title_parts(self) -> tuple[str, ...]:
        """The title in pieces a line may break between (see `pages.title_parts`)."""
        return title_parts(self.entry.title)


@dataclass(frozen=True, slots=True)
class LinksView:
    """One page of the links list: page `number` of `of`, its cards in `rows` rows of up to `columns`."""

    kind: ClassVar[str] = "links"
    title: str
    cards: tuple[LinkCard, ...]
    number: int
    of: int

    @property
    def rows(self) -> int:
        """One row for up to three cards, else two (more only if a page held more than eight)."""
        return 1 if len(self.cards) <= 3 else max(2, -(-len(self.cards) // 4))

    @property
    def columns(self) -> int:
        """As few columns as fill the rows evenly: the last row is never a lone card (5 → 3 + 2)."""
        return max(1, -(-len(self.cards) // self.rows))

    @property
    def wide(self) -> bool:
        """Two cards a row over two rows (four cards): each code beside its title, so codes stay large."""
        return self.rows == 2 and self.columns == 2


@dataclass(frozen=True, slots=True)
class ClosingView:
    """The thank-you slide."""

    kind: ClassVar[str] = "closing"
    deck: Deck
    qr: QrCode | None
    url: str | None = None
    """Where its QR code and its link lead: the deck's `url`, or the links page beside it (`closing_qr: links`)."""


View = TitleView | DividerView | SectionView | TalkView | LinksView | ClosingView


def _stack_views(part: Part, rendered: SlideHtml) -> tuple[tuple[SlideView, ...], ...]:
    return tuple(
        tuple(
            # Markdown output becomes Markup here and nowhere else.
            SlideView(Markup(html), Markup(notes), part.css_class, f"{slide.pos.path}:{slide.pos.line}")
            for slide, (html, notes) in zip(stack.slides, stack_html, strict=True)
        )
        for stack, stack_html in zip(part.stacks, rendered, strict=True)
    )


def deck_urls_needing_codes(deck: Deck, links: tuple[LinkEntry, ...]) -> list[str]:
    """Every URL that gets a QR code: the deck's, the closing slide's and each link's (talk videos are links too)."""
    closing = closing_url(deck)
    return ([deck.url] if deck.url else []) + ([closing] if closing and closing != deck.url else []) + [entry.url for entry in links]


def build_views(
    deck: Deck,
    links: tuple[LinkEntry, ...],
    codes: Mapping[str, QrCode],
    slides: Mapping[int, SlideHtml],
    words: Words,
) -> tuple[View, ...]:
    """The deck's slides in order: title, authored slides with dividers, links pages, closing.

    `codes` holds the QR code of every URL; `slides` each file's rendered slides, by part index;
    `words` deckgen's words in the deck's language.
    """
    deck_qr = codes[deck.url] if deck.url else None
    views: list[View] = [TitleView(deck, deck_qr, words.date(deck.date))]
    current_track: object = object()  # a sentinel no track equals: the first talk always gets a divider
    shown = deck.shown_tracks()
    # Each run of talks shown under one track (plain files in between do not count) gets one divider.
    run_lengths = iter([len(list(run)) for name, run in groupby(shown) if deck.track_named(name)])
    shown_tracks = iter(shown)
    for index, part in enumerate(deck.parts):
        if isinstance(part, Talk):
            name = next(shown_tracks)
            track = deck.track_named(name)
            if name != current_track and track is not None:
                views.append(DividerView(track, next(run_lengths)))
            current_track = name
            qr = codes[part.video] if part.video else None
            views.append(TalkView(part, track, qr, _stack_views(part, slides[index])))
        elif isinstance(part, Section) and part.stacks:
            views.append(SectionView(_stack_views(part, slides[index])))
    for page in page_links(group_links(deck, links, words), LINKS_PER_PAGE):
        cards = tuple(LinkCard(entry, codes[entry.url]) for entry in page.entries)
        views.append(LinksView(page.title, cards, page.number, page.of))
    closing = closing_url(deck)
    views.append(ClosingView(deck, codes[closing] if closing else None, closing))
    return tuple(views)


def count_slides(views: tuple[View, ...]) -> int:
    """Slides as reveal.js counts them: every horizontal and vertical slide."""
    total = 0
    for view in views:
        if isinstance(view, (SectionView, TalkView)):
            total += sum(len(stack) for stack in view.stacks) or (1 if isinstance(view, TalkView) else 0)
        else:
            total += 1
    return total


def count_qr_codes(views: tuple[View, ...]) -> int:
    """QR codes on the page: one per slide of a talk with a video, one per link card, deck URL twice."""
    total = 0
    for view in views:
        if isinstance(view, (TitleView, ClosingView)) and view.qr:
            total += 1
        elif isinstance(view, TalkView) and view.qr:
            total += max(1, sum(len(stack) for stack in view.stacks))
        elif isinstance(view, LinksView):
            total += len(view.cards)
    return total
