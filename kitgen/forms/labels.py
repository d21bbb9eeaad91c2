"""The words forms show for the project's codes, in French (as French certification bodies write them) and English."""
from __future__ import annotations

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "grade": {
        "fr": {"major": "NC majeure", "minor": "NC mineure", "observation": "Point sensible / observation",
               "improvement": "Piste de progrès", "strength": "Point fort"},
        "en": {"major": "Major NC", "minor": "Minor NC", "observation": "Observation",
               "improvement": "Opportunity for improvement", "strength": "Strength"},
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
        "fr": {"open": "Ouverte", "in-progress": "En cours", "done": "Réalisée", "verified": "Vérifiée", "cancelled": "Annulée"},
        "en": {"open": "Open", "in-progress": "In progress", "done": "Done", "verified": "Verified", "cancelled": "Cancelled"},
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
        "fr": {"closed": "Soldé", "in-progress": "En cours", "not-effective": "Non efficace", "not-verified": "Non vérifié"},
        "en": {"closed": "Closed", "in-progress": "In progress", "not-effective": "Not effective", "not-verified": "Not verified"},
    },
    "flag": {
        "fr": {"overdue": "En retard", "recurring": "Récurrent", "major-deadline": "Délai de 6 mois dépassé"},
        "en": {"overdue": "Overdue", "recurring": "Recurring", "major-deadline": "6-month limit passed"},
    },
}


def label(kind: str, code: str, lang: str) -> str:
    """The word for `code` of `kind` in `lang` (the code itself when there is none)."""
    return LABELS[kind][lang].get(code, code)


def labels(kind: str, lang: str) -> list[str]:
    """Every label of `kind` in `lang`, in code order (for dropdowns)."""
    return list(LABELS[kind][lang].values())
