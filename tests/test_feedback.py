"""Feedback: forms filled by Word toggles, LibreOffice, typed marks and legacy checkboxes add up to the known counts."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kitgen.build import build
from kitgen.cli import cli
from kitgen.feedback import aggregate, write_report
from kitgen.forms.evaluation_form import read
from kitgen.project import load_project

from .conftest import SAMPLE_EN, SAMPLE_FR
from .evaluation_fill import fill
from .helpers import libreoffice_resave, needs_soffice


@pytest.fixture(scope="module")
def blanks(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("blank")
    build(load_project(SAMPLE_FR), ["evaluation-form"], out_dir=out / "fr")
    build(load_project(SAMPLE_EN), ["evaluation-form"], out_dir=out / "en")
    return {"fr": out / "fr" / "evaluation-form.docx", "en": out / "en" / "evaluation-form.docx"}


@pytest.mark.parametrize("how", ["word", "legacy", "typed"])
def test_each_way_of_ticking_reads_back(blanks, tmp_path, how):
    path = fill(blanks["fr"], tmp_path / f"{how}.docx", {1: [2], 2: [1], 3: [5], 8: [3]},
                {"topic": "Exemples de revue de direction", "justification": "Manque d'exemples",
                 "error": "Coquille", "location": "section 4.1.3"}, how=how, name="Léa Roy", email="lea@x.example")
    answers = read(path)
    assert answers.scales == {1: 2, 2: 1, 3: 5, 8: 3} and answers.problems == []
    assert answers.texts["topic"] == "Exemples de revue de direction" and answers.texts["location"] == "section 4.1.3"
    assert answers.respondent == "Léa Roy <lea@x.example>"


def test_mixed_run_counts_and_problems(blanks, tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    fill(blanks["fr"], forms / "a.docx", {1: [1], 2: [1], 3: [2], 8: [1]}, {"superfluous": "Annexe D"}, how="word")
    fill(blanks["fr"], forms / "b.docx", {1: [1], 2: [2], 3: [2], 8: [2]}, {"comments": "Très utile"}, how="typed")
    fill(blanks["en"], forms / "c.docx", {1: [3], 2: [2], 3: [4], 8: [1]}, {"error": "Typo", "location": "Table 8"},
         how="legacy", name="Sam")
    fill(blanks["en"], forms / "d.docx", {1: [2, 3], 2: [2], 8: [5]}, how="word")            # two boxes / none
    fill(blanks["fr"], forms / "dup.docx", {1: [1], 2: [1], 3: [2], 8: [1]}, {"superfluous": "Annexe D"}, how="word")
    (forms / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    (forms / "notes.docx").write_bytes((Path(__file__).parent.parent / "templates/fr/audit-report.docx").read_bytes())
    fb = aggregate([forms], processes=2)
    assert (fb.files, fb.forms) == (7, 4)
    assert fb.questions[1].counts == [2, 0, 1, 0, 0]  # d.docx ticked two: not counted
    assert fb.questions[2].counts == [1, 3, 0, 0, 0]
    assert fb.questions[3].counts == [0, 2, 0, 1, 0]
    assert fb.questions[8].counts == [2, 1, 0, 0, 1]
    assert fb.questions[2].mean == 4.25 and fb.questions[2].percentages == [25.0, 75.0, 0.0, 0.0, 0.0]
    problems = {(Path(f).name, p) for f, p in fb.problems}
    assert ("d.docx", "question 1: 2 boxes ticked") in problems and ("d.docx", "question 3: no box ticked") in problems
    assert ("dup.docx", f"duplicate of {forms / 'a.docx'}: counted once") in problems
    assert any(name == "broken.docx" and "not a .docx file" in p for name, p in problems)
    assert ("notes.docx", "not a kitgen form, not an evaluation form") in problems
    assert fb.superfluous == [("Annexe D", "", "a.docx")]
    assert fb.errors == [("Typo", "Table 8", "Sam", "c.docx")] and fb.comments == [("Très utile", "", "b.docx")]
    assert fb.languages == {"fr": 2, "en": 2}
    serial = aggregate([forms], processes=1)
    assert serial.as_dict() == fb.as_dict()


@needs_soffice
def test_libreoffice_resaved_forms(blanks, tmp_path):
    filled = [fill(blanks["fr"], tmp_path / f"f{i}.docx", {1: [i], 2: [1], 3: [1], 8: [i]}, how="word")
              for i in (1, 2, 3)]
    lo = [libreoffice_resave(p, tmp_path / "lo") for p in filled]
    fb = aggregate(lo, processes=1)
    assert fb.problems == [] and fb.questions[1].counts == [1, 1, 1, 0, 0] and fb.questions[8].counts == [1, 1, 1, 0, 0]


def test_report_workbook_and_cli_json(blanks, tmp_path):
    fill(blanks["en"], tmp_path / "one.docx", {1: [1], 2: [1], 3: [1], 8: [1]}, {"comments": "Great"}, how="word")
    fill(blanks["en"], tmp_path / "two.docx", {1: [2], 2: [1], 3: [1], 8: [2]}, how="typed")
    out = tmp_path / "feedback.xlsx"
    result = CliRunner().invoke(cli, ["feedback", str(tmp_path / "one.docx"), str(tmp_path / "two.docx"),
                                      "-o", str(out), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["questions"]["1"]["counts"] == [1, 1, 0, 0, 0] and data["forms"] == 2
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Superfluous topics", "Missing topics", "Errors", "Comments", "Problems"]
    assert wb["Summary"]._charts and wb["Comments"]["A2"].value == "Great"
    table = CliRunner().invoke(cli, ["feedback", str(tmp_path), "-o", str(tmp_path / "f2.xlsx")])
    assert "  Q1:    1    1    0    0    0   mean 4.50 / 5" in table.output


def test_missing_path_is_an_error(tmp_path):
    result = CliRunner().invoke(cli, ["feedback", str(tmp_path / "nope")])
    assert result.exit_code == 1 and result.stderr == f"Error: {tmp_path / 'nope'}: no such file or folder\n"


def test_write_report_empty(tmp_path):
    fb = aggregate([], processes=1)
    write_report(fb, tmp_path / "r.xlsx")
    assert load_workbook(tmp_path / "r.xlsx")["Synthèse"]["A1"].value == "0 formulaire(s) lu(s) sur 0 fichier(s)"
