"""`check --online`: ask every link of a deck whether it still answers. Only ever run when asked."""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__
from .cache import default_cache_dir
from .model import Deck, SourcePos
from .problems import Problem

CACHE_SECONDS = 24 * 60 * 60
CACHE_FILE = "online-links.json"
USER_AGENT = f"deckgen/{__version__} (link check)"


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """What one URL answered."""

    url: str
    status: int | None
    """The HTTP status, or None when there was no answer."""
    location: str | None = None
    """Where a redirect points."""
    error: str | None = None
    """Why there was no answer (`timeout` or the network error)."""
    checked: float = 0.0
    """When it was asked (seconds since the epoch)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _ask(url: str, method: str, timeout: float) -> LinkStatus:
    opener = urllib.request.build_opener(_NoRedirects())
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            return LinkStatus(url, response.status, checked=time.time())
    except urllib.error.HTTPError as exc:
        return LinkStatus(url, exc.code, location=exc.headers.get("Location"), checked=time.time())
    except TimeoutError:
        return LinkStatus(url, None, error="timeout", checked=time.time())
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return LinkStatus(url, None, error="timeout", checked=time.time())
        return LinkStatus(url, None, error=str(reason), checked=time.time())
    except (OSError, ValueError) as exc:
        return LinkStatus(url, None, error=str(exc), checked=time.time())


def fetch_status(url: str, timeout: float) -> LinkStatus:
    """HEAD the URL; servers that refuse HEAD are asked again with GET."""
    status = _ask(url, "HEAD", timeout)
    if status.status in (403, 405, 501):
        status = _ask(url, "GET", timeout)
    return status


def _read_cache(path: Path) -> dict[str, LinkStatus]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {url: LinkStatus(**entry) for url, entry in raw.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}  # a missing or corrupt cache is an empty one


def _write_cache(path: Path, entries: dict[str, LinkStatus]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.{os.getpid()}")
        staging.write_text(json.dumps({url: asdict(s) for url, s in sorted(entries.items())}, indent=1), encoding="utf-8")
        os.replace(staging, path)  # atomic: two checks at once never leave a half-written cache
    except OSError:
        pass  # the cache only saves time


def check_urls(urls: Iterable[str], *, timeout: float = 5.0, use_cache: bool = True, workers: int = 8) -> dict[str, LinkStatus]:
    """Ask each URL once, concurrently; answers younger than a day come from the cache."""
    wanted = list(dict.fromkeys(urls))
    path = default_cache_dir() / CACHE_FILE
    cached = _read_cache(path) if use_cache else {}
    now = time.time()
    fresh = {u: cached[u] for u in wanted if u in cached and now - cached[u].checked < CACHE_SECONDS}
    missing = [u for u in wanted if u not in fresh]
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(missing) or 1))) as pool:
        asked = dict(zip(missing, pool.map(lambda u: fetch_status(u, timeout), missing), strict=True))
    if use_cache and asked:
        # Timeouts are not remembered: the next check should ask again.
        keep = {u: s for u, s in asked.items() if s.error != "timeout"}
        _write_cache(path, {**_read_cache(path), **keep})
    return {u: fresh.get(u) or asked[u] for u in wanted}


def _problem(pos: SourcePos, status: LinkStatus, timeout: float) -> Problem | None:
    def make(severity: str, code: str, message: str) -> Problem:
        return Problem(pos.path, pos.line, pos.column, severity, code, message)  # type: ignore[arg-type]

    url = status.url
    if status.error == "timeout":
        return make("warning", "link-timeout", f"'{url}' did not answer within {timeout:g} s")
    if status.error is not None:
        return make("error", "unreachable-link", f"'{url}' cannot be reached: {status.error}")
    assert status.status is not None
    if 300 <= status.status < 400:
        return make("warning", "redirected-link", f"'{url}' redirects ({status.status}) to '{status.location}'")
    if status.status >= 400:
        return make("error", "dead-link", f"'{url}' answered {status.status}")
    return None


def deck_urls(deck: Deck) -> list[tuple[str, SourcePos]]:
    """Every URL of the deck with where it is written: deck url, talk videos and links, deck links."""
    from .linklist import collect_links

    found: list[tuple[str, SourcePos]] = []
    if deck.url:
        found.append((deck.url, deck.url_pos or SourcePos("deck.yaml", 1)))
    found.extend((entry.url, entry.link.pos) for entry in collect_links(deck))
    return found


def check_online(deck: Deck, *, timeout: float = 5.0, use_cache: bool = True) -> tuple[Problem, ...]:
    """Problems for the deck's links that no longer answer, redirect or time out."""
    located = deck_urls(deck)
    statuses = check_urls((url for url, _ in located), timeout=timeout, use_cache=use_cache)
    seen: set[str] = set()
    problems: list[Problem] = []
    for url, pos in located:
        if url in seen:
            continue
        seen.add(url)
        problem = _problem(pos, statuses[url], timeout)
        if problem is not None:
            problems.append(problem)
    return tuple(problems)
