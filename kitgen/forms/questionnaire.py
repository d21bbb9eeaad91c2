"""The answers to the certification body's application questionnaire (.docx): what ISO/IEC 17021-1 asks for a
quotation, the audit-time estimate per ISO/IEC 20000-6 (as data, every value with its source), and the answers
still to be completed."""
from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

from ..frameworks import get_framework
from ..project.models import Project
from .common import listed, long_date, today
from .kind import FormType
from .locale import prose, quantity
from .vocabulary import label

MISSING = {
    "fr": {"legal_status": "Statut juridique", "group": "Appartenance à un groupe (vide si aucun)",
           "sector": "Secteur d'activité", "contact": "Personne à contacter",
           "sites": "Sites (adresse, effectif, activité)",
           "effective_headcount": "Effectif du périmètre en équivalents temps plein (ETP)",
           "shifts": "Travail posté et astreintes (vide si aucun)",
           "remote_work": "Travail chez les clients ou à distance (vide si aucun)",
           "temporary_sites": "Sites temporaires et sites des clients où le travail est réalisé (vide si aucun)",
           "legal_obligations": "Obligations légales, réglementaires et contractuelles",
           "services": "Services du périmètre et leurs clients",
           "control": "Maîtrise des parties impliquées dans le cycle de vie des services",
           "since": "Date de mise en service du SMS", "internal_audit": "Audit interne réalisé",
           "management_review": "Revue de direction réalisée", "consultant": "Consultant (nom, ou vide si aucun)",
           "transfer": "Transfert depuis un autre organisme (vide si aucun)", "body": "Organisme de certification choisi",
           "desired_stage1": "Date souhaitée de l'audit d'étape 1", "desired_stage2": "Date souhaitée de l'audit d'étape 2",
           "foundation": "Personnel certifié Fondation ISO/CEI 20000"},
    "en": {"legal_status": "Legal status", "group": "Group the entity belongs to (empty for none)",
           "sector": "Business sector", "contact": "Contact person",
           "sites": "Sites (address, headcount, activity)", "effective_headcount": "Effective headcount in scope (FTE)",
           "shifts": "Shifts and on-call (empty for none)", "remote_work": "Work at customer sites or from home (empty for none)",
           "temporary_sites": "Temporary sites and customer premises where work is done (empty for none)",
           "legal_obligations": "Legal, regulatory and contractual obligations",
           "services": "Services in scope and their customers",
           "control": "Control of other parties involved in the service lifecycle",
           "since": "Date the SMS went into operation", "internal_audit": "Internal audit done",
           "management_review": "Management review done", "consultant": "Consultant (name, or empty for none)",
           "transfer": "Transfer from another body (empty for none)", "body": "Chosen certification body",
           "desired_stage1": "Desired stage 1 audit date", "desired_stage2": "Desired stage 2 audit date",
           "foundation": "ISO/IEC 20000 Foundation-certified staff"},
}
WORDS = {
    "fr": {"yes": "Oui", "no": "Non", "none": "Aucun", "no_consultant": "Aucun consultant", "no_group": "Aucun groupe",
           "no_shifts": "Pas de travail posté ni d'astreinte", "no_remote": "Aucun", "no_transfer": "Aucun transfert",
           "no_temporary": "Aucun site temporaire", "todo": "(à compléter)",
           "languages": {"fr": "français", "en": "anglais"},
           "agreed": "convenue avec l'organisme", "estimated": "estimation", "sites": "dont {days} pour {sites}",
           "outsourced": "Processus externalisé : {process}",
           "withdrawn": "Aucun organisme de certification ne peut accepter une demande selon cette édition : faites "
                        "passer le SMS à l'ISO/CEI 20000-1:2018 avant d'envoyer ce questionnaire.",
           "withdrawn_header": "Non recevable en l'état : édition retirée ({standard})",
           "withdrawn_cli": "une demande de certification selon l'{standard} ne peut être acceptée par aucun organisme ; "
                            "passez le projet à iso20000-1:2018 (kitgen readiness donne la correspondance des "
                            "articles) avant de l'envoyer",
           "to_complete_cli": "à compléter : {items}"},
    "en": {"yes": "Yes", "no": "No", "none": "Nobody", "no_consultant": "No consultant", "no_group": "Not part of a group",
           "no_shifts": "No shifts or on-call", "no_remote": "Neither", "no_transfer": "No transfer",
           "no_temporary": "No temporary site", "todo": "(to be completed)",
           "languages": {"fr": "French", "en": "English"},
           "agreed": "agreed with the body", "estimated": "estimate", "sites": "including {days} for {sites}",
           "outsourced": "Outsourced process: {process}",
           "withdrawn": "No certification body can accept an application against this edition: move the SMS to "
                        "ISO/IEC 20000-1:2018 before sending this questionnaire.",
           "withdrawn_header": "Not acceptable as it stands: withdrawn edition ({standard})",
           "withdrawn_cli": "an application for certification against {standard} cannot be accepted by any body; move "
                            "the project to iso20000-1:2018 (kitgen readiness gives the clause map) before sending it",
           "to_complete_cli": "to be completed: {items}"},
}


