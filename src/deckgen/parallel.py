"""Spread CPU-bound work over worker processes, only when there is enough of it to pay.

One strategy: a pool of worker processes that read pickled jobs from a pipe and answer on another,
while the calling thread takes its share of the same chunks. How a worker starts depends on what is
safe here (`start_method`):

- `fork` on Linux when this process has one thread: the worker starts warm, with every module the
  parent has imported;
- `spawn` everywhere else: a fresh interpreter (`sys.executable -c …`). A fork copies only the
  calling thread, and a lock another thread held stays locked in the child, so a threaded program
  (`deckgen serve`, or one calling `deckgen.build()` from a thread) spawns, as macOS and Windows
  do. Unlike multiprocessing's spawn, a worker never runs the caller's main script again.

Either way a worker whose parent dies, however it dies, reads the end of its job pipe and exits:
none is left behind. A chunk a worker fails is done by the caller, so results and errors are the
same as without workers.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any, Generic, TypeVar

from .worker import serve_jobs

In = TypeVar("In")
Out = TypeVar("Out")
MAX_PROCESSES = 4
"""Processes at work, the calling one included: more than the cores only adds start-up cost."""
START_SECONDS = {"fork": 0.005, "spawn": 0.05}
"""What a worker costs to start, by start method (see docs/benchmark.md)."""
PAYBACK = 2
"""A map uses workers when its work is this many times their start."""
CHUNK_SECONDS = 0.015
"""The least work handed over at a time: each hand-over waits for the calling thread to let go of the GIL."""
CHUNKS_PER_PROCESS = 4
"""Enough chunks that the processes finish close together."""

_BOOTSTRAP = """
import os, pickle, sys
try:
    sys.path[:] = pickle.load(sys.stdin.buffer)
    from deckgen.worker import serve_jobs
except BaseException:  # the parent is gone already, or this is not its deckgen: it does the work itself
    os._exit(1)
serve_jobs()
"""


def usable_cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def start_method() -> str:
    """`fork` where it is safe (Linux, one thread in this process), else `spawn`."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return "spawn"  # macOS's own libraries are not safe in a forked child; Windows cannot fork
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return "spawn"
    return "fork" if threads == 1 else "spawn"


