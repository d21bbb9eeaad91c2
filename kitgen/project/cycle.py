"""The certification cycle as dates and clauses: where an organisation stands in it on a date (initial
certification, then the three-year cycle the decision opens: ISO/IEC 17021-1 §9.6, surveillance at least once a
calendar year, the first within twelve months of the decision, recertification before the certificate expires), which
audits the intervals call for (the calendar's planned audits), what each audit covered (coverage), and the audit
programme of the three-year cycle that joins them — recorded audits, audits the organisation planned (`programme`),
and the ones the intervals still call for.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from ..frameworks import Framework, get_framework
from .models import Audit, PlannedAudit, Project

BODY_AUDITS = ("stage1", "stage2", "surveillance", "recertification")
CYCLE_YEARS = 3            # a certificate's life, and so the programme's span
CERTIFICATE_YEARS = 3        # a certificate's validity (ISO/IEC 17021-1 §9.6.1)
SURVEILLANCES_PER_CYCLE = 2  # surveillance audits between the decision and the recertification
RECERTIFY_BEFORE_MONTHS = 3  # recertification takes place before the certificate expires
FIRST_AUDIT_BEFORE_STAGE1_MONTHS = 2  # the first internal audit: time to act on its findings before stage 1
MIN_MATCH_MONTHS = 3       # a recorded surveillance audit at least this close to its planned date takes its place
PROGRAMME_MATCH_MONTHS = 3  # an audit of the programme this close to a date the intervals call for takes its place


# -- coverage -------------------------------------------------------------------------------------------------------

def verdict(audit: Audit, clause: str) -> str:
    """What an audit recorded for a clause: its checklist verdict, else the grade of a finding it raised on the
    clause or one of its sub-clauses, else '' (not covered)."""
    if clause in audit.coverage:
        return audit.coverage[clause].verdict
    grades = [f.grade for f in audit.findings if f.clause == clause or f.clause.startswith(clause + ".")]
    return grades[0] if grades else ""


def covered(value: str) -> bool:
    """True for a verdict that says the clause was examined."""
    return value not in ("", "not-audited")


def cycle_start(audits: list[Audit]) -> date | None:
    """The start of the current certification cycle: the last stage 1 or recertification audit, or None."""
    starts = [a.start for a in audits if a.kind in ("stage1", "recertification")]
    return max(starts) if starts else None


def within(fw: Framework, roots: list[str]) -> list[str]:
    """The requirement clauses under `roots` (each root, its sub-clauses, and the clause holding a root); every
    requirement when `roots` is empty."""
    requirements = fw.requirements()
    if not roots:
        return requirements
    return [c for c in requirements if any(c == r or c.startswith(r + ".") or r.startswith(c + ".") for r in roots)]


# -- what the intervals call for (the calendar's planned audits) -------------------------------------------------

@dataclass(frozen=True)
class Slot:
    """An audit the project's intervals call for: its kind, its number among its kind, its date, and the date it is
    counted from (None for the first internal audit, planned before stage 1)."""

    kind: str
    n: int
    day: date
    after: date | None
    after_decision: bool = False


def internal_slots(project: Project, now: date, until: date) -> list[Slot]:
    """The next internal audits, at the project's interval from the last recorded one (the first one, when none is
    recorded, two months before the desired stage 1 and not before next month), up to `until`."""
    cert = project.certification
    done = sorted(a.end or a.start for a in project.audits if a.kind == "internal")
    months = cert.internal_audit_interval_months
    if done:
        due, after = done[-1] + relativedelta(months=months), done[-1]
    else:
        before = cert.desired_stage1 - relativedelta(months=FIRST_AUDIT_BEFORE_STAGE1_MONTHS) if cert.desired_stage1 \
            else now
        due, after = max(before, now + relativedelta(months=1)), None
    slots, n = [], 1
    while due <= until:
        slots.append(Slot("internal", n, due, after))
        n, after, due = n + 1, due, due + relativedelta(months=months)
    return slots


def decision_day(project: Project) -> date | None:
    """The certification decision (or the certificate's issue), None before certification."""
    cert = project.certification
    return cert.decision or (cert.certificate.issued if cert.certificate else None)


def expiry_day(project: Project, decision: date) -> date:
    """When the certificate expires: its own date, else three years after the decision."""
    cert = project.certification
    return cert.certificate.expiry if cert.certificate else decision + relativedelta(years=CERTIFICATE_YEARS)


def surveillance_slots(project: Project, decision: date) -> list[Slot]:
    """Surveillance audits every interval after the decision until the recertification; a recorded surveillance
    audit near a date takes its place and the next counts from it."""
    cert = project.certification
    expiry = expiry_day(project, decision)
    step = cert.surveillance_interval_months
    recorded = sorted(a.start for a in project.audits if a.kind == "surveillance" and a.start >= decision)
    anchor, first, n = decision, True, 1
    slots = []
    due = anchor + relativedelta(months=step)
    while due < expiry - relativedelta(months=RECERTIFY_BEFORE_MONTHS):
        window = relativedelta(months=max(step // 2, MIN_MATCH_MONTHS))
        done = next((d for d in recorded if due - window <= d <= due + window), None)
        if done is None:
            slots.append(Slot("surveillance", n, due, anchor, after_decision=first))
            anchor = due
        else:
            anchor = done
        first = False
        n, due = n + 1, anchor + relativedelta(months=step)
    return slots


def recertification_slot(project: Project, decision: date) -> Slot | None:
    """The recertification audit, three months before the certificate expires (None once one is recorded)."""
    if any(a.kind == "recertification" and a.start >= decision for a in project.audits):
        return None
    expiry = expiry_day(project, decision)
    return Slot("recertification", 1, expiry - relativedelta(months=RECERTIFY_BEFORE_MONTHS), expiry)


# -- the audit programme --------------------------------------------------------------------------------------------

@dataclass
class ProgrammeAudit:
    """One audit of the programme: recorded (done), planned by the organisation, or called for by the intervals
    (suggested: not planned until someone plans clauses for it)."""

    id: str
    kind: str
    start: date
    end: date | None
    state: str                          # done | planned | suggested
    lead_auditor: str = ""
    clauses: list[str] = field(default_factory=list)   # planned (planned audits) or covered (done audits)
    audit: Audit | None = None
    entry: PlannedAudit | None = None

    @property
    def internal(self) -> bool:
        """The organisation's own audit (the others are the certification body's)."""
        return self.kind == "internal"


@dataclass
class Programme:
    """The audits of the three-year window, in date order, and the clauses each plans or covered."""

    start: date
    end: date
    requirements: list[str]
    audits: list[ProgrammeAudit]

    def gaps(self, internal: bool) -> list[str]:
        """Requirement clauses no audit of the window (internal ones, or the body's) covered or plans."""
        held = {c for a in self.audits if a.internal == internal and a.state != "suggested" for c in a.clauses}
        return [c for c in self.requirements if c not in held]


def planned_clauses(fw: Framework, entry: PlannedAudit) -> list[str]:
    """The requirement clauses a planned audit will examine (every clause when it names none)."""
    return within(fw, list(entry.clauses))


def expected_decision(project: Project) -> date | None:
    """The certification decision, else the one expected after stage 2 (recorded, else desired)."""
    stage2 = [a.end or a.start for a in project.audits if a.kind == "stage2"]
    return decision_day(project) or (max(stage2) if stage2 else project.certification.desired_stage2)


def programme_window(project: Project, today: date) -> tuple[date, date]:
    """What the programme spans: from the current cycle's start (else one internal-audit interval ago: the audits
    that prepare certification) to three years after it, and at least to the certificate's expiry (so that
    surveillance and recertification are in it)."""
    start = cycle_start(project.audits) or today - relativedelta(
        months=project.certification.internal_audit_interval_months)
    decision = expected_decision(project)
    end = start + relativedelta(years=CYCLE_YEARS)
    if decision is not None:
        end = max(end, expiry_day(project, decision) + relativedelta(days=1))
    return start, end


def near(kind: str, day: date, taken: Sequence[tuple[str, date]]) -> bool:
    """True when an audit of `kind` in `taken` is close enough to `day` to stand for the one the intervals call for."""
    window = relativedelta(months=PROGRAMME_MATCH_MONTHS)
    return any(k == kind and day - window <= d <= day + window for k, d in taken)


def programme(project: Project, today: date) -> Programme:
    """The audit programme as of `today`: every audit of the window with the clauses it covered or plans, and the
    audits the intervals call for that nobody planned yet (suggested, with ids such as `internal-2027-09`)."""
    fw = get_framework(project.framework)
    start, end = programme_window(project, today)
    requirements = fw.requirements()
    recorded = {a.id: a for a in project.audits}
    out: list[ProgrammeAudit] = []
    for a in project.audits:
        if start <= a.start < end:
            out.append(ProgrammeAudit(a.id, a.kind, a.start, a.end, "done", a.lead_auditor,
                                      [c for c in requirements if covered(verdict(a, c))], audit=a))
    for entry in project.programme:
        if entry.id in recorded or (entry.audit and entry.audit in recorded) or not start <= entry.start < end:
            continue  # carried out: its recorded audit stands for it
        out.append(ProgrammeAudit(entry.id, entry.kind, entry.start, entry.end, "planned", entry.lead_auditor,
                                  planned_clauses(fw, entry), entry=entry))
    taken = [(a.kind, a.start) for a in out]
    cert = project.certification
    slots = [s for s in internal_slots(project, max(today, start), end - relativedelta(days=1))
             if not near("internal", s.day, taken)]
    decision = decision_day(project)
    if decision is None:
        for kind, desired in (("stage1", cert.desired_stage1), ("stage2", cert.desired_stage2)):
            if desired and not any(a.kind == kind for a in project.audits) and start <= desired < end:
                slots.append(Slot(kind, 1, desired, None))
        decision = expected_decision(project)
    if decision is not None:
        slots += surveillance_slots(project, decision)
        recert = recertification_slot(project, decision)
        slots += [recert] if recert else []
    used = {a.id for a in out} | set(recorded)
    for s in slots:
        if not start <= s.day < end or (s.kind != "internal" and near(s.kind, s.day, taken)):
            continue
        sid = f"{s.kind}-{s.day:%Y-%m}"
        if sid in used:
            continue
        used.add(sid)
        out.append(ProgrammeAudit(sid, s.kind, s.day, None, "suggested"))
    out.sort(key=lambda a: (a.start, a.id))
    return Programme(start, end, requirements, out)


# -- the next step on a date -----------------------------------------------------------------------------------------

def done(audit: Audit, day: date) -> bool:
    """True when the audit had ended on `day`."""
    return (audit.end or audit.start) <= day


@dataclass
class Cycle:
    """The next certification step on a date and what dates it."""

    step: str                          # stage1 | stage2 | surveillance | recertification
    decision: date | None = None       # the certification decision that opened the current cycle
    expiry: date | None = None         # when the certificate expires
    number: int = 0                    # which surveillance audit of the cycle comes next (1 or 2)
    due: date | None = None            # the latest date of the next audit (None: not known yet)
    stage2: Audit | None = None        # the stage 2 audit awaiting its decision, when there is no decision


def cycle(project: Project, day: date) -> Cycle:
    """The next step of the project as it stood on `day` (a project given as of that day)."""
    cert = project.certification
    decision = cert.decision or (cert.certificate.issued if cert.certificate else None)
    if decision is not None and decision > day:
        decision = None
    audits = sorted((a for a in project.audits if done(a, day)), key=lambda a: a.end or a.start)
    if decision is None:
        stage2 = [a for a in audits if a.kind == "stage2"]
        if stage2:
            return Cycle("surveillance", number=1, stage2=stage2[-1])
        return Cycle("stage2" if any(a.kind == "stage1" for a in audits) else "stage1")
    expiry = cert.certificate.expiry if cert.certificate and cert.certificate.issued >= decision else \
        decision + relativedelta(years=CERTIFICATE_YEARS)
    interval = relativedelta(months=cert.surveillance_interval_months)
    since = [a for a in audits if a.start >= decision and a.kind in ("surveillance", "recertification")]
    renewed = [a for a in since if a.kind == "recertification"]
    if renewed:  # recertified: a new cycle, its decision not recorded yet; the next surveillance counts from the audit
        last = renewed[-1].end or renewed[-1].start
        return Cycle("surveillance", decision, last + relativedelta(years=CERTIFICATE_YEARS), 1, last + interval)
    surveillances = [a for a in since if a.kind == "surveillance"]
    if len(surveillances) >= SURVEILLANCES_PER_CYCLE:
        return Cycle("recertification", decision, expiry, due=expiry)
    anchor = surveillances[-1].start if surveillances else decision
    return Cycle("surveillance", decision, expiry, len(surveillances) + 1, anchor + interval)
