"""The keys of deck.yaml and of front-matter, declared once: their kinds drive the loader's checks
(`READERS`) and the JSON Schema that editors read (`json_schema.py`)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from .messages import MESSAGE_KEYS, SOURCE_LANGUAGE, Message, available_languages, language_hint, match_language, normal_tag, override_text
from .model import Link, SourcePos, Track
from .problems import Collector
from .sources import DECK_FILE
from .yamlfile import YamlDoc

Kind = Literal["text", "speakers", "url", "links", "tracks", "mapping", "bool", "paths", "lang", "strings", "choice"]
"""How a value is read. Every kind treats an empty value (`key:` alone, `null`) as a key not given.

- text: a string; a number or a YAML date is taken as its text
- speakers: a name or a list of names (strings; a YAML date as its text)
- url: an absolute http:// or https:// URL
- links: a list of links, each a URL or a mapping `{title, url}` (`LINK_KEYS`)
- tracks: a list of tracks, each a name (text) or a mapping `{name, title, description}` (`TRACK_KEYS`)
- mapping: any mapping, taken as it is
- bool: true or false
- paths: a list of paths (strings); an empty list leaves the deck with no slides
- lang: a language tag (`es`, `pt-BR`), written as BCP 47 writes it; one deckgen has no words in is a warning
- strings: deckgen's own words by key (`messages.MESSAGES`): each a text (a string or a number),
  or for a message with a count a list of texts, one per plural form of the deck's language
- choice: one of the key's `choices` (a string)
"""


@dataclass(frozen=True, slots=True)
class Key:
    """One key that a deck file may carry."""

    name: str
    kind: Kind
    """How its value is read and checked (see `Kind`)."""
    required: bool = False
    """An error when missing or empty."""
    doc: str = ""
    """What it means, as an editor shows it beside the key."""
    choices: tuple[str, ...] = ()
    """The values a `choice` key takes, its default first."""


CLOSING_QR_CHOICES = ("deck", "links")
"""Where the closing slide's QR code leads: the deck's `url`, or its links page (`links.html` beside it)."""

DECK_KEYS: tuple[Key, ...] = (
    Key("title", "text", required=True, doc="The deck's title, shown on the title slide and in the browser tab."),
    Key("subtitle", "text", doc="Shown under the title."),
    Key(
        "date",
        "text",
        doc="The date of the recap, shown on the title slide: a date (2019-06-12), written out in the deck's language, or any text.",
    ),
    Key("author", "text", doc="Who presents the recap; shown on the title slide."),
    Key("event", "text", doc="The conference being recapped; shown on the title slide."),
    Key(
        "lang",
        "lang",
        doc="The deck's language (es, pt-BR, ...): the page's, and that of deckgen's own words "
        "(dividers, links pages, dates); default en.",
    ),
    Key("url", "url", doc="Where the deck will be published (http or https): a QR code of it on the title and closing slides."),
    Key("theme", "text", doc="A built-in theme (default, kubecon) or the path of a theme folder, relative to the deck folder."),
    Key(
        "tracks",
        "tracks",
        doc="The tracks in the order they are presented: each a name, or {name, title, description}; "
        "a divider slide shows the title (else the name) before the track's talks.",
    ),
    Key("links", "links", doc="More links for the closing links pages, after the talks': each a URL or {title, url}."),
    Key("closing", "text", doc="The closing slide's text, default 'Thank you!' in the deck's language."),
    Key(
        "closing_qr",
        "choice",
        doc="Where the closing slide's QR code leads when the deck has a url: deck (the default: the url itself) "
        "or links (the links page published beside it, links.html, made for phones).",
        choices=CLOSING_QR_CHOICES,
    ),
    Key(
        "strings",
        "strings",
        doc="deckgen's own words changed for this deck, by key (track, more_links, closing, talk_count, ...): "
        "a text with {placeholders}, or for a count one text per plural form of the language.",
    ),
    Key("reveal", "mapping", doc="Options passed to reveal.js's Reveal.initialize (for example transition: fade)."),
    Key("html", "bool", doc="Raw HTML in the Markdown files: true (the default) passes it through, false shows it as text."),
    Key(
        "slides",
        "paths",
        doc="The order of the slide files, relative to slides/ (files, or folders taken in natural order); "
        "without it every .md file under slides/ is taken in natural order.",
    ),
)

SITE_KEYS: tuple[Key, ...] = (
    Key("title", "text", doc="The archive page's title; default 'Recaps' in the site's language."),
    Key(
        "description",
        "text",
        doc="What the archive page's share preview says (its description); default the decks' titles, newest first.",
    ),
    Key(
        "lang",
        "lang",
        doc="The archive page's language (es, pt-BR, ...); default the decks' language when they all have one, else en.",
    ),
    Key(
        "url",
        "url",
        doc="Where the site will be published (http or https): the archive page's address in its share preview, "
        "and each deck's when its deck.yaml has no url (the site's url and the deck's folder name).",
    ),
    Key(
        "theme",
        "text",
        doc="The archive page's theme: a built-in theme (default, kubecon) or the path of a theme folder, "
        "relative to the folder of decks; each deck keeps its own.",
    ),
)

TALK_KEYS: tuple[Key, ...] = (
    Key("title", "text", required=True, doc="The talk's title, in the footer of its slides and on the links pages."),
    Key("speakers", "speakers", doc="Who gave the talk: a name or a list of names."),
    Key("track", "text", doc="The talk's track: the name of one of deck.yaml's tracks."),
    Key("video", "url", doc="The talk's recording (http or https): the footer's link and a QR code on every slide of the talk."),
    Key("links", "links", doc="More links for the links pages: each a URL or {title, url}."),
    Key("class", "text", doc="CSS classes added to every slide of the file (columns-2, small, center, ...)."),
)
TALK_MARKERS = ("video", "track")
"""A file whose front-matter has one of these keys is a talk (`TALK_KEYS`); any other holds plain slides (`PLAIN_KEYS`)."""

PLAIN_KEYS: tuple[Key, ...] = (
    Key("title", "text", doc="A label for the file, used in messages only."),
    Key("class", "text", doc="CSS classes added to every slide of the file (columns-2, small, center, ...)."),
)

TRACK_KEYS: tuple[Key, ...] = (
    Key("name", "text", required=True, doc="The name talks give in their track key."),
    Key("title", "text", doc="Shown on the track's divider slide instead of the name."),
    Key("description", "text", doc="Shown under the title on the divider slide."),
)

LINK_KEYS: tuple[Key, ...] = (
    Key("title", "text", doc="The link's title on the links pages (default: the URL)."),
    Key("url", "url", required=True, doc="The link (http or https)."),
)

_TYPE_NAMES = {str: "a string", int: "a number", float: "a number", bool: "true or false", list: "a list", dict: "a mapping"}


def type_name(value: object) -> str:
    """Name a YAML value's type the way a deck author would."""
    if value is None:
        return "empty"
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    return type(value).__name__


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The choice `word` was most likely meant to be (a misspelling, another case), or None."""
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return close[0]
    lowered = {c.lower(): c for c in choices}
    return lowered.get(word.lower())


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ` (did you mean 'x'?)` for the closest choice, or an empty string."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ""


def url_problem(value: str) -> str | None:
    """Say what is wrong with a link URL, or None when it is an absolute http(s) URL."""
    if value != value.strip() or any(ch.isspace() for ch in value):
        return f"'{value}' is not a URL (it contains white space)"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"'{value}' is not a URL"
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return f"URL scheme '{parts.scheme}:' is not allowed (only http and https)"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return f"'{value}' is not a URL (expected http:// or https://)"
    return None


def string_value(value: object) -> str | None:
    """A string as YAML gives it, or None; a YAML date is its text, as every other YAML reader gives it."""
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.date):
        return value.isoformat()
    return None


def text_value(value: object) -> str | None:
    """A text key's value as text (a string, a number or a date), or None when it is something else."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return string_value(value)


