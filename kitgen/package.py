"""`kitgen package`: the documentation package for the auditors, as a deterministic, verifiable zip.

Same inputs, same bytes: entries in a fixed order with fixed timestamps, generated documents dated from the
project (or SOURCE_DATE_EPOCH), never the clock. Evidence files are streamed; compressed formats are stored.
"""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path

from .build import render_form
from .errors import KitgenError
from .forms import cover
from .forms.common import frozen_clock, now
from .frameworks import get_framework
from .ooxml.parts import ZIP_EPOCH, normalize_package
from .project.load import ProjectFile
from .readiness import readiness
from .templates import resolve

STORED = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".pdf", ".zip", ".gz", ".7z", ".png", ".jpg", ".jpeg", ".gif",
          ".mp4", ".msg", ".xz", ".bz2"}
CHUNK = 1024 * 1024


@dataclass
class Entry:
    """One file of the package: where it goes, where it comes from (a path or bytes), and what it is."""

    arcname: str
    process: str
    kind: str          # document | record | audit
    title: str
    date: date | None
    version: str = ""
    source: Path | None = None
    data: bytes | None = None
    size: int = 0
    sha256: str = ""


def package_moment(pf: ProjectFile) -> datetime:
    """The package's date: SOURCE_DATE_EPOCH if set, else the latest date the project mentions (never the clock)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return now()
    p = pf.project
    dates = [e.date for proc in p.processes.values() for e in proc.documents + proc.records]
    dates += [e.date for e in p.management_system.documents + p.management_system.records]
    dates += [r.date for r in p.management_reviews] + [a.end or a.start for a in p.audits]
    latest = max(dates, default=date(2000, 1, 1))
    return datetime.combine(latest, time(12, 0), tzinfo=timezone.utc)


def _inside(folder: Path, rel: str) -> Path | None:
    """The evidence file for `rel`, or None when the path leaves the project folder (.., absolute, symlink out)."""
    if os.path.isabs(rel) or rel.startswith(("~", "\\")):
        return None
    path = folder / rel
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return None
    return path


def _evidence(pf: ProjectFile) -> list[Entry]:
    p = pf.project
    entries: list[Entry] = []
    for doc in p.management_system.documents:
        entries.append(Entry("", "sms", "document", doc.title, doc.date, doc.version, source=Path(doc.path)))
    for rec in p.management_system.records:
        entries.append(Entry("", "sms", "record", rec.title, rec.date, rec.version, source=Path(rec.path)))
    for slug, proc in p.processes.items():
        entries += [Entry("", slug, "document", d.title, d.date, d.version, source=Path(d.path)) for d in proc.documents]
        entries += [Entry("", slug, "record", r.title, r.date, r.version, source=Path(r.path)) for r in proc.records]
    for review in p.management_reviews:
        if review.minutes:
            entries.append(Entry("", "management-review", "record", f"Management review {review.date.isoformat()}",
                                 review.date, source=Path(review.minutes)))
    for audit in p.audits:
        if audit.report:
            entries.append(Entry("", "audits", "record", f"Signed report {audit.id}", audit.end or audit.start,
                                 source=Path(audit.report)))
    return entries


def _place(entries: list[Entry]) -> None:
    """Give each evidence entry its place, documents/<process>/… or records/<process>/…, names kept unique."""
    used: set[str] = set()
    for e in entries:
        source = Path(str(e.source))
        folder = f"{'documents' if e.kind == 'document' else 'records'}/{e.process}"
        name, n = f"{folder}/{source.name}", 2
        while name in used:  # two files of the same name for one process: number the later ones
            name, n = f"{folder}/{source.stem}-{n}{source.suffix}", n + 1
        used.add(name)
        e.arcname = name


def _index(entries: list[Entry], lang: str, moment: datetime) -> bytes:
    from openpyxl import Workbook

    from .ooxml.xlsx import put

    headers = {"fr": ["Fichier", "Processus", "Type", "Titre", "Date", "Version", "Taille (octets)", "SHA-256"],
               "en": ["File", "Process", "Type", "Title", "Date", "Version", "Size (bytes)", "SHA-256"]}[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = "Index"
    ws.append(headers)
    for e in entries:
        row = ws.max_row + 1
        for col, value in enumerate([e.arcname, e.process, e.kind, e.title, e.date, e.version, e.size, e.sha256], start=1):
            put(ws.cell(row=row, column=col), value)
    for letter, width in zip("ABCDEFGH", (48, 16, 10, 48, 12, 8, 14, 66)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{ws.max_row}"
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_package(buf.getvalue(), moment)


def build_package(pf: ProjectFile, out: Path | None = None, *, lang: str | None = None,
                  progress: Callable[[str], None] | None = None) -> Path:
    """Write the documentation package zip and return its path (default output/package-<id>-<date>.zip)."""
    project = pf.project
    lang = lang or project.language
    moment = package_moment(pf)
    out = out or Path("output") / f"package-{project.id}-{moment.date().isoformat()}.zip"
    entries = _evidence(pf)
    problems = []
    for e in entries:
        rel = str(e.source)
        path = _inside(pf.folder, rel)
        if path is None:
            problems.append(f"{rel} (outside the project folder)")
        elif not path.is_file():
            problems.append(f"{rel} (missing)")
        else:
            e.source = path
    if problems:
        raise KitgenError(f"{pf.path}: cannot package {len(problems)} evidence file(s): {'; '.join(problems)}; "
                          "fix the paths in the project file (relative to its folder)")
    _place(entries)
    with frozen_clock(moment):
        generated = []
        for audit in project.audits:
            name, data = render_form(pf, "audit-report", audit.id, lang, resolve("audit-report", lang))
            generated.append(Entry(f"audits/{name}", "audits", "audit", f"Audit report {audit.id}",
                                   audit.end or audit.start, data=data))
        name, data = render_form(pf, "action-plan", None, lang, resolve("action-plan", lang))
        generated.append(Entry(f"audits/{name}", "audits", "audit", "Action plan", moment.date(), data=data))
        check = readiness(project, moment.date())
    entries += generated
    entries.sort(key=lambda e: e.arcname)
    contents = sorted(Counter(e.arcname.rsplit("/", 1)[0] for e in entries).items())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for e in entries:  # one pass per file: hashed while it is streamed into the zip
                if progress:
                    progress(e.arcname)
                e.size, e.sha256 = _write(zf, e.arcname, data=e.data, source=e.source)
            cover_data = normalize_package(cover.render(
                lang, project.organisation.legal_name, project.scope.statement,
                get_framework(project.framework).title[lang], moment, contents, check.ready, check.checks), moment)
            extras = {"cover.docx": cover_data, "index.xlsx": _index(entries, lang, moment)}
            for name, data in extras.items():
                _write(zf, name, data=data)
            sums = "".join(f"{e.sha256}  {e.arcname}\n" for e in entries)
            sums += "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in extras.items())
            _write(zf, "SHA256SUMS", data=sums.encode())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def _write(zf: zipfile.ZipFile, name: str, *, data: bytes | None = None, source: Path | None = None) -> tuple[int, str]:
    """Add one entry (fixed timestamp; compressed formats stored); returns its size and SHA-256."""
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_STORED if Path(name).suffix.lower() in STORED else zipfile.ZIP_DEFLATED
    if data is not None:
        zf.writestr(info, data)
        return len(data), hashlib.sha256(data).hexdigest()
    assert source is not None
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return size, digest.hexdigest()
