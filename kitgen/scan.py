"""`kitgen scan`: the evidence inventory. Finds the documents and records of each process (and of the management
system) in their folders and adds the new ones to the project file, with a date, a title and a version read from
the file; reports entries whose file is gone and files found outside every process's folder. Nothing is deleted;
what someone typed is never changed; running it twice changes nothing the second time.

Folders, relative to the project file: `documents/<process>/` and `records/<process>/` (`enregistrements/<process>/`
in a French project), `sms` for the management system; a process may name its own in `folders`.
"""
from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import KitgenError
from .fileinfo import file_info, modified_day
from .frameworks import get_framework
from .ooxml.text import fold, unstorable
from .project.edit import DataEditor
from .project.load import ProjectFile, validate_doc
from .project.models import Folders
from .project.save import check_size, save_project
from .safefs import locked

RECORDS_FOLDER = {"fr": "enregistrements", "en": "records"}
SYSTEM = "sms"
SKIPPED = ("~$", ".~lock", ".")
MAX_FILES = 100_000
_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12, "january": 1, "february": 2, "march": 3, "april": 4, "may": 5,
    "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_FULL = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_.](\d{2})[-_.](\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
_MONTH = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_.](\d{2})(?![\d])")
_NAMED = re.compile(r"(?<![a-z])(" + "|".join(_MONTHS) + r")[-_ .]*(20\d{2})(?!\d)")
_VERSION = re.compile(r"(?:^|[-_ .])v(\d+(?:[._]\d+)*)(?=$|[-_ .])", re.IGNORECASE)
KINDS = [("policy", ("politique", "policy")), ("procedure", ("procedure",)), ("plan", ("plan",)),
         ("catalogue", ("catalogue", "catalog")), ("agreement", ("sla", "accord", "agreement", "contrat", "contract")),
         ("risks", ("risque", "risk")), ("objectives", ("objecti",)), ("scope", ("perimetre", "scope"))]


def date_in_name(name: str) -> date | None:
    """A date written in a file name: 2026-06-28, 20260628, 2026_06, 2026-06, juin 2026, June 2026."""
    text = fold(name)
    for pattern, month_only in ((_FULL, False), (_COMPACT, False), (_MONTH, True)):
        for m in pattern.finditer(text):
            try:
                return date(int(m.group(1)), int(m.group(2)), 1 if month_only else int(m.group(3)))
            except ValueError:
                continue
    named = _NAMED.search(text)
    return date(int(named.group(2)), _MONTHS[named.group(1)], 1) if named else None


def readable_title(path: Path) -> str:
    """A file name made readable: 'revue-sla_2026-06.pdf' -> 'Revue sla 2026-06'."""
    words = re.sub(r"(?<=[A-Za-zÀ-ÿ])[-_.]+|[-_.]+(?=[A-Za-zÀ-ÿ])", " ", path.stem)
    words = " ".join(words.replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else path.name


def document_kind(path: Path) -> str | None:
    """The kind of document its name suggests (policy, procedure, plan, catalogue…), or None."""
    name = fold(path.stem)
    return next((kind for kind, marks in KINDS if any(m in name for m in marks)), None)


@dataclass
class Found:
    """A file to add to the project: where it goes and what it says about itself."""

    owner: str          # process slug, or "sms"
    kind: str           # documents | records
    entry: dict[str, Any]


@dataclass
class ScanReport:
    """What a scan added (or would add), and every other file accounted for."""

    added: list[Found] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)    # entries whose file is gone (kept)
    stray: list[str] = field(default_factory=list)      # files outside every process's folder
    skipped: list[str] = field(default_factory=list)    # links leaving the project, unreadable files
    known: int = 0                                       # files already in the project
    written: bool = False
    backup: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"added": [{"owner": f.owner, "kind": f.kind, **{k: (v.isoformat() if isinstance(v, date) else v)
                                                                for k, v in f.entry.items()}} for f in self.added],
                "missing": self.missing, "stray": self.stray, "skipped": self.skipped, "known": self.known,
                "written": self.written, "backup": str(self.backup) if self.backup else None}


def _folders(pf: ProjectFile) -> list[tuple[str, str, Path, list[str]]]:
    """(owner, documents|records, folder, patterns) for every process of the project and the management system."""
    p = pf.project
    records = RECORDS_FOLDER[p.language]
    owners: list[tuple[str, Folders | None]] = [(SYSTEM, p.management_system.folders)]
    owners += [(slug, proc.folders) for slug, proc in p.processes.items()]
    out = []
    for owner, folders in owners:
        patterns = folders.patterns if folders else []
        out.append((owner, "documents", pf.folder / ((folders.documents if folders and folders.documents else None)
                                                     or f"documents/{owner}"), patterns))
        out.append((owner, "records", pf.folder / ((folders.records if folders and folders.records else None)
                                                   or f"{records}/{owner}"), patterns))
    return out


