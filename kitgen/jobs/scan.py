"""`kitgen scan`: the evidence inventory. Finds the documents and records of each process (and of the management
system) in their folders and adds the new ones to the project file, with a date, a title and a version read from
the file; reports entries whose file is gone and files found outside every process's folder. Nothing is deleted;
what someone typed is never changed; running it twice changes nothing the second time.

Folders, relative to the project file: `documents/<process>/` and `records/<process>/` (`enregistrements/<process>/`
in a French project), `sms` for the management system; a process may name its own in `folders`.
"""
from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import N_, KitgenError, Problem, problem
from ..frameworks import document_words, get_framework
from ..infra.files import SKIPPED_PREFIXES, unreadable
from ..infra.parallel import ordered_map
from ..infra.safefs import locked
from ..infra.text import fold, unstorable
from ..ooxml.fileinfo import file_info, modified_day
from ..project.edit import DataEditor
from ..project.load import ProjectFile, validate_edit
from ..project.models import Folders
from ..project.save import save_edits

RECORDS_FOLDER = {"fr": "enregistrements", "en": "records"}
SYSTEM = "sms"
SKIPPED = (*SKIPPED_PREFIXES, ".")  # office lock files, and hidden files (kitgen's own state and locks)
MAX_FILES = 100_000   # files under the process folders: a very small organisation keeps a few thousand records
# A progress line every this many files: walking a folder is quick, reading a file's properties slower
PROGRESS_EVERY_SEEN = 500
PROGRESS_EVERY_READ = 100
_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12, "january": 1, "february": 2, "march": 3, "april": 4, "may": 5,
    "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_FULL = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_.](\d{2})[-_.](\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
_MONTH = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_.](\d{2})(?![\d])")
_YEAR = re.compile(r"(?:19|20)\d{2}")  # every date form holds a year: names without one are done at once
_NAMED = re.compile(r"(?<![a-z])(" + "|".join(_MONTHS) + r")[-_ .]*(20\d{2})(?!\d)")
_VERSION = re.compile(r"(?:^|[-_ .])v(\d+(?:[._]\d+)*)(?=$|[-_ .])", re.IGNORECASE)
# The kinds of documented information a file's name can tell (specific ones first), from the frameworks' data
SPECIFIC_KINDS, KINDS = document_words()
_ANY_KIND = re.compile("|".join(mark for _, marks in KINDS for mark in marks))


def date_in_name(name: str) -> date | None:
    """A date written in a file name: 2026-06-28, 20260628, 2026_06, 2026-06, juin 2026, June 2026 (a month alone:
    its first day)."""
    found = name_date(name)
    return found[0] if found else None


def name_date(name: str) -> tuple[date, bool] | None:
    """The date a file name holds, and whether it holds only a month (then the date is the month's first day)."""
    text = fold(name)
    if not _YEAR.search(text):
        return None
    for pattern, month_only in ((_FULL, False), (_COMPACT, False), (_MONTH, True)):
        for m in pattern.finditer(text):
            try:
                return date(int(m.group(1)), int(m.group(2)), 1 if month_only else int(m.group(3))), month_only
            except ValueError:
                continue
    named = _NAMED.search(text)
    return (date(int(named.group(2)), _MONTHS[named.group(1)], 1), True) if named else None


