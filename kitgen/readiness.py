"""Is the organisation ready to ask for certification? The seed's preconditions as checks, and the cycle's calendar."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from dateutil.relativedelta import relativedelta

from .forms.common import today
from .frameworks import get_framework
from .project.models import Project
from .project.register import MAJOR_LIMIT_MONTHS
from .project.status import OPEN_ACTION, action_days_overdue, finding_status


def stage2_end(project: Project) -> date | None:
    """Last day of the latest stage-2 audit, which starts the 6-month clock for majors."""
    ends = [a.end or a.start for a in project.audits if a.kind == "stage2"]
    return max(ends) if ends else None

HISTORY_MONTHS = 3        # the seed: "un historique suffisant supérieur à 3 mois"
RECENT_DAYS = 62          # a process whose last record is older than this looks stalled
CERTIFICATE_YEARS = 3


@dataclass
class Check:
    """One readiness check: pass, warn or fail, and for a failure what to do."""

    id: str
    status: str
    message: str
    todo: str = ""


@dataclass
class Readiness:
    """The verdict: ready when no check fails (warnings do not block)."""

    as_of: date
    checks: list[Check] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    def as_dict(self) -> dict:
        """{"ready": bool, "as_of": ISO date, "checks": [...]}"""
        return {"ready": self.ready, "as_of": self.as_of.isoformat(), "checks": [asdict(c) for c in self.checks]}


def _list(items: list[str], limit: int = 6) -> str:
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def readiness(project: Project, as_of: date | None = None) -> Readiness:
    """Run every readiness check on `project` as of a date (default: today)."""
    as_of = as_of or today()
    fw = get_framework(project.framework)
    result = Readiness(as_of=as_of)
    add = result.checks.append

    add(Check("scope", "pass", "certification scope stated") if project.scope.statement.strip() else
        Check("scope", "fail", "no certification scope", "write the scope in scope.statement"))
    policy = [d for d in project.management_system.documents if d.kind == "policy" and d.date <= as_of]
    add(Check("policy", "pass", f"service management policy: {policy[0].title}") if policy else
        Check("policy", "fail", "no service management policy",
              "add it to management_system.documents with kind: policy"))

    missing = [s for s in fw.processes if s not in project.processes]
    undocumented = [s for s, p in project.processes.items() if s in fw.processes and not p.documents]
    if missing or undocumented:
        parts = ([f"not described: {_list(missing)}"] if missing else []) + (
            [f"no document: {_list(undocumented)}"] if undocumented else [])
        add(Check("processes", "fail", f"{len(fw.processes) - len(missing) - len(undocumented)} of "
                  f"{len(fw.processes)} processes in place ({'; '.join(parts)})",
                  "give every process of the framework an owner and at least one document (procedure, plan, policy)"))
    else:
        add(Check("processes", "pass", f"all {len(fw.processes)} processes have an owner and documents"))

    start = as_of - relativedelta(months=HISTORY_MONTHS)
    short, stale = [], []
    for slug in fw.processes:
        proc = project.processes.get(slug)
        dates = sorted(r.date for r in proc.records if r.date <= as_of) if proc else []
        if not dates or dates[0] > start:
            short.append(slug)
        elif (as_of - dates[-1]).days > RECENT_DAYS:
            stale.append(f"{slug} (last {dates[-1].isoformat()})")
    add(Check("records-history", "fail", f"less than {HISTORY_MONTHS} months of records: {_list(short)}",
              f"keep records for these processes from {start.isoformat()} or earlier; ask for certification later")
        if short else Check("records-history", "pass", f"every process has records since {start.isoformat()} or earlier"))
    add(Check("records-recent", "warn", f"no recent record: {_list(stale)}", "record the processes' recent activity")
        if stale else Check("records-recent", "pass", f"every process has a record in the last {RECENT_DAYS} days"))

    internal = [a for a in project.audits if a.kind == "internal" and (a.end or a.start) <= as_of]
    with_report = [a for a in internal if a.report]
    if with_report:
        add(Check("internal-audit", "pass", f"internal audit {with_report[-1].id} done, report {with_report[-1].report}"))
    elif internal:
        add(Check("internal-audit", "fail", f"internal audit {internal[-1].id} has no report",
                  "record the signed report's path in the audit's report field"))
    else:
        add(Check("internal-audit", "fail", "no internal (mock) audit done",
                  "have the Foundation-certified staff member audit the SMS (kitgen build … audit-report)"))
    reviews = [r for r in project.management_reviews if r.date <= as_of]
    add(Check("management-review", "pass", f"management review held on {max(r.date for r in reviews).isoformat()}")
        if reviews else Check("management-review", "fail", "no management review held",
                              "hold a management review and record it in management_reviews"))

    certified = [p.name for p in project.people for c in p.certificates if "foundation" in c.name.lower() and c.date <= as_of]
    add(Check("foundation", "pass", f"Foundation-certified: {', '.join(certified)}") if certified else
        Check("foundation", "warn", "nobody holds the ISO/IEC 20000 Foundation certificate",
              "train and certify a staff member (RCF) with an accredited course provider"))

    majors, minors_without = [], []
    for audit in project.audits:
        for f in audit.findings:
            if f.grade == "major" and finding_status(f, project) in OPEN_ACTION:
                majors.append(f.id)
            if f.grade == "minor" and finding_status(f, project) in OPEN_ACTION and not any(
                    a.owner and a.due for a in f.actions if a.status != "cancelled"):
                minors_without.append(f.id)
    add(Check("major-nc", "fail", f"open major nonconformities: {_list(majors)}",
              "correct them and verify the actions' effectiveness before asking for certification")
        if majors else Check("major-nc", "pass", "no open major nonconformity"))
    add(Check("minor-actions", "fail", f"minor nonconformities without an owned, dated action: {_list(minors_without)}",
              "give each an action with an owner and a due date")
        if minors_without else Check("minor-actions", "pass", "every open minor has an action with owner and due date"))
    overdue = [a.id for au in project.audits for f in au.findings for a in f.actions if action_days_overdue(a, as_of)]
    add(Check("overdue-actions", "warn", f"overdue actions: {_list(overdue)}", "finish them or agree new due dates")
        if overdue else Check("overdue-actions", "pass", "no overdue action"))
    body = project.party(project.certification.body)
    add(Check("certification-body", "pass", f"certification body: {body.name}") if body else
        Check("certification-body", "warn", "no certification body chosen",
              "compare accredited bodies near you and set certification.body"))
    return result


# -- calendar -------------------------------------------------------------------------------------------------------

@dataclass
class Deadline:
    """One dated event of the certification cycle."""

    uid: str
    day: date
    summary: str
    description: str = ""
    category: str = "deadline"


def deadlines(project: Project) -> list[Deadline]:
    """Action due dates, desired audit dates, surveillance audits, renewal, and the majors' 6-month limit."""
    out: list[Deadline] = []
    pid = project.id
    for audit in project.audits:
        for f in audit.findings:
            for a in f.actions:
                if a.status in OPEN_ACTION and a.due:
                    owner = project.person(a.owner)
                    out.append(Deadline(f"{pid}-action-{a.id}", a.due, f"{a.id} due: {a.description}",
                                        f"Finding {f.id} ({f.grade}, clause {f.clause})"
                                        + (f"; owner {owner.name}" if owner else ""), "action"))
    cert = project.certification
    if cert.desired_stage1:
        out.append(Deadline(f"{pid}-stage1", cert.desired_stage1, "Stage 1 audit (desired date)", category="audit"))
    if cert.desired_stage2:
        out.append(Deadline(f"{pid}-stage2", cert.desired_stage2, "Stage 2 audit (desired date)", category="audit"))
    decision = cert.decision or (cert.certificate.issued if cert.certificate else None)
    if decision:
        expiry = cert.certificate.expiry if cert.certificate else decision + relativedelta(years=CERTIFICATE_YEARS)
        step = cert.surveillance_interval_months
        n, due = 1, decision + relativedelta(months=step)
        while due < expiry - relativedelta(months=3):
            first = " (at the latest: first surveillance within 12 months of the decision)" if n == 1 else ""
            out.append(Deadline(f"{pid}-surveillance-{n}", due, f"Surveillance audit {n}{first}",
                                "ISO/IEC 17021-1: surveillance at least once a calendar year", "audit"))
            n, due = n + 1, due + relativedelta(months=step)
        out.append(Deadline(f"{pid}-recertification", expiry - relativedelta(months=3),
                            "Recertification audit (before the certificate expires)",
                            f"The certificate expires on {expiry.isoformat()}", "audit"))
        out.append(Deadline(f"{pid}-expiry", expiry, "Certificate expires", category="deadline"))
    s2 = stage2_end(project)
    if s2:
        open_majors = [f.id for a in project.audits if a.kind in ("stage1", "stage2")
                       for f in a.findings if f.grade == "major" and finding_status(f, project) in OPEN_ACTION]
        if open_majors:
            out.append(Deadline(f"{pid}-major-limit", s2 + relativedelta(months=MAJOR_LIMIT_MONTHS),
                                "Limit to verify major nonconformities (else a new stage 2)",
                                f"Open majors: {', '.join(open_majors)}"))
    return sorted(out, key=lambda d: (d.day, d.uid))


def calendar_ics(project: Project, stamp: datetime | None = None) -> bytes:
    """The deadlines as an iCalendar file (all-day events, stable UIDs, a reminder a week before)."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//kitgen//ISO/IEC 20000 certification cycle//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{project.organisation.legal_name} — ISO/IEC 20000")
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    for d in deadlines(project):
        ev = Event()
        ev.add("uid", f"{d.uid}@kitgen")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", d.day)
        ev.add("dtend", d.day + timedelta(days=1))
        ev.add("summary", d.summary)
        if d.description:
            ev.add("description", d.description)
        ev.add("categories", [d.category])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", d.summary)
        alarm.add("trigger", timedelta(days=-7))
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()


def write_calendar(project: Project, path: Path) -> tuple[Path, int]:
    """Write the calendar to `path`; returns (path, number of events)."""
    from .project.save import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, calendar_ics(project))
    return path, len(deadlines(project))
