"""Build a deck: load, check, render, write. Each step is a module of its own.

`build()` first asks the record of the last build into OUT (`manifest.py`) whether anything has
changed: an unchanged deck is answered from it, so this module imports the stages only in the
functions that run them (the YAML, Markdown and template libraries cost more than the answer).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .manifest import build_identity, environment_files, previous_result, record_json, stamp_all, stamp_outputs
from .problems import DeckError, Problem, sort_problems
from .result import BuildResult, DeckFacts

if TYPE_CHECKING:
    from .model import Deck
    from .output import BuildOutput
    from .stamps import FileStamp

DEFAULT_OUT = "_site"
"""Where a deck is built when no output folder is given: `DECK/_site/`."""


def _inspect(
    source: str | Path, strict: bool, online: bool = False, timeout: float = 5.0, use_cache: bool = True
) -> tuple[Deck | None, tuple[Problem, ...], tuple[FileStamp, ...]]:
    """The deck as far as it could be read, every problem found (online ones too, when asked) and the
    stamps of what the loader read (see `manifest.py`)."""
    from .cache import Cache, default_cache_dir
    from .loader import read_deck
    from .validate import validate_deck

    result = read_deck(source, Cache(default_cache_dir(), "parts") if use_cache else None)
    problems = list(result.problems)
    if result.deck is not None:
        problems.extend(validate_deck(result.deck))
        if online:
            from .online import check_online

            problems.extend(check_online(result.deck, timeout=timeout, use_cache=use_cache))
    if strict:
        problems = [p.as_error() for p in problems]
    return result.deck, sort_problems(problems), result.read


def check(
    source: str | Path, *, strict: bool = False, online: bool = False, timeout: float = 5.0, use_cache: bool = True
) -> tuple[Problem, ...]:
    """Every problem of a deck, errors and warnings, without writing anything.

    With `online`, also ask every link whether it still answers (the only network use of deckgen).
    A deck with templates of its own is also rendered (in memory): a template can fail only then.
    """
    from .cache import default_cache_dir
    from .render import render_deck
    from .themes import find_theme, has_own_templates

    deck, problems, _ = _inspect(source, strict, online, timeout, use_cache)
    if deck is None or any(p.is_error for p in problems):
        return problems
    theme = find_theme(deck.theme, Path(deck.root))
    if not has_own_templates(theme):
        return problems
    try:
        render_deck(deck, theme, cache_root=default_cache_dir() if use_cache else None)
    except DeckError as error:
        return sort_problems(problems + error.problems)
    return problems


def _checked(source: str | Path, strict: bool, use_cache: bool) -> tuple[Deck, tuple[Problem, ...], tuple[FileStamp, ...]]:
    deck, problems, read = _inspect(source, strict, use_cache=use_cache)
    if deck is None or any(p.is_error for p in problems):
        raise DeckError(problems)
    return deck, problems, read


def checked_deck(source: str | Path, *, strict: bool = False, use_cache: bool = True) -> tuple[Deck, tuple[Problem, ...]]:
    """Load and validate a deck; raise `DeckError` if anything is an error, else return its warnings."""
    deck, warnings, _ = _checked(source, strict, use_cache)
    return deck, warnings


def load_deck(source: str | Path) -> Deck:
    """Parse and check a deck folder without writing anything; raise `DeckError` listing every error."""
    return checked_deck(source)[0]


def default_out(source: str | Path) -> Path:
    return Path(source) / DEFAULT_OUT


def build(
    source: str | Path,
    out: str | Path | None = None,
    *,
    force: bool = False,
    strict: bool = False,
    self_contained: bool = False,
    use_cache: bool = True,
) -> BuildResult:
    """Build the deck folder `source` into `out` (default `source/_site`); raise `DeckError` on errors.

    When `out` was made by a build of the same deck with the same options and nothing it read has
    changed since, nothing is done: that build's result comes back, with `unchanged` set.
    `self_contained` writes one `index.html` that needs no other file (what it cannot carry is a
    `not-offline` warning). `use_cache=False` bypasses the user cache folder (parsed files,
    rendered slides, QR codes) and the record: everything is built anew.
    """
    out_path = Path(out) if out is not None else default_out(source)
    if use_cache:
        identity = build_identity(source, out_path, strict=strict, self_contained=self_contained)
        previous = previous_result(identity, out_path)
        if previous is not None:
            _remove_leftovers(out_path)
            return previous
    return build_variant(source, out_path, force=force, strict=strict, self_contained=self_contained, use_cache=use_cache)


def _remove_leftovers(out: Path) -> None:
    """What killed builds left beside OUT goes with the next build, even one with nothing to do."""
    out = out.resolve()
    try:
        names = os.listdir(out.parent)
    except OSError:
        return
    if any(name.startswith(f".{out.name}.") for name in names):  # the output module is imported only then
        from .output import remove_leftovers

        remove_leftovers(out)


def build_variant(
    source: str | Path,
    out: str | Path | None = None,
    *,
    force: bool = False,
    strict: bool = False,
    self_contained: bool = False,
    use_cache: bool = True,
    live_reload: str = "",
    reveal: Mapping[str, Any] | None = None,
) -> BuildResult:
    """`build()` without the no-op shortcut, plus what deckgen's own commands need: `deckgen serve`'s
    `live_reload` build id and `deckgen pdf`'s `reveal` options (its print layout). Such a build is
    never recorded as a plain one, so the next `build()` into the same folder rebuilds.
    """
    from .output import recover_output, write_output

    started = time.perf_counter()
    out_path = Path(out) if out is not None else default_out(source)
    recover_output(out_path)  # a build killed half-way through its swap: even if this one fails, OUT holds a deck
    result, written = prepare_build(
        source, out_path, force=force, strict=strict, self_contained=self_contained, use_cache=use_cache,
        live_reload=live_reload, reveal=reveal,
    )  # fmt: skip
    write_output(out_path, written)
    return replace(result, seconds=time.perf_counter() - started)


def prepare_build(
    source: str | Path,
    out: Path,
    *,
    force: bool = False,
    strict: bool = False,
    self_contained: bool = False,
    use_cache: bool = True,
    live_reload: str = "",
    reveal: Mapping[str, Any] | None = None,
    address: str | None = None,
    thumbnail: Callable[[Path], None] | None = None,
) -> tuple[BuildResult, BuildOutput]:
    """Check and render the deck `source` for OUT `out`: its result, and what to write into OUT (or a
    folder that becomes OUT; see `output.py`). Raise `DeckError` on errors. Nothing is written.

    `address` is where a site publishes the deck (its share tags' address when deck.yaml has no
    `url`); `thumbnail(folder)` makes a picture of the title slide beside the page once it is
    written there (`thumbnail.Thumbnails.picture_beside`).
    """
    from .assets import reveal_files
    from .cache import default_cache_dir
    from .output import BuildOutput, check_output_folder
    from .pages import LINKS_PAGE
    from .render import render_deck
    from .themes import find_theme

    identity = build_identity(source, out, strict=strict, self_contained=self_contained, address=address, thumbnail=thumbnail is not None)
    recorded = not live_reload and not reveal  # a serve or print build is never taken for a plain one

    def stamped(folders: tuple[str, ...], files: tuple[str, ...]) -> tuple[FileStamp, ...]:
        """Inputs are stamped before they are read: a file saved during the build makes the next one rebuild."""
        return stamp_all(folders, files, out.resolve()) if recorded else ()

    environment = tuple(str(path) for path, _ in reveal_files()) + environment_files() if recorded else ()
    environment_stamps = stamped((), environment)
    deck_stamps = stamped((identity.deck,), ())
    deck, warnings, read = _checked(source, strict, use_cache)
    check_output_folder(out, Path(deck.root), force)
    theme = find_theme(deck.theme, Path(deck.root))
    theme_folders = tuple(str(layer.folder) for layer in theme.layers)
    refuse_output_in_theme(out, theme_folders)
    theme_stamps = stamped(theme_folders, ())
    inline = None
    if self_contained:
        from .inline import inline_assets

        inline = inline_assets(deck, theme)
        warnings = _add_problems(warnings, inline.problems, strict)
    rendered = render_deck(
        deck, theme, inline=inline, live_reload=live_reload, reveal=reveal, cache_root=default_cache_dir() if use_cache else None,
        address=address, thumbnail=thumbnail is not None,
    )  # fmt: skip
    copied = tuple(str(path) for path, _ in rendered.copies)
    copy_stamps = stamped((), copied)
    result = BuildResult(
        out=out,
        slide_count=rendered.slide_count,
        talk_count=rendered.talk_count,
        link_count=rendered.link_count,
        qr_count=rendered.qr_count,
        warnings=warnings,
        seconds=0.0,
        links=rendered.links,
        facts=deck_facts(deck),
    )

    def record(folder: Path) -> str:
        """What this build was, read and made, so the next one can tell when nothing has changed."""
        folders = (identity.deck, *theme_folders)
        files = tuple(stamp[0] for stamp in read) + copied + environment
        inputs = deck_stamps + theme_stamps + read + copy_stamps + environment_stamps
        return record_json(identity, folders, files, inputs, stamp_outputs(folder), result)

    pages = {"index.html": rendered.html.encode("utf-8")}
    if rendered.links_page:
        pages[LINKS_PAGE] = rendered.links_page.encode("utf-8")
    return result, BuildOutput(pages, rendered.copies, record if recorded else None, thumbnail)


def deck_facts(deck: Deck) -> DeckFacts:
    """What an archive page shows of a deck."""
    shown = {name for name in deck.shown_tracks() if deck.track_named(name) is not None}
    return DeckFacts(deck.title, deck.subtitle, deck.date, deck.author, deck.event, deck.lang, deck.url, len(shown))


def refuse_output_in_theme(out: Path, theme_folders: tuple[str, ...]) -> None:
    """A theme folder publishes its files: one that holds OUT would publish each build into the next."""
    real_out = out.resolve()
    for folder in theme_folders:
        real_folder = Path(folder).resolve()
        if real_out.is_relative_to(real_folder) or real_folder.is_relative_to(real_out):
            message = f"the output folder and the theme folder {folder} overlap: a theme would publish the deck into itself"
            raise DeckError([Problem(str(out), None, None, "error", "unsafe-output", message)])


def _add_problems(warnings: tuple[Problem, ...], more: tuple[Problem, ...], strict: bool) -> tuple[Problem, ...]:
    """Join a later stage's warnings to the deck's; with `strict` they are errors and stop the build."""
    if strict and more:
        raise DeckError(warnings + tuple(p.as_error() for p in more))
    return sort_problems(warnings + more)
