"""Writes a project file back: comment-preserving, validated first, only if nobody changed it since it was loaded,
atomically through a link to its target, with its line endings, BOM, final newline and mode kept, and its previous
version kept as a backup. Callers that read, modify and write hold the project's lock (safefs.locked) meanwhile.

Edits logged by a DataEditor are made in the text itself where each can be placed (kitgen.project.patch: every
other byte kept, a one-value change costs no more than the file's fast parse); otherwise they are replayed on the
round-trip document, which is dumped whole.
"""
from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from ..errors import N_, ProjectFileError, problem
from ..infra.safefs import atomic_write, write_backup
from .edit import DataEditor
from .load import MAX_PROJECT_BYTES, ProjectFile, fast_validate, make_yaml, parse_text, validate_doc
from .models import Project
from .patch import patch_text


def dump_text(pf: ProjectFile) -> str:
    """The project document as YAML text (LF line ends), in the file's own indentation."""
    buf = io.StringIO()
    make_yaml(*pf.indent).dump(pf.doc, buf)
    return buf.getvalue()


def file_bytes(pf: ProjectFile, text: str) -> bytes:
    """`text` written the way the file was: same line ends, BOM and final newline."""
    if not pf.final_newline:
        text = text.rstrip("\n")
    if pf.newline != "\n":
        text = text.replace("\n", pf.newline)
    return (b"\xef\xbb\xbf" if pf.bom else b"") + text.encode("utf-8")


def check_size(pf: ProjectFile, text: str) -> None:
    """Refuse an edit that would make the project file larger than kitgen itself loads."""
    size = len(text.encode("utf-8"))
    if size > MAX_PROJECT_BYTES:
        raise ProjectFileError(pf.path, message=N_("edit refused, the file was not changed: it would grow to {value} MB, "
                                                   "more than the {expected} MB kitgen loads"),
                               value=round(size / 2**20, 1), expected=round(MAX_PROJECT_BYTES / 2**20, 1),
                               hint=N_("look for a form with enormous texts"), code="too-large")


def _refuse(pf: ProjectFile, why: str, code: str, hint: str | None = None) -> ProjectFileError:
    return ProjectFileError(pf.path, message=why, hint=hint, code=code)


def save_project(pf: ProjectFile, *, backup: bool = True) -> Path | None:
    """Validate the edited round-trip document (`pf.doc`), keep `<file>.bak`, and replace the file atomically (at
    its target when the project file is a symbolic link).

    Returns the backup's path (None when nothing changed or no backup was asked for). An edit that would make the
    project invalid, a file changed on disk since it was loaded, or a read-only file raise ProjectFileError and
    leave the file untouched.
    """
    text = dump_text(pf)
    if text == pf.text:
        return None
    check_size(pf, text)
    # validated as loading validates it: by the fast parse; the round-trip parse (several times its cost: seconds for
    # a file of thousands of records) only for a text the fast parse doubts, and to locate what is wrong
    fast = fast_validate(text)
    if fast is not None:
        project, data, nodes = fast
    else:
        try:
            data, _ = parse_text(pf.path, text)
            project = validate_doc(pf.path, data)
        except ProjectFileError as err:
            refused = problem(N_("edit refused, the file was not changed"), pf.path, code="edit-refused")
            raise ProjectFileError(pf.path, [refused, *err.problems]) from None
        nodes = None
    bak = _write(pf, text, backup)
    pf.replaced(text, file_bytes(pf, text), project, data, nodes)
    if fast is None:
        pf.doc = data   # the round-trip document it is, as load_project keeps it
    return bak


def save_edits(pf: ProjectFile, log: DataEditor, project: Project, *, backup: bool = True) -> Path | None:
    """Write the edits in `log` — made on `pf`'s data, which `project` is the validation of — into the project file,
    in place in its text when every edit can be placed there, else through the round-trip document.

    In place, each edited entry is parsed again on its own and must hold exactly the edited data, so that the text
    written means the validated project. Returns the backup's path (None when nothing changed); refusals as
    save_project's.
    """
    if not log.ops:
        return None
    text = patch_text(pf.text, pf.nodes, log.ops, log.root, pf.indent)
    if text is None:  # an edit the text cannot take in place (a new block, a flow style, an anchor)
        log.replay(pf.doc)
        return save_project(pf, backup=backup)
    if text == pf.text:
        return None
    check_size(pf, text)
    bak = _write(pf, text, backup)
    pf.replaced(text, file_bytes(pf, text), project, log.root)
    return bak


def _write(pf: ProjectFile, text: str, backup: bool) -> Path | None:
    """Replace the file with `text` once it is known unchanged on disk and writable; the previous version kept."""
    real = pf.path.resolve()
    try:
        st = os.stat(real)
        on_disk = real.read_bytes()
    except FileNotFoundError:
        raise _refuse(pf, N_("was removed while kitgen worked on it; nothing written"), "removed") from None
    if not st.st_mode & stat.S_IWUSR:  # checked on the mode bits: root would write through the permissions
        raise _refuse(pf, N_("is read-only; nothing written"), "read-only",
                          N_("make it writable (e.g. chmod u+w) and run again"))
    if on_disk != pf.raw:
        raise _refuse(pf, N_("was changed by someone else since kitgen read it; nothing written"), "changed-meanwhile",
                          N_("run the command again"))
    bak = None
    if backup:
        bak = real.with_name(real.name + ".bak")
        write_backup(real, bak)
    atomic_write(real, file_bytes(pf, text), mode=stat.S_IMODE(st.st_mode))
    return bak
