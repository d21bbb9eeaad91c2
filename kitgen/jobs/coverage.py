"""`kitgen coverage`: which clauses each audit covered (its checklist's verdicts, else its findings), and the gaps
an audit programme must close: clauses no internal audit covered in the last 12 months, and clauses the
certification body's audits have not covered in the current three-year cycle."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from ..forms.common import today
from ..frameworks import get_framework
from ..project.history import as_of as project_as_of
from ..project.models import Audit, Project

BODY_AUDITS = ("stage1", "stage2", "surveillance", "recertification")
CYCLE_YEARS = 3


def verdict(audit: Audit, clause: str) -> str:
    """What an audit recorded for a clause: its checklist verdict, else the grade of a finding it raised on the
    clause or one of its sub-clauses, else '' (not covered)."""
    if clause in audit.coverage:
        return audit.coverage[clause].verdict
    grades = [f.grade for f in audit.findings if f.clause == clause or f.clause.startswith(clause + ".")]
    return grades[0] if grades else ""


def covered(value: str) -> bool:
    return value not in ("", "not-audited")


@dataclass
class ClauseRow:
    """One clause: what each audit recorded, and whether the programme's gaps include it."""

    clause: str
    title: str
    audits: dict[str, str] = field(default_factory=dict)
    internal_gap: bool = False    # no internal audit covered it in the last 12 months
    cycle_gap: bool = False       # the body's audits have not covered it in the current cycle


@dataclass
class Coverage:
    """The clause × audit matrix and its gaps, as of a date."""

    as_of: date
    audits: list[Audit]
    rows: list[ClauseRow]
    cycle_start: date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "cycle_start": self.cycle_start.isoformat() if self.cycle_start else None,
            "audits": [{"id": a.id, "kind": a.kind, "start": a.start.isoformat()} for a in self.audits],
            "clauses": [{"clause": r.clause, "title": r.title, "audits": r.audits, "internal_gap": r.internal_gap,
                         "cycle_gap": r.cycle_gap} for r in self.rows],
            "internal_gaps": [r.clause for r in self.rows if r.internal_gap],
            "cycle_gaps": [r.clause for r in self.rows if r.cycle_gap],
        }


def coverage(project: Project, as_of: date | None = None) -> Coverage:
    """The coverage matrix of the project as it stood on `as_of` (default today)."""
    day = as_of or today()
    p = project_as_of(project, day)
    fw = get_framework(p.framework)
    audits = sorted(p.audits, key=lambda a: a.start)
    since = day - relativedelta(months=p.certification.internal_audit_interval_months)
    recent_internal = [a for a in audits if a.kind == "internal" and (a.end or a.start) >= since]
    starts = [a.start for a in audits if a.kind in ("stage1", "recertification")]
    cycle_start = max(starts) if starts else None
    cycle = [a for a in audits if a.kind in BODY_AUDITS and cycle_start and a.start >= cycle_start
             and a.start < cycle_start + relativedelta(years=CYCLE_YEARS)]
    rows = []
    for clause in fw.requirements():
        row = ClauseRow(clause, fw.clause_title(clause, p.language), {a.id: verdict(a, clause) for a in audits})
        row.internal_gap = not any(covered(verdict(a, clause)) for a in recent_internal)
        row.cycle_gap = cycle_start is not None and not any(covered(verdict(a, clause)) for a in cycle)
        rows.append(row)
    return Coverage(day, audits, rows, cycle_start)
