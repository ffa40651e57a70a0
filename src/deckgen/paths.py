"""Paths a slide names: whether one is a file of the deck, where it is, and where its copy goes."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, unquote, urlsplit

MEDIA_DIR = "media"
"""The output folder the slides' files are copied into, under their deck-relative paths."""
HTML_PATH_ATTRIBUTE = re.compile(r"\b(?:src|srcset|href|poster|data)\s*=", re.IGNORECASE)
"""An attribute that may name a file: raw HTML without one needs no HTML parser."""


def is_local_target(target: str) -> bool:
    """True for a path to a file of the deck (not a URL, an anchor or a data: URI)."""
    if not target or target.startswith(("#", "//")):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return not parts.scheme and not parts.netloc


def resolve_local(target: str, md_rel: str) -> str | None:
    """The deck-relative POSIX path a local target names, or None when it leaves the deck folder."""
    path = unquote(urlsplit(target).path)
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(md_rel), path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def output_href(target: str, md_rel: str) -> str:
    """Where a local file ends up in the output, as a URL relative to index.html."""
    resolved = resolve_local(target, md_rel)
    if resolved is None:
        return target
    fragment = urlsplit(target).fragment
    return quote(f"{MEDIA_DIR}/{resolved}") + (f"#{fragment}" if fragment else "")