class _Worker:
    """One worker process and its two pipes."""

    def __init__(self, method: str, siblings: Sequence[_Worker]) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.pid = 0
        if method == "fork":
            self._fork(siblings)
        else:
            self._spawn()

    def _fork(self, siblings: Sequence[_Worker]) -> None:
        jobs_in, jobs_out = os.pipe()
        answers_in, answers_out = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: its siblings' pipes are not its own (their ends must close when the parent's do)
            try:
                for fd in (jobs_out, answers_in, *(fd for sibling in siblings for fd in sibling.fds())):
                    os.close(fd)
                serve_jobs(os.fdopen(jobs_in, "rb"), os.fdopen(answers_out, "wb"))
            finally:
                os._exit(0)
        os.close(jobs_in)
        os.close(answers_out)
        self.pid = pid
        self.jobs: IO[bytes] = os.fdopen(jobs_out, "wb")
        self.answers: IO[bytes] = os.fdopen(answers_in, "rb")

    def _spawn(self) -> None:
        warnings = [f"-W{option}" for option in sys.warnoptions]  # a caller's `-W error` holds in the workers too
        process = subprocess.Popen([sys.executable, *warnings, "-c", _BOOTSTRAP], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.process, self.pid = process, process.pid
        self.jobs = process.stdin  # type: ignore[assignment]
        self.answers = process.stdout  # type: ignore[assignment]
        try:
            self.send(sys.path)  # the worker imports deckgen from where this process did
        except OSError:
            self.stop()
            raise

    def fds(self) -> tuple[int, int]:
        return self.jobs.fileno(), self.answers.fileno()

    def send(self, message: object) -> None:
        self.jobs.write(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
        self.jobs.flush()

    def run(self, func: Callable[[Any], Any], items: Sequence[Any]) -> list[Any] | None:
        """The job's results, or None if the worker failed it (or died)."""
        try:
            self.send((func, items))
            done, results = pickle.load(self.answers)
        except Exception:
            return None
        return results if done and isinstance(results, list) and len(results) == len(items) else None

    def stop(self) -> None:
        # Killed first: an idle worker holds nothing worth a goodbye, one still starting is not waited
        # for, and a thread reading its answer meets the end of the pipe instead of waiting for it.
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.kill()
            self.process.wait()
        else:
            with contextlib.suppress(OSError):
                os.kill(self.pid, 9)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        for pipe in (self.jobs, self.answers):
            with contextlib.suppress(OSError):
                pipe.close()


class _Job(Generic[In, Out]):
    """One `map`: its chunks, taken in turn by the calling thread and by each worker's feeding thread."""

    def __init__(self, func: Callable[[In], Out], chunks: list[Sequence[In]]) -> None:
        self.func = func
        self.chunks = chunks
        self.todo: queue.SimpleQueue[int] = queue.SimpleQueue()
        for index in range(len(chunks)):
            self.todo.put(index)
        self.results: dict[int, list[Out]] = {}
        self.by_workers: list[int] = []
        """The chunks the workers did."""

    def next_chunk(self) -> int | None:
        try:
            return self.todo.get_nowait()
        except queue.Empty:
            return None

    def run_here(self) -> None:
        while (index := self.next_chunk()) is not None:
            self.results[index] = [self.func(item) for item in self.chunks[index]]

    def feed(self, worker: _Worker, broken: list[_Worker]) -> None:
        """Give `worker` chunks until none is left; a chunk it fails goes back to be done by the caller."""
        while (index := self.next_chunk()) is not None:
            results = worker.run(self.func, self.chunks[index])
            if results is None:
                self.todo.put(index)
                broken.append(worker)
                return
            self.results[index] = results
            self.by_workers.append(index)

    def abandon(self) -> None:
        while self.next_chunk() is not None:
            pass


class WorkerPool:
    """Worker processes for one build: started by the first `map` worth them, stopped on exit.

    `processes` counts the calling one too (default: the usable cores, at most `MAX_PROCESSES`);
    `method` is how workers start (default: `start_method()` when the first starts).
    """

    def __init__(self, processes: int | None = None, method: str | None = None) -> None:
        self.processes = processes if processes is not None else min(usable_cores(), MAX_PROCESSES)
        self.method = method
        self._workers: list[_Worker] | None = None
        self.items_by_workers = 0
        """Items done by the workers so far (the rest were done by the caller)."""

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def map(self, func: Callable[[In], Out], items: Sequence[In], *, work_seconds: float) -> list[Out]:
        """`[func(i) for i in items]`, in chunks shared with the workers when the work (`work_seconds`
        if done here) pays for their start. `func` and the items must pickle (a module-level function
        or a `partial` of one; frozen data)."""
        chunk_count = min(self.processes * CHUNKS_PER_PROCESS, int(work_seconds / CHUNK_SECONDS), len(items))
        workers = self._start() if chunk_count >= 2 and self._worth_it(work_seconds) else []
        if not workers:
            return [func(item) for item in items]
        size = -(-len(items) // chunk_count)
        job: _Job[In, Out] = _Job(func, [items[i : i + size] for i in range(0, len(items), size)])
        broken: list[_Worker] = []
        feeders = [threading.Thread(target=job.feed, args=(worker, broken), name="deckgen-feeder", daemon=True) for worker in workers]
        for feeder in feeders:
            feeder.start()
        try:
            job.run_here()
        except BaseException:
            job.abandon()
            self.close()  # the workers stop at once; their feeders meet the end of the pipe
            raise
        finally:
            for feeder in feeders:
                feeder.join()
        job.run_here()  # chunks a broken worker gave back
        for worker in broken:
            self._retire(worker)
        self.items_by_workers += sum(len(job.chunks[index]) for index in job.by_workers)
        return [result for index in range(len(job.chunks)) for result in job.results[index]]

    def _worth_it(self, work_seconds: float) -> bool:
        if self.processes < 2:
            return False
        if self._workers is not None:  # started already: only the hand-over is left to pay
            return bool(self._workers) and work_seconds >= PAYBACK * START_SECONDS["fork"]
        return work_seconds >= PAYBACK * START_SECONDS[self.method or start_method()]

    def _start(self) -> list[_Worker]:
        """Start every worker at once, before any feeding thread: a fork must find this process with one thread."""
        if self._workers is None:
            self.method = self.method or start_method()
            self._workers = []
            try:
                for _ in range(self.processes - 1):
                    self._workers.append(_Worker(self.method, self._workers))
            except (OSError, ValueError):  # no interpreter to start (an embedded Python): the work is done here
                pass
        return self._workers

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        if self._workers is not None and worker in self._workers:
            self._workers.remove(worker)

    def close(self) -> None:
        """Stop every worker (idle by then, or abandoned): nothing outlives the build."""
        workers, self._workers = self._workers or [], None
        for worker in workers:
            worker.stop()
