"""`deckgen links`: every link of a deck, for the meetup page or a follow-up mail (Markdown, JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalogue import Words
from .linklist import LinkEntry, collect_links, group_links
from .model import Deck
from .problems import Problem
from .themes import deck_words, find_theme

FORMATS = ("md", "json", "csv")
FIELDS = ("url", "title", "kind", "talk", "speakers", "track", "track_name", "source")
"""The fields of each link in JSON and the columns of the CSV, in order."""

# What could start Markdown inside a line of text (CommonMark lets any ASCII punctuation be
# backslash-escaped): `&` only before an entity's name, `!` only before `[`.
_MD_TEXT_SPECIALS = re.compile(r"([\\`*_\[\]<>~#]|&(?=#?\w+;)|!(?=\[))")
_MD_URL_SPECIALS = re.compile(r"([\\()<>])")


def markdown_text(text: str) -> str:
    """`text` escaped so that Markdown shows it as written (line breaks become spaces)."""
    return _MD_TEXT_SPECIALS.sub(r"\\\1", " ".join(text.split()))


def markdown_url(url: str) -> str:
    """A link destination that parentheses or angle brackets in the URL cannot cut short."""
    return _MD_URL_SPECIALS.sub(r"\\\1", url)


def link_record(entry: LinkEntry) -> dict[str, Any]:
    """One link as a JSON-ready mapping with the keys of `FIELDS`."""
    pos = entry.link.pos
    return {
        "url": entry.url,
        "title": entry.title,
        "kind": entry.kind,
        "talk": entry.talk,
        "speakers": list(entry.speakers),
        "track": entry.track_title or entry.track,
        "track_name": entry.track,
        "source": f"{pos.path}:{pos.line}",
    }


@dataclass(frozen=True, slots=True)
class DeckLinks:
    """A deck's links in deck order: talk videos and links, then the deck's own links."""

    deck: Deck
    entries: tuple[LinkEntry, ...]
    warnings: tuple[Problem, ...] = ()
    """The deck's warnings (its errors raise `DeckError` instead)."""

    def as_json(self) -> str:
        """A JSON list of objects with the keys of `FIELDS`."""
        return json.dumps([link_record(e) for e in self.entries], indent=2, ensure_ascii=False) + "\n"

    def as_csv(self) -> str:
        """CSV with a header row; several speakers are joined with `; `."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS)
        writer.writeheader()
        for entry in self.entries:
            record = link_record(entry)
            writer.writerow({**record, "speakers": "; ".join(record["speakers"])})
        return buffer.getvalue()

    def as_markdown(self) -> str:
        """A heading per track (in the order of the links pages) over a list of `[title](url)` links,
        in the deck's language."""
        words = deck_words(self.deck, find_theme(self.deck.theme, Path(self.deck.root)))
        lines = [f"# {_markdown_words(words.gettext('%(title)s: links'), title=self.deck.title)}"]
        for group in group_links(self.deck, self.entries, words):
            lines += ["", f"## {markdown_text(group.title)}", ""]
            lines += [_markdown_item(entry, words) for entry in group.entries]
        return "\n".join(lines) + "\n"

    def formatted(self, fmt: str) -> str:
        """The links as `md`, `json` or `csv`."""
        formatters: dict[str, Callable[[], str]] = {"md": self.as_markdown, "json": self.as_json, "csv": self.as_csv}
        if fmt not in formatters:
            raise ValueError(f"unknown links format {fmt!r}: use one of {', '.join(FORMATS)}")
        return formatters[fmt]()


def _markdown_words(message: str, **values: str) -> str:
    """A translated message in Markdown: its own text and the values put in it shown as written."""
    return markdown_text(message) % {name: markdown_text(value) for name, value in values.items()}


def _markdown_item(entry: LinkEntry, words: Words) -> str:
    link = f"[{markdown_text(entry.title)}]({markdown_url(entry.url)})"
    speakers = markdown_text(", ".join(entry.speakers))
    if entry.kind == "video":
        return f"- ► {link}" + (f" — {speakers}" if speakers else "")
    if entry.kind == "link":
        talk = f"*{markdown_text(entry.talk)}*"
        return f"- {link} — {markdown_text(words.gettext('from %(talk)s')) % {'talk': talk}}"
    return f"- {link}"


def links(source: str | Path) -> DeckLinks:
    """Load and check a deck and list its links; raise `DeckError` when the deck has errors."""
    from .builder import checked_deck

    deck, warnings = checked_deck(source)
    return DeckLinks(deck, collect_links(deck), warnings)
