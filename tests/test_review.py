"""Management review minutes: inputs as the project stood on the review's date, filled at the meeting as Word and
LibreOffice write it, harvested into the review's decisions, participants and actions, idempotent across copies,
and known to the action plan, readiness, the calendar and the package."""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.jobs.package import build_package
from kitgen.jobs.readiness import check_readiness
from kitgen.project import load_project, save_project

from .helpers import libreoffice_resave, needs_soffice, read_tables


def minutes(project: Path) -> Path:
    out = project.parent / "out"
    build(load_project(project), ["management-review"], out_dir=out)
    return out / "management-review-2026-10-14.docx"


def fill(src: Path, dst: Path, *, decisions: str = "", participants: list[str] = (), actions: list[list[str]] = (),
         edit: dict[str, list[str]] | None = None) -> Path:
    """What the secretary of the meeting types in Word."""
    doc = Document(str(src))
    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    if decisions:
        outcomes = tables["Item"]
        next(r for r in outcomes.rows if r.cells[0].text == "Decisions").cells[1].text = decisions
    people = tables["Participant"]
    for name in participants:
        blank = next(r for r in people.rows[1:] if not any(c.text for c in r.cells))
        blank.cells[0].text = name
    table = tables["Action"]
    for old, new in (edit or {}).items():
        row = next(r for r in table.rows if r.cells[0].text == old)
        for cell, text in zip(row.cells, new):
            cell.text = text
    for values in actions:
        blank = next(r for r in table.rows[1:] if not any(c.text for c in r.cells))
        for cell, text in zip(blank.cells, values):
            cell.text = text
    doc.save(str(dst))
    return dst


def review(project: Path):
    return load_project(project).project.review("2026-10-14")


def test_inputs_as_of_the_review_date(sample_copy):
    project = sample_copy("en")
    text = project.read_text(encoding="utf-8").replace("            status: done\n            closed: 2026-10-20\n",
                                                       "            status: done\n            closed: 2026-10-20\n", 1)
    project.write_text(text, encoding="utf-8")
    tables = read_tables(minutes(project))
    ncs = next(t for t in tables if t[0][:3] == ["No.", "Grade", "Finding"])
    # CA-1 was closed on 2026-10-20, after the review of 2026-10-14: the finding was still open at the review
    assert ncs[1][0] == "IA-2026-F1" and ncs[1][3] == "Open"
    audits = next(t for t in tables if t[0][:2] == ["Audit", "Type"])
    assert audits[1][0] == "IA-2026" and "1 Minor NC" in audits[1][3]
    text = "\n".join(c for t in tables for r in t for c in r)
    assert "First-contact resolution above 70 %" in text and "Loss of the single cloud region" in text
    assert "Customer survey: 4.4 / 5" in text
    # as of the review: the objectives' results measured on 31 October and the November records are not there yet
    assert "74 % (October 2026)" not in text and "99.93 %" not in text
    assert "(28 September 2026)" in text and "10 November 2026" not in text
    assert "since the review of 16 June 2026, as of 14 October 2026 (the review's date)" in text


def test_fill_harvest_and_harvest_again(sample_copy, tmp_path):
    project = sample_copy("en")
    form = fill(minutes(project), tmp_path / "v1.docx", decisions="Apply for stage 1 in January 2027.",
                participants=["Jane Holt (consultant)"],
                actions=[["Schedule quarterly supplier reviews", "Ben Okafor", "2026-12-15"],
                         ["Pilot self-service password reset", "dev patel", "31/03/2027"]])
    first = harvest(load_project(project), [form])
    assert first.errors == [] and len(first.added) == 2
    r = review(project)
    assert r.decisions == "Apply for stage 1 in January 2027."
    assert r.participants == ["aturner", "bokafor", "cwright", "Jane Holt (consultant)"]
    assert [(a.id, a.kind, a.owner, a.due) for a in r.actions] == [
        ("CA-2", "improvement", "bokafor", date(2026, 12, 15)), ("CA-3", "improvement", "dpatel", date(2027, 3, 31))]
    before = project.read_bytes()
    assert not harvest(load_project(project), [form]).written and project.read_bytes() == before
    # a corrected copy of the same minutes: the date moved, a third action added — no duplicate
    v2 = fill(form, tmp_path / "v2.docx", actions=[["Review the objectives", "Alice Turner", "2027-01-31"]],
              edit={"Schedule quarterly supplier reviews": ["Schedule quarterly supplier reviews", "Ben Okafor",
                                                            "2027-01-15"]})
    second = harvest(load_project(project), [v2, form])
    assert second.conflicts == [] and len(second.added) == 1
    assert [(a.id, a.due) for a in review(project).actions] == [
        ("CA-2", date(2027, 1, 15)), ("CA-3", date(2027, 3, 31)), ("CA-4", date(2027, 1, 31))]


