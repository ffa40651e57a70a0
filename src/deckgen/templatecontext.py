"""What a theme's templates see, in the words the README uses, for messages about a template's slip.

A template that asks for something its object does not have fails (jinja2's strict undefined); the
message names the object as the README does (`a slide`, `a talk's view`), never deckgen's class,
and lists what the template can use instead.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jinja2
from jinja2.utils import missing

from .schema import closest

OBJECT_NOUNS = {
    "PageContext": "page",
    "Deck": "the deck",
    "Track": "a track",
    "Talk": "a talk",
    "Link": "a link",
    "SourcePos": "a source position",
    "SlideView": "a slide",
    "TitleView": "the title slide's view",
    "DividerView": "a divider's view",
    "SectionView": "a plain file's view",
    "TalkView": "a talk's view",
    "LinksView": "a links page's view",
    "ClosingView": "the closing slide's view",
    "LinkCard": "a link card",
    "LinkEntry": "a link card's entry",
    "QrCode": "a QR code",
    "InlineAssets": "page.inline",
    "ShareTags": "share tags",
    "LinksPageContext": "the links page",
    "TrackTalks": "a track of the links page",
    "TalkLinks": "a talk of the links page",
    "PageLink": "a link of the links page",
    "ArchivePageContext": "the archive page",
    "ArchiveEntry": "an archive entry",
    "DeckFacts": "an entry's facts",
}
"""deckgen's classes that templates see, by class name, as the README's template context names them."""

TEMPLATE_NAMES = ("page", "deck", "view")
"""The names every slide template sees (`slides/talk.html` also `talk`, and `loop` of the views)."""


def public_names(obj: object) -> list[str]:
    """What a template can ask of `obj`: its fields, properties and methods, in order of name."""
    names = {field.name for field in dataclasses.fields(obj)} if dataclasses.is_dataclass(obj) else set()
    names.update(name for name in dir(type(obj)) if not name.startswith("_"))
    return sorted(names)


def describe_missing(obj: Any, name: str) -> str | None:
    """Say that `obj` has no `name`, in the README's words, with what it has; None for other objects."""
    if obj is missing:
        hint = closest(name, TEMPLATE_NAMES)
        mean = f" (did you mean '{hint}'?)" if hint else ""
        return (
            f"'{name}' is undefined{mean}; a slide template sees {', '.join(TEMPLATE_NAMES)} (and talk in slides/talk.html), "
            "site/links.html page and deck, site/archive.html page (README: Templates and what they see)"
        )
    noun = OBJECT_NOUNS.get(type(obj).__name__)
    if noun is None:
        return None
    names = public_names(obj)
    hint = closest(name, names)
    mean = f" (did you mean '{hint}'?)" if hint else ""
    return f"{noun} has no attribute '{name}'{mean}; it has: {', '.join(names)}"


class ThemeUndefined(jinja2.StrictUndefined):
    """jinja2's strict undefined, whose message says what the template can use instead."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = missing,
        name: str | None = None,
        exc: type[jinja2.TemplateRuntimeError] = jinja2.UndefinedError,
    ) -> None:
        if hint is None and name is not None:
            hint = describe_missing(obj, name)
        super().__init__(hint, obj, name, exc)
