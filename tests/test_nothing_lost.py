"""Trust in harvest: every typed cell is taken into the project or named as not taken (and then the file is not
overwritten without --force, which keeps a backup); an older copy never rolls back a newer one, whatever the field
and the form; every drop-down offers only what harvest takes, in each language and for each kind of audit."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from kitgen.errors import OverwriteRefused
from kitgen.forms.vocabulary import audit_grades, labels
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project

from .helpers import (
    at,
    edit_plan,
    fill_row,
    findings_table,
    libreoffice_choose_verdicts,
    lines,
    needs_soffice,
    read_tables,
    set_modified,
)


def project_of(path: Path):
    return load_project(path).project


def finding(project, fid):
    return next(f for _, f in project.all_findings() if f.id == fid)


def checklist_rows(src: Path, dst: Path, rows: dict[str, tuple[str | None, str, str]]) -> Path:
    """Fill checklist rows as in Word: (verdict chosen in the drop-down or None to leave it, evidence, finding)."""
    doc = Document(str(src))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text in ("Article", "Clause"))
    for row in table.rows[1:]:
        if row.cells[0].text not in rows:
            continue
        verdict, evidence, statement = rows[row.cells[0].text]
        row.cells[3].text = evidence
        row.cells[5].text = statement
        if verdict is not None:
            row.cells[4]._tc.find(f".//{qn('w:sdtContent')}//{qn('w:t')}").text = verdict
    doc.save(str(dst))
    return dst


# -- nothing typed is lost ----------------------------------------------------------------------------------------

def test_evidence_typed_on_every_conforming_row_is_kept_and_the_checklist_rebuilt_safely(sample_copy, tmp_path):
    path = sample_copy("en")
    out = path.parent / "out"
    build(load_project(path), ["audit-checklist"], out_dir=out)
    form = out / "audit-checklist-IA-2026.docx"
    audit = project_of(path).audit("IA-2026")
    conforming = [c for c, e in audit.coverage.items() if e.verdict == "conform"]
    assert len(conforming) > 40
    checklist_rows(form, form, {c: (None, f"Seen for {c}: records sampled on 8 September", "") for c in conforming})
    report = harvest(load_project(path), [form])
    assert report.errors == [] and report.not_taken == [] and report.conflicts == []
    audit = project_of(path).audit("IA-2026")
    assert all(audit.coverage[c].evidence == f"Seen for {c}: records sampled on 8 September" for c in conforming)
    # every typed value is in the project: the checklist is rebuilt without --force, and shows the evidence
    again = build(load_project(path), ["audit-checklist"], out_dir=out)
    assert again.written == [form] and again.backups == []
    rows = {r[0]: r for r in next(t for t in read_tables(form) if t[0][0] == "Clause")[1:]}
    assert rows["8.7.2"][3:5] == ["Seen for 8.7.2: records sampled on 8 September", "Conforms"]
    # the project file keeps the short form where there is no evidence, the mapping where there is
    text = path.read_text(encoding="utf-8")
    assert '      "8.7.2": {verdict: conform, evidence: "Seen for 8.7.2: records sampled on 8 September"}\n' in text


def test_typing_no_field_takes_is_named_and_the_file_is_never_overwritten_silently(sample_copy, tmp_path):
    path = sample_copy("en")
    out = path.parent / "out"
    build(load_project(path), ["audit-checklist", "action-plan"], out_dir=out)
    form = out / "audit-checklist-IA-2026.docx"
    # a finding typed on a row left "Conforms", evidence on a row without a verdict, and a display cell overtyped
    checklist_rows(form, form, {"8.7.2": (None, "Recovery test of May", "The continuity plan is two years old."),
                                "9.4": ("", "Monthly reports", "")})
    doc = Document(str(form))
    doc.tables[0].rows[0].cells[1].text = "Harbour Desk internal audit, second day"
    doc.save(str(form))
    plan = edit_plan(out / "action-plan.xlsx", out / "action-plan.xlsx",
                     {"CA-1": {"Finding status": "Closed", "Status": "Verified",
                               "Effectiveness checked on": "2026-11-20", "Checked by": "Alice Turner"}},
                     sheet_header="Action ID")
    report = harvest(load_project(path), [form, plan])
    assert report.errors == [], report.errors
    untaken = lines(report.not_taken)
    assert 'table 2 row 49 (8.7.2): a finding typed on a row whose verdict is "Conforms", not taken' in untaken
    assert "(9.4): Evidence seen typed on a row without a verdict, not taken; choose the verdict" in untaken
    assert 'audit-checklist-IA-2026.docx: table 1 row 1: "Harbour Desk internal audit, second day" not taken' \
        in untaken
    cell = re.search(r"action-plan\.xlsx: Actions!([A-Z]+)2 \(Finding status\): \"Closed\" not taken: a finding's "
                     r"status is worked out from its actions", untaken)
    assert cell, untaken
    # what was taken is in (the action's status and effectiveness), the rest is not: neither file is overwritten
    p = project_of(path)
    assert p.audit("IA-2026").coverage["8.7.2"].evidence == "Recovery test of May"
    assert next(a for a in p.all_actions() if a.id == "CA-1").status == "verified"
    for name in ("audit-checklist", "action-plan"):
        with pytest.raises(OverwriteRefused):
            build(load_project(path), [name], out_dir=out)
    forced = build(load_project(path), ["audit-checklist"], out_dir=out, force=True)
    [backup] = forced.backups
    assert "The continuity plan is two years old." in "".join(c for t in read_tables(backup) for r in t for c in r)


def test_a_report_signed_and_dated_by_the_lead_auditor_is_issued(sample_copy):
    path = sample_copy("fr")
    out = path.parent / "out"
    build(load_project(path), ["audit-report"], audit="AUD-2026-01", out_dir=out)
    report = out / "audit-report-AUD-2026-01.docx"
    doc = Document(str(report))
    signatures = doc.tables[-1]
    signatures.rows[2].cells[1].text = "12/10/2026"
    doc.save(str(report))
    result = harvest(load_project(path), [report])
    assert [c.target for c in result.changes] == ["AUD-2026-01.issued"] and result.not_taken == []
    assert project_of(path).audit("AUD-2026-01").issued == date(2026, 10, 12)
    rebuilt = build(load_project(path), ["audit-report"], audit="AUD-2026-01", out_dir=out)
    assert rebuilt.backups == []
    assert read_tables(report)[-1][2][1] == "12 octobre 2026"


# -- never roll back -----------------------------------------------------------------------------------------------

def _checklist_copies(path: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    """The auditor's final copy (8.7.2 a major, a finding added on its row) and her earlier draft (a minor)."""
    out = path.parent / "out"
    build(load_project(path), ["audit-checklist"], out_dir=out)
    form = out / "audit-checklist-IA-2026.docx"
    final = checklist_rows(form, tmp_path / "final.docx",
                           {"8.7.2": ("Major NC", "No recovery test since May", "No continuity test since May.")})
    draft = checklist_rows(form, tmp_path / "draft.docx",
                           {"8.7.2": ("Minor NC", "Recovery test overdue", "The continuity test is overdue.")})
    return set_modified(final, at(4)), set_modified(draft, at(1)), "IA-2026-F4"


