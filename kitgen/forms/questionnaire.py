"""The answers to the certification body's questionnaire (.docx): context, missing answers, the audit-days estimate."""
from __future__ import annotations

import math
from datetime import date
from typing import Any

from ..frameworks import get_framework
from ..project.models import Project
from .common import long_date, today
from .kind import FormType

# IAF MD 5 (QMS, Table 1): stage 1 + stage 2 audit days by effective personnel, up to the VSE limit and beyond.
# Only the 1–5 row is confirmed in public sources; the project file can override the estimate (certification.audit_days).
IAF_MD5 = [(5, 1.5), (10, 2.0), (15, 2.5), (25, 3.0), (45, 4.0), (65, 5.0), (85, 6.0), (125, 7.0)]

MISSING = {
    "fr": {"legal_status": "Statut juridique", "sector": "Secteur d'activité", "contact": "Personne à contacter",
           "sites": "Sites (adresse, effectif, activité)", "effective_headcount": "Effectif effectif dans le périmètre (ETP)",
           "services": "Services du périmètre et leurs clients", "since": "Date de mise en service du SMS",
           "internal_audit": "Audit interne réalisé", "management_review": "Revue de direction réalisée",
           "consultant": "Consultant (nom, ou vide si aucun)", "body": "Organisme de certification choisi",
           "desired_stage1": "Date souhaitée de l'audit d'étape 1", "desired_stage2": "Date souhaitée de l'audit d'étape 2",
           "foundation": "Personnel certifié Fondation ISO/CEI 20000"},
    "en": {"legal_status": "Legal status", "sector": "Business sector", "contact": "Contact person",
           "sites": "Sites (address, headcount, activity)", "effective_headcount": "Effective headcount in scope (FTE)",
           "services": "Services in scope and their customers", "since": "Date the SMS went into operation",
           "internal_audit": "Internal audit done", "management_review": "Management review done",
           "consultant": "Consultant (name, or empty for none)", "body": "Chosen certification body",
           "desired_stage1": "Desired stage 1 audit date", "desired_stage2": "Desired stage 2 audit date",
           "foundation": "ISO/IEC 20000 Foundation-certified staff"},
}
YES_NO = {"fr": ("Oui", "Non"), "en": ("Yes", "No")}
LANGUAGE_NAMES = {"fr": {"fr": "français", "en": "anglais"}, "en": {"fr": "French", "en": "English"}}


def audit_days_estimate(effective_headcount: float) -> float:
    """Stage 1 + stage 2 audit days for an effective headcount, from the IAF MD 5 table (part-timers as FTE, rounded up)."""
    people = max(1, math.ceil(effective_headcount))
    for upper, days in IAF_MD5:
        if people <= upper:
            return days
    return IAF_MD5[-1][1]


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def missing_answers(project: Project, lang: str) -> list[str]:
    """The questionnaire's answers the project file does not give."""
    org, cert = project.organisation, project.certification
    checks = {
        "legal_status": bool(org.legal_status), "sector": bool(org.sector), "contact": project.person(org.contact) is not None,
        "sites": bool(org.sites), "effective_headcount": org.effective_headcount is not None,
        "services": bool(project.scope.services),
        "since": any(p.since for p in project.processes.values()),
        "internal_audit": any(a.kind == "internal" for a in project.audits),
        "management_review": bool(project.management_reviews),
        "consultant": org.consultant is not None, "body": cert.body is not None,
        "desired_stage1": cert.desired_stage1 is not None, "desired_stage2": cert.desired_stage2 is not None,
        "foundation": any(c for p in project.people for c in p.certificates if "foundation" in c.name.lower()),
    }
    return [MISSING[lang][key] for key, ok in checks.items() if not ok]


