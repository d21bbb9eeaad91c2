"""Across rounds, every document and report tells the truth as of its date, and reads what people really type:
the vocabulary and dates, follow-up that survives rebuilding, history for --as-of, flags, rows deleted in Calc,
who verified, and values written back in the file's own style."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.forms.values import ValueProblem, parse_date, parse_grade, parse_status, parse_verdict, parse_verifier
from kitgen.forms.vocabulary import parse
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project
from kitgen.project.register import finding_rows

from .conftest import MINIMAL, RECURRING
from .helpers import edit_plan, fill_row, libreoffice_delete_row, needs_soffice, plan_letter

GRADES = {
    "major": ["NC majeure", "nc maj.", "Non-conformité majeure", "NON CONFORMITE MAJEURE", "Major NC", "major",
              "Major non-conformity", "Major nonconformity", "majeure"],
    "minor": ["NC mineure", "nc min", "Non-conformité mineure", "Minor non-conformity", "Minor NC", "NC", "mineure",
              "Minor nonconformity", "nc"],
    "concern": ["Point de vigilance", "PV", "Area of concern"],
    "observation": ["Point sensible / observation", "Point sensible", "PS", "Observation", "obs.", "OBS"],
    "improvement": ["Piste de progrès", "Piste d'amélioration", "piste d’amelioration", "PP", "Opportunity for improvement",
                    "OFI", "Axe d'amélioration"],
    "strength": ["Point fort", "PF", "Bonne pratique", "Strength", "Good practice"],
}
STATUSES = {
    "open": ["Ouverte", "ouvert", "À faire", "Open", "To do"],
    "in-progress": ["En cours", "EN COURS", "In progress", "in-progress", "Started"],
    "done": ["Réalisée", "Complétée", "Terminée", "Done", "Completed", "Implemented", "Mise en œuvre"],
    "verified": ["Vérifiée", "Fermée", "Clôturée", "Soldée", "Verified", "Closed"],
    "cancelled": ["Annulée", "Abandonnée", "Cancelled", "Canceled"],
}
VERDICTS = {
    "closed": ["Soldé", "Soldée", "Fermée", "Levée", "Clos", "Closed", "Resolved"],
    "in-progress": ["En cours", "In progress"],
    "not-effective": ["Non efficace", "Inefficace", "Not effective", "Ineffective"],
    "not-verified": ["Non vérifié", "Non vérifiée", "Not verified"],
}


@pytest.mark.parametrize("fn,table", [(parse_grade, GRADES), (parse_status, STATUSES), (parse_verdict, VERDICTS)],
                         ids=["grades", "statuses", "verdicts"])
def test_every_usual_spelling(fn, table):
    wrong = [(text, code, fn(text)) for code, texts in table.items() for text in texts if fn(text) != code]
    assert wrong == []


def test_action_kinds_and_sources():
    assert parse("action_kind", "Action corrective") == "corrective" and parse("action_kind", "AP") == "preventive"
    assert parse("source", "Réclamation") == "complaint" and parse("source", "Major incident") == "major-incident"


@pytest.mark.parametrize("text,expected", [
    ("2027-01-15", date(2027, 1, 15)), ("15/01/2027", date(2027, 1, 15)), ("15.01.2027", date(2027, 1, 15)),
    ("15 janvier 2027", date(2027, 1, 15)), ("le 15 janvier 2027", date(2027, 1, 15)),
    ("lundi 15 février 2027", date(2027, 2, 15)), ("le lundi 15 février 2027", date(2027, 2, 15)),
    ("1er décembre 2026", date(2026, 12, 1)), ("15 janv. 2027", date(2027, 1, 15)), ("15 sept. 2026", date(2026, 9, 15)),
    ("January 15, 2027", date(2027, 1, 15)), ("15 January 2027", date(2027, 1, 15)),
    ("Monday, 15 February 2027", date(2027, 2, 15)), ("Monday 15th February 2027", date(2027, 2, 15)),
    ("February 15th, 2027", date(2027, 2, 15)), ("on 15 February 2027", date(2027, 2, 15)),
    (datetime(2027, 1, 15, 0, 0), date(2027, 1, 15)), (46402, date(2027, 1, 15)),
])
def test_dates_as_people_type_them(text, expected):
    assert parse_date(text, "fr-FR") == expected


@pytest.mark.parametrize("text,why", [
    ("15 janvier", "no year"), ("15", "no year"), ("T1 2027", "quarter"), ("Q1 2027", "quarter"),
    ("juin 2027", "no day"), ("2027", "no day"), ("15/01/27", "two-digit year"), ("01/15/2027", "month first"),
    ("mardi 15 février 2027", "weekday does not match"), ("2026-02-30", "impossible date"), ("bientôt", "unreadable"),
    ("fin janvier 2027", "unreadable"), (15.5, "not a date"),
])
def test_dates_kitgen_would_have_to_guess_are_refused(text, why):
    with pytest.raises(ValueProblem, match=why):
        parse_date(text, "fr-FR")


def test_unknown_words_name_their_cell_and_nothing_is_taken(sample_copy):
    project = sample_copy("fr")
    out = project.parent / "out"
    build(load_project(project), ["action-plan"], out_dir=out)
    plan = edit_plan(out / "action-plan.xlsx", out / "action-plan.xlsx",
                     {"CA-3": {"Statut": "Complétée", "Échéance": "15 janvier"}})
    before = project.read_bytes()
    report = harvest(load_project(project), [plan])
    due = plan_letter(plan, "Échéance")
    assert [str(e) for e in report.errors] == [
        f'action-plan.xlsx: Actions!{due}4: no year in the date "15 janvier"; write it as 2026-06-30 or 30/06/2026 '
        "(nothing taken from this file)"]
    assert project.read_bytes() == before


def fill_verdict(report: Path, finding: str, verdict: str, note: str = "") -> Path:
    doc = Document(str(report))
    t = next(t for t in doc.tables if "Avis de l'auditeur" in [c.text for c in t.rows[0].cells])
    row = next(r for r in t.rows if r.cells[0].text == finding)
    fill_row(t, row, {"Avis de l'auditeur": verdict, "Note de suivi": note})
    doc.save(str(report))
    return report


def test_follow_up_survives_rebuilding(sample_copy):
    project = sample_copy("fr")
    out = project.parent / "out"
    build(load_project(project), ["audit-report"], audit="PRE-2026", out_dir=out)
    report = out / "audit-report-PRE-2026.docx"
    fill_verdict(report, "AUD-2026-01-F2", "Soldée", "Revue a posteriori au CAB constatée")
    harvest(load_project(project), [report])
    build(load_project(project), ["audit-report"], audit="PRE-2026", out_dir=out)   # no --force: harvested
    doc = Document(str(report))
    t = next(t for t in doc.tables if "Avis de l'auditeur" in [c.text for c in t.rows[0].cells])
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in t.rows}
    # the finding this audit closed is still listed, with the verdict and note recorded for it
    assert rows["AUD-2026-01-F2"][-2:] == ["Soldé", "Revue a posteriori au CAB constatée"]
    fill_verdict(report, "AUD-2026-01-F2", "Non efficace", "Deux changements urgents non revus en novembre")
    again = harvest(load_project(project), [report])
    assert again.conflicts == [] and {c.target for c in again.changes} == {"AUD-2026-01-F2 follow-up by PRE-2026.verdict",
                                                                            "AUD-2026-01-F2 follow-up by PRE-2026.note"}
    f2 = load_project(project).project.audits[0].findings[1]
    assert [(fu.audit, fu.verdict) for fu in f2.follow_ups] == [("PRE-2026", "not-effective")]


RECURS = RECURRING.replace("due: 2026-09-30\n", "due: 2026-08-30\n") + """\
        follow_ups:
          - {audit: A3, verdict: closed, note: "Reviews now monthly"}
  - id: A3
    kind: internal
    start: 2026-10-05
    lead_auditor: bob
    findings:
      - id: A3-F1
        clause: "6.2"
        grade: minor
        statement: "Service reports late"
