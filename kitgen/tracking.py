"""Findings and actions across audit rounds: derived status, overdue actions, recurring findings, the major deadline."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from .errors import KitgenError
from .forms.common import today
from .frameworks import get_framework
from .project.load import ProjectFile
from .project.models import Action, Audit, Finding, Project
from .project.status import NONCONFORMITIES, OPEN_ACTION, finding_status

MAJOR_LIMIT_MONTHS = 6


def closure_date(finding: Finding) -> date | None:
    """When a closed finding was closed: its last action's closure or effectiveness date."""
    dates = [d for a in finding.actions for d in (a.closed, a.effectiveness.date if a.effectiveness else None) if d]
    return max(dates) if dates else None


def action_days_overdue(action: Action, as_of: date) -> int:
    """Days past due for an action still open or in progress (0 when not overdue)."""
    if action.status in OPEN_ACTION and action.due and action.due < as_of:
        return (as_of - action.due).days
    return 0


@dataclass
class FindingRow:
    """One finding as the `findings` command and the action plan show it."""

    id: str
    audit: str
    audit_kind: str
    raised: date
    clause: str
    clause_title: str
    process: str
    grade: str
    statement: str
    status: str
    owner: str
    due: date | None
    days_overdue: int
    verified_by: str
    recurring: bool = False
    overdue: bool = False
    major_deadline: date | None = None
    major_past_deadline: bool = False
    actions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """JSON-friendly dict (dates as ISO strings)."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


def stage2_end(project: Project) -> date | None:
    """Last day of the latest stage-2 audit, which starts the 6-month clock for majors."""
    ends = [a.end or a.start for a in project.audits if a.kind == "stage2"]
    return max(ends) if ends else None


def _verified_by(project: Project, finding: Finding) -> str:
    """The audit round that verified a closed finding: the one whose follow-up closed it, else the one during
    which its last effectiveness check took place; '' when it was verified outside any round."""
    for fu in reversed(finding.follow_ups):
        if fu.verdict == "closed":
            return fu.audit
    checks = [a.effectiveness.date for a in finding.actions if a.effectiveness and a.effectiveness.effective]
    if not checks or finding_status(finding) != "closed":
        return ""
    return next((a.id for a in project.audits if a.start <= max(checks) <= (a.end or a.start)), "")


def finding_rows(project: Project, as_of: date | None = None) -> list[FindingRow]:
    """Every finding of every round, in audit order, with derived status and flags."""
    as_of = as_of or today()
    fw = get_framework(project.framework)
    lang = project.language
    s2 = stage2_end(project)
    rows: list[FindingRow] = []
    closed_by_clause: dict[str, date] = {}
    audits: list[Audit] = sorted(project.audits, key=lambda a: a.start)
    for audit in audits:
        raised = audit.end or audit.start
        for f in audit.findings:
            active = [a for a in f.actions if a.status != "cancelled"]
            pending = [a for a in active if a.status in OPEN_ACTION] or active
            owners = sorted({a.owner for a in pending if a.owner})
            dues = [a.due for a in pending if a.due]
            overdue_days = max((action_days_overdue(a, as_of) for a in active), default=0)
            status = finding_status(f)
            earlier_close = closed_by_clause.get(f.clause)
            row = FindingRow(
                id=f.id, audit=audit.id, audit_kind=audit.kind, raised=raised, clause=f.clause,
                clause_title=fw.clause_title(f.clause, lang), process=f.process or "", grade=f.grade,
                statement=f.statement, status=status,
                owner=", ".join((project.person(o).name if project.person(o) else o) for o in owners),  # type: ignore[union-attr]
                due=min(dues) if dues else None, days_overdue=overdue_days,
                verified_by=_verified_by(project, f),
                recurring=f.grade in NONCONFORMITIES and earlier_close is not None and earlier_close <= audit.start,
                overdue=overdue_days > 0, actions=[a.id for a in f.actions],
            )
            if f.grade == "major" and s2 and audit.kind in ("stage1", "stage2") and raised <= s2:
                row.major_deadline = s2 + relativedelta(months=MAJOR_LIMIT_MONTHS)
                row.major_past_deadline = status != "closed" and as_of > row.major_deadline
            rows.append(row)
            if f.grade in NONCONFORMITIES and status == "closed":
                when = closure_date(f) or raised
                closed_by_clause[f.clause] = min(when, closed_by_clause.get(f.clause, when))
    return rows


def select_findings(pf: ProjectFile, *, only_open: bool = False, audit: str | None = None,
                    as_of: date | None = None) -> list[FindingRow]:
    """The `findings` command's rows: optionally only open ones, or one audit's."""
    if audit and pf.project.audit(audit) is None:
        known = ", ".join(a.id for a in pf.project.audits) or "none"
        raise KitgenError(f"{pf.path}: no audit {audit!r} (audits: {known})")
    rows = finding_rows(pf.project, as_of)
    if audit:
        rows = [r for r in rows if r.audit == audit]
    if only_open:
        rows = [r for r in rows if r.status in ("open", "in-progress")]
    return rows
