"""The project file as pydantic v2 models: structure and types only (cross-references live in checks.py)."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

# an id: a letter or digit, then letters, digits, '.', '_' or '-'; short enough to type and to show in a table
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
ID_LENGTH = 64   # characters: more than any id typed by hand; a file name made from an id stays short
Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_LENGTH)]
Language = Literal["fr", "en"]
LocaleId = Literal["fr-FR", "fr-CA", "en-GB", "en-US"]
DEFAULT_LOCALES = {"fr": "fr-FR", "en": "en-GB"}  # a language's locale, when the project names none
FrameworkId = Literal["iso20000-1:2005", "iso20000-1:2011", "iso20000-1:2018"]
Role = Literal["D", "RGS", "RCF"]
PartyKind = Literal["CL", "F", "FT", "FCA", "OCA", "AA"]
AuditKind = Literal["internal", "pre-audit", "stage1", "stage2", "surveillance", "recertification", "special"]
Grade = Literal["major", "minor", "concern", "observation", "improvement", "strength"]
ActionKind = Literal["correction", "corrective", "preventive", "improvement"]
ActionStatus = Literal["open", "in-progress", "done", "verified", "cancelled"]
# Generic kinds (policy, plan, procedure, contract…) describe any document; the specific ones name the documented
# information a certification body asks for, and only they count for it (a security policy is no service management
# policy).
DocumentKind = Literal["policy", "plan", "procedure", "contract", "agreement", "catalogue", "objectives", "risks",
                       "scope", "other", "service-management-policy", "sms-plan", "change-policy", "security-policy",
                       "continuity-plan", "audit-programme", "supplier-contract"]
FollowUpVerdict = Literal["closed", "in-progress", "not-effective", "not-verified"]
FindingSource = Literal["audit", "complaint", "major-incident", "management-review", "self-detected"]
SOURCES: tuple[str, ...] = FindingSource.__args__  # type: ignore[attr-defined]
REVIEW_SOURCE = "management-review"  # the source of what a management review decides (one of SOURCES)
CoverageVerdict = Literal["conform", "major", "minor", "concern", "observation", "improvement", "strength",
                          "not-audited"]
DateFrom = Literal["name", "name-month", "properties", "file-time"]
RiskKind = Literal["risk", "opportunity"]
RiskStatus = Literal["open", "in-progress", "done", "accepted", "closed"]
RATING_MAX = 5   # likelihood and impact are rated 1 to 5 (levels 1 to 25)
Rating = Annotated[int, Field(ge=1, le=RATING_MAX)]
# How far apart recurring duties may be set, in months: surveillance audits at least once a year (ISO/IEC 17021-1)
# and at most every six months; internal audits and the reviews of the SMS, its risks and its suppliers at least once
# per three-year certification cycle; a document's review at least every ten years
SURVEILLANCE_MONTHS = (6, 12)
MAX_INTERVAL_MONTHS = 36
MAX_DOCUMENT_REVIEW_MONTHS = 120
Day = date  # for classes with a field named `date`, where the name means the field

GRADES: tuple[str, ...] = Grade.__args__  # type: ignore[attr-defined]
ACTION_STATUSES: tuple[str, ...] = ActionStatus.__args__  # type: ignore[attr-defined]
DOCUMENT_KINDS: tuple[str, ...] = DocumentKind.__args__  # type: ignore[attr-defined]
DATES_FROM: tuple[str, ...] = DateFrom.__args__  # type: ignore[attr-defined]
UNCONFIRMED_DATES = ("file-time", "name-month")  # dates `kitgen scan` guessed: shown, to check, not yet counted


class Model(BaseModel):
    """Base: unknown keys are errors, values are checked on assignment too."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Site(Model):
    name: str
    address: str
    headcount: int = Field(ge=0)
    activity: str = ""


class ExistingCertification(Model):
    standard: str
    body: str = ""
    number: str = ""
    expiry: Optional[date] = None


class Organisation(Model):
    legal_name: str
    legal_status: str = ""
    address: str
    headcount: int = Field(ge=1, description="Total staff, contractors included")
    effective_headcount: Optional[float] = Field(default=None, ge=0, description="Staff in scope, part-time as FTE")
    sector: str = ""
    contact: Optional[Slug] = Field(default=None, description="Person id of the certification contact")
    website: str = ""
    consultant: Optional[str] = Field(default=None, description="Consultant used; empty text for none")
    group: Optional[str] = Field(default=None, description="Group the legal entity belongs to; empty text for none")
    legal_obligations: list[str] = Field(default=[], description="Legal, regulatory and contractual obligations")
    shifts: Optional[str] = Field(default=None, description="Shifts and on-call arrangements; empty text for none")
    remote_work: Optional[str] = Field(default=None, description="Work at customer sites or from home")
    temporary_sites: Optional[str] = Field(default=None, description="Temporary sites and customer premises where work "
                                           "in scope is done (a quote driver); empty text for none")
    sites: list[Site] = []
    existing_certifications: list[ExistingCertification] = []


