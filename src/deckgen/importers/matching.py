"""Find each picked talk's recording in a playlist, by title, and never guess.

Titles are compared normalised (case, accents, punctuation and `&`/`and` ignored), and so are the
parts of a recording's title between separators (` - `, ` | `, ` // `, a trailing `(…)`), since
recordings are often titled `Title - Speakers, Company` or `Speaker | Title | Conference`. The
similarity is the mean of a character and a word comparison (difflib), so a changed word weighs as
much as its letters. A recording is the talk's only when it is clearly the closest:

- its title is at least `CLEAR` similar, or at least `CORROBORATED` similar and it names one of
  the talk's speakers;
- no other recording is within `MARGIN` of it (two uploads of one talk: no video, not a coin toss);
- no other picked talk is closer to it, and no other event of the schedule as close (the workshop
  `Intro to Rust (workshop)` has that recording, not the talk `Intro to Rust`).

Anything else leaves the talk without video, and the import names the nearest recordings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Literal

from .playlist import PlaylistEntry

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .event import ScheduleEvent

CLEAR = 0.95
CORROBORATED = 0.85
MARGIN = 0.02
_SHORTLIST = 8
"""How many recordings (those sharing most of a talk's words) are compared closely with each talk."""
_NEAREST = 3
_WORTH_NAMING = 0.5
"""Recordings less similar than this are not named as the nearest: they share a word or two, no more."""

_SEPARATORS = re.compile(r"\s+[-\u2013\u2014|\u2022\u00b7]\s+|\s*\|\s*|\s+//\s+")
_EVENT_PREFIX = re.compile(r"^[^:]*\b(?:19|20)\d\d\b[^:]*:\s+")
"""`GopherCon 2026: ` or `DevConf.CZ 2025 : `, a name with a year before a colon, as uploads begin their titles."""
_GROUP_DROPPED = 0.005
"""What a title found only once a trailing `(…)` is dropped loses: less than any threshold or margin."""
_TRAILING_GROUP = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")
_NOT_WORDS = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"(?<=\w)['\u2019\u02bc`](?=\w)")
"""An apostrophe inside a word goes, so `Søren's` and `Sorens` (as titles are often retyped) are one word."""

Outcome = Literal["matched", "none-close", "ambiguous", "taken", "elsewhere"]


_UNACCENTED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "\u0131": "i", "ħ": "h", "ŧ": "t"})
"""Latin letters that Unicode does not take apart into a letter and an accent, as they are written without one (`Søren`, `Soren`)."""


def normalise(text: str) -> str:
    """Lower case, without accents, apostrophes or punctuation, `&` as `and`, single spaces."""
    bare = text.casefold()
    if not bare.isascii():
        bare = "".join(char for char in unicodedata.normalize("NFKD", bare) if not unicodedata.combining(char)).translate(_UNACCENTED)
    return " ".join(_NOT_WORDS.sub(" ", _APOSTROPHES.sub("", bare).replace("&", " and ")).split())


def _variants(title: str) -> dict[str, float]:
    """The ways a recording's title may hold a talk's title: whole, any run of its parts, less a `(…)`,
    less a conference's name and year before a colon (`GopherCon 2026: Title`); each with what it
    costs: a title found only once a `(…)` is dropped is a little less close than one found whole
    (`Intro to Rust (workshop)` is the workshop's recording, more than the talk's)."""
    parts = [part for part in _SEPARATORS.split(title) if part.strip()]
    if parts and (bare := _EVENT_PREFIX.sub("", parts[0])) != parts[0] and bare.strip():
        parts[:1] = [parts[0][: len(parts[0]) - len(bare)].rstrip(": "), bare]
    found: dict[str, float] = {}
    for first in range(len(parts)):
        for last in range(first + 1, len(parts) + 1):
            joined = " - ".join(parts[first:last])
            found[normalise(joined)] = 0.0
            found.setdefault(normalise(_TRAILING_GROUP.sub("", joined)), _GROUP_DROPPED)
    found.pop("", None)
    return found


