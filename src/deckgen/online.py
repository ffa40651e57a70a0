"""`check --online`: ask every link of a deck whether it still answers. Only ever run when asked.

Each link is asked by `linkprobe.py`, within its own deadline (`--timeout`); whatever goes wrong with
one link is that link's problem, at its file and line, and the others are still asked. A machine
with no network is one error instead (`NoNetworkError`): when not one host of the links asked
could be looked up (or, for hosts written as addresses, no network route reached any of them),
nor, if some answers came from the cache, the host of one of those.
"""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from .cache import default_cache_dir
from .errors import DeckgenError
from .linkprobe import HostLookups, LinkStatus, fetch_status
from .model import Deck, SourcePos
from .problems import Problem

CACHE_SECONDS = 24 * 60 * 60
CACHE_FILE = "online-links.json"

class NoNetworkError(DeckgenError):
    """The links could not be asked at all: this machine has no network (no name look-up, no route)."""


def _entry_digest(entry: dict[str, object]) -> str:
    """What a cached answer is checked against when it is read back: a damaged one is asked again."""
    return hashlib.blake2b(json.dumps(entry, sort_keys=True).encode(), digest_size=16).hexdigest()


def _cached_status(url: str, entry: object) -> LinkStatus | None:
    """A cached answer, or None when it is damaged (its digest or its types do not hold) or is no answer."""
    if not isinstance(entry, dict):
        return None
    fields = {name: value for name, value in entry.items() if name != "digest"}
    if entry.get("digest") != _entry_digest(fields) or fields.get("url") != url:
        return None
    try:
        status = LinkStatus(**fields)
    except TypeError:  # fields this deckgen does not know
        return None
    numbers_hold = type(status.status) is int and isinstance(status.checked, (int, float)) and not isinstance(status.checked, bool)
    if not numbers_hold or not all(isinstance(text, (str, type(None))) for text in (status.location, status.error)):
        return None
    return status


def _read_cache(path: Path) -> dict[str, LinkStatus]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a missing or corrupt cache is an empty one
    if not isinstance(raw, dict):
        return {}
    entries = {url: _cached_status(url, entry) for url, entry in raw.items()}
    return {url: status for url, status in entries.items() if status is not None}


def _write_cache(path: Path, entries: dict[str, LinkStatus]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.{os.getpid()}")
        kept = {url: {**asdict(s), "digest": _entry_digest(asdict(s))} for url, s in sorted(entries.items())}
        staging.write_text(json.dumps(kept, indent=1), encoding="utf-8")
        os.replace(staging, path)  # atomic: two checks at once never leave a half-written cache
    except OSError:
        pass  # the cache only saves time


def check_urls(urls: Iterable[str], *, timeout: float = 5.0, use_cache: bool = True, workers: int = 8) -> dict[str, LinkStatus]:
    """Ask each URL once, concurrently, each within `timeout` seconds; answers younger than a day come from the cache."""
    cached, asked = _check_urls(urls, timeout, use_cache, workers)
    return {**cached, **asked}


def _check_urls(urls: Iterable[str], timeout: float, use_cache: bool, workers: int) -> tuple[dict[str, LinkStatus], dict[str, LinkStatus]]:
    """The statuses of `urls`: (those from the cache, those asked now)."""
    wanted = list(dict.fromkeys(urls))
    path = default_cache_dir() / CACHE_FILE
    cached = _read_cache(path) if use_cache else {}
    now = time.time()
    fresh = {u: cached[u] for u in wanted if u in cached and now - cached[u].checked < CACHE_SECONDS}
    missing = [u for u in wanted if u not in fresh]
    lookups, tls = HostLookups(), ssl.create_default_context()
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(missing) or 1))) as pool:
        asked = dict(zip(missing, pool.map(lambda u: fetch_status(u, timeout, lookups, tls), missing), strict=True))
    answered = {u: s for u, s in asked.items() if s.status is not None}
    if use_cache and answered:
        # Only answers are remembered: a link that could not be reached is asked again next time.
        _write_cache(path, {**_read_cache(path), **answered})
    return fresh, asked


def no_network(asked: Iterable[LinkStatus]) -> str | None:
    """Why the links asked say this machine has no network, or None when it may well have one.

    No network: not one host could be looked up, whatever the reason (no name server answers, or
    every name is unknown); or, with some hosts written as addresses, every link failed for want
    of a look-up or of a network route. One host that fails among others that answer is that
    link's problem.
    """
    failures = [status.failure for status in asked]
    if not failures or any(failure not in ("unresolved", "no-route") for failure in failures):
        return None
    if all(failure == "unresolved" for failure in failures):
        return "no network: could not resolve any host"
    return "no network: no route to any host"


def _problem(pos: SourcePos, status: LinkStatus, timeout: float) -> Problem | None:
    def make(severity: str, code: str, message: str) -> Problem:
        return Problem(pos.path, pos.line, pos.column, severity, code, message)  # type: ignore[arg-type]

    url = status.url
    if status.failure == "timeout":
        return make("warning", "link-timeout", f"'{url}' did not answer within {timeout:g} s")
    if status.status is None:
        return make("error", "unreachable-link", f"'{url}' cannot be reached: {status.error}")
    if 300 <= status.status < 400:
        where = f"to '{status.location}'" if status.location else "without saying where (no Location header)"
        return make("warning", "redirected-link", f"'{url}' redirects ({status.status}) {where}")
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
    """Problems for the deck's links that no longer answer, redirect or time out.

    Raise `NoNetworkError` when the links asked (those not answered from the cache) say that
    this machine has no network.
    """
    located = deck_urls(deck)
    cached, asked = _check_urls((url for url, _ in located), timeout, use_cache, workers=8)
    reason = no_network(asked.values())
    # The links asked may be a few new ones among many answered from the cache: if a cached
    # link's host still resolves, the network is there and those few hosts are each at fault.
    if reason is not None and not (cached and HostLookups().resolve_any(sorted(cached)[:3], timeout)):
        raise NoNetworkError(reason)
    statuses = {**cached, **asked}
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
