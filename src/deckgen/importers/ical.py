"""iCalendar, as Sched writes it (`all.ics`) and as pretalx and frab write it.

`SUMMARY` is `Title - Speakers`, split on its last ` - ` (titles may hold ` - ` themselves). Sched
writes each speaker with their company (`Name, Company & Name2, Company2; Name3`), pretalx and frab
write the names only (`Name, Name2`); the calendar's `PRODID` says which. `CATEGORIES` is the track
(Sched's breaks and registration are not talks), `DESCRIPTION` the abstract, `URL` the event's page.
Folded lines, escapes, CRLF and parameters are the `icalendar` library's business.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..sources import line_and_column
from .event import DEFAULT_TRACK, Schedule, ScheduleEvent, schedule_error, schedule_order, utc_naive
from .recordings import absolute_url
from .text import one_line

if TYPE_CHECKING:
    from collections.abc import Iterator

_NOT_TALK_WORDS = frozenset(
    [
        *("break", "breaks", "registration", "badge", "badges", "pick", "up", "pickup", "check", "in", "checkin"),
        *("lunch", "coffee", "tea", "breakfast", "meal", "meals", "snack", "snacks", "refreshment", "refreshments", "and"),
    ]
)
"""A category made of these words only (`BREAKS`, `Registration & Check-in`, `Breaks & Refreshments`) holds no talks."""
_LAST_DASH = re.compile(r"\s+-\s*$|\s+-\s+(?!.*\s-\s)")
_SCHED_SPEAKERS = re.compile(r"\s+&\s+|\s*;\s*")
_BEGIN_END = re.compile(r"(BEGIN|END):([A-Za-z0-9-]+)\s*$", re.IGNORECASE)
_READ_PROPERTIES = frozenset(("SUMMARY", "CATEGORIES", "DESCRIPTION", "URL", "UID"))
"""The properties of an event deckgen reads (a broken `DTSTART` only leaves the event in its place in the file)."""


def split_summary(summary: str, sched: bool) -> tuple[str, tuple[str, ...]]:
    """A `SUMMARY` cut into the title and the speakers' names (companies dropped for Sched)."""
    summary = one_line(summary)
    match = _LAST_DASH.search(summary)
    if match is None:
        return summary, ()
    title, people = summary[: match.start()].strip(), summary[match.end() :].strip()
    if not title:
        return summary, ()
    names = [chunk.split(",")[0] for chunk in _SCHED_SPEAKERS.split(people)] if sched else people.split(",")
    return title, tuple(name for raw in names if (name := one_line(raw)))


def _text(component: Any, name: str) -> str:
    value = component.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value is not None else ""


def _categories(component: Any) -> list[str]:
    found: list[str] = []
    values = component.get("categories")
    for value in values if isinstance(values, list) else [values] if values is not None else []:
        found.extend(one_line(str(cat)) for cat in getattr(value, "cats", [value]))
    return [cat for cat in found if cat]


def _start(component: Any) -> _dt.datetime | None:
    try:
        value = component.get("dtstart")
        moment = value.dt if value is not None else None
    except (AttributeError, ValueError):  # a broken DTSTART: the event keeps its place in the file
        return None
    if isinstance(moment, _dt.datetime):
        return utc_naive(moment)
    if isinstance(moment, _dt.date):
        return _dt.datetime(moment.year, moment.month, moment.day)
    return None


def _written_by_sched(calendar: Any) -> bool:
    """Whether Sched wrote the calendar: its `PRODID` (`-//Sched.com EVENT//EN`), else its events' pages on sched.com.

    Only Sched writes companies after the speakers' names; a pretalx event whose slug holds "sched" is not Sched.
    """
    if "sched.com" in _text(calendar, "prodid").lower():
        return True
    hosts = (urlsplit(_text(component, "url").strip()).hostname or "" for component in calendar.walk("VEVENT"))
    return any(host == "sched.com" or host.endswith(".sched.com") for host in hosts)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each content line, unfolded, with the number of the line it starts on."""
    start, parts = 0, list[str]()
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if parts and line[:1] in (" ", "\t"):
            parts.append(line[1:])
            continue
        if parts:
            yield start, "".join(parts)
        start, parts = number, [line]
    if parts:
        yield start, "".join(parts)


def check_structure(text: str, path: str) -> None:
    """One calendar whose components each end where they should; else a `ScheduleError` at the line.

    icalendar takes an `END:` of the wrong component, or a file cut short, without a word (or with
    one that names no line); a download cut short is the common case.
    """
    opened: list[tuple[str, int]] = []
    ended = last = 0
    for number, line in _logical_lines(text):
        if not line.strip():
            continue
        last = number
        if ended:
            raise schedule_error(path, number, f"more after the calendar's END:VCALENDAR on line {ended} (one calendar a file)", "bad-ical")
        match = _BEGIN_END.match(line)
        if match is None:
            continue
        kind, name = match.group(1).upper(), match.group(2).upper()
        if kind == "BEGIN":
            opened.append((name, number))
            continue
        if not opened:
            raise schedule_error(path, number, f"END:{name} without a BEGIN:{name}", "bad-ical")
        begun, at = opened.pop()
        if begun != name:
            raise schedule_error(path, number, f"END:{name} where BEGIN:{begun} of line {at} should end", "bad-ical")
        if not opened:
            ended = number
    if opened:
        name, at = opened[-1]
        raise schedule_error(path, last, f"the file ends inside BEGIN:{name} of line {at} (no END:{name}): is it cut short?", "bad-ical")


def _check_event(component: Any, text: str, path: str) -> None:
    """A content line of an event that could not be read, or a broken property deckgen reads, is an error at its line."""
    for name, message in getattr(component, "errors", ()):
        if name is None or str(name).upper() in _READ_PROPERTIES:
            line = _line_of_problem(text, message)
            raise schedule_error(path, line, f"not a valid iCalendar event: {one_line(message)[:200]}", "bad-ical")


def read_ical(text: str, path: str) -> Schedule:
    """Every talk of an iCalendar file."""
    import icalendar

    if "\n" not in text:  # lines ended by CR alone, as old Mac programs wrote them
        text = text.replace("\r", "\n")
    check_structure(text, path)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise schedule_error(path, _line_of_problem(text, str(exc)), f"not a valid iCalendar file: {_short(exc)}", "bad-ical") from None
    sched = _written_by_sched(calendar)
    events: list[ScheduleEvent] = []
    for index, component in enumerate(calendar.walk("VEVENT")):
        _check_event(component, text, path)
        categories = _categories(component)
        if categories and set(re.findall(r"[a-z]+", categories[0].lower())) <= _NOT_TALK_WORDS:
            continue
        title, speakers = split_summary(_text(component, "summary"), sched)
        if not title:
            continue
        events.append(
            ScheduleEvent(
                id=one_line(_text(component, "uid")) or f"event-{index + 1}",
                title=title,
                speakers=speakers,
                track=categories[0] if categories else DEFAULT_TRACK,
                start=_start(component),
                abstract=_text(component, "description").strip(),
                url=absolute_url(_text(component, "url"), None),
            )
        )
    return Schedule(path, "ical", one_line(_text(calendar, "x-wr-calname")) or None, schedule_order(events))


def _short(exc: Exception) -> str:
    return one_line(str(exc))[:200]


def _line_of_problem(text: str, message: str) -> int | None:
    """The line of the content line that icalendar quotes in its message, when it quotes one."""
    quoted = re.search(r"'([^'\n]{1,200})'", message)
    if quoted is None:
        return None
    at = text.find(quoted.group(1))
    return line_and_column(text, at)[0] if at >= 0 else None
