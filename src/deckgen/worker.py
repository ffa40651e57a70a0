"""The worker side of `parallel.py`: a process that runs the jobs read from a pipe until its parent is done, or gone.

Imports only what a worker needs before its first job, so it starts in the time of a bare interpreter.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import IO

_in_worker = False


def in_worker() -> bool:
    """Whether this process is a worker (one that exits when its parent is done with it)."""
    return _in_worker


def serve_jobs(jobs: IO[bytes] | None = None, answers: IO[bytes] | None = None) -> None:
    """Run each `(func, items)` job from `jobs` (default stdin); answer on `answers` (default stdout)
    `(True, results)`, or `(False, None)` when it failed. Never returns."""
    import signal

    global _in_worker
    _in_worker = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    if jobs is None or answers is None:
        jobs, answers = sys.stdin.buffer, sys.stdout.buffer
        sys.stdout = sys.stderr  # stdout carries the answers: a stray print must not garble them
    while True:
        try:
            func, items = pickle.load(jobs)
        except Exception:  # the end of stdin: the parent is done, or gone
            break
        try:
            answer = pickle.dumps((True, [func(item) for item in items]), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # the parent does the job itself, and meets the error there
            answer = pickle.dumps((False, None))
        try:
            answers.write(answer)
            answers.flush()
        except OSError:  # the parent is gone
            break
    os._exit(0)