class Service(Model):
    """A service in the scope, as the service catalogue describes it (2018 §8.2.4)."""

    id: Slug
    name: str
    description: str = Field(default="", description="What the service provides, in the customers' words")
    customers: list[Slug] = Field(default=[], description="Party ids (CL)")
    owner: Optional[Slug] = Field(default=None, description="Person id of who is accountable for the service")
    depends_on: list[Slug] = Field(default=[], description="Ids of the services it depends on")
    suppliers: list[Slug] = Field(default=[], description="Party ids (F, FT) of the other parties it depends on")
    service_levels: str = Field(default="", description="Service level targets (from its service level agreement)")
    agreement: str = Field(default="", description="Reference of its service level agreement")


class OutsourcedProcess(Model):
    process: Slug
    party: Slug
    description: str = ""
    control: str = Field(default="", description="How the organisation controls this party (2018 §8.2.3)")


class Scope(Model):
    statement: str
    services: list[Service] = []
    locations: list[str] = []
    outsourced: list[OutsourcedProcess] = []
    exclusions: str = Field(default="", description="What is outside the scope (services, sites, customers) and why")


class Certificate(Model):
    name: str = "ISO/IEC 20000 Foundation"
    date: date
    issuer: str = Field(default="", description="Party id (FCA) or name")
    number: str = ""


class Person(Model):
    id: Slug
    name: str
    title: str = ""
    email: str = ""
    roles: list[Role] = []
    works_in: list[Slug] = Field(default=[], description="Processes the person works in, besides those they own "
                                 "(an internal auditor may not audit them)")
    certificates: list[Certificate] = []


class Party(Model):
    id: Slug
    kind: PartyKind
    name: str
    contact: str = ""
    email: str = ""
    # the register of other parties and suppliers (2018 §8.2.3, §8.3.4)
    supplies: str = Field(default="", description="Services or goods the party provides")
    contract: str = Field(default="", description="Contract reference (and its term)")
    service_levels: str = Field(default="", description="Service levels the contract commits the party to")
    owner: Optional[Slug] = Field(default=None, description="Person id of who manages the relationship")
    reviewed: Optional[date] = Field(default=None, description="Date of the last review of the party's performance")
    next_review: Optional[date] = Field(default=None, description="Date of the next review (default: the last one "
                                        "plus certification.supplier_review_interval_months)")


class Evidence(Model):
    """A document (an intention: policy, plan, procedure) or a record (a proof: report, ticket, minutes)."""

    path: str
    title: str
    date: date
    version: str = ""
    kind: Optional[DocumentKind] = None
    date_from: Optional[DateFrom] = Field(default=None, description="Where `kitgen scan` took the date from "
                                          "(name-month: a month in the file's name; file-time: the file's "
                                          "modification time): to check, and remove once checked")
    # the register of documented information (2018 §7.5)
    owner: Optional[Slug] = Field(default=None, description="Person id of its owner (default: the process's owner)")
    retention: str = Field(default="", description="How long it is kept (default: management_system.retention)")
    location: str = Field(default="", description="Where it is kept (default: management_system.location)")
    review_months: Optional[int] = Field(default=None, ge=1, le=MAX_DOCUMENT_REVIEW_MONTHS,
                                         description="A document's review interval "
                                         "(default: certification.document_review_interval_months)")
    reviewed: Optional[Day] = Field(default=None, description="Date a document was last reviewed (default: its date)")


class Folders(Model):
    """Where `kitgen scan` looks for a process's files (relative to the project file's folder)."""

    documents: Optional[str] = None
    records: Optional[str] = None
    patterns: list[str] = Field(default=[], description="Glob patterns of the files to take (default: every file)")


class Process(Model):
    owner: Slug
    since: Optional[date] = None
    folders: Optional[Folders] = None
    documents: list[Evidence] = []
    records: list[Evidence] = []


