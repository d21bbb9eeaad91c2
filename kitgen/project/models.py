"""The project file as pydantic v2 models: structure and types only (cross-references live in checks.py)."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
Language = Literal["fr", "en"]
FrameworkId = Literal["iso20000-1:2005", "iso20000-1:2011", "iso20000-1:2018"]
Role = Literal["D", "RGS", "RCF"]
PartyKind = Literal["CL", "F", "FT", "FCA", "OCA", "AA"]
AuditKind = Literal["internal", "pre-audit", "stage1", "stage2", "surveillance", "recertification", "special"]
Grade = Literal["major", "minor", "observation", "improvement", "strength"]
ActionKind = Literal["correction", "corrective", "preventive", "improvement"]
ActionStatus = Literal["open", "in-progress", "done", "verified", "cancelled"]
DocumentKind = Literal["policy", "plan", "procedure", "contract", "agreement", "catalogue", "other"]
FollowUpVerdict = Literal["closed", "in-progress", "not-effective", "not-verified"]

GRADES: tuple[str, ...] = Grade.__args__  # type: ignore[attr-defined]
ACTION_STATUSES: tuple[str, ...] = ActionStatus.__args__  # type: ignore[attr-defined]


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
    sites: list[Site] = []
    existing_certifications: list[ExistingCertification] = []


class Service(Model):
    id: Slug
    name: str
    customers: list[Slug] = Field(default=[], description="Party ids (CL)")


class OutsourcedProcess(Model):
    process: Slug
    party: Slug
    description: str = ""


class Scope(Model):
    statement: str
    services: list[Service] = []
    locations: list[str] = []
    outsourced: list[OutsourcedProcess] = []


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
    certificates: list[Certificate] = []


class Party(Model):
    id: Slug
    kind: PartyKind
    name: str
    contact: str = ""
    email: str = ""


class Evidence(Model):
    """A document (an intention: policy, plan, procedure) or a record (a proof: report, ticket, minutes)."""

    path: str
    title: str
    date: date
    version: str = ""
    kind: Optional[DocumentKind] = None


class Process(Model):
    owner: Slug
    since: Optional[date] = None
    documents: list[Evidence] = []
    records: list[Evidence] = []


class ManagementSystem(Model):
    documents: list[Evidence] = []
    records: list[Evidence] = []


class ManagementReview(Model):
    date: date
    participants: list[Slug] = []
    minutes: Optional[str] = Field(default=None, description="Path of the minutes record")


class Effectiveness(Model):
    date: date
    by: Slug
    result: str = ""
    effective: bool = True


class Action(Model):
    id: Slug
    kind: ActionKind = "corrective"
    description: str
    root_cause: str = ""
    owner: Optional[Slug] = None
    opened: Optional[date] = None
    due: Optional[date] = None
    status: ActionStatus = "open"
    closed: Optional[date] = None
    evidence: str = Field(default="", description="Implementation evidence")
    effectiveness: Optional[Effectiveness] = None


class FollowUp(Model):
    """A later audit's verdict on an earlier finding."""

    audit: Slug
    verdict: FollowUpVerdict
    note: str = ""


class Finding(Model):
    id: Slug
    clause: str
    process: Optional[Slug] = None
    grade: Grade
    statement: str
    evidence: str = ""
    actions: list[Action] = []
    follow_ups: list[FollowUp] = []


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
    distribution: list[str] = []
    report: Optional[str] = Field(default=None, description="Path of the signed report, once issued")
    findings: list[Finding] = []


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
    audit_days: Optional[float] = Field(default=None, gt=0, description="Overrides the IAF MD 5 estimate")
    decision: Optional[date] = Field(default=None, description="Date of the certification decision")
    surveillance_interval_months: int = Field(default=12, ge=6, le=12)
    certificate: Optional[IssuedCertificate] = None


class Kit(Model):
    title: str
    version: str = "1.0"
    authors: list[str] = []
    feedback_to: list[str] = Field(default=[], description="E-mail addresses the evaluation form goes back to")


class Project(Model):
    kitgen: Literal[1] = Field(description="Project file format version")
    id: Slug
    language: Language = "fr"
    framework: FrameworkId = "iso20000-1:2005"
    organisation: Organisation
    scope: Scope
    people: list[Person]
    parties: list[Party] = []
    management_system: ManagementSystem = ManagementSystem()
    processes: dict[str, Process] = {}
    management_reviews: list[ManagementReview] = []
    audits: list[Audit] = []
    certification: Certification = Certification()
    kit: Optional[Kit] = None

    def person(self, person_id: str | None) -> Person | None:
        """The person with this id, or None."""
        return next((p for p in self.people if p.id == person_id), None)

    def party(self, party_id: str | None) -> Party | None:
        """The party with this id, or None."""
        return next((p for p in self.parties if p.id == party_id), None)

    def audit(self, audit_id: str) -> Audit | None:
        """The audit with this id, or None."""
        return next((a for a in self.audits if a.id == audit_id), None)
