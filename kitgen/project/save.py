"""Writes a project file back: comment-preserving, validated first, atomic, previous version kept as a backup."""
from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import ProjectFileError
from .load import ProjectFile, make_yaml, parse_text, validate_doc


def dump_text(pf: ProjectFile) -> str:
    """The project document as YAML text, in the file's own indentation."""
    buf = io.StringIO()
    make_yaml(*pf.indent).dump(pf.doc, buf)
    return buf.getvalue()


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename: never a partial file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_project(pf: ProjectFile, *, backup: bool = True) -> Path | None:
    """Validate the edited document, keep `<file>.bak`, and replace the file atomically.

    Returns the backup's path (None when nothing changed or no backup was asked for).
    An edit that would make the project invalid raises ProjectFileError and leaves the file untouched.
    """
    text = dump_text(pf)
    if text == pf.text:
        return None
    try:
        doc, _ = parse_text(pf.path, text)
        project = validate_doc(pf.path, doc)
    except ProjectFileError as err:
        raise ProjectFileError(pf.path, [f"{pf.path}: edit refused, the file was not changed: {err.problems[0]}",
                                         *err.problems[1:]]) from None
    bak = None
    if backup and pf.path.exists():
        bak = pf.path.with_name(pf.path.name + ".bak")
        shutil.copy2(pf.path, bak)
    atomic_write(pf.path, text.encode("utf-8"))
    pf.doc, pf.project, pf.text, pf.data = doc, project, text, doc
    return bak
