"""The kit's evaluation form (.docx): the seed's eight questions, their wording in French and English, and its context."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ReadbackError
from ..infra.files import read_whole
from ..infra.text import fold, remembered_when_short
from ..ooxml.docx_flat import flatten
from ..ooxml.package import open_package
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


SCALE_QUESTIONS = [n for n, kind, _ in QUESTIONS if kind == "scale"]
# Marks people type to tick an option (compared folded): X, ☒, ✓, ✔, ×, (X), [x], X. …
MARKS = {"x", "☒", "✓", "✔", "×", "☑", "✗", "✘", "v"}
_BOXES = "☐☒☑✓✔×✗✘"
_NUMBER = re.compile(r"^\s*(\d)\s*[.)]")


@dataclass
class Answers:
    """One filled evaluation form, read by meaning: questions found by their wording, options by their label."""

    path: str
    lang: str
    scales: dict[int, int] = field(default_factory=dict)            # question -> option 1..5 (1 = best)
    texts: dict[str, str] = field(default_factory=dict)             # superfluous, topic, justification, …
    name: str = ""
    email: str = ""
    ambiguous: dict[int, int] = field(default_factory=dict)         # question -> options ticked (not counted)
    unrecognised: dict[int, str] = field(default_factory=dict)      # question -> text ticked that is no option
    remarks: dict[int, str] = field(default_factory=dict)           # question -> text typed in a scale question
    recognised: bool = False                                        # identity gone: recognised by its questions
    modified: str = ""                                              # the document's own last-modified time
    digest: str = ""                                                # SHA-256 of the file's bytes

    @property
    def respondent(self) -> str:
        """Name and e-mail when given."""
        return " ".join(x for x in (self.name, f"<{self.email}>" if self.email else "") if x)

    @property
    def blank(self) -> bool:
        return not (self.scales or any(self.texts.values()) or self.ambiguous or self.unrecognised or self.remarks)


_QUESTIONS = {n: {lang: fold(WORDING[lang][n])[3:40] for lang in WORDING} for n, _, _ in QUESTIONS}
# a label is the folded text before the first colon: "Remarques : très utile" names the comments
_LABEL_OF = {fold(WORDING[lang][key]).rstrip(" :"): key for lang in WORDING
             for key in ("superfluous", "topic", "justification", "error", "location", "comments", "name", "email")}
_OPTION_INDEX = {n: {fold(options(n, lang)[i]): i + 1 for lang in WORDING for i in range(5)} for n in SCALE_QUESTIONS}
_END = {fold(WORDING[lang][key]).rstrip(" :") for lang in WORDING for key in ("optional", "send")}


def _question(text: str, folded: str) -> tuple[int, str] | None:
    """(number, language) of the question whose wording `text` (`folded`) starts with, in either language."""
    m = _NUMBER.match(text)
    if not m:
        return None
    number = int(m.group(1))
    folded = folded[3:40]
    for lang, wording in _QUESTIONS.get(number, {}).items():
        if folded.startswith(wording[:25]) or (len(folded) >= 12 and wording.startswith(folded[:25])):
            return number, lang
    return None


@remembered_when_short
def _first_cell(text: str) -> tuple[str, tuple[int, str] | None]:
    """(folded text, the question it opens): the same labels recur in every form, so each is worked out once."""
    folded = fold(text)
    return folded, _question(text, folded)


@remembered_when_short
def _option(n: int, text: str) -> tuple[int | None, bool, bool]:
    """(option of question n a scale cell's text names, whether a typed mark is there, whether any text is left)."""
    # the label without the boxes; a typed mark changes it, so an exact label means no mark
    folded = fold(text)
    option = _OPTION_INDEX[n].get(folded)
    if option is not None:
        return option, False, True
    folded, marked = _strip_marks(folded)
    return _OPTION_INDEX[n].get(folded), marked, bool(folded)


def _strip_marks(folded: str) -> tuple[str, bool]:
    """(folded text without tick marks or boxes, whether a typed mark was there)."""
    words, marked = [], False
    for word in folded.replace("(", " ( ").replace(")", " ) ").replace("[", " [ ").replace("]", " ] ").split():
        bare = word.strip(".:;,")
        if bare in MARKS:
            marked = True
        elif bare and bare not in "()[]" and not all(c in _BOXES for c in bare):
            words.append(word)
    return " ".join(words), marked


def _label(text: str, folded: str) -> tuple[str | None, str]:
    """(the text field a label names, what was typed after it in the same cell)."""
    if ":" not in text:
        return None, text.strip()
    return _LABEL_OF.get(folded.split(":", 1)[0].strip()), text.split(":", 1)[1].strip()


class _Reader:
    """Walks the document body in order: question areas, their options and their free text."""

    def __init__(self, answers: Answers) -> None:
        self.a = answers
        self.question: int | str | None = None
        self.field: str | None = None
        self.ticks: dict[int, list[tuple[int, bool]]] = {}
        self.found: set[int] = set()
        self.languages: list[str] = []

    def unit(self, cells: list[Any]) -> None:
        """One table row (its distinct cells) or one paragraph (a single pseudo-cell)."""
        first = cells[0].text if cells else ""
        folded, anchor = _first_cell(first)
        if anchor is not None:
            number, lang = anchor
            self.question, self.field = number, None
            self.found.add(number)
            self.languages.append(lang)
            rest = first.split("?", 1)[1] if "?" in first else first.split(":", 1)[1] if ":" in first else ""
            if rest.strip() and number == 7:
                self._text("comments", rest)
            return
        if folded.rstrip(" :") in _END:
            self.question, self.field = "optional", None
            return
        if isinstance(self.question, int) and self.question in SCALE_QUESTIONS:
            for cell in cells:
                self._scale_cell(self.question, cell)
            return
        key, rest = _label(first, folded)
        if key in ("name", "email"):
            value = " ".join(c.text for c in cells[1:]).strip() or rest
            setattr(self.a, key, value)
            return
        if key is not None and isinstance(self.question, int):
            self.field = key
            self._text(key, " ".join([rest] + [c.text for c in cells[1:]]))
        elif self.field is not None:
            self._text(self.field, " ".join(c.text for c in cells))
        elif isinstance(self.question, int):  # text under a question, before any label: its first field
            fields = next(f for q, _, f in QUESTIONS if q == self.question)
            if fields:
                self._text(fields[0], " ".join(c.text for c in cells))

    def _text(self, key: str, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.a.texts[key] = f"{self.a.texts[key]} {text}" if self.a.texts.get(key) else text

    def _scale_cell(self, n: int, cell: Any) -> None:
        option, marked, text = _option(n, cell.text)
        if option is not None:
            self.ticks.setdefault(n, []).append((option, any(cell.boxes) or marked))
        elif any(cell.boxes) or marked:  # ticked beside a text that is no option: never guessed
            self.a.unrecognised[n] = " ".join(cell.text.split())
        elif text:  # a remark typed in the question's area
            remark = " ".join(cell.text.split())
            self.a.remarks[n] = f"{self.a.remarks[n]} {remark}" if n in self.a.remarks else remark

    def finish(self) -> None:
        for n, options_seen in self.ticks.items():
            if n in self.a.unrecognised:
                continue
            ticked = sorted({o for o, on in options_seen if on})
            present = sorted({o for o, _ in options_seen})
            if len(ticked) == 1:
                self.a.scales[n] = ticked[0]
            elif len(ticked) > 1:
                self.a.ambiguous[n] = len(ticked)
            elif len(present) == 1:  # every other option deleted: the one left is the answer
                self.a.scales[n] = present[0]


class NotEvaluationForm(ReadbackError):
    """A sane .docx that is not a readable evaluation form: `code` says why (other-form, not-form, restructured)."""

    MESSAGES = {"other-form": "a kitgen {form} form, not an evaluation form",
                "not-form": "not an evaluation form (neither kitgen's identity nor its questions)",
                "restructured": "question(s) {missing} not found; was the form restructured?"}

    def __init__(self, path: Path | str, code: str, details: dict[str, str]) -> None:
        self.path, self.code, self.details = Path(path), code, details
        self._fields = (path, code, details)
        super().__init__(f"{path}: {self.MESSAGES[code].format(**details)}")


def read(path: Path) -> Answers:
    """Read a filled evaluation form; NotEvaluationForm when it is not one, UnsafeFileError when it is not a sane
    .docx.

    The file is read once: its digest, its identity (or, when Word's Document Inspector removed it, its questions),
    and its body, walked in order.
    """
    data = read_whole(path)
    with open_package(path, "docx", data=data) as package:
        props = package.properties()
        form = props.get("kitgen.form")
        if form and form != FORM_ID:
            raise NotEvaluationForm(path, "other-form", {"form": str(form)})
        lang = str(props.get("kitgen.lang", ""))
        answers = Answers(path=str(path), lang=lang if lang in WORDING else "fr",
                          digest=hashlib.sha256(data).hexdigest())
        reader = _Reader(answers)
        for block in flatten(package):
            reader.unit(block.cells)
        reader.finish()
        if answers.email:  # only who sent a form twice needs its time
            moment = package.modified()
            answers.modified = moment.isoformat() if moment else ""
        if not form:
            if len(reader.found) < 6:
                raise NotEvaluationForm(path, "not-form", {})
            answers.recognised = True
        if lang not in WORDING and reader.languages:
            answers.lang = max(set(reader.languages), key=reader.languages.count)
        missing = sorted({n for n, _, _ in QUESTIONS} - reader.found)
        if missing:
            raise NotEvaluationForm(path, "restructured", {"missing": ", ".join(map(str, missing))})
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
