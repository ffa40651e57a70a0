"""Turn picked events into a deck's files: where each talk goes, then the files and deck.yaml written.

Talks go to `slides/NN-track/NN-title.md` (ASCII slugs; tens, so the author can slot files in
between). A track's folder, and a talk's file, are found again by their slug whatever their number,
so a second import finds what the first wrote, even renumbered. New tracks are added at the end of
deck.yaml's `tracks` (and of its `slides` list when it has one), in schedule order, by a textual
insert that keeps every other byte of the file.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..problems import Collector, Problem
from ..scaffold import yaml_string
from ..sources import DECK_FILE, SLIDES_DIR
from ..yamlfile import safe_load
from .event import ScheduleError, schedule_error
from .talkfile import TalkContent, find_front_matter, refresh_front_matter, render_talk
from .yamledit import NewItem, append_items, value_node

if TYPE_CHECKING:
    from collections.abc import Sequence

VideoSource = Literal["schedule", "playlist"]
Status = Literal["written", "updated", "unchanged", "kept"]

_NUMBERED = re.compile(r"^(\d+)[-_ .]*(.*)$")
_SLUG_LIMIT = 60


def slugify(text: str) -> str:
    """An ASCII file-name part: lower case, words joined by `-`, at most about 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > _SLUG_LIMIT:
        cut = slug.rfind("-", 0, _SLUG_LIMIT + 1)
        slug = slug[: cut if cut > 0 else _SLUG_LIMIT]
    return slug


def _digest(text: str) -> str:
    """Six hexadecimal digits that stand for `text` (the same on every machine and run)."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:6]


def _split_number(name: str) -> tuple[int | None, str]:
    match = _NUMBERED.match(name)
    return (int(match.group(1)), match.group(2)) if match else (None, name)


def _next_number(numbers: list[int]) -> int:
    return (max(numbers, default=0) // 10 + 1) * 10


@dataclass(frozen=True, slots=True)
class PlannedTalk:
    """One picked talk, and the file it has or will have."""

    content: TalkContent
    rel: str
    """Its file, relative to the deck folder (`slides/10-track/10-title.md`)."""
    exists: bool
    video_source: VideoSource | None


@dataclass(frozen=True, slots=True)
class DeckYaml:
    """deck.yaml as read: its text and the tracks it names."""

    text: str
    root: MappingNode
    tracks: tuple[tuple[str, str], ...]
    """Each track's name and title (the name again when it has none)."""
    slides_list: tuple[str, ...] | None
    """The `slides:` order, when deck.yaml gives one."""


def read_deck_yaml(deck: Path) -> DeckYaml:
    """deck.yaml of an existing deck; a file that is not YAML, or not a mapping, is a `ScheduleError` at its line."""
    from ..sources import decode_text
    from ..yamlfile import compose_yaml, load_yaml

    path = deck / DECK_FILE
    problems = Collector()
    try:
        source = decode_text(path.read_bytes(), str(path), problems)
    except OSError as exc:
        raise schedule_error(str(path), None, f"cannot read the file: {exc.strerror or exc}", "unreadable") from None
    doc = load_yaml(source.text, str(path), 1, problems) if source is not None else None
    if source is None or doc is None:
        raise ScheduleError(problems.problems)
    root = compose_yaml(source.text)
    if not isinstance(root, MappingNode) or not isinstance(doc.data, dict):
        raise schedule_error(str(path), 1, f"{DECK_FILE} must be a mapping of keys", "not-a-mapping")
    tracks = []
    for item in doc.data.get("tracks") or []:
        if isinstance(item, dict) and item.get("name") is not None:
            tracks.append((str(item["name"]), str(item.get("title") or item["name"])))
        elif isinstance(item, (str, int, float)):
            tracks.append((str(item), str(item)))
    slides = doc.data.get("slides")
    slides_list = tuple(str(entry) for entry in slides) if isinstance(slides, list) else None
    return DeckYaml(source.text, root, tuple(tracks), slides_list)


def deck_track(schedule_track: str, deck_tracks: Sequence[tuple[str, str]]) -> str | None:
    """The deck's name for a schedule's track: the track of that name, else of that title or slug."""
    for name, _ in deck_tracks:
        if name == schedule_track:
            return name
    folded, slug = schedule_track.casefold(), slugify(schedule_track)
    for name, title in deck_tracks:
        if folded in (name.casefold(), title.casefold()):
            return name
        if slug and any(slug == slugify(text) and _symbols(text) == _symbols(schedule_track) for text in (name, title)):
            return name
    return None


def _symbols(text: str) -> frozenset[str]:
    """The characters a slug drops that tell names apart (`C++` is not `C#`)."""
    return frozenset(char for char in text if char in "+#")


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


