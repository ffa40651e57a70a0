"""What every schedule format is read into: small frozen records, and the one error of a bad file."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..problems import DeckError, Problem

DEFAULT_TRACK = "Talks"
"""The track of an event whose schedule names none (pretalx's and frab's iCalendar name no tracks)."""


@dataclass(frozen=True, slots=True)
class EventLink:
    """A link of an event worth keeping in a deck: slides, a paper, a project page."""

    url: str
    """An absolute http(s) URL."""
    title: str
    """What the schedule calls it; the URL when it says nothing."""


@dataclass(frozen=True, slots=True)
class ScheduleEvent:
    """One event of a conference's schedule, whatever format it came from."""

    id: str
    """The schedule's own identifier (frab's `id`, pretalx's code, Sessionize's id, an iCalendar UID)."""
    title: str
    speakers: tuple[str, ...]
    track: str
    """The schedule's track, or `DEFAULT_TRACK` when it names none."""
    start: _dt.datetime | None
    """When it starts, in UTC (naive when the schedule gives no time zone), for schedule order."""
    subtitle: str = ""
    abstract: str = ""
    """As the schedule gives it, HTML or plain text; `text.plain_text()` makes it text (for the few talks written)."""
    url: str | None = None
    """The event's page on the schedule."""
    video: str | None = None
    """A recording named by the schedule itself."""
    links: tuple[EventLink, ...] = ()


@dataclass(frozen=True, slots=True)
class Schedule:
    """A schedule file as read: its events in schedule order, and what it is."""

    path: str
    format: str
    """One of `FORMATS` (see `reading.py`)."""
    title: str | None
    """The conference's name, when the file gives it."""
    events: tuple[ScheduleEvent, ...]

    def tracks(self) -> tuple[str, ...]:
        """Every track, in the order its first event comes."""
        return tuple(dict.fromkeys(event.track for event in self.events))


class ScheduleError(DeckError):
    """A schedule, playlist or pick that cannot be imported: the file, the line when known, and why."""


def schedule_error(path: str, line: int | None, message: str, code: str = "bad-schedule", column: int | None = None) -> ScheduleError:
    """The error to raise for a problem in `path` (at `line` when it is known)."""
    return ScheduleError([Problem(path, line, column, "error", code, message)])


def utc_naive(moment: _dt.datetime) -> _dt.datetime:
    """`moment` in UTC without its zone (a naive time is taken as it is), so every start compares."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(_dt.timezone.utc).replace(tzinfo=None)


def parse_iso_datetime(text: str | None) -> _dt.datetime | None:
    """An ISO 8601 date-time as schedules write it (`Z` included), in UTC; None when it is not one."""
    if not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        return utc_naive(_dt.datetime.fromisoformat(value))
    except ValueError:
        return None


def schedule_order(events: list[ScheduleEvent]) -> tuple[ScheduleEvent, ...]:
    """Events by start time; events without one keep their place in the file, after the others."""
    indexed = list(enumerate(events))
    indexed.sort(key=lambda pair: (pair[1].start is None, pair[1].start or _dt.datetime.min, pair[0]))
    return tuple(event for _, event in indexed)
