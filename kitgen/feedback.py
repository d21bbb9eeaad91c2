"""`kitgen feedback`: aggregate hundreds of filled evaluation forms into one report for the kit's authors.

Forms are read in parallel worker processes; each returns only its answers, so memory stays flat.
Unreadable files, duplicates and questions ticked twice or not at all are reported, never fatal.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import KitgenError
from .forms.evaluation_form import QUESTIONS, WORDING, Answers, options, read
from .ooxml.files import find_files

SCALES = [n for n, kind, _ in QUESTIONS if kind == "scale"]


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
class Feedback:
    """The aggregate of every form read."""

    files: int = 0
    forms: int = 0
    questions: dict[int, QuestionStats] = field(default_factory=lambda: {n: QuestionStats(n) for n in SCALES})
    superfluous: list[tuple[str, str, str]] = field(default_factory=list)      # text, respondent, file
    missing: list[tuple[str, str, str, str]] = field(default_factory=list)     # topic, justification, respondent, file
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)      # error, location, respondent, file
    comments: list[tuple[str, str, str]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)             # file, problem
    languages: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly aggregates: each scale question's five counts in option order."""
        return {
            "files": self.files, "forms": self.forms, "languages": self.languages,
            "questions": {str(n): {"counts": q.counts, "total": q.total, "percentages": q.percentages, "mean": q.mean}
                          for n, q in self.questions.items()},
            "superfluous": [s[0] for s in self.superfluous], "missing": [m[0] for m in self.missing],
            "errors": [e[0] for e in self.errors], "comments": [c[0] for c in self.comments],
            "problems": [{"file": f, "problem": p} for f, p in self.problems],
        }


def _read_one(path: Path) -> Answers | str:
    """A worker's job: the answers, or the one-line reason the file cannot be read."""
    try:
        return read(path)
    except KitgenError as err:
        return str(err)
    except Exception as err:  # noqa: BLE001 — a hostile or broken file must never stop the run
        return f"{path}: unreadable ({type(err).__name__})"