"""


def test_flags_follow_up_closure_and_sub_clause_recurrence(write):
    path = write(RECURS)
    rows = {r.id: r for r in finding_rows(load_project(path).project, date(2026, 10, 10))}
    assert rows["A2-F1"].status == "closed" and not rows["A2-F1"].overdue   # closed by A3's verdict
    assert rows["A2-F1"].recurring and rows["A2-F1"].recurs == "A1-F1"
    text = MINIMAL.replace('framework: "iso20000-1:2005"', 'framework: "iso20000-1:2018"').replace(
        'clause: "6.1"', 'clause: "8.5.1"').replace("  slm:\n", "  change:\n")
    text = text.replace('''            status: open
''', '''            status: verified
            closed: 2026-06-01
            effectiveness: {date: 2026-06-15, by: bob, result: "ok"}
  - id: A2
    kind: internal
    start: 2026-09-01
    lead_auditor: bob
    findings:
      - {id: A2-F1, clause: "8.5.1.3", grade: minor, statement: "Emergency changes not reviewed"}
      - {id: A2-F2, clause: "8.5.2", grade: minor, statement: "Transition plan missing"}
''')
    rows = {r.id: r for r in finding_rows(load_project(write(text, "p2.yaml")).project, date(2026, 10, 10))}
    assert rows["A2-F1"].recurring and rows["A2-F1"].recurs == "A1-F1"   # 8.5.1.3 is a sub-clause of 8.5.1
    assert not rows["A2-F2"].recurring                                   # 8.5.2 is not


def test_findings_as_of_is_history(write):
    path = write(RECURS)
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["findings", str(path), "--format", "json", "--as-of", "2026-09-20"]).output)["findings"]
    assert [d["id"] for d in data] == ["A1-F1", "A2-F1"]                 # A3 (October) had not taken place
    a2 = next(d for d in data if d["id"] == "A2-F1")
    assert a2["status"] == "open" and a2["overdue"]                       # A3's closing verdict came later
    early = json.loads(runner.invoke(cli, ["findings", str(path), "--format", "json", "--as-of", "2026-05-20"]).output)["findings"]
    assert [(d["id"], d["status"]) for d in early] == [("A1-F1", "open")]  # CA-1 was closed on 2026-06-01


@needs_soffice
def test_a_row_deleted_in_calc(sample_copy, tmp_path):
    project = sample_copy("fr")
    out = project.parent / "out"
    build(load_project(project), ["action-plan"], out_dir=out)
    wb = load_workbook(out / "action-plan.xlsx")
    row = next(r[0].row for r in wb["Actions"].iter_rows(min_row=2) if r[1].value == "CA-3")
    plan = libreoffice_delete_row(out / "action-plan.xlsx", tmp_path / "calc.xlsx", "Actions", row - 1)
    report = harvest(load_project(project), [plan])
    assert report.errors == [], report.errors
    assert [str(note) for note in report.deleted] == ["calc.xlsx: CA-3 is no longer in the form; kept in the project"]


def test_rows_are_read_wherever_they_are_and_only_those_written(tmp_path):
    """A value typed far below a table is read; the empty styled row LibreOffice Calc writes near row 1048576 after a
    row is deleted is not, nor the million missing rows before it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kitgen.ooxml.package import open_package
    from kitgen.ooxml.xlsx import read_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Action", "Statut"])
    ws.append(["CA-1", "Ouverte"])
    ws["B300000"] = "typed far below"
    ws["A1048576"].font = Font(bold=True)
    wb.save(tmp_path / "far.xlsx")
    with open_package(tmp_path / "far.xlsx", "xlsx") as package:
        sheet = read_workbook(package, ["Actions"]).sheets["Actions"]
    assert [(number, [v for v in values if v is not None]) for number, values in sheet.rows] == [
        (1, ["Action", "Statut"]), (2, ["CA-1", "Ouverte"]), (300000, ["typed far below"])]
    assert not sheet.too_many


