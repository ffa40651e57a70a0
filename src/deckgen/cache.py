"""A content-addressed cache in the user cache folder, safe for concurrent builds.

Entries are files named by the SHA-256 of everything that determines their content (the input
bytes, the settings, deckgen's and the libraries' versions), so an entry is never stale: a change
makes a new key. Writes go to a temporary file renamed into place (atomic); an entry that cannot be
read back is treated as missing and recomputed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import contextlib
import itertools
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__

LAYOUT = "v1"
MEMORY_ENTRIES = 20000
_staging_numbers = itertools.count()
_memory: dict[tuple[str, str], Any] = {}
"""Entries this process has read or written: `deckgen serve` rebuilds without touching the disk."""


def default_cache_dir() -> Path:
    """`DECKGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/deckgen`, else `~/.cache/deckgen`."""
    if os.environ.get("DECKGEN_CACHE_DIR"):
        return Path(os.environ["DECKGEN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "deckgen"


@lru_cache(maxsize=1)
def _code_fingerprint() -> bytes:
    """deckgen's version and its modules' sizes and times: a changed deckgen never reads old entries."""
    here = Path(__file__).resolve().parent
    stats = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in here.glob("*.py"))
    return f"{__version__} {stats}".encode()


def make_key(*parts: str | bytes) -> str:
    """A key from the parts that determine an entry; deckgen's own code is always one of them."""
    digest = hashlib.sha256(_code_fingerprint())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """Pickled values by key, under one namespace folder; `Cache(None)` caches nothing."""

    def __init__(self, root: Path | None, namespace: str) -> None:
        self.folder = root / LAYOUT / namespace if root is not None else None
        self._made = False

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key

    def get(self, key: str) -> Any | None:
        if self.folder is None:
            return None
        remembered = _memory.get((str(self.folder), key))
        if remembered is not None:
            return remembered
        try:
            data = self._path(key).read_bytes()
            stored_key, value = pickle.loads(data)
        except FileNotFoundError:
            return None
        except Exception:  # a corrupt or foreign entry is a miss; it will be overwritten
            return None
        if stored_key != key:
            return None
        self._remember(key, value)
        return value

    def _remember(self, key: str, value: Any) -> None:
        if len(_memory) >= MEMORY_ENTRIES:
            _memory.clear()  # a long serve session of huge decks: start over rather than grow
        _memory[(str(self.folder), key)] = value

    def put(self, key: str, value: Any) -> None:
        if self.folder is None:
            return
        self._remember(key, value)
        path = self._path(key)
        # A name no other process or entry uses (mkstemp costs more than the write itself).
        staging = path.with_name(f".tmp-{os.getpid()}-{next(_staging_numbers)}-{key[:12]}")
        try:
            if not self._made:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._made = True
            data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
            with open(staging, "xb") as out:
                out.write(data)
            os.replace(staging, path)  # atomic: a reader sees the old entry, or none, or the new one
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            with contextlib.suppress(OSError):
                os.unlink(staging)
            # a cache that cannot be written only costs time