def _report_copies(path: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    out = path.parent / "out"
    build(load_project(path), ["audit-report"], audit="IA-2026", out_dir=out)
    copies = []
    for name, grade, statement in (("final", "Major NC", "No supplier review at all."),
                                   ("draft", "Minor NC", "Supplier reviews are late.")):
        doc = Document(str(out / "audit-report-IA-2026.docx"))
        t = findings_table(doc)
        fill_row(t, next(r for r in t.rows if r.cells[0].text == "IA-2026-F1"), {"Grade": grade, "Finding": statement})
        doc.save(str(tmp_path / f"{name}.docx"))
        copies.append(tmp_path / f"{name}.docx")
    return set_modified(copies[0], at(4)), set_modified(copies[1], at(1)), "IA-2026-F1"


def _plan_copies(path: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    out = path.parent / "out"
    build(load_project(path), ["action-plan"], out_dir=out)
    final = edit_plan(out / "action-plan.xlsx", tmp_path / "final.xlsx",
                      {"CA-1": {"Grade": "Major NC", "Finding": "No supplier review at all."}},
                      sheet_header="Action ID")
    draft = edit_plan(out / "action-plan.xlsx", tmp_path / "draft.xlsx",
                      {"CA-1": {"Grade": "Minor NC", "Finding": "Supplier reviews are late."}},
                      sheet_header="Action ID")
    return set_modified(final, at(4)), set_modified(draft, at(1)), "IA-2026-F1"


def _minutes_copies(path: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    out = path.parent / "out"
    build(load_project(path), ["management-review"], review="2026-10-14", out_dir=out)
    copies = []
    for name, decisions in (("final", "Apply for stage 1 in January."), ("draft", "Apply for stage 1 in March.")):
        doc = Document(str(out / "management-review-2026-10-14.docx"))
        rows = [r for t in doc.tables if t.rows[0].cells[0].text == "Item" for r in t.rows]
        next(r for r in rows if r.cells[0].text == "Decisions").cells[1].text = decisions
        doc.save(str(tmp_path / f"{name}.docx"))
        copies.append(tmp_path / f"{name}.docx")
    return set_modified(copies[0], at(4)), set_modified(copies[1], at(1)), "review"


@pytest.mark.parametrize("copies", [_checklist_copies, _report_copies, _plan_copies, _minutes_copies],
                         ids=["audit-checklist", "audit-report", "action-plan", "management-review"])
def test_an_older_copy_harvested_after_a_newer_one_never_rolls_back(sample_copy, tmp_path, copies):
    path = sample_copy("en")
    final, draft, fid = copies(path, tmp_path)
    first = harvest(load_project(path), [final])
    assert first.errors == [] and first.conflicts == []
    after_final = path.read_bytes()
    later = harvest(load_project(path), [draft], prefer="form")   # even preferring the forms' values
    assert later.changes == [] and later.conflicts == [] and later.added == [], (later.changes, later.added)
    assert path.read_bytes() == after_final
    assert later.older and all("draft" in line and "(this copy saved 2026-12-01 09:00 UTC)" in line
                               and "final" in line and "a newer copy" in line for line in map(str, later.older)), \
        later.older
    p = project_of(path)
    if fid == "review":
        assert p.review("2026-10-14").decisions == "Apply for stage 1 in January."
    else:
        f = finding(p, fid)
        assert f.grade == "major" and f.statement.startswith("No ")
        if fid == "IA-2026-F4":
            assert p.audit("IA-2026").verdict("8.7.2") == "major"
    # the draft's values are not in the project: building its form over it is refused
    with pytest.raises(OverwriteRefused):
        _rebuild_over(path, draft)


def _rebuild_over(path: Path, copy: Path) -> None:
    """Build the copy's form where the copy lies, under its generated name: refused, its values not being in."""
    from kitgen.forms.registry import form_type
    from tests.helpers import props_of

    props = props_of(copy)
    form = form_type(str(props["kitgen.form"]))
    key = props.get(f"kitgen.{form.per}") if form.per in ("audit", "review") else None
    folder = copy.parent / "rebuild"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(copy, folder / form.file_name(str(key) if key else None))
    build(load_project(path), [form.id], out_dir=folder, **({form.per: str(key)} if key else {}))


# -- offered = accepted --------------------------------------------------------------------------------------------

KINDS = ("internal", "pre-audit", "stage1", "stage2", "surveillance", "recertification", "special")


def _every_kind(path: Path) -> list[str]:
    """An audit of each kind, scoped to clauses 8.7 and 9 (nine rows, more than the verdicts offered)."""
    text = path.read_text(encoding="utf-8")
    blocks = "".join(f"""  - id: K-{kind}
    kind: {kind}
    start: 2026-11-0{i + 1}
    lead_auditor: "Sam Reed"
    body: oca-cert
    clauses: ["8.7", "9"]
""" for i, kind in enumerate(KINDS))
    at_ = text.index("\nobjectives:")
    path.write_text(text[:at_] + "\n" + blocks + text[at_:], encoding="utf-8")
    return [f"K-{kind}" for kind in KINDS]


def offered(path: Path) -> set[tuple[str, ...]]:
    """The items of every drop-down of a Word file."""
    body = Document(str(path)).element.body
    return {tuple(i.get(qn("w:displayText")) for i in box.iter(qn("w:listItem")))
            for box in body.iter(qn("w:dropDownList"))}


@needs_soffice
def test_every_verdict_a_checklist_offers_chosen_in_libreoffice_is_taken(sample_copy, tmp_path):
    files: list[tuple[Path, Path, str, str]] = []
    sample = sample_copy("en")
    audits = _every_kind(sample)
    for lang in ("en", "fr"):
        path = shutil.copytree(sample.parent, tmp_path / f"project-{lang}") / sample.name
        out = tmp_path / f"out-{lang}"
        build(load_project(path), ["audit-checklist"], lang=lang, out_dir=out)
        files += [(path, out / f"audit-checklist-{a}.docx", a, lang) for a in audits]
    for _, form, audit_id, lang in files:
        kind = audit_id[2:]
        assert offered(form) == {tuple(labels("coverage", lang, ["conform", *audit_grades(kind), "not-audited"]))}
    libreoffice_choose_verdicts([form for _, form, _, _ in files])   # one list of steps for the fourteen
    for lang in ("en", "fr"):
        group = [(p, f, a) for p, f, a, lg in files if lg == lang]
        report = harvest(load_project(group[0][0]), [f for _, f, _ in group])
        assert report.errors == [] and report.not_taken == [], (report.errors, report.not_taken)
        p = project_of(group[0][0])
        for _, _, audit_id in group:
            kind = audit_id[2:]
            verdicts = ["conform", *audit_grades(kind), "not-audited"]
            audit = p.audit(audit_id)
            taken = [audit.verdict(c) for c in sorted(audit.coverage, key=lambda c: [int(x) for x in c.split(".")])]
            assert taken == [verdicts[i % len(verdicts)] for i in range(len(taken))] and len(taken) == 9
            assert sorted(f.grade for f in audit.findings) == sorted(
                verdicts[i % len(verdicts)] for i in range(9) if verdicts[i % len(verdicts)] in audit_grades(kind))


def test_a_verdict_not_offered_is_refused_with_the_words_of_the_projects_language(sample_copy, tmp_path):
    path = sample_copy("en")
    out = path.parent / "out"
    build(load_project(path), ["audit-checklist"], out_dir=out)
    typed = checklist_rows(out / "audit-checklist-IA-2026.docx", tmp_path / "typed.docx",
                           {"7.5.3": ("Area of concern", "Register", "Versions are tracked by hand.")})
    report = harvest(load_project(path), [typed])
    assert [str(e) for e in report.errors] == [
        'typed.docx: table 2 row 20: "Area of concern" is not a verdict of audit IA-2026 (Conforms, Major NC, '
        "Minor NC, Observation, Opportunity for improvement, Strength, Not audited) (nothing taken from this file)"]


def test_a_newer_copy_agreeing_with_the_project_still_outranks_an_older_one(sample_copy, tmp_path):
    path = sample_copy("en")
    final, draft, fid = _report_copies(path, tmp_path)
    # the RGS had already typed the final grade into the project file; the final copy agrees with it
    was = "        grade: minor\n        statement: \"The cloud provider's performance is not reviewed against the contract.\""
    path.write_text(path.read_text(encoding="utf-8").replace(
        was, "        grade: major\n        statement: \"No supplier review at all.\""), encoding="utf-8")
    assert harvest(load_project(path), [final]).changes == []
    later = harvest(load_project(path), [draft])
    assert later.changes == [] and later.conflicts == [] and len(later.older) == 1, later.older
    assert "IA-2026-F1.statement: Supplier reviews are late. not taken (this copy saved " in str(later.older[0])
    assert "); final.docx (saved " in str(later.older[0])
    assert finding(project_of(path), fid).grade == "major"