def test_rebuilt_minutes_keep_their_actions(sample_copy, tmp_path):
    project = sample_copy("en")
    form = fill(minutes(project), tmp_path / "v1.docx", actions=[["Schedule supplier reviews", "Ben Okafor", "2026-12-15"]])
    harvest(load_project(project), [form])
    rebuilt = minutes(project)   # harvested: rebuilt without --force
    actions = next(t for t in read_tables(rebuilt) if t[0] == ["Action", "Owner", "Due"])
    assert actions[1] == ["Schedule supplier reviews", "Ben Okafor", "15 December 2026"]
    edited = fill(rebuilt, tmp_path / "v2.docx", edit={"Schedule supplier reviews": [
        "Schedule quarterly supplier reviews with Nimbus", "Ben Okafor", "15 December 2026"]})
    report = harvest(load_project(project), [edited])
    assert report.added == [] and [c.target for c in report.changes] == ["CA-2.description"]


def test_participant_names_and_unknown_owners(sample_copy, tmp_path):
    project = sample_copy("en")
    form = fill(minutes(project), tmp_path / "v1.docx", actions=[["Hire a second analyst", "Nobody Known", "2027-02-01"]])
    report = harvest(load_project(project), [form])
    assert len(report.errors) == 1 and 'unknown person "Nobody Known"' in str(report.errors[0])
    assert report.errors[0].value == "Nobody Known" and report.errors[0].code == "unknown-person"


def test_the_plan_readiness_calendar_and_package_know_reviews(sample_copy, tmp_path):
    project = sample_copy("en")
    form = fill(minutes(project), tmp_path / "v1.docx", actions=[["Schedule supplier reviews", "Ben Okafor", "2026-12-15"]])
    harvest(load_project(project), [form])
    out = project.parent / "out"
    build(load_project(project), ["action-plan"], out_dir=out)
    ws = load_workbook(out / "action-plan.xlsx")["Actions"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    review_row = next(r for r in rows if r["Action ID"] == "CA-2")
    assert review_row["Source"] == "Management review 2026-10-14" and review_row["Finding ID"] is None
    pf = load_project(project)
    text = project.read_text(encoding="utf-8").replace("    minutes: records/sms/management-review-2026-10-14.md\n", "")
    project.write_text(text, encoding="utf-8")
    check = next(c for c in check_readiness(load_project(project), date(2026, 11, 29)).checks
                 if c.id == "review-held")
    assert check.status == "pass" and "minutes built by kitgen" in check.message
    with zipfile.ZipFile(build_package(pf, tmp_path / "p.zip")) as zf:
        assert "audits/management-review-2026-10-14.docx" in zf.namelist()


def test_actions_added_in_the_plan_for_a_review(sample_copy):
    project = sample_copy("en")
    pf = load_project(project)
    save_project(pf)
    out = project.parent / "out"
    build(load_project(project), ["action-plan"], out_dir=out)
    from .helpers import edit_plan

    edit_plan(out / "action-plan.xlsx", out / "action-plan.xlsx", {}, [{
        "Source": "Management review 2026-10-14", "Corrective action": "Train a second internal auditor",
        "Owner": "Alice Turner", "Due date": "2027-03-01"}], sheet_header="Action ID")
    report = harvest(load_project(project), [out / "action-plan.xlsx"])
    assert report.errors == [] and [a.description for a in review(project).actions] == ["Train a second internal auditor"]


@needs_soffice
def test_libreoffice_minutes(sample_copy, tmp_path):
    project = sample_copy("en")
    form = fill(minutes(project), tmp_path / "v1.docx", decisions="Go for stage 1.",
                actions=[["Schedule supplier reviews", "Ben Okafor", "2026-12-15"]])
    resaved = libreoffice_resave(form, tmp_path / "lo")
    report = harvest(load_project(project), [resaved])
    assert report.errors == [], report.errors
    assert review(project).decisions == "Go for stage 1." and len(review(project).actions) == 1
    assert not harvest(load_project(project), [resaved]).written
