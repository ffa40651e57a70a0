"""What a theme folder is made of: the built-in layers' names, which of its files are templates,
and which files a theme may publish at all.

A theme folder publishes (copies into a deck, inlines into a one-file deck, loads as a template)
only what a theme is made of: no dot file and nothing in a dot folder (`.env`, `.git/`), and no
symbolic link leading out of the folder or to a dot file or folder in it (an error at the link).
Other links that stay inside are followed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BASE_THEME = "base"
"""The layer every theme builds on: the page, the slide templates, the layout CSS and script."""
BUILTIN_THEMES = ("default", "kubecon")
THEME_FILE = "theme.yaml"
"""A user theme's settings (`extends:`); never copied into a deck."""
TEMPLATE_SUFFIXES = (".html", ".j2")
LIVE_RELOAD_SCRIPT = "live.js"
"""The base theme's live-reload client: `deckgen serve` serves it; a build never copies it."""


def builtin_themes_root() -> Path:
    """The built-in themes: inside the installed wheel, or `themes/` of a source checkout."""
    packaged = Path(__file__).resolve().parent / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


CATALOGUE_FOLDER = "locale"
"""A theme's words: gettext catalogues `locale/LANG.po` (see catalogue.py); never copied into a deck."""


def is_catalogue(folder: Path, path: Path) -> bool:
    """Whether a file of theme folder `folder` is one of its catalogues."""
    return path.suffix == ".po" and path.parent == folder / CATALOGUE_FOLDER


def is_template(path: Path) -> bool:
    """Whether a theme file is a jinja2 template (rendered, never copied)."""
    return path.suffix in TEMPLATE_SUFFIXES


@dataclass(frozen=True, slots=True)
class ThemeFolderFiles:
    """The files of a theme folder, as it may publish them."""

    files: tuple[Path, ...]
    """Every file a theme is made of (templates, CSS, fonts, images, …), in sorted order, named
    under the folder as given: no dot file, nothing in a dot folder, no link leading out."""
    leaving: tuple[Path, ...]
    """Symbolic links (to files or folders) whose target is outside the folder: errors at the link."""
    hidden: tuple[Path, ...] = ()
    """Symbolic links whose target is a dot file or in a dot folder of the theme: errors at the link
    (a link of a publishable name must not publish what a dot name keeps out)."""


def _inside(real: str, real_folder: str) -> bool:
    return real == real_folder or real.startswith(real_folder + os.sep)


def is_dot_path(real: str, real_folder: str) -> bool:
    """Whether `real` (inside `real_folder`, both resolved) is a dot file or lies in a dot folder of it."""
    return any(part.startswith(".") for part in os.path.relpath(real, real_folder).split(os.sep) if part != ".")


def theme_folder_files(folder: Path) -> ThemeFolderFiles:
    """What `folder` is made of, as a theme: its publishable files, and the links in it that lead out."""
    real_folder = os.path.realpath(folder)
    files: list[Path] = []
    leaving: list[Path] = []
    hidden: list[Path] = []
    # Each folder walked → the real folders from the top down to it: a link back to one is not followed.
    walking: dict[str, tuple[str, ...]] = {str(folder): (real_folder,)}
    for current, dirs, names in os.walk(folder, followlinks=True):
        kept = []
        for name in sorted(dirs):
            path = os.path.join(current, name)
            real = os.path.realpath(path)
            if name.startswith(".") or real in walking[current]:
                continue
            if not _inside(real, real_folder):
                leaving.append(Path(path))
                continue
            if is_dot_path(real, real_folder):
                hidden.append(Path(path))
                continue
            walking[path] = (*walking[current], real)
            kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            path = os.path.join(current, name)
            if name.startswith("."):
                continue
            real = os.path.realpath(path)
            if not _inside(real, real_folder):
                leaving.append(Path(path))
            elif is_dot_path(real, real_folder):
                hidden.append(Path(path))
            elif os.path.isfile(path):
                files.append(Path(path))
    return ThemeFolderFiles(tuple(sorted(files)), tuple(sorted(leaving)), tuple(sorted(hidden)))


def is_theme_file(folder: Path, path: Path) -> bool:
    """Whether `path`, named under `folder` (a template jinja2 found, a CSS `url()`), is a file the theme may publish."""
    try:
        parts = Path(os.path.normpath(path)).relative_to(os.path.normpath(folder)).parts
    except ValueError:
        return False
    real, real_folder = os.path.realpath(path), os.path.realpath(folder)
    if any(part.startswith(".") for part in parts) or not _inside(real, real_folder):
        return False
    return not is_dot_path(real, real_folder) and os.path.isfile(real)
