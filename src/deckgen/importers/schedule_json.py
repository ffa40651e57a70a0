"""Schedule JSON: pretalx's and frab's `schedule.json` (the c3voc JSON schema) and its `schedule2` form.

`schedule.conference.days[].rooms{room: [event]}` with `persons` ({name} or frab's {public_name});
schedule2 lists `schedule.events[]` with `participants` (named, or by `guid` in `schedule.persons`), a track that may be `{slug}` (named in
`conference.tracks`), and texts that may be `{language: text}`.
"""

from __future__ import annotations

from typing import Any

from .event import DEFAULT_TRACK, Schedule, ScheduleEvent, parse_iso_datetime, schedule_error, schedule_order
from .recordings import RawLink, sort_links
from .text import one_line


def _string(value: object, languages: tuple[str, ...] = ()) -> str:
    """A text value: a string, a number, or a `{language: text}` mapping (the first language that has one)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        ordered = [value.get(lang) for lang in languages] + list(value.values())
        return next((text for text in ordered if isinstance(text, str) and text.strip()), "")
    return ""


def _own_name(person: dict[str, Any]) -> str:
    return one_line(_string(person.get("name")) or _string(person.get("public_name")) or _string(person.get("full_public_name")))


def _person_keys(person: dict[str, Any]) -> list[str]:
    return [key for key in (_string(person.get(name)) for name in ("guid", "code", "id")) if key]


def _raw_links(items: object, default_title: str) -> list[RawLink]:
    raw: list[RawLink] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            raw.append(RawLink(item))
        elif isinstance(item, dict):
            kind = _string(item.get("type"))
            title = _string(item.get("title")) or (kind.capitalize() if kind else default_title)
            raw.append(RawLink(_string(item.get("url")) or _string(item.get("href")), title, kind if "/" in kind else ""))
    return raw


class _Reader:
    def __init__(self, schedule: dict[str, Any]) -> None:
        conference = schedule.get("conference")
        self.conference: dict[str, Any] = conference if isinstance(conference, dict) else {}
        self.base = _string(schedule.get("base_url")) or None
        languages = self.conference.get("languages")
        self.languages = tuple(lang for lang in languages if isinstance(lang, str)) if isinstance(languages, list) else ()
        # schedule2 lists the people once, under `schedule.persons`; a participant may name them by `guid` alone.
        persons = schedule.get("persons")
        self.person_names = {
            key: name
            for person in (persons if isinstance(persons, list) else [])
            if isinstance(person, dict) and (name := _own_name(person))
            for key in _person_keys(person)
        }
        tracks = self.conference.get("tracks")
        self.track_names = {
            key: name
            for track in (tracks if isinstance(tracks, list) else [])
            if isinstance(track, dict) and (name := _string(track.get("name")))
            for key in (_string(track.get("slug")), _string(track.get("guid")), name)
            if key
        }

    def person_name(self, person: object) -> str:
        if isinstance(person, str):
            return one_line(person)
        if isinstance(person, dict):
            return _own_name(person) or next((self.person_names[key] for key in _person_keys(person) if key in self.person_names), "")
        return ""

    def track(self, value: object) -> str:
        if isinstance(value, dict):
            for key in ("name", "slug", "guid"):
                text = _string(value.get(key))
                if text:
                    return self.track_names.get(text, text)
            return DEFAULT_TRACK
        return one_line(_string(value, self.languages)) or DEFAULT_TRACK

    def event(self, item: object, day_date: str) -> ScheduleEvent | None:
        if not isinstance(item, dict):
            return None
        title = one_line(_string(item.get("title"), self.languages))
        if not title:
            return None
        people = item.get("persons") if isinstance(item.get("persons"), list) else item.get("participants")
        speakers = tuple(name for person in (people if isinstance(people, list) else []) if (name := self.person_name(person)))
        raw = _raw_links(item.get("links"), "Link") + _raw_links(item.get("attachments"), "Attachment")
        recordings = tuple(_string(item.get(key)) for key in ("video_download_url", "recording_url") if _string(item.get(key)))
        video, links = sort_links(raw, self.base, recordings)
        start = parse_iso_datetime(_string(item.get("date"))) or parse_iso_datetime(_string(item.get("start")))
        if start is None and day_date and _string(item.get("start")):
            start = parse_iso_datetime(f"{day_date}T{_string(item.get('start'))}")
        page = _string(item.get("url"))
        identifier = next((_string(item.get(key)) for key in ("id", "code", "guid", "slug") if _string(item.get(key))), title)
        return ScheduleEvent(
            id=identifier,
            title=title,
            speakers=speakers,
            track=self.track(item.get("track")),
            start=start,
            subtitle=one_line(_string(item.get("subtitle"), self.languages)),
            abstract=_string(item.get("abstract"), self.languages).strip() or _string(item.get("description"), self.languages).strip(),
            url=page if page.startswith(("http://", "https://")) else None,
            video=video,
            links=links,
        )


def is_schedule_json(document: object) -> bool:
    """Whether a JSON document has the shape of a schedule JSON file."""
    return isinstance(document, dict) and isinstance(document.get("schedule"), dict)


def read_schedule_json(document: object, path: str) -> Schedule:
    """Every event of a schedule JSON document (schedule or schedule2)."""
    if not is_schedule_json(document):
        raise schedule_error(path, 1, "not a schedule JSON file: it has no 'schedule' object", "wrong-format")
    schedule: dict[str, Any] = document["schedule"]  # type: ignore[index]
    reader = _Reader(schedule)
    events: list[ScheduleEvent] = []
    days = reader.conference.get("days")
    for day in days if isinstance(days, list) else []:
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            continue
        day_date = _string(day.get("date"))
        for room_events in rooms.values():
            events.extend(e for item in (room_events if isinstance(room_events, list) else []) if (e := reader.event(item, day_date)))
    flat = schedule.get("events")
    events.extend(e for item in (flat if isinstance(flat, list) else []) if (e := reader.event(item, "")))
    if not events and not isinstance(days, list) and not isinstance(flat, list):
        raise schedule_error(path, 1, "a schedule JSON file without 'conference.days' or 'events': no events to read", "wrong-format")
    return Schedule(path, "schedule-json", one_line(_string(reader.conference.get("title"))) or None, schedule_order(events))
