"""The kit's evaluation form (.docx): the seed's eight questions, their wording in French and English, its context,
and the reader of the returned copies `kitgen feedback` adds up."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import N_
from ..infra.files import read_whole
from ..infra.text import fold, remembered_when_short
from ..project.models import Project
from .common import long_date, today
from .kind import FormType
from .survey import Answers, Column, NotAnswerable, Scale, ScaleQuestion, Survey, TextList

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
# What each scale question asks, in a few words: a chart's categories must say more than "Q1".
SHORT = {
    "fr": {1: "1. Contenu", 2: "2. Approche logique, facile à suivre", 3: "3. Apparence, format",
           8: "8. Recommanderiez-vous la trousse ?"},
    "en": {1: "1. Content", 2: "2. Logical, easy-to-follow approach", 3: "3. Appearance, format",
           8: "8. Would you recommend the kit?"},
}
# Questions sharing a scale share a chart and a legend; recommendation is not satisfaction.
_SATISFACTION = Scale({"fr": "Satisfaction", "en": "Satisfaction"},
                      {lang: tuple(labels) for lang, labels in SATISFACTION.items()})
_RECOMMEND = Scale({"fr": "Recommandation", "en": "Recommendation"},
                   {lang: tuple(labels) for lang, labels in RECOMMEND.items()})
_TEXT = {"fr": "Texte", "en": "Text"}
SURVEY = Survey(
    scales=tuple(ScaleQuestion(n, {lang: WORDING[lang][n] for lang in WORDING},
                               {lang: SHORT[lang][n] for lang in SHORT}, _RECOMMEND if n == 8 else _SATISFACTION)
                 for n in SCALE_QUESTIONS),
    lists=(
        TextList("superfluous", 4, (Column("text", "superfluous", _TEXT, 70),),
                 {"fr": "Rubriques superflues", "en": "Superfluous topics"},
                 {"fr": ("rubrique superflue", "rubriques superflues"),
                  "en": ("superfluous topic", "superfluous topics")}),
        TextList("missing", 5, (Column("topic", "topic", {"fr": "Rubrique proposée", "en": "Proposed topic"}, 40),
                                Column("justification", "justification",
                                       {"fr": "Justification", "en": "Justification"}, 50)),
                 {"fr": "Rubriques manquantes", "en": "Missing topics"},
                 {"fr": ("rubrique manquante", "rubriques manquantes"), "en": ("missing topic", "missing topics")}),
        TextList("errors", 6, (Column("error", "error", {"fr": "Erreur", "en": "Error"}, 50),
                               Column("location", "location", {"fr": "Emplacement", "en": "Location"}, 30)),
                 {"fr": "Erreurs", "en": "Errors"},
                 {"fr": ("erreur signalée", "erreurs signalées"), "en": ("error report", "error reports")},
                 one_per_paragraph=True),
        TextList("comments", 7, (Column("text", "comments", _TEXT, 70),), {"fr": "Commentaires", "en": "Comments"},
                 {"fr": ("commentaire", "commentaires"), "en": ("comment", "comments")}, remarks=True),
    ),
)

# Marks people type to tick an option, once what surrounds them is taken off ((X), [x], <X>, « X », -X-, X.): one
# of these characters, typed once or a few times (X, XX, ✓✓).
TICKS = frozenset("x☒☑✓✔×✕✖✗✘■●✅⊠v")
TICK_REPEATS = 3      # XXX is still a mark; a longer run is something else
UNSURE_LENGTH = 3     # "Oui", "OK", "*", "+": too short for a remark, no mark read for sure: reported, not guessed
# what surrounds a mark, punctuation after it (not "?": a doubt is reported), empty boxes pasted as text, emoji
# variation selectors
_AROUND = set("()[]{}<>«»\"'“”‘’-–—_.,;:!☐□○\ufe0e\ufe0f\u200b")
TICK, UNSURE, TEXT, NOTHING = "tick", "unsure", "text", ""
_NUMBER = re.compile(r"^\s*(\d)\s*[.)]")
# A numbered cell is that question when the start of its wording follows the number ("1. ", skipped): the cell starts
# with WORDING_MATCH characters of it, or what the cell holds starts it and is at least WORDING_LEAST characters long
# (a numbered line of two short words is not a question); a template may shorten or reword a question's end
WORDING_COMPARED = slice(3, 40)
WORDING_MATCH = 25
WORDING_LEAST = 12
# A file kitgen's identity was removed from is an evaluation form when this many of its eight questions are found
# (one with a question or two deleted is still one, and is reported as restructured); fewer: some other document
QUESTIONS_FOR_A_FORM = 6


def _mark(folded: str) -> str:
    """What a folded piece of text typed in an option's cell is: TICK (a mark kitgen reads), UNSURE (mark-like, but
    not one kitgen reads for sure: Oui, *), TEXT (words), or NOTHING (only spaces, punctuation, an empty box)."""
    core = "".join(c for c in folded if c not in _AROUND and not c.isspace())
    if not core:
        return NOTHING
    if len(core) <= TICK_REPEATS and core[0] in TICKS and core == core[0] * len(core):
        return TICK
    if len(core) <= UNSURE_LENGTH or not any(c.isalnum() for c in core):
        return UNSURE
    return TEXT


def _plain(text: str) -> str:
    """The text without accents and with single spaces, its case kept (lowercased, it compares with `fold`)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _lines(text: str) -> list[str]:
    """The non-empty lines (paragraphs, line breaks) of a text, each with single spaces."""
    return [line for line in (" ".join(part.split()) for part in text.split("\n")) if line]


