"""Read a folder of decks' `site.yaml` (`deckgen site`): the archive page's settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import SourcePos
from .problems import Collector, Problem, sort_problems
from .schema import SITE_KEYS, MappingChecker, type_name
from .sources import SITE_FILE, decode_text
from .yamlfile import load_yaml


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """site.yaml's settings; what it does not give is None (the archive works out a default)."""

    title: str | None = None
    description: str | None = None
    lang: str | None = None
    url: str | None = None
    theme: str = "default"
    theme_pos: SourcePos | None = None


def read_site_settings(root: Path) -> tuple[SiteSettings, tuple[Problem, ...]]:
    """site.yaml in `root` (every key optional; no file at all is no settings), and its problems at their lines."""
    problems = Collector()
    path = root / SITE_FILE
    if not path.is_file():
        return SiteSettings(), ()
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(SITE_FILE, None, None, "unreadable", f"cannot read file: {exc.strerror or exc}")
        return SiteSettings(), tuple(problems.problems)
    source = decode_text(data, SITE_FILE, problems)
    doc = load_yaml(source.text, SITE_FILE, 1, problems) if source is not None else None
    if doc is None or doc.data is None:
        return SiteSettings(), sort_problems(problems.problems)
    if not isinstance(doc.data, dict):
        line, column = doc.pos()
        problems.error(SITE_FILE, line, column, "not-a-mapping", f"{SITE_FILE} must be a mapping of keys, not {type_name(doc.data)}")
        return SiteSettings(), sort_problems(problems.problems)
    checker = MappingChecker(doc, SITE_FILE, problems, keys=SITE_KEYS)
    checker.check_keys(doc.data, SITE_KEYS, SITE_FILE)
    settings = SiteSettings(
        title=checker.read(doc.data, "title"),
        description=checker.read(doc.data, "description"),
        lang=checker.read(doc.data, "lang"),
        url=checker.read(doc.data, "url"),
        theme=checker.read(doc.data, "theme") or "default",
        theme_pos=SourcePos(SITE_FILE, *doc.pos("theme")) if doc.data.get("theme") is not None else None,
    )
    return settings, sort_problems(problems.problems)
