"""Write a built deck: into a staging folder beside OUT, swapped in only when all went well.

Whatever stops a build (an error, Ctrl-C, `kill -9`, a full disk), OUT holds a whole deck, the old
one or the new one:

- the swap is one step where the system has one (Linux's `renameat2(RENAME_EXCHANGE)` exchanges
  the two folders); elsewhere OUT is moved aside, then the new deck moved in, and a build that
  finds OUT missing puts the moved-aside deck back first;
- a staging folder is named `.OUT.deckgen-PID-…` and locked (`flock`) while its build runs, so a
  later build can tell a killed build's leftovers from a running one's and removes only those;
- builds racing into one OUT each swap in a whole deck: the last one stays.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from .errors import DeckgenError
from .manifest import MARKER  # every folder deckgen writes has it: those are the ones it may replace
from .problems import DeckError, Problem, quoted_name

SWAP_ATTEMPTS = 20
"""Swaps tried while other builds keep replacing OUT, before giving up."""
YOUNG_SECONDS = 60.0
"""A leftover this young whose build's process id is alive may be a build that has not locked it yet."""
ABANDONED_SECONDS = 86400.0
"""Where folders cannot be locked (Windows), or an earlier deckgen did not lock them, leftovers older than this are removed."""


class OutputError(DeckgenError):
    """OUT cannot be written (a full disk, a read-only file system, no permission): the machine's
    fault, not the deck's. The previous output is left as it was."""


def _refuse(out: Path, message: str) -> DeckError:
    return DeckError([Problem(str(out), None, None, "error", "unsafe-output", message)])


def check_output_folder(out: Path, deck_root: Path, force: bool) -> None:
    """Refuse an OUT that is or holds the deck, or a non-empty folder deckgen did not make."""
    out = out.resolve()
    deck_root = deck_root.resolve()
    if out == deck_root:
        raise _refuse(out, "the output folder is the deck folder itself")
    if deck_root.is_relative_to(out):
        raise _refuse(out, "the output folder contains the deck folder")
    if (deck_root / "slides").resolve() in (out, *out.parents):
        raise _refuse(out, "the output folder is inside the deck's slides/ folder")
    if out.exists() and not out.is_dir():
        raise _refuse(out, "the output path exists and is not a folder")
    if out.is_dir() and not force and not (out / MARKER).is_file() and any(out.iterdir()):
        raise _refuse(out, "the output folder is not empty and was not made by deckgen (use --force to replace it)")


def _machine_error(exc: OSError, out: Path, sources: set[str]) -> OutputError:
    """`no space left on device writing OUT`; or, when a file to copy could not be read, which one."""
    if exc.errno in (errno.EXDEV, errno.EBUSY):
        return OutputError(f"cannot replace {quoted_name(str(out))}: it is a mount point, or in use (build into a folder inside it)")
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    reason = reason[:1].lower() + reason[1:]
    reading = exc.filename in sources and exc.filename2 is None and exc.errno not in _WRITING_ERRORS
    if reading:
        return OutputError(f"{reason} reading {quoted_name(str(exc.filename))}")
    return OutputError(f"{reason} writing {quoted_name(str(out))}")


def writing_error(exc: OSError, target: Path) -> OutputError:
    """A file a command writes (a PDF, a new deck, an imported talk) that the machine refused: `read-only file system writing FILE`."""
    return _machine_error(exc, target, set())


_WRITING_ERRORS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG}
"""Errors of the disk written to, whichever file an error names (a copy names its source)."""


class _Previous:
    """The output of the last build, as a folder handle: a file compared and then linked is the same
    file even if another build swaps OUT meanwhile."""

    def __init__(self, out: Path) -> None:
        self.fd: int | None = None
        self.root = out
        if os.stat in os.supports_dir_fd and os.link in os.supports_dir_fd:
            with contextlib.suppress(OSError):
                self.fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        self.usable = self._stat(MARKER) is not None

    def _stat(self, rel: str) -> os.stat_result | None:
        try:
            return os.stat(rel, dir_fd=self.fd) if self.fd is not None else (self.root / rel).stat()
        except OSError:
            return None

    def same_bytes(self, rel: str, data: bytes) -> bool:
        info = self._stat(rel) if self.usable else None
        if info is None or info.st_size != len(data):
            return False
        try:
            fd = os.open(rel, os.O_RDONLY, dir_fd=self.fd) if self.fd is not None else os.open(self.root / rel, os.O_RDONLY)
        except OSError:
            return False
        with open(fd, "rb") as handle:
            return handle.read() == data

    def same_copy(self, rel: str, source: Path) -> bool:
        """A previous copy made with its source's size and time is still that source's copy."""
        old = self._stat(rel) if self.usable else None
        try:
            new = source.stat()
        except OSError:
            return False
        return old is not None and old.st_size == new.st_size and old.st_mtime_ns == new.st_mtime_ns

    def link(self, rel: str, target: Path) -> bool:
        """Link the previous file into the staging folder: unchanged bytes are not rewritten (watchers and caches see no change)."""
        try:
            if self.fd is not None:
                os.link(rel, target, src_dir_fd=self.fd)
            else:
                os.link(self.root / rel, target)
        except OSError:
            return False
        return True

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _place(target: Path, previous: _Previous, rel: str, same: bool, write: Callable[[], object]) -> None:
    """Put a file in the staging folder: a link to the previous build's copy when it is the same."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not (same and previous.link(rel, target)):
        write()


@dataclass(frozen=True, slots=True)
class BuildOutput:
    """What a build writes into OUT."""

    files: dict[str, bytes]
    """The pages, by path in OUT."""
    copies: tuple[tuple[Path, str], ...]
    """(source file, path in OUT) of every file copied."""
    record: Callable[[Path], str] | None = None
    """The marker's text, given the written folder (see `manifest.py`); None for a build never recorded."""
    finish: Callable[[Path], None] | None = None
    """What is made from the written files before the record (a picture of the page)."""


