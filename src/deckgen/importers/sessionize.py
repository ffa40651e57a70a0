"""Sessionize's `view/All` JSON: `sessions`, `speakers`, `rooms` and `categories` side by side.

A session names its speakers and category items by id; the category titled `Track` holds the
tracks. Service sessions (breaks, lunch) are not talks. `recordingUrl` is the recording.
"""

from __future__ import annotations

import re
from typing import Any

from .event import DEFAULT_TRACK, Schedule, ScheduleEvent, parse_iso_datetime, schedule_error, schedule_order
from .recordings import absolute_url
from .text import one_line

_TRACK_CATEGORY_TITLES = ("track", "tracks")
_TRACK_WORD = re.compile(r"\btracks?\b")


def is_sessionize(document: object) -> bool:
    """Whether a JSON document has the shape of Sessionize's `view/All` export."""
    return isinstance(document, dict) and isinstance(document.get("sessions"), list) and "speakers" in document


def _text(value: object) -> str:
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def _speaker_names(document: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for speaker in document.get("speakers") or []:
        if isinstance(speaker, dict):
            name = _text(speaker.get("fullName")) or f"{_text(speaker.get('firstName'))} {_text(speaker.get('lastName'))}"
            names[_text(speaker.get("id"))] = one_line(name)
    return names


def _track_category(categories: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The category of tracks: titled `Track`, else one whose title has the word (`Session track`, `Tracks / Streams`)."""
    titles = [(category, _text(category.get("title")).strip().lower()) for category in categories]
    exact = next((category for category, title in titles if title in _TRACK_CATEGORY_TITLES), None)
    return exact or next((category for category, title in titles if _TRACK_WORD.search(title)), None)


def _track_items(document: dict[str, Any]) -> dict[str, str]:
    items: dict[str, str] = {}
    categories = document.get("categories")
    category = _track_category([c for c in categories if isinstance(c, dict)] if isinstance(categories, list) else [])
    for item in (category or {}).get("items") or []:
        if isinstance(item, dict):
            items[_text(item.get("id"))] = one_line(_text(item.get("name")))
    return items


def read_sessionize(document: object, path: str) -> Schedule:
    """Every talk of a Sessionize `view/All` JSON document."""
    if not isinstance(document, dict) or not is_sessionize(document):
        raise schedule_error(path, 1, "not a Sessionize export: it has no 'sessions' list beside 'speakers'", "wrong-format")
    speakers = _speaker_names(document)
    tracks = _track_items(document)
    events: list[ScheduleEvent] = []
    for session in document["sessions"]:
        if not isinstance(session, dict) or session.get("isServiceSession") is True:
            continue
        title = one_line(_text(session.get("title")))
        if not title:
            continue
        names = []
        for speaker in session.get("speakers") or []:
            name = speakers.get(_text(speaker)) if not isinstance(speaker, dict) else one_line(_text(speaker.get("name")))
            if name:
                names.append(name)
        track = next((tracks[key] for item in session.get("categoryItems") or [] if (key := _text(item)) in tracks), "")
        events.append(
            ScheduleEvent(
                id=_text(session.get("id")) or title,
                title=title,
                speakers=tuple(names),
                track=track or DEFAULT_TRACK,
                start=parse_iso_datetime(_text(session.get("startsAt"))),
                abstract=_text(session.get("description")).strip(),
                video=absolute_url(_text(session.get("recordingUrl")), None),
            )
        )
    return Schedule(path, "sessionize", None, schedule_order(events))