class _Placement:
    """The numbered folders and files under `slides/`, as they are and as the import plans them."""

    def __init__(self, slides_dir: Path) -> None:
        self.slides_dir = slides_dir
        top = _listing(slides_dir)
        self.numbers = [number for entry in top if (number := _split_number(entry.name)[0]) is not None]
        self.folders = {_split_number(e.name)[1]: e.name for e in top if e.is_dir() and not e.name.startswith(("_", "."))}
        self.files: dict[str, tuple[dict[str, str], list[int]]] = {}
        self.claimed: set[str] = set()
        self.talk_files: dict[tuple[str, str], list[str]] | None = None
        """The talk files under `slides/` by title slug and track, read when a talk is not where the import puts it."""
        self.owners: dict[str, str] = {}
        """Which track each folder slug went to in this import."""

    def folder(self, content: TalkContent) -> str:
        """The track's folder: found by its slug (the deck's name, else the schedule's), or a new one after the others.

        Tracks whose names make one slug (`C++` and `C#`), or none (a name in another script), are told
        apart by a short digest of the name, the same at every import.
        """
        track = content.track
        own = f"{slugify(track) or 'track'}-{_digest(track)}"
        found = self.folders.get(own)
        for slug in (slugify(track), slugify(content.event.track)):
            if found is None and slug and self._may_take(slug, track):
                found = self.folders[slug]
                self.owners[slug] = track
        if found is None:
            slug = slugify(track)
            key = slug if slug and slug not in self.owners and slug not in self.folders else own
            self.owners[key] = track
            number = _next_number(self.numbers)
            self.numbers.append(number)
            found = self.folders[key] = f"{number:02d}-{key}"
        return found

    def _talks(self) -> dict[tuple[str, str], list[str]]:
        if self.talk_files is None:
            self.talk_files = _talk_files(self.slides_dir)
        return self.talk_files

    def _may_take(self, slug: str, track: str) -> bool:
        """Whether the folder of `slug` is there for `track`: taken by it in this import, or on disk and not another track's."""
        if slug not in self.folders:
            return False
        if slug in self.owners:
            return self.owners[slug] == track
        return not self._holds_others(self.folders[slug], track)

    def _holds_others(self, folder: str, track: str) -> bool:
        """Whether `folder` holds talks of other tracks and none of `track` (`C++`'s folder, for `C#`)."""
        tracks = {talk_track for (_, talk_track), rels in self._talks().items() for rel in rels if rel.split("/")[0] == folder}
        return bool(tracks) and track not in tracks

    def moved(self, content: TalkContent) -> str | None:
        """A talk file of this talk's title and track elsewhere under `slides/` (the author moved or renamed it), unclaimed."""
        key = (slugify(content.event.title), content.track)
        return next((rel for rel in self._talks().get(key, ()) if rel not in self.claimed), None)

    def file(self, folder: str, content: TalkContent) -> str:
        """The talk's file under `slides/`: in `folder`, the one of its title's slug (whatever its number); else one
        of its title and track elsewhere (moved or renamed by the author); else a new one after the others in `folder`.
        """
        if folder not in self.files:
            entries = [entry for entry in _listing(self.slides_dir / folder) if entry.suffix == ".md"]
            by_slug = {_split_number(entry.stem)[1]: entry.name for entry in entries}
            self.files[folder] = (by_slug, [n for entry in entries if (n := _split_number(entry.stem)[0]) is not None])
        by_slug, numbers = self.files[folder]
        base = slugify(content.event.title) or f"talk-{slugify(content.event.id) or 'untitled'}"
        slug, counter = base, 1
        while (name := by_slug.get(slug)) is not None and f"{folder}/{name}" in self.claimed:  # two talks, one title
            counter += 1
            slug = f"{base}-{counter}"
        if name is None and (moved := self.moved(content)) is not None:
            self.claimed.add(moved)
            return moved
        if name is None:
            number = _next_number(numbers)
            numbers.append(number)
            name = by_slug[slug] = f"{number:02d}-{slug}.md"
        self.claimed.add(f"{folder}/{name}")
        return f"{folder}/{name}"


