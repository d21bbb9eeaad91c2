"""How harvest and findings results are shown: rich tables on a terminal, JSON and CSV for scripts."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..frameworks import get_framework
from ..jobs.coverage import Coverage
from ..jobs.feedback import Feedback, number
from ..jobs.harvest import HarvestReport
from ..jobs.scan import ScanReport
from ..project.models import Project
from ..project.register import FindingRow
from .jsonout import document, person
from .output import console


def _console(*, err: bool = False) -> Console:
    """The results' console (stdout), or the warnings' (stderr): see output.py."""
    return console(err=err)


def print_harvest(report: HarvestReport, project: Path, *, dry_run: bool) -> None:
    """A summary table of what changed, then conflicts, additions, deletions and skipped files."""
    console = _console()
    verb = "would change" if dry_run else "changed"
    if report.changes:
        table = Table(title=f"{project}: {len(report.changes)} value(s) {verb}")
        for col in ("file", "field", "was", "now"):
            table.add_column(col, overflow="fold")
        for c in report.changes:
            table.add_row(c.file, c.target, str(c.old), str(c.new))
        console.print(table)
    for line in report.untrusted:
        _console(err=True).print(f"warning: untrusted base: {line}")
    for conflict in report.conflicts:
        other = f"; {conflict.other} set the project's value" if conflict.other else ""
        console.print(f"conflict {conflict.target} ({conflict.file}): form {conflict.form!r}, project "
                      f"{conflict.project!r} (was {conflict.base!r}{other}); kept the {conflict.kept}'s value")
    for title, lines in (("added", report.added), ("deleted in form:", report.deleted),
                         ("gone from the project:", report.gone), ("ignored", report.ignored),
                         ("not taken:", report.not_taken),
                         ("older copy:", report.older)):
        for line in lines:
            console.print(f"{title} {line}")
    for line in report.skipped:
        _console(err=True).print(f"skipped {line}")
    if report.conflicts_left:
        console.print(f"{len(report.conflicts_left)} conflict(s) left: edit the project file, or run again with "
                      "--prefer form to take the forms' values")
    if not (report.changes or report.added):
        console.print(f"{project}: nothing to change")
    elif dry_run:
        console.print("dry run: nothing written")
    elif report.written:
        console.print(f"wrote {project}{_kept_as(project, report.backup)}")


def _kept_as(project: Path, backup: Path | None) -> str:
    """Where the previous version was kept, named as the user named the project file (it lies beside it)."""
    if backup is None:
        return ""
    shown = project.parent / backup.name if backup.parent == project.resolve().parent else backup
    return f" (previous version kept as {shown})"


def _flags(row: FindingRow) -> str:
    flags = [name for name, on in (("overdue", row.overdue), ("major-6-months", row.major_past_deadline)) if on]
    if row.recurring:
        flags.append(f"recurring ({row.recurs})")
    if row.late_actions:
        flags.append(f"due after the limit: {', '.join(row.late_actions)}")
    return ", ".join(flags)


def print_findings(rows: list[FindingRow]) -> None:
    """The findings as a rich table."""
    table = Table(title=f"{len(rows)} finding(s)")
    for col in ("id", "audit", "clause", "grade", "status", "owner", "due", "late", "verified by", "flags"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.id, r.audit or r.source, r.clause, r.grade, r.status, r.owner,
                      r.due.isoformat() if r.due else "", str(r.days_overdue or ""), r.verified_by, _flags(r))
    _console().print(table)


def findings_json(rows: list[FindingRow], project: Project) -> str:
    """The findings as one versioned JSON document; owners and processes by id plus display name."""
    fw = get_framework(project.framework)

    def row(r: FindingRow) -> dict[str, object]:
        out = r.as_dict()
        out["owners"] = [person(project, pid) for pid in out.pop("owner_ids")]
        out["process_name"] = fw.process_title(r.process, project.language) if r.process in fw.processes else ""
        return out
    return document("findings", {"findings": [row(r) for r in rows]})


CSV_FIELDS = ["id", "audit", "audit_kind", "source", "raised", "clause", "clause_title", "process", "grade", "statement",
              "status", "owner", "due", "days_overdue", "verified_by", "recurring", "recurs", "overdue",
              "overdue_actions", "major_deadline", "major_past_deadline", "late_actions"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """A CSV field a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def findings_csv(rows: list[FindingRow]) -> str:
    """The findings as CSV (UTF-8, one header row); text that would start a formula is made inert."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: inert(v) for k, v in r.as_dict().items()})
    return buf.getvalue()


SHORT = {"conform": "ok", "major": "NC maj", "minor": "NC min", "concern": "concern", "observation": "obs",
         "improvement": "OFI", "strength": "strength", "not-audited": "—", "": ""}


def print_coverage(cov: Coverage) -> None:
    """The clause × audit matrix as a rich table, the gaps flagged."""
    table = Table(title=f"clause coverage as of {cov.as_of.isoformat()}")
    table.add_column("clause")
    table.add_column("title", overflow="fold", max_width=36)
    for a in cov.audits:
        table.add_column(a.id)
    table.add_column("gaps", overflow="fold")
    for r in cov.rows:
        gaps = ", ".join(g for g, on in (("no internal audit in 12 months", r.internal_gap),
                                         ("not yet in the certification cycle", r.cycle_gap)) if on)
        table.add_row(r.clause, r.title, *[SHORT.get(r.audits[a.id], r.audits[a.id]) for a in cov.audits], gaps)
    console = _console()
    console.print(table)
    internal = [r.clause for r in cov.rows if r.internal_gap]
    console.print(f"{len(cov.rows) - len(internal)} of {len(cov.rows)} clauses covered by internal audits in the last "
                  "12 months" + (f"; not covered: {', '.join(internal)}" if internal else ""))


def coverage_csv(cov: Coverage) -> str:
    """The matrix as CSV: clause, title, one column per audit, the two gap flags; text made inert."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["clause", "title", *[a.id for a in cov.audits], "internal_gap", "cycle_gap"])
    for r in cov.rows:
        writer.writerow([inert(v) for v in (r.clause, r.title, *[r.audits[a.id] for a in cov.audits],
                                            r.internal_gap, r.cycle_gap)])
    return buf.getvalue()


