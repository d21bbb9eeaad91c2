"""`kitgen package`: the documentation package for the auditors, as a deterministic, verifiable zip.

Same inputs, same bytes: entries in a fixed order with fixed timestamps, generated documents dated from the
project (or SOURCE_DATE_EPOCH), never the clock. Evidence files are streamed; compressed formats are stored.
Each evidence file is vetted (inside the project folder, a regular file), then opened without following links and
checked to be the very file vetted, so a file swapped for a link meanwhile never gets in.
"""
from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path

from ..errors import N_, KitgenError, Problem, problem
from ..forms.common import frozen_clock, long_date, now
from ..forms.kind import render_all
from ..forms.registry import form_types
from ..frameworks import get_framework
from ..infra.safefs import NOFOLLOW, atomic_file
from ..infra.text import unstorable
from ..ooxml.parts import ZIP_EPOCH, normalize_package
from ..project.load import ProjectFile
from . import package_cover as cover
from .readiness import check_readiness
from .templates import resolve

STORED = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".pdf", ".zip", ".gz", ".7z", ".png", ".jpg", ".jpeg", ".gif",
          ".mp4", ".msg", ".xz", ".bz2"}
CHUNK = 1024 * 1024   # bytes copied at a time into the package: large evidence files never sit whole in memory
# The index's columns: the file's path and its title wide, a process, a kind, a date, a version, a size, the
# SHA-256 whole (64 hex digits)
INDEX_WIDTHS = (48, 16, 10, 48, 12, 8, 14, 66)


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
    vetted: tuple[int, int] | None = None   # (device, inode) of the file checked
    place: str = ""                         # where the project file names it: processes.x.records[2].path


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


FIX_PATH = N_("fix the path in the project file (relative to its folder)")


def _vet(folder: Path, rel: str) -> tuple[Path, tuple[int, int]] | tuple[str, str]:
    """The evidence file for `rel` and its identity, or why it cannot go into the package (an N_() msgid about the
    `{value}`, and a code)."""
    if unstorable(rel) or any(c in rel for c in "\n\r\t"):
        return N_("evidence file {value}: a control character in its name (rename the file)"), "unstorable-name"
    outside = N_("evidence file {value!r} is outside the project folder"), "outside-project"
    if os.path.isabs(rel) or rel.startswith(("~", "\\")):
        return outside
    path = folder / rel
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return outside
    try:
        st = os.lstat(path.resolve())
    except OSError:
        return N_("evidence file {value!r} not found"), "not-found"
    if not stat.S_ISREG(st.st_mode):
        return N_("evidence file {value!r} is not a regular file"), "not-a-file"
    return path.resolve(), (st.st_dev, st.st_ino)


TITLES = {"fr": {"review": "Revue de direction {day}", "report": "Rapport signé {audit}"},
          "en": {"review": "Management review {day}", "report": "Signed report {audit}"}}


def _evidence(pf: ProjectFile, lang: str) -> list[Entry]:
    """Every evidence file the project lists, with where the project file names it."""
    p, words = pf.project, TITLES[lang]
    entries: list[Entry] = []
    for list_name, kind in (("documents", "document"), ("records", "record")):
        entries += [Entry("", "sms", kind, e.title, e.date, e.version, source=Path(e.path),
                          place=f"management_system.{list_name}[{i}].path")
                    for i, e in enumerate(getattr(p.management_system, list_name))]
    for slug, proc in p.processes.items():
        for list_name, kind in (("documents", "document"), ("records", "record")):
            entries += [Entry("", slug, kind, e.title, e.date, e.version, source=Path(e.path),
                              place=f"processes.{slug}.{list_name}[{i}].path")
                        for i, e in enumerate(getattr(proc, list_name))]
    for i, review in enumerate(p.management_reviews):
        if review.minutes:
            entries.append(Entry("", "management-reviews", "record", words["review"].format(day=review.date),
                                 review.date, source=Path(review.minutes), place=f"management_reviews[{i}].minutes"))
    for i, audit in enumerate(p.audits):
        if audit.report:
            entries.append(Entry("", "audits", "record", words["report"].format(audit=audit.id),
                                 audit.end or audit.start, source=Path(audit.report), place=f"audits[{i}].report"))
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


