"""Build a deck: load, check, render, write. Each step is a module of its own."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .assets import reveal_files
from .cache import Cache, default_cache_dir
from .loader import read_deck
from .manifest import MARKER, build_options, package_files, record_json, stamp_inputs, stamp_outputs, summary_of
from .model import Deck
from .output import check_output_folder, write_output
from .problems import DeckError, Problem, sort_problems
from .render import render_deck
from .result import BuildResult
from .themes import find_theme, has_own_templates
from .validate import validate_deck

DEFAULT_OUT = "_site"
"""Where a deck is built when no output folder is given: `DECK/_site/`."""


def _inspect(
    source: str | Path, strict: bool, online: bool = False, timeout: float = 5.0, use_cache: bool = True
) -> tuple[Deck | None, tuple[Problem, ...]]:
    result = read_deck(source, Cache(default_cache_dir(), "parts") if use_cache else None)
    problems = list(result.problems)
    if result.deck is not None:
        problems.extend(validate_deck(result.deck))
        if online:
            from .online import check_online

            problems.extend(check_online(result.deck, timeout=timeout, use_cache=use_cache))
    if strict:
        problems = [p.as_error() for p in problems]
    return result.deck, sort_problems(problems)


def check(
    source: str | Path, *, strict: bool = False, online: bool = False, timeout: float = 5.0, use_cache: bool = True
) -> tuple[Problem, ...]:
    """Every problem of a deck, errors and warnings, without writing anything.

    With `online`, also ask every link whether it still answers (the only network use of deckgen).
    A deck with templates of its own is also rendered (in memory): a template can fail only then.
    """
    deck, problems = _inspect(source, strict, online, timeout, use_cache)
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


def checked_deck(source: str | Path, *, strict: bool = False, use_cache: bool = True) -> tuple[Deck, tuple[Problem, ...]]:
    """Load and validate a deck; raise `DeckError` if anything is an error, else return its warnings."""
    deck, problems = _inspect(source, strict, use_cache=use_cache)
    if deck is None or any(p.is_error for p in problems):
        raise DeckError(problems)
    return deck, problems


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

    `self_contained` writes one `index.html` that needs no other file (what it cannot carry is a
    `not-offline` warning). `use_cache=False` bypasses the user cache folder (parsed files,
    rendered slides, QR codes).
    """
    return build_variant(source, out, force=force, strict=strict, self_contained=self_contained, use_cache=use_cache)


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
    """`build()`, plus what deckgen's own commands need: `deckgen serve`'s `live_reload` build id
    and `deckgen pdf`'s `reveal` options (its print layout). Such a build is never recorded as a
    plain one, so the next `deckgen build` into the same folder rebuilds.
    """
    started = time.perf_counter()
    out_path = Path(out) if out is not None else default_out(source)
    # Stamp the deck's files before reading them: a file saved during the build makes the next one rebuild.
    deck_stamps = stamp_inputs((str(Path(source).resolve()),), (), out_path.resolve())
    deck, warnings = checked_deck(source, strict=strict, use_cache=use_cache)
    check_output_folder(out_path, Path(deck.root), force)
    theme = find_theme(deck.theme, Path(deck.root))
    inline = None
    if self_contained:
        from .inline import inline_assets

        inline = inline_assets(deck, theme)
        warnings = _add_problems(warnings, inline.problems, strict)
    rendered = render_deck(
        deck, theme, inline=inline, live_reload=live_reload, reveal=reveal, cache_root=default_cache_dir() if use_cache else None
    )
    result = BuildResult(
        out=out_path,
        slide_count=rendered.slide_count,
        talk_count=rendered.talk_count,
        link_count=rendered.link_count,
        qr_count=rendered.qr_count,
        warnings=warnings,
        seconds=0.0,
        links=rendered.links,
    )

    def record(staging: Path) -> str:
        """What this build read and made, so the CLI can tell when a deck is unchanged."""
        watched = (deck.root, *(str(layer.folder) for layer in theme.layers))
        extra = tuple(str(source) for source, _ in reveal_files()) + package_files()
        theme_stamps = stamp_inputs(watched[1:], extra, out_path.resolve())
        options = build_options(out_path, strict=strict, self_contained=self_contained)
        return record_json(options, watched, extra, deck_stamps + theme_stamps, stamp_outputs(staging, MARKER), summary_of(result))

    # A serve build (live reload) or a PDF's print build is never taken for a plain one.
    write_output(out_path, {"index.html": rendered.html.encode("utf-8")}, rendered.copies, None if live_reload or reveal else record)
    return replace(result, seconds=time.perf_counter() - started)


def _add_problems(warnings: tuple[Problem, ...], more: tuple[Problem, ...], strict: bool) -> tuple[Problem, ...]:
    """Join a later stage's warnings to the deck's; with `strict` they are errors and stop the build."""
    if strict and more:
        raise DeckError(warnings + tuple(p.as_error() for p in more))
    return sort_problems(warnings + more)