class Approval(Model):
    """The approved version of a document kitgen drafts (scope statement, policy and objectives, SMS plan, service
    catalogue): recorded by harvest from the document's approval block."""

    document: Slug = Field(description="The document's form id (scope-statement, policy-objectives, sms-plan, "
                           "service-catalogue)")
    version: str
    approved_by: str = Field(description="Person id, or the name of who approved it")
    date: Day = Field(description="Date of approval")


class SmsPlan(Model):
    """What the SMS plan says that the rest of the project file does not (2018 §6.3)."""

    limitations: str = Field(default="", description="Known limitations that may affect the SMS")
    resources: str = Field(default="", description="Resources (budget, tools, time) given to the SMS")
    technology: str = Field(default="", description="Technology used to support the SMS (tools, platforms)")
    reporting: str = Field(default="", description="How the SMS's effectiveness is measured, reported and improved")


class ManagementSystem(Model):
    folders: Optional[Folders] = None
    documents: list[Evidence] = []
    records: list[Evidence] = []
    retention: str = Field(default="", description="How long documented information is kept, unless an entry says")
    location: str = Field(default="", description="Where documented information is kept, unless an entry says")
    plan: SmsPlan = SmsPlan()
    approvals: list[Approval] = Field(default=[], description="Approved versions of the documents kitgen drafts "
                                      "(recorded by kitgen harvest)")


class Effectiveness(Model):
    date: date
    by: str = Field(description="Person id, party id (the certification body) or the name of who checked")
    result: str = ""
    effective: bool = True


class Action(Model):
    id: Slug
    kind: ActionKind = "corrective"
    description: str
    owner: Optional[Slug] = None
    opened: Optional[date] = None
    due: Optional[date] = None
    status: ActionStatus = "open"
    closed: Optional[date] = None
    evidence: str = Field(default="", description="Implementation evidence")
    effectiveness: Optional[Effectiveness] = None


class ManagementReview(Model):
    date: date
    participants: list[str] = Field(default=[], description="Person ids, or names of people from outside")
    minutes: Optional[str] = Field(default=None, description="Path of the signed minutes record")
    decisions: str = ""
    improvements: str = Field(default="", description="Opportunities for improvement decided")
    resources: str = Field(default="", description="Resource needs")
    changes: str = Field(default="", description="Changes to the SMS")
    notes: str = ""
    issues: str = Field(default="", description="Changes in external and internal issues since the last review (input)")
    version: str = "1"
    actions: list[Action] = []


class FollowUp(Model):
    """A later audit's verdict on an earlier finding."""

    audit: Slug
    verdict: FollowUpVerdict
    note: str = ""


class Finding(Model):
    id: Slug
    source: Optional[FindingSource] = Field(default=None, description="Where it comes from (findings under an audit: "
                                            "the audit)")
    raised: Optional[date] = Field(default=None, description="When it was raised (default: its audit's last day)")
    clause: str
    process: Optional[Slug] = None
    grade: Grade
    requirement: str = Field(default="", description="The requirement not met, in the auditor's own words (the "
                             "report cites it beside the clause)")
    statement: str
    evidence: str = ""
    root_cause: str = ""
    extent: str = Field(default="", description="Similar nonconformities elsewhere (§10.1)")
    party: Optional[Slug] = Field(default=None, description="Party id of the supplier or other party it is about")
    actions: list[Action] = []
    follow_ups: list[FollowUp] = []


class PlanItem(Model):
    """One line of an audit's plan (agenda)."""

    when: str
    topic: str
    process: Optional[Slug] = None
    interviewees: list[str] = []
    auditor: Optional[str] = Field(default=None, description="Who audits this item (person id, or a name); "
                                   "items without one are the lead auditor's")


class CoverageEntry(Model):
    """A clause's verdict in one audit, with the evidence the auditor saw."""

    verdict: CoverageVerdict
    evidence: str = Field(default="", description="Evidence seen (records, documents, interviews)")


def _coverage_entry(value: Any) -> Any:
    """`conform` (the short form) as `{verdict: conform}`."""
    return {"verdict": value} if isinstance(value, str) else value


Coverage = Annotated[CoverageEntry, BeforeValidator(_coverage_entry,
                                                    json_schema_input_type=Union[CoverageVerdict, CoverageEntry])]


