"""Spread CPU-bound work over the machine's cores, only when there is enough of it to pay."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")
MAX_WORKERS = 4  # more than the cores only adds start-up cost


def map_forked(func: Callable[[In], Out], items: Sequence[In], worth_it: bool) -> list[Out]:
    """`[func(i) for i in items]`, on forked worker processes when the caller says it is `worth_it`.

    Forked workers inherit the parent's imported modules, so they start warm; where fork is not
    available (or there is one core) the work runs here, in order, with the same result.
    """
    cores = os.cpu_count() or 1
    if not worth_it or len(items) < 2 or cores < 2 or not _single_threaded():
        return [func(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:
        return [func(item) for item in items]
    workers = min(cores, MAX_WORKERS)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(func, items, chunksize=max(4, len(items) // (workers * 4))))


def _single_threaded() -> bool:
    """Fork only a single-threaded process: `deckgen serve` has threads, one of which may hold a lock."""
    import threading

    return threading.active_count() == 1


def start_forked(func: Callable[[In], Out], item: In, in_child: Callable[[], None] | None = None) -> Callable[[], Out]:
    """Begin `func(item)` in a forked child now; the returned function waits for its result.

    Lets independent work overlap: the parent goes on with its own. A bare fork and a pipe (a
    process pool costs more than the work here). Without fork, in a threaded process, or if the
    child fails, `func(item)` runs in this process when the result is asked for. `in_child` runs
    first in the child only (what is safe in a process that exits when done).
    """
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork") or not _single_threaded():
        return lambda: func(item)
    import pickle

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, send it back, and leave without the parent's clean-up
        status = 1
        try:
            os.close(reader)
            if in_child is not None:
                in_child()
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(pickle.dumps(func(item), protocol=pickle.HIGHEST_PROTOCOL))
            status = 0
        finally:
            os._exit(status)
    os.close(writer)

    def result() -> Out:
        with os.fdopen(reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status == 0 and data:
            with contextlib.suppress(Exception):
                return pickle.loads(data)  # type: ignore[no-any-return]
        return func(item)

    return result
