"""The project as it stood on a date: what `--as-of` means everywhere.

Audits that had not started did not happen; findings raised later do not exist yet; an action opened later does not
exist, one closed later was still open, an effectiveness check made later had not been made; reviews, records,
certificates and certification decisions after the date are not there yet; an objective measured later had no result
yet.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from .models import Action, Audit, Evidence, Finding, Project
from .status import raised_on


def _action(action: Action, day: date, opened: date | None) -> Action | None:
    start = action.opened or opened
    if start is not None and start > day:
        return None
    update: dict[str, Any] = {}
    effectiveness = action.effectiveness
    if effectiveness is not None and effectiveness.date > day:
        update["effectiveness"] = effectiveness = None
    if action.closed is not None and action.closed > day:
        update.update(status="open", closed=None)
    elif action.status == "verified" and effectiveness is None and action.closed is not None:
        update["status"] = "done"
    return action.model_copy(update=update) if update else action


def _finding(finding: Finding, audit: Audit | None, day: date, audit_days: dict[str, date]) -> Finding | None:
    raised = raised_on(finding, audit)
    if raised is not None and raised > day:
        return None
    actions = [a for a in (_action(x, day, raised) for x in finding.actions) if a is not None]
    follow_ups = [fu for fu in finding.follow_ups if fu.audit in audit_days and audit_days[fu.audit] <= day]
    if actions == finding.actions and follow_ups == finding.follow_ups:
        return finding
    return finding.model_copy(update={"actions": actions, "follow_ups": follow_ups})


def _evidence(items: list[Evidence], day: date) -> list[Evidence]:
    return [e for e in items if e.date <= day]


def as_of(project: Project, day: date) -> Project:
    """A copy of `project` as it stood at the end of `day` (the project itself is not changed)."""
    # an audit's verdicts count once it has ended (a one-day audit: on that day)
    audit_days = {a.id: a.end or a.start for a in project.audits if a.start <= day}
    audits = []
    for audit in project.audits:
        if audit.start > day:
            continue
        findings = [f for f in (_finding(x, audit, day, audit_days) for x in audit.findings) if f is not None]
        audits.append(audit.model_copy(update={"findings": findings}) if findings != audit.findings else audit)
    register = [f for f in (_finding(x, None, day, audit_days) for x in project.findings) if f is not None]
    reviews = []
    for review in project.management_reviews:
        if review.date > day:
            continue
        actions = [a for a in (_action(x, day, review.date) for x in review.actions) if a is not None]
        reviews.append(review.model_copy(update={"actions": actions}) if actions != review.actions else review)
    processes = {slug: p.model_copy(update={"documents": _evidence(p.documents, day),
                                            "records": _evidence(p.records, day)})
                 for slug, p in project.processes.items()}
    system = project.management_system.model_copy(update={
        "documents": _evidence(project.management_system.documents, day),
        "records": _evidence(project.management_system.records, day)})
    objectives = [o if o.measured is None or o.measured <= day else o.model_copy(update={"result": "", "measured": None})
                  for o in project.objectives]
    people = [p if all(c.date <= day for c in p.certificates) else
              p.model_copy(update={"certificates": [c for c in p.certificates if c.date <= day]}) for p in project.people]
    cert = project.certification
    cert_update: dict[str, Any] = {}
    if cert.decision and cert.decision > day:
        cert_update["decision"] = None
    if cert.certificate and cert.certificate.issued > day:
        cert_update["certificate"] = None
    return project.model_copy(update={
        "audits": audits, "findings": register, "management_reviews": reviews,
        "satisfaction": [s for s in project.satisfaction if s.date <= day],
        "processes": processes, "management_system": system, "objectives": objectives, "people": people,
        "certification": cert.model_copy(update=cert_update) if cert_update else cert,
    })

