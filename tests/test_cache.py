"""The cache: entries survive the process, damage is a miss, and builds at once are safe."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from helpers import talk, write_deck

import deckgen
from deckgen import cache as cache_module
from deckgen.cache import DATABASE, Cache

ROOT = Path(__file__).resolve().parents[1]


def forget_memory() -> None:
    """As a new process would: entries come back from the database, not from this one's memory."""
    cache_module._memory.clear()


def count(root: Path, namespace: str) -> int:
    with sqlite3.connect(root / DATABASE) as db:
        return int(db.execute("SELECT count(*) FROM entries WHERE namespace = ?", (namespace,)).fetchone()[0])


def test_entries_are_written_at_flush_and_read_back(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "parts")
    cache.put("k1", ("a", 1))
    cache.put("k2", ["b"])
    assert not (tmp_path / DATABASE).exists() or count(tmp_path, "parts") == 0  # nothing written before the flush
    cache.flush()
    forget_memory()
    assert Cache(tmp_path, "parts").get("k1") == ("a", 1)
    assert Cache(tmp_path, "parts").get("k2") == ["b"]
    assert Cache(tmp_path, "slides").get("k1") is None  # namespaces are apart
    assert count(tmp_path, "parts") == 2


def test_a_damaged_database_is_set_aside_and_begun_anew(tmp_path: Path) -> None:
    (tmp_path / DATABASE).write_bytes(b"this is not a database" * 100)
    forget_memory()
    cache_module._local.connections = {}
    cache = Cache(tmp_path, "parts")
    assert cache.get("k") is None
    cache.put("k", "v")
    cache.flush()
    forget_memory()
    assert Cache(tmp_path, "parts").get("k") == "v"


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    deck = write_deck(tmp_path / "deck", "title: T\nurl: https://example.com/d\n", {"slides/1.md": talk("A", video="https://example.com/v")})
    env = {**os.environ, "DECKGEN_CACHE_DIR": str(blocked / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "deckgen", "build", str(deck), "-o", str(tmp_path / "out")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "index.html").is_file()


def test_builds_at_once_share_the_cache_safely(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"slides/{i:02d}.md": talk(f"Talk {i}", video=f"https://example.com/v/{i}", body=f"# Slide {i}\n") for i in range(30)
    }
    deck = write_deck(tmp_path / "deck", "title: At once\n", files)
    env = {**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "deckgen", "build", str(deck), "-o", str(tmp_path / f"out{n}")], env=env, stderr=subprocess.PIPE
        )
        for n in range(3)
    ]
    for build in builds:
        assert build.wait(timeout=120) == 0, build.stderr.read() if build.stderr else ""
    pages = {(tmp_path / f"out{n}" / "index.html").read_bytes() for n in range(3)}
    assert len(pages) == 1
    assert count(tmp_path / "cache", "parts") == 30
    assert count(tmp_path / "cache", "slides") == 30
    assert count(tmp_path / "cache", "qr") == 30
    # A later build reads them back: the same page, and nothing new written.
    forget_memory()
    result = deckgen.build(deck, tmp_path / "out-later")
    assert result.index.read_bytes() == pages.pop()
    assert count(tmp_path / "cache", "parts") == 30


def test_a_forked_child_writes_only_its_own_entries(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "qr")
    cache.put("parent", 1)
    pid = os.fork()
    if pid == 0:  # the child: its parent's pending entry is not its to write
        status = 1
        try:
            child = Cache(tmp_path, "qr")
            child.put("child", 2)
            child.flush()
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert status == 0
    assert count(tmp_path, "qr") == 1  # the child's entry only
    cache.flush()
    assert count(tmp_path, "qr") == 2


def used_days(root: Path) -> dict[str, int]:
    with sqlite3.connect(root / DATABASE) as db:
        return dict(db.execute("SELECT key, used FROM entries").fetchall())


def test_entries_unused_for_a_month_are_removed_and_used_ones_kept(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    day = [20_000]
    monkeypatch.setattr(cache_module, "_today", lambda: day[0])
    cache = Cache(tmp_path, "slides")
    for key in ("old", "read", "fresh"):
        cache.put(key, key)
    cache.flush()
    assert used_days(tmp_path) == {"old": 20_000, "read": 20_000, "fresh": 20_000}
    day[0] += 20  # twenty days later, a build reads one entry: it is marked used that day
    forget_memory()
    assert Cache(tmp_path, "slides").get("read") == "read"
    Cache(tmp_path, "slides").flush()
    assert used_days(tmp_path)["read"] == 20_020
    day[0] += 15  # thirty-five days after the first build: the entries nobody used since are gone
    cache.put("fresh", "fresh")
    cache.flush()
    assert used_days(tmp_path) == {"read": 20_020, "fresh": 20_035}
    forget_memory()
    assert Cache(tmp_path, "slides").get("old") is None
