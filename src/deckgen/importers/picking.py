"""Choose the events of a recap: `--pick` by id or by words of the title, `--track` by track name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..problems import Problem
from ..schema import did_you_mean
from .event import ScheduleError, schedule_error

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .event import Schedule, ScheduleEvent

_SHOWN = 8
"""How many candidates an ambiguous pick's error names."""


def _describe(event: ScheduleEvent) -> str:
    return f"{event.id} '{event.title}'"


def _candidates_text(events: Sequence[ScheduleEvent]) -> str:
    shown = "; ".join(_describe(event) for event in events[:_SHOWN])
    more = len(events) - _SHOWN
    return shown + (f"; and {more} more" if more > 0 else "")


def pick_one(schedule: Schedule, pick: str) -> ScheduleEvent:
    """The event whose id is `pick`, else the one whose title contains it (case-insensitive).

    Several titles containing it are an error naming them, unless one title is exactly `pick`.
    """
    wanted = pick.strip()
    by_id = [event for event in schedule.events if event.id == wanted]
    if len(by_id) == 1:
        return by_id[0]
    if by_id:  # a schedule that gives one id to several events (a session repeated on each day)
        raise schedule_error(
            schedule.path,
            None,
            f"--pick '{pick}' is the id of {len(by_id)} events: {_candidates_text(by_id)} (pick them by words of their titles, or --track)",
            "ambiguous-pick",
        )
    folded = wanted.casefold()
    found = [event for event in schedule.events if folded in event.title.casefold()] if folded else []
    exact = [event for event in found if event.title.casefold() == folded]
    if len(found) == 1 or len(exact) == 1:
        return (exact or found)[0]
    if not found:
        raise schedule_error(schedule.path, None, f"--pick '{pick}' matches no event's id or title (see --list)", "no-such-event")
    raise schedule_error(
        schedule.path,
        None,
        f"--pick '{pick}' matches {len(found)} events: {_candidates_text(found)} (pick one by its id)",
        "ambiguous-pick",
    )


def pick_track(schedule: Schedule, name: str) -> list[ScheduleEvent]:
    """Every event of the track called `name` (case-insensitive)."""
    tracks = schedule.tracks()
    folded = name.strip().casefold()
    chosen = next((track for track in tracks if track.casefold() == folded), None)
    if chosen is None:
        hint = did_you_mean(name, list(tracks)) or f" (tracks: {', '.join(tracks[:_SHOWN])}{', …' if len(tracks) > _SHOWN else ''})"
        raise schedule_error(schedule.path, None, f"--track '{name}' is not a track of this schedule{hint}", "no-such-track")
    return [event for event in schedule.events if event.track == chosen]


def pick_events(schedule: Schedule, picks: Sequence[str] = (), tracks: Sequence[str] = ()) -> tuple[ScheduleEvent, ...]:
    """The events chosen by every `--pick` and `--track`, each once, in schedule order.

    Every pick and track that fails is reported, all in one `ScheduleError`.
    """
    if not picks and not tracks:
        raise schedule_error(
            schedule.path, None, "nothing to import: choose events with --pick TEXT or --track NAME (--list shows them)", "nothing-picked"
        )
    chosen: set[int] = set()
    problems: list[Problem] = []
    positions = {id(event): index for index, event in enumerate(schedule.events)}
    for pick in picks:
        try:
            chosen.add(positions[id(pick_one(schedule, pick))])
        except ScheduleError as error:
            problems.extend(error.problems)
    for track in tracks:
        try:
            chosen.update(positions[id(event)] for event in pick_track(schedule, track))
        except ScheduleError as error:
            problems.extend(error.problems)
    if problems:
        raise ScheduleError(problems)
    return tuple(schedule.events[index] for index in sorted(chosen))
