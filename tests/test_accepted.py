"""Documents a certification body and a French reader accept as they are (issue 32): every form of both samples, in
both languages, read for each defect a lead auditor sent back; then printed (one LibreOffice call for the module)
and read again: every page identified, no id or word broken across lines."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.forms.typeset import NBSP, NNBSP, typeset
from kitgen.infra.text import plain
from kitgen.jobs.build import build
from kitgen.jobs.calendar import calendar_ics
from kitgen.project import load_project
from kitgen.project.history import as_of

from .conftest import SAMPLE_EN, SAMPLE_FR
from .helpers import docx_tables, docx_text, needs_soffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SAMPLES = {"fr": SAMPLE_FR, "en": SAMPLE_EN}
COMBOS = [("fr", "fr"), ("fr", "en"), ("en", "en"), ("en", "fr")]  # (sample, language of the documents)
ORG = {"fr": "Infogérance Boréale SAS", "en": "Harbour Desk Ltd"}


@pytest.fixture(scope="module")
def built(printed_samples, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """Every form of each sample, in each language (in its own: the run's printed samples)."""
    out = {}
    for sample, lang in COMBOS:
        if sample == lang:
            out[(sample, lang)] = printed_samples[lang].written[0].parent
            continue
        folder = tmp_path_factory.mktemp(f"{sample}-{lang}")
        build(load_project(SAMPLES[sample]), lang=lang, out_dir=folder)
        out[(sample, lang)] = folder
    return out


def docs(folder: Path, pattern: str = "*.docx") -> list[Path]:
    return sorted(folder.glob(pattern))


def shown(text: str, lang: str) -> str:
    """A project value as a reader sees it in a document of `lang` (typeset, read as plain text)."""
    return plain(typeset(text, lang))


@pytest.mark.parametrize("sample,lang", COMBOS)
def test_no_tool_wording_nor_mock_audit_anywhere(built, sample, lang):
    unwanted = ["project file", "fichier projet", "mock audit", "audit à blanc)"] + (["RCF"] if lang == "en" else [])
    for path in docs(built[(sample, lang)]):
        text = docx_text(path)
        assert [w for w in unwanted if w in text] == [], path.name
    plan = load_workbook(built[(sample, lang)] / "action-plan.xlsx").worksheets[0]
    source = next(c for c in plan[1] if c.value in ("Origine", "Source")).column
    rounds = {str(plan.cell(row=r, column=source).value) for r in range(2, plan.max_row + 1)}
    assert not any("mock" in s or "à blanc" in s for s in rounds)
    ics = calendar_ics(load_project(SAMPLES[sample]).project).decode()
    kinds = [line for line in ics.splitlines()
             if line.startswith("SUMMARY") and ("nterne" in line or "nternal" in line)]
    assert kinds and not any("mock" in line or "blanc)" in line for line in kinds)


@pytest.mark.parametrize("sample,lang", COMBOS)
def test_audit_report_cites_requirements_and_says_what_a_body_expects(built, sample, lang):
    project = load_project(SAMPLES[sample]).project
    from kitgen.frameworks import get_framework

    fw = get_framework(project.framework)
    for audit in project.audits:
        path = built[(sample, lang)] / f"audit-report-{audit.id}.docx"
        text = docx_text(path)
        findings = next(t for t in docx_tables(path) if t[0][0] == "ID" and t[0][-1] in ("Preuves objectives",
                                                                                         "Objective evidence"))
        rows = {r[0]: r for r in findings[1:] if r[0]}
        for f in audit.findings:
            assert rows[f.id][2] == f.requirement  # the requirement missed, never the clause's title again
            assert rows[f.id][2] != fw.clause_title(f.clause, lang)
        assert ("Ce rapport est confidentiel" if lang == "fr" else "This report is confidential") in text
        # issued on the date of the signed report's record; a report not issued yet says so
        issued = {("AUD-2026-01", "fr"): "1 — émis le 12 octobre 2026", ("AUD-2026-01", "en"): "1 — issued on 12 October 2026",
                  ("PRE-2026", "fr"): "1 — non émis (projet)", ("PRE-2026", "en"): "1 — not issued yet (draft)",
                  ("IA-2026", "fr"): "1 — émis le 15 septembre 2026", ("IA-2026", "en"): "1 — issued on 15 September 2026",
                  }[(audit.id, lang)]
        assert [row for row in docx_tables(path)[0] if row[1] == issued], (audit.id, issued)
        statements = "Déclarations de l'organisme de certification" if lang == "fr" else "Certification body's statements"
        assert (statements in text) == (audit.kind != "internal")
        if audit.kind != "internal":
            for value in (audit.sms_effectiveness, audit.audit_and_review, audit.scope_appropriate,
                          audit.objectives_met):
                assert value and value in text


def test_follow_up_gives_each_action_the_date_of_its_status(built):
    for lang, verified in (("fr", "CA-1 — Réaliser un test de reprise du serveur de fichiers (Vérifiée le 17 novembre "
                                  "2026)"),
                           ("en", "CA-1 — Réaliser un test de reprise du serveur de fichiers (Verified on 17 November "
                                  "2026)")):
        path = built[("fr", lang)] / "audit-report-PRE-2026.docx"
        follow = next(t for t in docx_tables(path) if t[0][0] == "ID" and len(t[0]) == 6)
        actions = follow[1][3]
        assert verified in actions and "31 octobre" not in actions and "31 October" not in actions


@pytest.mark.parametrize("sample,lang", COMBOS)
def test_checklist_prompts_are_the_clauses_own(built, sample, lang):
    project = load_project(SAMPLES[sample]).project
    for audit in project.audits:
        path = built[(sample, lang)] / f"audit-checklist-{audit.id}.docx"
        table = next(t for t in docx_tables(path) if t[0][0] in ("Article", "Clause"))
        examine = {row[0]: row[2] for row in table[1:]}
        assert len(set(examine.values())) == len(examine)  # no two clauses share a text
        ask = "Preuves à demander :" if lang == "fr" else "Evidence to ask for:"
        assert all(ask in text for text in examine.values())
        if project.framework.endswith("2018"):
            for clause in ("4.1", "4.2"):
                assert ("changement climatique" if lang == "fr" else "climate change") in examine[clause]
            assert ("urgent" if lang == "fr" else "emergency change") in examine["8.5.1.1"]
            assert ("mesures" if lang == "fr" else "controls") in examine["8.7.3.2"]
        else:  # 2005: one change clause that still speaks of urgent changes and of the security controls
            assert "urgent" in examine["9.2"] and ("mesures" if lang == "fr" else "controls") in examine["6.6"]
        rows = Document(str(path)).tables[-1].rows
        assert all(r._tr.find(f"{{{W}}}trPr/{{{W}}}cantSplit") is not None for r in rows)  # rows never split


@pytest.mark.parametrize("sample,lang", COMBOS)
def test_management_review_considers_every_input(built, sample, lang):
    project = load_project(SAMPLES[sample]).project
    review = project.management_reviews[-1]   # the latest: after the audits whose results it considers
    path = built[(sample, lang)] / f"management-review-{review.date.isoformat()}.docx"
    text = docx_text(path)
    fr = lang == "fr"
    for heading in (("Enjeux externes et internes", "External and internal issues"),
                    ("Tendance des non-conformités", "Trend in nonconformities"),
                    ("Actions correctives", "Corrective actions"),
                    ("Opportunités d'amélioration relevées", "Opportunities for improvement raised"),
                    ("Performance des fournisseurs et des autres parties", "Performance of suppliers and other parties"),
                    ("Adéquation des ressources", "Adequacy of resources")):
        assert heading[0 if fr else 1] in text
    assert shown(review.issues, lang) in text
    then = as_of(project, review.date)
    improvement = next(f for _, f in then.all_findings() if f.grade == "improvement")
    assert improvement.id in text and shown(improvement.statement, lang) in text  # the audit's OFI is carried in
    corrective = next(t for t in docx_tables(path) if t[0][:3] in (["N°", "Constat", "Action"],
                                                                   ["No.", "Finding", "Action"]))
    open_actions = [a for _, f in then.all_findings() if f.grade in ("major", "minor") for a in f.actions
                    if a.status in ("open", "in-progress")]
    listed = {row[0]: row for row in corrective[1:]}
    assert open_actions and {a.id for a in open_actions} <= set(listed)
    for a in open_actions:
        assert listed[a.id][2] == shown(a.description, lang) and all(listed[a.id][3:6])  # owner, due, status
    assert "sur la période" not in text and "in the period" not in text  # performance, not a count of records
    if project.framework.endswith("2018"):
        assert ("Efficacité" if fr else "Effectiveness") in text and shown(project.risks[0].effectiveness, lang) in text
        assert ("dont le changement climatique" if fr else "climate change included") in text
    if not fr:
        assert "RCF" not in text


def test_questionnaire_on_a_withdrawn_edition_warns_on_the_document_and_the_command_line(built, tmp_path):
    for lang in ("fr", "en"):
        path = built[("fr", lang)] / "questionnaire.docx"
        doc = Document(str(path))
        header = plain(" ".join(p.text for p in doc.sections[0].header.paragraphs))
        assert ("Non recevable en l'état" if lang == "fr" else "Not acceptable as it stands") in header
        first = plain(doc.tables[0].rows[0].cells[0].text)  # the first thing under the title
        assert ("Aucun organisme de certification ne peut accepter" if lang == "fr"
                else "No certification body can accept") in first
    current = Document(str(built[("en", "en")] / "questionnaire.docx"))
    assert not "".join(p.text for p in current.sections[0].header.paragraphs).strip()
    result = CliRunner().invoke(cli, ["build", str(SAMPLE_FR), "questionnaire", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert ("attention : questionnaire.docx: une demande de certification selon l'ISO/CEI 20000-1:2005 ne peut être "
            "acceptée par aucun organisme ; passez le projet à iso20000-1:2018") in result.stderr


@pytest.mark.parametrize("sample,lang", COMBOS)
def test_questionnaire_carries_quote_drivers_and_no_internal_note(built, sample, lang):
    path = built[(sample, lang)] / "questionnaire.docx"
    text = docx_text(path)
    for note in ("IAF MD 5", "QMS", "SMQ", "seule la ligne", "row is confirmed", "Toutes les réponses sont renseignées",
                 "Every answer is given", "site(s)", "Réponses de", "Effectif effectif", "à confirmer avec l'organisme"):
        assert note not in text, note
    if lang == "fr":
        assert "ISO/IEC 20000-6" not in text and "ISO/IEC 17021" not in text and "ISO/CEI 20000-6" in text
    tables = docx_tables(path)
    labels = {row[0]: row[1] for t in tables for row in t if len(row) == 2}
    stage1, stage2 = ("dont étape 1 (revue documentaire et état de préparation)", "dont étape 2 (audit sur site)") \
        if lang == "fr" else ("of which stage 1 (documentation and readiness review)", "of which stage 2 (on-site audit)")
    assert labels[stage1] and labels[stage2]
    temporary = "Sites temporaires et sites des clients" if lang == "fr" else "Temporary sites and customer premises"
    assert labels[temporary]
    project = load_project(SAMPLES[sample]).project
    parties = next(t for t in tables if t[0][0] in ("Partie", "Party"))
    assert {row[0] for row in parties[1:]} == {p.name for p in project.parties if p.kind in ("F", "FT")}


@pytest.mark.parametrize("sample,lang", COMBOS)
def test_action_plan_prints_its_identity_on_every_page_and_dates_the_readers_way(built, sample, lang):
    wb = load_workbook(built[(sample, lang)] / "action-plan.xlsx")
    for ws in wb.worksheets[:2]:  # Actions, Summary
        header, footer = ws.oddHeader, ws.oddFooter
        assert header.left.text == ("Plan d'action" if lang == "fr" else "Action plan")
        assert header.right.text == ORG[sample].replace("&", "&&")
        assert ("état au" if lang == "fr" else "as of") in footer.left.text and "version" in footer.left.text
        assert "&P" in footer.right.text and "&N" in footer.right.text
    ws = wb.worksheets[0]
    due = next(c for c in ws[1] if c.value in ("Échéance", "Due date")).column
    formats = {ws.cell(row=r, column=due).number_format for r in range(2, ws.max_row + 1)
               if ws.cell(row=r, column=due).value}
    assert formats == {"dd/mm/yyyy" if lang == "fr" else "yyyy-mm-dd"}
    verifiers = [c.value for c in wb["Listes" if lang == "fr" else "Lists"]["D"] if c.value]
    project = load_project(SAMPLES[sample]).project
    assert not {p.name for p in project.parties if p.kind in ("F", "FT", "CL")} & set(verifiers)  # no supplier
    assert {p.name for p in project.parties if p.kind == "OCA"} <= set(verifiers)
    assert wb.properties.creator == ORG[sample] and wb.properties.language == ("fr-FR" if lang == "fr" else "en-GB")


def language_marks(path: Path) -> set[str]:
    """Every language a Word file's parts mark: its text's, its styles', its theme fonts' (settings.xml)."""
    with zipfile.ZipFile(path) as zf:
        return {el.get(f"{{{W}}}val") for name in zf.namelist() if name.startswith("word/") and name.endswith(".xml")
                for el in etree.fromstring(zf.read(name)).iter(f"{{{W}}}lang", f"{{{W}}}themeFontLang")}


@pytest.mark.parametrize("sample,lang", COMBOS)
def test_every_word_file_says_its_language_author_and_date_as_of(built, sample, lang):
    tag = "fr-FR" if lang == "fr" else "en-GB"
    for path in docs(built[(sample, lang)]):
        with zipfile.ZipFile(path) as zf:
            styles = etree.fromstring(zf.read("word/styles.xml"))
            core = etree.fromstring(zf.read("docProps/core.xml"))
            body = zf.read("word/document.xml").decode()
        assert {el.get(f"{{{W}}}val") for el in styles.iter(f"{{{W}}}lang")} == {tag}, path.name
        assert language_marks(path) == {tag}, path.name
        assert "en-US" not in body
        values = {etree.QName(el).localname: el.text for el in core}
        assert values["creator"] == values["lastModifiedBy"] == ORG[sample] and "python-docx" not in str(values)
        assert values["language"] == tag and values["title"]
        footer = plain(" ".join(p.text for s in Document(str(path)).sections for p in s.footer.paragraphs))
        assert ("état au" if lang == "fr" else "as of") in footer and "version" in footer
        assert ORG[sample] in footer
    report = next(p for p in docs(built[(sample, lang)], "audit-report-*.docx"))
    footer = plain(" ".join(p.text for p in Document(str(report)).sections[0].footer.paragraphs))
    as_of = {"AUD-2026-01": ("12 octobre 2026", "12 October 2026"), "IA-2026": ("15 septembre 2026",
                                                                                "15 September 2026")}
    assert as_of[report.stem.split("-", 2)[2]][0 if lang == "fr" else 1] in footer  # the report's date, not today's


def test_french_documents_are_typeset(built):
    """No ordinary space before : ; ? ! nor inside « » in any French document; ids never break."""
    prose = re.compile(r"\w ([:;?!])(?=\s|$)|« | »")
    for sample in ("fr", "en"):
        for path in docs(built[(sample, "fr")]):
            raw = docx_text(path, raw=True)
            bad = [m.group(0) for m in prose.finditer(raw)]
            assert bad == [], (sample, path.name, bad[:5])
            assert f"{NBSP}:" in raw, path.name
        form = docx_text(built[(sample, "fr")] / "evaluation-form.docx", raw=True)
        assert f"facile à suivre{NNBSP}?" in form  # the question mark of Q2 stays with its question
    lists = docx_text(built[("fr", "fr")] / "audit-checklist-AUD-2026-01.docx", raw=True)
    assert f"1.0{NNBSP}; " in lists or f"){NNBSP}; " in lists  # lists joined '… ; …'
    plan = load_workbook(built[("fr", "fr")] / "action-plan.xlsx").worksheets[0]
    evidence = next(c for c in plan[1] if c.value == "Preuves objectives").column
    assert any(f"{NNBSP};" in str(plan.cell(row=r, column=evidence).value) for r in range(2, plan.max_row + 1))


# -- printed ---------------------------------------------------------------------------------------------------

WORD = re.compile(r"[\w'’]+(?:-[\w'’]+)*")


def _printed_words(path: Path) -> set[str]:
    """The words a document holds, as a person would read them on screen (xlsx: the visible sheets' texts)."""
    if path.suffix == ".docx":
        return set(WORD.findall(docx_text(path)))
    wb = load_workbook(path)
    texts = [str(c.value) for ws in wb.worksheets if ws.sheet_state == "visible" for row in ws.iter_rows()
             for c in row if isinstance(c.value, str) and not c.value.startswith("=")]
    return set(WORD.findall(plain("\n".join(texts))))


@pytest.fixture(scope="module")
def printed(printed_samples) -> dict[Path, list[str]]:
    """Every document of both samples (in their own language) printed to PDF by `kitgen build --pdf` (the run's
    printed samples): the text of each page."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) and pdftotext are needed; .ci/run installs them")
    pages = {}
    for source, pdf in ((p, p.with_suffix(".pdf")) for result in printed_samples.values() for p in result.written):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages[source] = [plain(page) for page in text.split("\f") if page.strip()]
    return pages


@needs_soffice
def test_no_id_or_word_broken_across_lines(printed):
    for source, pages in printed.items():
        on_paper = set(WORD.findall("\n".join(pages)))
        parts = {part for w in on_paper for part in w.split("-")}
        broken = []
        for word in _printed_words(source):
            if len(word) < 3:
                continue
            if "-" in word and any(c.isdigit() for c in word):   # an id or a date: whole, always
                if word not in on_paper:
                    broken.append(word)
            elif any(part not in parts for part in word.split("-") if len(part) >= 3):  # a word: whole
                broken.append(word)
        assert broken == [], (source.name, sorted(broken)[:20])


@needs_soffice
def test_every_printed_page_says_title_organisation_version_date_and_page(printed):
    for source, pages in printed.items():
        sample = "fr" if source.parent.name.startswith("fr") else "en"
        fr = sample == "fr"
        for n, page in enumerate(pages, start=1):
            lines = " ".join(page.split())
            assert ORG[sample] in lines, (source.name, n)
            assert ("version" in lines and ("état au" if fr else "as of") in lines), (source.name, n)
            assert (f"page {n} sur {len(pages)}" if fr else f"page {n} of {len(pages)}") in lines, (source.name, n)
        body = [" ".join(p.split()) for p in pages]
        # no page holds only the footer and a stray line (an orphaned total row, a lone disclaimer)
        assert all(len(p) > 250 for p in body), (source.name, [len(p) for p in body])


@needs_soffice
def test_summary_table_stays_on_one_page(printed):
    for source, pages in printed.items():
        if source.name.startswith("audit-report"):
            page = next(p for p in pages if ("Synthèse des constats" in p or "Summary of findings" in p))
            assert re.search(r"^\s*Total\s+\d+", page, re.M), source.name


def test_the_packages_cover_and_index_name_the_organisation_and_identify_their_pages(tmp_path):
    from kitgen.jobs.package import build_package

    with zipfile.ZipFile(build_package(load_project(SAMPLE_FR), tmp_path / "p.zip")) as zf:
        (tmp_path / "cover.docx").write_bytes(zf.read("cover.docx"))
        (tmp_path / "index.xlsx").write_bytes(zf.read("index.xlsx"))
    cover = Document(str(tmp_path / "cover.docx"))
    assert cover.core_properties.author == ORG["fr"] and cover.core_properties.language == "fr-FR"
    assert language_marks(tmp_path / "cover.docx") == {"fr-FR"}
    footer = plain(cover.sections[0].footer.paragraphs[0].text)
    paragraph = cover.sections[0].footer.paragraphs[0]
    style_size = (paragraph.style.font.size or cover.styles["Normal"].font.size).pt * 2   # half-points, as w:sz
    sizes = [float(next(iter(run.xpath("w:rPr/w:sz/@w:val")), style_size))
             for run in paragraph._p.iter(f"{{{W}}}r")]   # each run's own size, else its paragraph style's
    assert len(sizes) >= 4 and set(sizes) == {16}, sizes   # the page numbers as small as the text around them
    assert ORG["fr"] in footer and "version" in footer and "état au" in footer and "page" in footer
    assert "Périmètre" in docx_text(tmp_path / "cover.docx") and " :" not in docx_text(tmp_path / "cover.docx", raw=True)
    index = load_workbook(tmp_path / "index.xlsx")
    assert index.properties.creator == ORG["fr"]
    ws = index.worksheets[0]
    assert ws.oddHeader.right.text == ORG["fr"] and "état au" in ws.oddFooter.left.text and "&N" in ws.oddFooter.right.text


def test_new_fields_come_back_from_the_forms_and_a_second_harvest_changes_nothing(sample_copy, tmp_path):
    """The requirement a finding misses (report), a body's §9.4.8 statements (report of an external audit) and the
    changes in issues (minutes) are typed in Word and harvested; harvesting again changes nothing."""
    from kitgen.jobs.harvest import harvest

    path = sample_copy("fr")
    out = tmp_path / "o"
    build(load_project(path), ["audit-report", "management-review"], out_dir=out)
    report = out / "audit-report-PRE-2026.docx"
    doc = Document(str(report))
    findings = next(t for t in doc.tables if t.rows[0].cells[0].text == "ID" and len(t.columns) == 7)
    row = next(r for r in findings.rows if r.cells[0].text == "PRE-2026-F1")
    row.cells[2].text = "La direction valide le plan de formation."
    statements = next(t for t in doc.tables if any(r.cells[0].text == "Pertinence du périmètre de certification"
                                                   for r in t.rows))
    next(r for r in statements.rows if r.cells[0].text.startswith("Pertinence")).cells[1].text = "Périmètre adapté."
    doc.save(str(report))
    minutes = out / "management-review-2026-10-20.docx"
    doc = Document(str(minutes))
    issues = next(t for t in doc.tables if t.rows[0].cells[0].text == "Rubrique" and len(t.rows) == 2)
    issues.rows[1].cells[1].text = "Nouveau concurrent ; exigences RGPD renforcées."
    doc.save(str(minutes))
    first = harvest(load_project(path), [report, minutes])
    assert {c.target for c in first.changes} == {"PRE-2026-F1.requirement", "PRE-2026.scope_appropriate",
                                                 "review 2026-10-20.issues"}
    project = load_project(path).project
    assert project.audit("PRE-2026").findings[0].requirement == "La direction valide le plan de formation."
    assert project.audit("PRE-2026").scope_appropriate == "Périmètre adapté."
    assert project.review("2026-10-20").issues == "Nouveau concurrent ; exigences RGPD renforcées."  # as typed
    again = harvest(load_project(path), [report, minutes])
    assert again.changes == again.conflicts == [] and not again.written
