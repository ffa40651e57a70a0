"""`import_schedule()`: a schedule's picked events into a deck, in order: read, pick, match, plan, write."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import quoted_name
from ..sources import DECK_FILE
from .event import Schedule, schedule_error
from .picking import pick_events
from .reading import read_schedule
from .talkfile import TalkContent
from .writer import (
    PlannedTalk,
    Status,
    VideoSource,
    deck_track,
    edited_deck_yaml,
    plan_talks,
    read_deck_yaml,
    write_deck_yaml,
    write_talk,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .event import ScheduleEvent
    from .matching import VideoMatch

_STATUS_WORDS = {
    "written": "wrote {path}",
    "updated": "updated {path} (front-matter)",
    "unchanged": "up to date: {path}",
    "kept": "already there: {path} (kept as it is; --update refreshes its front-matter)",
}


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


@dataclass(frozen=True, slots=True)
class ImportedTalk:
    """One picked talk and what the import did with it."""

    rel: str
    """Its file, relative to the deck folder."""
    title: str
    track: str
    status: Status
    video: str | None
    video_source: VideoSource | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What `import_schedule` did: the deck, each picked talk, the tracks it added, why talks lack a video."""

    deck: Path
    created: bool
    """Whether the import made the deck folder (as `deckgen new` does)."""
    talks: tuple[ImportedTalk, ...]
    tracks_added: tuple[str, ...]
    notes: tuple[str, ...]
    """One line for each talk the playlist gave no video, saying why and naming the nearest recordings."""

    @property
    def imported(self) -> tuple[ImportedTalk, ...]:
        """The talks written or refreshed by this import."""
        return tuple(talk for talk in self.talks if talk.status in ("written", "updated", "unchanged"))

    def lines(self) -> list[str]:
        """The report: one line per talk file, then the notes, then the summary."""
        files = [_STATUS_WORDS[talk.status].format(path=quoted_name(str(self.deck / talk.rel))) for talk in self.talks]
        return [*files, *self.notes, self.summary()]

    def summary(self) -> str:
        """`imported 12 talks in 4 tracks into DECK: 9 videos from the schedule, 2 matched in the playlist, 1 without video`."""
        imported = self.imported
        from_schedule = sum(1 for talk in imported if talk.video_source == "schedule")
        from_playlist = sum(1 for talk in imported if talk.video_source == "playlist")
        without = sum(1 for talk in imported if talk.video is None)
        tracks = len({talk.track for talk in imported})
        text = (
            f"imported {_count(len(imported), 'talk')} in {_count(tracks, 'track')} into {quoted_name(str(self.deck))}: "
            f"{_count(from_schedule, 'video')} from the schedule, {from_playlist} matched in the playlist, {without} without video"
        )
        kept = len(self.talks) - len(imported)
        if kept:
            text += f"; {kept} already there (--update refreshes {'its' if kept == 1 else 'their'} front-matter)"
        return text


def _deck_state(deck: Path) -> bool:
    """Whether the deck must be made; a folder that is neither a deck nor empty is an error."""
    if deck.is_dir():
        if (deck / DECK_FILE).is_file():
            return False
        if any(deck.iterdir()):
            message = f"the folder exists, holds files and no {DECK_FILE}: import into a deck, or into a new folder"
            raise schedule_error(str(deck), None, message, "not-a-deck")
        return True
    if deck.exists():
        raise schedule_error(str(deck), None, "a file of that name exists: import into a deck folder", "not-a-deck")
    return True


def _videos(
    schedule: Schedule, events: Sequence[ScheduleEvent], videos: str | Path | None
) -> tuple[dict[str, tuple[str | None, VideoSource | None]], list[str]]:
    """Each event's video and where it was found; the notes on talks the playlist left without one."""
    found: dict[str, tuple[str | None, VideoSource | None]] = {e.id: (e.video, "schedule" if e.video else None) for e in events}
    notes: list[str] = []
    if videos is None:
        return found, notes
    from .matching import match_videos
    from .playlist import read_playlist

    entries = read_playlist(videos)
    wanting = [event for event in events if not event.video]
    matches: dict[str, VideoMatch] = match_videos(wanting, entries, schedule.events)
    for event in wanting:
        match = matches[event.id]
        if match.url is not None:
            found[event.id] = (match.url, "playlist")
        else:
            notes.append(match.explain(event.title))
    return found, notes


