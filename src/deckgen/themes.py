"""Find a theme (built-in name or folder) and build the jinja2 environment over it."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DeckgenError
from .problems import DeckError, Problem
from .themefolder import (
    BASE_THEME,
    BUILTIN_THEMES,
    LIVE_RELOAD_SCRIPT,
    TEMPLATE_SUFFIXES,
    THEME_FILE,
    builtin_themes_root,
    is_catalogue,
    theme_folder_files,
)

if TYPE_CHECKING:
    from .catalogue import Words
    from .model import Deck


class ThemeError(DeckgenError):
    """A theme that cannot be found, read or used; `code` names the problem, as in a deck's problems."""

    def __init__(self, message: str, code: str = "unknown-theme") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class ThemeLayer:
    """One folder of a theme chain: its name in the output and on disk."""

    name: str
    folder: Path


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme chain, most specific first: a user's folder, a built-in theme, the base."""

    name: str
    layers: tuple[ThemeLayer, ...]

    @property
    def stylesheet_layers(self) -> tuple[ThemeLayer, ...]:
        """Layers in cascade order: the base first, so later ones override it."""
        return tuple(reversed(self.layers))


def themes_root() -> Path:
    """The built-in themes: inside the installed wheel, or `themes/` of a source checkout."""
    return builtin_themes_root()


def _builtin(name: str) -> ThemeLayer:
    folder = themes_root() / name
    if not folder.is_dir():
        raise ThemeError(f"built-in theme folder {folder} is missing (broken installation)")
    return ThemeLayer(name, folder)


def _parent_of(folder: Path) -> str:
    """A user theme builds on a built-in one: `extends:` in its theme.yaml, default `default`."""
    theme_file = folder / THEME_FILE
    if not theme_file.is_file():
        return "default"
    import yaml

    from .yamlfile import safe_load

    try:
        data = safe_load(theme_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ThemeError(f"cannot read {theme_file}: {exc}") from exc
    except Exception as exc:  # nested too deeply, or a value its tag cannot be (`extends: !!bool perhaps`)
        raise ThemeError(f"cannot read {theme_file}: {exc or type(exc).__name__}") from exc
    parent = data.get("extends", "default") if isinstance(data, dict) else "default"
    if parent not in BUILTIN_THEMES:
        raise ThemeError(f"{theme_file}: 'extends' must be one of {', '.join(BUILTIN_THEMES)}")
    return str(parent)


def find_theme(spec: str, deck_root: Path) -> Theme:
    """Resolve deck.yaml's `theme`: a built-in name, or a folder relative to the deck."""
    if spec in BUILTIN_THEMES:
        return Theme(spec, (_builtin(spec), _builtin(BASE_THEME)))
    try:
        folder = (deck_root / spec).resolve()
        found = folder.is_dir()
    except (OSError, ValueError) as exc:  # a NUL character, a name too long for the file system
        reason = "a NUL character" if isinstance(exc, ValueError) else exc.strerror or str(exc)  # worded alike by every Python
        raise ThemeError(f"unknown theme {spec!r}: not a usable folder path ({reason})") from exc
    if not found:
        from .schema import did_you_mean

        hint = did_you_mean(spec, BUILTIN_THEMES)
        raise ThemeError(f"unknown theme '{spec}': not a built-in theme ({', '.join(BUILTIN_THEMES)}) nor a folder{hint}")
    if deck_root.resolve().is_relative_to(folder):  # it would publish the deck's own files (and its output)
        raise ThemeError(f"theme '{spec}' is the deck folder or holds it: a theme is a folder of its own", "theme-folder")
    parent = _parent_of(folder)
    return Theme(folder.name, (ThemeLayer("local", folder), _builtin(parent), _builtin(BASE_THEME)))


@lru_cache(maxsize=8)
def make_environment(theme: Theme, cache_root: Path | None = None):  # type: ignore[no-untyped-def]
    """A jinja2 environment: autoescape on, undefined names are errors, user layers first.

    Templates are found in the chain's order; `base/…`, `default/…` and `kubecon/…` name one
    layer, so an override can `{% extends "base/slides/talk.html" %}` and change one block.
    One environment serves every build of a process (`deckgen serve`): it notices edited
    templates itself. The built-in templates come compiled with the package; others, once
    compiled, are kept in the cache under `cache_root` between processes.
    """
    import jinja2

    from .catalogue import install_words
    from .later import TEMPLATE_FILTERS
    from .precompiled import COMPILE_OPTIONS, CachedBytecode, PrecompiledLoader, ThemeFolderLoader
    from .templatecontext import ThemeUndefined

    chain = ThemeFolderLoader([str(layer.folder) for layer in theme.layers])
    named = jinja2.PrefixLoader({layer.name: ThemeFolderLoader(str(layer.folder)) for layer in theme.layers})
    environment = jinja2.Environment(
        loader=PrecompiledLoader(jinja2.ChoiceLoader([named, chain])),
        undefined=ThemeUndefined,  # strict, and its messages say what a template can use instead
        auto_reload=True,
        **COMPILE_OPTIONS,
        bytecode_cache=CachedBytecode(cache_root) if cache_root is not None else None,
    )
    environment.filters.update(TEMPLATE_FILTERS)
    install_words(environment)  # deckgen's words, in the language of the deck being rendered
    return environment


def deck_words(deck: Deck, theme: Theme) -> Words:
    """deckgen's words for a deck: its `strings`, then the theme's catalogues, then deckgen's for its `lang`."""
    from .catalogue import words_for

    return words_for(deck.lang, theme_folders=[layer.folder for layer in theme.layers], strings=deck.strings)


def template_problem(exc: BaseException, deck_root: Path) -> Problem | None:
    """A template's failure as a deck error at the template's file and line; None if no template failed.

    jinja2 rewrites a traceback so its frames carry the template's file and line; the innermost
    such frame is the place to fix (an override's line rather than the base template it extends).
    """
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line, message = exc.filename, exc.lineno, exc.message or str(exc)
    else:
        filename, line = None, None
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if "__jinja_exception__" in frame.f_globals:  # a frame jinja2 made to point at a template line
                filename, line = frame.f_code.co_filename, lineno
        message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, jinja2.TemplateNotFound):
            message = f"template '{exc.name}' not found in the theme"
            layer, _, rest = str(exc.name).partition("/")
            if layer in BUILTIN_THEMES and rest:  # the built-in templates are all in the base layer
                message += f" (the built-in templates are in base/: did you mean 'base/{rest}'?)"
        elif isinstance(exc, RecursionError):
            message = "templates include or extend one another in a loop (or a macro calls itself without end)"
    if filename is None or Path(filename).suffix not in TEMPLATE_SUFFIXES:
        return None
    shown = Path(os.path.relpath(filename, deck_root)).as_posix()
    return Problem(shown, line, None, "error", "theme-template", message)


