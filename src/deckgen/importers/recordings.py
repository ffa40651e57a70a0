"""Which of an event's links is its recording, which are noise, and which are worth keeping.

After a FOSDEM-style event the recordings are ordinary links ("Video recording (AV1/WebM)",
"Video recording (MP4)", a subtitle file), next to chat rooms and a feedback form. The recording
becomes the talk's `video`; chat, feedback, live streams and subtitles are dropped; the rest are
the talk's links.

Of several recordings the video is the one a phone plays from its QR code: an MP4 file first
(every browser plays it, Safari on iOS included), then a recording page (a player on the web),
then WebM, then any other video file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

from ..schema import url_problem
from .event import EventLink
from .text import one_line

LinkKind = Literal["video", "noise", "link"]

_VIDEO_FILES = {".mp4": 0, ".m4v": 0, ".webm": 2, ".ogv": 3, ".ogg": 3, ".mkv": 3, ".mov": 3, ".avi": 3}
_PAGE_RANK = 1
_NOISE_FILES = (".vtt", ".srt", ".sub", ".ass")
_NOISE_TITLE = re.compile(
    r"chat\s*-?\s*room|feedback|subtitle|\bcaptions\b|\blive\b[\w\s-]*\bstream|\blivestream", re.IGNORECASE
)
"""Chat rooms, feedback forms, subtitles and live streams (FOSDEM's "Live video stream from the room (during event)")."""
_RECORDING_TITLE = re.compile(
    r"^\W*(?:video\s+recording|recording|recorded\s+(?:video|talk))\b|^\W*(?:talk\s+)?video(?:\s+of\s+the\s+talk)?\W*$", re.IGNORECASE
)
"""FOSDEM's `Video recording (MP4)`, a speaker's link titled `Recording`, `Video` or `Talk video`."""


@dataclass(frozen=True, slots=True)
class RawLink:
    """A link as a schedule gives it: an address (maybe relative), a title, maybe a MIME type."""

    href: str
    title: str = ""
    mime: str = ""


def absolute_url(href: str, base: str | None) -> str | None:
    """`href` as an absolute http(s) URL (resolved against `base` when relative), or None."""
    href = href.strip()
    if not href or not href.isprintable():  # a control character has no place in an address
        return None
    try:
        if base and not urlsplit(href).scheme:
            href = urljoin(base, href)
        parts = urlsplit(href)
        if parts.scheme and (not parts.hostname or (parts.port or 0) < 0):  # reading the port checks it
            return None
    except ValueError:  # `https://[]example.org/`: brackets that hold no address; a port out of range
        return None
    return None if url_problem(href) else href


def _suffix(url: str) -> str:
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    return path[dot:] if dot > path.rfind("/") else ""


def link_kind(url: str, title: str, mime: str) -> LinkKind:
    """What a link of an event is: its recording, noise, or a link worth keeping."""
    suffix = _suffix(url)
    mime = mime.lower()
    if suffix in _NOISE_FILES or mime.startswith("text/vtt") or _NOISE_TITLE.search(title) or "/feedback" in urlsplit(url).path.lower():
        return "noise"
    if mime.startswith("video/") or suffix in _VIDEO_FILES or _RECORDING_TITLE.match(title):
        return "video"
    return "link"


def _video_rank(url: str) -> int:
    return _VIDEO_FILES.get(_suffix(url), _PAGE_RANK)


def sort_links(raw: list[RawLink], base: str | None, recordings: tuple[str, ...] = ()) -> tuple[str | None, tuple[EventLink, ...]]:
    """The event's video (the best of its recordings) and its links worth keeping, de-duplicated.

    `recordings` are addresses the schedule names as recordings outright (`video_download_url`).
    """
    videos = [url for href in recordings if (url := absolute_url(href, base))]
    links: dict[str, EventLink] = {}
    for item in raw:
        url = absolute_url(item.href, base)
        if url is None:
            continue
        kind = link_kind(url, item.title, item.mime)
        if kind == "video":
            videos.append(url)
        elif kind == "link" and url not in links:
            links[url] = EventLink(url, one_line(item.title) or url)
    video = min(videos, key=_video_rank) if videos else None
    return video, tuple(link for url, link in links.items() if url != video)