def _walk(folder: Path, root: Path, report: ScanReport, prune: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Regular files under `folder`, name order; links leading out of the project are reported and skipped, folders
    in `prune` (absolute paths) are not entered."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name.startswith(SKIPPED) or ".backup-" in entry.name or entry.path in prune:
            continue
        if entry.is_symlink():
            try:
                Path(entry.path).resolve().relative_to(root)
            except ValueError:
                report.skipped.append(f"{Path(entry.path).relative_to(root).as_posix()}: a link leading outside the "
                                      "project folder; skipped")
                continue
        if entry.is_dir():
            yield from _walk(Path(entry.path), root, report, prune)
        elif entry.is_file():
            yield Path(entry.path)


def _entry(path: Path, rel: str, kind: str) -> dict[str, Any]:
    info = file_info(path)
    named = date_in_name(path.name)
    if named:
        day, source = named, "name"
    elif info.day:
        day, source = info.day, "properties"
    else:
        day, source = modified_day(path), "file-time"
    version = info.version or (m.group(1).replace("_", ".") if (m := _VERSION.search(path.stem)) else None)
    entry: dict[str, Any] = {"path": rel, "title": info.title or readable_title(path), "date": day}
    if version:
        entry["version"] = version
    if kind == "documents" and (doc_kind := document_kind(path)):
        entry["kind"] = doc_kind
    entry["date_from"] = source
    return entry


def collect(pf: ProjectFile, progress: Callable[[str], None] | None = None) -> ScanReport:
    """Find what is on disk and not in the project, what the project lists and is not on disk, and strays."""
    p = pf.project
    root = pf.folder.resolve()
    report = ScanReport()
    listed = {e.path for e in p.management_system.documents + p.management_system.records}
    listed |= {e.path for proc in p.processes.values() for e in proc.documents + proc.records}
    listed |= {r.minutes for r in p.management_reviews if r.minutes} | {a.report for a in p.audits if a.report}
    claimed: set[str] = set()
    seen = 0
    for owner, kind, folder, patterns in _folders(pf):
        for path in _walk(folder, root, report):
            seen += 1
            if seen > MAX_FILES:
                raise KitgenError(f"{pf.path}: more than {MAX_FILES} files under the process folders; is the project "
                                  "folder the right one?")
            rel = path.relative_to(pf.folder).as_posix()
            if progress and seen % 100 == 0:
                progress(f"{seen} {rel}")
            if patterns and not any(fnmatch.fnmatch(path.name, pat) for pat in patterns):
                continue
            claimed.add(rel)
            if rel in listed:
                report.known += 1
                continue
            if unstorable(rel) or any(c in rel for c in "\n\r\t"):
                report.skipped.append(f"{rel!r}: a control character in the file name; rename the file")
                continue
            try:
                found = Found(owner, kind, _entry(path, rel, kind))
            except KitgenError as err:
                report.skipped.append(f"{rel}: {getattr(err, 'reason', err)}; not added")
                continue
            listed.add(rel)
            report.added.append(found)
    for rel in sorted(listed - {f.entry["path"] for f in report.added}):
        if not (pf.folder / rel).exists():
            report.missing.append(f"{rel}: listed in the project, but the file is gone (the entry is kept)")
    roots = {pf.folder / "documents", pf.folder / RECORDS_FOLDER[p.language]}
    fw = get_framework(p.framework)
    walked = frozenset(str(folder) for _, _, folder, patterns in _folders(pf) if not patterns)  # seen whole above
    for top in sorted(roots):
        for path in _walk(top, root, report, walked):
            rel = path.relative_to(pf.folder).as_posix()
            if rel not in claimed and rel not in listed:
                owner = path.relative_to(top).parts[0] if len(path.relative_to(top).parts) > 1 else ""
                why = (f"the process {owner!r} is not described in the project" if owner in fw.processes
                       else "outside every process's folder")
                report.stray.append(f"{rel}: {why}; not added")
    return report


def scan(pf: ProjectFile, *, dry_run: bool = False, progress: Callable[[str], None] | None = None) -> ScanReport:
    """Add every new file to the project file (comments, order and style kept; locked, atomic write)."""
    with locked(pf.path.resolve()):
        report = collect(pf, progress)
        if dry_run or not report.added:
            return report
        editor = DataEditor(pf.editable_data())
        for found in report.added:
            path: tuple[Any, ...] = ("management_system",) if found.owner == SYSTEM else ("processes", found.owner)
            if found.owner == SYSTEM and editor.root.get("management_system") is None:
                editor.set((), "management_system", {})
            editor.append(path, found.kind, found.entry)
        validate_doc(pf.path, editor.root)  # never write an invalid file (e.g. a date a model cannot hold)
        editor.replay(pf.doc)
        check_size(pf)
        report.backup = save_project(pf)
        report.written = True
    return report