def context(project: Project, lang: str) -> dict[str, Any]:
    """Everything a questionnaire template (ours or a certification body's own) may use."""
    fw = get_framework(project.framework)
    org, cert = project.organisation, project.certification
    yes, no = YES_NO[lang]
    contact = project.person(org.contact)
    effective = org.effective_headcount if org.effective_headcount is not None else float(org.headcount)
    estimate = audit_days_estimate(effective)
    history = []
    for slug, clause in fw.processes.items():
        proc = project.processes.get(slug)
        dates = sorted(r.date for r in proc.records) if proc else []
        history.append({"clause": clause, "process": fw.clause_title(clause, lang), "records": len(dates),
                        "first": long_date(dates[0], lang) if dates else "—",
                        "last": long_date(dates[-1], lang) if dates else "—",
                        "months": _months_between(dates[0], dates[-1]) if dates else 0})
    sinces = [p.since for p in project.processes.values() if p.since]
    internal = sorted((a for a in project.audits if a.kind == "internal"), key=lambda a: a.start)
    foundation = [{"name": p.name, "title": p.title, "certificate": c.name, "date": long_date(c.date, lang),
                   "issuer": (project.party(c.issuer).name if project.party(c.issuer) else c.issuer)}  # type: ignore[union-attr]
                  for p in project.people for c in p.certificates if "foundation" in c.name.lower()]
    body = project.party(cert.body)
    return {
        "lang": lang,
        "generated": long_date(today(), lang),
        "org": {"legal_name": org.legal_name, "legal_status": org.legal_status or "—", "address": org.address,
                "website": org.website or "—", "sector": org.sector or "—",
                "consultant": org.consultant or ("Aucun" if lang == "fr" else "None")},
        "contact": {"name": contact.name if contact else "—", "title": contact.title if contact else "",
                    "email": contact.email if contact else ""},
        "sites": [{"name": s.name, "address": s.address, "headcount": s.headcount, "activity": s.activity or "—"}
                  for s in org.sites],
        "headcount": {"total": org.headcount, "effective": f"{effective:g}"},
        "audit_days": {"estimate": f"{estimate:g}", "value": f"{cert.audit_days or estimate:g}",
                       "overridden": yes if cert.audit_days else no,
                       "basis": "IAF MD 5"},
        "scope": {"statement": project.scope.statement, "locations": ", ".join(project.scope.locations) or "—"},
        "services": [{"name": s.name, "customers": ", ".join(
            (project.party(c).name if project.party(c) else c) for c in s.customers) or "—"}  # type: ignore[union-attr]
            for s in project.scope.services],
        "outsourced": [{"process": fw.process_title(o.process, lang) if o.process in fw.processes else o.process,
                        "party": project.party(o.party).name if project.party(o.party) else o.party,  # type: ignore[union-attr]
                        "description": o.description or "—"} for o in project.scope.outsourced],
        "suppliers": [p.name for p in project.parties if p.kind in ("F", "FT")],
        "standard": {"id": fw.id, "title": fw.title[lang]},
        "sms_since": long_date(min(sinces), lang) if sinces else "—",
        "history": history,
        "internal_audits": [f"{a.id} — {long_date(a.start, lang)}" for a in internal],
        "management_reviews": [long_date(r.date, lang) for r in sorted(project.management_reviews, key=lambda r: r.date)],
        "foundation": foundation,
        "existing_certifications": [f"{c.standard} — {c.body}" + (f" (n° {c.number})" if c.number else "")
                                    for c in org.existing_certifications],
        "request": {"pre_audit": yes if cert.pre_audit else no, "stage1": long_date(cert.desired_stage1, lang) or "—",
                    "stage2": long_date(cert.desired_stage2, lang) or "—",
                    "language": LANGUAGE_NAMES[lang][cert.audit_language or project.language],
                    "body": body.name if body else "—"},
        "to_complete": missing_answers(project, lang),
    }


class Questionnaire(FormType):
    """The answers to the certification body's application questionnaire (not read back: answers come from the
    project file)."""

    id = "questionnaire"
    template = "questionnaire.docx"
    per = "project"

    def context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        return context(project, lang)

    def warnings(self, project: Project, key: str | None, lang: str) -> list[str]:
        missing = missing_answers(project, lang)
        return [f"to be completed: {'; '.join(missing)}"] if missing else []


FORM = Questionnaire()
