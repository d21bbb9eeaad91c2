"""The SMS's own documents drafted from the project file (scope statement, policy and objectives, SMS plan, service
catalogue): what they say for both samples, "to complete" where the project says nothing, and the round: approval
and edits typed in Word or LibreOffice, harvested, harvested again, rebuilt unchanged; readiness counts an approved
document by its own kinds and the package carries the approved ones."""
from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.jobs.package import build_package
from kitgen.jobs.readiness import check_readiness
from kitgen.project import load_project

from .helpers import added, docx_tables, docx_text, libreoffice_resave, needs_soffice

DOCUMENTS = ["scope-statement", "policy-objectives", "sms-plan", "service-catalogue"]


def drafted(project: Path, forms: list[str] = DOCUMENTS, out: str = "out") -> dict[str, Path]:
    folder = project.parent / out
    build(load_project(project), forms, out_dir=folder, force=True)
    return {f: folder / f"{f}.docx" for f in forms}


def test_the_english_sample_drafted(sample_copy) -> None:
    files = drafted(sample_copy("en"))
    scope = docx_text(files["scope-statement"])
    assert "Provision of service desk and managed cloud operations" in scope
    assert "St Anne's Hospice" in scope and "Nimbus Cloud Hosting" in scope and "Capacity management" in scope
    assert "Software development and hardware resale are outside the scope" in scope
    assert "(§ 4.3)" in scope and "draft (not approved)" in scope
    policy = docx_text(files["policy-objectives"])
    assert "(§ 5.2, 6.2)" in policy
    assert "UK GDPR: processor of personal data" in policy   # the obligations, in the policy's commitments
    assert "Alice Turner" in policy
    objectives = next(t for t in docx_tables(files["policy-objectives"]) if t[0][0] == "Ref.")
    assert objectives[0] == ["Ref.", "Objective", "Measure", "Target", "Frequency", "Owner", "Last result",
                             "Measured on"]
    assert ["O-2", "Managed cloud availability above 99.8 %"] == objectives[2][:2]
    assert objectives[2][3:6] == ["99.8 %", "Monthly", "Dev Patel"]
    plan = docx_text(files["sms-plan"])
    for expected in ("One person holds the cloud skills", "UK GDPR", "Ben Okafor", "Service level management",
                     "SharePoint SMS library", "Monthly service report", "IA-2026", "An internal audit at least every"):
        assert expected in plan, expected
    catalogue = docx_tables(files["service-catalogue"])
    cloud = next(t for t in catalogue if t[0] == ["Ref.", "cloud"])
    assert dict(map(tuple, cloud))["Depends on services"] == "Service desk"
    assert dict(map(tuple, cloud))["Depends on other parties"] == "Nimbus Cloud Hosting"
    assert dict(map(tuple, cloud))["Owner"] == "Dev Patel"
    assert "99.8 % monthly availability" in dict(map(tuple, cloud))["Service level targets"]


def test_the_french_sample_drafted_with_its_edition_clauses(sample_copy) -> None:
    """A 2005 project gets the same documents, with the 2005 edition's clause references."""
    files = drafted(sample_copy("fr"))
    assert "(§ 4.1)" in docx_text(files["sms-plan"])
    assert "(§ 6.1)" in docx_text(files["service-catalogue"])
    policy = docx_text(files["policy-objectives"])
    assert "(§ 3.2)" in policy and "Politique de management des services" in policy
    assert "Claire Durand" in policy and "Mensuelle" in policy
    scope = docx_text(files["scope-statement"])
    assert "Aucune exigence des articles 3 à 10" in scope and "Hébergement physique des serveurs" in scope
    assert "projet (non approuvé)" in scope
    catalogue = docx_text(files["service-catalogue"])
    assert "Supervision 24 h/24 des serveurs" in catalogue and "Julien Leroy" in catalogue


