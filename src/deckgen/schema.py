"""The keys of deck.yaml and of front-matter, declared once, with their checks."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from .problems import Collector
from .yamlfile import YamlDoc

Kind = Literal["text", "speakers", "url", "links", "tracks", "mapping", "bool", "paths"]


@dataclass(frozen=True, slots=True)
class Key:
    """One key that a deck file may carry."""

    name: str
    kind: Kind
    required: bool = False
    doc: str = ""


DECK_KEYS: tuple[Key, ...] = (
    Key("title", "text", required=True, doc="the deck's title"),
    Key("subtitle", "text", doc="shown under the title"),
    Key("date", "text", doc="shown on the title slide"),
    Key("author", "text", doc="who presents the recap"),
    Key("event", "text", doc="the conference being recapped"),
    Key("lang", "text", doc="the page language, default en"),
    Key("url", "url", doc="where the deck will be published; QR code on title and closing slides"),
    Key("theme", "text", doc="a built-in theme name or a path to a theme folder"),
    Key("tracks", "tracks", doc="ordered list of tracks: a name or {name, title, description}"),
    Key("links", "links", doc="extra links for the links pages: a URL or {title, url}"),
    Key("closing", "text", doc="closing slide text, default 'Thank you!'"),
    Key("reveal", "mapping", doc="options passed to Reveal.initialize"),
    Key("html", "bool", doc="allow raw HTML in Markdown, default true"),
    Key("slides", "paths", doc="explicit order of the slide files, relative to slides/"),
)

TALK_KEYS: tuple[Key, ...] = (
    Key("title", "text", required=True, doc="the talk's title"),
    Key("speakers", "speakers", doc="a name or a list of names"),
    Key("track", "text", doc="one of deck.yaml's tracks"),
    Key("video", "url", doc="the recording; footer link and QR code on every slide"),
    Key("links", "links", doc="more links: a URL or {title, url}"),
    Key("class", "text", doc="CSS classes for every slide of the file"),
)

PLAIN_KEYS: tuple[Key, ...] = (
    Key("title", "text", doc="a label for the file"),
    Key("class", "text", doc="CSS classes for every slide of the file"),
)

TRACK_KEYS: tuple[Key, ...] = (
    Key("name", "text", required=True),
    Key("title", "text"),
    Key("description", "text"),
)

LINK_KEYS: tuple[Key, ...] = (
    Key("title", "text"),
    Key("url", "url", required=True),
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


@dataclass(slots=True)
class MappingChecker:
    """Checks one YAML mapping against a tuple of keys, reporting at file positions."""

    doc: YamlDoc
    rel: str
    problems: Collector
    base: tuple[object, ...] = ()

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

    def text(self, mapping: dict[Any, Any], name: str) -> str | None:
        """A string value; numbers and dates are taken as their text."""
        value = mapping.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float, _dt.date)):
            self.error((name,), "wrong-type", f"'{name}' must be a string, not {type_name(value)}")
            return None
        return value.isoformat() if isinstance(value, _dt.date) else str(value)

    def flag(self, mapping: dict[Any, Any], name: str, default: bool) -> bool:
        value = mapping.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error((name,), "wrong-type", f"'{name}' must be true or false, not {type_name(value)}")
            return default
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
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    self.error((name, index), "wrong-type", f"each of '{name}' must be a string, not {type_name(item)}")
            return tuple(v for v in value if isinstance(v, str))
        self.error((name,), "wrong-type", f"'{name}' must be a string or a list of strings, not {type_name(value)}")
        return ()

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

    def nested(self, *path: object) -> MappingChecker:
        return MappingChecker(self.doc, self.rel, self.problems, self.base + path)


def parse_link_items(
    checker: MappingChecker, mapping: dict[Any, Any], name: str, make: Callable[[str, str, tuple[int, int]], Any]
) -> list[Any]:
    """Read a `links` list: each item a URL string or a `{title, url}` mapping."""
    made: list[Any] = []
    for index, item in checker.items(mapping, name):
        where = checker.at(name, index)
        if isinstance(item, str):
            reason = url_problem(item)
            if reason:
                checker.error((name, index), "bad-url", f"link: {reason}")
                continue
            made.append(make(item, item, where))
        elif isinstance(item, dict):
            sub = checker.nested(name, index)
            sub.check_keys(item, LINK_KEYS, "a link")
            url = sub.url(item, "url")
            title = sub.text(item, "title")
            if url:
                made.append(make(title or url, url, where))
        else:
            checker.error((name, index), "wrong-type", f"a link must be a URL or a mapping with 'url', not {type_name(item)}")
    return made