class Audit(Model):
    id: Slug
    kind: AuditKind
    title: str = ""
    start: date
    end: Optional[date] = None
    location: str = ""
    client: str = Field(default="", description="Who asked for the audit; the organisation when empty")
    body: Optional[Slug] = Field(default=None, description="Party id (OCA) of an external audit")
    lead_auditor: str = Field(description="Person id, or an external auditor's name when body is set")
    team: list[str] = []
    participants: list[Slug] = Field(default=[], description="Auditee participants (person ids)")
    objectives: list[str] = []
    scope: str = ""
    criteria: str = ""
    method: str = ""
    sampling: str = ""
    conclusion: str = ""
    conformity: str = Field(default="", description="Degree to which the audit criteria are fulfilled")
    diverging_opinions: str = ""
    recommendation: str = ""
    # a certification body's report also states (ISO/IEC 17021-1 §9.4.8):
    sms_effectiveness: str = Field(default="", description="Statement on the SMS's conformity and effectiveness "
                                   "(external audits)")
    audit_and_review: str = Field(default="", description="Statement on the internal audit and management review "
                                  "processes (external audits)")
    scope_appropriate: str = Field(default="", description="Conclusion on the appropriateness of the certification "
                                   "scope (external audits)")
    objectives_met: str = Field(default="", description="Whether the audit objectives were fulfilled (external audits)")
    distribution: list[str] = []
    version: str = "1"
    issued: Optional[date] = Field(default=None, description="Date the report was issued")
    plan: list[PlanItem] = Field(default=[], description="The audit plan: agenda, processes, interviewees")
    sampled: dict[str, list[str]] = Field(default={}, description="Records sampled, by process")
    clauses: list[str] = Field(default=[], description="Clauses in the audit's scope (default: every clause)")
    processes: list[Slug] = Field(default=[], description="Processes in the audit's scope (adds their clauses)")
    coverage: dict[str, Coverage] = Field(default={}, description="Verdict per clause, from the checklist: a verdict, "
                                          "or {verdict, evidence}")
    plan_accepted: Optional[date] = Field(default=None, description="Date the certification body accepted the "
                                          "action plan")
    report: Optional[str] = Field(default=None, description="Path of the signed report, once issued")
    findings: list[Finding] = []

    def verdict(self, clause: str) -> str:
        """The checklist verdict recorded for `clause` ('' when none)."""
        entry = self.coverage.get(clause)
        return entry.verdict if entry else ""


class IssuedCertificate(Model):
    number: str
    issued: date
    expiry: date


class Certification(Model):
    body: Optional[Slug] = Field(default=None, description="Party id (OCA) of the chosen certification body")
    pre_audit: bool = False
    desired_stage1: Optional[date] = None
    desired_stage2: Optional[date] = None
    audit_language: Optional[Language] = None
    audit_days: Optional[float] = Field(default=None, gt=0, description="Initial audit days (stages 1 and 2) agreed "
                                        "with the body; overrides the estimate")
    surveillance_days: Optional[float] = Field(default=None, gt=0, description="Overrides the surveillance estimate")
    recertification_days: Optional[float] = Field(default=None, gt=0, description="Overrides the recertification estimate")
    transfer_from: Optional[str] = Field(default=None, description="Body a certificate is transferred from; empty "
                                         "text for none")
    decision: Optional[date] = Field(default=None, description="Date of the certification decision")
    surveillance_interval_months: int = Field(default=12, ge=SURVEILLANCE_MONTHS[0], le=SURVEILLANCE_MONTHS[1])
    internal_audit_interval_months: int = Field(default=12, ge=1, le=MAX_INTERVAL_MONTHS)
    management_review_interval_months: int = Field(default=12, ge=1, le=MAX_INTERVAL_MONTHS)
    risk_review_interval_months: int = Field(default=12, ge=1, le=MAX_INTERVAL_MONTHS,
                                             description="Risks are reviewed at least this often")
    document_review_interval_months: int = Field(default=12, ge=1, le=MAX_DOCUMENT_REVIEW_MONTHS,
                                                 description="Documents are reviewed at "
                                                 "least this often, unless one says otherwise (review_months)")
    supplier_review_interval_months: int = Field(default=12, ge=1, le=MAX_INTERVAL_MONTHS,
                                                 description="Suppliers are reviewed at "
                                                 "least this often")
    certificate: Optional[IssuedCertificate] = None


class Kit(Model):
    title: str
    version: str = "1.0"
    authors: list[str] = []
    feedback_to: list[str] = Field(default=[], description="E-mail addresses the evaluation form goes back to")


class Objective(Model):
    """A service management objective and how it is measured (2018 §6.2)."""

    id: Optional[Slug] = Field(default=None, description="Stable id (the documents' rows are matched by it); "
                               "objectives without one are numbered O-1, O-2… by their place in the list")
    text: str
    measure: str = Field(default="", description="What is measured, and how")
    target: str = ""
    frequency: str = Field(default="", description="How often it is measured")
    owner: Optional[Slug] = Field(default=None, description="Person id of who is accountable for it")
    result: str = Field(default="", description="Latest measurement")
    measured: Optional[date] = None


