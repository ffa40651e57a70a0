"""A content-addressed cache in the user cache folder, safe for concurrent builds.

Entries are keyed by the SHA-256 of everything that determines their content (the input bytes,
the settings, deckgen's code and the versions of the libraries that shape them: `library_versions`),
so an entry is never stale: a change makes a new key. They live in one SQLite database (Python's own
`sqlite3`): a stage puts its new entries and writes them together, in one transaction
(`Cache.flush`). One file per entry cost up to a millisecond each to create on a busy disk, which
doubled a 330-file deck's cold build.

Every value is stored with a digest of its namespace, key and bytes, checked when it is read: a
value damaged on disk (a bad sector, a crash without fsync, a stray write) is a miss, recomputed,
never served. Two builds at once are safe (SQLite's locking, WAL mode, a busy timeout); a value that
does not read back is a miss; a database that SQLite finds damaged is set aside and begun anew, and
if even that fails the build goes on without a cache. Each entry carries the day it was last used;
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

from .version import __version__

if TYPE_CHECKING:
    import sqlite3

LAYOUT = "v4"
"""The database's layout; another layout is another file (the older ones are removed when it is made)."""
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


VERSIONLESS_LIBRARIES = ("qrcode",)
"""Libraries without a `__version__`, imported only where they are used (qrcode: in the process
that makes codes): told apart by their files' sizes and times, found without importing them."""


@lru_cache(maxsize=16)
def library_version(module: str) -> str:
    """The installed version of a library that shapes cached values, for their keys.

    Its `__version__` (the modules named here are imported by the stage that keys with them, or
    cost little to import); `importlib.metadata` would cost more than a small build's cache reads.
    """
    from importlib import import_module
    from importlib.util import find_spec

    try:
        spec = find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return f"{module} not installed"
    if module in VERSIONLESS_LIBRARIES:
        package = Path(spec.origin).parent
        stamps = sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in package.glob("*.py"))
        return f"{module} {stamps}"
    return f"{module} {getattr(import_module(module), '__version__', 'unknown')}"


def library_versions(*modules: str) -> str:
    """A key part naming the versions of the libraries that shape a value: an upgrade never reads old entries."""
    return "\0".join(library_version(module) for module in modules)


def _digest(namespace: str, key: str, data: bytes) -> bytes:
    """What a stored value is checked against when it is read back."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (namespace.encode(), key.encode(), data):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


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
            query = "SELECT value, digest, used FROM entries WHERE namespace = ? AND key = ?"
            row = connection.execute(query, (self.namespace, key)).fetchone()
        except Exception as exc:  # locked, or damaged (then set aside): a miss
            _after_failure(self.database, exc)
            return None
        if row is None:
            return None
        data, digest, used = row
        if not isinstance(data, bytes) or digest != _digest(self.namespace, key, data):
            return None  # damaged on disk: a miss, and the value made again replaces it
        try:
            value = pickle.loads(data)
        except Exception:  # written by another deckgen: a miss
            return None
        if value is not None:
            self._remember(key, value)
            if used < _today():
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
        The thread's connection is closed then: a stage ends with a flush, and a thread that ends
        (a program building from a worker thread) leaves no database open behind it.
        """
        try:
            self._write_pending()
        finally:
            if self.database is not None:
                _close(self.database)

    def _write_pending(self) -> None:
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
                    "INSERT OR REPLACE INTO entries (namespace, key, value, digest, used) VALUES (?, ?, ?, ?, ?)",
                    [(namespace, key, data, _digest(namespace, key, data), today) for namespace, key, data in rows],
                )
                connection.executemany(
                    "UPDATE entries SET used = ? WHERE namespace = ? AND key = ?", [(today, namespace, key) for namespace, key in touched]
                )
                _remove_unused(connection, today)
        except Exception as exc:  # the entries are lost, not the build
            _after_failure(self.database, exc)


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


def _close(database: str) -> None:
    connections: dict[str, sqlite3.Connection | None] = getattr(_local, "connections", {})
    connection = connections.pop(database, None) if getattr(_local, "pid", None) == os.getpid() else None
    if connection is not None:
        connection.close()


def _open(database: str) -> sqlite3.Connection | None:
    try:
        import sqlite3
    except ImportError:  # a Python built without SQLite: build without a cache
        return None

    for attempt in (1, 2):
        connection = None
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            if not os.path.exists(database):
                _remove_other_layouts(database)
            connection = sqlite3.connect(database, timeout=BUSY_SECONDS, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
            # No fsync, not even at checkpoints (a third of the write time here): a cache may lose
            # entries, or itself, when the machine crashes; a damaged one is set aside and begun anew.
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS entries (namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
                " digest BLOB NOT NULL, used INTEGER NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID"
            )
            connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            return connection
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:  # SQLite's message may quote damaged bytes
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


def _after_failure(database: str, exc: Exception) -> None:
    """After a failed read or write: a database SQLite finds damaged is set aside, so the next use begins anew."""
    import sqlite3

    damaged = isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)
    if damaged or isinstance(exc, UnicodeDecodeError):  # SQLite's message may quote damaged bytes
        connections: dict[str, sqlite3.Connection | None] = getattr(_local, "connections", {})
        connection = connections.pop(database, None)
        if connection is not None:
            with contextlib.suppress(sqlite3.Error):
                connection.close()
        _set_aside(database)


def _remove_other_layouts(database: str) -> None:
    """Remove the databases of older layouts beside a new one, and the compiled templates older
    deckgens kept in files (`v1/`): nothing reads them any more."""
    import shutil

    current = Path(database)
    for path in current.parent.glob("cache-v*.sqlite3*"):
        if not path.name.startswith(current.name):
            with contextlib.suppress(OSError):
                path.unlink()
    shutil.rmtree(current.parent / "v1", ignore_errors=True)