def import_schedule(
    schedule: str | Path | Schedule,
    into: str | Path,
    *,
    picks: Sequence[str] = (),
    tracks: Sequence[str] = (),
    videos: str | Path | None = None,
    format: str | None = None,
    update: bool = False,
    lang: str = "en",
) -> ImportResult:
    """Import the picked events of a schedule into the deck `into` (made as `deckgen new` makes one if missing).

    `picks` are event ids or words of a title, `tracks` track names (a string is one of them);
    `videos` a yt-dlp playlist listing to find recordings in. An existing talk file is never overwritten: it is kept, or with
    `update` its front-matter keys that an import owns are refreshed. A deck made here is in `lang`
    (as `deckgen new --lang`); an existing deck keeps its own. Everything is checked before
    anything is written: a bad schedule, playlist, pick or deck.yaml raises `ScheduleError` (a
    `DeckError`) and leaves the deck as it was.
    """
    loaded = schedule if isinstance(schedule, Schedule) else read_schedule(schedule, format=format)
    # One pick given as a string is one pick, not one a character.
    events = pick_events(loaded, [picks] if isinstance(picks, str) else picks, [tracks] if isinstance(tracks, str) else tracks)
    videos_found, notes = _videos(loaded, events, videos)
    deck = Path(into)
    create = _deck_state(deck)
    made: tuple[Path, ...] = ()
    if create:
        from ..scaffold import new_deck

        made = (deck,) if not deck.exists() else ()
        files = new_deck(deck, title=loaded.title, example_talk=False, lang=lang)
        made += (*{folder for path in files for folder in path.parents if deck in folder.parents}, *files)
    deck_yaml = read_deck_yaml(deck)
    contents = []
    for event in events:
        video, source = videos_found[event.id]
        name = deck_track(event.track, deck_yaml.tracks) or event.track
        contents.append((TalkContent(event, name, video), source))
    planned, new_tracks, new_slides = plan_talks(deck, deck_yaml, contents)
    new_text = edited_deck_yaml(deck, deck_yaml, new_tracks, new_slides)
    statuses = _write_planned(deck, planned, update, new_text if new_text != deck_yaml.text else None, made)
    talks = [
        ImportedTalk(talk.rel, talk.content.event.title, talk.content.track, status, talk.content.video, talk.video_source)
        for talk, status in zip(planned, statuses, strict=True)
    ]
    return ImportResult(deck, create, tuple(talks), new_tracks, tuple(notes))


def _write_planned(
    deck: Path, planned: Sequence[PlannedTalk], update: bool, deck_yaml_text: str | None, made: tuple[Path, ...]
) -> list[Status]:
    """Write the planned talks, then deck.yaml's new text; what each talk's file became.

    A file that cannot be written (a file where a folder should be, a read-only folder, a full disk)
    takes back everything this import did: the files it wrote and refreshed, the folders it made,
    and what `made` names (the deck, when the import made it); then it is a `ScheduleError` at that file.
    """
    paths = [deck / talk.rel for talk in planned]
    new_folders = {folder for path in paths for folder in path.parents if deck in folder.parents and not folder.exists()}
    undo: list[tuple[Path, bytes | None]] = []
    """Each file this import wrote, and what it held before (None: it was not there)."""
    statuses: list[Status] = []
    try:
        for talk, path in zip(planned, paths, strict=True):
            original = path.read_bytes() if update and talk.exists else None
            statuses.append(write_talk(deck, talk, update))
            if statuses[-1] in ("written", "updated"):
                undo.append((path, original))
        if deck_yaml_text is not None:
            write_deck_yaml(deck, deck_yaml_text)
    except OSError as exc:
        _take_back(undo, [*new_folders, *made])
        where = str(exc.filename) if exc.filename else str(deck)
        message = f"cannot write the file: {exc.strerror or exc}; the import took back what it had written"
        raise schedule_error(where, None, message, "unwritable") from None
    return statuses


def _take_back(undo: list[tuple[Path, bytes | None]], made: list[Path]) -> None:
    """Undo an import that failed half-way, as far as the file system lets it: files, then folders, deepest first."""
    for path, original in reversed(undo):
        with contextlib.suppress(OSError):
            if original is None:
                path.unlink()
            else:
                path.write_bytes(original)
    for path in sorted(made, key=lambda made_path: len(made_path.parts), reverse=True):
        with contextlib.suppress(OSError):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
