"""The questionnaire answers and the evaluation form: content, missing answers, audit days, a body's own form."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree

from kitgen.cli.commands import cli
from kitgen.errors import KitgenError
from kitgen.forms.evaluation_form import RECOMMEND, SATISFACTION, WORDING
from kitgen.forms.questionnaire import audit_days_estimate, audit_time, missing_answers
from kitgen.jobs.build import build
from kitgen.project import load_project

from .conftest import MINIMAL, SAMPLE_EN, SAMPLE_FR
from .helpers import docx_tables, docx_text, needs_soffice, props_of

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


@pytest.mark.parametrize("headcount,sites,days", [(1, 1, 1.5), (5, 1, 1.5), (5.5, 1, 2.0), (10, 1, 2.0), (11.5, 1, 2.5),
                                                  (15, 1, 2.5), (16, 1, 3.0), (25, 1, 3.0), (26, 1, 4.0), (11.5, 2, 3.0),
                                                  (11.5, 3, 3.5)])
def test_audit_days_estimate(headcount, sites, days):
    assert audit_days_estimate(headcount, sites) == days


def test_audit_time_by_stage_and_overrides(write):
    project = load_project(write(MINIMAL)).project
    assert audit_time(project) == {"initial": 1.5, "stage1": 0.5, "stage2": 1.0, "surveillance": 0.5,
                                   "recertification": 1.0}
    text = MINIMAL.replace("certification:", "certification:") + \
        "certification:\n  audit_days: 4\n  surveillance_days: 1.5\n"
    assert audit_time(load_project(write(text, "p2.yaml")).project) == {
        "initial": 4, "stage1": 1.5, "stage2": 2.5, "surveillance": 1.5, "recertification": 2.5}


def test_french_questionnaire_content(tmp_path):
    result = build(load_project(SAMPLE_FR), ["questionnaire"], out_dir=tmp_path)
    # the 2005 edition is withdrawn: said once for the project, once for the questionnaire no body can accept
    assert [w for w in map(str, result.warnings) if "retirée" not in w] == [
        "questionnaire.docx: une demande de certification selon l'ISO/CEI 20000-1:2005 ne peut être acceptée par aucun "
        "organisme ; passez le projet à iso20000-1:2018 (kitgen readiness donne la correspondance des articles) avant "
        "de l'envoyer"]
    path = tmp_path / "questionnaire.docx"
    text = docx_text(path)
    assert "{{" not in text and "{%" not in text
    for expected in ("Infogérance Boréale SAS", "SAS au capital de 50 000 €", "Claire Durand — Directrice générale",
                     "Antenne de Grenoble", "11,5 ETP", "12 personnes",
                     "3 jours d'audit (estimation, dont 0,5 jour pour 1 site supplémentaire)",
                     "1 jour d'audit", "2 jours d'audit", "ISO/CEI 20000-6:2017",
                     "ISO/CEI 20000-1:2005 — Spécifications", "4 mai 2026",
                     "AUD-2026-01 — 6 octobre 2026", "20 octobre 2026", "Aucun consultant", "Aucun groupe",
                     "Contrat avec engagements de disponibilité", "RGPD : sous-traitant",
                     "Nadia Benali (Technicienne support, auditrice interne) — ISO/IEC 20000 Foundation, 17 avril 2026",
                     "Vitrail & Fils et Mutuelle des Monts du Lyonnais", "DataRhône Hébergement", "19 janvier 2027",
                     "Certi-Services France"):
        assert expected in text, expected
    history = next(t for t in docx_tables(path) if t[0][:2] == ["Article", "Processus"])
    assert len(history) == 14 and history[1] == ["6.1", "Gestion des niveaux de service", "4", "28 juin 2026",
                                                 "10 novembre 2026", "5 mois"]
    assert "None" not in text
    assert props_of(path)["kitgen.form"] == "questionnaire"


def test_missing_answers_listed_and_warned(write, tmp_path):
    project = load_project(write(MINIMAL)).project
    missing = missing_answers(project, "fr")
    assert "Statut juridique" in missing and "Organisme de certification choisi" in missing
    assert "Audit interne réalisé" not in missing  # the minimal project has an internal audit
    result = build(load_project(write(MINIMAL)), ["questionnaire"], out_dir=tmp_path / "o")
    [warning] = [w for w in map(str, result.warnings) if w.startswith("questionnaire.docx: à compléter")]   # French
    assert warning.startswith("questionnaire.docx: à compléter : Statut juridique ; Appartenance à un groupe "
                              "(vide si aucun) ; Secteur d'activité ;")   # a French list, separated as French does
    text = docx_text(tmp_path / "o" / "questionnaire.docx")
    # what is missing is said on the command line and shown in place; the document holds no to-do list for the body
    assert "À compléter" not in text and "fichier projet" not in text
    assert [row for t in docx_tables(tmp_path / "o" / "questionnaire.docx") for row in t
            if row[0] == "Statut juridique"] == [["Statut juridique", "(à compléter)"]]


def test_english_questionnaire(tmp_path):
    build(load_project(SAMPLE_EN), ["questionnaire"], out_dir=tmp_path)
    text = docx_text(tmp_path / "questionnaire.docx")
    assert "Harbour Desk Ltd — application for ISO/IEC 20000-1 certification" in text
    assert "ISO/IEC 20000-1:2018" in text and "English" in text
    assert "17 FTE" in text and "3 audit days (estimate)" in text and "No consultant" in text
    assert "None" not in text and "Every answer is given." not in text


def test_certification_body_form_filled_through_template(tmp_path):
    doc = Document()
    doc.add_heading("DEMANDE DE DEVIS — CERTI-SERVICES", 0)
    t = doc.add_table(rows=4, cols=2)
    for row, (q, a) in zip(t.rows, [("Société", "{{ org.legal_name }}"), ("Effectif déclaré", "{{ headcount.effective }}"),
                                    ("Norme", "{{ standard.id }}"), ("Jours d'audit (estimation)", "{{ audit_days.estimate }}")]):
        row.cells[0].text, row.cells[1].text = q, a
    doc.add_paragraph("Fournisseurs : {{ suppliers }}")
    doc.add_paragraph("{%p for s in sites %}")
    doc.add_paragraph("Site : {{ s.name }} — {{ s.headcount }} pers.")
    doc.add_paragraph("{%p endfor %}")
    theirs = tmp_path / "devis-oca.docx"
    doc.save(str(theirs))
    result = build(load_project(SAMPLE_FR), ["questionnaire"], out_dir=tmp_path / "o", template=theirs)
    [out] = result.written
    assert out.name == "questionnaire-devis-oca.docx"
    assert docx_tables(out)[0] == [["Société", "Infogérance Boréale SAS"], ["Effectif déclaré", "11,5 ETP"],
                                   ["Norme", "iso20000-1:2005"], ["Jours d'audit (estimation)", "3 jours d'audit"]]
    text = docx_text(out)
    assert "Site : Siège — 10 personnes pers." in text and "Fournisseurs : Distrilog (matériel) et DataRhône " \
        "Hébergement" in text
    with pytest.raises(KitgenError, match="--template fills one Word form"):
        build(load_project(SAMPLE_FR), ["questionnaire", "evaluation-form"], out_dir=tmp_path / "o", template=theirs)


def test_templates_vars_lists_values():
    result = CliRunner().invoke(cli, ["templates", "vars", "questionnaire", "--project", str(SAMPLE_FR)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "{{ org.legal_name }}  = Infogérance Boréale SAS" in lines
    assert "{{ audit_days.estimate }}  = 3\u00a0jours d'audit" in lines
    assert "{{ suppliers }}  = Distrilog (matériel) et DataRhône Hébergement" in lines
    assert "{{ suppliers[0] }}  = Distrilog (matériel)" in lines
    assert "{{ sites[0].name }}  = Siège" in lines


def _checkboxes(path):
    root = etree.fromstring(__import__("zipfile").ZipFile(path).read("word/document.xml"))
    return root.iter(f"{W14}checkbox")


@pytest.mark.parametrize("sample,lang", [(SAMPLE_FR, "fr"), (SAMPLE_EN, "en")])
def test_evaluation_form_has_20_checkboxes_in_question_order(tmp_path, sample, lang):
    build(load_project(sample), ["evaluation-form"], out_dir=tmp_path)
    path = tmp_path / "evaluation-form.docx"
    boxes = list(_checkboxes(path))
    assert len(boxes) == 20
    tags = [b.getparent().find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tag").get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") for b in boxes]
    assert tags == [f"q{q}.{i}" for q in (1, 2, 3, 8) for i in range(1, 6)]
    tables = docx_tables(path)
    questions = [t[0][0] for t in tables[:8]]
    assert questions == [WORDING[lang][n] for n in range(1, 9)]
    assert [c.strip("☐ ") for c in tables[0][1]] == SATISFACTION[lang]
    assert [c.strip("☐ ") for c in tables[7][1]] == RECOMMEND[lang]
    text = docx_text(path)
    assert "{{" not in text
    if lang == "fr":
        assert "Trousse de déploiement : Conduite d'une démarche vers une certification ISO/CEI 20000 – Version 1.0" in text
        assert "À envoyer par courriel à : samia.kabli.1@ens.etsmtl.ca ou claude.y.laporte@etsmtl.ca" in text
        assert tables[4][1][0] == "Rubrique proposée :" and tables[5][2][0].startswith("Emplacement de l'erreur")
    assert props_of(path)["kitgen.form"] == "evaluation-form"


@needs_soffice
def test_questionnaire_and_evaluation_convert_to_pdf(printed_samples):
    for result in printed_samples.values():   # every form of each sample, built with pdf=True
        pdfs = [p for p in result.pdfs if p.stem in ("questionnaire", "evaluation-form")]
        assert [p.read_bytes()[:5] for p in pdfs] == [b"%PDF-", b"%PDF-"]
