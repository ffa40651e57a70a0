"""deckgen's own words: the messages its pages show, each with the key deck.yaml's `strings:` uses,
and the languages deckgen has a catalogue for. Light on imports: the loader checks decks with it.

A message is written in the templates and the exporters as its English text (the gettext msgid);
the translations live in `locale/LANG.po`, one catalogue per language (see `catalogue.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LOCALE_FOLDER = Path(__file__).with_name("locale")
"""deckgen's catalogues: `LANG.po` for each language, and `deckgen.pot`, their template."""
SOURCE_LANGUAGE = "en"
"""The language of the messages themselves: it needs no catalogue."""
DATE_CONTEXT = "date"
"""The gettext context of the month names: the form a month takes inside a date."""
NEW_DECK_CONTEXT = "new deck"
"""The gettext context of the words `deckgen new` writes into a new deck."""


@dataclass(frozen=True, slots=True)
class Message:
    """One of deckgen's words on a page, by the key `strings:` overrides it with."""

    key: str
    msgid: str
    """The English text, as the templates and the code write it; placeholders `%(name)s`."""
    plural: str | None = None
    """The English plural form, for a message that shows a count."""
    context: str | None = None
    doc: str = ""
    """Where the page shows it."""

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The names the message's text may use, in order of first use."""
        found = re.findall(r"%\((\w+)\)s", self.msgid + (self.plural or ""))
        return tuple(dict.fromkeys(found))


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")

MESSAGES: tuple[Message, ...] = (
    Message("track", "Track", doc="above the track's title on a divider slide"),
    Message(
        "talk_count",
        "%(count)s talk",
        "%(count)s talks",
        doc="under a divider's title: how many talks follow; the archive page: a deck's talks",
    ),
    Message("track_count", "%(count)s track", "%(count)s tracks", doc="the archive page (`deckgen site`): a deck's tracks"),
    Message("links", "Links", doc="a links slide's heading, before the track's title; the archive page: the link to a deck's links page"),
    Message("page_number", "%(number)s/%(count)s", doc="after a links page's heading when a track's links fill several pages"),
    Message("video", "video", doc="on a link card: the talk's recording"),
    Message("link", "link", doc="on a link card: any other link of a talk"),
    Message("talks", "Talks", doc="links slides, the links page and `deckgen links`: the talks shown under no track"),
    Message("more_links", "More links", doc="links slides, the links page and `deckgen links`: the deck's own `links`"),
    Message("closing", "Thank you!", doc="the closing slide, when deck.yaml has no `closing`"),
    Message("qr_code", "QR code: %(label)s", doc="every QR code's accessible label (its URL follows)"),
    Message("qr_deck", "this deck", doc="the `label` of the title and closing slides' QR code"),
    Message("qr_video", "video of %(title)s", doc="the `label` of a talk's QR code"),
    Message(
        "qr_links",
        "the links of this deck",
        doc="the `label` of the closing slide's QR code when it leads to the links page (`closing_qr: links`)",
    ),
    *(
        Message(f"{where}_slide", f"{where} slide", doc=f"the accessible label of reveal.js's {arrow} arrow (read by screen readers)")
        for where, arrow in (("previous", "left"), ("next", "right"), ("above", "up"), ("below", "down"))
    ),
    Message("slides", "Slides", doc="the links page and the archive page: the link to a deck's slides"),
    Message("site_title", "Recaps", doc="the archive page's title when site.yaml has none (`deckgen site`)"),
    Message(
        "links_heading",
        "%(title)s: links",
        doc="the links page's title (its tab and share preview); `deckgen links --format md`: the first heading",
    ),
    Message("from_talk", "from %(talk)s", doc="`deckgen links --format md`: after a talk's link other than its video"),
    Message("date", "%(day)s %(month)s %(year)s", doc="the title slide's `date` when it is a date (`2019-06-12`)"),
    *(Message(month.lower(), month, context=DATE_CONTEXT, doc=f"the month's name inside a date ({month})") for month in _MONTHS),
)
"""Every word deckgen's pages and exports show, in the order the README lists them."""

MESSAGE_KEYS: dict[str, Message] = {message.key: message for message in MESSAGES}
MONTHS: tuple[str, ...] = _MONTHS
"""The month names' msgids (in the `date` context), January first."""

_LANGUAGE_NAMES = {
    "english": "en", "spanish": "es", "castilian": "es", "catalan": "ca", "french": "fr", "german": "de", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "polish": "pl", "japanese": "ja", "chinese": "zh", "jp": "ja", "cn": "zh", "sp": "es",
}  # fmt: skip
"""Names and country codes people write for a language: a hint in the warning, never a silent match."""


def available_languages() -> tuple[str, ...]:
    """Every language deckgen has words in: English and each catalogue's, sorted."""
    try:
        found = {path.stem for path in LOCALE_FOLDER.iterdir() if path.suffix == ".po"}
    except OSError:
        found = set()
    return tuple(sorted(found | {SOURCE_LANGUAGE}))


def normal_tag(lang: str) -> str:
    """A language tag as BCP 47 writes it: `pt_br` → `pt-BR`, `ZH-hans` → `zh-Hans`."""
    parts = [part for part in re.split(r"[-_]", lang.strip()) if part]
    shaped = [parts[0].lower()] if parts else []
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            shaped.append(part.upper())  # a region
        elif len(part) == 4 and part.isalpha():
            shaped.append(part.title())  # a script
        else:
            shaped.append(part.lower())
    return "-".join(shaped)


def candidate_tags(lang: str) -> tuple[str, ...]:
    """The tags to look for, most specific first: `pt-BR` → `pt-br`, `pt` (lower case, as files are named)."""
    parts = normal_tag(lang).lower().split("-")
    return tuple("-".join(parts[:count]) for count in range(len(parts), 0, -1) if parts[0])


def match_language(lang: str, available: tuple[str, ...] | None = None) -> str | None:
    """The catalogue for `lang` (`pt-BR` falls back to `pt`), or None when deckgen has none."""
    choices = {code.lower(): code for code in (available if available is not None else available_languages())}
    return next((choices[tag] for tag in candidate_tags(lang) if tag in choices), None)


def language_hint(lang: str) -> str:
    """` (did you mean 'ja'?)` for a language written as a name or a country code, else empty."""
    guess = _LANGUAGE_NAMES.get(lang.strip().lower())
    return f" (did you mean '{guess}'?)" if guess else ""


def override_text(text: str, allowed: tuple[str, ...]) -> str:
    """A `strings:` text (placeholders in braces, `{count}`) as a gettext message (`%(count)s`).

    Raise `ValueError` saying what is wrong: an unknown placeholder, a format, a lone brace.
    """
    import string

    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise ValueError("a lone brace: placeholders are written {name}, a brace itself {{ or }}") from None
    pieces: list[str] = []
    for literal, name, spec, conversion in parsed:
        pieces.append(literal.replace("%", "%%"))
        if name is None:
            continue
        if name not in allowed:
            known = ", ".join(f"{{{n}}}" for n in allowed) or "none"
            raise ValueError(f"unknown placeholder {{{name}}} (this string's placeholders: {known})")
        if spec or conversion:
            raise ValueError(f"placeholder {{{name}}} takes no format: write it as {{{name}}}")
        pieces.append(f"%({name})s")
    return "".join(pieces)