def _results(paths: list[Path], processes: int) -> Iterator[tuple[Path, Answers | str]]:
    if processes <= 1 or len(paths) < 8:
        for p in paths:
            yield p, _read_one(p)
        return
    with ProcessPoolExecutor(max_workers=processes) as pool:
        yield from zip(paths, pool.map(_read_one, paths, chunksize=max(1, min(32, len(paths) // (processes * 4)))))


def aggregate(paths: list[Path], *, processes: int = 0,
              progress: Callable[[str], None] | None = None) -> Feedback:
    """Read every form (in `processes` workers; 0 = one per core) and add up the answers."""
    import os

    files = [path for path, _ in find_files(paths, (".docx",))]
    processes = processes or os.cpu_count() or 1
    result = Feedback(files=len(files))
    seen: dict[str, str] = {}
    for done, (path, answers) in enumerate(_results(files, processes), start=1):
        if progress:
            progress(f"{done}/{len(files)} {path.name}")
        if isinstance(answers, str):
            result.problems.append((str(path), answers.split(": ", 1)[-1] if answers.startswith(str(path)) else answers))
            continue
        if not any(answers.scales.values()) and not any(answers.texts.values()):
            result.problems.append((str(path), "empty form: nothing answered"))
            continue
        if answers.digest in seen:
            result.problems.append((str(path), f"duplicate of {seen[answers.digest]}: counted once"))
            continue
        seen[answers.digest] = str(path)
        result.forms += 1
        result.languages[answers.lang] = result.languages.get(answers.lang, 0) + 1
        for problem in answers.problems:
            result.problems.append((str(path), problem))
        for n, choice in answers.scales.items():
            if choice:
                result.questions[n].counts[choice - 1] += 1
        who, name = answers.respondent, path.name
        t = answers.texts
        if t.get("superfluous"):
            result.superfluous.append((t["superfluous"], who, name))
        if t.get("topic") or t.get("justification"):
            result.missing.append((t.get("topic", ""), t.get("justification", ""), who, name))
        if t.get("error") or t.get("location"):
            result.errors.append((t.get("error", ""), t.get("location", ""), who, name))
        if t.get("comments"):
            result.comments.append((t["comments"], who, name))
    return result


SHEETS = {
    "fr": {"summary": "Synthèse", "superfluous": "Rubriques superflues", "missing": "Rubriques manquantes",
           "errors": "Erreurs", "comments": "Commentaires", "problems": "Problèmes",
           "question": "Question", "total": "Réponses", "mean": "Moyenne (1–5)", "respondent": "Répondant",
           "file": "Fichier", "text": "Texte", "topic": "Rubrique proposée", "justification": "Justification",
           "error": "Erreur", "location": "Emplacement", "problem": "Problème",
           "header": "{forms} formulaire(s) lu(s) sur {files} fichier(s)", "chart": "Réponses par question"},
    "en": {"summary": "Summary", "superfluous": "Superfluous topics", "missing": "Missing topics", "errors": "Errors",
           "comments": "Comments", "problems": "Problems", "question": "Question", "total": "Answers",
           "mean": "Mean (1–5)", "respondent": "Respondent", "file": "File", "text": "Text",
           "topic": "Proposed topic", "justification": "Justification", "error": "Error", "location": "Location",
           "problem": "Problem", "header": "{forms} form(s) read from {files} file(s)", "chart": "Answers by question"},
}


def report_xlsx(fb: Feedback, lang: str = "fr") -> bytes:
    """The feedback report workbook: summary with counts, percentages, means and a chart; one sheet per list."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    from .ooxml.xlsx import put

    t = SHEETS[lang]
    wb = Workbook()
    ws = wb.active
    ws.title = t["summary"]
    put(ws.cell(row=1, column=1), t["header"].format(forms=fb.forms, files=fb.files))
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    row = 3
    chart_rows = []
    for n in SCALES:
        q = fb.questions[n]
        put(ws.cell(row=row, column=1), WORDING[lang][n])
        ws.cell(row=row, column=1).font = Font(bold=True)
        for j, label in enumerate(options(n, lang), start=2):
            put(ws.cell(row=row + 1, column=j), label)
            ws.cell(row=row + 2, column=j).value = q.counts[j - 2]
            ws.cell(row=row + 3, column=j).value = q.percentages[j - 2] / 100
            ws.cell(row=row + 3, column=j).number_format = "0.0%"
        for cell in ws[row + 1]:
            cell.font = Font(bold=True)
        put(ws.cell(row=row + 1, column=7), t["total"])
        ws.cell(row=row + 2, column=7).value = q.total
        put(ws.cell(row=row + 1, column=8), t["mean"])
        ws.cell(row=row + 2, column=8).value = q.mean
        put(ws.cell(row=row + 2, column=1), "n")
        put(ws.cell(row=row + 3, column=1), "%")
        chart_rows.append(row + 2)
        row += 5
    # a compact block the chart reads: one row per question, one column per option position
    top = row + 1
    put(ws.cell(row=top, column=1), t["question"])
    for j in range(1, 6):  # legend: the option at position j for satisfaction / recommendation questions
        put(ws.cell(row=top, column=j + 1), f"{options(1, lang)[j - 1]} / {options(8, lang)[j - 1]}")
    for i, n in enumerate(SCALES, start=1):
        put(ws.cell(row=top + i, column=1), f"Q{n}")
        for j in range(5):
            ws.cell(row=top + i, column=j + 2).value = fb.questions[n].counts[j]
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "percentStacked", 100
    chart.title = t["chart"]
    chart.add_data(Reference(ws, min_col=2, max_col=6, min_row=top, max_row=top + len(SCALES)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + len(SCALES)))
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"B{top + len(SCALES) + 2}")
    ws.column_dimensions["A"].width = 12
    for col in "BCDEFGH":
        ws.column_dimensions[col].width = 18
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    def listing(key: str, headers: list[str], rows: Sequence[tuple[str, ...]]) -> None:
        sheet = wb.create_sheet(t[key])
        for j, h in enumerate(headers, start=1):
            put(sheet.cell(row=1, column=j), h)
            sheet.cell(row=1, column=j).font = Font(bold=True)
            sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = 50 if j <= 2 else 30
        for i, values in enumerate(rows, start=2):
            for j, v in enumerate(values, start=1):
                put(sheet.cell(row=i, column=j), v)
                sheet.cell(row=i, column=j).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"

    listing("superfluous", [t["text"], t["respondent"], t["file"]], fb.superfluous)
    listing("missing", [t["topic"], t["justification"], t["respondent"], t["file"]], fb.missing)
    listing("errors", [t["error"], t["location"], t["respondent"], t["file"]], fb.errors)
    listing("comments", [t["text"], t["respondent"], t["file"]], fb.comments)
    listing("problems", [t["file"], t["problem"]], fb.problems)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_report(fb: Feedback, out: Path, lang: str = "fr") -> Path:
    """Write the report workbook atomically."""
    from .project.save import atomic_write

    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, report_xlsx(fb, lang))
    return out
