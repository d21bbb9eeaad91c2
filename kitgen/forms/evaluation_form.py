"""The kit's evaluation form (.docx): the seed's eight questions, their wording in French and English, and its context."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ooxml.text import fold
from ..project.models import Project
from .common import long_date, today
from .kind import FormType

FORM_ID = "evaluation-form"

SATISFACTION = {
    "fr": ["Très satisfait", "Satisfait", "Ni satisfait ni insatisfait", "Insatisfait", "Très insatisfait"],
    "en": ["Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied", "Dissatisfied", "Very dissatisfied"],
}
RECOMMEND = {
    "fr": ["Sans aucun doute", "Probablement", "Pas sûr", "Probablement pas", "Certainement pas"],
    "en": ["Definitely", "Probably", "Not sure", "Probably not", "Definitely not"],
}
# (number, kind, fields for text questions). Scale questions have five options, best first.
QUESTIONS: list[tuple[int, str, tuple[str, ...]]] = [
    (1, "scale", ()), (2, "scale", ()), (3, "scale", ()), (4, "text", ("superfluous",)),
    (5, "text", ("topic", "justification")), (6, "text", ("error", "location")), (7, "text", ("comments",)),
    (8, "scale", ()),
]
WORDING = {
    "fr": {
        "title": "Formulaire d'évaluation",
        "intro": "Vos remarques vont nous permettre d'améliorer le contenu de cette trousse de déploiement. "
                 "Vos commentaires et suggestions nous sont fortement appréciés.",
        1: "1. Quel est votre degré de satisfaction à l'égard du CONTENU de cette trousse de déploiement ?",
        2: "2. L'approche dans laquelle les rubriques sont abordées est-elle logique et facile à suivre ?",
        3: "3. Quel est votre degré de satisfaction à l'égard de l'APPARENCE/du FORMAT de cette trousse de déploiement ?",
        4: "4. Y a-t-il eu des rubriques superflues qui ont été incluses ? (Veuillez préciser)",
        5: "5. Quelle rubrique manquante auriez-vous souhaité voir dans cette trousse ? (Veuillez préciser)",
        6: "6. Y a-t-il des erreurs dans cette trousse de déploiement ? (Veuillez indiquer)",
        7: "7. Autres remarques ou commentaires :",
        8: "8. Recommanderiez-vous l'utilisation de cette trousse de déploiement à un employé d'une autre TPO ?",
        "superfluous": "Rubriques superflues :", "topic": "Rubrique proposée :",
        "justification": "Justification de la nouvelle rubrique :", "error": "Description de l'erreur :",
        "location": "Emplacement de l'erreur (section #, figure #, tableau #) :", "comments": "Remarques :",
        "optional": "Optionnel", "name": "Nom :", "email": "Adresse courriel :", "send": "À envoyer par courriel à :",
        "tick": "Cochez une seule case par question (ou tapez un X à côté de votre choix).",
    },
    "en": {
        "title": "Evaluation form",
        "intro": "Your remarks will help us improve the content of this deployment package. "
                 "Your comments and suggestions are greatly appreciated.",
        1: "1. How satisfied are you with the CONTENT of this deployment package?",
        2: "2. Is the approach in which the topics are covered logical and easy to follow?",
        3: "3. How satisfied are you with the APPEARANCE/FORMAT of this deployment package?",
        4: "4. Were any superfluous topics included? (Please specify)",
        5: "5. Which missing topic would you have liked to see in this package? (Please specify)",
        6: "6. Are there errors in this deployment package? (Please indicate)",
        7: "7. Other remarks or comments:",
        8: "8. Would you recommend this deployment package to an employee of another VSE?",
        "superfluous": "Superfluous topics:", "topic": "Proposed topic:", "justification": "Justification of the new topic:",
        "error": "Description of the error:", "location": "Location of the error (section #, figure #, table #):",
        "comments": "Remarks:", "optional": "Optional", "name": "Name:", "email": "E-mail address:",
        "send": "Send by e-mail to:",
        "tick": "Tick one box per question (or type an X next to your choice).",
    },
}


def options(number: int, lang: str) -> list[str]:
    """The five options of scale question `number`, best first."""
    return (RECOMMEND if number == 8 else SATISFACTION)[lang]


def context(project: Project, lang: str) -> dict[str, Any]:
    """The kit's details the evaluation form shows."""
    kit = project.kit
    separator = " ou " if lang == "fr" else " or "
    return {
        "lang": lang,
        "generated": long_date(today(), lang),
        "kit": {"title": kit.title if kit else project.organisation.legal_name,
                "version": kit.version if kit else "1.0",
                "authors": ", ".join(kit.authors) if kit else "",
                "send_to": separator.join(kit.feedback_to) if kit and kit.feedback_to else "—"},
    }


