"""Finds the files a command reads among the files and folders a user names, and reads one whole, within limits."""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import N_, KitgenError, UnsafeFileError

SKIPPED_PREFIXES = ("~$", ".~lock")  # Word's and LibreOffice's lock files
MB = 1024 * 1024
MAX_FILE_BYTES = 100 * MB            # a filled form weighs a few hundred KB; a bigger file is not read into memory


def find_files(paths: Iterable[Path], suffixes: tuple[str, ...] | None) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for each named file, and each file in the folders named (only those ending in
    `suffixes`, when given), in name order.

    Lock files, hidden files and the backups kitgen keeps (`*.backup-*`) are left out of folders; anything else that
    is not a folder (a broken link, a pipe) is listed, for the reader to refuse with its reason; a missing path is an
    error.
    """
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found += [(p, False) for p in sorted(path.rglob("*"))
                      if (suffixes is None or p.suffix.lower() in suffixes) and not p.is_dir()
                      and not p.name.startswith(SKIPPED_PREFIXES) and not p.name.startswith(".")
                      and ".backup-" not in p.name]
        elif path.exists():
            found.append((path, True))
        else:
            raise KitgenError(N_("no such file or folder"), path, hint=N_("check the path"), code="not-found")
    return found


def read_whole(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; UnsafeFileError naming the file otherwise (a pipe is
    never waited on: it is opened without blocking, then refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise unreadable(path, err) from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(path, N_("not a regular file: a pipe or a device"))
        if info.st_size > MAX_FILE_BYTES:
            raise UnsafeFileError(path, N_("{size} MB, larger than any form ({limit} MB at most)"),
                                  size=info.st_size // MB, limit=MAX_FILE_BYTES // MB)
        try:
            # as many bytes as measured, and one more to see it grew (asking for the cap would allocate it whole)
            data = f.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += f.read(MAX_FILE_BYTES + 1 - len(data))
        except OSError as err:
            raise unreadable(path, err) from None
    if len(data) > MAX_FILE_BYTES:  # grown since it was measured
        raise UnsafeFileError(path, N_("larger than any form ({limit} MB at most)"), limit=MAX_FILE_BYTES // MB)
    return data


def unreadable(path: Path, err: OSError) -> UnsafeFileError:
    """The error of a file that cannot be read, saying why in words the catalogs translate (the system's own
    words, `strerror`, are English: they stand only for the rare reasons named nowhere else)."""
    if err.errno in (errno.EACCES, errno.EPERM):
        return UnsafeFileError(path, N_("cannot read it: permission denied"),
                               hint=N_("give yourself the right to read it, or copy it"))
    if err.errno == errno.ENOENT:
        return UnsafeFileError(path, N_("cannot read it: it is gone"))
    if err.errno == errno.EISDIR:
        return UnsafeFileError(path, N_("cannot read it: it is a folder"))
    return UnsafeFileError(path, N_("cannot read it ({reason})"), reason=err.strerror or type(err).__name__)