def _talk_files(slides_dir: Path) -> dict[tuple[str, str], list[str]]:
    """Every talk file under `slides_dir` (front-matter with a `track`), by its title's slug and its track, in path order."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(slides_dir.rglob("*.md")):
        rel = path.relative_to(slides_dir).as_posix()
        if any(part.startswith((".", "_")) for part in rel.split("/")):
            continue
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
            span = find_front_matter(text)
            data = safe_load(text[span.start : span.end]) if span is not None else None
        except Exception:  # unreadable, not UTF-8, not YAML, or a value its tag cannot be (`seen: !!bool perhaps`): no talk to match
            continue
        if isinstance(data, dict) and isinstance(data.get("title"), str) and isinstance(data.get("track"), str):
            found.setdefault((slugify(data["title"]), data["track"]), []).append(rel)
    return found


def plan_talks(
    deck: Path, deck_yaml: DeckYaml, talks: Sequence[tuple[TalkContent, VideoSource | None]]
) -> tuple[tuple[PlannedTalk, ...], tuple[str, ...], tuple[str, ...]]:
    """Where each talk goes; the tracks to add to deck.yaml; the entries to add to its `slides` list."""
    slides_dir = deck / SLIDES_DIR
    placement = _Placement(slides_dir)
    known_tracks = {name for name, _ in deck_yaml.tracks}
    new_tracks: list[str] = []
    new_slides: list[str] = []
    planned: list[PlannedTalk] = []
    for content, source in talks:
        if content.track not in known_tracks and content.track not in new_tracks:
            new_tracks.append(content.track)
        folder = placement.folder(content)
        under_slides = placement.file(folder, content)
        rel = f"{SLIDES_DIR}/{under_slides}"
        exists = (deck / rel).exists()
        planned.append(PlannedTalk(content, rel, exists, source))
        if not exists and deck_yaml.slides_list is not None and not _listed(under_slides, [*deck_yaml.slides_list, *new_slides]):
            new_slides.append(folder if not (slides_dir / folder).exists() else under_slides)
    return tuple(planned), tuple(new_tracks), tuple(new_slides)


def _listed(path: str, entries: Sequence[str]) -> bool:
    return any(path == entry.strip("/") or path.startswith(entry.strip("/") + "/") for entry in entries)


def _track_items(deck_yaml: DeckYaml, names: Sequence[str]) -> list[NewItem]:
    """New `tracks` items, written as the existing ones are: `{name: …}` mappings, or plain names."""
    found = value_node(deck_yaml.root, "tracks")
    existing = found[1].value if found is not None and isinstance(found[1], SequenceNode) else []
    as_names = bool(existing) and all(isinstance(node, ScalarNode) for node in existing)
    if as_names:
        return [NewItem(yaml_string(name), yaml_string(name)) for name in names]
    return [NewItem(f"name: {yaml_string(name)}", f"{{name: {yaml_string(name)}}}") for name in names]


def edited_deck_yaml(deck: Path, deck_yaml: DeckYaml, tracks: Sequence[str], slides: Sequence[str]) -> str:
    """deck.yaml's text with the new tracks (and `slides` entries) added; nothing else changed."""
    from ..yamlfile import compose_yaml

    text = deck_yaml.text
    try:
        text = append_items(text, deck_yaml.root, "tracks", _track_items(deck_yaml, tracks))
        root = compose_yaml(text)
        if slides and isinstance(root, MappingNode):
            text = append_items(text, root, "slides", [NewItem(yaml_string(entry), yaml_string(entry)) for entry in slides])
    except ValueError as exc:
        raise schedule_error(str(deck / DECK_FILE), None, f"cannot add the imported tracks: {exc}", "bad-tracks") from None
    try:
        safe_load(text)
    except yaml.YAMLError as exc:  # never write a deck.yaml deckgen could not read back
        raise ScheduleError(
            [Problem(str(deck / DECK_FILE), None, None, "error", "bad-tracks", f"cannot add the tracks safely: {exc}")]
        ) from None
    return text


def write_text(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write a text file as UTF-8 with LF line ends; atomically (a temporary file renamed) unless `exclusive`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path if exclusive else path.with_name(f".{path.name}.deckgen-import")
    stream = target.open("x" if exclusive else "w", encoding="utf-8", newline="")
    try:
        with stream:
            stream.write(text)
    except OSError:  # a full disk: no file cut short is left behind
        target.unlink(missing_ok=True)
        raise
    if not exclusive:
        os.replace(target, path)


def _as_written(original: str, edited: str) -> str:
    """`edited` (LF line ends, no BOM) with the BOM and CRLF line ends of the `original` file's text."""
    bom = "\ufeff" if original.startswith("\ufeff") else ""
    return bom + (edited.replace("\n", "\r\n") if "\r\n" in original else edited)


def _lf_text(original: str) -> str:
    return original.removeprefix("\ufeff").replace("\r\n", "\n")


def refresh_file(path: Path, content: TalkContent) -> bool:
    """Refresh a talk file's owned front-matter keys; True when it changed. Its line ends and BOM are kept."""
    try:
        original = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    text = _lf_text(original)
    refreshed = refresh_front_matter(text, content)
    if refreshed is None or refreshed == text:
        return False
    write_text(path, _as_written(original, refreshed))
    return True


def write_deck_yaml(deck: Path, edited: str) -> None:
    """Write deck.yaml's edited text (LF line ends), keeping the file's BOM and line ends."""
    path = deck / DECK_FILE
    write_text(path, _as_written(path.read_bytes().decode("utf-8"), edited))


def write_talk(deck: Path, talk: PlannedTalk, update: bool) -> Status:
    """Write one planned talk: a new file, a refreshed front-matter (`update`), or the file kept as it is."""
    path = deck / talk.rel
    if not talk.exists:
        write_text(path, render_talk(talk.content), exclusive=True)
        return "written"
    if not update:
        return "kept"
    return "updated" if refresh_file(path, talk.content) else "unchanged"
