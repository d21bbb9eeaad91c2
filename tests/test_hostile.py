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
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project

from .conftest import SAMPLE_EN, SAMPLE_FR
from .helpers import HANG, plan_letter
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


# What each reader made of each hostile file, found in one process that reads them all in turn (harvest, through
# the command line; feedback; one templates check of a folder holding each file in a case folder of its own, each
# file checked on its own by the workers), so that its peak memory is theirs: that process prints it all as JSON.
READ_ALL = """
import json, shutil, sys
from pathlib import Path
from click.testing import CliRunner
from kitgen.cli.commands import cli
from kitgen.jobs.feedback import aggregate
from kitgen.jobs.template_check import check_templates
project, folder, scratch = (Path(p) for p in sys.argv[1:4])
names = json.loads(sys.argv[4])
before = project.read_bytes()
said = {"harvest": {}, "check": {}}
for name in names:
    result = CliRunner().invoke(cli, ["harvest", str(project), str(folder / name), "--lang", "en"])  # the reasons
    said["harvest"][name] = {"code": result.exit_code, "output": result.output, "stderr": result.stderr,
                             "unchanged": project.read_bytes() == before}
fb = aggregate([folder], processes=2)
said["feedback"] = {"problems": {p.file: p.text("en") for p in fb.problems}, "forms": fb.forms,
                    "set_aside": fb.set_aside}
targets = {}
for name in names:
    if name != "pipe.docx":  # not a file one can copy into a templates folder
        case = scratch / name.replace(".", "-")
        case.mkdir()
        kind = "action-plan.xlsx" if name.endswith(".xlsx") else "audit-report.docx"
        targets[name] = shutil.copyfile(folder / name, case / kind)
checked, problems = check_templates(scratch)   # one folder of cases, each file checked on its own in the workers
for name, target in targets.items():
    said["check"][name] = {"target": str(target),
                           "checked": [str(p) for p in checked if p.parent == target.parent],
                           "problems": [{"file": p.file, "text": p.render()} for p in problems
                                        if p.file is not None and Path(p.file).parent == target.parent]}
said["check_problems"] = len(problems)
status = Path("/proc/self/status").read_text()
said["peak_mb"] = int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:"))) // 1024
print(json.dumps(said))
"""


@pytest.fixture(scope="module")
def read_all(corpus, tmp_path_factory) -> dict:
    """READ_ALL's findings on the corpus (a hang is a failure: timeout)."""
    project, folder, expected, _ = corpus
    scratch = tmp_path_factory.mktemp("as-templates")
    out = subprocess.run([sys.executable, "-c", READ_ALL, str(project), str(folder), str(scratch),
                          json.dumps(sorted(expected))], capture_output=True, text=True, timeout=HANG * 3)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_harvest_refuses_each_file_with_one_line(corpus, read_all):
    _, _, expected, _ = corpus
    for name, reason in expected.items():
        result = read_all["harvest"][name]
        assert result["code"] == 1, (name, result["output"])
        lines = result["stderr"].splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and name in lines[0], (name, result["stderr"])
        assert reason in lines[0], (name, lines[0])
        assert HOST_SECRET not in result["output"] and HOST_SECRET not in result["stderr"]
        assert result["unchanged"], name   # the project file, byte for byte


def test_feedback_reports_each_file_and_goes_on(corpus, read_all):
    _, _, expected, _ = corpus
    fb = read_all["feedback"]
    problems = fb["problems"]
    assert set(problems) == set(expected) and fb["forms"] == 0 and fb["set_aside"] == len(expected)  # every file named
    assert all(HOST_SECRET not in p for p in problems.values())
    # the bomb is an audit report but for its main part: known as another form before that part is inflated
    assert problems["zip-bomb.docx"] == "a kitgen \u201caudit-report\u201d form, not an evaluation form"
    assert "not an evaluation form" in problems["plain-word.docx"]
    assert all(problems[n].startswith("not a .docx file (.xlsx)") for n in expected if n.endswith(".xlsx"))


# Files that are sound templates, if odd ones (a form used as a template, a workbook with the right header row).
VALID_AS_TEMPLATES = {"wrong-kind.docx", "plain-word.docx", "restructured.docx", "other-project.xlsx",
                      "huge-plan.xlsx", "formula.xlsx"}


def test_templates_check_refuses_each_file(corpus, read_all):
    _, _, expected, _ = corpus
    assert set(read_all["check"]) == set(expected) - {"pipe.docx"}
    # every problem is one file's: none lost between the cases, none naming no file
    assert read_all["check_problems"] == sum(len(result["problems"]) for result in read_all["check"].values())
    for name, result in read_all["check"].items():
        target, problems = result["target"], result["problems"]
        assert result["checked"] == [target]
        if name in VALID_AS_TEMPLATES:
            assert problems == [], (name, problems)
            continue
        assert len(problems) == 1 and problems[0]["file"] == target, (name, problems)
        assert HOST_SECRET not in problems[0]["text"]


@pytest.mark.slow
def test_memory_stays_under_300_mb(read_all):
    assert read_all["peak_mb"] < 300, read_all["peak_mb"]


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
