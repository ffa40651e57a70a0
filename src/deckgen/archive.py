"""The archive page of a site (`OUT/index.html`): every deck, the newest first, with its links."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from urllib.parse import quote

from .catalogue import Words
from .pages import LINKS_PAGE, THUMBNAIL, THUMBNAIL_SIZE, ShareTags, folder_url
from .result import DeckFacts
from .sources import natural_key

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
"""A date as deck.yaml writes one: `2019-06-12`, `2019-06` or `2019`."""
DESCRIPTION_LENGTH = 300
"""The longest default description (the decks' titles): previews cut longer ones anyway."""


def date_key(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date written `2019-06-12`, `2019-06` or `2019` (missing parts 0); None for other
    text, a day or month no calendar has included."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) if part else 0 for part in match.groups())
    try:
        _dt.date(year, month or 1, day or 1)
    except ValueError:  # 2019-13-45 is text, not a date: it sorts with the undated
        return None
    return (year, month, day)


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One deck on the archive page."""

    folder: str
    """The deck's folder name in the site."""
    facts: DeckFacts
    talk_count: int
    date: str
    """The deck's `date` as shown: a date in the site's language, other text as written."""
    thumbnail: bool = False
    """Whether a picture of its title slide was made (`--thumbnails`)."""

    @property
    def href(self) -> str:
        """The deck's page, relative to the archive page (a page, not a folder: it opens from disk too)."""
        return f"{quote(self.folder)}/index.html"

    @property
    def links_href(self) -> str:
        return f"{quote(self.folder)}/{LINKS_PAGE}"

    @property
    def thumbnail_src(self) -> str | None:
        return f"{quote(self.folder)}/{THUMBNAIL}" if self.thumbnail else None

    @property
    def thumbnail_size(self) -> tuple[int, int]:
        return THUMBNAIL_SIZE

    @property
    def datetime(self) -> str | None:
        """The date in ISO form, for `<time datetime>`, when the deck's `date` is one."""
        key = date_key(self.facts.date)
        return self.facts.date.strip() if key is not None else None


def archive_order(entries: list[ArchiveEntry]) -> tuple[ArchiveEntry, ...]:
    """The newest first by `date`; decks whose date is none (or other text) last; then by folder, in natural order."""

    def key(entry: ArchiveEntry) -> tuple[int, tuple[int, int, int], tuple[tuple[int, int | str], ...]]:
        date = date_key(entry.facts.date)
        newest_first = (-date[0], -date[1], -date[2]) if date else (0, 0, 0)
        return (0 if date else 1, newest_first, natural_key(entry.folder))

    return tuple(sorted(entries, key=key))


@dataclass(frozen=True, slots=True)
class ArchivePageContext:
    """Everything `site/archive.html` sees."""

    title: str
    description: str
    """site.yaml's `description`, shown under the title; empty when it has none."""
    lang: str
    entries: tuple[ArchiveEntry, ...]
    """The decks, the newest first."""
    share: ShareTags
    stylesheets: tuple[str, ...]
    generator: str


def archive_page(
    entries: tuple[ArchiveEntry, ...],
    words: Words,
    *,
    title: str | None,
    description: str | None,
    url: str | None,
    stylesheets: tuple[str, ...],
    generator: str,
) -> ArchivePageContext:
    """The archive page of `entries` (in archive order), in the language of `words`."""
    shown_title = title or words.gettext("Recaps")
    summary = description or _titles(entries)
    newest = next((entry for entry in entries if entry.thumbnail), None)
    image = folder_url(url, newest.folder) + THUMBNAIL if url and newest is not None else None
    share = ShareTags(shown_title, summary, words.lang, url, image)
    return ArchivePageContext(shown_title, description or "", words.lang, entries, share, stylesheets, generator)


def _titles(entries: tuple[ArchiveEntry, ...]) -> str:
    """The decks' titles, the newest first, as a description no longer than previews show."""
    text = " · ".join(entry.facts.title for entry in entries)
    return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1].rstrip() + "…"
