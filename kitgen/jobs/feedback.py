"""`kitgen feedback`: aggregate hundreds of filled forms into one report for the kit's authors.

The form added up is the one the registry marks `answered` (the evaluation form); feedback knows it only through its
form type: how one returned copy is read, its scale questions and options, the lists its free text goes in.
Every respondent counts: only byte-identical files, or the same e-mail address sent again (the latest version
counts), are duplicates. Every file given is counted or set aside with a reason. Forms are read in parallel worker
processes, each file opened once; each worker returns only its answers, so memory stays flat.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import format_decimal

from .. import errors
from ..errors import N_, KitgenError
from ..forms.common import LOCALES
from ..forms.kind import FormType
from ..forms.registry import form_types
from ..forms.survey import Answers, NotAnswerable, Survey, TextList
from ..infra.files import find_files
from ..infra.parallel import ordered_map
from ..infra.text import fold

REASONS = {
    "fr": {"not-docx": "pas un fichier .docx ({suffix}) : demander le formulaire rempli en .docx, ou le ressaisir",
           "unreadable": "fichier illisible ou refusé ({detail}) : l'ouvrir dans Word et l'enregistrer en .docx",
           "other-form": "un formulaire kitgen « {form} », pas un formulaire d'évaluation",
           "not-form": "pas un formulaire d'évaluation (ni l'identité kitgen, ni ses questions)",
           "restructured": "question(s) {missing} introuvable(s) : formulaire restructuré ? Ressaisir ses réponses",
           "blank": "formulaire vierge : rien n'y est répondu",
           "identical": "copie identique de {other} : comptée une fois",
           "resent": "renvoyé par {email} : seule la version la plus récente ({kept}) est comptée",
           "ambiguous": "question {n} : {k} options cochées, cette réponse n'est pas comptée (le reste du formulaire "
                        "l'est)",
           "unrecognised": "question {n} : case cochée à côté d'un texte qui n'est pas une option (« {text} »), "
                           "cette réponse n'est pas comptée",
           "unrecognised-mark": "question {n} : marque non reconnue (« {mark} ») à côté de « {option} », cette "
                                "réponse n'est pas comptée (la ressaisir si elle est claire)",
           "recognised": "propriétés d'identité supprimées (inspecteur de document de Word ?) : reconnu par ses "
                         "questions, compté"},
    "en": {"not-docx": "not a .docx file ({suffix}): ask for the filled form as .docx, or type it in",
           "unreadable": "unreadable or refused ({detail}): open it in Word and save it as .docx",
           "other-form": "a kitgen “{form}” form, not an evaluation form",
           "not-form": "not an evaluation form (neither kitgen's identity nor its questions)",
           "restructured": "question(s) {missing} not found: restructured form? Type its answers in",
           "blank": "blank form: nothing answered",
           "identical": "identical copy of {other}: counted once",
           "resent": "sent again by {email}: only the latest version ({kept}) counts",
           "ambiguous": "question {n}: {k} options ticked, that answer is not counted (the rest of the form is)",
           "unrecognised": "question {n}: a tick beside a text that is no option (\u201c{text}\u201d), that answer "
                           "is not counted",
           "unrecognised-mark": "question {n}: unrecognised mark (\u201c{mark}\u201d) beside \u201c{option}\u201d, "
                                "that answer is not counted (type it in if it is clear)",
           "recognised": "identity properties removed (Word's Document Inspector?): recognised by its questions, "
                         "counted"},
}
Explain = Callable[[errors.Problem], str]  # an error's problem in the report's language (the CLI's catalogs)
SET_ASIDE = ("not-docx", "unreadable", "other-form", "not-form", "restructured", "blank", "identical", "resent")


@lru_cache(maxsize=1)
def answered_form() -> FormType:
    """The form whose returned copies feedback adds up: the registry's form type that is `answered`."""
    forms = [form for form in form_types() if form.answered]
    if len(forms) != 1:  # a second answered form would need a way to choose: say so rather than mix them
        raise KitgenError(N_("kitgen feedback adds up one kind of form; the registry has {count}"), count=len(forms),
                          code="registry")
    return forms[0]


@dataclass
class QuestionStats:
    """Counts for one scale question, in option order (best first)."""

    number: int
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def percentages(self) -> list[float]:
        return [round(100 * c / self.total, 1) if self.total else 0.0 for c in self.counts]

    @property
    def mean(self) -> float | None:
        """Mean score from 1 (worst option) to the number of options (best option)."""
        if not self.total:
            return None
        best = len(self.counts)
        return round(sum((best - i) * c for i, c in enumerate(self.counts)) / self.total, 2)