def test_whoever_verified_is_read_as_typed(sample_copy):
    project = sample_copy("fr")
    p = load_project(project).project
    assert parse_verifier("Nadia Benali", p) == "nbenali"
    assert parse_verifier("certi-services france", p) == "oca-certif"
    assert parse_verifier("  Marc   Aubert ", p) == "Marc Aubert"
    out = project.parent / "out"
    build(load_project(project), ["action-plan"], out_dir=out)
    plan = edit_plan(out / "action-plan.xlsx", out / "action-plan.xlsx", {"CA-3": {
        "Statut": "Vérifiée", "Date de clôture": "2026-11-25", "Efficacité vérifiée le": "2026-11-28",
        "Vérifiée par": "Marc Aubert (Certi-Services)", "Résultat de la vérification": "Efficace"}})
    assert harvest(load_project(project), [plan]).errors == []
    ca3 = next(a for a in load_project(project).project.all_actions() if a.id == "CA-3")
    assert ca3.effectiveness is not None and ca3.effectiveness.by == "Marc Aubert (Certi-Services)"
    ws = load_workbook(out / "action-plan.xlsx")["Actions"]
    by = plan_letter(out / "action-plan.xlsx", "Vérifiée par")
    checks = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{by}2")]
    assert checks and checks[0].errorStyle == "warning"   # a typed name is accepted, with a warning
    assert int(str(checks[0].sqref).split(":")[1][len(by):]) >= 2000   # far below the last row


def test_values_written_back_in_the_files_style(sample_copy):
    project = sample_copy("fr")
    out = project.parent / "out"
    build(load_project(project), ["action-plan"], out_dir=out)
    edit_plan(out / "action-plan.xlsx", out / "action-plan.xlsx", {"CA-3": {"Preuve de mise en œuvre": "Ordre du jour"}},
              [{"Constat": "AUD-2026-01-F3", "Action corrective": "Formaliser l'évaluation du fournisseur",
                "Responsable": "Camille Martin", "Échéance": "2027-01-31"}])
    report = harvest(load_project(project), [out / "action-plan.xlsx"])
    text = project.read_text(encoding="utf-8")
    assert '            evidence: "Ordre du jour"\n' in text                                # quoted like its neighbours
    assert '            description: "Formaliser l\'évaluation du fournisseur"\n' in text
    assert "            status: open\n" in text                                            # codes stay plain
    assert report.added[0].value == "Formaliser l'évaluation du fournisseur"
