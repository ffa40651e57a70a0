"""A content-addressed cache in the user cache folder, safe for concurrent builds.

Entries are keyed by the SHA-256 of everything that determines their content (the input bytes,
the settings, deckgen's and the libraries' versions), so an entry is never stale: a change makes a
new key. They live in one SQLite database (Python's own `sqlite3`): a stage puts its new entries
and writes them together, in one transaction (`Cache.flush`). One file per entry cost up to a
millisecond each to create on a busy disk, which doubled a 330-file deck's cold build.

Two builds at once are safe (SQLite's locking, WAL mode, a busy timeout); a value that does not
read back is a miss, recomputed; a database that cannot be read is set aside and begun anew, and if
even that fails the build goes on without a cache. Each entry carries the day it was last used;
once a day, entries unused for `KEEP_DAYS` days are removed, so the cache does not grow forever.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:
    import sqlite3

LAYOUT = "v3"
DATABASE = f"cache-{LAYOUT}.sqlite3"
MEMORY_ENTRIES = 20000
BUSY_SECONDS = 30.0
"""How long a write waits for another build's transaction before giving up (the entries are lost, not the build)."""
KEEP_DAYS = 30
"""Entries no build has used for this many days are removed."""

_memory: dict[tuple[str, str, str], Any] = {}
"""Entries this process has read or written: `deckgen serve` rebuilds without touching the disk."""
_pending: dict[str, list[tuple[str, str, bytes]]] = {}
"""Entries put but not yet written, by database path."""
_touched: dict[str, list[tuple[str, str]]] = {}
"""Entries read whose day of last use is before today, by database path: marked used at the next flush."""
_pending_pid = os.getpid()
_local = threading.local()
"""Each thread's (and, after a fork, each process's) own database connections: SQLite asks for that."""


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


def _today() -> int:
    import time

    return int(time.time() // 86400)


def _own_pending() -> None:
    """In a forked child, forget what the parent had pending: that is the parent's to write."""
    global _pending_pid
    if _pending_pid != os.getpid():
        _pending.clear()
        _touched.clear()
        _pending_pid = os.getpid()


def make_key(*parts: str | bytes) -> str:
    """A key from the parts that determine an entry; deckgen's own code is always one of them."""
    digest = hashlib.sha256(_code_fingerprint())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """Pickled values by key, in one namespace of the cache under `root`; `Cache(None, …)` caches nothing."""

    def __init__(self, root: Path | None, namespace: str) -> None:
        self.database = str(root / DATABASE) if root is not None else None
        self.namespace = namespace

    @property
    def enabled(self) -> bool:
        return self.database is not None

    def get(self, key: str) -> Any | None:
        if self.database is None:
            return None
        remembered = _memory.get((self.database, self.namespace, key))
        if remembered is not None:
            return remembered
        connection = _connection(self.database)
        if connection is None:
            return None
        try:
            row = connection.execute("SELECT value, used FROM entries WHERE namespace = ? AND key = ?", (self.namespace, key)).fetchone()
            value = pickle.loads(row[0]) if row is not None else None
        except Exception:  # a locked, damaged or foreign entry is a miss; it will be written again
            return None
        if value is not None:
            self._remember(key, value)
            if row[1] < _today():
                _own_pending()
                _touched.setdefault(self.database, []).append((self.namespace, key))
        return value

    def _remember(self, key: str, value: Any) -> None:
        if len(_memory) >= MEMORY_ENTRIES:
            _memory.clear()  # a long serve session of huge decks: start over rather than grow
        _memory[(str(self.database), self.namespace, key)] = value

    def put(self, key: str, value: Any) -> None:
        """Keep `value` under `key`; it reaches the disk with the next `flush`."""
        if self.database is None:
            return
        self._remember(key, value)
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # a value that cannot be kept only costs time
        _own_pending()
        _pending.setdefault(self.database, []).append((self.namespace, key, data))

    def flush(self) -> None:
        """Write every entry put so far (of any namespace of this cache), in one transaction.

        Entries read since are marked used today, and once a day the long-unused ones are removed.
        """
        if self.database is None:
            return
        _own_pending()
        rows = _pending.pop(self.database, [])
        touched = _touched.pop(self.database, [])
        if not rows and not touched:
            return
        connection = _connection(self.database)
        if connection is None:
            return
        today = _today()
        try:
            with connection:  # one transaction: committed, or rolled back on error
                connection.executemany(
                    "INSERT OR REPLACE INTO entries (namespace, key, value, used) VALUES (?, ?, ?, ?)",
                    [(namespace, key, data, today) for namespace, key, data in rows],
                )
                connection.executemany(
                    "UPDATE entries SET used = ? WHERE namespace = ? AND key = ?", [(today, namespace, key) for namespace, key in touched]
                )
                _remove_unused(connection, today)
        except Exception:
            pass


def _remove_unused(connection: sqlite3.Connection, today: int) -> None:
    """Once a day: remove the entries no build has used for `KEEP_DAYS` days."""
    row = connection.execute("SELECT value FROM meta WHERE name = 'pruned'").fetchone()
    if row is not None and int(row[0]) >= today:
        return
    connection.execute("DELETE FROM entries WHERE used < ?", (today - KEEP_DAYS,))
    connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('pruned', ?)", (today,))


def _connection(database: str) -> sqlite3.Connection | None:
    """This thread's connection to the cache database, opened on first use; None when it cannot be."""
    connections: dict[str, sqlite3.Connection | None] | None = getattr(_local, "connections", None)
    if connections is None or getattr(_local, "pid", None) != os.getpid():
        # After a fork the parent's connections are never touched: SQLite forbids using them.
        connections = _local.connections = {}
        _local.pid = os.getpid()
    if database not in connections:
        connections[database] = _open(database)
    return connections[database]


def _open(database: str) -> sqlite3.Connection | None:
    try:
        import sqlite3
    except ImportError:  # a Python built without SQLite: build without a cache
        return None

    for attempt in (1, 2):
        connection = None
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(database, timeout=BUSY_SECONDS, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
            # No fsync, not even at checkpoints (a third of the write time here): a cache may lose
            # entries, or itself, when the machine crashes; a damaged one is set aside and begun anew.
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS entries (namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
                " used INTEGER NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID"
            )
            connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            return connection
        except sqlite3.DatabaseError as exc:
            if connection is not None:
                connection.close()
            damaged = not isinstance(exc, sqlite3.OperationalError)  # not a database, or a damaged one
            if attempt == 2 or not damaged:
                return None  # locked or unwritable: build without a cache
            _set_aside(database)
        except OSError:
            return None
    return None


def _set_aside(database: str) -> None:
    """Remove a damaged database (and its journal files) so it can begin anew."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(database + suffix)