@dataclass(slots=True)
class MappingChecker:
    """Checks one YAML mapping against a tuple of keys, reporting at file positions."""

    doc: YamlDoc
    rel: str
    problems: Collector
    base: tuple[object, ...] = ()
    keys: tuple[Key, ...] = ()
    """The keys this mapping may have: `read` reads each by its kind."""

    def at(self, *path: object) -> tuple[int, int]:
        return self.doc.pos(*self.base, *path)

    def error(self, path: tuple[object, ...], code: str, message: str) -> None:
        line, column = self.at(*path)
        self.problems.error(self.rel, line, column, code, message)

    def warning(self, path: tuple[object, ...], code: str, message: str) -> None:
        line, column = self.at(*path)
        self.problems.warning(self.rel, line, column, code, message)

    def check_keys(self, mapping: dict[Any, Any], keys: tuple[Key, ...], what: str) -> None:
        """Report unknown keys (warnings, with did-you-mean) and missing required keys."""
        names = [k.name for k in keys]
        for key in mapping:
            if key not in names:
                line, column = self.doc.key_pos(*self.base, key)
                self.problems.warning(
                    self.rel, line, column, "unknown-key", f"unknown key '{key}' in {what}{did_you_mean(str(key), names)}"
                )
        for key in keys:
            if key.required and (key.name not in mapping or mapping[key.name] in (None, "")):
                self.error((), "missing-key", f"{what} has no '{key.name}' (required)")

    def read(self, mapping: dict[Any, Any], name: str) -> Any:
        """The value of key `name`, read and checked as its kind says; None (or empty) when not given or wrong."""
        [key] = [key for key in self.keys if key.name == name]
        return READERS[key.kind](self, mapping, name)

    def text(self, mapping: dict[Any, Any], name: str) -> str | None:
        """A string value; numbers and dates are taken as their text."""
        value = mapping.get(name)
        if value is None:
            return None
        text = text_value(value)
        if text is None:
            self.error((name,), "wrong-type", f"'{name}' must be a string, not {type_name(value)}")
        return text

    def flag(self, mapping: dict[Any, Any], name: str) -> bool | None:
        value = mapping.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error((name,), "wrong-type", f"'{name}' must be true or false, not {type_name(value)}")
            return None
        return value

    def url(self, mapping: dict[Any, Any], name: str) -> str | None:
        value = mapping.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error((name,), "wrong-type", f"'{name}' must be a URL string, not {type_name(value)}")
            return None
        reason = url_problem(value)
        if reason:
            self.error((name,), "bad-url", f"'{name}': {reason}")
            return None
        return value

    def speakers(self, mapping: dict[Any, Any], name: str) -> tuple[str, ...]:
        value = mapping.get(name)
        if value is None:
            return ()
        single = string_value(value)
        if single is not None:
            return (single,)
        if not isinstance(value, list):
            self.error((name,), "wrong-type", f"'{name}' must be a string or a list of strings, not {type_name(value)}")
            return ()
        names: list[str] = []
        for index, item in enumerate(value):
            speaker = string_value(item)
            if speaker is None:
                self.error((name, index), "wrong-type", f"each of '{name}' must be a string, not {type_name(item)}")
            else:
                names.append(speaker)
        return tuple(names)

    def mapping(self, mapping: dict[Any, Any], name: str) -> dict[str, Any]:
        value = mapping.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error((name,), "wrong-type", f"'{name}' must be a mapping, not {type_name(value)}")
            return {}
        return value

    def items(self, mapping: dict[Any, Any], name: str) -> list[tuple[int, Any]]:
        """The items of a list value, with their indexes; an error when it is not a list."""
        value = mapping.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((name,), "wrong-type", f"'{name}' must be a list, not {type_name(value)}")
            return []
        return list(enumerate(value))

    def paths(self, mapping: dict[Any, Any], name: str) -> tuple[tuple[int, str], ...]:
        """The paths of a list, each with its index."""
        found: list[tuple[int, str]] = []
        for index, item in self.items(mapping, name):
            path = string_value(item)
            if path is None:
                self.error((name, index), "wrong-type", f"each of '{name}' must be a path, not {type_name(item)}")
            else:
                found.append((index, path))
        return tuple(found)

    def links(self, mapping: dict[Any, Any], name: str) -> tuple[Link, ...]:
        """A list of links, each a URL or `{title, url}`: a talk's, or the deck's own in deck.yaml."""
        kind: Literal["deck", "link"] = "deck" if self.rel == DECK_FILE else "link"
        made: list[Link] = []
        for index, item in self.items(mapping, name):
            pos = SourcePos(self.rel, *self.at(name, index))
            if isinstance(item, str):
                reason = url_problem(item)
                if reason:
                    self.error((name, index), "bad-url", f"link: {reason}")
                    continue
                made.append(Link(item, item, pos, kind))
            elif isinstance(item, dict):
                sub = self.nested(name, index, keys=LINK_KEYS)
                sub.check_keys(item, LINK_KEYS, "a link")
                url = sub.read(item, "url")
                title = sub.read(item, "title")
                if url:
                    made.append(Link(title or url, url, pos, kind))
            else:
                self.error((name, index), "wrong-type", f"a link must be a URL or a mapping with 'url', not {type_name(item)}")
        return tuple(made)

    def tracks(self, mapping: dict[Any, Any], name: str) -> tuple[Track, ...]:
        """A list of tracks, each a name or `{name, title, description}`; a name declared twice is an error."""
        tracks: list[Track] = []
        seen: set[str] = set()
        for index, item in self.items(mapping, name):
            pos = SourcePos(self.rel, *self.at(name, index))
            plain_name = text_value(item)
            if plain_name is not None:
                track = Track(plain_name, plain_name, "", pos)
            elif isinstance(item, dict):
                sub = self.nested(name, index, keys=TRACK_KEYS)
                sub.check_keys(item, TRACK_KEYS, "a track")
                track_name = sub.read(item, "name")
                if not track_name:
                    continue
                track = Track(track_name, sub.read(item, "title") or track_name, sub.read(item, "description") or "", pos)
            else:
                self.error((name, index), "wrong-type", f"a track must be a name or a mapping with 'name', not {type_name(item)}")
                continue
            if track.name in seen:
                self.error((name, index), "duplicate-track", f"track '{track.name}' is declared twice")
                continue
            seen.add(track.name)
            tracks.append(track)
        return tuple(tracks)

    def lang(self, mapping: dict[Any, Any], name: str) -> str | None:
        """A language tag in BCP 47's form (`pt_br` → `pt-BR`); one deckgen has no words in is a warning (they stay English)."""
        lang = self.text(mapping, name)
        if not lang or not lang.strip():
            return None
        if match_language(lang) is None:
            supported = ", ".join(available_languages())
            message = f"no catalogue for language '{lang}': deckgen's own words stay English (supported: {supported}){language_hint(lang)}"
            self.warning((name,), "unsupported-lang", message)
        return normal_tag(lang)

    def strings(self, mapping: dict[Any, Any], name: str) -> dict[str, tuple[str, ...]]:
        """deckgen's words changed by deck.yaml, by key: one text each, or a list for the plural forms of a count."""
        strings: dict[str, tuple[str, ...]] = {}
        lang = text_value(mapping.get("lang")) or SOURCE_LANGUAGE
        for key, value in self.mapping(mapping, name).items():
            message = MESSAGE_KEYS.get(str(key))
            if message is None:
                line, column = self.doc.key_pos(*self.base, name, key)
                hint = did_you_mean(str(key), list(MESSAGE_KEYS))
                self.problems.warning(self.rel, line, column, "unknown-key", f"unknown key '{key}' in {name}{hint}")
                continue
            forms = isinstance(value, list) and message.plural is not None
            if forms and not value:
                self.error((name, key), "wrong-type", f"{name}: '{key}' is an empty list: give one text for each plural form")
                continue
            places = [(name, key, index) for index in range(len(value))] if forms else [(name, key)]
            items = value if forms else [value]
            texts = [text for item, place in zip(items, places, strict=True) if (text := self._string(message, item, place)) is not None]
            if texts and len(texts) == len(items):
                strings[message.key] = tuple(texts)
                if forms:
                    self._check_plural_count((name, key), message, len(texts), lang)
        return strings

    def _string(self, message: Message, item: object, place: tuple[object, ...]) -> str | None:
        """One text of `strings`, or None (and an error at its place) when it cannot be used."""
        text = text_value(item)
        if text is None:
            forms = " or a list of texts, one for each plural form" if message.plural else ""
            self.error(place, "wrong-type", f"strings: '{message.key}' must be a text{forms}, not {type_name(item)}")
            return None
        try:
            override_text(text, message.placeholders)
        except ValueError as exc:
            self.error(place, "bad-string", f"strings: '{message.key}': {exc}")
            return None
        return text

    def _check_plural_count(self, place: tuple[object, ...], message: Message, given: int, lang: str) -> None:
        """A list of plural forms has as many texts as the deck's language has forms."""
        from .catalogue import plural_count, plural_forms

        language = match_language(lang) or SOURCE_LANGUAGE
        needed = plural_count(language)
        if given != needed:
            rule = f"'{language}' has {needed} ({plural_forms(language)}), in that order"
            self.warning(place, "plural-forms", f"strings: '{message.key}' gives {given} plural forms; {rule}")

    def choice(self, mapping: dict[Any, Any], name: str) -> str | None:
        """One of the key's `choices`; anything else is an error that names them."""
        value = mapping.get(name)
        if value is None:
            return None
        [key] = [key for key in self.keys if key.name == name]
        if isinstance(value, str) and value in key.choices:
            return value
        allowed = " or ".join(f"'{choice}'" for choice in key.choices)
        shown = f"'{value}'" if isinstance(value, str) else type_name(value)
        hint = did_you_mean(value, key.choices) if isinstance(value, str) else ""
        self.error((name,), "bad-choice", f"'{name}' must be {allowed}, not {shown}{hint}")
        return None

    def nested(self, *path: object, keys: tuple[Key, ...] = ()) -> MappingChecker:
        return MappingChecker(self.doc, self.rel, self.problems, self.base + path, keys)


READERS: dict[Kind, Callable[[MappingChecker, dict[Any, Any], str], Any]] = {
    "text": MappingChecker.text,
    "speakers": MappingChecker.speakers,
    "url": MappingChecker.url,
    "links": MappingChecker.links,
    "tracks": MappingChecker.tracks,
    "mapping": MappingChecker.mapping,
    "bool": MappingChecker.flag,
    "paths": MappingChecker.paths,
    "lang": MappingChecker.lang,
    "strings": MappingChecker.strings,
    "choice": MappingChecker.choice,
}
"""The one reader of each kind of value: `MappingChecker.read` looks a key's kind up here."""