def write_output(out: Path, written: BuildOutput) -> None:
    """Write a build's output as the new content of `out`, atomically replacing the old one.

    Raise `OutputError` when the machine does not let OUT be written (the old output is left as it was).
    """
    with staged_output(out, {str(source) for source, _ in written.copies}) as staging:
        fill_folder(staging, out, written)


@contextlib.contextmanager
def staged_output(out: Path, sources: set[str] | None = None) -> Iterator[Path]:
    """A new, locked folder beside OUT to fill: swapped in for OUT in one step when the block ends
    without an exception, else removed, OUT left as it was.

    `sources` are the files being copied (the caller may add to the set while it fills the folder),
    so that one that cannot be read is named as such. Raise `OutputError` when the machine does not
    let OUT be written.
    """
    shown = out
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        recover_output(out)
        remove_leftovers(out)
        with _staging_folder(out) as staging:
            yield staging
            _swap_in(staging, out)
    except OSError as exc:
        raise _machine_error(exc, shown, sources or set()) from None


def fill_folder(folder: Path, previous: Path, written: BuildOutput) -> None:
    """Write a build's files into `folder` (made if missing), linking each that `previous` (the
    last build's output) already has the same; then what it makes of them, then its marker."""
    folder.mkdir(exist_ok=True)
    last = _Previous(previous)
    try:
        for rel, data in written.files.items():
            target = folder / rel
            _place(target, last, rel, last.same_bytes(rel, data), partial(target.write_bytes, data))
        for source, rel in written.copies:
            target = folder / rel
            _place(target, last, rel, last.same_copy(rel, source), partial(shutil.copy2, source, target))
    finally:
        last.close()
    os.chmod(folder, 0o755)
    if written.finish is not None:
        written.finish(folder)
    marker = written.record(folder) if written.record is not None else "This folder was written by deckgen and is replaced by each build.\n"
    (folder / MARKER).write_text(marker, encoding="utf-8")


def link_tree(source: Path, target: Path) -> None:
    """Put every file of `source` (an earlier build's output) into `target` as a hard link: the same
    bytes and the same stamps, so its record still holds (a copy where no link can be made)."""
    for current, _, names in os.walk(source):
        here = target / os.path.relpath(current, source)
        here.mkdir(parents=True, exist_ok=True)
        for name in names:
            try:
                os.link(os.path.join(current, name), here / name)
            except OSError:
                shutil.copy2(os.path.join(current, name), here / name)
    os.chmod(target, 0o755)


# Leftovers: staging folders, and (where the swap takes two steps) an OUT moved aside. Earlier
# versions of deckgen named them without a process id and did not lock them.
def _leftover_pattern(out: Path) -> re.Pattern[str]:
    name = re.escape(out.name)
    kinds = r"deckgen-(?:(?P<pid>\d+)-)?(?P<aside>old-)?|(?P<earlier_aside>old-)"
    return re.compile(rf"\.{name}\.(?:{kinds})[a-z0-9_]{{8}}")  # tempfile's 8 random characters


