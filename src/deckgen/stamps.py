"""File stamps: what tells a changed file (or folder) from an unchanged one without reading it.

A stamp is (path, size, modification time, inode, change time). The change time, which no program
can set back, tells an edit that kept the size and the modification time (a `cp -p` over the file,
a tool that restores times) from no edit at all. A folder's stamp changes when an entry is added,
removed or renamed in it. Only the standard library is used: the no-op check (`manifest.py`) and
the loader both stamp.
"""

from __future__ import annotations

import os
from pathlib import Path

FileStamp = tuple[str, int, int, int, int]
"""(path, size, mtime in ns, inode, ctime in ns or 0)."""
MISSING = -1
"""Size, times and inode of a stamp whose file does not exist."""


def stamp(path: Path | str, with_ctime: bool = True) -> FileStamp:
    """The stamp of a file or folder, through symbolic links; a missing one is stamped as missing."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):  # missing, unreadable, or a name no file can have (a NUL)
        return (str(path), MISSING, MISSING, MISSING, MISSING)
    return (str(path), info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns if with_ctime else 0)


def stamp_tree(folder: Path, skip: Path | None = None, with_ctime: bool = True) -> list[FileStamp]:
    """Stamps of every file under `folder`, in sorted order, leaving out the `skip` subtree.

    Hidden folders (`.git`, a build's staging folder) are left out. A linked folder is followed
    when it leads to a folder inside `folder`, so a file read through it is stamped; a link leading
    out is not (the loader refuses it), and no folder is walked twice (a link back is no loop).
    """
    stamps: list[FileStamp] = []
    root = os.path.realpath(folder)
    skipped = os.path.realpath(skip) if skip is not None else None
    seen = {root}
    for current, dirs, files in os.walk(folder, followlinks=True):
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            real = os.path.realpath(os.path.join(current, name))
            if real in seen or real == skipped or not real.startswith(root + os.sep):
                continue
            seen.add(real)
            kept.append(name)
        dirs[:] = kept
        stamps.extend(stamp(os.path.join(current, name), with_ctime) for name in sorted(files))
    return stamps