@dataclass
class Answers:
    """One filled evaluation form, read."""

    path: str
    lang: str
    scales: dict[int, int | None] = field(default_factory=dict)    # question -> option 1..5 (1 = best), None
    texts: dict[str, str] = field(default_factory=dict)             # superfluous, topic, justification, …
    name: str = ""
    email: str = ""
    problems: list[str] = field(default_factory=list)               # two boxes ticked, none ticked
    digest: str = ""                                                # same answers -> same digest

    @property
    def respondent(self) -> str:
        """Name and e-mail when given."""
        return " ".join(x for x in (self.name, f"<{self.email}>" if self.email else "") if x)


_NUMBER = re.compile(r"^\s*(\d)\s*[.)]")
MARKS = {"x", "☒", "✓", "✔", "☑", "✗", "✘"}


def marked(cell: Any) -> bool:
    """Ticked: a checked checkbox (content control or legacy field), or a typed mark (X, ☒, ✓) in the cell."""
    if any(cell.boxes):
        return True
    words = cell.typed.replace("☐", " ").replace("[", " ").replace("]", " ").split()
    return any(w.lower() in MARKS or w[:1] in MARKS - {"x"} for w in words)


def read(path: Path) -> Answers:
    """Read a filled evaluation form (after safety checks); raises ReadbackError when it is not one."""
    from ..errors import ReadbackError
    from ..ooxml.docx_read import read_tables
    from ..ooxml.package import open_package

    with open_package(path, "docx") as package:
        props = package.properties()
        tables = read_tables(package)
    if props.get("kitgen.form") != FORM_ID:
        what = f"a kitgen {props['kitgen.form']} form" if props.get("kitgen.form") else "not a kitgen form"
        raise ReadbackError(f"{path}: {what}, not an evaluation form")
    lang = str(props.get("kitgen.lang", "fr"))
    answers = Answers(path=str(path), lang=lang if lang in WORDING else "fr")
    found: set[int] = set()
    labels = {fold(WORDING[lg][k]): k for lg in WORDING for k in ("name", "email")}
    for rows in tables:
        if not rows or not rows[0]:
            continue
        m = _NUMBER.match(rows[0][0].text)
        number = int(m.group(1)) if m else None
        kind = dict((n, k) for n, k, _ in QUESTIONS).get(number or 0)
        if number and kind == "scale" and len(rows) > 1:
            found.add(number)
            ticked = [i for i, cell in enumerate(rows[1][:5], start=1) if marked(cell)]
            if len(ticked) == 1:
                answers.scales[number] = ticked[0]
            else:
                answers.scales[number] = None
                answers.problems.append(f"question {number}: " + ("no box ticked" if not ticked else
                                                                  f"{len(ticked)} boxes ticked"))
        elif number and kind == "text":
            found.add(number)
            fields = next(f for n, _, f in QUESTIONS if n == number)
            for key, row in zip(fields, rows[1:]):
                answers.texts[key] = row[1].text if len(row) > 1 else ""
        else:
            for row in rows:
                who = labels.get(fold(row[0].text)) if row else None
                if who and len(row) > 1:
                    setattr(answers, who, row[1].text)
    missing = sorted({n for n, _, _ in QUESTIONS} - found)
    if missing:
        raise ReadbackError(f"{path}: question(s) {', '.join(map(str, missing))} not found; was the form restructured?")
    payload = json.dumps([answers.lang, sorted(answers.scales.items()), sorted(answers.texts.items()), answers.name,
                          answers.email])
    answers.digest = hashlib.sha256(payload.encode()).hexdigest()
    return answers


class EvaluationForm(FormType):
    """The kit's evaluation form, handed to readers; `kitgen feedback` aggregates the filled ones."""

    id = FORM_ID
    template = "evaluation-form.docx"
    per = "kit"
    not_harvested_hint = " (use kitgen feedback for evaluation forms)"

    def context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        return context(project, lang)


FORM = EvaluationForm()
