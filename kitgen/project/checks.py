"""Cross-checks a schema cannot express: references resolve, ids are unique, dates are in order, states agree."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import N_
from ..frameworks import get_framework
from .models import SOURCES, Action, Audit, Finding, LocaleId, Project
from .status import OPEN_ACTION

Loc = tuple[Any, ...]
Problem = tuple[Loc, str, dict[str, Any]]  # where, the message (a msgid), its fields (kitgen.errors.Problem's)

UNKNOWN_AUDIT = N_("unknown audit {value!r}")
END_BEFORE_START = N_("end {value} is before start {start}")


def _unique(items: Iterable[Any], loc: Loc, message: str, key: str = "id") -> list[Problem]:
    """A problem for every item whose `key` an earlier item already has; `message` takes {value} and {first}."""
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for i, item in enumerate(items):
        value = str(getattr(item, key))
        if value in seen:
            problems.append(((*loc, i, key), message, {"value": value, "first": seen[value] + 1, "code": "duplicate"}))
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

    def add(self, loc: Loc, message: str, **fields: Any) -> None:
        self.problems.append((loc, message, fields))

    def person(self, loc: Loc, value: str | None) -> None:
        if value is not None and value not in self.people:
            self.add(loc, N_("unknown person {value!r} (people: {known})"), value=value,
                     known=", ".join(sorted(self.people)) or "-", code="unknown-person")

    def party(self, loc: Loc, value: str | None, kinds: tuple[str, ...] = ()) -> None:
        if value is None:
            return
        if value not in self.parties:
            self.add(loc, N_("unknown party {value!r} (parties: {known})"), value=value,
                     known=", ".join(sorted(self.parties)) or "-", code="unknown-party")
        elif kinds and self.parties[value].kind not in kinds:
            self.add(loc, N_("party {value!r} is of kind {kind}, expected {expected}"), value=value,
                     kind=self.parties[value].kind, expected="/".join(kinds), code="wrong-party-kind")

    def process(self, loc: Loc, value: str | None) -> None:
        if value is not None and value not in self.fw.processes:
            self.add(loc, N_("unknown process {value!r} for {framework} (processes: {known})"), value=value,
                     framework=self.fw.id, known=", ".join(self.fw.processes), code="unknown-process")

    def clause(self, loc: Loc, value: str) -> None:
        if value not in self.fw.clauses:
            self.add(loc, N_("unknown clause {value!r} for {framework}"), value=value, framework=self.fw.id,
                     code="unknown-clause")

    def action(self, loc: Loc, a: Action, opened: Any) -> None:
        if a.id in self.actions:
            self.add((*loc, "id"), N_("duplicate action id {value!r}"), value=a.id, code="duplicate")
        self.actions[a.id] = loc
        if a.kind == "preventive" and not self.fw.preventive_actions:
            self.add((*loc, "kind"), N_("no preventive actions under {framework}: it handles risk in clause 6.1 "
                                        "(actions to address risks and opportunities)"), framework=self.fw.id,
                     value=a.kind, hint=N_("use 'corrective' or 'improvement'"), code="no-preventive")
        self.person((*loc, "owner"), a.owner)
        start = a.opened or opened
        if a.closed and start and a.closed < start:
            self.add((*loc, "closed"), N_("closed {value} is before the action was opened ({opened})"),
                     value=a.closed, opened=start, code="date-order")
        if a.due and a.opened and a.due < a.opened:
            self.add((*loc, "due"), N_("due {value} is before opened {opened}"), value=a.due, opened=a.opened,
                     code="date-order")
        if a.closed and a.status in OPEN_ACTION:
            self.add((*loc, "closed"), N_("a closing date on an action still {status!r}"), status=a.status,
                     hint=N_("set its status (done, verified, cancelled) or remove the date"),
                     code="closed-but-open")
        if a.status == "verified" and a.effectiveness is None:
            self.add((*loc, "status"), N_("verified, but no effectiveness check is recorded"),
                     hint=N_("add effectiveness (date, by, result), or set the status to done"),
                     code="no-effectiveness")

    def finding(self, loc: Loc, f: Finding, audit_kind: str | None, raised: Any) -> None:
        if f.id in self.findings:
            self.add((*loc, "id"), N_("duplicate finding id {value!r}"), value=f.id, code="duplicate")
        self.findings[f.id] = loc
        self.clause((*loc, "clause"), f.clause)
        self.process((*loc, "process"), f.process)
        if f.grade in ("major", "minor") and not f.statement.strip():
            self.add((*loc, "statement"), N_("a nonconformity needs a statement"), code="no-statement")
        if audit_kind is None:
            if f.source in (None, "audit"):
                self.add((*loc, "source"), N_("a finding outside an audit needs its source: {expected}"),
                         expected=", ".join(s for s in SOURCES if s != "audit"), code="no-source")
            if f.raised is None:
                self.add((*loc, "raised"), N_("a finding outside an audit needs the date it was raised"),
                         code="no-raised-date")
        elif f.source not in (None, "audit"):
            self.add((*loc, "source"), N_("a finding under an audit comes from that audit"), value=f.source,
                     hint=N_("put it in the top-level findings register instead"), code="source-under-audit")
        if audit_kind == "stage1" and f.grade in ("major", "minor"):
            self.add((*loc, "grade"), N_("a stage 1 audit records areas of concern (grade: concern), not "
                                         "nonconformities; they may become nonconformities at stage 2"),
                     value=f.grade, code="grade-for-stage1")
        elif audit_kind != "stage1" and f.grade == "concern":
            self.add((*loc, "grade"), N_("areas of concern are what a stage 1 audit records"), value=f.grade,
                     hint=N_("grade this finding major, minor, observation, improvement or strength"),
                     code="concern-outside-stage1")
        for k, fu in enumerate(f.follow_ups):
            if fu.audit not in self.audit_ids:
                self.add((*loc, "follow_ups", k, "audit"), UNKNOWN_AUDIT, value=fu.audit, code="unknown-audit")
        for k, a in enumerate(f.actions):
            self.action((*loc, "actions", k), a, raised)

    def registers(self) -> None:
        """The registers' references: risk ids, owners of documents, records and parties, findings' parties, the
        audit programme."""
        p = self.project
        self.problems += _unique([r for r in p.risks if r.id], ("risks",),
                                 N_("duplicate risk id {value!r} (first used at item {first})"))
        sections = [(("management_system",), p.management_system)] + [(("processes", slug), proc)
                                                                         for slug, proc in p.processes.items()]
        for loc, section in sections:
            for key in ("documents", "records"):
                seen: set[str] = set()
                for j, entry in enumerate(getattr(section, key)):
                    self.person((*loc, key, j, "owner"), entry.owner)
                    if entry.path in seen:
                        self.add((*loc, key, j, "path"), N_("{value!r} is listed twice"), value=entry.path,
                                 hint=N_("remove one"), code="duplicate")
                    seen.add(entry.path)
        for i, party in enumerate(p.parties):
            self.person(("parties", i, "owner"), party.owner)
        for audit_index, finding in [(("audits", i, "findings", j), f) for i, a in enumerate(p.audits)
                                     for j, f in enumerate(a.findings)] + [(("findings", j), f)
                                                                          for j, f in enumerate(p.findings)]:
            self.party((*audit_index, "party"), finding.party)
        self.problems += _unique(p.programme, ("programme",),
                                 N_("duplicate planned audit id {value!r} (first used at item {first})"))
        for i, entry in enumerate(p.programme):
            for j, c in enumerate(entry.clauses):
                self.clause(("programme", i, "clauses", j), c)
            if entry.end and entry.end < entry.start:
                self.add(("programme", i, "end"), END_BEFORE_START, value=entry.end, start=entry.start,
                         code="date-order")
            if entry.audit is not None and entry.audit not in self.audit_ids:
                self.add(("programme", i, "audit"), UNKNOWN_AUDIT, value=entry.audit, code="unknown-audit")

    def run(self) -> list[Problem]:
        """Every check, area by area, in the order the project file shows them."""
        p = self.project
        self.ids()
        self.locale()
        self.person(("organisation", "contact"), p.organisation.contact)
        self.services()
        self.objectives()
        self.problems += _unique(p.management_system.approvals, ("management_system", "approvals"),
                                 N_("document {value!r} approved twice (first at item {first})"), "document")
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
        self.problems += _unique(p.people, ("people",), N_("duplicate person id {value!r} (first used at item {first})"))
        self.problems += _unique(p.parties, ("parties",), N_("duplicate party id {value!r} (first used at item {first})"))
        self.problems += _unique(p.audits, ("audits",), N_("duplicate audit id {value!r} (first used at item {first})"))
        self.problems += _unique(p.scope.services, ("scope", "services"),
                                 N_("duplicate service id {value!r} (first used at item {first})"))
        self.problems += _unique(p.management_reviews, ("management_reviews",),
                                 N_("two management reviews on {value} (first at item {first})"), "date")

    def locale(self) -> None:
        """A locale of the project's language."""
        p = self.project
        if p.locale and p.locale.split("-")[0] != p.language:
            ours = [x for x in LocaleId.__args__ if x.startswith(p.language + "-")]  # type: ignore[attr-defined]
            self.add(("locale",), N_("locale {value} is not of the project's language ({language})"),
                     value=p.locale, language=p.language, expected="/".join(ours),
                     hint=N_("use {expected}, or change language"), code="locale-language")

    def services(self) -> None:
        """The services' customers, owners, dependencies and suppliers."""
        p = self.project
        for i, svc in enumerate(p.scope.services):
            for j, cust in enumerate(svc.customers):
                self.party(("scope", "services", i, "customers", j), cust, ("CL",))
            self.person(("scope", "services", i, "owner"), svc.owner)
            for j, other in enumerate(svc.depends_on):
                if other not in {s.id for s in p.scope.services} or other == svc.id:
                    self.add(("scope", "services", i, "depends_on", j),
                             N_("unknown service {value!r} (services: {known})"), value=other,
                             known=", ".join(s.id for s in p.scope.services if s.id != svc.id) or "-",
                             code="unknown-service")
            for j, party in enumerate(svc.suppliers):
                self.party(("scope", "services", i, "suppliers", j), party, ("F", "FT"))

    def objectives(self) -> None:
        """The objectives' owners and ids (an objective may have none)."""
        p = self.project
        objective_ids: dict[str, int] = {}
        for i, objective in enumerate(p.objectives):
            self.person(("objectives", i, "owner"), objective.owner)
            if objective.id and objective.id in objective_ids:
                self.add(("objectives", i, "id"), N_("duplicate objective id {value!r} (first used at item {first})"),
                         value=objective.id, first=objective_ids[objective.id] + 1, code="duplicate")
            objective_ids.setdefault(objective.id or "", i)

    def certificates(self) -> None:
        """People's certificates are issued by course providers."""
        p = self.project
        for i, person in enumerate(p.people):
            for j, cert in enumerate(person.certificates):
                if cert.issuer in self.parties and self.parties[cert.issuer].kind != "FCA":
                    self.add(("people", i, "certificates", j, "issuer"),
                             N_("party {value!r} is not a course provider (FCA)"), value=cert.issuer,
                             code="wrong-party-kind")

    def processes(self) -> None:
        """The processes are the edition's (a clause number names its process in the hint), with known owners."""
        p = self.project
        for slug, proc in p.processes.items():
            if slug not in self.fw.processes:
                hint = next((s for s, c in self.fw.processes.items() if c == slug), None)
                if hint:
                    self.add(("processes", slug, "__key__"), N_("unknown process {value!r} for {framework}"),
                             value=slug, framework=self.fw.id, expected=hint,
                             hint=N_("clause {value} is the process {expected!r}"), code="unknown-process")
                else:
                    self.add(("processes", slug, "__key__"),
                             N_("unknown process {value!r} for {framework} (processes: {known})"), value=slug,
                             framework=self.fw.id, known=", ".join(self.fw.processes), code="unknown-process")
            self.person(("processes", slug, "owner"), proc.owner)

    def audit(self, loc: Loc, audit: Audit) -> None:
        """One audit: its dates, body, people, clauses and processes, plan, findings."""
        if audit.end and audit.end < audit.start:
            self.add((*loc, "end"), END_BEFORE_START, value=audit.end, start=audit.start, code="date-order")
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
            self.add(("certification", "desired_stage2"), N_("stage 2 is before stage 1"),
                     value=certification.desired_stage2, code="date-order")
        issued = certification.certificate
        if issued and issued.expiry < issued.issued:
            self.add(("certification", "certificate", "expiry"), N_("expiry is before issue date"),
                     value=issued.expiry, code="date-order")


def cross_check(project: Project) -> list[Problem]:
    """Every problem between parts of a structurally valid project, each with its location."""
    return _Checker(project).run()