_QUESTIONS = {n: {lang: fold(WORDING[lang][n])[WORDING_COMPARED] for lang in WORDING} for n, _, _ in QUESTIONS}
# a label is the folded text before the first colon: "Remarques : très utile" names the comments
_LABEL_OF = {fold(WORDING[lang][key]).rstrip(" :"): key for lang in WORDING
             for key in ("superfluous", "topic", "justification", "error", "location", "comments", "name", "email")}
_OPTION_INDEX = {n: {fold(options(n, lang)[i]): i + 1 for lang in WORDING for i in range(5)} for n in SCALE_QUESTIONS}
# longest first: "tres satisfait" is found before "satisfait", "probablement pas" before "probablement"
_LABELS_LONGEST_FIRST = {n: sorted(index.items(), key=lambda item: -len(item[0])) for n, index in _OPTION_INDEX.items()}
_END = {fold(WORDING[lang][key]).rstrip(" :") for lang in WORDING for key in ("optional", "send")}


def _question(text: str, folded: str) -> tuple[int, str] | None:
    """(number, language) of the question whose wording `text` (`folded`) starts with, in either language."""
    m = _NUMBER.match(text)
    if not m:
        return None
    number = int(m.group(1))
    folded = folded[WORDING_COMPARED]
    for lang, wording in _QUESTIONS.get(number, {}).items():
        if folded.startswith(wording[:WORDING_MATCH]) or (len(folded) >= WORDING_LEAST
                                                          and wording.startswith(folded[:WORDING_MATCH])):
            return number, lang
    return None


@remembered_when_short
def _first_cell(text: str) -> tuple[str, tuple[int, str] | None]:
    """(folded text, the question it opens): the same labels recur in every form, so each is worked out once."""
    folded = fold(text)
    return folded, _question(text, folded)


@dataclass(frozen=True, slots=True)
class _OptionCell:
    """What an option's cell holds, read paragraph by paragraph."""

    option: int | None          # the option whose label is there (1 = best)
    ticked: bool                # a typed mark is there
    unsure: str                 # a mark kitgen does not read for sure, as typed ("Oui", "*")
    text: tuple[str, ...]       # lines that are neither the label nor a mark


def _beside_label(n: int, folded: str) -> tuple[int, str, int, int] | None:
    """(option, what else the line holds, where the label starts and ends) when `folded` is an option's label with
    only a mark (or nothing) before or after it, spaced or not: "satisfait x", "xsatisfait", "satisfait (oui)"."""
    for label, option in _LABELS_LONGEST_FIRST[n]:
        start = folded.find(label)
        if start >= 0:
            end = start + len(label)
            kind = _mark(f"{folded[:start]} {folded[end:]}")
            if kind != TEXT:
                return option, kind, start, end
    return None