def similarity(a: str, b: str, better_than: float = -1.0) -> float | None:
    """How alike two normalised titles are, 0 to 1: the mean of a letter and a word comparison.

    None when it cannot be above `better_than`: then the slow letter comparison is skipped.
    """
    if a == b:
        return 1.0
    words = SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    letters = SequenceMatcher(None, a, b, autojunk=False)
    for bound in (letters.real_quick_ratio, letters.quick_ratio):
        if (bound() + words) / 2 <= better_than:
            return None
    score = (letters.ratio() + words) / 2
    return score if score > better_than else None


def _contains_phrase(text: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {text} "


@dataclass(frozen=True, slots=True)
class _Prepared:
    entry: PlaylistEntry
    normalised: str
    words: frozenset[str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A recording compared with a talk."""

    title: str
    url: str
    score: float
    names_speaker: bool

    @property
    def passes(self) -> bool:
        return self.score >= CLEAR or (self.names_speaker and self.score >= CORROBORATED)


@dataclass(frozen=True, slots=True)
class VideoMatch:
    """What the playlist says about one talk: its recording, or why it has none."""

    url: str | None
    outcome: Outcome
    nearest: tuple[Candidate, ...]
    """The closest recordings, best first (the match first when there is one)."""
    rival: str | None = None
    """The title of the schedule's other event that the closest recording is as close to (`elsewhere`)."""

    def explain(self, title: str) -> str:
        """One line for the import's report about a talk left without video."""
        names = ", ".join(f"'{c.title}' ({c.score:.0%})" for c in self.nearest)
        if self.outcome == "ambiguous":
            return f"no video for '{title}': two recordings are equally close, so neither is taken: {names}"
        if self.outcome == "elsewhere":
            return f"no video for '{title}': its closest recording is as close to another event of the schedule, '{self.rival}': {names}"
        if self.outcome == "taken":
            return f"no video for '{title}': its closest recording is closer to another picked talk: {names}"
        if not self.nearest:
            return f"no video for '{title}': no recording in the playlist comes close"
        return f"no video for '{title}': no recording is close enough; the nearest: {names}"


@dataclass(frozen=True, slots=True)
class _Playlist:
    entries: list[_Prepared]
    by_word: dict[str, list[int]]
    """Which entries hold each word, to shortlist a talk's recordings without comparing it with all."""
    variants: dict[int, dict[str, float]]
    """Each shortlisted entry's title variants, cut once."""


def _prepare(entries: Sequence[PlaylistEntry]) -> _Playlist:
    prepared = []
    by_word: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        normalised = normalise(entry.title)
        words = frozenset(normalised.split())
        prepared.append(_Prepared(entry, normalised, words))
        for word in words:
            by_word.setdefault(word, []).append(index)
    return _Playlist(prepared, by_word, {})


def _names_speaker(title: str, speakers: list[str]) -> bool:
    """Whether a normalised recording title names one of the speakers (in full, or a surname of 4+ letters)."""
    for speaker in speakers:
        surname = speaker.split()[-1] if speaker else ""
        if _contains_phrase(title, speaker) or (len(surname) >= 4 and _contains_phrase(title, surname)):
            return True
    return False


def _without_speakers(variants: dict[str, float], speakers: list[str]) -> dict[str, float]:
    """The variants, and each again with the speakers' names taken out (`Title by Ana Ruiz`)."""
    found = dict(variants)
    for speaker in speakers:
        for variant, cost in variants.items():
            if _contains_phrase(variant, speaker):
                found.setdefault(" ".join(f" {variant} ".replace(f" {speaker} ", " ").split()), cost)
    found.pop("", None)
    return found


def _candidates(event: ScheduleEvent, playlist: _Playlist) -> list[Candidate]:
    """The shortlisted recordings of one talk (those sharing most of its title's words), scored, best first.

    Recordings less similar than `_WORTH_NAMING` are left out: they can neither match nor be named.
    """
    title = normalise(event.title)
    talk_strings = {title, normalise(f"{event.title} {event.subtitle}")} - {""}
    words = frozenset(title.split())
    speakers = [name for name in (normalise(speaker) for speaker in event.speakers) if name]
    shared = Counter(index for word in words for index in playlist.by_word.get(word, ()))
    scored = []
    for index, _ in sorted(shared.items(), key=lambda pair: (-pair[1], pair[0]))[:_SHORTLIST]:
        item = playlist.entries[index]
        if index not in playlist.variants:
            playlist.variants[index] = _variants(item.entry.title)
        best: float | None = None
        for variant, cost in _without_speakers(playlist.variants[index], speakers).items():
            for talk in talk_strings:
                score = similarity(talk, variant, better_than=max(best or 0.0, _WORTH_NAMING) + cost)
                best = score - cost if score is not None else best
        if best is not None:
            scored.append(Candidate(item.entry.title, item.entry.url, round(best, 4), _names_speaker(item.normalised, speakers)))
    scored.sort(key=lambda c: -c.score)
    return scored


def _decide(candidates: list[Candidate]) -> VideoMatch:
    nearest = tuple(candidates[:_NEAREST])
    passing = [c for c in candidates if c.passes]
    if not passing:
        return VideoMatch(None, "none-close", nearest)
    best = passing[0]
    rivals = [c for c in passing[1:] if c.url != best.url and best.score - c.score < MARGIN]
    if rivals:
        return VideoMatch(None, "ambiguous", (best, *rivals[: _NEAREST - 1]))
    return VideoMatch(best.url, "matched", nearest)


def _rival(event: ScheduleEvent, match: VideoMatch, others: Sequence[ScheduleEvent], by_word: dict[str, list[int]]) -> str | None:
    """The title of another event of the schedule that the matched recording is as close to, if any.

    A talk and a workshop of one name (`Intro to Rust`, `Intro to Rust (workshop)`): the workshop's
    recording is not the talk's. The same talk given twice (one title, one speaker list) is no rival.
    """
    best = match.nearest[0]
    recording = _prepare([PlaylistEntry(best.title, best.url)])
    shared = Counter(index for word in recording.entries[0].words for index in by_word.get(word, ()))
    for index, _ in sorted(shared.items(), key=lambda pair: (-pair[1], pair[0]))[:_SHORTLIST]:
        other = others[index]
        if other.id == event.id or (other.title, other.speakers) == (event.title, event.speakers):
            continue
        scored = _candidates(other, recording)
        if scored and scored[0].score >= best.score:
            return other.title
    return None


def match_videos(
    events: Sequence[ScheduleEvent], entries: Sequence[PlaylistEntry], others: Sequence[ScheduleEvent] = ()
) -> dict[str, VideoMatch]:
    """Each event's recording in the playlist (by event id), or why it has none.

    `others` are the schedule's events (picked or not): a recording as close to one of them as to
    the talk is not taken for the talk.
    """
    playlist = _prepare(entries)
    matches = {event.id: _decide(_candidates(event, playlist)) for event in events}
    claims: dict[str, list[tuple[float, str]]] = {}
    for event_id, match in matches.items():
        if match.url is not None:
            claims.setdefault(match.url, []).append((match.nearest[0].score, event_id))
    for claimants in claims.values():
        if len(claimants) < 2:
            continue
        claimants.sort(reverse=True)
        best_score = claimants[0][0]
        winner = claimants[0][1] if claimants[1][0] < best_score else None
        for _, event_id in claimants:
            if event_id != winner:
                matches[event_id] = VideoMatch(None, "taken", matches[event_id].nearest)
    by_word: dict[str, list[int]] = {}
    for index, other in enumerate(others):
        for word in set(normalise(other.title).split()):
            by_word.setdefault(word, []).append(index)
    for event in events:
        match = matches[event.id]
        if match.url is not None and (rival := _rival(event, match, others, by_word)) is not None:
            matches[event.id] = VideoMatch(None, "elsewhere", match.nearest[:1], rival)
    return matches
