"""Templates: the sandbox stops hostile templates, `templates check` finds problems, export/--templates round trip."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from kitgen.cli.commands import cli
from kitgen.errors import TemplateError
from kitgen.jobs.build import build
from kitgen.jobs.template_check import check_templates
from kitgen.jobs.templates import export_templates, shipped_dir
from kitgen.project import load_project

from .conftest import SAMPLE_FR
from .helpers import docx_text


def word_template(folder: Path, *paragraphs: str, name: str = "audit-report.docx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(folder / name))
    return folder


HOSTILE = [
    ('{{ cycler.__init__.__globals__.os.popen("touch PWNED").read() }}', "refused by the template sandbox"),
    ("{{ ''.__class__.__mro__[1].__subclasses__()|length }}", "refused by the template sandbox"),
    ("{% for i in range(10**7) %}x{% endfor %}", "refused by the template sandbox"),
    ("{{ ('x' * 10**8)|length }}", "refused by the template sandbox"),
    ("{{ org.legal_name.__class__ }}", "refused by the template sandbox"),
]


@pytest.mark.parametrize("payload,message", HOSTILE)
def test_hostile_templates_refused_and_run_nothing(tmp_path, monkeypatch, payload, message):
    monkeypatch.chdir(tmp_path)
    folder = word_template(tmp_path / "tpl", payload)
    with pytest.raises(TemplateError, match=message) as info:
        build(load_project(SAMPLE_FR), ["audit-report"], out_dir=tmp_path / "out", templates=folder)
    assert "audit-report.docx" in str(info.value)
    assert not (tmp_path / "PWNED").exists()
    assert not list((tmp_path / "out").glob("*.docx"))


def test_unknown_variable_names_template_and_variable(tmp_path):
    folder = word_template(tmp_path / "tpl", "{{ audit.titel }}")
    with pytest.raises(TemplateError) as info:
        build(load_project(SAMPLE_FR), ["audit-report"], out_dir=tmp_path / "out", templates=folder)
    assert str(info.value) == ("audit-report.docx: unknown variable 'titel'; `kitgen templates vars FORM` lists the variables")


def test_user_template_used_and_missing_ones_fall_back(tmp_path):
    word_template(tmp_path / "tpl" / "fr", "Rapport maison pour {{ org.legal_name }} ({{ audit.dates }})")
    result = build(load_project(SAMPLE_FR), ["audit-report", "action-plan"], audit="AUD-2026-01",
                   out_dir=tmp_path / "out", templates=tmp_path / "tpl")
    assert "Rapport maison pour Infogérance Boréale SAS (6–7 octobre 2026)" in docx_text(tmp_path / "out" / "audit-report-AUD-2026-01.docx")
    assert (tmp_path / "out" / "action-plan.xlsx") in result.written  # shipped template


def test_exported_folder_is_accepted_as_is_and_checks_clean(tmp_path):
    written = export_templates(tmp_path / "mine")
    assert {p.relative_to(tmp_path / "mine").as_posix() for p in written} >= {"fr/audit-report.docx", "en/action-plan.xlsx"}
    checked, problems = check_templates(tmp_path / "mine")
    assert problems == [] and len(checked) == len(written)
    build(load_project(SAMPLE_FR), ["audit-report"], out_dir=tmp_path / "out", templates=tmp_path / "mine")
    with pytest.raises(TemplateError, match="already exists; export into an empty folder"):
        export_templates(tmp_path / "mine")


@pytest.mark.parametrize("text,expected", [
    ("{{ audit.titel }}", "unknown variable 'titel'; did you mean 'title'?"),
    ("{{ orga.legal_name }}", "unknown variable 'orga'; did you mean 'org'?"),
    ("{% if audit.id %}never closed", "template syntax error"),
    ("{%p if audit.id %} and {%p endif %}", "template syntax error"),
    ("{{ cycler.__init__.__globals__ }}", "refused by the template sandbox"),
])
def test_check_names_the_problem_and_the_file(tmp_path, text, expected):
    folder = word_template(tmp_path / "fr", text)
    checked, problems = check_templates(tmp_path)
    assert len(problems) == 1
    assert problems[0].file == str(folder / "audit-report.docx")  # the path given, not the template's bare name
    assert expected in problems[0].render()


def test_check_reports_unsafe_and_missing_columns(tmp_path):
    (tmp_path / "audit-report.docx").write_bytes(b"not a zip")
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["Finding ID", "Status"])
    wb.save(tmp_path / "action-plan.xlsx")
    _, found = check_templates(tmp_path)   # named as the header row names its own columns: in English
    problems = [str(p) for p in found]
    assert problems[0] == f"{tmp_path / 'action-plan.xlsx'}: missing columns in the first sheet's header row: " \
        "Action ID, Clause, Grade, Finding, Correction, Corrective action, Owner, Due date, Source, Raised on, " \
        "Objective evidence, Root cause, Extent (similar nonconformities), Implementation evidence, " \
        "Effectiveness checked on, Checked by, Effectiveness result, Closure date, Plan accepted on, 6-month limit, " \
        "Finding status, Flags"
    assert found[0].code == "template" and found[0].file == str(tmp_path / "action-plan.xlsx")
    assert problems[1] == f"{tmp_path / 'audit-report.docx'}: not a .docx file (not a zip package); save it as .docx and try again"


def test_cli_templates_check_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["templates", "check", str(shipped_dir())], env={"LC_ALL": None, "LC_MESSAGES": None,
                                                                             "LANG": None})
    assert ok.exit_code == 0 and "aucun problème" in ok.output  # the shipped templates check clean; no locale: French
    word_template(tmp_path / "fr", "{{ audit.titel }}")
    bad = runner.invoke(cli, ["templates", "check", str(tmp_path)])
    assert bad.exit_code == 1
    # no --lang, no locale in the test's environment: French
    assert bad.stderr.startswith(f"Error: {tmp_path / 'fr' / 'audit-report.docx'}: variable inconnue 'titel' ; "
                                 "vouliez-vous dire 'title' ?")
    # the language of the message, on one clean shipped template (the whole folder is checked by the first call)
    clean = tmp_path / "clean" / "fr"
    clean.mkdir(parents=True)
    (clean / "audit-report.docx").write_bytes((shipped_dir() / "fr" / "audit-report.docx").read_bytes())
    in_english = runner.invoke(cli, ["templates", "check", str(clean.parent)], env={"LC_ALL": "en_GB.UTF-8"})
    assert in_english.exit_code == 0 and "no problem found" in in_english.output  # the user's locale
    assert "no problem found" in runner.invoke(cli, ["templates", "check", str(clean.parent), "--lang", "en"]).output


def test_cli_build_and_refusal(tmp_path):
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(SAMPLE_FR), "action-plan", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == f"écrit : {out / 'action-plan.xlsx'}\n"
    (out / "action-plan.xlsx").write_bytes(b"edited")
    refused = runner.invoke(cli, ["build", str(SAMPLE_FR), "action-plan", "-o", str(out)])
    assert refused.exit_code == 1
    assert refused.stderr == (f"Error: {out / 'action-plan.xlsx'}: modifié depuis que kitgen l'a écrit ; récoltez-le "
                              "d'abord (harvest), ou reconstruisez avec --force (une copie de sauvegarde est gardée)\n")
    assert runner.invoke(cli, ["build", str(SAMPLE_FR), "--audit", "NOPE", "-o", str(out), "--lang", "en"]).stderr == (
        f"Error: {SAMPLE_FR}: no audit 'NOPE' (audits: AUD-2026-01, PRE-2026)\n")
    assert runner.invoke(cli, ["build", str(SAMPLE_FR), "memo"]).exit_code == 2


def test_shipped_word_templates_define_only_the_table_styles_they_use():
    """Every document filled from a template parses and zips its styles again: the templates carry no Word 2010
    copy of them and only the table styles their tables use (python-docx's blank document brings a hundred)."""
    import re
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    templates = sorted(shipped_dir().glob("*/*.docx"))
    assert templates
    for path in templates:
        with zipfile.ZipFile(path) as zf:
            assert "word/stylesWithEffects.xml" not in zf.namelist(), path
            used = {m.decode() for name in zf.namelist() if name.startswith("word/") and name != "word/styles.xml"
                    for m in re.findall(rb'<w:tblStyle w:val="([^"]+)"', zf.read(name))}
            styles = etree.fromstring(zf.read("word/styles.xml"))
        defined = {el.get(f"{w}styleId"): el for el in styles.iter(f"{w}style") if el.get(f"{w}type") == "table"}
        based_on = {el.find(f"{w}basedOn").get(f"{w}val") for sid, el in defined.items()
                    if sid in used and el.find(f"{w}basedOn") is not None}
        default = {sid for sid, el in defined.items() if el.get(f"{w}default") == "1"}
        assert used <= set(defined), path              # what the tables use is defined
        assert set(defined) <= used | based_on | default, (path, sorted(set(defined) - used - based_on - default))