@remembered_when_short
def _option_cell(n: int, text: str) -> _OptionCell:
    """Read a scale question's option cell paragraph by paragraph: its label, a mark alone on its line or beside the
    label, and anything else typed there (the same cells recur in every form, so each is worked out once)."""
    option: int | None = None
    ticked, unsure, rest = False, "", []
    for line in text.split("\n"):
        plain = _plain(line)
        folded = plain.lower()
        if not plain:
            continue
        found = _OPTION_INDEX[n].get(folded)
        kind = NOTHING if found is not None else _mark(folded)
        if kind == TEXT:
            beside = _beside_label(n, folded)
            if beside is not None and option in (None, beside[0]):
                found, kind, start, end = beside
                if kind == UNSURE:   # said as typed: the label taken off the line, its case kept
                    plain = f"{plain[:start]} {plain[end:]}".strip() if len(plain) == len(folded) else plain
        if found is not None and option in (None, found):
            option = found
        elif kind == TEXT or found is not None:   # words, or a second option's label: kept as typed
            rest.append(" ".join(line.split()))
            ticked |= any(_mark(word) == TICK for word in folded.split())  # "X Plutôt satisfait"
            continue
        ticked |= kind == TICK
        unsure = unsure or (plain if kind == UNSURE else "")
    return _OptionCell(option, ticked, unsure, tuple(rest))


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

    def unit(self, cells: Sequence[Any]) -> None:
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
            value = " ".join(" ".join(c.text for c in cells[1:]).split()) or " ".join(rest.split())
            setattr(self.a, key, value)
            return
        if key is not None and isinstance(self.question, int):
            self.field = key
            self._text(key, "\n".join([rest] + [c.text for c in cells[1:]]))
        elif self.field is not None:
            self._text(self.field, "\n".join(c.text for c in cells))
        elif isinstance(self.question, int):  # text under a question, before any label: its first field
            fields = next(f for q, _, f in QUESTIONS if q == self.question)
            if fields:
                self._text(fields[0], "\n".join(c.text for c in cells))

    def _text(self, key: str, text: str) -> None:
        """Add what was typed to a field, each paragraph and line break on its own line."""
        lines = _lines(text)
        if lines:
            self.a.texts[key] = "\n".join([self.a.texts[key], *lines] if self.a.texts.get(key) else lines)

    def _scale_cell(self, n: int, cell: Any) -> None:
        read = _option_cell(n, cell.text)
        ticked = any(cell.boxes) or read.ticked
        if read.option is not None:
            self.ticks.setdefault(n, []).append((read.option, ticked))
            if read.unsure and not ticked:
                self.a.unrecognised_marks.setdefault(n, (read.unsure, read.option))
            if read.text:
                self._remark(n, read.text)
        elif ticked or read.unsure:  # ticked beside a text that is no option: never guessed
            self.a.unrecognised.setdefault(n, "\n".join(_lines(cell.text)))
        elif read.text:  # a remark typed in the question's area
            self._remark(n, read.text)

    def _remark(self, n: int, lines: tuple[str, ...]) -> None:
        self.a.remarks[n] = "\n".join([self.a.remarks[n], *lines] if n in self.a.remarks else lines)

    def finish(self) -> None:
        for n, options_seen in self.ticks.items():
            if n in self.a.unrecognised or n in self.a.unrecognised_marks:
                continue
            ticked = sorted({o for o, on in options_seen if on})
            present = sorted({o for o, _ in options_seen})
            if len(ticked) == 1:
                self.a.scales[n] = ticked[0]
            elif len(ticked) > 1:
                self.a.ambiguous[n] = len(ticked)
            elif len(present) == 1:  # every other option deleted: the one left is the answer
                self.a.scales[n] = present[0]


_NOT_READABLE = {"other-form": N_("a kitgen {form} form, not an evaluation form"),
                 "not-form": N_("not an evaluation form (neither kitgen's identity nor its questions)"),
                 "restructured": N_("questions not found: {missing}; was the form restructured?")}


def _not_readable(path: Path, code: str, details: dict[str, str]) -> NotAnswerable:
    return NotAnswerable(path, code, details, _NOT_READABLE[code])


def read(path: Path) -> Answers:
    """Read a filled evaluation form; NotAnswerable when it is not one, UnsafeFileError when it is not a sane .docx.

    The file is read once: its digest, its identity (or, when Word's Document Inspector removed it, its questions),
    and its body, walked in order.
    """
    # the Word reader (lxml) is imported by a run that reads forms, not by every run that lists the registry
    from ..ooxml.docx_flat import flatten
    from ..ooxml.package import open_package

    data = read_whole(path)
    with open_package(path, "docx", data=data) as package:
        props = package.properties()
        form = props.get("kitgen.form")
        if form and form != FORM_ID:
            raise _not_readable(path, "other-form", {"form": str(form)})
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
            if len(reader.found) < QUESTIONS_FOR_A_FORM:
                raise _not_readable(path, "not-form", {})
            answers.recognised = True
        if lang not in WORDING and reader.languages:
            answers.lang = max(set(reader.languages), key=reader.languages.count)
        missing = sorted({n for n, _, _ in QUESTIONS} - reader.found)
        if missing:
            raise _not_readable(path, "restructured", {"missing": ", ".join(map(str, missing))})
    return answers


class EvaluationForm(FormType):
    """The kit's evaluation form, handed to readers; `kitgen feedback` adds up the filled ones."""

    id = FORM_ID
    template = "evaluation-form.docx"
    per = "kit"
    not_harvested_hint = N_("use kitgen feedback for evaluation forms")
    answered = True

    def context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        return context(project, lang)

    def survey(self) -> Survey:
        return SURVEY

    def answers(self, path: Path) -> Answers:
        return read(path)


FORM = EvaluationForm()