def test_sections_without_data_say_to_complete(sample_copy) -> None:
    pf = load_project(sample_copy("en"))
    p = pf.project
    for s in p.scope.services:
        s.description, s.service_levels, s.owner = "", "", None
    p.scope.exclusions = ""
    p.organisation.legal_obligations = []
    p.management_system.plan.limitations = ""
    p.objectives = []
    folder = pf.path.parent / "out"
    build(pf, DOCUMENTS, out_dir=folder)
    catalogue = dict(map(tuple, next(t for t in docx_tables(folder / "service-catalogue.docx")
                                     if t[0] == ["Ref.", "desk"])))
    assert catalogue["Description"] == catalogue["Service level targets"] == catalogue["Owner"] == "to complete"
    scope = dict(map(tuple, next(t for t in docx_tables(folder / "scope-statement.docx") if t[0][0] == "Scope")
                     + next(t for t in docx_tables(folder / "scope-statement.docx") if t[0][0] == "Outside the scope")))
    assert scope["Outside the scope"] == "to complete"
    plan = docx_text(folder / "sms-plan.docx")
    assert "3. Known limitations" in plan and "4. Legal, regulatory and contractual obligations" in plan
    assert plan.count("to complete") >= 3 and "No objective set yet: to complete" in plan
    assert "No objective set yet: to complete" in docx_text(folder / "policy-objectives.docx")


def _approve(doc: Document, version: str, by: str, day: str) -> None:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Version")
    for cell, text in zip(table.rows[1].cells, (version, by, day)):
        cell.text = text


def _objective(doc: Document, ref: str, column: str, text: str) -> None:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Ref.")
    col = [c.text for c in table.rows[0].cells].index(column)
    next(r for r in table.rows if r.cells[0].text == ref).cells[col].text = text


@needs_soffice
def test_approved_and_edited_in_libreoffice_then_harvested_counted_and_rebuilt(sample_copy, tmp_path) -> None:
    project = sample_copy("en")
    # readiness must count the drafted documents: take out the hand-written policy and objectives
    text = project.read_text(encoding="utf-8")
    for kind in ("policy", "objectives"):
        text = text.replace(f"      kind: {kind}\n", "      kind: other\n")
    project.write_text(text, encoding="utf-8")
    day = date(2026, 12, 20)

    def documented() -> str:
        return next(c for c in check_readiness(load_project(project), day).checks if c.id == "documented").status
    assert documented() == "fail"

    files = drafted(project, ["policy-objectives", "scope-statement"])
    doc = Document(str(files["policy-objectives"]))
    _approve(doc, "1.0", "Alice Turner", "15/12/2026")
    _objective(doc, "O-2", "Target", "99.9 %")
    filled = tmp_path / "typed" / "policy-objectives.docx"
    filled.parent.mkdir()
    doc.save(str(filled))
    resaved = libreoffice_resave(filled, tmp_path / "lo")

    report = harvest(load_project(project), [resaved])
    assert report.errors == [] and report.conflicts == []
    assert [c.target for c in report.changes] == ["O-2.target"]
    assert added(report) == ["approval policy-objectives"]
    p = load_project(project).project
    [approval] = p.management_system.approvals
    assert (approval.document, approval.version, approval.approved_by, approval.date) == \
        ("policy-objectives", "1.0", "aturner", date(2026, 12, 15))
    assert p.objectives[1].target == "99.9 %"
    assert documented() == "pass"   # policy and objectives, both, from the one approved document

    again = harvest(load_project(project), [resaved])
    assert again.changes == [] and again.added == [] and again.conflicts == [] and not again.written

    before = next(t for t in docx_tables(resaved) if t[0][0] == "Ref.")
    rebuilt = drafted(project, ["policy-objectives"], out="rebuilt")["policy-objectives"]
    after = next(t for t in docx_tables(rebuilt) if t[0][0] == "Ref.")
    assert after == before
    approval_row = next(t for t in docx_tables(rebuilt) if t[0][0] == "Version")[1]
    assert approval_row == ["1.0", "Alice Turner", "15 December 2026"]
    assert "version 1.0" in docx_text(rebuilt)
    third = harvest(load_project(project), [rebuilt])
    assert third.changes == [] and third.added == [] and third.conflicts == []

    out = build_package(load_project(project), tmp_path / "package.zip")
    names = zipfile.ZipFile(out).namelist()
    assert "documents/sms/policy-objectives.docx" in names
    assert "documents/sms/scope-statement.docx" not in names   # a draft never goes to the auditors


