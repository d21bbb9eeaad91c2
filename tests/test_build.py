"""Building the audit report and the action plan: content, identity, base, overwrite safety, PDFs."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kitgen.errors import OverwriteRefused
from kitgen.forms.action_plan import BASE_SHEET
from kitgen.jobs.build import build
from kitgen.project import load_project

from .conftest import SAMPLE_EN, SAMPLE_FR
from .helpers import base_of, docx_text, libreoffice_resave_all, needs_soffice, props_of, table_with_header


@pytest.fixture(scope="module")
def built_fr(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fr")
    build(load_project(SAMPLE_FR), ["audit-report", "action-plan"], out_dir=out)
    return out


@pytest.fixture(scope="module")
def built_en(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("en")
    build(load_project(SAMPLE_EN), ["audit-report", "action-plan"], out_dir=out)
    return out


def test_french_audit_report_content(built_fr):
    path = built_fr / "audit-report-AUD-2026-01.docx"
    text = docx_text(path)
    assert "{{" not in text and "{%" not in text
    for expected in ("Rapport d'audit", "Audit interne — AUD-2026-01", "Infogérance Boréale SAS",
                     "6–7 octobre 2026", "Nadia Benali", "Sébastien Lambert", "Claire Durand (Directrice générale)",
                     "ISO/CEI 20000-1:2005 ; politique et procédures de l'ITSMS", "Échantillon de 20 tickets",
                     "Délais de prise en charge des incidents suivis et respectés à 98 %.",
                     "Corriger les non-conformités", "Gravité : NC majeure, NC mineure, Point sensible / observation, "
                     "Piste de progrès, Point fort."):
        assert expected in text, expected
    assert "Point de vigilance" not in text  # areas of concern belong to stage 1
    findings = table_with_header(path, "ID", "Preuves objectives")
    assert findings[0] == ["ID", "Article", "Exigence", "Processus", "Gravité", "Constat", "Preuves objectives"]
    rows = {r[0]: r for r in findings[1:] if r[0]}
    # the requirement column cites the requirement not met, in the auditor's words, not the clause's title
    assert rows["AUD-2026-01-F1"][1:5] == ["6.3", "Le plan de continuité des services doit être testé pour s'assurer "
                                           "qu'il fonctionne.",
                                           "Gestion de la continuité et de la disponibilité des services", "NC majeure"]
    assert rows["AUD-2026-01-F3"][4] == "Point sensible / observation"
    assert rows["AUD-2026-01-F4"][4] == "Piste de progrès"
    assert rows["AUD-2026-01-F5"][4] == "Point fort"
    assert sum(1 for r in findings[1:] if not any(r)) == 4  # blank rows for the auditor
    summary = table_with_header(path, "Type de constat", "Nombre")
    assert ["NC majeure", "1"] in summary and ["Total", "5"] in summary


def test_follow_up_lists_earlier_open_findings(built_fr):
    path = built_fr / "audit-report-PRE-2026.docx"
    follow = table_with_header(path, "ID", "Avis de l'auditeur")
    ids = [r[0] for r in follow[1:]]
    assert ids == ["AUD-2026-01-F1", "AUD-2026-01-F2"]  # F3 (observation, no action) is noted, not open
    assert follow[1][1] == "AUD-2026-01\n§ 6.3 — NC majeure"
    # each action with the date that goes with its status: verified on the day its effectiveness was checked (not
    # its due date), the open ones with their due date
    assert follow[1][3] == ("CA-1 — Réaliser un test de reprise du serveur de fichiers (Vérifiée le 17 novembre 2026)\n"
                            "CA-2 — Planifier deux tests de continuité par an dans le plan de continuité (En cours, "
                            "échéance 15 décembre 2026)")
    # the verdict and note PRE-2026 recorded are shown, so that a rebuilt report keeps them
    assert follow[1][4:] == ["En cours", "Test réalisé ; calendrier des tests pas encore intégré au plan"]
    assert follow[2][4:] == ["", ""]
    assert "Aucun constat antérieur ouvert." in docx_text(built_fr / "audit-report-AUD-2026-01.docx")


def test_english_audit_report(built_en):
    path = built_en / "audit-report-IA-2026.docx"
    text = docx_text(path)
    assert "Internal audit — IA-2026" in text and "8–9 September 2026" in text and "mock" not in text
    rows = {r[0]: r for r in table_with_header(path, "ID", "Objective evidence")[1:] if r[0]}
    assert rows["IA-2026-F1"][2:5] == ["An external supplier's performance is to be reviewed against its contract at "
                                       "planned intervals.", "Supplier management", "Minor NC"]
    assert rows["IA-2026-F2"][4] == "Opportunity for improvement"


def test_identity_and_base_embedded(built_fr):
    path = built_fr / "audit-report-AUD-2026-01.docx"
    props = props_of(path)
    assert {k: props[k] for k in ("kitgen.form", "kitgen.project", "kitgen.audit", "kitgen.lang", "kitgen.format")} == {
        "kitgen.form": "audit-report", "kitgen.project": "boreale", "kitgen.audit": "AUD-2026-01",
        "kitgen.lang": "fr", "kitgen.format": 1}
    base = base_of(path)
    assert base["finding/AUD-2026-01-F2"]["grade"] == "minor"
    plan = built_fr / "action-plan.xlsx"
    assert props_of(plan)["kitgen.form"] == "action-plan"
    wb = load_workbook(plan)
    assert wb[BASE_SHEET].sheet_state == "hidden"
    assert json.loads(wb[BASE_SHEET]["A1"].value)["action/CA-3"]["status"] == "open"


def test_action_plan_content(built_fr):
    wb = load_workbook(built_fr / "action-plan.xlsx")
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    assert header[:11] == ["Constat", "Action", "Article", "Gravité", "Exigence / constat", "Correction",
                           "Action corrective", "Action préventive", "Responsable", "Échéance", "Statut"]
    assert "Action préventive" in header and "Étendue (NC similaires)" in header
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    by_action = {r["Action"]: r for r in rows if r["Action"]}
    assert by_action["CA-1"]["Correction"] == "Réaliser un test de reprise du serveur de fichiers"
    assert by_action["CA-1"]["Statut"] == "Vérifiée" and by_action["CA-1"]["Responsable"] == "Julien Leroy"
    assert by_action["CA-4"]["Action préventive"] == "Former l'équipe à la procédure de changement révisée"
    assert by_action["CA-3"]["Échéance"].date().isoformat() == "2026-11-15"
    assert [r["Constat"] for r in rows if not r["Action"]] == ["AUD-2026-01-F3", "AUD-2026-01-F4"]  # no action yet
    assert "AUD-2026-01-F5" not in {r["Constat"] for r in rows}  # a strength needs no action
    assert ws.freeze_panes == "C2" and "ActionPlan" in ws.tables
    kinds = {tuple(dv.formula1 for dv in ws.data_validations.dataValidation)}
    assert any("Listes" in f for f in next(iter(kinds)))
    summary = wb["Synthèse"]
    assert [c.value for c in summary[2]][:3] == ["Audit", "NC majeure", "NC mineure"]
    assert summary._charts


def test_action_plan_2018_has_no_preventive_column(built_en):
    header = [c.value for c in load_workbook(built_en / "action-plan.xlsx")["Actions"][1]]
    assert "Preventive action" not in header and "Corrective action" in header


def test_formula_looking_text_stays_text(sample_copy, tmp_path):
    path = sample_copy("fr")
    text = path.read_text(encoding="utf-8").replace(
        'statement: "Le plan de continuité n\'a jamais été testé."', 'statement: "=HYPERLINK(\\"http://x\\")"')
    path.write_text(text, encoding="utf-8")
    build(load_project(path), ["action-plan"], out_dir=tmp_path / "o")
    ws = load_workbook(tmp_path / "o" / "action-plan.xlsx")["Actions"]
    column = next(c.column_letter for c in ws[1] if c.value == "Exigence / constat")
    cell = ws[f"{column}2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    with zipfile.ZipFile(tmp_path / "o" / "action-plan.xlsx") as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()


def test_refuses_to_overwrite_edited_file_and_force_keeps_backup(tmp_path):
    pf = load_project(SAMPLE_FR)
    build(pf, ["action-plan"], out_dir=tmp_path)
    target = tmp_path / "action-plan.xlsx"
    build(pf, ["action-plan"], out_dir=tmp_path)  # unchanged since written: rebuilt silently
    edited = target.read_bytes() + b"\0"  # someone saved it since
    target.write_bytes(edited)
    with pytest.raises(OverwriteRefused, match="edited since kitgen wrote it; harvest it first, or rebuild with --force"):
        build(pf, ["action-plan"], out_dir=tmp_path)
    assert target.read_bytes() == edited
    result = build(pf, ["action-plan"], out_dir=tmp_path, force=True)
    [backup] = result.backups
    assert backup.read_bytes() == edited and target.read_bytes() != edited


@needs_soffice
def test_identity_and_base_survive_libreoffice(built_fr, tmp_path):
    docx, xlsx = libreoffice_resave_all([built_fr / "audit-report-AUD-2026-01.docx", built_fr / "action-plan.xlsx"],
                                        tmp_path)   # one list of steps for both
    props = props_of(docx)
    assert props["kitgen.form"] == "audit-report" and props["kitgen.format"] == 1 and props["kitgen.audit"] == "AUD-2026-01"
    assert base_of(docx)["finding/AUD-2026-01-F1"]["clause"] == "6.3"
    assert props_of(xlsx)["kitgen.form"] == "action-plan" and props_of(xlsx)["kitgen.format"] == 1
    wb = load_workbook(xlsx)
    assert wb[BASE_SHEET].sheet_state == "hidden"
    assert "action/CA-3" in json.loads(wb[BASE_SHEET]["A1"].value)


@needs_soffice
def test_every_built_file_converts_to_pdf(printed_samples):
    for result in printed_samples.values():   # every form of each sample, built with pdf=True
        assert len(result.pdfs) == len(result.written)
        for pdf in result.pdfs:
            assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path, monkeypatch):
    from kitgen.errors import ExternalToolError
    from kitgen.infra import office

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(ExternalToolError, match=r"LibreOffice \(soffice\) is not installed; install it"):
        build(load_project(SAMPLE_FR), ["action-plan"], out_dir=tmp_path, pdf=True)
    assert (tmp_path / "action-plan.xlsx").exists()  # the documents themselves were written
