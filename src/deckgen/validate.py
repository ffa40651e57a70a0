"""Checks that need the whole deck: tracks, duplicate videos, referenced files."""

from __future__ import annotations

import os
from pathlib import Path

from .catalogue import theme_catalogue_problems
from .model import Deck, Talk
from .paths import resolve_local
from .problems import Collector, Problem
from .schema import closest, did_you_mean
from .templatechecks import own_template_problems
from .themefolder import is_dot_path, theme_folder_files
from .themes import ThemeError, find_theme


def _track_hint(deck: Deck, written: str) -> str:
    """Name the track a talk meant: one whose title it gave instead of the name, or a close name."""
    by_title = [track for track in deck.tracks if track.title != track.name and track.title.casefold() == written.casefold()]
    if by_title:
        return f": that is the title of track '{by_title[0].name}'; use its name (track: {by_title[0].name})"
    return did_you_mean(written, [track.name for track in deck.tracks])


def _check_tracks(deck: Deck, problems: Collector) -> None:
    names = [t.name for t in deck.tracks]
    finished: set[str] = set()
    current: str | None = None
    for talk in deck.talks:
        pos = talk.track_pos or talk.pos
        if talk.track is None:
            if names and talk.track_pos is None:  # no `track:` at all (a wrong one is an error already)
                where = "under the previous divider" if current is not None else "before the first divider"
                problems.warning(pos.path, pos.line, pos.column, "no-track", f"talk has no track; it is shown {where}")
            continue
        if talk.track not in names:
            message = f"unknown track '{talk.track}'{_track_hint(deck, talk.track)}"
            problems.error(pos.path, pos.line, pos.column, "unknown-track", message)
            continue
        if talk.track != current:
            if talk.track in finished:
                problems.warning(
                    pos.path, pos.line, pos.column, "split-track",
                    f"track '{talk.track}' is split: its talks are not together, so it gets a second divider",
                )
            if current is not None:
                finished.add(current)
            current = talk.track


def _check_videos(talks: tuple[Talk, ...], problems: Collector) -> None:
    first_seen: dict[str, Talk] = {}
    for talk in talks:
        if not talk.video:
            continue
        other = first_seen.setdefault(talk.video, talk)
        if other is not talk:
            pos = talk.video_pos or talk.pos
            problems.warning(pos.path, pos.line, pos.column, "duplicate-video", f"the same video is used by {other.pos.path}")


def _entries(folder: Path, want_folders: bool) -> list[str]:
    """The names of a folder's files (or folders), dot names left out; none when it cannot be read."""
    try:
        return [e.name for e in folder.iterdir() if (e.is_dir() if want_folders else e.is_file()) and not e.name.startswith(".")]
    except OSError:
        return []


def _nearby_file_hint(written: str, target: Path) -> str:
    """` (did you mean 'img/attendance.png'?)`: a file of a close name in the missing file's folder,
    or the same file in a folder of a close name when that folder is missing (`imgs/` for `img/`)."""
    head, _, _ = written.rpartition("/")
    if target.parent.is_dir():
        close = closest(target.name, _entries(target.parent, want_folders=False))
        return f" (did you mean '{head + '/' if head else ''}{close}'?)" if close else ""
    folder = closest(target.parent.name, _entries(target.parent.parent, want_folders=True))
    if folder is None or not (target.parent.parent / folder / target.name).is_file():
        return ""
    above, _, _ = head.rpartition("/")
    return f" (did you mean '{above + '/' if above else ''}{folder}/{target.name}'?)"


def _check_refs(deck: Deck, problems: Collector) -> None:
    root = Path(deck.root)
    real_root = root.resolve()
    for ref in deck.local_refs():
        pos = ref.pos
        resolved = resolve_local(ref.target, pos.path)
        if resolved is None:
            problems.error(pos.path, pos.line, pos.column, "outside-deck", f"'{ref.shown}' is outside the deck folder")
            continue
        target = root / resolved
        if any(part.startswith(".") for part in resolved.split("/")):
            message = f"'{ref.shown}' is a dot file or inside a dot folder: deckgen never publishes those (rename it)"
            problems.error(pos.path, pos.line, pos.column, "dot-file", message)
        elif os.path.lexists(target) and not target.resolve().is_relative_to(real_root):
            message = f"'{ref.shown}' leads outside the deck folder (symbolic link)"
            problems.error(pos.path, pos.line, pos.column, "outside-deck", message)
        elif os.path.lexists(target) and is_dot_path(str(target.resolve()), str(real_root)):
            message = f"'{ref.shown}' leads to a dot file or into a dot folder (symbolic link): deckgen never publishes those"
            problems.error(pos.path, pos.line, pos.column, "dot-file", message)
        elif not target.is_file():
            message = f"'{ref.shown}' not found (looked for {resolved}){_nearby_file_hint(ref.shown, target)}"
            problems.error(pos.path, pos.line, pos.column, "missing-file", message)


def _fence_options_may_be_in(text: str) -> bool:
    return "{" in text and ("```" in text or "~~~" in text)  # most slides have no fence options: skip the parse


def _check_code_fences(deck: Deck, problems: Collector) -> None:
    """A fence's options (`{numbers 2,4-5}`) that mean nothing, or mark lines the code does not have."""
    from .highlight import fence_problems, parse_fence_info
    from .markdown import markdown_parser

    for slide in deck.slides():
        for text, first_line in ((slide.markdown, slide.pos.line), (slide.notes, None)):
            if not _fence_options_may_be_in(text):
                continue
            lines = text.split("\n")
            for token in markdown_parser(deck.html).parse(text):
                if token.type != "fence" or token.map is None:
                    continue
                messages = fence_problems(parse_fence_info(token.info), token.content.count("\n"))
                # Notes keep no lines of their own: their problems are placed at the slide.
                line = first_line + token.map[0] if first_line is not None else slide.pos.line
                column = lines[token.map[0]].find("{") + 1 if first_line is not None else 1
                for message in messages:
                    problems.warning(slide.pos.path, line, max(column, 1), "code-fence", message)


def _check_theme(deck: Deck, problems: Collector) -> None:
    try:
        theme = find_theme(deck.theme, Path(deck.root))
    except ThemeError as exc:
        pos = deck.theme_pos
        problems.error(pos.path if pos else "deck.yaml", pos.line if pos else None, pos.column if pos else None, exc.code, str(exc))
        return
    for layer in theme.layers:
        folder_files = theme_folder_files(layer.folder)
        for link in folder_files.leaving:
            shown = Path(os.path.relpath(link, deck.root)).as_posix()
            problems.error(shown, None, None, "outside-theme", f"symbolic link to {os.path.realpath(link)}, outside the theme folder")
        for link in folder_files.hidden:
            shown = Path(os.path.relpath(link, deck.root)).as_posix()
            message = f"symbolic link to {os.path.realpath(link)}, a dot file or in a dot folder: a theme never publishes those"
            problems.error(shown, None, None, "dot-file", message)
    problems.problems.extend(own_template_problems(theme, Path(deck.root)))
    problems.problems.extend(theme_catalogue_problems([layer.folder for layer in theme.layers], deck.lang, Path(deck.root)))


def validate_deck(deck: Deck) -> tuple[Problem, ...]:
    """Return the problems that only show when the deck is seen whole."""
    problems = Collector()
    _check_tracks(deck, problems)
    _check_videos(deck.talks, problems)
    _check_refs(deck, problems)
    _check_code_fences(deck, problems)
    _check_theme(deck, problems)
    return tuple(problems.problems)
