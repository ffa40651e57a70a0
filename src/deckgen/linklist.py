"""The deck's link list for the closing pages: grouped by track, de-duplicated, paged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Deck, Link, Talk

if TYPE_CHECKING:
    from .catalogue import Words


@dataclass(frozen=True, slots=True)
class LinkEntry:
    """One link as listed on the links pages and by `deckgen links`."""

    url: str
    title: str
    kind: str
    """`video`, `link` (a talk's other link) or `deck` (from deck.yaml)."""
    talk: str
    """The talk's title; empty for the deck's own links."""
    speakers: tuple[str, ...]
    track: str
    """The track's name; empty when none."""
    track_title: str
    link: Link


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """The links of one track (or of the deck itself), in deck order."""

    title: str
    entries: tuple[LinkEntry, ...]


@dataclass(frozen=True, slots=True)
class TalkGroup:
    """The talks shown under one track (or under none), in deck order."""

    title: str
    description: str
    talks: tuple[Talk, ...]


@dataclass(frozen=True, slots=True)
class LinksPage:
    """One closing slide's worth of links."""

    title: str
    entries: tuple[LinkEntry, ...]
    number: int
    """1-based page number within its group."""
    of: int


def collect_links(deck: Deck) -> tuple[LinkEntry, ...]:
    """Every talk video and link, then the deck's links, in deck order, each URL once."""
    entries: list[LinkEntry] = []
    seen: set[str] = set()

    def add(entry: LinkEntry) -> None:
        if entry.url not in seen:
            seen.add(entry.url)
            entries.append(entry)

    for talk, shown_track in zip(deck.talks, deck.shown_tracks(), strict=True):
        track = deck.track_named(shown_track)
        track_title = track.title if track else (shown_track or "")
        links = list(talk.links)
        if talk.video:
            links.insert(0, Link(talk.title, talk.video, talk.video_pos or talk.pos, "video"))
        for link in links:
            title = talk.title if link.kind == "video" else link.title
            add(LinkEntry(link.url, title, link.kind, talk.title, talk.speakers, shown_track or "", track_title, link))
    for link in deck.links:
        add(LinkEntry(link.url, link.title, "deck", "", (), "", "", link))
    return tuple(entries)


def group_links(deck: Deck, entries: tuple[LinkEntry, ...], words: Words | None = None) -> tuple[LinkGroup, ...]:
    """Group entries by track in the order of deck.yaml's tracks; the deck's links come last.

    The talks without a track and the deck's own links get a title in `words` (English without).
    """
    if words is None:
        from .catalogue import english

        words = english()
    talk_entries = [e for e in entries if e.kind != "deck"]
    groups: list[LinkGroup] = []
    for key in _group_order(deck, [e.track for e in talk_entries]):
        members = tuple(e for e in entries if e.kind != "deck" and e.track == key)
        if members:
            groups.append(LinkGroup(members[0].track_title or words.gettext("Talks"), members))
    deck_links = tuple(e for e in entries if e.kind == "deck")
    if deck_links:
        groups.append(LinkGroup(words.gettext("More links"), deck_links))
    return tuple(groups)


def _group_order(deck: Deck, shown: list[str]) -> list[str]:
    """The tracks' names in the order groups are shown: talks before the first track's divider
    first (`""`), as on the slides, then deck.yaml's tracks, then any other track talks are shown under."""
    untracked = [""] if any(not name for name in shown) else []
    return list(dict.fromkeys(untracked + [t.name for t in deck.tracks] + shown))


def group_talks(deck: Deck, words: Words | None = None) -> tuple[TalkGroup, ...]:
    """Every talk under the track it is shown under, grouped as the links pages group their links;
    the talks under no track get a title in `words` (English without)."""
    if words is None:
        from .catalogue import english

        words = english()
    shown = [name or "" for name in deck.shown_tracks()]
    groups: list[TalkGroup] = []
    for key in _group_order(deck, shown):
        talks = tuple(talk for talk, name in zip(deck.talks, shown, strict=True) if name == key)
        track = deck.track_named(key) if key else None
        if talks:
            title = (track.title if track else key) or words.gettext("Talks")
            groups.append(TalkGroup(title, track.description if track else "", talks))
    return tuple(groups)


def page_links(groups: tuple[LinkGroup, ...], per_page: int) -> tuple[LinksPage, ...]:
    """Spread each group over as few pages as hold it, at most `per_page` links a page, as evenly
    as they go (nine links make pages of five and four, not eight and one)."""
    pages: list[LinksPage] = []
    for group in groups:
        count = -(-len(group.entries) // per_page)
        small, larger = divmod(len(group.entries), count)
        sizes = [small + (1 if number < larger else 0) for number in range(count)]
        starts = [sum(sizes[:number]) for number in range(count)]
        chunks = [group.entries[start : start + size] for start, size in zip(starts, sizes, strict=True)]
        for number, chunk in enumerate(chunks, start=1):
            pages.append(LinksPage(group.title, chunk, number, len(chunks)))
    return tuple(pages)