def test_an_approval_without_its_date_is_refused_with_its_cell(sample_copy, tmp_path) -> None:
    project = sample_copy("en")
    before = project.read_bytes()
    files = drafted(project, ["sms-plan"])
    doc = Document(str(files["sms-plan"]))
    _approve(doc, "2", "Ben Okafor", "")
    doc.save(str(files["sms-plan"]))
    report = harvest(load_project(project), [files["sms-plan"]])
    assert [e.code for e in report.errors] == ["missing-value"]
    assert str(report.errors[0]).startswith("sms-plan.docx: table ") and "row 2" in str(report.errors[0])
    assert "missing: Date of approval" in str(report.errors[0])
    assert project.read_bytes() == before


def test_catalogue_scope_and_plan_edits_taken_back(sample_copy) -> None:
    project = sample_copy("fr")
    files = drafted(project)
    doc = Document(str(files["service-catalogue"]))
    card = next(t for t in doc.tables if t.rows[0].cells[1].text == "supervision")
    rows = {r.cells[0].text: r for r in card.rows}
    rows["Description"].cells[1].text = "Supervision 24 h/24 et maintenance des serveurs des clients"
    rows["Responsable"].cells[1].text = "Camille Martin"
    rows["Clients"].cells[1].text = "Mutuelle des Monts du Lyonnais, Vitrail & Fils"
    doc.save(str(files["service-catalogue"]))
    doc = Document(str(files["scope-statement"]))
    scope = next(t for t in doc.tables if t.rows[0].cells[0].text == "Hors du domaine d'application")
    scope.rows[0].cells[1].text = "La vente de matériel."
    doc.save(str(files["scope-statement"]))
    doc = Document(str(files["sms-plan"]))
    limits = next(t for t in doc.tables if t.rows[0].cells[0].text == "Limites connues")
    limits.rows[0].cells[1].text = "Astreinte assurée par trois personnes depuis novembre"
    doc.save(str(files["sms-plan"]))

    report = harvest(load_project(project), list(files.values()))
    assert report.errors == [] and report.conflicts == []
    p = load_project(project).project
    service = next(s for s in p.scope.services if s.id == "supervision")
    assert service.description == "Supervision 24 h/24 et maintenance des serveurs des clients"
    assert service.owner == "cmartin" and service.customers == ["cl-mutuelle", "cl-vitrail"]
    assert p.scope.exclusions == "La vente de matériel."
    assert p.management_system.plan.limitations == "Astreinte assurée par trois personnes depuis novembre"
    again = harvest(load_project(project), list(files.values()))
    assert again.changes == [] and again.added == [] and again.conflicts == []


def test_an_unknown_owner_in_the_catalogue_is_refused_with_its_table(sample_copy) -> None:
    project = sample_copy("en")
    files = drafted(project, ["service-catalogue"])
    doc = Document(str(files["service-catalogue"]))
    card = next(t for t in doc.tables if t.rows[0].cells[1].text == "desk")
    next(r for r in card.rows if r.cells[0].text == "Owner").cells[1].text = "Somebody Else"
    doc.save(str(files["service-catalogue"]))
    report = harvest(load_project(project), [files["service-catalogue"]])
    assert len(report.errors) == 1 and str(report.errors[0]).startswith("service-catalogue.docx: table ")
    assert 'unknown person "Somebody Else"' in str(report.errors[0]) and report.errors[0].code == "unknown-person"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_new_objective_row_becomes_an_objective_once(sample_copy, lang: str) -> None:
    project = sample_copy(lang)
    files = drafted(project, ["policy-objectives"])
    doc = Document(str(files["policy-objectives"]))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text in ("Ref.", "Réf."))
    blank = next(r for r in table.rows[1:] if not any(c.text for c in r.cells))
    blank.cells[1].text = "Changes implemented without incident"
    blank.cells[3].text = "95 %"
    doc.save(str(files["policy-objectives"]))
    report = harvest(load_project(project), [files["policy-objectives"]])
    assert report.errors == [] and len(report.added) == 1 and added(report)[0].startswith("objective O-")
    again = harvest(load_project(project), [files["policy-objectives"]])
    assert again.added == [] and again.changes == []
    objectives = load_project(project).project.objectives
    assert [o.target for o in objectives if o.text == "Changes implemented without incident"] == ["95 %"]
