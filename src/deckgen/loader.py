"""Read a deck folder into a `Deck`, collecting every problem on the way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from .cache import Cache, library_versions, make_key
from .model import Deck, Part, Section, SourcePos, Talk, Track
from .problems import Collector, Problem, sort_problems
from .schema import DECK_KEYS, PLAIN_KEYS, TALK_KEYS, TALK_MARKERS, MappingChecker, type_name
from .slides import split_slides
from .sources import DECK_FILE, SLIDES_DIR, DeckReader, SplitSource, decode_text, split_front_matter
from .stamps import FileStamp
from .yamlfile import YamlDoc, load_yaml

PARSING_LIBRARIES = ("yaml", "markdown_it")
"""A parsed file depends on PyYAML (front-matter) and markdown-it-py (the files it names)."""
SLIDE_FILE_ERRORS = ("missing-file", "outside-deck", "link-loop", "unreadable")
"""Errors about the slide files themselves: a deck with one of them is not also said to have no slides."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    """A deck as far as it could be read, and the problems found reading it."""

    deck: Deck | None
    problems: tuple[Problem, ...]
    read: tuple[FileStamp, ...] = ()
    """Stamps of every file and folder read, taken just before it was read (see `manifest.py`)."""


def _tracks_from_talks(parts: list[Part]) -> tuple[Track, ...]:
    """Without a `tracks` list in deck.yaml, the talks' tracks in order of first use."""
    names = dict.fromkeys(p.track for p in parts if isinstance(p, Talk) and p.track)
    return tuple(Track(name, name) for name in names)


def _deck_file_look_alike(root: Path) -> str | None:
    """A file that was surely meant as deck.yaml (`deck.yml`, `deck.yaml.txt`, `Deck.yaml`), if the folder has one."""
    try:
        names = sorted(entry.name for entry in root.iterdir() if entry.is_file())
    except OSError:
        return None
    stem = DECK_FILE.removesuffix(".yaml")
    for name in names:
        parts = name.lower().split(".")
        if parts[0] == stem and len(parts) > 1 and parts[1] in ("yaml", "yml"):
            return name
    return None