@dataclass
class Problem:
    """A file set aside (or an answer not counted), with the reason's code and details, by a path people know."""

    file: str
    code: str
    details: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str, explain: Explain = errors.Problem.render) -> str:
        """The reason in `lang`; an error's problem among the details (why a file is unreadable) is written by
        `explain`, which the caller gives in `lang` too (default: English)."""
        return REASONS[lang][self.code].format(**{k: explain(v) if isinstance(v, errors.Problem) else v
                                                  for k, v in self.details.items()})

    @property
    def set_aside(self) -> bool:
        return self.code in SET_ASIDE


def number(value: float, lang: str, pattern: str | None = None) -> str:
    """A count or a mean written the report's way: '4,26' and '2 000' in French, '4.26' and '2,000' in English."""
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


@dataclass
class Feedback:
    """The aggregate of every file given."""

    survey: Survey
    files: int = 0
    forms: int = 0
    questions: dict[int, QuestionStats] = field(default_factory=dict)
    lists: dict[str, list[dict[str, str]]] = field(default_factory=dict)   # a survey list's key -> its rows
    problems: list[Problem] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for q in self.survey.scales:
            self.questions.setdefault(q.number, QuestionStats(q.number, [0] * q.scale.size))
        for text_list in self.survey.lists:
            self.lists.setdefault(text_list.key, [])

    @property
    def set_aside(self) -> int:
        return sum(1 for p in self.problems if p.set_aside)

    def headline(self, lang: str) -> str:
        """'N forms counted from M files; K set aside (see Problems)', in `lang`."""
        forms, files = _words(self.forms, "form", lang), _words(self.files, "file", lang)
        if lang == "fr":
            return f"{forms} sur {files} ; {number(self.set_aside, lang)} mis de côté (voir Problèmes)"
        return f"{forms} from {files}; {number(self.set_aside, lang)} set aside (see Problems)"

    def list_sizes(self, lang: str) -> str:
        """'3 rubriques superflues, 1 erreur signalée, …': how many rows each free-text list holds, in `lang`."""
        sizes = [(len(self.lists[t.key]), t.counted[lang]) for t in self.survey.lists]
        return ", ".join(f"{number(n, lang)} {_plural(n, one, other, lang)}" for n, (one, other) in sizes)

    def as_dict(self, lang: str = "en", explain: Explain = errors.Problem.render) -> dict[str, Any]:
        """Everything the report holds, for scripts (free text with its line breaks as typed)."""
        questions = {}
        for q in self.survey.scales:
            stats, labels = self.questions[q.number], list(q.scale.options[lang])
            questions[str(q.number)] = {
                "question": q.wording[lang], "options": labels, "counts": stats.counts, "total": stats.total,
                "percentages": stats.percentages, "mean": stats.mean,
                "scale": f"1 = {labels[-1]}, {len(labels)} = {labels[0]}"}
        return {
            "files": self.files, "forms": self.forms, "set_aside": self.set_aside, "languages": self.languages,
            "questions": questions, **{t.key: self.lists[t.key] for t in self.survey.lists},
            "problems": [{"file": p.file, "problem": p.text(lang, explain), "code": p.code, "set_aside": p.set_aside}
                         for p in self.problems],
        }


WORDS = {"fr": {"form": ("formulaire compté", "formulaires comptés"), "file": ("fichier", "fichiers")},
         "en": {"form": ("form counted", "forms counted"), "file": ("file", "files")}}


def _plural(n: int, one: str, other: str, lang: str) -> str:
    return one if Locale.parse(LOCALES[lang]).plural_form(n) == "one" else other


def _words(n: int, what: str, lang: str) -> str:
    """'1 formulaire compté', '0 formulaire compté' (French counts 0 as one), '2 forms counted'."""
    one, other = WORDS[lang][what]
    return f"{number(n, lang)} {_plural(n, one, other, lang)}"


def _read_one(path: Path) -> Answers | tuple[str, dict[str, Any]]:
    """A worker's job: the answers, or (reason code, details) when the file is not a readable returned form; a
    refusal's detail is the error's own problem, less its file (the set-aside line names it already)."""
    try:
        return answered_form().answers(path)
    except NotAnswerable as err:
        return err.code, err.details
    except KitgenError as err:  # refused as unsafe, or not readable as a form: its first problem says why
        return "unreadable", {"detail": replace(err.first, file=None)}


def _shown(path: Path, folders: list[Path]) -> str:
    """A path people know: relative to the folder it was found in, else its name."""
    for folder in folders:
        try:
            return path.relative_to(folder).as_posix()
        except ValueError:
            continue
    return path.name


