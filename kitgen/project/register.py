"""The nonconformity register (§10.1): every finding of every source with its derived status and flags.

Findings come from audits and from outside them (complaints, major incidents, management reviews, self-detection).
Flags: overdue (per action), recurring (the same clause or one of its sub-clauses found again after an earlier
finding was closed, naming it), and for a stage 2 major the 6-month limit, from the day it starts.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from ..frameworks import get_framework
from .models import Action, Audit, Finding, Project
from .status import NONCONFORMITIES, OPEN_ACTION, action_days_overdue, finding_status, last_verdict, raised_on

MAJOR_LIMIT_MONTHS = 6   # a major raised at stage 2 is corrected and verified within this (ISO/IEC 17021-1)


@dataclass
class FindingRow:
    """One finding as the `findings` command and the action plan show it."""

    id: str
    audit: str
    audit_kind: str
    source: str
    raised: date | None
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
    recurs: str = ""                      # the earlier finding this one repeats
    overdue: bool = False
    overdue_actions: list[str] = field(default_factory=list)
    major_deadline: date | None = None
    major_past_deadline: bool = False
    late_actions: list[str] = field(default_factory=list)   # due after the 6-month limit
    actions: list[str] = field(default_factory=list)
    owner_ids: list[str] = field(default_factory=list)     # the people `owner` names, by id

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly dict (dates as ISO strings)."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


def related_clauses(a: str, b: str) -> bool:
    """The same clause, or one a sub-clause of the other (8.5.1 and 8.5.1.3)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def closure_date(finding: Finding, project: Project) -> date | None:
    """When a closed finding was closed: the follow-up that closed it, else its last action's closure or check."""
    verdict = last_verdict(finding, project)
    if verdict and verdict[0] == "closed":
        return verdict[1]
    dates = [d for a in finding.actions for d in (a.closed, a.effectiveness.date if a.effectiveness else None) if d]
    return max(dates) if dates else None


def verified_by(project: Project, finding: Finding) -> str:
    """The audit that verified a closed finding: the one whose follow-up closed it, else the one during which its
    last effectiveness check took place; '' when it was verified outside any audit."""
    for fu in reversed(finding.follow_ups):
        if fu.verdict == "closed":
            return fu.audit
    checks = [a.effectiveness.date for a in finding.actions if a.effectiveness and a.effectiveness.effective]
    if not checks or finding_status(finding, project) != "closed":
        return ""
    return next((a.id for a in project.audits if a.start <= max(checks) <= (a.end or a.start)), "")


def action_overdue(action: Action, finding_status_: str, as_of: date) -> int:
    """Days an action is overdue; a finding closed by an audit's verdict has nothing overdue."""
    return 0 if finding_status_ == "closed" else action_days_overdue(action, as_of)


def major_deadline(finding: Finding, audit: Audit | None) -> date | None:
    """The 6-month limit to verify a major raised at stage 2 (ISO/IEC 17021-1), else None."""
    if finding.grade != "major" or audit is None or audit.kind != "stage2":
        return None
    return (audit.end or audit.start) + relativedelta(months=MAJOR_LIMIT_MONTHS)


def _order(item: tuple[Audit | None, Finding]) -> date:
    return raised_on(item[1], item[0]) or date.min


def finding_rows(project: Project, as_of: date) -> list[FindingRow]:
    """Every finding, audits' and the register's, in the order they were raised, with derived status and flags."""
    fw = get_framework(project.framework)
    lang = project.language
    names = {p.id: p.name for p in project.people}
    rows: list[FindingRow] = []
    closed: list[tuple[str, str, date]] = []  # (clause, finding id, closed on) of closed nonconformities so far
    for audit, f in sorted(project.all_findings(), key=_order):
        raised = raised_on(f, audit)
        status = finding_status(f, project)
        active = [a for a in f.actions if a.status != "cancelled"]
        pending = [a for a in active if a.status in OPEN_ACTION] or active
        overdue = {a.id: action_overdue(a, status, as_of) for a in active}
        deadline = major_deadline(f, audit)
        start = audit.start if audit else raised
        earlier = next((fid for clause, fid, when in reversed(closed)
                        if related_clauses(clause, f.clause) and start is not None and when <= start), "")
        rows.append(FindingRow(
            id=f.id, audit=audit.id if audit else "", audit_kind=audit.kind if audit else "",
            source=f.source or ("audit" if audit else "self-detected"), raised=raised, clause=f.clause,
            clause_title=fw.clause_title(f.clause, lang), process=f.process or "", grade=f.grade,
            statement=f.statement, status=status,
            owner=", ".join(sorted({names.get(a.owner, a.owner) for a in pending if a.owner})),
            owner_ids=sorted({a.owner for a in pending if a.owner}),
            due=min((a.due for a in pending if a.due), default=None),
            days_overdue=max(overdue.values(), default=0), verified_by=verified_by(project, f),
            recurring=bool(earlier) and f.grade in NONCONFORMITIES, recurs=earlier if f.grade in NONCONFORMITIES else "",
            overdue=any(overdue.values()), overdue_actions=[aid for aid, days in overdue.items() if days],
            major_deadline=deadline,
            major_past_deadline=deadline is not None and status not in ("closed", "n/a") and as_of > deadline,
            late_actions=[a.id for a in active if deadline and a.status in OPEN_ACTION and a.due and a.due > deadline],
            actions=[a.id for a in f.actions],
        ))
        when = closure_date(f, project)
        if f.grade in NONCONFORMITIES and status == "closed" and when is not None:
            closed.append((f.clause, f.id, when))
    return rows
