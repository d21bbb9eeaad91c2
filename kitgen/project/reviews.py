"""When each register's entries are due for review, and who answers for them: risks, documents, suppliers. The
registers show it, readiness checks it: one set of rules."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dateutil.relativedelta import relativedelta

from .models import Evidence, Party, Project, Risk
from .places import KINDS, SYSTEM, entry_ids

SUPPLIER_KINDS = ("F", "FT", "FCA")   # suppliers, third-party suppliers, course providers
SERVICE_SUPPLIERS = ("F", "FT")       # those whose performance the services depend on (§8.3.4)
EVIDENCE_LISTS = {"documents": "document", "records": "record"}


# -- risks ----------------------------------------------------------------------------------------------------------

def risk_ids(project: Project) -> list[str]:
    """Each risk's id: its own, else R-<its place in the list> (as the project index numbers it)."""
    return entry_ids([r.id for r in project.risks], KINDS["risk"].prefix)


def risk_next_review(risk: Risk, project: Project) -> date | None:
    """When a risk is next due for review: its last review plus the interval (None: never reviewed)."""
    months = project.certification.risk_review_interval_months
    return risk.reviewed + relativedelta(months=months) if risk.reviewed else None


# -- documents and records ------------------------------------------------------------------------------------------

def evidence(project: Project) -> Iterator[tuple[str, str, Evidence]]:
    """(process or 'sms', 'document' | 'record', entry) for every document and record, the management system's first."""
    sections = [(SYSTEM, project.management_system)] + list(project.processes.items())
    for owner, section in sections:
        for key, nature in EVIDENCE_LISTS.items():
            for entry in getattr(section, key):
                yield owner, nature, entry


def default_owner(project: Project, owner: str) -> str | None:
    """Who owns a document that names no owner: its process's owner; for the management system's, the service
    management lead (RGS), else top management (D)."""
    if owner != SYSTEM:
        process = project.processes.get(owner)
        return process.owner if process else None
    for role in ("RGS", "D"):
        person = next((p for p in project.people if role in p.roles), None)
        if person:
            return person.id
    return None


def review_months(entry: Evidence, project: Project) -> int:
    """A document's review interval (its own, else the project's)."""
    return entry.review_months or project.certification.document_review_interval_months


def document_next_review(entry: Evidence, project: Project) -> date:
    """When a document is next due for review: its last review (else its date) plus its interval."""
    return (entry.reviewed or entry.date) + relativedelta(months=review_months(entry, project))


# -- other parties and suppliers ------------------------------------------------------------------------------------

def operated(project: Project) -> dict[str, list[str]]:
    """Party id -> the processes it operates for the organisation (scope.outsourced)."""
    out: dict[str, list[str]] = {}
    for item in project.scope.outsourced:
        out.setdefault(item.party, []).append(item.process)
    return out


def suppliers(project: Project, kinds: tuple[str, ...] = SUPPLIER_KINDS) -> list[Party]:
    """The suppliers (of `kinds`), and any party operating a process or named by a finding."""
    named = set(operated(project)) | {f.party for _, f in project.all_findings() if f.party}
    return [p for p in project.parties if p.kind in kinds or p.id in named]


def supplier_next_review(party: Party, project: Project) -> date | None:
    """A party's next review: the one planned, else the last plus the interval (None: never reviewed, none planned)."""
    if party.next_review:
        return party.next_review
    months = project.certification.supplier_review_interval_months
    return party.reviewed + relativedelta(months=months) if party.reviewed else None