def print_scan(report: ScanReport, project: Path, *, dry_run: bool) -> None:
    """What a scan added (a table), then the files gone, the strays and the files skipped."""
    console = _console()
    if report.added:
        table = Table(title=f"{project}: {len(report.added)} file(s) {'to add' if dry_run else 'added'}")
        for col in ("process", "list", "path", "date", "date from", "title"):
            table.add_column(col, overflow="fold")
        for f in report.added:
            e = f.entry
            table.add_row(f.owner, f.kind, e["path"], e["date"].isoformat(), e["date_from"], e["title"])
        console.print(table)
        if any(f.entry["date_from"] in ("file-time", "name-month") for f in report.added):
            console.print("check the dates taken from the files' modification time or from a month in their name "
                          "(date_from: file-time, name-month): readiness does not count them until then")
    for title, lines in (("gone:", report.missing), ("stray:", report.stray), ("copy:", report.copies)):
        for line in lines:
            console.print(f"{title} {line}")
    for line in report.skipped:
        _console(err=True).print(f"skipped: {line}")
    console.print(f"{report.known} file(s) already listed" + (
        "; dry run: nothing written" if dry_run and report.added else
        f"; wrote {project}{_kept_as(project, report.backup)}"
        if report.written else "; nothing to add"))


FEEDBACK_WORDS = {
    "fr": {"report": "rapport", "mean": "moyenne", "best": "{best} = la meilleure réponse"},
    "en": {"report": "report", "mean": "mean", "best": "{best} = best"},
}


def _one_line(text: str) -> str:
    """Free text on one terminal line: its paragraphs and line breaks shown as ' / '."""
    return " / ".join(text.split("\n"))


def print_feedback(fb: Feedback, out_file: Path, lang: str) -> None:
    """The headline, a line per scale question (counts best first, mean), the lists' sizes and the problems, in the
    report's language (its words and its numbers)."""
    console, w = _console(), FEEDBACK_WORDS[lang]
    separator, colon = (" ; ", " :") if lang == "fr" else ("; ", ":")
    console.print(f"{fb.headline(lang)}{separator}{w['report']}{colon} {out_file}", soft_wrap=True)
    for n, q in fb.questions.items():
        best = len(q.counts)
        mean = number(q.mean, lang, "0.00") if q.mean is not None else "—"
        counts = " ".join(number(c, lang).rjust(4) for c in q.counts)
        console.print(f"  Q{n}{colon} {counts}   {w['mean']} {mean} / {best} ({w['best'].format(best=best)})")
    console.print(f"  {fb.list_sizes(lang)}")
    for problem in fb.problems:
        console.print(f"  {problem.file}: {_one_line(problem.text(lang))}", soft_wrap=True)