@lru_cache(maxsize=1)
def audit_time_data() -> dict[str, Any]:
    """The audit-time basis (frameworks/audit-time.yaml): tables, ratios and where each value comes from."""
    text = resources.files("kitgen.frameworks").joinpath("audit-time.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = YAML(typ="safe").load(text)
    return data


def _round(days: float) -> float:
    step = float(audit_time_data()["rounding"]["step"])
    return max(step, math.floor(days / step + 0.5) * step)


def audit_days_estimate(effective_headcount: float, sites: int = 1) -> float:
    """Stage 1 + stage 2 audit days for an effective headcount (part-timers as FTE, rounded up) and a number of
    sites with activity in scope, from the audit-time data."""
    data = audit_time_data()
    people = max(1, math.ceil(effective_headcount))
    table = data["initial"]["table"]
    days = next((d for upper, d in table if people <= upper), table[-1][1])
    return _round(days + float(data["additional_site"]["days"]) * max(sites - 1, 0))


def audit_time(project: Project) -> dict[str, float]:
    """Initial (split into stage 1 and stage 2), surveillance and recertification audit days: the project's own
    figures, else the estimates."""
    org, cert = project.organisation, project.certification
    effective = org.effective_headcount if org.effective_headcount is not None else float(org.headcount)
    data = audit_time_data()
    initial = cert.audit_days or audit_days_estimate(effective, max(len(org.sites), 1))
    step = float(data["rounding"]["step"])
    stage1 = min(_round(initial * float(data["stage1"]["share"])), max(initial - step, step))
    return {
        "initial": initial, "stage1": stage1, "stage2": initial - stage1,
        "surveillance": cert.surveillance_days or _round(initial * float(data["surveillance"]["ratio"])),
        "recertification": cert.recertification_days or _round(initial * float(data["recertification"]["ratio"])),
    }


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def missing_answers(project: Project, lang: str) -> list[str]:
    """The questionnaire's answers the project file does not give (None: not answered; empty text: none)."""
    org, cert = project.organisation, project.certification
    checks = {
        "legal_status": bool(org.legal_status), "group": org.group is not None, "sector": bool(org.sector),
        "contact": project.person(org.contact) is not None, "sites": bool(org.sites),
        "effective_headcount": org.effective_headcount is not None, "shifts": org.shifts is not None,
        "remote_work": org.remote_work is not None, "temporary_sites": org.temporary_sites is not None,
        "legal_obligations": bool(org.legal_obligations),
        "services": bool(project.scope.services),
        "control": all(o.control for o in project.scope.outsourced),
        "since": any(p.since for p in project.processes.values()),
        "internal_audit": any(a.kind == "internal" for a in project.audits),
        "management_review": bool(project.management_reviews),
        "consultant": org.consultant is not None, "transfer": cert.transfer_from is not None,
        "body": cert.body is not None,
        "desired_stage1": cert.desired_stage1 is not None, "desired_stage2": cert.desired_stage2 is not None,
        "foundation": any(c for p in project.people for c in p.certificates if "foundation" in c.name.lower()),
    }
    return [MISSING[lang][key] for key, ok in checks.items() if not ok]


def withdrawn_notice(project: Project, lang: str) -> str:
    """What the questionnaire says, first thing, when the project's edition can no longer be certified ('' when it
    can)."""
    warning = get_framework(project.framework).withdrawn_warning(lang)
    return f"{warning}. {WORDS[lang]['withdrawn']}" if warning else ""


def other_parties(project: Project, lang: str) -> list[dict[str, str]]:
    """Suppliers and other parties involved in the service lifecycle (a quote driver): each with its part in the
    services and how it is controlled."""
    w = WORDS[lang]
    fw = get_framework(project.framework)
    out = []
    for party in project.parties:
        if party.kind not in ("F", "FT"):
            continue
        roles = [o for o in project.scope.outsourced if o.party == party.id]
        role = "; ".join(w["outsourced"].format(process=fw.process_title(o.process, lang) if o.process in
                                                 fw.processes else o.process)
                         + (f" ({o.description})" if o.description else "") for o in roles)
        out.append({"name": party.name, "kind": label("party_kind", party.kind, lang),
                    "role": role or "—", "control": "; ".join(o.control for o in roles if o.control) or "—"})
    known = {p.id for p in project.parties}
    for o in project.scope.outsourced:
        if o.party not in known:
            out.append({"name": o.party, "kind": label("party_kind", "FT", lang),
                        "role": w["outsourced"].format(process=o.process), "control": o.control or w["todo"]})
    return out


def _answer(value: str | None, none: str, w: dict[str, Any]) -> str:
    """A text answer: the value, `none` for an empty one (nothing to declare), or 'to be completed' when unset."""
    if value is None:
        return w["todo"]
    return value or none


def context(project: Project, lang: str) -> dict[str, Any]:
    """Everything a questionnaire template (ours or a certification body's own) may use."""
    fw = get_framework(project.framework)
    org, cert = project.organisation, project.certification
    w: dict[str, Any] = WORDS[lang]
    contact = project.person(org.contact)
    effective = org.effective_headcount if org.effective_headcount is not None else float(org.headcount)
    days = audit_time(project)
    data = audit_time_data()
    history = []
    for slug, clause in fw.processes.items():
        proc = project.processes.get(slug)
        dates = sorted(r.date for r in proc.records) if proc else []
        history.append({"clause": clause, "process": fw.clause_title(clause, lang), "records": len(dates),
                        "first": long_date(dates[0], lang) if dates else "—",
                        "last": long_date(dates[-1], lang) if dates else "—",
                        "months": quantity(_months_between(dates[0], dates[-1]), "month", lang) if dates else "—"})
    sinces = [p.since for p in project.processes.values() if p.since]
    internal = sorted((a for a in project.audits if a.kind == "internal"), key=lambda a: a.start)
    foundation = [{"name": p.name, "title": p.title, "certificate": c.name, "date": long_date(c.date, lang),
                   "issuer": (project.party(c.issuer).name if project.party(c.issuer) else c.issuer)}  # type: ignore[union-attr]
                  for p in project.people for c in p.certificates if "foundation" in c.name.lower()]
    body = project.party(cert.body)
    extra_sites = max(len(org.sites) - 1, 0)
    return {
        "lang": lang,
        "generated": long_date(today(), lang),
        "org": {"legal_name": org.legal_name, "legal_status": org.legal_status or w["todo"], "address": org.address,
                "website": org.website or "—", "sector": org.sector or w["todo"],
                "group": _answer(org.group, w["no_group"], w),
                "consultant": _answer(org.consultant, w["no_consultant"], w),
                "shifts": _answer(org.shifts, w["no_shifts"], w),
                "remote_work": _answer(org.remote_work, w["no_remote"], w),
                "temporary_sites": _answer(org.temporary_sites, w["no_temporary"], w),
                "legal_obligations": prose(org.legal_obligations, lang) or w["todo"],
                "obligations": org.legal_obligations or [w["todo"]]},
        "contact": {"name": contact.name if contact else w["todo"], "title": contact.title if contact else "",
                    "email": contact.email if contact else ""},
        "sites": [{"name": s.name, "address": s.address, "headcount": quantity(s.headcount, "person", lang),
                   "activity": s.activity or "—"} for s in org.sites],
        "headcount": {"total": quantity(org.headcount, "person", lang), "effective": quantity(effective, "fte", lang)},
        "audit_days": {
            "initial": quantity(days["initial"], "audit-day", lang),
            "surveillance": quantity(days["surveillance"], "audit-day", lang),
            "recertification": quantity(days["recertification"], "audit-day", lang),
            "value": quantity(days["initial"], "audit-day", lang),
            "estimate": quantity(days["initial"], "audit-day", lang),
            "overridden": w["agreed"] if cert.audit_days else w["estimated"],
            "stage1": quantity(days["stage1"], "audit-day", lang),
            "stage2": quantity(days["stage2"], "audit-day", lang),
            "detail": w["agreed"] if cert.audit_days else w["estimated"] + (", " + w["sites"].format(
                sites=quantity(extra_sites, "additional-site", lang),
                days=quantity(float(data["additional_site"]["days"]) * extra_sites, "day", lang))
                if extra_sites else ""),
            "basis": data["basis"][lang],
            "sources": [data[k]["source"][lang] for k in ("initial", "stage1", "additional_site", "surveillance",
                                                          "recertification", "rounding")],
        },
        "scope": {"statement": project.scope.statement, "locations": prose(project.scope.locations, lang) or "—"},
        "services": [{"name": s.name, "customers": prose(
            [(project.party(c).name if project.party(c) else c) for c in s.customers], lang) or "—"}  # type: ignore[union-attr]
            for s in project.scope.services],
        "outsourced": [{"process": fw.process_title(o.process, lang) if o.process in fw.processes else o.process,
                        "party": project.party(o.party).name if project.party(o.party) else o.party,  # type: ignore[union-attr]
                        "description": o.description or "—", "control": o.control or w["todo"]}
                       for o in project.scope.outsourced],
        "suppliers": [p.name for p in project.parties if p.kind in ("F", "FT")],
        "parties": other_parties(project, lang),
        "standard": {"id": fw.id, "title": fw.title[lang]},
        "withdrawn": withdrawn_notice(project, lang),
        "withdrawn_header": WORDS[lang]["withdrawn_header"].format(standard=fw.title[lang].split(" — ")[0])
        if not fw.current else "",
        "sms_since": long_date(min(sinces), lang) if sinces else w["todo"],
        "history": history,
        "internal_audits": [f"{a.id} — {long_date(a.start, lang)}" for a in internal],
        "management_reviews": [long_date(r.date, lang) for r in sorted(project.management_reviews, key=lambda r: r.date)],
        "foundation": foundation,
        "existing_certifications": [f"{c.standard} — {c.body}" + (f" (n° {c.number})" if c.number else "")
                                    for c in org.existing_certifications],
        "request": {"pre_audit": w["yes"] if cert.pre_audit else w["no"],
                    "stage1": long_date(cert.desired_stage1, lang) or w["todo"],
                    "stage2": long_date(cert.desired_stage2, lang) or w["todo"],
                    "language": w["languages"][cert.audit_language or project.language],
                    "body": body.name if body else w["todo"],
                    "transfer": _answer(cert.transfer_from, w["no_transfer"], w)},
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

    def title(self, project: Project, key: str | None, lang: str) -> str:
        return "Questionnaire de certification" if lang == "fr" else "Certification questionnaire"

    def warnings(self, project: Project, key: str | None, lang: str) -> list[str]:
        fw = get_framework(project.framework)
        out = [] if fw.current else [WORDS[lang]["withdrawn_cli"].format(standard=fw.title[lang].split(" — ")[0])]
        missing = missing_answers(project, lang)
        return out + ([WORDS[lang]["to_complete_cli"].format(items=listed(missing, lang))] if missing else [])


FORM = Questionnaire()
