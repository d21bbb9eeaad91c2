"""Hostile and broken inputs: harvest, feedback and templates check refuse each with one line, fast, in bounded memory."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli
from kitgen.jobs.build import build
from kitgen.jobs.feedback import aggregate
from kitgen.jobs.harvest import harvest
from kitgen.jobs.template_check import check_templates
from kitgen.project import load_project

from .conftest import SAMPLE_EN, SAMPLE_FR
from .helpers import no_hang, plan_letter
from .hostile import fill_strange_text, make_corpus

HOST_SECRET = "root:x:0:0"  # a line of /etc/passwd: must never be echoed


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("corpus")
    project = base / "fr" / "projet.yaml"
    shutil.copytree(SAMPLE_FR.parent, project.parent)
    build(load_project(project), ["audit-report", "action-plan", "questionnaire"], out_dir=base / "built")
    build(load_project(SAMPLE_EN), ["action-plan"], out_dir=base / "other")
    expected = make_corpus(base / "hostile", base / "built" / "audit-report-AUD-2026-01.docx",
                           base / "built" / "action-plan.xlsx", base / "other" / "action-plan.xlsx",
                           base / "built" / "questionnaire.docx")
    return project, base / "hostile", expected, base / "built"


def test_harvest_refuses_each_file_with_one_line(corpus):
    project, folder, expected, _ = corpus
    before = project.read_bytes()
    runner = CliRunner()
    for name, reason in expected.items():
        path = folder / name
        with no_hang():
            result = runner.invoke(cli, ["harvest", str(project), str(path), "--lang", "en"])   # the reasons' words
        assert result.exit_code == 1, (name, result.output)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and name in lines[0], (name, result.stderr)
        assert reason in lines[0], (name, lines[0])
        assert HOST_SECRET not in result.output and HOST_SECRET not in result.stderr
        assert project.read_bytes() == before, name


def test_feedback_reports_each_file_and_goes_on(corpus):
    _, folder, expected, _ = corpus
    with no_hang():
        fb = aggregate([folder], processes=2)
    problems = {p.file: p.text("en") for p in fb.problems}
    assert set(problems) == set(expected) and fb.forms == 0 and fb.set_aside == len(expected)  # every file named
    assert all(HOST_SECRET not in p for p in problems.values())
    # the bomb is an audit report but for its main part: known as another form before that part is inflated
    assert problems["zip-bomb.docx"] == "a kitgen \u201caudit-report\u201d form, not an evaluation form"
    assert "not an evaluation form" in problems["plain-word.docx"]
    assert all(problems[n].startswith("not a .docx file (.xlsx)") for n in expected if n.endswith(".xlsx"))


# Files that are sound templates, if odd ones (a form used as a template, a workbook with the right header row).
VALID_AS_TEMPLATES = {"wrong-kind.docx", "plain-word.docx", "restructured.docx", "other-project.xlsx",
                      "huge-plan.xlsx", "formula.xlsx"}


def test_templates_check_refuses_each_file(corpus, tmp_path):
    _, folder, expected, _ = corpus
    for name in expected:
        if name == "pipe.docx":
            continue  # not a file one can copy into a templates folder
        target = "action-plan.xlsx" if name.endswith(".xlsx") else "audit-report.docx"
        case = tmp_path / name.replace(".", "-")
        case.mkdir()
        shutil.copyfile(folder / name, case / target)
        with no_hang():
            checked, problems = check_templates(case)
        assert checked == [case / target]
        if name in VALID_AS_TEMPLATES:
            assert problems == [], (name, problems)
            continue
        assert len(problems) == 1 and problems[0].file == str(case / target), (name, problems)
        assert HOST_SECRET not in problems[0].render()


@pytest.mark.slow
def test_memory_stays_under_300_mb(corpus):
    project, folder, expected, _ = corpus
    code = f"""
import sys
from pathlib import Path
from kitgen.jobs.feedback import aggregate
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project
from kitgen.jobs.template_check import check_templates
folder = Path({str(folder)!r})
for name in {sorted(expected)!r}:
    harvest(load_project({str(project)!r}), [folder / name], dry_run=True)
aggregate([folder], processes=1)
import shutil, tempfile
for name in {sorted(set(expected) - {"pipe.docx"})!r}:
    case = Path(tempfile.mkdtemp())
    shutil.copyfile(folder / name, case / ("action-plan.xlsx" if name.endswith(".xlsx") else "audit-report.docx"))
    check_templates(case)
status = Path("/proc/self/status").read_text()
print(int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:"))) // 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) < 300, out.stdout


def test_emoji_and_rtl_kept(corpus, tmp_path):
    project, _, _, built = corpus
    work = tmp_path / "p"
    shutil.copytree(project.parent, work)
    path = fill_strange_text(built / "action-plan.xlsx", tmp_path / "action-plan.xlsx", "Formation oubliée 📚 — التدريب لم يتم")
    report = harvest(load_project(work / "projet.yaml"), [path])
    assert report.errors == []
    finding = next(f for a in load_project(work / "projet.yaml").project.audits for f in a.findings if f.id == "PRE-2026-F1")
    assert finding.root_cause == "Formation oubliée 📚 — التدريب لم يتم"


@pytest.mark.parametrize("typed,code", [("Formation _x0007_oubliée", "U+0007"), ("_xFFFF_", "U+FFFF"),
                                        ("a _xD800_ b", "U+D800"), ("tab_x000B_", "U+000B")])
def test_unstorable_characters_refused_with_the_cell(corpus, tmp_path, typed, code):
    project, _, _, built = corpus
    work = tmp_path / "p"
    shutil.copytree(project.parent, work)
    before = (work / "projet.yaml").read_bytes()
    path = fill_strange_text(built / "action-plan.xlsx", tmp_path / "action-plan.xlsx", typed)
    report = harvest(load_project(work / "projet.yaml"), [path])
    column = plan_letter(path, "Cause racine")
    [error] = report.errors
    assert error.place.startswith(f"Actions!{column}") and code in str(error) and error.code == "unstorable-character"
    assert (work / "projet.yaml").read_bytes() == before
    # the project still builds the form the refused copy was of (the harvest read it, and may have noted it)
    assert build(load_project(work / "projet.yaml"), ["action-plan"], out_dir=tmp_path / "again").written


def test_json_output_of_a_refused_harvest(corpus):
    project, folder, _, _ = corpus
    result = CliRunner().invoke(cli, ["harvest", str(project), str(folder / "plain-word.docx"), "--format", "json"])
    assert result.exit_code == 1
    [error] = json.loads(result.stdout)["errors"]
    assert (error["code"], error["file"]) == ("not-kitgen", str(folder / "plain-word.docx"))
    assert error["message"] == ("pas un formulaire kitgen (aucune propriété kitgen) ; harvest ne récolte que les "
                                "fichiers générés par kitgen")   # a French project
