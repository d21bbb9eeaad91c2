"""One vocabulary per language, in one place: the words forms show for kitgen's codes (grades, statuses, verdicts,
action kinds, sources…) and every way people type them back (any case, with or without accents, usual
abbreviations). Dropdowns and legends are built from WORDS; readers parse with `parse`.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import N_, Problem, problem
from ..frameworks import specific_kind_names
from ..infra.text import fold
from ..project.models import REVIEW_SOURCE

# kind -> language -> code -> the word forms show (first) and dropdowns offer
WORDS: dict[str, dict[str, dict[str, str]]] = {
    "grade": {
        "fr": {"major": "NC majeure", "minor": "NC mineure", "concern": "Point de vigilance",
               "observation": "Point sensible / observation", "improvement": "Piste de progrès", "strength": "Point fort"},
        "en": {"major": "Major NC", "minor": "Minor NC", "concern": "Area of concern", "observation": "Observation",
               "improvement": "Opportunity for improvement", "strength": "Strength"},
    },
    "coverage": {
        "fr": {"conform": "Conforme", "major": "NC majeure", "minor": "NC mineure", "concern": "Point de vigilance",
               "observation": "Observation", "improvement": "Piste de progrès", "strength": "Point fort",
               "not-audited": "Non audité"},
        "en": {"conform": "Conforms", "major": "Major NC", "minor": "Minor NC", "concern": "Area of concern",
               "observation": "Observation", "improvement": "Opportunity for improvement", "strength": "Strength",
               "not-audited": "Not audited"},
    },
    "audit_kind": {
        "fr": {"internal": "Audit interne", "pre-audit": "Pré-audit", "stage1": "Audit initial (étape 1)",
               "stage2": "Audit de certification (étape 2)", "surveillance": "Audit de surveillance",
               "recertification": "Audit de renouvellement", "special": "Audit spécial"},
        "en": {"internal": "Internal audit", "pre-audit": "Pre-audit", "stage1": "Stage 1 audit",
               "stage2": "Stage 2 certification audit", "surveillance": "Surveillance audit",
               "recertification": "Recertification audit", "special": "Special audit"},
    },
    "action_status": {
        "fr": {"open": "Ouverte", "in-progress": "En cours", "done": "Réalisée", "verified": "Vérifiée",
               "cancelled": "Annulée"},
        "en": {"open": "Open", "in-progress": "In progress", "done": "Done", "verified": "Verified",
               "cancelled": "Cancelled"},
    },
    "finding_status": {
        "fr": {"open": "Ouvert", "in-progress": "En cours", "closed": "Clos", "noted": "Pris en compte", "n/a": "—"},
        "en": {"open": "Open", "in-progress": "In progress", "closed": "Closed", "noted": "Noted", "n/a": "—"},
    },
    "action_kind": {
        "fr": {"correction": "Correction", "corrective": "Action corrective", "preventive": "Action préventive",
               "improvement": "Amélioration"},
        "en": {"correction": "Correction", "corrective": "Corrective action", "preventive": "Preventive action",
               "improvement": "Improvement"},
    },
    "verdict": {
        "fr": {"closed": "Soldé", "in-progress": "En cours", "not-effective": "Non efficace",
               "not-verified": "Non vérifié"},
        "en": {"closed": "Closed", "in-progress": "In progress", "not-effective": "Not effective",
               "not-verified": "Not verified"},
    },
    "source": {
        "fr": {"audit": "Audit", "complaint": "Réclamation", "major-incident": "Incident majeur",
               REVIEW_SOURCE: "Revue de direction", "self-detected": "Détectée en interne"},
        "en": {"audit": "Audit", "complaint": "Complaint", "major-incident": "Major incident",
               REVIEW_SOURCE: "Management review", "self-detected": "Self-detected"},
    },
    "party_kind": {
        "fr": {"CL": "Client", "F": "Fournisseur", "FT": "Fournisseur tiers", "FCA": "Organisme de formation",
               "OCA": "Organisme de certification", "AA": "Instance d'accréditation"},
        "en": {"CL": "Customer", "F": "Supplier", "FT": "Third-party supplier", "FCA": "Training provider",
               "OCA": "Certification body", "AA": "Accreditation body"},
    },
    "flag": {
        "fr": {"overdue": "En retard", "recurring": "Récurrent", "major-deadline": "Délai de 6 mois dépassé",
               "after-limit": "Échéance après la limite de 6 mois"},
        "en": {"overdue": "Overdue", "recurring": "Recurring", "major-deadline": "6-month limit passed",
               "after-limit": "Due after the 6-month limit"},
    },
}

# the registers' words
WORDS.update({
    "risk_kind": {"fr": {"risk": "Risque", "opportunity": "Opportunité"},
                  "en": {"risk": "Risk", "opportunity": "Opportunity"}},
    "risk_status": {"fr": {"open": "À traiter", "in-progress": "En cours", "done": "Traité", "accepted": "Accepté",
                           "closed": "Clos"},
                    "en": {"open": "Open", "in-progress": "In progress", "done": "Treated", "accepted": "Accepted",
                           "closed": "Closed"}},
    "likelihood": {"fr": {"1": "Rare", "2": "Peu probable", "3": "Possible", "4": "Probable", "5": "Quasi certain"},
                   "en": {"1": "Rare", "2": "Unlikely", "3": "Possible", "4": "Likely", "5": "Almost certain"}},
    "impact": {"fr": {"1": "Négligeable", "2": "Mineur", "3": "Modéré", "4": "Majeur", "5": "Critique"},
               "en": {"1": "Negligible", "2": "Minor", "3": "Moderate", "4": "Major", "5": "Critical"}},
    "evidence": {"fr": {"document": "Document", "record": "Enregistrement"},
                 "en": {"document": "Document", "record": "Record"}},
    "document_kind": {
        "fr": {"policy": "Politique", "plan": "Plan", "procedure": "Procédure", "contract": "Contrat",
               "agreement": "Accord de niveau de service", "catalogue": "Catalogue de services", "objectives": "Objectifs",
               "risks": "Risques et opportunités", "scope": "Périmètre", "other": "Autre"},
        "en": {"policy": "Policy", "plan": "Plan", "procedure": "Procedure", "contract": "Contract",
               "agreement": "Service level agreement", "catalogue": "Service catalogue", "objectives": "Objectives",
               "risks": "Risks and opportunities", "scope": "Scope", "other": "Other"}},
    "date_from": {"fr": {"typed": "Saisie", "name": "Nom du fichier", "properties": "Propriétés du document",
                         "file-time": "Date du fichier (à vérifier)", "name-month": "Mois du nom du fichier (à vérifier)"},
                  "en": {"typed": "Typed", "name": "File name", "properties": "Document properties",
                         "file-time": "File time (to check)", "name-month": "Month in the file name (to check)"}},
    "party_kind": {"fr": {"CL": "Client", "F": "Fournisseur", "FT": "Fournisseur tiers", "FCA": "Organisme de formation",
                          "OCA": "Organisme de certification", "AA": "Instance d'accréditation"},
                   "en": {"CL": "Customer", "F": "Supplier", "FT": "Third-party supplier", "FCA": "Course provider",
                          "OCA": "Certification body", "AA": "Accreditation body"}},
    "programme_state": {"fr": {"done": "Réalisé", "planned": "Programmé", "suggested": "À programmer (calendrier)"},
                        "en": {"done": "Done", "planned": "Planned", "suggested": "To plan (calendar)"}},
    "mark": {"fr": {"planned": "Prévu"}, "en": {"planned": "Planned"}},
})
for _lang, _words in (("fr", {"review-overdue": "Revue dépassée", "never-reviewed": "Jamais revu",
                               "date-to-check": "Date à vérifier", "gap": "Écart"}),
                      ("en", {"review-overdue": "Review overdue", "never-reviewed": "Never reviewed",
                              "date-to-check": "Date to check", "gap": "Gap"})):
    WORDS["flag"][_lang].update(_words)

# Other spellings people type, both languages together (compared folded: no case, no accents, spaces squeezed).
_NC_MAJ = ["majeure", "majeur", "maj", "nc maj", "nc majeur", "non-conformite majeure", "non conformite majeure",
           "nonconformite majeure", "major", "major nc", "major nonconformity", "major non-conformity",
           "major non conformity", "nc major"]
_NC_MIN = ["nc", "mineure", "mineur", "min", "nc min", "nc mineur", "non-conformite mineure", "non conformite mineure",
           "nonconformite mineure", "non-conformite", "minor", "minor nc", "minor nonconformity", "minor non-conformity",
           "minor non conformity", "nc minor", "nonconformity", "non-conformity"]
SPELLINGS: dict[str, dict[str, list[str]]] = {
    "grade": {
        "major": _NC_MAJ, "minor": _NC_MIN,
        "concern": ["pv", "point de vigilance", "vigilance", "area of concern", "concern", "aoc"],
        "observation": ["ps", "point sensible", "obs", "observation", "remarque"],
        "improvement": ["pp", "piste de progres", "piste d'amelioration", "piste damelioration", "axe de progres",
                        "axe d'amelioration", "opportunite d'amelioration", "amelioration", "ofi", "opportunity",
                        "improvement", "opportunity for improvement", "suggestion"],
        "strength": ["pf", "point fort", "points forts", "bonne pratique", "point positif", "good practice",
                     "strength", "best practice"],
    },
    "action_status": {
        "open": ["ouvert", "ouverte", "a faire", "a lancer", "non commence", "non commencee", "nouveau", "nouvelle",
                 "open", "todo", "to do", "not started", "new"],
        "in-progress": ["en cours", "commence", "commencee", "en traitement", "in progress", "inprogress",
                        "in-progress", "started", "ongoing", "wip"],
        "done": ["realise", "realisee", "fait", "faite", "termine", "terminee", "complete", "completee", "acheve",
                 "achevee", "mis en oeuvre", "mise en oeuvre", "done", "implemented", "completed", "finished"],
        "verified": ["verifie", "verifiee", "clos", "close", "cloture", "cloturee", "solde", "soldee", "ferme",
                     "fermee", "efficace", "verified", "closed", "effective"],
        "cancelled": ["annule", "annulee", "abandonne", "abandonnee", "sans objet", "cancelled", "canceled",
                      "abandoned", "dropped"],
    },
    "verdict": {
        "closed": ["solde", "soldee", "clos", "close", "cloture", "cloturee", "leve", "levee", "ferme", "fermee",
                   "resolu", "resolue", "efficace", "closed", "resolved", "effective"],
        "in-progress": ["en cours", "in progress", "ongoing", "in-progress"],
        "not-effective": ["non efficace", "inefficace", "pas efficace", "not effective", "ineffective", "not-effective"],
        "not-verified": ["non verifie", "non verifiee", "pas verifie", "pas verifiee", "not verified", "unverified",
                         "not-verified"],
    },
    "action_kind": {
        "correction": ["correction", "curative", "action curative"],
        "corrective": ["action corrective", "corrective", "ac", "corrective action", "ca"],
        "preventive": ["action preventive", "preventive", "ap", "preventive action", "pa"],
        "improvement": ["amelioration", "action d'amelioration", "improvement", "improvement action"],
    },
    "coverage": {
        "conform": ["conforme", "c", "ok", "conform", "conforms", "compliant", "conformity", "conformant"],
        "not-audited": ["non audite", "non auditee", "non examine", "pas audite", "na", "n/a", "n a",
                        "not audited", "not examined", "-", "—"],
    },
    "source": {
        "complaint": ["reclamation", "plainte", "complaint"],
        "major-incident": ["incident majeur", "major incident"],
        REVIEW_SOURCE: ["revue de direction", "rdd", "management review"],
        "self-detected": ["detectee en interne", "auto-detectee", "autodetectee", "interne", "self-detected",
                          "self detected", "internal"],
        "audit": ["audit"],
    },
    "audit_kind": {"internal": ["audit interne (audit a blanc)", "internal audit (mock audit)", "audit a blanc",
                                "mock audit"]},
}
SPELLINGS["coverage"].update({k: v for k, v in SPELLINGS["grade"].items()})
# what a word nobody can read is called, by kind (a message per kind: the kind's name is a word of the sentence)
UNKNOWN = {"grade": N_('unknown grade "{value}"'), "action_status": N_('unknown status "{value}"'),
           "verdict": N_('unknown verdict "{value}"'), "action_kind": N_('unknown action kind "{value}"'),
           "coverage": N_('unknown verdict "{value}"'), "source": N_('unknown source "{value}"'),
           "audit_kind": N_('unknown audit kind "{value}"')}
# the registers'
SPELLINGS.update({
    "risk_kind": {"risk": ["risque", "menace", "r", "risk", "threat"],
                  "opportunity": ["opportunite", "opp", "o", "opportunity"]},
    "risk_status": {
        "open": ["a traiter", "ouvert", "ouverte", "nouveau", "nouvelle", "identifie", "identifiee", "open", "new",
                 "to treat", "todo", "to do"],
        "in-progress": ["en cours", "traitement en cours", "in progress", "in-progress", "ongoing", "wip"],
        "done": ["traite", "traitee", "fait", "faite", "termine", "terminee", "realise", "realisee", "reduit",
                 "maitrise", "done", "treated", "mitigated", "completed"],
        "accepted": ["accepte", "acceptee", "risque accepte", "tolere", "toleree", "accepted", "tolerated"],
        "closed": ["clos", "close", "ferme", "fermee", "cloture", "cloturee", "obsolete", "closed", "retired"]},
    "evidence": {"document": ["document", "doc", "documents", "doc."],
                 "record": ["enregistrement", "enregistrements", "enreg", "preuve", "record", "records"]},
    "document_kind": {
        "policy": ["politique", "policy"], "plan": ["plan"],
        "procedure": ["procedure", "mode operatoire", "instruction", "procedure"],
        "contract": ["contrat", "contract"],
        "agreement": ["accord", "sla", "accord de niveau de service", "accords de niveau de service",
                      "service level agreement", "agreement"],
        "catalogue": ["catalogue", "catalog", "catalogue de services", "service catalogue", "service catalog"],
        "objectives": ["objectifs", "objectif", "objectives"],
        "risks": ["risques", "registre des risques", "risks", "risk register"],
        "scope": ["perimetre", "domaine d'application", "scope"], "other": ["autre", "other"]},
    "date_from": {"typed": ["saisie", "saisi", "typed", ""], "name": ["nom du fichier", "file name", "name"],
                  "properties": ["proprietes du document", "document properties", "properties"],
                  "file-time": ["date du fichier", "file time", "file-time"],
                  "name-month": ["mois du nom du fichier", "month in the file name", "name-month"]},
    "party_kind": {
        "CL": ["client", "customer", "cl"],
        "F": ["fournisseur", "fournisseur externe", "f", "supplier", "external supplier"],
        "FT": ["fournisseur tiers", "sous-traitant", "sous traitant", "ft", "third-party supplier",
               "third party supplier", "subcontractor"],
        "FCA": ["organisme de formation", "formation", "fca", "course provider", "training provider"],
        "OCA": ["organisme de certification", "certificateur", "oca", "certification body"],
        "AA": ["instance d'accreditation", "accreditation", "aa", "accreditation body"]},
    "audit_kind": {
        "internal": ["audit interne", "interne", "audit a blanc", "internal", "internal audit", "mock audit"],
        "pre-audit": ["pre-audit", "preaudit", "pre audit", "pre-audit de certification"],
        "stage1": ["etape 1", "audit d'etape 1", "audit initial", "stage 1", "stage1", "stage 1 audit"],
        "stage2": ["etape 2", "audit d'etape 2", "audit de certification", "stage 2", "stage2", "stage 2 audit"],
        "surveillance": ["surveillance", "audit de surveillance", "surveillance audit"],
        "recertification": ["renouvellement", "audit de renouvellement", "recertification", "recertification audit"],
        "special": ["special", "audit special", "special audit"]},
    "mark": {"planned": ["x", "prevu", "prevue", "planifie", "programme", "oui", "o", "p", "✓", "✔", "☒", "planned",
                         "programmed", "yes", "y"]},
})
UNKNOWN.update({"risk_kind": N_('unknown type "{value}"'), "risk_status": N_('unknown status "{value}"'),
                "likelihood": N_('unknown likelihood "{value}"'), "impact": N_('unknown impact "{value}"'),
                "evidence": N_('"{value}" is neither a document nor a record'),
                "document_kind": N_('unknown document type "{value}"'),
                "date_from": N_('unknown date source "{value}"'), "party_kind": N_('unknown party type "{value}"'),
                "mark": N_('unknown mark "{value}" (X or blank)')})
UNKNOWN_WORD = N_('unknown word "{value}"')   # a kind no message names


def audit_grades(audit_kind: str | None) -> list[str]:
    """The grades a finding of an audit of this kind takes (None: a finding from outside audits): areas of concern
    at stage 1, nonconformities otherwise. Forms offer these, readers take these."""
    if audit_kind == "stage1":
        return ["concern", "observation", "improvement", "strength"]
    return ["major", "minor", "observation", "improvement", "strength"]


def label(kind: str, code: str, lang: str) -> str:
    """The word for `code` of `kind` in `lang` (the code itself when there is none)."""
    return WORDS[kind][lang].get(code, code)


def labels(kind: str, lang: str, codes: list[str] | None = None) -> list[str]:
    """The words of `kind` in `lang` (of `codes` only, when given), in code order: dropdowns and legends."""
    words = WORDS[kind][lang]
    return [words[c] for c in (codes if codes is not None else list(words)) if c in words]


def _table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, words in SPELLINGS.get(kind, {}).items():
        table.update({fold(w): code for w in words})
    for lang in WORDS[kind].values():
        table.update({fold(text): code for code, text in lang.items()})
    table.update({fold(code): code for code in WORDS[kind]["en"]})
    if kind == "grade":  # "Point sensible / observation" also as either half
        table.update({fold(part): "observation" for part in ("point sensible", "observation")})
    return table


# the specific kinds of documented information a certification body asks for: named in the frameworks' data
for _kind, _names in specific_kind_names().items():
    for _lang in ("fr", "en"):
        WORDS["document_kind"][_lang][_kind] = _names[_lang]
    SPELLINGS["document_kind"][_kind] = [fold(_names["fr"]), fold(_names["en"]), *_names["aliases"], _kind]

_TABLES = {kind: _table(kind) for kind in WORDS}


class ValueProblem(ValueError):
    """A typed value kitgen cannot understand, as a Problem that does not know where it was: the caller names the file
    and the cell (`at`). Raised with an English msgid and its fields, like a KitgenError."""

    def __init__(self, message: str, **fields: Any) -> None:
        self.problem = problem(message, **{"code": "unreadable-value", **fields})
        super().__init__(self.problem.text())

    def at(self, file: Path | str | None, place: str | None) -> Problem:
        """The problem located: the file (its name) and the cell, row or table."""
        return replace(self.problem, file=None if file is None else str(file), place=place)


def parse(kind: str, value: Any) -> str:
    """The code of a typed word of `kind` ('NC mineure', 'minor nc', 'Obs.' -> 'minor'…); ValueProblem otherwise."""
    text = fold(str(value)).strip(" .;:!")
    text = " ".join(text.replace("–", "-").replace("’", "'").split())
    code = _TABLES[kind].get(text) or _TABLES[kind].get(text.replace("-", " "))
    if code is None:
        raise ValueProblem(UNKNOWN.get(kind, UNKNOWN_WORD), value=str(value).strip(), code="unknown-word")
    return code
