"""The files the README's tour uses beyond `kitgen init --example`, made the way its text says they were made:
edits a person makes in Excel or in the project file, a copy whose records lists were emptied, a folder of returned
evaluation forms. `BEFORE` says which is made before which command of the tour.

`python -m tests.tour DIR` makes them all in DIR (after the tour's first commands), to follow the tour by hand.
"""
from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from .evaluation_fill import Respondent, corpus, write
from .helpers import edit_plan


def _replace_once(path: Path, old: str, new: str) -> None:
    """Edit a project file as a person does in a text editor: one exact change, the rest kept byte for byte."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{path}: {old!r} not found: the example changed; update tests/tour.py and README"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_broken(folder: Path) -> None:
    """broken.yaml: samples/fr/projet.yaml with `headcount` misspelled and CA-1's due date on February 30."""
    broken = folder / "broken.yaml"
    shutil.copyfile(folder / "samples" / "fr" / "projet.yaml", broken)
    _replace_once(broken, "  headcount: 12\n", "  headcont: 12\n")
    _replace_once(broken, "            due: 2026-10-31\n", "            due: 2026-02-30\n")


def edit_for_harvest(folder: Path) -> None:
    """In output/action-plan.xlsx, CA-3 marked done (Réalisée) on 25/11/2026 and CA-2's due date moved to
    20/12/2026; meanwhile CA-2's due date moved to 2027-01-10 in the project file (the conflict)."""
    plan = folder / "output" / "action-plan.xlsx"
    edit_plan(plan, plan, {"CA-3": {"Statut": "Réalisée", "Date de clôture": date(2026, 11, 25)},
                           "CA-2": {"Échéance": date(2026, 12, 20)}})
    _replace_once(folder / "samples" / "fr" / "projet.yaml", "            due: 2026-12-15\n",
                  "            due: 2027-01-10\n")


def make_fini(folder: Path) -> None:
    """fini.xlsx: a copy of the action plan where CA-2's status was typed `fini`."""
    edit_plan(folder / "output" / "action-plan.xlsx", folder / "fini.xlsx", {"CA-2": {"Statut": "fini"}})


def edit_risk_register(folder: Path) -> None:
    """In output/risk-register.xlsx, as a person does in Excel: R-1's treatment marked done (Traité) and reviewed on
    2 décembre 2026, its level typed over (12), a new opportunity typed below the table, R-3's row deleted."""
    from openpyxl import load_workbook

    path = folder / "output" / "risk-register.xlsx"
    wb = load_workbook(path)
    ws = wb["Risques"]
    col = {c.value: c.column for c in ws[1]}
    row = {ws.cell(row=r, column=col["Réf."]).value: r for r in range(2, ws.max_row + 1)}
    for header, value in (("Statut", "Traité"), ("Revu le", "2 décembre 2026"), ("Niveau", 12)):
        ws.cell(row=row["R-1"], column=col[header]).value = value
    new = max(row.values()) + 1
    for header, value in (("Type", "Opportunité"), ("Risque ou opportunité", "Mutualiser l'astreinte avec un partenaire"),
                          ("Vraisemblance (1-5)", 2), ("Impact (1-5)", 3), ("Responsable", "Camille Martin"),
                          ("Échéance", "31/03/2027"), ("Statut", "en cours")):
        ws.cell(row=new, column=col[header]).value = value
    ws.delete_rows(row["R-3"])
    wb.save(path)


def make_harbour(folder: Path) -> None:
    """harbour/: a copy of the English example (kitgen init harbour --example en) whose processes' records lists
    were emptied (`records: []`), saved by kitgen's own comment-preserving writer."""
    from kitgen.project import load_project, save_project
    from kitgen.project.starter import init_example

    project, _ = init_example(folder / "harbour", "en")
    pf = load_project(project)
    for process in pf.doc["processes"].values():
        process["records"] = []
    save_project(pf, backup=False)


RETURNED_FORMS = 40  # anonymous and named respondents, before the special cases below


def make_returned(folder: Path) -> None:
    """returned/: 44 files as a kit's authors receive them. 40 forms filled every way people do
    (tests/evaluation_fill.py's corpus, seed 13), of which form-0005 went through Word's Document Inspector and
    form-0016 has two options ticked in question 1; a second copy of form-0003; Léa's form sent twice (lea.docx,
    then lea-v2.docx); a scanned PDF."""
    from kitgen import build_documents, load_project
    from kitgen.project.starter import init_example

    scratch = folder / ".blanks"
    blanks = {}
    for lang in ("fr", "en"):
        project, _ = init_example(scratch / lang, lang)
        build_documents(load_project(project), ["evaluation-form"], out_dir=scratch / lang / "out")
        blanks[lang] = scratch / lang / "out" / "evaluation-form.docx"
    returned = folder / "returned"
    returned.mkdir()
    people = corpus(RETURNED_FORMS)
    for i, person in enumerate(people):
        person.strip_identity = i == 5
        person.ticks = {n: ticks[:1] for n, ticks in person.ticks.items()}
        if i == 16:
            person.ticks[1] = [1, 2]
        person.modified = f"2026-11-{1 + i % 28:02d}T{8 + i // 28:02d}:{i % 60:02d}:00Z"  # no two files alike
    people += [Respondent("lea.docx", ticks={1: [3], 2: [2], 3: [2], 8: [2]}, name="Léa Roux", email="lea@tpo.example",
                          modified="2026-11-03T09:00:00Z"),
               Respondent("lea-v2.docx", ticks={1: [2], 2: [1], 3: [2], 8: [1]}, name="Léa Roux",
                          email="lea@tpo.example", texts={"comments": "Version corrigée de mon formulaire"},
                          modified="2026-11-04T09:00:00Z")]
    for person in people:
        write(blanks, returned, person)
    shutil.copyfile(returned / "form-0003.docx", returned / "form-0003 (copie).docx")
    (returned / "scan-formulaire.pdf").write_bytes(b"%PDF-1.4\n% a scanned form\n")
    shutil.rmtree(scratch)


# the tour's command -> what is made just before it runs
BEFORE: dict[str, Callable[[Path], None]] = {
    "kitgen validate broken.yaml": make_broken,
    "kitgen harvest samples/fr/projet.yaml output/action-plan.xlsx": edit_for_harvest,
    "kitgen harvest samples/fr/projet.yaml fini.xlsx": make_fini,
    "kitgen harvest samples/fr/projet.yaml output/risk-register.xlsx": edit_risk_register,
    "kitgen readiness harbour/project.yaml --as-of 2026-11-29 | tail -1": make_harbour,
    "kitgen feedback returned/ -o output/feedback.xlsx": make_returned,
}


if __name__ == "__main__":
    here = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for make in (make_broken, make_fini, make_harbour, make_returned):
        make(here)
    print(f"made broken.yaml, fini.xlsx, harbour/ and returned/ in {here}; edit_for_harvest is the tour's own step")
