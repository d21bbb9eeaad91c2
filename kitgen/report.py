"""How harvest and findings results are shown: rich tables on a terminal, JSON and CSV for scripts."""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .harvest import HarvestReport
from .tracking import FindingRow


def _console() -> Console:
    """A console that does not squeeze tables to 80 columns when piped."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 160)


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
    for conflict in report.conflicts:
        console.print(f"conflict {conflict.target} ({conflict.file}): form {conflict.form!r}, project "
                      f"{conflict.project!r} (was {conflict.base!r}); kept the {conflict.kept}'s value")
    for line in report.added:
        console.print(f"added {line}")
    for line in report.deleted:
        console.print(f"deleted in form: {line}")
    for line in report.skipped:
        console.print(f"skipped {line}")
    if not (report.changes or report.added):
        console.print(f"{project}: nothing to change")
    elif dry_run:
        console.print("dry run: nothing written")
    elif report.written:
        console.print(f"wrote {project}" + (f" (previous version kept as {report.backup})" if report.backup else ""))


def _flags(row: FindingRow) -> str:
    return ", ".join(name for name, on in (("overdue", row.overdue), ("recurring", row.recurring),
                                             ("major-6-months", row.major_past_deadline)) if on)


def print_findings(rows: list[FindingRow]) -> None:
    """The findings as a rich table."""
    table = Table(title=f"{len(rows)} finding(s)")
    for col in ("id", "audit", "clause", "grade", "status", "owner", "due", "late", "verified by", "flags"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.id, r.audit, r.clause, r.grade, r.status, r.owner,
                      r.due.isoformat() if r.due else "", str(r.days_overdue or ""), r.verified_by, _flags(r))
    _console().print(table)


def findings_json(rows: list[FindingRow]) -> str:
    """The findings as a JSON list."""
    return json.dumps([r.as_dict() for r in rows], indent=2, ensure_ascii=False)


CSV_FIELDS = ["id", "audit", "audit_kind", "raised", "clause", "clause_title", "process", "grade", "statement", "status",
              "owner", "due", "days_overdue", "verified_by", "recurring", "overdue", "major_deadline", "major_past_deadline"]


def findings_csv(rows: list[FindingRow]) -> str:
    """The findings as CSV (UTF-8, one header row)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(r.as_dict())
    return buf.getvalue()