@contextlib.contextmanager
def _staging_folder(out: Path) -> Iterator[Path]:
    """A new folder beside OUT, locked while this build runs, removed unless swapped in."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.deckgen-{os.getpid()}-", dir=out.parent))
    lock = lock_folder(staging)
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after the swap: the old deck
        if lock is not None:
            os.close(lock)


def lock_folder(folder: Path) -> int | None:
    """Hold an exclusive lock on `folder` until the returned handle is closed; None where locks are unknown."""
    try:
        import fcntl
    except ImportError:
        return None
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _abandoned(path: Path, pid: int | None, aside: bool) -> bool:
    """Whether the build that made `path` is gone: nobody holds its lock, and its process is not
    alive (or the folder is too old to be a build that has not locked it yet)."""
    try:
        age = time.time() - path.lstat().st_mtime
    except OSError:
        return False
    try:
        import fcntl
    except ImportError:
        return age > ABANDONED_SECONDS
    if pid is None:  # an earlier deckgen's, which did not lock: a moved-aside OUT is there for an instant only
        return age > (YOUNG_SECONDS if aside else ABANDONED_SECONDS)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # locked: its build is running
    finally:
        os.close(fd)
    return age > YOUNG_SECONDS or not _alive(pid)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True


def _named_folders(parent: Path, pattern: re.Pattern[str]) -> Iterator[tuple[Path, re.Match[str]]]:
    """The entries of `parent` whose whole name matches `pattern`, with the match."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        match = pattern.fullmatch(name)
        if match is not None:
            yield parent / name, match


def _leftovers(out: Path) -> Iterator[tuple[Path, bool]]:
    """deckgen's own folders beside OUT that a killed build left: (path, whether it is an OUT moved aside)."""
    for path, match in _named_folders(out.parent, _leftover_pattern(out)):
        if not path.is_dir():
            continue
        aside = bool(match["aside"] or match["earlier_aside"])
        if _abandoned(path, int(match["pid"]) if match["pid"] else None, aside):
            yield path, aside


def remove_abandoned_temporary_folders(prefix: str) -> None:
    """Remove this user's `PREFIX<pid>-XXXXXXXX` folders in the temporary folder whose process was
    killed outright (it could not clean up): unlocked, and its process gone or the folder old."""
    pattern = re.compile(rf"{re.escape(prefix)}(?P<pid>\d+)-[a-z0-9_]{{8}}")
    for path, match in _named_folders(Path(tempfile.gettempdir()), pattern):
        try:
            mine = path.lstat().st_uid == os.getuid()
        except (OSError, AttributeError):  # gone meanwhile; or no user ids (Windows)
            continue
        if mine and _abandoned(path, int(match["pid"]), aside=False):
            shutil.rmtree(path, ignore_errors=True)


def remove_leftovers(out: Path) -> None:
    """Remove what killed builds into OUT left beside it (never a running build's folder)."""
    for path, _ in _leftovers(out):
        shutil.rmtree(path, ignore_errors=True)


def recover_output(out: Path) -> None:
    """If OUT is missing because a build that moved it aside was killed before it moved its own in, put it back."""
    out = out.resolve()
    if os.path.lexists(out):
        return
    aside = [path for path, moved in _leftovers(out) if moved and (path / MARKER).is_file()]
    for path in sorted(aside, key=lambda p: p.stat().st_mtime, reverse=True):
        with contextlib.suppress(OSError):
            os.rename(path, out)
            return


# The swap.
def _swap_in(staging: Path, out: Path) -> None:
    """Put `staging` at `out`; `staging` then holds the old output (or nothing)."""
    for _ in range(SWAP_ATTEMPTS):
        if os.path.lexists(out):
            swapped = exchange(staging, out)
            if swapped is None:
                swapped = _swap_in_two_steps(staging, out)
            if swapped:
                return
        else:
            try:
                os.rename(staging, out)
                return
            except OSError as exc:
                if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise  # else another build made OUT meanwhile: swap with it
    raise OutputError(f"other builds kept replacing {quoted_name(str(out))}; nothing was written")


def _swap_in_two_steps(staging: Path, out: Path) -> bool:
    """Move OUT aside, then the new deck in; False if OUT changed under us (try again)."""
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.deckgen-{os.getpid()}-old-", dir=out.parent))
    aside.rmdir()
    lock = lock_folder(out) if out.is_dir() else None  # a build that finds OUT missing leaves it to us
    try:
        try:
            os.rename(out, aside)
        except FileNotFoundError:
            return False
        try:
            os.rename(staging, out)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTEMPTY):  # another build's deck arrived: it is newer than the one aside
                shutil.rmtree(aside, ignore_errors=True)
                return False
            os.rename(aside, out)
            raise
        os.rename(aside, staging)  # the old output, removed with the staging folder
        return True
    finally:
        if lock is not None:
            os.close(lock)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool | None:
    """Exchange two paths in one step (Linux's `renameat2`): True when done, False when one of them
    is gone, None where the system or the file system cannot."""
    renameat2 = _renameat2() if sys.platform.startswith("linux") else None
    if renameat2 is None:
        return None
    import ctypes

    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return None  # an old kernel, or a file system without exchange
    if code == errno.ENOENT:
        return False
    raise OSError(code, os.strerror(code), str(second))


@lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function
