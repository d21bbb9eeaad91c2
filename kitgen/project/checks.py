"""Cross-checks a schema cannot express: references resolve, ids are unique, dates are in order."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..frameworks import get_framework
from .models import Project

Loc = tuple[Any, ...]
Problem = tuple[Loc, str]


def _unique(items: Iterable[Any], loc: Loc, what: str) -> list[Problem]:
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(((*loc, i, "id"), f"duplicate {what} id {item.id!r} (first used at {seen[item.id] + 1})"))
        else:
            seen[item.id] = i
    return problems


def cross_check(project: Project) -> list[Problem]:
    """Every problem between parts of a structurally valid project, each with its location."""
    fw = get_framework(project.framework)
    people = {p.id for p in project.people}
    parties = {p.id: p for p in project.parties}
    problems: list[Problem] = []

    def person(loc: Loc, value: str | None) -> None:
        if value is not None and value not in people:
            problems.append((loc, f"unknown person {value!r} (people: {', '.join(sorted(people))})"))

    def party(loc: Loc, value: str | None, kinds: tuple[str, ...] = ()) -> None:
        if value is None:
            return
        if value not in parties:
            problems.append((loc, f"unknown party {value!r} (parties: {', '.join(sorted(parties)) or 'none'})"))
        elif kinds and parties[value].kind not in kinds:
            problems.append((loc, f"party {value!r} is {parties[value].kind}, expected {' or '.join(kinds)}"))

    def process(loc: Loc, value: str | None) -> None:
        if value is not None and value not in fw.processes:
            problems.append((loc, f"unknown process {value!r} for {fw.id} (processes: {', '.join(fw.processes)})"))

    problems += _unique(project.people, ("people",), "person")
    problems += _unique(project.parties, ("parties",), "party")
    problems += _unique(project.audits, ("audits",), "audit")
    problems += _unique(project.scope.services, ("scope", "services"), "service")
    person(("organisation", "contact"), project.organisation.contact)

    for i, svc in enumerate(project.scope.services):
        for j, cust in enumerate(svc.customers):
            party(("scope", "services", i, "customers", j), cust, ("CL",))
    for i, out in enumerate(project.scope.outsourced):
        process(("scope", "outsourced", i, "process"), out.process)
        party(("scope", "outsourced", i, "party"), out.party, ("F", "FT"))

    for i, p in enumerate(project.people):
        for j, cert in enumerate(p.certificates):
            if cert.issuer in parties and parties[cert.issuer].kind != "FCA":
                problems.append(((
                    "people", i, "certificates", j, "issuer"), f"party {cert.issuer!r} is not a course provider (FCA)"))

    for slug, proc in project.processes.items():
        if slug not in fw.processes:
            hint = next((s for s, c in fw.processes.items() if c == slug), None)
            msg = f"unknown process {slug!r} for {fw.id}"
            msg += f"; clause {slug} is the process {hint!r}" if hint else f" (processes: {', '.join(fw.processes)})"
            problems.append((("processes", slug, "__key__"), msg))
        person(("processes", slug, "owner"), proc.owner)

    for i, review in enumerate(project.management_reviews):
        for j, pid in enumerate(review.participants):
            person(("management_reviews", i, "participants", j), pid)

    all_findings: dict[str, Loc] = {}
    all_actions: dict[str, Loc] = {}
    audit_ids = {a.id for a in project.audits}
    for i, audit in enumerate(project.audits):
        loc = ("audits", i)
        if audit.end and audit.end < audit.start:
            problems.append(((*loc, "end"), f"end {audit.end} is before start {audit.start}"))
        party((*loc, "body"), audit.body, ("OCA",))
        if audit.body is None:
            person((*loc, "lead_auditor"), audit.lead_auditor)
        for j, pid in enumerate(audit.participants):
            person((*loc, "participants", j), pid)
        opened = audit.end or audit.start
        for j, f in enumerate(audit.findings):
            floc = (*loc, "findings", j)
            if f.id in all_findings:
                problems.append(((*floc, "id"), f"duplicate finding id {f.id!r}"))
            all_findings[f.id] = floc
            if f.clause not in fw.clauses:
                problems.append(((*floc, "clause"), f"unknown clause {f.clause!r} for {fw.id}"))
            process((*floc, "process"), f.process)
            if f.grade in ("major", "minor") and not f.statement.strip():
                problems.append(((*floc, "statement"), "a nonconformity needs a statement"))
            for k, fu in enumerate(f.follow_ups):
                if fu.audit not in audit_ids:
                    problems.append(((*floc, "follow_ups", k, "audit"), f"unknown audit {fu.audit!r}"))
            for k, a in enumerate(f.actions):
                aloc = (*floc, "actions", k)
                if a.id in all_actions:
                    problems.append(((*aloc, "id"), f"duplicate action id {a.id!r}"))
                all_actions[a.id] = aloc
                if a.kind == "preventive" and not fw.preventive_actions:
                    problems.append(((*aloc, "kind"), f"no preventive actions under {fw.id}: it handles risk in "
                                     "clause 6.1 (actions to address risks and opportunities); use 'corrective' or 'improvement'"))
                person((*aloc, "owner"), a.owner)
                start = a.opened or opened
                if a.closed and a.closed < start:
                    problems.append(((*aloc, "closed"), f"closed {a.closed} is before the action was opened ({start})"))
                if a.due and a.opened and a.due < a.opened:
                    problems.append(((*aloc, "due"), f"due {a.due} is before opened {a.opened}"))
                if a.effectiveness:
                    person((*aloc, "effectiveness", "by"), a.effectiveness.by)

    certification = project.certification
    party(("certification", "body"), certification.body, ("OCA",))
    if certification.desired_stage1 and certification.desired_stage2 and certification.desired_stage2 < certification.desired_stage1:
        problems.append((("certification", "desired_stage2"), "stage 2 is before stage 1"))
    if certification.certificate and certification.certificate.expiry < certification.certificate.issued:
        problems.append((("certification", "certificate", "expiry"), "expiry is before issue date"))
    return problems