def readable_title(name: str) -> str:
    """A file name made readable: 'revue-sla_2026-06.pdf' -> 'Revue sla 2026-06'."""
    words = re.sub(r"(?<=[A-Za-zÀ-ÿ])[-_.]+|[-_.]+(?=[A-Za-zÀ-ÿ])", " ", os.path.splitext(name)[0])
    words = " ".join(words.replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else name


def document_kind(stem: str, owner: str = "") -> str | None:
    """The kind of document a file name (without its extension) suggests in a process's folder: a specific kind
    (change-policy, continuity-plan, supplier-contract…), else a generic one (policy, procedure, plan…), or None."""
    name = " ".join(re.sub(r"[-_.]+", " ", fold(stem)).split())
    if not _ANY_KIND.search(name) and not any(m in name for _, marks, _ in SPECIFIC_KINDS for m in marks):
        return None
    about = f"{name} {owner}" if owner != SYSTEM else name
    for kind, marks, subjects in SPECIFIC_KINDS:
        if any(m in name for m in marks) and any(s in about for s in subjects):
            return kind
    return next((kind for kind, marks in KINDS if any(m in name for m in marks)), None)


@dataclass
class Found:
    """A file to add to the project: where it goes and what it says about itself."""

    owner: str          # process slug, or "sms"
    kind: str           # documents | records
    entry: dict[str, Any]


@dataclass
class ScanReport:
    """What a scan added (or would add), and every other file accounted for (each one problem naming it)."""

    added: list[Found] = field(default_factory=list)
    missing: list[Problem] = field(default_factory=list)    # entries whose file is gone (kept)
    stray: list[Problem] = field(default_factory=list)      # files outside every process's folder
    skipped: list[Problem] = field(default_factory=list)    # links leaving the project, unreadable or empty files
    copies: list[Problem] = field(default_factory=list)     # byte-identical copies of another file, not added
    known: int = 0                                       # files already in the project
    written: bool = False
    backup: Path | None = None

    def as_dict(self, line: Callable[[Problem], str] = Problem.render) -> dict[str, Any]:
        """For scripts; each file not added is the line `line` writes for it (the CLI's: in the run's language)."""
        # `list` says documents or records; `kind` (documents only) the document's kind
        return {"added": [{"owner": f.owner, "list": f.kind, **{k: (v.isoformat() if isinstance(v, date) else v)
                                                                for k, v in f.entry.items()}} for f in self.added],
                **{name: [line(p) for p in getattr(self, name)] for name in ("missing", "stray", "skipped", "copies")},
                "known": self.known, "written": self.written, "backup": str(self.backup) if self.backup else None}


def _folders(pf: ProjectFile, base: str, report: ScanReport) -> list[tuple[str, str, str, list[str]]]:
    """(owner, documents|records, folder, patterns) for every process of the project and the management system;
    `base` is the project's folder, resolved. A folder outside it is reported and left out: what the package
    gives the auditors lives in the project folder."""
    p = pf.project
    records = RECORDS_FOLDER[p.language]
    owners: list[tuple[str, Folders | None]] = [(SYSTEM, p.management_system.folders)]
    owners += [(slug, proc.folders) for slug, proc in p.processes.items()]
    out = []
    for owner, folders in owners:
        patterns = folders.patterns if folders else []
        for kind, default in (("documents", f"documents/{owner}"), ("records", f"{records}/{owner}")):
            named = getattr(folders, kind, None) if folders else None
            folder = os.path.normpath(os.path.join(base, named or default))
            if _inside(folder, base) and _inside(os.path.realpath(folder), base):
                out.append((owner, kind, folder, patterns))
            else:
                report.skipped.append(problem(OUTSIDE[kind], named or default, owner=owner, code="outside-project",
                                              hint=N_("move its files under the project folder")))
    return out


OUTSIDE = {"documents": N_("the documents folder of {owner!r} is outside the project folder; not scanned"),
           "records": N_("the records folder of {owner!r} is outside the project folder; not scanned")}


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


def _walk(folder: str, root: str, report: ScanReport, prune: frozenset[str] = frozenset()) -> Iterator[str]:
    """Regular files under `folder` (absolute), name order; links leading out of the project (`root`, resolved)
    are reported and skipped, folders in `prune` are not entered."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as err:
        where = _relative(folder, root)
        report.skipped.append(
            problem(N_("cannot read this folder: permission denied; not scanned"), where, code="unreadable")
            if err.errno in (errno.EACCES, errno.EPERM) else
            problem(N_("cannot read this folder ({reason}); not scanned"), where, reason=err.strerror,
                    code="unreadable"))
        return
    for entry in entries:
        if entry.name.startswith(SKIPPED) or ".backup-" in entry.name or entry.path in prune:
            continue
        if entry.is_symlink() and not _inside(os.path.realpath(entry.path), root):
            report.skipped.append(problem(N_("a link leading outside the project folder; skipped"),
                                          _relative(entry.path, root), code="link-outside"))
            continue
        if entry.is_dir():
            yield from _walk(entry.path, root, report, prune)
        elif entry.is_file():
            yield entry.path
        else:
            report.skipped.append(problem(N_("not a regular file (a broken link, a pipe, a device); skipped"),
                                          _relative(entry.path, root), code="not-a-file"))


def _relative(path: str, base: str) -> str:
    """`path` under `base` (both absolute, normalised) as the project file writes it: a/b/c.pdf."""
    return path[len(base) + 1:].replace(os.sep, "/")


def _entry(path: str, rel: str, kind: str, owner: str) -> dict[str, Any]:
    info = file_info(path)
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    named = name_date(name)
    if named:
        day, source = named[0], "name-month" if named[1] else "name"
    elif info.day:
        day, source = info.day, "properties"
    else:
        day, source = modified_day(path), "file-time"
    version = info.version or (m.group(1).replace("_", ".") if (m := _VERSION.search(stem)) else None)
    entry: dict[str, Any] = {"path": rel, "title": info.title or readable_title(name), "date": day}
    if version:
        entry["version"] = version
    if kind == "documents" and (doc_kind := document_kind(stem, owner)):
        entry["kind"] = doc_kind
    entry["date_from"] = source
    return entry


def _read_one(item: tuple[str, str, str, str]) -> tuple[dict[str, Any], int, str | None] | Problem:
    """A worker's job: the new entry of one file with its size and the digest of its end (to tell copies), or why
    it cannot be added (named by its path in the project)."""
    path, rel, kind, owner = item
    try:
        size = os.path.getsize(path)
        if size == 0:
            return problem(N_("an empty file (0 bytes), not added: was it saved or copied completely?"), rel,
                           code="empty")
        return _entry(path, rel, kind, owner), size, _digest(path, tail=True)
    except KitgenError as err:  # a damaged or hostile document: its own reason
        return replace(err.first, file=rel)
    except OSError as err:  # unreadable (permissions), or gone since the walk
        return unreadable(Path(rel), err).first


def collect(pf: ProjectFile, progress: Callable[[str], None] | None = None, processes: int = 0) -> ScanReport:
    """Find what is on disk and not in the project, what the project lists and is not on disk, and strays; new
    files are read in `processes` workers (0: one per core)."""
    p = pf.project
    base = os.path.realpath(pf.folder)
    report = ScanReport()
    listed = {e.path for e in p.management_system.documents + p.management_system.records}
    listed |= {e.path for proc in p.processes.values() for e in proc.documents + proc.records}
    listed |= {r.minutes for r in p.management_reviews if r.minutes} | {a.report for a in p.audits if a.report}
    claimed: set[str] = set()
    new: list[tuple[str, str, str, str]] = []  # (owner, kind, path, rel) of each file to read
    known: list[tuple[str, str]] = []          # (path, rel) of the files already listed
    folders = _folders(pf, base, report)
    seen = 0
    for owner, kind, folder, patterns in folders:
        for path in _walk(folder, base, report):
            seen += 1
            if seen > MAX_FILES:
                raise KitgenError(N_("more than {limit} files under the process folders; is the project folder the "
                                     "right one?"), pf.path, limit=MAX_FILES, code="too-many-files")
            rel = _relative(path, base)
            if patterns and not any(fnmatch.fnmatch(os.path.basename(path), pat) for pat in patterns):
                continue
            if progress and seen % PROGRESS_EVERY_SEEN == 0:
                progress(f"{seen} {rel}")
            claimed.add(rel)
            if rel in listed:
                report.known += 1
                known.append((path, rel))
                continue
            if unstorable(rel) or any(c in rel for c in "\n\r\t"):
                report.skipped.append(problem(
                    N_("{value}: a character the project file cannot hold (a control character, or a name that is "
                       "not UTF-8)"), value=repr(rel), hint=N_("rename the file"), code="unstorable-name"))
                continue
            listed.add(rel)  # a folder shared by two processes gives its files to the first
            new.append((owner, kind, path, rel))
    read = ordered_map(_read_one, [(path, rel, kind, owner) for owner, kind, path, rel in new], processes)
    found: list[tuple[Found, str, int, str | None]] = []
    for done, ((owner, kind, path, rel), result) in enumerate(zip(new, read), start=1):
        if progress and done % PROGRESS_EVERY_READ == 0:
            progress(f"{done}/{len(new)} {rel}")
        if isinstance(result, Problem):
            report.skipped.append(result)
        else:
            entry, size, tail = result
            found.append((Found(owner, kind, entry), path, size, tail))
    report.added = _without_copies(found, known, report)
    for rel in sorted(listed - {f.entry["path"] for f in report.added}):
        if not os.path.exists(os.path.join(base, rel)):
            report.missing.append(problem(N_("listed in the project, but the file is gone (the entry is kept)"), rel,
                                          code="gone"))
    _strays(pf, base, folders, claimed | listed, report)
    # a link met by a process's walk and by the strays' walk: said once
    report.skipped = list({p.render(): p for p in report.skipped}.values())
    return report


CHUNK = 1024 * 1024  # files are hashed this much at a time
TAIL = 4096          # files of equal size are first told apart by their last bytes (zip directories, PDF trailers…)


def _digest(path: str, tail: bool = False) -> str | None:
    """SHA-256 of a file's bytes, or of its last TAIL bytes (None when it cannot be read: the reading worker will
    say why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            if tail:
                f.seek(max(f.seek(0, 2) - TAIL, 0))
            while chunk := f.read(CHUNK):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _without_copies(found: list[tuple[Found, str, int, str | None]], known: list[tuple[str, str]],
                    report: ScanReport) -> list[Found]:
    """The new files less those byte-identical to a file already listed or to another new one (the original: the
    listed file, else the shortest name), each reported as a copy. Files are told apart by size, then by their ends
    (read by the workers), and only those alike in both are read whole."""
    sizes = {size for _, _, size, _ in found}
    candidates: dict[tuple[int, str | None], list[tuple[str, str, bool]]] = {}
    for f, path, size, tail in found:
        candidates.setdefault((size, tail), []).append((path, f.entry["path"], True))
    for path, rel in known:  # a listed file is read only when a new one has its size
        try:
            size = os.path.getsize(path)
        except OSError:
            continue
        if size in sizes:
            candidates.setdefault((size, _digest(path, tail=True)), []).append((path, rel, False))
    copies: set[str] = set()
    for group in candidates.values():
        if len(group) < 2 or not any(is_new for _, _, is_new in group):
            continue
        alike: dict[str, list[tuple[str, bool]]] = {}
        for path, rel, is_new in group:
            digest = _digest(path)
            if digest is not None:
                alike.setdefault(digest, []).append((rel, is_new))
        for files in alike.values():
            original = min(files, key=lambda f: (f[1], len(f[0]), f[0]))[0]  # listed first, then the shortest name
            for rel, is_new in files:
                if is_new and rel != original:
                    copies.add(rel)
                    report.copies.append(problem(N_("a byte-identical copy of {original}; not added"), rel,
                                                 original=original, code="copy"))
    report.copies.sort(key=lambda p: p.file or "")
    return [f for f, _, _, _ in found if f.entry["path"] not in copies]


def _strays(pf: ProjectFile, base: str, folders: list[tuple[str, str, str, list[str]]], accounted: set[str],
            report: ScanReport) -> None:
    """Files under documents/ and records/ that no process's folder took."""
    fw = get_framework(pf.project.framework)
    walked = frozenset(folder for _, _, folder, patterns in folders if not patterns)  # seen whole already
    for top in sorted({"documents", RECORDS_FOLDER[pf.project.language]}):
        for path in _walk(os.path.join(base, top), base, report, walked):
            rel = _relative(path, base)
            if rel not in accounted:
                parts = rel.split("/")[1:]
                owner = parts[0] if len(parts) > 1 else ""
                report.stray.append(
                    problem(N_("the process {owner!r} is not described in the project; not added"), rel, owner=owner,
                            code="stray") if owner in fw.processes else
                    problem(N_("outside every process's folder; not added"), rel, code="stray"))


def scan(pf: ProjectFile, *, dry_run: bool = False, progress: Callable[[str], None] | None = None,
         processes: int = 0) -> ScanReport:
    """Add every new file to the project file (comments, order and style kept; locked, atomic write)."""
    with nullcontext() if dry_run else locked(pf.path.resolve(), shown=pf.path):  # a dry run takes no lock
        report = collect(pf, progress, processes)
        if dry_run or not report.added:
            return report
        editor = DataEditor(pf.editable_data())
        for found in report.added:
            path: tuple[Any, ...] = ("management_system",) if found.owner == SYSTEM else ("processes", found.owner)
            if found.owner == SYSTEM and editor.root.get("management_system") is None:
                editor.set((), "management_system", {})
            editor.append(path, found.kind, found.entry)
        project = validate_edit(pf.path, editor.root, pf.project, editor.ops)  # never write an invalid file
        report.backup = save_edits(pf, editor, project)
        report.written = True
    return report
