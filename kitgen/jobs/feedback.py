"""`kitgen feedback`: aggregate hundreds of filled evaluation forms into one report for the kit's authors.

Every respondent counts: only byte-identical files, or the same e-mail address sent again (the latest version
counts), are duplicates. Every file given is counted or set aside with a reason. Forms are read in parallel worker
processes, each file opened once; each worker returns only its answers, so memory stays flat.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale

from ..errors import KitgenError, UnsafeFileError
from ..forms.common import LOCALES
from ..forms.evaluation_form import SCALE_QUESTIONS, WORDING, Answers, NotEvaluationForm, options, read
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
           "recognised": "identity properties removed (Word's Document Inspector?): recognised by its questions, "
                         "counted"},
}
SET_ASIDE = ("not-docx", "unreadable", "other-form", "not-form", "restructured", "blank", "identical", "resent")


@dataclass
class QuestionStats:
    """Counts for one scale question, in option order (best first)."""

    number: int
    counts: list[int] = field(default_factory=lambda: [0] * 5)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def percentages(self) -> list[float]:
        return [round(100 * c / self.total, 1) if self.total else 0.0 for c in self.counts]

    @property
    def mean(self) -> float | None:
        """Mean score from 1 (worst option) to 5 (best option)."""
        if not self.total:
            return None
        return round(sum((5 - i) * c for i, c in enumerate(self.counts)) / self.total, 2)


@dataclass
class Problem:
    """A file set aside (or an answer not counted), with the reason's code and details, by a path people know."""

    file: str
    code: str
    details: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return REASONS[lang][self.code].format(**self.details)

    @property
    def set_aside(self) -> bool:
        return self.code in SET_ASIDE


@dataclass
class Feedback:
    """The aggregate of every file given."""

    files: int = 0
    forms: int = 0
    questions: dict[int, QuestionStats] = field(default_factory=lambda: {n: QuestionStats(n) for n in SCALE_QUESTIONS})
    superfluous: list[dict[str, str]] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    comments: list[dict[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)

    @property
    def set_aside(self) -> int:
        return sum(1 for p in self.problems if p.set_aside)

    def headline(self, lang: str) -> str:
        """'N forms counted from M files; K set aside (see Problems)', in `lang`."""
        forms, files = _words(self.forms, "form", lang), _words(self.files, "file", lang)
        if lang == "fr":
            return f"{forms} sur {files} ; {self.set_aside} mis de côté (voir Problèmes)"
        return f"{forms} from {files}; {self.set_aside} set aside (see Problems)"

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """Everything the report holds, for scripts."""
        return {
            "files": self.files, "forms": self.forms, "set_aside": self.set_aside, "languages": self.languages,
            "questions": {str(n): {"question": WORDING[lang][n], "options": options(n, lang), "counts": q.counts,
                                   "total": q.total, "percentages": q.percentages, "mean": q.mean,
                                   "scale": f"1 = {options(n, lang)[-1]}, 5 = {options(n, lang)[0]}"}
                          for n, q in self.questions.items()},
            "superfluous": self.superfluous, "missing": self.missing, "errors": self.errors,
            "comments": self.comments,
            "problems": [{"file": p.file, "problem": p.text(lang), "code": p.code, "set_aside": p.set_aside}
                         for p in self.problems],
        }


WORDS = {"fr": {"form": ("formulaire compté", "formulaires comptés"), "file": ("fichier", "fichiers")},
         "en": {"form": ("form counted", "forms counted"), "file": ("file", "files")}}


def _plural(n: int, one: str, other: str, lang: str) -> str:
    return one if Locale.parse(LOCALES[lang]).plural_form(n) == "one" else other


def _words(n: int, what: str, lang: str) -> str:
    """'1 formulaire compté', '0 formulaire compté' (French counts 0 as one), '2 forms counted'."""
    one, other = WORDS[lang][what]
    return f"{n} {_plural(n, one, other, lang)}"


def _read_one(path: Path) -> Answers | tuple[str, dict[str, str]]:
    """A worker's job: the answers, or (reason code, details) when the file is not a readable evaluation form."""
    try:
        return read(path)
    except UnsafeFileError as err:
        return "unreadable", {"detail": err.reason}
    except NotEvaluationForm as err:
        return err.code, err.details
    except KitgenError as err:
        return "unreadable", {"detail": str(err).removeprefix(f"{path}: ")}


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
    result = Feedback(files=len(found))
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
    for number, ticked in sorted(answers.ambiguous.items()):
        result.problems.append(Problem(shown, "ambiguous", {"n": number, "k": ticked}))
    for number, text in sorted(answers.unrecognised.items()):
        result.problems.append(Problem(shown, "unrecognised", {"n": number, "text": text}))
    if answers.recognised:
        result.problems.append(Problem(shown, "recognised"))
    for n, choice in answers.scales.items():
        result.questions[n].counts[choice - 1] += 1
    who, t = answers.respondent, answers.texts
    base = {"respondent": who, "file": shown}
    if t.get("superfluous"):
        result.superfluous.append({"question": "4", "text": t["superfluous"], **base})
    if t.get("topic") or t.get("justification"):
        result.missing.append({"question": "5", "topic": t.get("topic", ""), "justification": t.get("justification", ""),
                               **base})
    if t.get("error") or t.get("location"):
        result.errors.append({"question": "6", "error": t.get("error", ""), "location": t.get("location", ""), **base})
    for number, text in sorted(answers.remarks.items()):
        result.comments.append({"question": str(number), "text": text, **base})
    if t.get("comments"):
        result.comments.append({"question": "7", "text": t["comments"], **base})


def write_report(fb: Feedback, out: Path, lang: str = "fr") -> Path:
    """Write the report workbook atomically."""
    from ..infra.safefs import atomic_write
    from .feedback_report import report_xlsx

    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, report_xlsx(fb, lang))
    return out