class Risk(Model):
    """A risk or opportunity and its treatment (2018 §6.1)."""

    id: Optional[Slug] = Field(default=None, description="Stable id (the register's rows are matched by it); "
                               "risks without one are numbered R-1, R-2… by their place in the list")
    text: str
    kind: RiskKind = "risk"
    source: str = Field(default="", description="Where it comes from: context, interested party, audit, incident…")
    likelihood: Optional[Rating] = Field(default=None, description="1 (rare) to 5 (almost certain)")
    impact: Optional[Rating] = Field(default=None, description="1 (negligible) to 5 (critical); for an opportunity, "
                                     "the benefit")
    treatment: str = ""
    owner: Optional[Slug] = None
    effectiveness: str = Field(default="", description="How well the treatment worked (a management review input)")
    due: Optional[date] = Field(default=None, description="When the treatment is due")
    status: RiskStatus = Field(default="open", description="Of the treatment")
    reviewed: Optional[date] = Field(default=None, description="Date of the last review of the risk")


class PlannedAudit(Model):
    """An audit of the three-year programme (2018 §9.2.2): when, of which kind, by whom, on which clauses."""

    id: Slug
    kind: AuditKind = "internal"
    start: date = Field(description="Planned first day")
    end: Optional[date] = None
    lead_auditor: str = Field(default="", description="Person id, or the name of an external auditor")
    clauses: list[str] = Field(default=[], description="Clauses it will examine, with their sub-clauses (default: "
                               "every clause)")
    audit: Optional[Slug] = Field(default=None, description="Id of the recorded audit that carried it out")
    notes: str = ""


class SatisfactionRecord(Model):
    """A customer satisfaction result (survey, review) for the management review."""

    date: date
    summary: str
    party: Optional[Slug] = None


class Project(Model):
    kitgen: Literal[1] = Field(description="Project file format version")
    id: Slug
    language: Language = "fr"
    locale: Optional[LocaleId] = Field(default=None, description="The order numeric dates are written and read in, "
                                       "in the forms: fr-FR, fr-CA, en-GB or en-US (month first); default: fr-FR for "
                                       "French, en-GB for English")
    framework: FrameworkId = "iso20000-1:2018"
    organisation: Organisation
    scope: Scope
    people: list[Person]
    parties: list[Party] = []
    management_system: ManagementSystem = ManagementSystem()
    processes: dict[str, Process] = {}
    management_reviews: list[ManagementReview] = []
    audits: list[Audit] = []
    findings: list[Finding] = Field(default=[], description="Nonconformities from outside audits: complaints, major "
                                    "incidents, management reviews, self-detected")
    objectives: list[Objective] = []
    risks: list[Risk] = []
    programme: list[PlannedAudit] = Field(default=[], description="The audit programme: audits planned over the "
                                          "three-year cycle, beyond those recorded under audits")
    satisfaction: list[SatisfactionRecord] = []
    certification: Certification = Certification()
    kit: Optional[Kit] = None

    def locale_for(self, lang: str) -> str:
        """The locale of a form in `lang`: the project's own when it is of that language, else the language's
        default (a French form of an en-US project is written and read the French way)."""
        if self.locale and self.locale.split("-")[0] == lang:
            return self.locale
        return DEFAULT_LOCALES[lang]

    def person(self, person_id: str | None) -> Person | None:
        """The person with this id, or None."""
        return next((p for p in self.people if p.id == person_id), None)

    def party(self, party_id: str | None) -> Party | None:
        """The party with this id, or None."""
        return next((p for p in self.parties if p.id == party_id), None)

    def audit(self, audit_id: str) -> Audit | None:
        """The audit with this id, or None."""
        return next((a for a in self.audits if a.id == audit_id), None)

    def review(self, day: str) -> ManagementReview | None:
        """The management review held on this day (ISO date), or None."""
        return next((r for r in self.management_reviews if r.date.isoformat() == day), None)

    def all_findings(self) -> list[tuple[Audit | None, Finding]]:
        """Every finding with its audit (None for the register's findings from outside audits)."""
        return [(a, f) for a in self.audits for f in a.findings] + [(None, f) for f in self.findings]

    def all_actions(self) -> list[Action]:
        """Every action: those answering findings, then those decided in management reviews."""
        return [x for _, f in self.all_findings() for x in f.actions] + \
            [x for r in self.management_reviews for x in r.actions]
