"""One vocabulary per language, in one place: the words forms show for kitgen's codes (grades, statuses, verdicts,
action kinds, sources…) and every way people type them back (any case, with or without accents, usual
abbreviations). Dropdowns and legends are built from WORDS; readers parse with `parse`.
"""
from __future__ import annotations

from typing import Any

from ..infra.text import fold

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
        "fr": {"internal": "Audit interne (audit à blanc)", "pre-audit": "Pré-audit", "stage1": "Audit initial (étape 1)",
               "stage2": "Audit de certification (étape 2)", "surveillance": "Audit de surveillance",
               "recertification": "Audit de renouvellement", "special": "Audit spécial"},
        "en": {"internal": "Internal audit (mock audit)", "pre-audit": "Pre-audit", "stage1": "Stage 1 audit",
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
               "management-review": "Revue de direction", "self-detected": "Détectée en interne"},
        "en": {"audit": "Audit", "complaint": "Complaint", "major-incident": "Major incident",
               "management-review": "Management review", "self-detected": "Self-detected"},
    },
    "flag": {
        "fr": {"overdue": "En retard", "recurring": "Récurrent", "major-deadline": "Délai de 6 mois dépassé",
               "after-limit": "Échéance après la limite de 6 mois"},
        "en": {"overdue": "Overdue", "recurring": "Recurring", "major-deadline": "6-month limit passed",
               "after-limit": "Due after the 6-month limit"},
    },
}

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
        "management-review": ["revue de direction", "rdd", "management review"],
        "self-detected": ["detectee en interne", "auto-detectee", "autodetectee", "interne", "self-detected",
                          "self detected", "internal"],
        "audit": ["audit"],
    },
}
SPELLINGS["coverage"].update({k: v for k, v in SPELLINGS["grade"].items()})
WHAT = {"grade": "grade", "action_status": "status", "verdict": "verdict", "action_kind": "action kind",
        "coverage": "verdict", "source": "source", "audit_kind": "audit kind"}


def audit_grades(audit_kind: str | None) -> list[str]:
    """The grades a finding of an audit of this kind takes (None: a finding from outside audits): areas of concern
    at stage 1, nonconformities otherwise. Forms offer these, readers take these."""
    if audit_kind == "stage1":
        return ["concern", "observation", "improvement", "strength"]
    return ["major", "minor", "observation", "improvement", "strength"]


def an(word: str) -> str:
    """'an internal', 'a stage1': the English article for a word of a message."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


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


_TABLES = {kind: _table(kind) for kind in WORDS}


class ValueProblem(ValueError):
    """A typed value kitgen cannot understand; the caller adds where it was (the cell)."""


def parse(kind: str, value: Any) -> str:
    """The code of a typed word of `kind` ('NC mineure', 'minor nc', 'Obs.' -> 'minor'…); ValueProblem otherwise."""
    text = fold(str(value)).strip(" .;:!")
    text = " ".join(text.replace("–", "-").replace("’", "'").split())
    code = _TABLES[kind].get(text) or _TABLES[kind].get(text.replace("-", " "))
    if code is None:
        raise ValueProblem(f'unknown {WHAT.get(kind, kind)} "{str(value).strip()}"')
    return code
