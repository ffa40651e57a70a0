"""Worker processes: one pool, whose workers start by fork where that is safe and as fresh
interpreters (spawn) elsewhere; the same results either way, from any thread, with every warning an
error; and none outlives its build, however the build ends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import talk, write_deck

import deckgen
from deckgen import parallel
from deckgen.parallel import WorkerPool
from deckgen.worker import in_worker

METHODS = ["fork", "spawn"] if sys.platform.startswith("linux") else ["spawn"]


def usable(method: str) -> str:
    """`method`, or a skip when it is fork and this process has threads (left by another test)."""
    if method == "fork" and parallel.start_method() != "fork":
        pytest.skip("this process has threads now: forking it is not safe")
    return method


def with_pid(item: int) -> tuple[int, int]:
    return item, os.getpid()


def fails_in_workers(item: int) -> int:
    if in_worker():
        raise RuntimeError("a worker's failure")
    return item * 2


def fails_at_seven(item: int) -> int:
    if item == 7:
        raise ValueError("item 7 is bad")
    return item


def big_deck(root: Path, talks: int) -> Path:
    """A deck of `talks` talks, each with a video of its own: a QR code each to make."""
    files: dict[str, str | bytes] = {
        f"slides/{i:04d}.md": talk(f"Talk {i}", video=f"https://example.com/v/{i}", body=f"# Talk {i}\n\n- a point\n- [a link](https://example.org/{i})\n")
        for i in range(talks)
    }
    return write_deck(root, "title: Big\n", files)


@pytest.mark.parametrize("method", METHODS)
def test_the_work_is_shared_with_a_worker_and_comes_back_in_order(method: str) -> None:
    with WorkerPool(2, usable(method)) as pool:
        done = pool.map(with_pid, list(range(400)), work_seconds=1.0)
    assert [item for item, _ in done] == list(range(400))
    by_workers = [pid for _, pid in done if pid != os.getpid()]
    assert by_workers, "no item was done by a worker"
    assert len(set(by_workers)) == 1  # one worker besides this process
    assert pool.items_by_workers == len(by_workers)


@pytest.mark.parametrize("method", METHODS)
def test_a_chunk_a_worker_fails_is_done_by_the_caller(method: str) -> None:
    with WorkerPool(2, usable(method)) as pool:
        assert pool.map(fails_in_workers, list(range(100)), work_seconds=1.0) == [i * 2 for i in range(100)]
    assert pool.items_by_workers == 0


@pytest.mark.parametrize("method", METHODS)
def test_an_error_reaches_the_caller_as_without_workers(method: str) -> None:
    with WorkerPool(2, usable(method)) as pool, pytest.raises(ValueError, match="item 7 is bad"):
        pool.map(fails_at_seven, list(range(100)), work_seconds=1.0)


def test_little_work_starts_no_worker() -> None:
    with WorkerPool(2, "spawn") as pool:
        assert pool.map(with_pid, [1, 2, 3], work_seconds=0.001) == [(1, os.getpid()), (2, os.getpid()), (3, os.getpid())]
        assert pool._workers is None


@pytest.mark.parametrize("method", METHODS)
def test_a_deck_built_with_workers_is_the_deck_built_without(method: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deck = big_deck(tmp_path / "deck", 300)
    monkeypatch.setattr(parallel, "MAX_PROCESSES", 1)
    alone = deckgen.build(deck, tmp_path / "alone", use_cache=False).index.read_bytes()
    monkeypatch.setattr(parallel, "MAX_PROCESSES", 2)
    method = usable(method)
    monkeypatch.setattr(parallel, "start_method", lambda: method)
    shared: list[int] = []
    real_close = WorkerPool.close

    def close(pool: WorkerPool) -> None:
        shared.append(pool.items_by_workers)
        real_close(pool)

    monkeypatch.setattr(WorkerPool, "close", close)
    together = deckgen.build(deck, tmp_path / "together", use_cache=False).index.read_bytes()
    assert sum(shared) > 0, "the workers did nothing"
    assert together == alone


THREADED_PROGRAM = """
import json, sys, threading
print("the program runs")  # no `if __name__ == "__main__"`: a worker must never run this again
import deckgen
from deckgen import parallel

used = []
real_close = parallel.WorkerPool.close
def close(pool):
    used.append((pool.method, pool.items_by_workers))
    real_close(pool)
parallel.WorkerPool.close = close

done = threading.Event()
busy = threading.Thread(target=done.wait)  # the program stays threaded while it builds
busy.start()
results = []
builder = threading.Thread(target=lambda: results.append(deckgen.build(sys.argv[1], sys.argv[2])))
builder.start()
builder.join()
done.set()
busy.join()
print(results[0].summary())
print(json.dumps(used))
"""


def test_a_build_from_a_thread_of_a_threaded_program_with_every_warning_an_error(tmp_path: Path) -> None:
    deck = big_deck(tmp_path / "deck", 300)
    program = tmp_path / "program.py"
    program.write_text(textwrap.dedent(THREADED_PROGRAM))
    env = {**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    reports = []
    for _ in range(2):  # a cold build, then one from the cache
        command = [sys.executable, "-W", "error", str(program), str(deck), str(tmp_path / "out")]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert done.stdout.count("the program runs") == 1
        reports.append(json.loads(done.stdout.splitlines()[-1]))
    [(method, items)] = reports[0]
    assert method == "spawn" and items > 0  # the cold build shared its work with fresh interpreters
    alone = deckgen.build(deck, tmp_path / "alone", use_cache=False).index.read_bytes()
    assert (tmp_path / "out" / "index.html").read_bytes() == alone


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table in /proc")
@pytest.mark.parametrize("started", ["command (fork)", "thread (spawn)"])
def test_a_build_killed_mid_way_leaves_no_worker_behind(tmp_path: Path, started: str) -> None:
    deck = big_deck(tmp_path / "deck", 900)
    env = {**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    if started.startswith("command"):
        command = [sys.executable, "-m", "deckgen", "build", str(deck), "-o", str(tmp_path / "out")]
    else:
        program = tmp_path / "program.py"
        program.write_text(textwrap.dedent(THREADED_PROGRAM))
        command = [sys.executable, str(program), str(deck), str(tmp_path / "out")]
    build = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while not workers and build.poll() is None and time.monotonic() < deadline:
        workers = children_of(build.pid)
        time.sleep(0.002)
    assert workers, "the build started no worker"
    time.sleep(0.05)  # the workers at work
    assert build.poll() is None, "the build ended before it could be killed"
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = [pid for pid in workers if running(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == [], "workers outlived their build"
