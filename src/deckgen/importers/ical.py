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
from typing import Any
from urllib.parse import urlsplit

from .event import DEFAULT_TRACK, Schedule, ScheduleEvent, schedule_error, schedule_order, utc_naive
from .recordings import absolute_url
from .text import one_line

_NOT_TALK_WORDS = frozenset(
    [
        *("break", "breaks", "registration", "badge", "badges", "pick", "up", "pickup", "check", "in", "checkin"),
        *("lunch", "coffee", "tea", "breakfast", "meal", "meals", "snack", "snacks", "refreshment", "refreshments", "and"),
    ]
)
"""A category made of these words only (`BREAKS`, `Registration & Check-in`, `Breaks & Refreshments`) holds no talks."""
_LAST_DASH = re.compile(r"\s+-\s*$|\s+-\s+(?!.*\s-\s)")
_SCHED_SPEAKERS = re.compile(r"\s+&\s+|\s*;\s*")


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


def read_ical(text: str, path: str) -> Schedule:
    """Every talk of an iCalendar file."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise schedule_error(path, _line_of_problem(text, str(exc)), f"not a valid iCalendar file: {_short(exc)}", "bad-ical") from None
    sched = _written_by_sched(calendar)
    events: list[ScheduleEvent] = []
    for index, component in enumerate(calendar.walk("VEVENT")):
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
    return text.count("\n", 0, at) + 1 if at >= 0 else None
