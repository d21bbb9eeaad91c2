"""`kitgen calendar`: the certification cycle's dates as an .ics file, in the project's language.

Recorded audits and reviews, the audits of the programme, the next internal audits and management reviews at the
project's intervals (kitgen.project.cycle works the dates out), the desired stage dates until those audits are recorded, surveillance audits 6 to 12 months apart after the
certification decision (a recorded one replaces the planned one), recertification before the certificate
expires, the 6-month limit for majors raised at stage 2, and open actions' due dates. Each event says where it
comes from.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from dateutil.relativedelta import relativedelta

from ..forms.common import long_date, today
from ..forms.vocabulary import label
from ..infra.safefs import atomic_write
from ..project.cycle import (
    decision_day,
    expiry_day,
    internal_slots,
    near,
    recertification_slot,
    surveillance_slots,
)
from ..project.history import as_of as project_as_of
from ..project.models import Audit, Project
from ..project.register import MAJOR_LIMIT_MONTHS
from ..project.status import OPEN_ACTION, finding_status

HORIZON_MONTHS = 24   # planned audits and reviews reach at least this far ahead
REMINDER_DAYS = 7     # each event's alarm rings this long before it: a week to gather its evidence

TEXT = {
    "fr": {
        "calendar": "{org} — ISO/CEI 20000", "due": "Échéance {id} : {what}", "finding": "Constat {id} ({grade}, article {clause})",
        "review_action": "Décidée en revue de direction du {day}", "owner": "responsable {name}",
        "recorded": "Enregistré dans le fichier projet ({where}).", "from_plan": "D'après le plan d'action du fichier projet.",
        "desired": "{what} (date souhaitée)", "desired_why": "Date souhaitée dans le fichier projet (certification.{key}) ; "
                                                           "retirée du calendrier une fois l'audit enregistré.",
        "stage1": "Audit d'étape 1", "stage2": "Audit d'étape 2",
        "programmed": "{what} (programmé) — {id}", "programmed_why": "Au programme d'audit du fichier projet "
                                                                       "(programme).",
        "internal": "Audit interne (prévu)", "internal_why": "Prévu {months} mois après {after} "
                                                             "(certification.internal_audit_interval_months).",
        "review": "Revue de direction (prévue)", "review_why": "Prévue {months} mois après {after} "
                                                               "(certification.management_review_interval_months) ; "
                                                               "elle examine les résultats du dernier audit interne.",
        "after_audit": "Reportée après l'audit interne prévu le {day}.",
        "first_internal": "Aucun audit interne enregistré : le premier, au plus tard deux mois avant l'étape 1.",
        "first_review": "Aucune revue de direction enregistrée : la première, un mois après le premier audit interne, "
                        "dont elle examine les résultats.",
        "surveillance": "Audit de surveillance {n} (prévu)", "surveillance_first": " — au plus tard 12 mois après la décision",
        "surveillance_why": "Prévu {months} mois après {after} (certification.surveillance_interval_months) ; "
                            "ISO/IEC 17021-1 : au moins une surveillance par année civile.",
        "decision": "la décision de certification du {day}",
        "recertification": "Audit de renouvellement (avant l'expiration du certificat)",
        "recertification_why": "Trois mois avant l'expiration du certificat le {day}.",
        "expiry": "Expiration du certificat", "expiry_why": "Certificat émis le {issued} ; il expire le {day}.",
        "limit": "Limite pour vérifier les NC majeures (sinon nouvel audit d'étape 2)",
        "limit_why": "Six mois après la fin de l'étape 2 ({day}) ; NC majeures ouvertes : {items}.",
    },
    "en": {
        "calendar": "{org} — ISO/IEC 20000", "due": "{id} due: {what}", "finding": "Finding {id} ({grade}, clause {clause})",
        "review_action": "Decided at the management review of {day}", "owner": "owner {name}",
        "recorded": "Recorded in the project file ({where}).", "from_plan": "From the action plan in the project file.",
        "desired": "{what} (desired date)", "desired_why": "Desired date in the project file (certification.{key}); "
                                                          "dropped once the audit is recorded.",
        "stage1": "Stage 1 audit", "stage2": "Stage 2 audit",
        "programmed": "{what} (programmed) — {id}", "programmed_why": "In the audit programme of the project file "
                                                                      "(programme).",
        "internal": "Internal audit (planned)", "internal_why": "Planned {months} months after {after} "
                                                                "(certification.internal_audit_interval_months).",
        "review": "Management review (planned)", "review_why": "Planned {months} months after {after} "
                                                                "(certification.management_review_interval_months); "
                                                                "it considers the last internal audit's results.",
        "after_audit": "Moved after the internal audit planned on {day}.",
        "first_internal": "No internal audit recorded: the first one, at the latest two months before stage 1.",
        "first_review": "No management review recorded: the first one, a month after the first internal audit, whose "
                        "results it considers.",
        "surveillance": "Surveillance audit {n} (planned)", "surveillance_first": " — at the latest 12 months after the decision",
        "surveillance_why": "Planned {months} months after {after} (certification.surveillance_interval_months); "
                            "ISO/IEC 17021-1: surveillance at least once a calendar year.",
        "decision": "the certification decision of {day}",
        "recertification": "Recertification audit (before the certificate expires)",
        "recertification_why": "Three months before the certificate expires on {day}.",
        "expiry": "Certificate expires", "expiry_why": "Certificate issued on {issued}; it expires on {day}.",
        "limit": "Limit to verify major nonconformities (else a new stage 2)",
        "limit_why": "Six months after the end of stage 2 ({day}); open majors: {items}.",
    },
}


@dataclass
class Event:
    """One dated event of the certification cycle, and where it comes from."""

    uid: str
    day: date
    summary: str
    description: str
    category: str
    end: date | None = None


class _Builder:
    def __init__(self, project: Project, now: date) -> None:
        self.p, self.now = project, now
        self.lang = project.language
        self.words = TEXT[self.lang]
        self.events: list[Event] = []
        self.horizon = now + relativedelta(months=HORIZON_MONTHS)

    def add(self, key: str, day: date, summary: str, description: str, category: str, end: date | None = None) -> None:
        self.events.append(Event(f"{self.p.id}-{key}", day, summary, description, category, end))

    def day(self, d: date) -> str:
        return long_date(d, self.lang)

    def actions(self) -> None:
        w = self.words
        for _, f in self.p.all_findings():
            if finding_status(f, self.p) == "closed":
                continue
            for a in f.actions:
                if a.status in OPEN_ACTION and a.due:
                    where = w["finding"].format(id=f.id, grade=label("grade", f.grade, self.lang), clause=f.clause)
                    self._action(a, where)
        for review in self.p.management_reviews:
            for a in review.actions:
                if a.status in OPEN_ACTION and a.due:
                    self._action(a, w["review_action"].format(day=self.day(review.date)))

    def _action(self, a: object, where: str) -> None:
        from ..project.models import Action

        assert isinstance(a, Action) and a.due is not None
        owner = self.p.person(a.owner)
        parts = [where] + ([self.words["owner"].format(name=owner.name)] if owner else [])
        sep = " ; " if self.lang == "fr" else "; "
        self.add(f"action-{a.id}", a.due, self.words["due"].format(id=a.id, what=a.description),
                 sep.join(parts) + ". " + self.words["from_plan"], "action")

    def audits(self) -> None:
        for audit in self.p.audits:
            self.add(f"audit-{audit.id}", audit.start, f"{label('audit_kind', audit.kind, self.lang)} — {audit.id}",
                     self.words["recorded"].format(where=f"audits: {audit.id}"), "audit", audit.end)
        for review in self.p.management_reviews:
            name = "Revue de direction" if self.lang == "fr" else "Management review"
            self.add(f"review-{review.date.isoformat()}", review.date, name,
                     self.words["recorded"].format(where=f"management_reviews: {review.date.isoformat()}"), "review")
        cert = self.p.certification
        for kind, key in (("stage1", "desired_stage1"), ("stage2", "desired_stage2")):
            desired = getattr(cert, key)
            if desired and not any(a.kind == kind for a in self.p.audits):
                self.add(kind, desired, self.words["desired"].format(what=self.words[kind]),
                         self.words["desired_why"].format(key=key), "audit")

    def planned(self) -> None:
        """The next internal audits and management reviews, at the project's intervals from the last ones; the
        audits of the programme, which take the place of those the intervals call for near their date."""
        cert, w = self.p.certification, self.words
        months = cert.internal_audit_interval_months
        programme = [e for e in self.p.programme if not (e.audit or self.p.audit(e.id))]
        for e in programme:
            self.add(f"programme-{e.id}", e.start, w["programmed"].format(what=label("audit_kind", e.kind, self.lang),
                                                                          id=e.id), w["programmed_why"], "audit", e.end)
        taken = [(e.kind, e.start) for e in programme]
        audits: list[date] = [e.start for e in programme if e.kind == "internal"]
        for slot in internal_slots(self.p, self.now, self.horizon):
            if near("internal", slot.day, taken):
                continue  # planned in the programme
            audits.append(slot.day)
            why = w["first_internal"] if slot.after is None else w["internal_why"].format(months=months,
                                                                                         after=self.day(slot.after))
            self.add(f"internal-{slot.n}", slot.day, w["internal"], why, "audit")
        audits.sort()
        months = cert.management_review_interval_months
        reviews = sorted(r.date for r in self.p.management_reviews)
        if reviews:
            due = reviews[-1] + relativedelta(months=months)
            why = w["review_why"].format(months=months, after=self.day(reviews[-1]))
        else:
            due, why = (audits[0] if audits else self.now) + relativedelta(months=1), w["first_review"]
        n = 1
        while due <= self.horizon:
            # a review considers the last internal audit's results: it comes a month after the audit it follows
            audit = max((a for a in audits if due - relativedelta(months=months) < a < due + relativedelta(months=1)),
                        default=None)   # the last audit before it: a programme may hold several in a year
            if audit is not None and due < audit + relativedelta(months=1):
                due = audit + relativedelta(months=1)
                why += " " + w["after_audit"].format(day=self.day(audit))
            self.add(f"review-{n}", due, w["review"], why, "review")
            why = w["review_why"].format(months=months, after=self.day(due))
            n, due = n + 1, due + relativedelta(months=months)

    def cycle(self) -> None:
        cert, w = self.p.certification, self.words
        decision = decision_day(self.p)
        if not decision:
            return
        expiry = expiry_day(self.p, decision)
        step = cert.surveillance_interval_months
        for slot in surveillance_slots(self.p, decision):
            first = w["surveillance_first"] if slot.n == 1 else ""
            after = w["decision"].format(day=self.day(decision)) if slot.after_decision else self.day(slot.after or decision)
            self.add(f"surveillance-{slot.n}", slot.day, w["surveillance"].format(n=slot.n) + first,
                     w["surveillance_why"].format(months=step, after=after), "audit")
        recert = recertification_slot(self.p, decision)
        if recert is not None:
            self.add("recertification", recert.day, w["recertification"],
                     w["recertification_why"].format(day=self.day(expiry)), "audit")
        issued = cert.certificate.issued if cert.certificate else decision
        self.add("expiry", expiry, w["expiry"], w["expiry_why"].format(issued=self.day(issued), day=self.day(expiry)),
                 "deadline")

    def major_limit(self) -> None:
        stage2: list[Audit] = [a for a in self.p.audits if a.kind == "stage2"]
        if not stage2:
            return
        last = max(stage2, key=lambda a: a.end or a.start)
        end = last.end or last.start
        majors = [f.id for f in last.findings if f.grade == "major" and finding_status(f, self.p) in OPEN_ACTION]
        if majors:
            self.add("major-limit", end + relativedelta(months=MAJOR_LIMIT_MONTHS), self.words["limit"],
                     self.words["limit_why"].format(day=self.day(end), items=", ".join(majors)), "deadline")


def events(project: Project, as_of: date | None = None) -> list[Event]:
    """Every event of the cycle; with `as_of`, the project as it stood on that date (and planning from it)."""
    now = as_of or today()
    p = project_as_of(project, as_of) if as_of else project
    b = _Builder(p, now)
    b.actions()
    b.audits()
    b.planned()
    b.cycle()
    b.major_limit()
    return sorted(b.events, key=lambda e: (e.day, e.uid))


def calendar_ics(project: Project, as_of: date | None = None, stamp: datetime | None = None) -> bytes:
    """The events as an iCalendar file (all-day events, stable UIDs, a reminder a week before)."""
    from icalendar import Alarm, Calendar
    from icalendar import Event as IcsEvent

    cal = Calendar()
    cal.add("prodid", "-//kitgen//ISO/IEC 20000 certification cycle//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", TEXT[project.language]["calendar"].format(org=project.organisation.legal_name))
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    for e in events(project, as_of):
        ev = IcsEvent()
        ev.add("uid", f"{e.uid}@kitgen")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.day)
        ev.add("dtend", (e.end or e.day) + timedelta(days=1))
        ev.add("summary", e.summary)
        ev.add("description", e.description)
        ev.add("categories", [e.category])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", e.summary)
        alarm.add("trigger", timedelta(days=-REMINDER_DAYS))
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()


def write_calendar(project: Project, path: Path, as_of: date | None = None) -> tuple[Path, int]:
    """Write the calendar to `path`; returns (path, number of events)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, calendar_ics(project, as_of))
    return path, len(events(project, as_of))
