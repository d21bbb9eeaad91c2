"""Values as people type them, and tracking across rounds: derived status, overdue, recurring, the 6-month limit."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli
from kitgen.forms.values import (
    ValueProblem,
    parse_clause,
    parse_date,
    parse_grade,
    parse_person,
    parse_process,
    parse_status,
    parse_verdict,
)
from kitgen.frameworks import get_framework
from kitgen.project import load_project
from kitgen.project.register import finding_rows

from .conftest import MINIMAL, RECURRING, SAMPLE_FR


def parse_date_fr(value):
    """A date typed in a form of a French project (day first)."""
    return parse_date(value, "fr-FR")


@pytest.mark.parametrize("fn,text,expected", [
    (parse_grade, "NC majeure", "major"), (parse_grade, "Major NC", "major"), (parse_grade, "nc mineure", "minor"),
    (parse_grade, "MINOR", "minor"), (parse_grade, "Point sensible / observation", "observation"),
    (parse_grade, "PS", "observation"), (parse_grade, "Piste de progres", "improvement"),
    (parse_grade, "Opportunity for improvement", "improvement"), (parse_grade, "point fort", "strength"),
    (parse_status, "Ouverte", "open"), (parse_status, "en cours", "in-progress"), (parse_status, "In Progress", "in-progress"),
    (parse_status, "Réalisée", "done"), (parse_status, "REALISEE", "done"), (parse_status, "Done", "done"),
    (parse_status, "vérifiée", "verified"), (parse_status, "Annulée", "cancelled"),
    (parse_verdict, "Soldé", "closed"), (parse_verdict, "not effective", "not-effective"),
    (parse_date_fr, "2026-06-30", date(2026, 6, 30)), (parse_date_fr, "30/06/2026", date(2026, 6, 30)),
    (parse_date_fr, "30 juin 2026", date(2026, 6, 30)), (parse_date_fr, "June 30, 2026", date(2026, 6, 30)),
    (parse_date_fr, "1er décembre 2026", date(2026, 12, 1)), (parse_date_fr, datetime(2026, 6, 30, 0, 0), date(2026, 6, 30)),
    (parse_date_fr, 46203, date(2026, 6, 30)),
])
def test_values_as_people_type_them(fn, text, expected):
    assert fn(text) == expected


@pytest.mark.parametrize("fn,text,message", [
    (parse_status, "fini", 'unknown status "fini"'), (parse_grade, "grave", 'unknown grade "grave"'),
    (parse_date_fr, "2026-02-30", 'impossible date "2026-02-30"'), (parse_date_fr, "bientôt", 'unreadable date "bientôt"'),
])
def test_values_not_understood(fn, text, message):
    with pytest.raises(ValueProblem, match=message):
        fn(text)


def test_people_clauses_processes():
    project = load_project(SAMPLE_FR).project
    fw = get_framework(project.framework)
    assert parse_person("Camille MARTIN", project) == "cmartin" and parse_person("cmartin", project) == "cmartin"
    assert parse_person("Sebastien Lambert", project) == "slambert"
    assert parse_clause("§ 6.3", fw) == "6.3" and parse_clause(6.3, fw) == "6.3"
    assert parse_process("Gestion des incidents", fw) == "incident" and parse_process("Incident management", fw) == "incident"
    with pytest.raises(ValueProblem, match='unknown clause "11.2"'):
        parse_clause("11.2", fw)


def test_recurring_and_overdue(write):
    project = load_project(write(RECURRING)).project
    rows = {r.id: r for r in finding_rows(project, as_of=date(2026, 10, 10))}
    assert rows["A1-F1"].status == "closed" and not rows["A1-F1"].recurring
    assert rows["A2-F1"].recurring and rows["A2-F1"].overdue and rows["A2-F1"].days_overdue == 10
    assert rows["A2-F1"].status == "open" and rows["A2-F1"].owner == "Ana"


def test_major_past_six_months_after_stage2(write):
    text = MINIMAL.replace("kind: internal", "kind: stage2").replace("grade: minor", "grade: major")
    rows = finding_rows(load_project(write(text)).project, as_of=date(2026, 11, 3))
    assert rows[0].major_deadline == date(2026, 11, 2) and rows[0].major_past_deadline


def test_findings_command_three_formats(write):
    path = write(RECURRING)
    runner = CliRunner()
    table = runner.invoke(cli, ["findings", str(path), "--as-of", "2026-10-10"])
    assert table.exit_code == 0 and "A2-F1" in table.output and "en retard de 10 jours, répète A1-F1" in " ".join(table.output.split())
    data = json.loads(runner.invoke(cli, ["findings", str(path), "--format", "json", "--as-of", "2026-10-10"]).output)["findings"]
    assert [(d["id"], d["status"], d["recurring"], d["days_overdue"]) for d in data] == [
        ("A1-F1", "closed", False, 0), ("A2-F1", "open", True, 10)]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        cli, ["findings", str(path), "--format", "csv", "--open", "--as-of", "2026-10-10"]).output)))
    assert [(r["id"], r["clause"], r["recurring"], r["due"]) for r in rows] == [("A2-F1", "6.1", "True", "2026-09-30")]
    only = json.loads(runner.invoke(cli, ["findings", str(path), "--format", "json", "--audit", "A1"]).output)["findings"]
    assert [d["id"] for d in only] == ["A1-F1"]
    bad = runner.invoke(cli, ["findings", str(path), "--audit", "ZZ"])
    assert bad.exit_code == 1 and bad.stderr == f"Error: {path}: aucun audit 'ZZ' (audits : A1, A2)\n"  # a French project
    bad = runner.invoke(cli, ["findings", str(path), "--audit", "ZZ", "--lang", "en", "--format", "json"])
    assert json.loads(bad.stdout)["errors"][0] | {"message": ""} == {
        "file": str(path), "line": None, "column": None, "path": None, "code": "no-audit", "value": "ZZ",
        "expected": "A1, A2", "message": ""}
