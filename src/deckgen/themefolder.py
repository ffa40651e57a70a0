"""What a theme folder is made of: the built-in layers' names and which of its files are templates."""

from __future__ import annotations

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


def is_template(path: Path) -> bool:
    """Whether a theme file is a jinja2 template (rendered, never copied)."""
    return path.suffix in TEMPLATE_SUFFIXES
