"""Finds the files a command reads among the files and folders a user names."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import KitgenError

SKIPPED_PREFIXES = ("~$", ".~lock")  # Word's and LibreOffice's lock files


def find_files(paths: Iterable[Path], suffixes: tuple[str, ...] | None) -> list[tuple[Path, bool]]:
    """(file, named explicitly) for each named file, and each file in the folders named (only those ending in
    `suffixes`, when given), in name order.

    Lock files, hidden files and the backups kitgen keeps (`*.backup-*`) are left out of folders; a missing path
    is an error.
    """
    found: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            found += [(p, False) for p in sorted(path.rglob("*"))
                      if (suffixes is None or p.suffix.lower() in suffixes) and p.is_file()
                      and not p.name.startswith(SKIPPED_PREFIXES) and not p.name.startswith(".")
                      and ".backup-" not in p.name]
        elif path.exists():
            found.append((path, True))
        else:
            raise KitgenError(f"{path}: no such file or folder")
    return found
