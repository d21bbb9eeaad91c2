"""The SMS plan (.docx, one per project; 2018 §6.3): objectives, service requirements, known limitations,
obligations, authorities and responsibilities (people × processes), resources, working with other parties,
technology, how effectiveness is measured and reported, and the schedule of audits and reviews (from the
certification calendar); a version and approval block. Read back: the approval, the objectives as edited, and what
the plan alone holds (limitations, resources, technology, reporting: management_system.plan)."""
from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from ..frameworks import get_framework
from ..infra.text import fold
from ..project.cycle import programme
from ..project.models import Project
from ..project.places import SYSTEM, Place
from .common import long_date, person_name, today
from .locale import quantity
from .reading import Reading
from .sms_document import (
    OBJECTIVE_COLUMNS,
    SmsDocument,
    blank,
    no_objectives_table,
    objective_rows,
    objectives_base,
    or_todo,
)
from .vocabulary import label

PLAN_FIELDS = ("limitations", "resources", "technology", "reporting")
PLAN_ROWS = {"fr": {"limitations": "Limites connues", "resources": "Ressources allouées",
                    "technology": "Outils et technologies", "reporting": "Mesure et compte rendu"},
             "en": {"limitations": "Known limitations", "resources": "Resources given",
                    "technology": "Tools and technology", "reporting": "Measuring and reporting"}}
PLACE: Place = ("process", SYSTEM)   # the management system's section: the plan's fields are under plan.
ROLES = {"fr": {"D": "Direction", "RGS": "Responsable de la gestion des services", "RCF": "Auditeur interne"},
         "en": {"D": "Top management", "RGS": "Service management lead", "RCF": "Internal auditor"}}
TEXT = {
    "fr": {"headcount": "Effectif : {total} ({fte} dans le domaine d'application).",
           "objectives": "Les objectifs sont mesurés à la fréquence indiquée dans le tableau et examinés en revue "
                         "de direction.",
           "audits": "Un audit interne au moins tous les {n} ; une revue de direction au moins tous les {m}.",
           "review": "Revue de direction", "due": "À tenir (intervalle)", "held": "Tenue",
           "outsourced": "opère : {process}"},
    "en": {"headcount": "Headcount: {total} ({fte} in scope).",
           "objectives": "Objectives are measured as often as the table says and examined at the management review.",
           "audits": "An internal audit at least every {n}; a management review at least every {m}.",
           "review": "Management review", "due": "Due (interval)", "held": "Held",
           "outsourced": "operates: {process}"},
}
SCHEDULE_BEFORE_MONTHS = 12   # the schedule shows audits and reviews from a year back (the cycle's recent past)


class SmsPlan(SmsDocument):
    """How the SMS is run: objectives, requirements, responsibilities, resources, parties, measurement, schedule."""

    id = "sms-plan"
    template = "sms-plan.docx"
    covers = ("sms-plan",)
    names = {"fr": "Plan du système de management des services", "en": "Service management plan"}

    def body(self, project: Project, lang: str) -> dict[str, Any]:
        fw = get_framework(project.framework)
        t = TEXT[lang]
        org, plan, cert = project.organisation, project.management_system.plan, project.certification
        people = []
        for p in project.people:
            owned = [fw.process_title(s, lang) if s in fw.processes else s
                     for s, proc in project.processes.items() if proc.owner == p.id]
            roles = [ROLES[lang][r] for r in p.roles]
            if owned or roles:
                people.append({"name": p.name, "title": p.title or "—", "roles": ", ".join(roles) or "—",
                               "processes": ", ".join(owned) or "—"})
        parties = []
        for party in project.parties:
            if party.kind not in ("F", "FT"):
                continue
            operates = [fw.process_title(o.process, lang) if o.process in fw.processes else o.process
                        for o in project.scope.outsourced if o.party == party.id]
            control = "; ".join(o.control for o in project.scope.outsourced if o.party == party.id and o.control)
            parties.append({"name": party.name,
                            "role": "; ".join(filter(None, [party.supplies, *(t["outsourced"].format(process=x)
                                                                             for x in operates)])) or or_todo("", lang),
                            "control": control or party.service_levels or or_todo("", lang)})
        fte = org.effective_headcount if org.effective_headcount is not None else float(org.headcount)
        return {
            "objectives": objective_rows(project, lang), "columns": OBJECTIVE_COLUMNS[lang],
            "requirements": [{"name": s.name, "levels": or_todo(s.service_levels, lang),
                              "agreement": or_todo(s.agreement, lang)} for s in project.scope.services],
            "obligations": list(org.legal_obligations),
            "people": people, "parties": parties,
            "plan": {f: or_todo(getattr(plan, f), lang) for f in PLAN_FIELDS}, "rows": PLAN_ROWS[lang],
            "headcount": t["headcount"].format(total=quantity(org.headcount, "person", lang),
                                               fte=quantity(fte, "fte", lang)),
            "measuring": [t["objectives"], t["audits"].format(
                n=quantity(cert.internal_audit_interval_months, "month", lang),
                m=quantity(cert.management_review_interval_months, "month", lang))],
            "schedule": self.schedule(project, lang),
        }

    @staticmethod
    def schedule(project: Project, lang: str) -> list[dict[str, str]]:
        """Audits of the programme (done, planned, called for by the intervals) and management reviews, by date."""
        day = today()
        since = day - relativedelta(months=SCHEDULE_BEFORE_MONTHS)
        t = TEXT[lang]
        rows: list[tuple[date, dict[str, str]]] = []
        for a in programme(project, day).audits:
            if a.start >= since:
                rows.append((a.start, {"date": long_date(a.start, lang), "what": label("audit_kind", a.kind, lang),
                                       "id": a.id, "who": person_name(project, a.lead_auditor) or "—",
                                       "state": label("programme_state", a.state, lang)}))
        reviews = sorted(r.date for r in project.management_reviews)
        for r in reviews:
            if r >= since:
                rows.append((r, {"date": long_date(r, lang), "what": t["review"], "id": r.isoformat(), "who": "—",
                                 "state": t["held"]}))
        if reviews:
            due = reviews[-1] + relativedelta(months=project.certification.management_review_interval_months)
            rows.append((due, {"date": long_date(due, lang), "what": t["review"], "id": "—", "who": "—",
                               "state": t["due"]}))
        return [r for _, r in sorted(rows, key=lambda x: x[0])]

    def body_base(self, project: Project) -> dict[Place, dict[str, Any]]:
        plan = project.management_system.plan
        return {**objectives_base(project), PLACE: {f"plan.{f}": getattr(plan, f) for f in PLAN_FIELDS}}

    def read_body(self, tables: list[Any], project: Project, reading: Reading) -> None:
        from .values import ValueProblem, check_text

        if not self.read_objectives(tables, project, reading):
            no_objectives_table(reading)
        labels = {fold(text): key for rows in PLAN_ROWS.values() for key, text in rows.items()}
        values: dict[str, Any] = {}
        for t_index, rows in enumerate(tables, start=1):
            for r, row in enumerate(rows, start=1):
                key = labels.get(fold(row[0].text)) if len(row) > 1 else None
                if key is None:
                    continue
                try:
                    values[f"plan.{key}"] = "" if blank(row[1].text) else check_text(row[1].text.strip())
                except ValueProblem as err:
                    reading.problems.append(err.at(reading.name, reading.in_table(t_index, r)))
        if values:
            reading.values[PLACE] = values


FORM = SmsPlan()