def _index(entries: list[Entry], lang: str, moment: datetime, author: str) -> bytes:
    from openpyxl import Workbook

    from ..ooxml.xlsx import FRAME_MARGIN_INCHES, HEADER_MARGIN_INCHES, put, saved, set_print_frame

    headers = {"fr": ["Fichier", "Processus", "Type", "Titre", "Date", "Version", "Taille (octets)", "SHA-256"],
               "en": ["File", "Process", "Type", "Title", "Date", "Version", "Size (bytes)", "SHA-256"]}[lang]
    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = author  # the organisation, never the library
    ws = wb.active
    ws.title = "Index"
    ws.append(headers)
    for e in entries:
        row = ws.max_row + 1
        for col, value in enumerate([e.arcname, e.process, e.kind, e.title, e.date, e.version, e.size, e.sha256], start=1):
            put(ws.cell(row=row, column=col), value)
    for letter, width in zip("ABCDEFGH", INDEX_WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{ws.max_row}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    day = moment.date()
    words = {"fr": ("Index du dossier", "état au", "page", "sur"), "en": ("Package index", "as of", "page", "of")}[lang]
    set_print_frame(ws, (words[0], author), (f"version {day.isoformat()} — {words[1]} {long_date(day, lang)}", ""),
                    (words[2], words[3]))
    ws.page_margins.top = ws.page_margins.bottom = FRAME_MARGIN_INCHES  # room for the header and footer
    ws.page_margins.header = ws.page_margins.footer = HEADER_MARGIN_INCHES
    return saved(wb, moment)


def sums_line(digest: str, name: str) -> str:
    """A SHA256SUMS line `sha256sum -c` reads back, escaping a backslash in the name as GNU coreutils does."""
    if "\\" in name:
        return f"\\{digest}  {name.replace(chr(92), chr(92) * 2)}\n"
    return f"{digest}  {name}\n"


def _generated(pf: ProjectFile, lang: str, moment: datetime) -> list[Entry]:
    """The forms kitgen generates for the auditors (reports, checklists, minutes, the action plan)."""
    project = pf.project
    jobs = [(form, key) for form in form_types() if form.packaged and form.keys_available(project)
            and form.in_package(project) for key in form.keys(project, None, pf.path)]
    with frozen_clock(moment):
        rendered = render_all([(form, project, key, lang, resolve(form.template, lang)) for form, key in jobs])
    return [Entry(f"{form.package_folder}/{out.name}", form.package_folder.rsplit("/", 1)[-1],
                  "audit" if form.package_folder == "audits" else "document", form.title(project, key, lang),
                  moment.date(), data=out.data) for (form, key), out in zip(jobs, rendered)]


def build_package(pf: ProjectFile, out: Path | None = None, *, lang: str | None = None,
                  progress: Callable[..., None] | None = None) -> Path:
    """Write the documentation package zip and return its path (default output/package-<id>-<date>.zip);
    `progress(name, done, total)` is called as each file goes in."""
    project = pf.project
    lang = lang or project.language
    moment = package_moment(pf)
    out = out or Path("output") / f"package-{project.id}-{moment.date().isoformat()}.zip"
    entries = _evidence(pf, lang)
    problems: list[Problem] = []
    for e in entries:
        vetted = _vet(pf.folder, str(e.source))
        if isinstance(vetted[0], str):
            why, code = vetted
            rel = str(e.source)
            problems.append(problem(why, pf.path, place=e.place, value=rel if code != "unstorable-name" else repr(rel),
                                    hint=FIX_PATH, code=code))
        else:
            e.source, e.vetted = vetted
    if problems:  # every file that cannot go in, one line each: nothing is written
        raise KitgenError(problems=problems)
    _place(entries)
    entries += _generated(pf, lang, moment)
    with frozen_clock(moment):
        check = check_readiness(pf, moment.date())
    entries.sort(key=lambda e: e.arcname)
    contents = sorted(Counter(e.arcname.rsplit("/", 1)[0] for e in entries).items())
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(out) as raw, zipfile.ZipFile(raw, "w") as zf:
        for done, e in enumerate(entries, start=1):  # one pass per file: hashed while it is streamed into the zip
            if progress:
                progress(e.arcname, done, len(entries))
            e.size, e.sha256 = _write(zf, e)
        cover_data = normalize_package(cover.render(
            lang, project.organisation.legal_name, project.scope.statement,
            get_framework(project.framework).title[lang], moment, contents, check.ready, check.checks), moment)
        extras = {"cover.docx": cover_data,
                  "index.xlsx": _index(entries, lang, moment, project.organisation.legal_name)}
        for name, data in extras.items():
            _write(zf, Entry(name, "", "", "", None, data=data))
        sums = "".join(sums_line(e.sha256, e.arcname) for e in entries)
        sums += "".join(sums_line(hashlib.sha256(d).hexdigest(), n) for n, d in extras.items())
        _write(zf, Entry("SHA256SUMS", "", "", "", None, data=sums.encode()))
    return out


def _open_vetted(e: Entry) -> int:
    """Open an evidence file without following links and check it is the file vetted (not swapped since)."""
    assert e.source is not None and e.vetted is not None
    try:
        fd = os.open(e.source, os.O_RDONLY | NOFOLLOW)
    except OSError:
        raise KitgenError(N_("changed while packaging (now a link or gone)"), e.source, hint=N_("package again"),
                          code="changed") from None
    st = os.fstat(fd)
    if (st.st_dev, st.st_ino) != e.vetted or not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise KitgenError(N_("replaced while packaging"), e.source, hint=N_("package again"), code="changed")
    return fd


def _write(zf: zipfile.ZipFile, e: Entry) -> tuple[int, str]:
    """Add one entry (fixed timestamp; compressed formats stored); returns its size and SHA-256."""
    info = zipfile.ZipInfo(e.arcname, date_time=ZIP_EPOCH)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_STORED if Path(e.arcname).suffix.lower() in STORED else zipfile.ZIP_DEFLATED
    if e.data is not None:
        zf.writestr(info, e.data)
        return len(e.data), hashlib.sha256(e.data).hexdigest()
    digest, size = hashlib.sha256(), 0
    with os.fdopen(_open_vetted(e), "rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return size, digest.hexdigest()
