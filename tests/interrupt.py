"""Run the `deckgen` command and stop it at its Nth change to the file system under a folder.

    python tests/interrupt.py STEP kill|stop|count FOLDER [--no-exchange] -- deckgen-arguments…

Every change (a file opened for writing, a folder made or removed, a rename, a link, a chmod, a
foreign call, which is how the exchange is made) under FOLDER is a step, seen through Python's
audit hooks. At step STEP the process sends itself SIGKILL (`kill`, as `kill -9` would) or SIGSTOP
(`stop`: it waits, holding its staging folder, until continued). `count` stops nothing and prints
the number of steps on stderr. `--no-exchange` makes the swap take its two-step form.
"""

from __future__ import annotations

import os
import signal
import sys

step, action, folder = int(sys.argv[1]), sys.argv[2], os.path.realpath(sys.argv[3])
options, deckgen_args = sys.argv[4 : sys.argv.index("--")], sys.argv[sys.argv.index("--") + 1 :]
CHANGES = {"os.rename", "os.link", "os.mkdir", "os.rmdir", "os.remove", "os.chmod", "os.symlink", "shutil.rmtree"}
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT
seen = 0


def _under(path: object) -> bool:
    return isinstance(path, (str, bytes, os.PathLike)) and os.fsdecode(path).startswith(folder)


def hook(event: str, args: tuple[object, ...]) -> None:
    global seen
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & WRITING)
        if not (writing and _under(path)):
            return
    elif event in CHANGES:
        if not any(_under(path) for path in args[:2]):
            return
    elif event != "ctypes.call_function":
        return
    seen += 1
    if seen == step:
        os.kill(os.getpid(), signal.SIGKILL if action == "kill" else signal.SIGSTOP)


sys.addaudithook(hook)

import deckgen.output  # noqa: E402
from deckgen.cli import main  # noqa: E402

if "--no-exchange" in options:
    deckgen.output.exchange = lambda first, second: None  # type: ignore[assignment,misc]
code = main(deckgen_args)
if action == "count":
    print(f"steps: {seen}", file=sys.stderr)
sys.exit(code)
