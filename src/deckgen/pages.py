"""The pages published beside the slides: the attendee's links page (`links.html`, made for a phone)
and the share tags (description, OpenGraph, Twitter card) that every page of a deck or a site carries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from .linklist import group_talks
from .model import Deck, Talk

if TYPE_CHECKING:
    from .catalogue import Words

LINKS_PAGE = "links.html"
"""The links page's file, beside the deck's `index.html`."""
THUMBNAIL = "thumbnail.jpg"
"""A picture of the title slide (`deckgen site --thumbnails`), beside the deck's `index.html`: a JPEG, a tenth of a PNG's size."""
THUMBNAIL_SIZE = (1280, 720)
"""The thumbnail's width and height in pixels: the slide's own size."""


_URL_BREAKS = re.compile(r"(?<=/)(?!/)|(?=[.?&#])")
"""Where a bare URL may break: after a `/` (not inside `//`), before a `.`, `?`, `&` or `#`."""


def title_parts(title: str) -> tuple[str, ...]:
    """A link's title in pieces a line may break between: a bare URL after each `/` and before each
    `.` (never inside a word); any other title whole."""
    if not title.startswith(("http://", "https://")):
        return (title,)
    return tuple(part for part in _URL_BREAKS.split(title) if part)


def sibling_url(url: str, name: str) -> str:
    """The address of file `name` published beside the page at `url`.

    A URL ending in `/` or naming a folder (no `.` in its last segment) is the deck's folder
    (`https://example.org/kubecon` → `https://example.org/kubecon/links.html`); one naming a file
    (`…/kubecon/index.html`) is replaced. Its query and fragment are left out.
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    folder, _, last = path.rpartition("/")
    path = f"{folder}/{name}" if "." in last else f"{path.rstrip('/')}/{name}"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def folder_url(url: str, folder: str) -> str:
    """The address of a folder published under the site at `url` (`https://example.org/recaps/` + `kubecon` → `…/recaps/kubecon/`)."""
    from urllib.parse import quote

    return sibling_url(url, quote(folder)) + "/"


def closing_url(deck: Deck) -> str | None:
    """Where the closing slide's QR code leads: the deck's `url`, or the links page beside it (`closing_qr: links`)."""
    if deck.url and deck.closing_qr == "links":
        return sibling_url(deck.url, LINKS_PAGE)
    return deck.url


@dataclass(frozen=True, slots=True)
class ShareTags:
    """What a page says of itself to search engines and to the previews of chats and social sites."""

    title: str
    description: str
    lang: str
    """The page's language tag (`pt-BR`)."""
    url: str | None = None
    """The page's published address (`og:url`), when known."""
    image: str | None = None
    """The published address of a picture of the page (`og:image`), only when there is one."""

    @property
    def locale(self) -> str:
        """`og:locale`: the language tag as OpenGraph writes it (`pt_BR`)."""
        return self.lang.replace("-", "_")

    @property
    def image_size(self) -> tuple[int, int]:
        """The picture's width and height in pixels."""
        return THUMBNAIL_SIZE

    @property
    def card(self) -> str:
        """The Twitter card: a large picture when there is one."""
        return "summary_large_image" if self.image else "summary"


def deck_description(deck: Deck, words: Words) -> str:
    """A deck in one line, for its share tags: its subtitle, event, date and author, as far as it has them."""
    parts = (deck.subtitle, deck.event, words.date(deck.date), deck.author)
    return " · ".join(part for part in parts if part) or deck.title


def deck_share(deck: Deck, words: Words, address: str | None, thumbnail: bool) -> ShareTags:
    """The share tags of a deck's page, published at `address` (its `url`, or the site's), with a
    picture of its title slide when `thumbnail`."""
    image = sibling_url(address, THUMBNAIL) if address and thumbnail else None
    return ShareTags(deck.title, deck_description(deck, words), deck.lang, address, image)


def links_page_share(deck: Deck, words: Words, address: str | None, thumbnail: bool) -> ShareTags:
    """The share tags of a deck's links page: `{title}: links`, published beside the deck."""
    tags = deck_share(deck, words, address, thumbnail)
    title = words.gettext("%(title)s: links") % {"title": deck.title}
    return ShareTags(title, tags.description, tags.lang, sibling_url(address, LINKS_PAGE) if address else None, tags.image)


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link on the links page: a talk's video or other link, or one of the deck's own."""

    url: str
    title: str
    kind: str
    """`video`, `link` or `deck`."""

    @property
    def title_parts(self) -> tuple[str, ...]:
        """The title in pieces a line may break between (a bare URL at its `/` and `.`)."""
        return title_parts(self.title)

    @property
    def host(self) -> str:
        """Where the link leads (`www.youtube.com`), shown beside its title."""
        return urlsplit(self.url).hostname or ""


@dataclass(frozen=True, slots=True)
class TalkLinks:
    """A talk on the links page: its video first, then its other links (each URL once)."""

    talk: Talk
    links: tuple[PageLink, ...]


@dataclass(frozen=True, slots=True)
class TrackTalks:
    """A track on the links page: its title and description, and its talks in deck order."""

    title: str
    description: str
    talks: tuple[TalkLinks, ...]


def talk_links(talk: Talk) -> TalkLinks:
    """A talk's video and links, each URL once (the first wins)."""
    links = ([PageLink(talk.video, talk.title, "video")] if talk.video else []) + [
        PageLink(link.url, link.title, "link") for link in talk.links
    ]
    kept: dict[str, PageLink] = {}
    for link in links:
        kept.setdefault(link.url, link)
    return TalkLinks(talk, tuple(kept.values()))


@dataclass(frozen=True, slots=True)
class LinksPageContext:
    """Everything `site/links.html` sees: the deck, its talks by track, its own links."""

    deck: Deck
    date: str
    """The deck's `date` as shown: a date in the deck's language, other text as written."""
    tracks: tuple[TrackTalks, ...]
    more_links: tuple[PageLink, ...]
    """The deck's own `links` (deck.yaml)."""
    share: ShareTags
    stylesheets: tuple[str, ...]
    generator: str

    @property
    def lang(self) -> str:
        return self.deck.lang

    @property
    def title(self) -> str:
        return self.share.title


def links_page(deck: Deck, words: Words, share: ShareTags, stylesheets: tuple[str, ...], generator: str) -> LinksPageContext:
    """The links page of a deck: every talk under its track, each with its video and links, then the deck's links."""
    tracks = tuple(
        TrackTalks(group.title, group.description, tuple(talk_links(talk) for talk in group.talks)) for group in group_talks(deck, words)
    )
    more = tuple(PageLink(link.url, link.title, "deck") for link in deck.links)
    return LinksPageContext(deck, words.date(deck.date), tracks, more, share, stylesheets, generator)
