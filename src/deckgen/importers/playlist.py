"""A playlist's recordings, as `yt-dlp --flat-playlist -J PLAYLIST_URL` lists them.

yt-dlp writes one JSON document with `entries[]`, each with `id`, `url` and `title` (`-j` writes one
entry a line; both are read). An entry's `url` is the video's page; an older yt-dlp (and youtube-dl)
wrote the bare id there, and for a YouTube entry the page is then built from the id the way yt-dlp
itself writes it (`https://www.youtube.com/watch?v=ID`). Private and deleted videos are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .event import ScheduleError, schedule_error
from .reading import decode, load_json, read_bytes
from .recordings import absolute_url
from .text import one_line

_UNAVAILABLE = ("[private video]", "[deleted video]", "[unavailable video]")
_YOUTUBE_WATCH = "https://www.youtube.com/watch?v="


@dataclass(frozen=True, slots=True)
class PlaylistEntry:
    """One recording of a playlist: its title as published and the page that plays it."""

    title: str
    url: str


def _entry_url(entry: dict[str, object]) -> str | None:
    for key in ("url", "webpage_url"):
        value = entry.get(key)
        if isinstance(value, str) and (url := absolute_url(value, None)):
            return url
    identifier = entry.get("id")
    extractor = str(entry.get("ie_key") or entry.get("extractor_key") or entry.get("extractor") or "youtube").lower()
    if (
        isinstance(identifier, str)
        and identifier
        and extractor.startswith("youtube")
        and identifier.replace("-", "").replace("_", "").isalnum()
    ):
        return _YOUTUBE_WATCH + identifier
    return None


def _collect(item: object, found: list[PlaylistEntry]) -> None:
    if not isinstance(item, dict):
        return
    nested = item.get("entries")
    if isinstance(nested, list):  # a playlist (or a channel's tab) of playlists
        for child in nested:
            _collect(child, found)
        return
    raw_title = item.get("title")
    title = one_line(raw_title) if isinstance(raw_title, str) else ""
    if not title or title.lower() in _UNAVAILABLE or item.get("availability") in ("private", "needs_auth", "subscriber_only"):
        return
    url = _entry_url(item)
    if url is not None:
        found.append(PlaylistEntry(title, url))


def _documents(text: str, name: str) -> list[object]:
    """The JSON documents of a listing: one (`-J`), or one a line (`-j`)."""
    try:
        return [load_json(text, name)]
    except ScheduleError as error:
        if not error.problems[0].message.endswith("Extra data"):
            raise
    return [load_json(line, name, number) for number, line in enumerate(text.splitlines(), 1) if line.strip()]


def read_playlist(path: str | Path) -> tuple[PlaylistEntry, ...]:
    """The playable entries of a yt-dlp playlist listing (`-J` or `-j`), in playlist order."""
    name = str(path)
    found: list[PlaylistEntry] = []
    for document in _documents(decode(read_bytes(Path(path), "playlist"), name), name):
        if isinstance(document, list):
            document = {"entries": document}
        if not isinstance(document, dict) or not ("entries" in document or "title" in document):
            raise schedule_error(
                name, 1, "not a yt-dlp playlist listing (expected 'entries', as yt-dlp --flat-playlist -J writes)", "bad-playlist"
            )
        _collect(document, found)
    return tuple(found)
