"""Writing files without following planted links: random exclusive temp files, atomic renames, backups and locks.

Every file kitgen writes goes through here. A temp file is created with O_EXCL under a random name in the target's
folder, filled, synced and renamed over the target: a symlink planted at the target's name is replaced, never
followed. New files that must not replace anything are created with O_EXCL | O_NOFOLLOW.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import N_, KitgenError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
NEW_FILE_MODE = 0o644  # rw-r--r--, less the user's umask: what kitgen gives every file it creates
_NO_ROOM = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)


def new_file_mode() -> int:
    """The mode of a file kitgen creates: NEW_FILE_MODE less the process's umask (0644 under the usual 022)."""
    mask = os.umask(0)  # the only portable way to read the umask: set it, then put it back at once
    os.umask(mask)
    return NEW_FILE_MODE & ~mask


def cannot_write(path: Path, err: OSError) -> KitgenError:
    """One error naming the user's file (never kitgen's temporary one) and what to do."""
    if err.errno in _NO_ROOM:
        return KitgenError(N_("cannot write it: no space left (disk full, or quota reached)"), path,
                           hint=N_("free some space and run again"), code="no-space")
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return KitgenError(N_("cannot write it: its folder {folder} is not writable"), path, folder=path.parent,
                           hint=N_("choose another folder (-o) or make it writable"), code="not-writable")
    return KitgenError(N_("cannot write it ({reason})"), path, reason=err.strerror or str(err), code="cannot-write")


@contextmanager
def atomic_file(path: Path, *, mode: int | None = None) -> Iterator[BinaryIO]:
    """A file to fill that replaces `path` when the block ends without error: never a partial file, never through
    a link planted at `path`.

    `mode` sets the permission bits (default: those of the file being replaced when it is a regular file, else
    new_file_mode()). An error writing (read-only folder, disk full) names `path`, never the temporary file.
    """
    if mode is None:
        try:
            st = os.lstat(path)
            mode = stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else new_file_mode()
        except FileNotFoundError:
            mode = new_file_mode()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise cannot_write(path, err) from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), mode)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        if err.filename in (None, tmp):  # the temporary file's (writing, syncing, renaming), not the caller's own
            raise cannot_write(path, err) from None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` through a random temp file in the same folder (see atomic_file)."""
    with atomic_file(path, mode=mode) as f:
        f.write(data)


def write_backup(source: Path, backup: Path) -> None:
    """Copy `source` to `backup` (mode and times kept) without following a link planted at `backup`."""
    fd = os.open(source, os.O_RDONLY | NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        data = f.read()
        st = os.fstat(f.fileno())
    atomic_write(backup, data, mode=stat.S_IMODE(st.st_mode))
    os.utime(backup, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)


def create_new(path: Path, data: bytes) -> None:
    """Create `path` holding `data`; refuses when anything, a dangling link included, is already there."""
    try:
        # the kernel takes the umask off NEW_FILE_MODE
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, NEW_FILE_MODE)
    except FileExistsError:
        raise KitgenError(N_("already exists; kitgen never overwrites it"), path, hint=N_("choose another folder"),
                          code="exists") from None
    except OSError as err:
        raise cannot_write(path, err) from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def read_no_follow(path: Path) -> bytes:
    """The bytes of a regular file, refusing a symlink at its name."""
    fd = os.open(path, os.O_RDONLY | NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        return f.read()


LOCK_WAIT_SECONDS = 5.0    # another kitgen command writes for well under a second: waiting longer, it is stuck
LOCK_POLL_SECONDS = 0.05   # how often a waiting command tries the lock again: soon after it is free, at no cost


def writable_folder(folder: Path) -> bool:
    """Whether kitgen may create files in `folder` (not a read-only mount, an immutable or a foreign folder)."""
    return os.access(folder, os.W_OK | os.X_OK)


@contextmanager
def locked(path: Path, wait: float | None = None, *, shown: Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock for `path` (a `.<name>.lock` file beside it, where the writes go); waits a few seconds,
    then says it is busy. Messages name `shown` (the path as the user gave it) rather than `path`."""
    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | NOFOLLOW, NEW_FILE_MODE)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise KitgenError(N_("is a symbolic link"), lock, hint=N_("remove it (kitgen's lock file is never a link)"),
                              code="lock-link") from None
        if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise KitgenError(N_("cannot write it: its folder is not writable"), shown or path,
                              hint=N_("make it writable, or see the changes with --dry-run"),
                              code="not-writable") from None
        raise
    try:
        _acquire(fd, shown or path, LOCK_WAIT_SECONDS if wait is None else wait)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _acquire(fd: int, path: Path, wait: float) -> None:
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no advisory locks; the unchanged-on-disk check still applies
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise KitgenError(N_("busy: another kitgen command is writing it"), path,
                                  hint=N_("run yours again when it has finished"), code="busy") from None
            time.sleep(LOCK_POLL_SECONDS)
