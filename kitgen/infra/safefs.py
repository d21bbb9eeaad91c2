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

from ..errors import KitgenError

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` through a random temp file in the same folder: never a partial file.

    `mode` sets the permission bits (default: those of the file being replaced when it is a regular file, else 0o644).
    """
    if mode is None:
        try:
            st = os.lstat(path)
            mode = stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else 0o644
        except FileNotFoundError:
            mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
    except FileExistsError:
        raise KitgenError(f"{path}: already exists; kitgen never overwrites it (choose another folder)") from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def read_no_follow(path: Path) -> bytes:
    """The bytes of a regular file, refusing a symlink at its name."""
    fd = os.open(path, os.O_RDONLY | NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        return f.read()


LOCK_WAIT_SECONDS = 5.0


@contextmanager
def locked(path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock for `path` (a `.<name>.lock` file beside it); waits a few seconds, then says it is busy."""
    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o644)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise KitgenError(f"{lock}: is a symbolic link; remove it (kitgen's lock file is never a link)") from None
        raise
    try:
        _acquire(fd, path, LOCK_WAIT_SECONDS if wait is None else wait)
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
                raise KitgenError(f"{path}: busy, another kitgen command is writing it; run yours again when it "
                                  "has finished") from None
            time.sleep(0.05)
