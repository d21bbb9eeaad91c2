"""Derived status of findings and actions: the rules every part of kitgen agrees on."""
from __future__ import annotations

from datetime import date

from .models import Action, Audit, Finding, Project

NONCONFORMITIES = ("major", "minor")
# still to be done: the statuses of actions, risks and findings that count as open (one place for every verb and form)
OPEN_ACTION = ("open", "in-progress")
REOPENING = ("not-effective", "not-verified")


def action_is_verified(action: Action) -> bool:
    """Verified, or done with an effectiveness check that found it effective."""
    if action.status == "verified":
        return True
    return action.status == "done" and action.effectiveness is not None and action.effectiveness.effective


def action_days_overdue(action: Action, as_of: date) -> int:
    """Days past due for an action still open or in progress (0 when not overdue)."""
    if action.status in OPEN_ACTION and action.due and action.due < as_of:
        return (as_of - action.due).days
    return 0


def audit_day(project: Project, audit_id: str) -> date | None:
    """The last day of an audit (None for an unknown audit)."""
    audit = project.audit(audit_id)
    return (audit.end or audit.start) if audit else None


def last_verdict(finding: Finding, project: Project) -> tuple[str, date] | None:
    """The most recent follow-up verdict on a finding and the last day of the audit that gave it."""
    dated: list[tuple[date, str]] = []
    for fu in finding.follow_ups:
        day = audit_day(project, fu.audit)
        if day is not None:
            dated.append((day, fu.verdict))
    if not dated:
        return None
    day, verdict = max(dated, key=lambda x: x[0])
    return verdict, day


def _status_from_actions(finding: Finding) -> str:
    active = [a for a in finding.actions if a.status != "cancelled"]
    if not active:
        return "open" if finding.grade in NONCONFORMITIES else "noted"
    if all(action_is_verified(a) for a in active):
        return "closed"
    if any(a.status != "open" for a in active):
        return "in-progress"
    return "open"


def finding_status(finding: Finding, project: Project) -> str:
    """open | in-progress | closed | noted (remark without actions) | n/a (strength).

    A finding stays open until its actions are done and their effectiveness verified, or a later audit closes it.
    A later audit's `not-effective` or `not-verified` verdict reopens it, until an effectiveness check made after
    that audit finds the actions effective.
    """
    if finding.grade == "strength":
        return "n/a"
    from_actions = _status_from_actions(finding)
    verdict = last_verdict(finding, project)
    if verdict is None:
        return from_actions
    word, day = verdict
    if word == "closed":
        return "closed"
    checked_since = [a.effectiveness.date for a in finding.actions
                     if a.effectiveness and a.effectiveness.effective and a.effectiveness.date > day]
    if from_actions == "closed" and checked_since:
        return "closed"
    if word in REOPENING:
        return "open"
    return "in-progress" if from_actions in ("open", "closed") else from_actions


def raised_on(finding: Finding, audit: Audit | None) -> date | None:
    """When a finding was raised: its own date, else the last day of its audit."""
    if finding.raised:
        return finding.raised
    return (audit.end or audit.start) if audit else None