def aggregate(paths: list[Path], *, processes: int = 0, progress: Callable[..., None] | None = None,
              skip: Path | None = None) -> Feedback:
    """Read every form (in `processes` workers; 0 = one per core) and add up the answers of every respondent.

    `skip` is the report being written: kept in the forms' folder, it is not one of the files returned.
    `progress(name, done, total)` is called as each form is read.
    """
    found = [path for path, _ in find_files(paths, None)
             if skip is None or not (path.name == skip.name and path.resolve() == skip.resolve())]
    folders = [p for p in paths if p.is_dir()]
    result = Feedback(answered_form().survey(), files=len(found))
    docx = []
    for path in found:
        if path.suffix.lower() == ".docx":
            docx.append(path)
        else:
            result.problems.append(Problem(_shown(path, folders), "not-docx", {"suffix": path.suffix or path.name}))
    read_forms: list[tuple[Path, str, Answers]] = []
    for done, (path, answers) in enumerate(zip(docx, ordered_map(_read_one, docx, processes)), start=1):
        if progress:
            progress(path.name, done, len(docx))
        shown = _shown(path, folders)
        if isinstance(answers, tuple):
            result.problems.append(Problem(shown, *answers))
        elif answers.blank:
            result.problems.append(Problem(shown, "blank"))
        else:
            read_forms.append((path, shown, answers))
    for shown, answers in _kept(read_forms, result):
        _count(result, shown, answers)
    return result


def _kept(forms: list[tuple[Path, str, Answers]], result: Feedback) -> list[tuple[str, Answers]]:
    """The forms that count (each with the path shown for it): one of byte-identical files, and the latest form of
    each e-mail address."""
    first: dict[str, str] = {}
    unique = []
    # of byte-identical files the shortest name is kept: "form.docx" rather than "form (copie).docx"
    for path, shown, answers in sorted(forms, key=lambda x: (len(x[1]), x[1])):
        if answers.digest in first:
            result.problems.append(Problem(shown, "identical", {"other": first[answers.digest]}))
            continue
        first[answers.digest] = shown
        unique.append((path, shown, answers))
    latest: dict[str, tuple[Path, str]] = {}
    for path, shown, answers in sorted(unique, key=lambda x: (x[2].modified, x[1])):
        if answers.email.strip():
            latest[fold(answers.email)] = path, shown
    kept = []
    for path, shown, answers in unique:
        key = fold(answers.email) if answers.email.strip() else None
        if key is not None and latest[key][0] != path:
            result.problems.append(Problem(shown, "resent", {"email": answers.email.strip(), "kept": latest[key][1]}))
            continue
        kept.append((shown, answers))
    return kept


def _count(result: Feedback, shown: str, answers: Answers) -> None:
    result.forms += 1
    result.languages[answers.lang] = result.languages.get(answers.lang, 0) + 1
    scales = {q.number: q.scale for q in result.survey.scales}
    for number, ticked in sorted(answers.ambiguous.items()):
        result.problems.append(Problem(shown, "ambiguous", {"n": number, "k": ticked}))
    for number, text in sorted(answers.unrecognised.items()):
        result.problems.append(Problem(shown, "unrecognised", {"n": number, "text": text}))
    for number, (mark, option) in sorted(answers.unrecognised_marks.items()):
        label = scales[number].options[answers.lang][option - 1]
        result.problems.append(Problem(shown, "unrecognised-mark", {"n": number, "mark": mark, "option": label}))
    if answers.recognised:
        result.problems.append(Problem(shown, "recognised"))
    for n, choice in answers.scales.items():
        result.questions[n].counts[choice - 1] += 1
    base = {"respondent": answers.respondent, "file": shown}
    for text_list in result.survey.lists:
        rows = result.lists[text_list.key]
        if text_list.remarks:
            first = text_list.columns[0].key
            rows += [{"question": str(n), first: text, **base} for n, text in sorted(answers.remarks.items())]
        rows += [{"question": str(text_list.question), **row, **base} for row in _rows(text_list, answers.texts)]


def _rows(text_list: TextList, texts: dict[str, str]) -> list[dict[str, str]]:
    """A free-text question's answer as rows of its list: one row as typed, or — for a list read one per paragraph —
    one row per paragraph of its first column, paired line by line with the other columns when they have as many
    lines (or none)."""
    row = {c.key: texts.get(c.field, "") for c in text_list.columns}
    if not any(row.values()):
        return []
    first, *others = text_list.columns
    paragraphs = row[first.key].split("\n")
    if not text_list.one_per_paragraph or len(paragraphs) < 2:
        return [row]
    lines = {c.key: row[c.key].split("\n") if row[c.key] else [] for c in others}
    if any(len(found) not in (0, len(paragraphs)) for found in lines.values()):
        return [row]   # locations that do not go one per error: kept as typed, never paired by guess
    return [{first.key: paragraph, **{key: found[i] if found else "" for key, found in lines.items()}}
            for i, paragraph in enumerate(paragraphs)]