def _load_deck_settings(reader: DeckReader) -> tuple[YamlDoc, dict[str, Any]] | None:
    root, problems = reader.root, reader.problems
    deck_file = root / DECK_FILE
    if not deck_file.is_file() and not deck_file.is_symlink():
        message = f"no {DECK_FILE} in the deck folder {root}"
        look_alike = _deck_file_look_alike(root)
        if look_alike:
            message += f"; found {look_alike}: rename it to {DECK_FILE}"
        problems.error(DECK_FILE, None, None, "missing-deck-yaml", message)
        return None
    source = reader.read_text(deck_file)
    if source is None:
        return None
    doc = load_yaml(source.text, DECK_FILE, 1, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        line, column = doc.pos()
        problems.error(DECK_FILE, line, column, "not-a-mapping", f"{DECK_FILE} must be a mapping of keys, not {type_name(doc.data)}")
        return None
    return doc, doc.data


def _slide_files(reader: DeckReader, doc: YamlDoc | None, data: dict[str, Any]) -> list[Path]:
    """The Markdown files in deck order: `slides:` from deck.yaml, else natural path order."""
    problems = reader.problems
    slides_dir = reader.root / SLIDES_DIR
    if doc is None or data.get("slides") is None:
        return reader.discover(slides_dir)
    if reader.leads_outside(slides_dir):
        return []
    checker = MappingChecker(doc, DECK_FILE, problems, keys=DECK_KEYS)
    files: list[Path] = []
    for index, item in checker.read(data, "slides"):
        try:
            target: Path | None = (slides_dir / item).resolve()
            exists = target is not None and target.exists()
        except (ValueError, OSError):  # a NUL byte, a name too long, a loop of links: not a usable path
            target, exists = None, False
        if target is not None and not target.is_relative_to(slides_dir.resolve()):
            checker.error(("slides", index), "outside-deck", f"'{item}' is outside the slides folder")
        elif target is None or not exists:
            checker.error(("slides", index), "missing-file", f"{item!r} does not exist under {SLIDES_DIR}/")
        elif target.is_dir():
            files.extend(reader.discover(target))
        else:
            files.append(slides_dir / item)
    return files


def _load_part(path: Path, reader: DeckReader, html: bool, cache: Cache | None) -> Part | None:
    """Load one Markdown file; an unchanged file comes from the cache, problems included."""
    problems = reader.problems
    rel = reader.rel(path)
    data = reader.read_bytes(path)
    if data is None:
        return None
    key = make_key("part", library_versions(*PARSING_LIBRARIES), rel, "html" if html else "no-html", data)
    cached = cache.get(key) if cache is not None else None
    if isinstance(cached, tuple) and len(cached) == 2:
        part, found = cached
        problems.problems.extend(found)
        return part  # type: ignore[no-any-return]
    local = Collector()
    part = _parse_part(data, rel, html, local)
    if cache is not None:
        cache.put(key, (part, tuple(local.problems)))
    problems.problems.extend(local.problems)
    return part


def _parse_part(data: bytes, rel: str, html: bool, problems: Collector) -> Part | None:
    source = decode_text(data, rel, problems)
    if source is None:
        return None
    split = split_front_matter(source, problems)
    if split is None:
        return None
    front: dict[str, Any] = {}
    doc: YamlDoc | None = None
    if split.front_matter is not None:
        doc = load_yaml(split.front_matter, rel, split.front_matter_line, problems)
        if doc is None:
            return None
        if doc.data is None:
            front = {}
        elif not isinstance(doc.data, dict):
            line, column = doc.pos()
            problems.error(rel, line, column, "not-a-mapping", f"front-matter must be a mapping of keys, not {type_name(doc.data)}")
            return None
        else:
            front = doc.data
    stacks = split_slides(split.body, split.body_line, rel, html)
    pos = SourcePos(rel, 1)
    if doc is not None and any(key in front for key in TALK_MARKERS):
        return _make_talk(split, doc, front, stacks, problems)
    if doc is not None:
        checker = MappingChecker(doc, rel, problems, keys=PLAIN_KEYS)
        checker.check_keys(front, PLAIN_KEYS, "front-matter")
        return Section(stacks, pos, checker.read(front, "title") or "", checker.read(front, "class") or "")
    return Section(stacks, pos)


def _make_talk(split: SplitSource, doc: YamlDoc, front: dict[str, Any], stacks: Any, problems: Collector) -> Talk:
    rel = split.rel
    checker = MappingChecker(doc, rel, problems, keys=TALK_KEYS)
    checker.check_keys(front, TALK_KEYS, "talk front-matter")
    title = checker.read(front, "title") or ""
    video = checker.read(front, "video")

    def located(key: str) -> SourcePos | None:
        if key not in front:
            return None
        line, column = doc.pos(key)
        return SourcePos(rel, line, column)

    return Talk(
        title=title,
        speakers=checker.read(front, "speakers"),
        track=checker.read(front, "track"),
        video=video,
        links=checker.read(front, "links"),
        stacks=stacks,
        pos=SourcePos(rel, 1),
        css_class=checker.read(front, "class") or "",
        track_pos=located("track"),
        video_pos=located("video"),
    )


def read_deck(path: str | Path, cache: Cache | None = None) -> LoadResult:
    """Read a deck folder: the deck (when deck.yaml could be read) and every problem found.

    With a `cache`, files whose bytes were seen before are not parsed again.
    """
    problems = Collector()
    root = Path(path).resolve()
    if not root.is_dir():
        problems.error(str(path), None, None, "no-deck", "not a deck folder (no such directory)")
        return LoadResult(None, sort_problems(problems.problems))
    reader = DeckReader(root, problems)
    settings = _load_deck_settings(reader)
    doc, data = settings if settings else (None, {})
    checker = MappingChecker(doc, DECK_FILE, problems, keys=DECK_KEYS) if doc else None
    html = checker.read(data, "html") if checker else None
    html = True if html is None else html
    files = _slide_files(reader, doc, data)
    parts = [part for file in files if (part := _load_part(file, reader, html, cache)) is not None]
    if cache is not None:
        cache.flush()  # the newly parsed files, in one write
    if not files and not any(p.code in SLIDE_FILE_ERRORS for p in problems.problems):
        problems.error(SLIDES_DIR, None, None, "no-slides", f"the deck has no slides: no .md files under {SLIDES_DIR}/")
    if checker is None or doc is None:
        return LoadResult(None, sort_problems(problems.problems), tuple(reader.stamps))
    checker.check_keys(data, DECK_KEYS, DECK_FILE)
    url = checker.read(data, "url")
    closing_qr: Literal["deck", "links"] = checker.read(data, "closing_qr") or "deck"
    if closing_qr == "links" and data.get("url") is None:
        checker.warning(
            ("closing_qr",),
            "closing-qr",
            "closing_qr: links needs the deck's url (the links page is published beside it): the closing slide has no QR code",
        )
    deck = Deck(
        root=str(root),
        title=checker.read(data, "title") or "",
        subtitle=checker.read(data, "subtitle") or "",
        date=checker.read(data, "date") or "",
        author=checker.read(data, "author") or "",
        event=checker.read(data, "event") or "",
        lang=checker.read(data, "lang") or "en",
        url=url,
        url_pos=SourcePos(DECK_FILE, *doc.pos("url")) if "url" in data else None,
        theme=checker.read(data, "theme") or "default",
        theme_pos=SourcePos(DECK_FILE, *doc.pos("theme")) if "theme" in data else None,
        # An empty `tracks:` is no list at all, as any other empty key: the talks' tracks, in order.
        tracks=checker.read(data, "tracks") if data.get("tracks") is not None else _tracks_from_talks(parts),
        links=checker.read(data, "links"),
        closing=checker.read(data, "closing") or "",
        closing_qr=closing_qr,
        strings=MappingProxyType(checker.read(data, "strings")),
        reveal=MappingProxyType(checker.read(data, "reveal")),
        html=html,
        parts=tuple(parts),
    )
    return LoadResult(deck, sort_problems(problems.problems), tuple(reader.stamps))
