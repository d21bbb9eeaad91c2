"""Cross-checks a schema cannot express: references resolve, ids are unique, dates are in order, states agree."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..frameworks import get_framework
from .models import SOURCES, Action, Audit, Finding, LocaleId, Project
from .status import OPEN_ACTION

Loc = tuple[Any, ...]
Problem = tuple[Loc, str]


def _unique(items: Iterable[Any], loc: Loc, what: str, key: str = "id") -> list[Problem]:
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for i, item in enumerate(items):
        value = str(getattr(item, key))
        if value in seen:
            problems.append(((*loc, i, key), f"duplicate {what} {value!r} (first used at {seen[value] + 1})"))
        else:
            seen[value] = i
    return problems


class _Checker:
    """Collects located problems; one instance per validation."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.fw = get_framework(project.framework)
        self.people = {p.id for p in project.people}
        self.parties = {p.id: p for p in project.parties}
        self.audit_ids = {a.id for a in project.audits}
        self.problems: list[Problem] = []
        self.findings: dict[str, Loc] = {}
        self.actions: dict[str, Loc] = {}

    def add(self, loc: Loc, message: str) -> None:
        self.problems.append((loc, message))

    def person(self, loc: Loc, value: str | None) -> None:
        if value is not None and value not in self.people:
            self.add(loc, f"unknown person {value!r} (people: {', '.join(sorted(self.people))})")

    def party(self, loc: Loc, value: str | None, kinds: tuple[str, ...] = ()) -> None:
        if value is None:
            return
        if value not in self.parties:
            self.add(loc, f"unknown party {value!r} (parties: {', '.join(sorted(self.parties)) or 'none'})")
        elif kinds and self.parties[value].kind not in kinds:
            self.add(loc, f"party {value!r} is {self.parties[value].kind}, expected {' or '.join(kinds)}")

    def process(self, loc: Loc, value: str | None) -> None:
        if value is not None and value not in self.fw.processes:
            self.add(loc, f"unknown process {value!r} for {self.fw.id} (processes: {', '.join(self.fw.processes)})")

    def clause(self, loc: Loc, value: str) -> None:
        if value not in self.fw.clauses:
            self.add(loc, f"unknown clause {value!r} for {self.fw.id}")

    def action(self, loc: Loc, a: Action, opened: Any) -> None:
        if a.id in self.actions:
            self.add((*loc, "id"), f"duplicate action id {a.id!r}")
        self.actions[a.id] = loc
        if a.kind == "preventive" and not self.fw.preventive_actions:
            self.add((*loc, "kind"), f"no preventive actions under {self.fw.id}: it handles risk in clause 6.1 "
                     "(actions to address risks and opportunities); use 'corrective' or 'improvement'")
        self.person((*loc, "owner"), a.owner)
        start = a.opened or opened
        if a.closed and start and a.closed < start:
            self.add((*loc, "closed"), f"closed {a.closed} is before the action was opened ({start})")
        if a.due and a.opened and a.due < a.opened:
            self.add((*loc, "due"), f"due {a.due} is before opened {a.opened}")
        if a.closed and a.status in OPEN_ACTION:
            self.add((*loc, "closed"), f"a closing date on an action still {a.status}; set its status (done, "
                     "verified, cancelled) or remove the date")
        if a.status == "verified" and a.effectiveness is None:
            self.add((*loc, "status"), "verified, but no effectiveness check is recorded; add effectiveness "
                     "(date, by, result), or set the status to done")

    def finding(self, loc: Loc, f: Finding, audit_kind: str | None, raised: Any) -> None:
        if f.id in self.findings:
            self.add((*loc, "id"), f"duplicate finding id {f.id!r}")
        self.findings[f.id] = loc
        self.clause((*loc, "clause"), f.clause)
        self.process((*loc, "process"), f.process)
        if f.grade in ("major", "minor") and not f.statement.strip():
            self.add((*loc, "statement"), "a nonconformity needs a statement")
        if audit_kind is None:
            if f.source in (None, "audit"):
                self.add((*loc, "source"), "a finding outside an audit needs its source: "
                         + ", ".join(s for s in SOURCES if s != "audit"))
            if f.raised is None:
                self.add((*loc, "raised"), "a finding outside an audit needs the date it was raised")
        elif f.source not in (None, "audit"):
            self.add((*loc, "source"), "a finding under an audit comes from that audit; put it in the top-level "
                     "findings register instead")
        if audit_kind == "stage1" and f.grade in ("major", "minor"):
            self.add((*loc, "grade"), "a stage 1 audit records areas of concern (grade: concern), not "
                     "nonconformities; they may become nonconformities at stage 2")
        elif audit_kind != "stage1" and f.grade == "concern":
            self.add((*loc, "grade"), "areas of concern are what a stage 1 audit records; grade this finding "
                     "major, minor, observation, improvement or strength")
        for k, fu in enumerate(f.follow_ups):
            if fu.audit not in self.audit_ids:
                self.add((*loc, "follow_ups", k, "audit"), f"unknown audit {fu.audit!r}")
        for k, a in enumerate(f.actions):
            self.action((*loc, "actions", k), a, raised)

    def registers(self) -> None:
        """The registers' references: risk ids, owners of documents, records and parties, findings' parties, the
        audit programme."""
        p = self.project
        self.problems += _unique([r for r in p.risks if r.id], ("risks",), "risk id")
        sections = [(("management_system",), p.management_system)] + [(("processes", slug), proc)
                                                                         for slug, proc in p.processes.items()]
        for loc, section in sections:
            for key in ("documents", "records"):
                seen: set[str] = set()
                for j, entry in enumerate(getattr(section, key)):
                    self.person((*loc, key, j, "owner"), entry.owner)
                    if entry.path in seen:
                        self.add((*loc, key, j, "path"), f"{entry.path!r} is listed twice; remove one")
                    seen.add(entry.path)
        for i, party in enumerate(p.parties):
            self.person(("parties", i, "owner"), party.owner)
        for audit_index, finding in [(("audits", i, "findings", j), f) for i, a in enumerate(p.audits)
                                     for j, f in enumerate(a.findings)] + [(("findings", j), f)
                                                                          for j, f in enumerate(p.findings)]:
            self.party((*audit_index, "party"), finding.party)
        self.problems += _unique(p.programme, ("programme",), "planned audit id")
        for i, entry in enumerate(p.programme):
            for j, c in enumerate(entry.clauses):
                self.clause(("programme", i, "clauses", j), c)
            if entry.end and entry.end < entry.start:
                self.add(("programme", i, "end"), f"end {entry.end} is before start {entry.start}")
            if entry.audit is not None and entry.audit not in self.audit_ids:
                self.add(("programme", i, "audit"), f"unknown audit {entry.audit!r}")

    def run(self) -> list[Problem]:
        """Every check, area by area, in the order the project file shows them."""
        p = self.project
        self.ids()
        self.locale()
        self.person(("organisation", "contact"), p.organisation.contact)
        self.services()
        self.objectives()
        self.problems += _unique(p.management_system.approvals, ("management_system", "approvals"), "document",
                                 "document")
        for i, out in enumerate(p.scope.outsourced):
            self.process(("scope", "outsourced", i, "process"), out.process)
            self.party(("scope", "outsourced", i, "party"), out.party, ("F", "FT"))
        self.certificates()
        self.processes()
        for i, audit in enumerate(p.audits):
            self.audit(("audits", i), audit)
        for j, f in enumerate(p.findings):
            self.finding(("findings", j), f, None, f.raised)
        for i, review in enumerate(p.management_reviews):
            for k, a in enumerate(review.actions):
                self.action(("management_reviews", i, "actions", k), a, review.date)
        for i, risk in enumerate(p.risks):
            self.person(("risks", i, "owner"), risk.owner)
        self.registers()
        for i, record in enumerate(p.satisfaction):
            self.party(("satisfaction", i, "party"), record.party, ("CL",))
        self.certification()
        return self.problems

    def ids(self) -> None:
        """Ids that must be unique: people, parties, audits, services, reviews (by date)."""
        p = self.project
        self.problems += _unique(p.people, ("people",), "person id")
        self.problems += _unique(p.parties, ("parties",), "party id")
        self.problems += _unique(p.audits, ("audits",), "audit id")
        self.problems += _unique(p.scope.services, ("scope", "services"), "service id")
        self.problems += _unique(p.management_reviews, ("management_reviews",), "management review date", "date")

    def locale(self) -> None:
        """A locale of the project's language."""
        p = self.project
        if p.locale and p.locale.split("-")[0] != p.language:
            ours = [x for x in LocaleId.__args__ if x.startswith(p.language + "-")]  # type: ignore[attr-defined]
            self.add(("locale",), f"locale {p.locale} is not of the project's language ({p.language}); use "
                     f"{' or '.join(ours)}, or change language")

    def services(self) -> None:
        """The services' customers, owners, dependencies and suppliers."""
        p = self.project
        for i, svc in enumerate(p.scope.services):
            for j, cust in enumerate(svc.customers):
                self.party(("scope", "services", i, "customers", j), cust, ("CL",))
            self.person(("scope", "services", i, "owner"), svc.owner)
            for j, other in enumerate(svc.depends_on):
                if other not in {s.id for s in p.scope.services} or other == svc.id:
                    self.add(("scope", "services", i, "depends_on", j), f"unknown service {other!r} (services: "
                             f"{', '.join(s.id for s in p.scope.services if s.id != svc.id) or 'none'})")
            for j, party in enumerate(svc.suppliers):
                self.party(("scope", "services", i, "suppliers", j), party, ("F", "FT"))

    def objectives(self) -> None:
        """The objectives' owners and ids (an objective may have none)."""
        p = self.project
        objective_ids: dict[str, int] = {}
        for i, objective in enumerate(p.objectives):
            self.person(("objectives", i, "owner"), objective.owner)
            if objective.id and objective.id in objective_ids:
                self.add(("objectives", i, "id"), f"duplicate objective id {objective.id!r} (first used at "
                         f"{objective_ids[objective.id] + 1})")
            objective_ids.setdefault(objective.id or "", i)

    def certificates(self) -> None:
        """People's certificates are issued by course providers."""
        p = self.project
        for i, person in enumerate(p.people):
            for j, cert in enumerate(person.certificates):
                if cert.issuer in self.parties and self.parties[cert.issuer].kind != "FCA":
                    self.add(("people", i, "certificates", j, "issuer"),
                             f"party {cert.issuer!r} is not a course provider (FCA)")

    def processes(self) -> None:
        """The processes are the edition's (a clause number names its process in the hint), with known owners."""
        p = self.project
        for slug, proc in p.processes.items():
            if slug not in self.fw.processes:
                hint = next((s for s, c in self.fw.processes.items() if c == slug), None)
                msg = f"unknown process {slug!r} for {self.fw.id}"
                msg += f"; clause {slug} is the process {hint!r}" if hint else f" (processes: {', '.join(self.fw.processes)})"
                self.add(("processes", slug, "__key__"), msg)
            self.person(("processes", slug, "owner"), proc.owner)

    def audit(self, loc: Loc, audit: Audit) -> None:
        """One audit: its dates, body, people, clauses and processes, plan, findings."""
        if audit.end and audit.end < audit.start:
            self.add((*loc, "end"), f"end {audit.end} is before start {audit.start}")
        self.party((*loc, "body"), audit.body, ("OCA",))
        if audit.body is None:
            self.person((*loc, "lead_auditor"), audit.lead_auditor)
        for j, pid in enumerate(audit.participants):
            self.person((*loc, "participants", j), pid)
        for j, c in enumerate(audit.clauses):
            self.clause((*loc, "clauses", j), c)
        for j, slug in enumerate(audit.processes):
            self.process((*loc, "processes", j), slug)
        for c in audit.coverage:
            self.clause((*loc, "coverage", c), c)
        for slug in audit.sampled:
            self.process((*loc, "sampled", slug), slug)
        for j, item in enumerate(audit.plan):
            self.process((*loc, "plan", j, "process"), item.process)
        for j, f in enumerate(audit.findings):
            self.finding((*loc, "findings", j), f, audit.kind, audit.end or audit.start)

    def certification(self) -> None:
        """The certification body, the stages in order, the certificate's dates."""
        certification = self.project.certification
        self.party(("certification", "body"), certification.body, ("OCA",))
        if (certification.desired_stage1 and certification.desired_stage2
                and certification.desired_stage2 < certification.desired_stage1):
            self.add(("certification", "desired_stage2"), "stage 2 is before stage 1")
        issued = certification.certificate
        if issued and issued.expiry < issued.issued:
            self.add(("certification", "certificate", "expiry"), "expiry is before issue date")


def cross_check(project: Project) -> list[Problem]:
    """Every problem between parts of a structurally valid project, each with its location."""
    return _Checker(project).run()
