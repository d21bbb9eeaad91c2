"""Fuzzing: random mutations of generated forms' XML parts and of project files give success or a KitgenError, never
anything else (no traceback reaches a user)."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitgen.errors import KitgenError
from kitgen.jobs.build import build
from kitgen.jobs.feedback import aggregate
from kitgen.jobs.harvest import harvest
from kitgen.project import ProjectFile, load_project

from .conftest import MINIMAL, SAMPLE_FR

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


REPORT_PARTS = ["word/document.xml", "docProps/custom.xml", "customXml/item1.xml"]
PLAN_PARTS = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/tables/table1.xml", "docProps/custom.xml",
              "xl/workbook.xml"]


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SAMPLE_FR.parent, base / "fr")
    build(load_project(base / "fr" / "projet.yaml"), ["audit-report", "action-plan", "evaluation-form"],
          out_dir=base / "built")
    for name, parts in (("audit-report-AUD-2026-01.docx", REPORT_PARTS), ("action-plan.xlsx", PLAN_PARTS)):
        missing = set(parts) - set(zipfile.ZipFile(base / "built" / name).namelist())
        assert not missing, f"{name} has no {missing}: fuzz parts it holds"
    return base


@pytest.fixture(scope="module")
def project(forms):
    """The project the forms were built from, loaded once: a harvest never changes the project it is given (it
    works on its own copy), and these are dry runs."""
    pf = load_project(forms / "fr" / "projet.yaml")
    before = pf.project.model_dump()
    yield pf
    assert pf.project.model_dump() == before   # what made sharing it sound


def harvested_or_refused(project: ProjectFile, path: Path) -> None:
    """A mutated form is read (and accounted for in the report) or refused with an error naming it: never a crash,
    never dropped in silence."""
    try:
        report = harvest(project, [path], dry_run=True)
    except KitgenError as err:
        assert path.name in str(err), str(err)
        return
    accounted = [*report.files, *map(str, report.errors), *map(str, report.skipped)]
    assert any(path.name in line for line in accounted), accounted


mutation = st.tuples(st.sampled_from(["flip", "truncate", "delete", "duplicate", "insert"]),
                     st.floats(0, 1), st.floats(0, 1), st.binary(min_size=1, max_size=12))


def mutate(data: bytes, how: tuple[str, float, float, bytes]) -> bytes:
    kind, a, b, junk = how
    i, j = sorted((int(a * len(data)), int(b * len(data))))
    if kind == "flip":
        return data[:i] + bytes([data[i % len(data)] ^ 0xFF]) + data[i + 1:]
    if kind == "truncate":
        return data[:i]
    if kind == "delete":
        return data[:i] + data[j:]
    if kind == "duplicate":
        return data[:j] + data[i:j] + data[j:]
    return data[:i] + junk + data[i:]


def rewrite(src: Path, dst: Path, part: str, how) -> Path:
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts[part] = mutate(parts[part], how)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in parts.items():
            zf.writestr(n, d)
    return dst


@FUZZ
@given(part=st.sampled_from(REPORT_PARTS), how=mutation)
def test_mutated_audit_report(forms, project, tmp_path, part, how):
    path = rewrite(forms / "built" / "audit-report-AUD-2026-01.docx", tmp_path / "audit-report-AUD-2026-01.docx", part, how)
    harvested_or_refused(project, path)


@FUZZ
@given(part=st.sampled_from(PLAN_PARTS), how=mutation)
def test_mutated_action_plan(forms, project, tmp_path, part, how):
    path = rewrite(forms / "built" / "action-plan.xlsx", tmp_path / "action-plan.xlsx", part, how)
    harvested_or_refused(project, path)


@FUZZ
@given(how=mutation)
def test_mutated_evaluation_form(forms, tmp_path, how):
    path = rewrite(forms / "built" / "evaluation-form.docx", tmp_path / "evaluation-form.docx", "word/document.xml", how)
    result = aggregate([path], processes=1)
    assert result.forms + len(result.problems) >= 1


@FUZZ
@given(how=st.tuples(st.sampled_from(["flip", "truncate", "delete", "duplicate", "insert"]), st.floats(0, 1),
                     st.floats(0, 1), st.text(alphabet=":-[]{}#&*!|>'\"%@` \n\tabc0129", min_size=1, max_size=8)))
def test_mutated_project_file(tmp_path, how):
    kind, a, b, junk = how
    text = mutate(MINIMAL.encode(), (kind, a, b, junk.encode())).decode("utf-8", errors="replace")
    path = tmp_path / "projet.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_project(path)
    except KitgenError as err:
        assert str(err).startswith(str(path)), str(err)
