"""Documents that read right to a French or English reader and that an auditor recognises: page numbers, issue
date and version, plan and sampled records, the requirement column, areas of concern at stage 1, reports of a
body's audits, warnings for empty sections, header words never broken on the printed page, a printable plan."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.jobs.build import build
from kitgen.project import load_project

from .conftest import SAMPLE_FR
from .helpers import add_audit, docx_tables, docx_text, edit, needs_soffice


def footer_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/footer"))


def test_report_footer_numbers_pages_and_the_cover_gives_version_and_issue_date(sample_copy, tmp_path):
    path = sample_copy("en")
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n",
         "    report: records/sms/internal-audit-IA-2026.md\n    version: \"2\"\n    issued: 2026-09-15\n")
    build(load_project(path), ["audit-report"], out_dir=tmp_path)
    report = tmp_path / "audit-report-IA-2026.docx"
    footer = footer_xml(report)
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    lines = [p.text for p in Document(str(report)).sections[0].footer.paragraphs]
    assert lines[0] == "Audit report IA-2026 — Harbour Desk Ltd"
    assert lines[1].startswith("version 2 — as of 15 September 2026") and "page " in lines[1] and " of " in lines[1]
    assert ["Version and issue date", "2 — issued on 15 September 2026"] in docx_tables(report)[0]


def test_plan_and_sampled_records_when_the_project_gives_them(sample_copy, tmp_path):
    path = sample_copy("en")
    edit(path, '      - {when: "8 Sept 12:00", topic: "Service request management", process: service-request, '
         'interviewees: [bokafor], auditor: dpatel}\n',
         '      - {when: "8 Sept 12:00", topic: "Supplier reviews", process: supplier, interviewees: [bokafor]}\n')
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n", """    report: records/sms/internal-audit-IA-2026.md
    sampled:
      supplier: [records/supplier/supplier-2026-05-28.csv, records/supplier/supplier-2026-07-28.csv]
""")
    build(load_project(path), ["audit-report"], out_dir=tmp_path)
    report = tmp_path / "audit-report-IA-2026.docx"
    plan = next(t for t in docx_tables(report) if t[0][0] == "When")
    assert plan[2] == ["8 Sept 11:00", "Incident management", "Incident management", "Alice Turner"]
    sampled = next(t for t in docx_tables(report) if t[0] == ["Process", "Records"])
    assert sampled[1] == ["Supplier management", "Supplier evaluation 2026-05 (28 May 2026); Supplier evaluation "
                                                  "2026-07 (28 July 2026)"]
    without = path  # the same project without its plan, sample or sampling note
    text = re.sub(r"\n    plan:\n(?:      - [^\n]*\n)+", "\n", path.read_text(encoding="utf-8"), count=1)
    start = text.index("    sampled:\n")
    without.write_text(text[:start] + text[text.index("    # The verdict per clause", start):], encoding="utf-8")
    sampling = re.sub(r"\n    sampling: [^\n]*", "", without.read_text(encoding="utf-8"))
    result = build(load_project(without), ["audit-report"], out_dir=tmp_path / "plain")
    text = docx_text(tmp_path / "plain" / "audit-report-IA-2026.docx")
    # the section says so, in words for the report's reader (not the tool's), and it does not vanish; build warns
    assert "No detailed audit plan is attached to this report." in text and "See the sampling note below." in text
    assert "project file" not in text
    assert "audit-report-IA-2026.docx: section \u201cAudit plan\u201d is empty: fill audits[IA-2026].plan in the " \
        "project file" in map(str, result.warnings)
    without.write_text(sampling, encoding="utf-8")
    build(load_project(without), ["audit-report"], out_dir=tmp_path / "plain2")
    assert "Sample not stated." in docx_text(tmp_path / "plain2" / "audit-report-IA-2026.docx")


def test_empty_sections_are_warned_one_line_each(sample_copy, tmp_path):
    path = sample_copy("en")
    edit(path, '    objectives: ["Confirm the SMS meets ISO/IEC 20000-1:2018 before applying for certification"]\n', "")
    edit(path, '    location: "Bristol"\n', "")
    edit(path, '    conclusion: "The SMS is established; one minor nonconformity."\n', "")
    result = CliRunner().invoke(cli, ["build", str(path), "audit-report", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: audit-report")]
    assert warnings == [
        "warning: audit-report-IA-2026.docx: section \u201cObjectives\u201d is empty: fill audits[IA-2026].objectives "
        "in the project file",
        "warning: audit-report-IA-2026.docx: section \u201cLocation(s)\u201d is empty: fill audits[IA-2026].location "
        "in the project file",
        "warning: audit-report-IA-2026.docx: section \u201cConclusions\u201d is empty: fill audits[IA-2026].conclusion "
        "in the project file"]


STAGE1 = """  - id: S1-2027
    kind: stage1
    title: "Stage 1"
    start: 2026-11-24
    location: "Bristol"
    body: oca-cert
    lead_auditor: "Sam Reed (Northern Certification)"
    objectives: ["Review documentation and readiness for stage 2"]
    findings:
      - {id: S1-2027-C1, clause: "7.5.3", grade: concern, statement: "Document version control is manual",
         requirement: "Documents are to be version-controlled"}