@contextmanager
def template_errors_as_deck_errors(root: Path) -> Iterator[None]:
    """A theme template that fails (syntax, unknown name, missing include) is a deck error at its line,
    named from `root` (the deck folder, or the folder of decks)."""
    try:
        yield
    except Exception as exc:
        problem = template_problem(exc, root)
        if problem is None:
            raise
        raise DeckError([problem]) from None


def own_templates(theme: Theme) -> list[tuple[ThemeLayer, Path]]:
    """The template files of the theme's own folder (not of the built-in layers it builds on)."""
    return [
        (layer, path)
        for layer in theme.layers
        if layer.name not in BUILTIN_THEMES and layer.name != BASE_THEME
        for path in theme_folder_files(layer.folder).files
        if path.suffix in TEMPLATE_SUFFIXES
    ]


def has_own_templates(theme: Theme) -> bool:
    """Whether the theme's own folder holds templates (which only a render can fully check)."""
    return bool(own_templates(theme))


def theme_static_files(theme: Theme) -> list[tuple[Path, str]]:
    """Every non-template file of each layer (CSS, fonts, images, scripts), with its output path.

    Only what a theme is made of (`themefolder.py`): no dot file, no link leading out of the folder.
    """
    files: list[tuple[Path, str]] = []
    for layer in theme.stylesheet_layers:
        for path in theme_folder_files(layer.folder).files:
            if path.suffix not in TEMPLATE_SUFFIXES and path.name != THEME_FILE and not is_catalogue(layer.folder, path):
                rel = path.relative_to(layer.folder).as_posix()
                if layer.name == BASE_THEME and rel == LIVE_RELOAD_SCRIPT:
                    continue
                files.append((path, f"_deckgen/themes/{layer.name}/{rel}"))
    return files


PAGE_STYLESHEET = "site/page.css"
"""A layer's stylesheet for the pages beside the slides (the links page, the archive page)."""


def page_stylesheets(theme: Theme) -> list[str]:
    """Output paths of the stylesheets of the pages beside the slides, base first: each layer's
    `theme.css` (the `--dg-*` variables) and its `site/page.css`."""
    return [
        f"_deckgen/themes/{layer.name}/{name}"
        for layer in theme.stylesheet_layers
        for name in ("theme.css", PAGE_STYLESHEET)
        if (layer.folder / name).is_file()
    ]


def theme_stylesheets(theme: Theme) -> list[str]:
    """Output paths of each layer's `theme.css`, base first."""
    return [
        f"_deckgen/themes/{layer.name}/theme.css" for layer in theme.stylesheet_layers if (layer.folder / "theme.css").is_file()
    ]
