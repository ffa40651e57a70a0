"""frab / Pentabarf schedule XML (FOSDEM, CCC, pretalx's `schedule.xml`): `schedule/day/room/event`.

The parser is defusedxml's with DTDs forbidden: a document type declaration, and so any entity
(internal, external, or an expansion bomb), is refused where it starts, before anything it names
is read. The schema is the c3voc `schedule.xml.xsd`.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

from .event import DEFAULT_TRACK, Schedule, ScheduleEvent, parse_iso_datetime, schedule_error, schedule_order
from .recordings import RawLink, sort_links
from .text import one_line

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


_BARE_AMPERSAND = re.compile(rb"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z_][A-Za-z0-9._-]*;)")
"""An `&` that begins no character or entity reference."""


def _line_of(data: bytes, marker: bytes) -> int | None:
    at = data.find(marker)
    return data.count(b"\n", 0, at) + 1 if at >= 0 else None


def parse_xml(data: bytes, path: str) -> Element:
    """The root element of `data`; a DTD, an entity or broken XML is a `ScheduleError` at its line."""
    from xml.etree.ElementTree import ParseError

    import defusedxml
    from defusedxml.ElementTree import fromstring

    try:
        try:
            return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except ParseError:
            # Some exporters write a track's `&` unescaped (`<track>Art & Beauty</track>`): read it as the text it is.
            repaired = _BARE_AMPERSAND.sub(b"&amp;", data)
            if repaired == data:
                raise
            try:
                return fromstring(repaired, forbid_dtd=True, forbid_entities=True, forbid_external=True)
            except ParseError:
                pass
            return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        message = "the XML has a document type declaration (DTD); deckgen refuses DTDs and entities, and read nothing it names"
        raise schedule_error(path, _line_of(data, b"<!DOCTYPE"), message, "unsafe-xml") from None
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden, defusedxml.NotSupportedError) as exc:
        raise schedule_error(
            path, _line_of(data, b"<!ENTITY"), f"the XML declares entities; deckgen refuses them ({exc})", "unsafe-xml"
        ) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise schedule_error(path, line, f"not well-formed XML: {reason}", "bad-xml", column + 1) from None
    except LookupError as exc:  # `<?xml version="1.0" encoding="aUTF-8"?>`: an encoding Python does not know
        raise schedule_error(path, 1, f"the XML declares an encoding Python does not know ({exc})", "bad-xml") from None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Element, name: str) -> Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _children(element: Element | None, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name] if element is not None else []


def _text(element: Element, name: str) -> str:
    child = _child(element, name)
    return "".join(child.itertext()) if child is not None else ""


def _start(event: Element, day_date: str) -> _dt.datetime | None:
    start = parse_iso_datetime(_text(event, "date"))
    if start is None and day_date:
        clock = _text(event, "start").strip()
        start = parse_iso_datetime(f"{day_date.strip()}T{clock}" if clock else day_date)
    return start


def _event(event: Element, day_date: str, base: str | None) -> ScheduleEvent | None:
    title = one_line(_text(event, "title"))
    if not title:
        return None
    speakers = tuple(name for person in _children(_child(event, "persons"), "person") if (name := one_line("".join(person.itertext()))))
    raw = [
        RawLink(link.get("href", ""), "".join(link.itertext()), link.get("type", "")) for link in _children(_child(event, "links"), "link")
    ]
    raw += [
        RawLink(item.get("href", ""), "".join(item.itertext()), item.get("type", ""))
        for item in _children(_child(event, "attachments"), "attachment")
    ]
    recording = _child(event, "recording")
    recordings = (_text(event, "video_download_url"), _text(recording, "url") if recording is not None else "")
    video, links = sort_links(raw, base, tuple(r for r in recordings if r.strip()))
    page = _text(event, "url").strip()
    return ScheduleEvent(
        id=event.get("id") or event.get("guid") or one_line(_text(event, "slug")) or title,
        title=title,
        speakers=speakers,
        track=one_line(_text(event, "track")) or DEFAULT_TRACK,
        start=_start(event, day_date),
        subtitle=one_line(_text(event, "subtitle")),
        abstract=_text(event, "abstract").strip() or _text(event, "description").strip(),
        url=page if page.startswith(("http://", "https://")) else None,
        video=video,
        links=links,
    )


def read_frab_xml(data: bytes, path: str) -> Schedule:
    """Every event of a frab/Pentabarf schedule XML file."""
    root = parse_xml(data, path)
    if _local(root.tag) != "schedule":
        raise schedule_error(
            path, 1, f"not a frab/Pentabarf schedule: the root element is <{_local(root.tag)}>, not <schedule>", "wrong-format"
        )
    conference = _child(root, "conference")
    base = _text(conference, "base_url").strip() or None if conference is not None else None
    events: list[ScheduleEvent] = []
    days = _children(root, "day")
    for day in days:
        for room in _children(day, "room"):
            events.extend(e for element in _children(room, "event") if (e := _event(element, day.get("date", ""), base)))
    if not days:  # an export that lists its events without days and rooms
        events.extend(e for element in root.iter() if _local(element.tag) == "event" and (e := _event(element, "", base)))
    title = one_line(_text(conference, "title")) if conference is not None else ""
    return Schedule(path, "frab-xml", title or None, schedule_order(events))
