"""The cache: entries survive the process, damage is a miss, and builds at once are safe."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import talk, write_deck

import deckgen
from deckgen import cache as cache_module
from deckgen.cache import DATABASE, Cache
from deckgen.themes import make_environment

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


def build_page(deck: Path, out: Path, cache: Path, **env: str) -> str:
    """Build in a process of its own (nothing remembered in memory); the page."""
    done = subprocess.run(
        [sys.executable, "-m", "deckgen", "build", str(deck), "-o", str(out)],
        env={**os.environ, "DECKGEN_CACHE_DIR": str(cache), **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return (out / "index.html").read_text(encoding="utf-8")


def settle_database(cache: Path) -> bytes:
    """Move every entry into the database file itself (out of the write-ahead log); its bytes."""
    with sqlite3.connect(cache / DATABASE) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return (cache / DATABASE).read_bytes()


SLIDE_TEXT = "The quick brown fox jumps"


def slide_deck(root: Path) -> Path:
    files: dict[str, str | bytes] = {
        f"slides/{i}.md": talk(f"Talk {i}", video=f"https://example.com/{i}", body=f"# {SLIDE_TEXT} {i}\n") for i in range(3)
    }
    return write_deck(root, "title: T\n", files)


def test_a_value_damaged_on_disk_is_never_served(tmp_path: Path) -> None:
    deck, cache = slide_deck(tmp_path / "deck"), tmp_path / "cache"
    page = build_page(deck, tmp_path / "out1", cache)
    data = settle_database(cache)
    assert data.count(b"quick brown") >= 3  # the parsed files and the rendered slides hold the text
    (cache / DATABASE).write_bytes(data.replace(b"quick brown", b"quick BROWN"))  # a few bits flipped, the file still valid
    for out in ("out2", "out3"):  # the build after it, and the next one too
        again = build_page(deck, tmp_path / out, cache)
        assert "BROWN" not in again
        assert again == page


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_in_the_database_pages_are_a_miss_never_a_wrong_deck(tmp_path: Path, seed: int) -> None:
    deck, cache = slide_deck(tmp_path / "deck"), tmp_path / "cache"
    page = build_page(deck, tmp_path / "out1", cache)
    data = bytearray(settle_database(cache))
    noise = random.Random(seed)
    for _ in range(40):  # the 100-byte header stays intact: SQLite still opens the file
        at = noise.randrange(100, len(data) - 16)
        data[at : at + 16] = noise.randbytes(16)
    (cache / DATABASE).write_bytes(bytes(data))
    assert build_page(deck, tmp_path / "out2", cache) == page
    assert build_page(deck, tmp_path / "out3", cache) == page


def test_a_damaged_table_name_is_a_damaged_database_not_an_internal_error(tmp_path: Path) -> None:
    """SQLite's message about a damaged schema quotes its bytes, which need not be UTF-8."""
    cache = Cache(tmp_path, "parts")
    cache.put("k", "v")
    cache.flush()
    data = (tmp_path / DATABASE).read_bytes()
    assert b"tableentriesentries" in data
    (tmp_path / DATABASE).write_bytes(data.replace(b"tableentriesentries", b"table" + b"\xbc" * 14))
    forget_memory()
    assert Cache(tmp_path, "parts").get("k") is None  # a miss; the database is set aside and begun anew
    cache.put("k", "w")
    cache.flush()
    forget_memory()
    assert Cache(tmp_path, "parts").get("k") == "w"


def count_all(root: Path) -> dict[str, int]:
    with sqlite3.connect(root / DATABASE) as db:
        return dict(db.execute("SELECT namespace, count(*) FROM entries GROUP BY namespace").fetchall())


@pytest.mark.parametrize(
    ("library", "namespaces"),
    [("yaml", {"parts"}), ("markdown_it", {"parts", "slides"}), ("pygments", {"slides"}), ("jinja2", {"templates"})],
)
def test_the_key_carries_the_version_of_each_library_that_shapes_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library: str, namespaces: set[str]
) -> None:
    theme = {"ours/slides/section.html": '{% extends "base/slides/section.html" %}'}
    deck = write_deck(tmp_path / "deck", "title: T\ntheme: ours\n", {"slides/1.md": "# One\n\n```python\nx = 1\n```\n", **theme})
    cache = tmp_path / "cache"
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(cache))
    deckgen.build(deck, tmp_path / "out1")
    before = count_all(cache)
    assert namespaces <= before.keys()
    module = __import__(library)
    monkeypatch.setattr(module, "__version__", "0.0.1-another", raising=False)
    monkeypatch.setattr(cache_module, "_memory", {})
    cache_module.library_version.cache_clear()
    make_environment.cache_clear()  # as a new process: no template compiled yet
    try:
        deckgen.build(deck, tmp_path / "out2")
    finally:
        cache_module.library_version.cache_clear()
    after = count_all(cache)
    assert {n for n in after if after[n] > before[n]} == namespaces  # new entries, under new keys, for these only


def test_another_markdown_it_renders_the_slides_again(tmp_path: Path) -> None:
    deck, cache = slide_deck(tmp_path / "deck"), tmp_path / "cache"
    assert "quick brown" in build_page(deck, tmp_path / "out1", cache)
    import markdown_it

    copy = tmp_path / "libs" / "markdown_it"
    shutil.copytree(Path(markdown_it.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    init = copy / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8").replace(f'"{markdown_it.__version__}"', '"99.0.0"'), encoding="utf-8")
    (copy / "renderer.py").write_text(
        (copy / "renderer.py").read_text(encoding="utf-8")
        + "\n_render = RendererHTML.render\nRendererHTML.render = lambda *a: _render(*a).replace('brown', 'upgraded')\n",
        encoding="utf-8",
    )
    path = os.pathsep.join(filter(None, [str(tmp_path / "libs"), os.environ.get("PYTHONPATH")]))
    upgraded = build_page(deck, tmp_path / "out2", cache, PYTHONPATH=path)
    assert upgraded.count("quick upgraded") == 3  # rendered anew by it, not read from the cache