"""


def test_stage1_report_records_areas_of_concern_and_says_it_transcribes_the_bodys_report(sample_copy, tmp_path):
    path = sample_copy("en")
    add_audit(path, STAGE1)
    build(load_project(path), ["audit-report"], audit="S1-2027", out_dir=tmp_path)
    text = docx_text(tmp_path / "audit-report-S1-2027.docx")
    assert "Grade: Area of concern, Observation, Opportunity for improvement, Strength." in text
    assert "Major NC" not in text
    assert ("This document transcribes the report of the audit conducted by Northern Certification Ltd; the body's "
            "signed report is authoritative.") in text
    rows = next(t for t in docx_tables(tmp_path / "audit-report-S1-2027.docx") if t[0][0] == "ID" and "Grade" in t[0])
    assert rows[1][1:5] == ["7.5.3", "Documents are to be version-controlled", "", "Area of concern"]


def test_edition_default_and_withdrawn_warning(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "p")]).exit_code == 0
    assert 'framework: "iso20000-1:2018"' in (tmp_path / "p" / "projet.yaml").read_text(encoding="utf-8")
    fresh = runner.invoke(cli, ["validate", str(tmp_path / "p" / "projet.yaml")])
    assert "withdrawn" not in fresh.stderr and "retirée" not in fresh.stderr
    old = runner.invoke(cli, ["validate", str(SAMPLE_FR)])
    assert old.exit_code == 0 and old.stderr.startswith("attention : ISO/CEI 20000-1:2005 : édition retirée")
    built = runner.invoke(cli, ["build", str(SAMPLE_FR), "questionnaire", "-o", str(tmp_path / "o")])
    assert built.exit_code == 0 and "attention : ISO/CEI 20000-1:2005 : édition retirée" in built.stderr
    assert built.stderr.count("retirée") == 1


def test_action_plan_prints_key_columns_first_at_a_readable_size(tmp_path):
    from kitgen.forms.action_plan import COLUMNS, PRINT_SCALE

    build(load_project(SAMPLE_FR), ["action-plan"], out_dir=tmp_path)
    wb = load_workbook(tmp_path / "action-plan.xlsx")
    ws = wb["Actions"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    assert ws.print_title_cols == "$A:$B" and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert 11 * PRINT_SCALE / 100 >= 8   # 11-point text printed at this scale stays at or above 8 points
    header = [c.value for c in ws[1]]
    key = [fr for _, fr, _, _, printed in COLUMNS if printed]
    assert header[:len(key)] == key
    summary = wb["Synthèse"]
    assert summary.sheet_properties.pageSetUpPr.fitToPage and summary.page_setup.fitToHeight == 1
    assert summary._charts and summary.print_area


def _header_words(path: Path) -> set[str]:
    """The words of every table header row (rows marked to repeat on each page)."""
    from docx.oxml.ns import qn

    words = set()
    for table in Document(str(path)).tables:
        if not table.rows or table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
            continue
        for cell in table.rows[0].cells:
            words |= {w for w in re.findall(r"[\w'’-]+", cell.text) if len(w) >= 4}
    return words


@needs_soffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_header_words_come_out_whole_on_the_printed_page(printed_samples, lang):
    result = printed_samples[lang]   # every form of the sample, built with pdf=True
    for docx in [p for p in result.written if p.name.startswith(("audit-report", "questionnaire"))]:
        pdf = docx.with_suffix(".pdf")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        printed = set(re.findall(r"[\w'’-]+", text))
        broken = sorted(w for w in _header_words(docx) if w not in printed)
        assert broken == [], (docx.name, broken)
