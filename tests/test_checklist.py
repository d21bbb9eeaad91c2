"""The internal auditor's checklist: one row per requirement clause of the edition (or of the audit's scope), what to
examine written from the project, filled as Word and LibreOffice write it, harvested into the audit's coverage and
findings, again and again; the coverage command; the form added through the registry alone."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn

from kitgen.cli.commands import cli
from kitgen.frameworks import FRAMEWORK_IDS, get_framework
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project

from .conftest import MINIMAL, ROOT, SAMPLE_EN, SAMPLE_FR
from .helpers import added, libreoffice_resave, lines, needs_soffice, read_tables

EXPECTED_ROWS = {"iso20000-1:2005": 25, "iso20000-1:2011": 39, "iso20000-1:2018": 57}


def checklist_table(path: Path) -> list[list[str]]:
    return next(t for t in read_tables(path) if t[0][:2] in (["Article", "Exigence"], ["Clause", "Requirement"]))


@pytest.mark.parametrize("framework", FRAMEWORK_IDS)
def test_one_row_per_requirement_clause(write, tmp_path, framework):
    fw = get_framework(framework)
    slug = next(iter(fw.processes))
    text = MINIMAL.replace('framework: "iso20000-1:2005"', f'framework: "{framework}"').replace(
        "  slm:\n", f"  {slug}:\n").replace('clause: "6.1"', f'clause: "{fw.processes[slug]}"')
    build(load_project(write(text)), ["audit-checklist"], out_dir=tmp_path)
    rows = checklist_table(tmp_path / "audit-checklist-A1.docx")
    assert rows[0] == ["Article", "Exigence", "À examiner", "Preuves recueillies", "Verdict", "Constat"]
    assert [r[0] for r in rows[1:]] == fw.requirements() and len(rows) - 1 == EXPECTED_ROWS[framework]
    assert all(r[1] == fw.clause_title(r[0], "fr") and r[2] for r in rows[1:])


def test_what_to_examine_comes_from_the_project(tmp_path):
    build(load_project(SAMPLE_EN), ["audit-checklist"], out_dir=tmp_path)
    rows = {r[0]: r for r in checklist_table(tmp_path / "audit-checklist-IA-2026.docx")[1:]}
    supplier = rows["8.3.4.1"][2]
    assert "Supplier management" in supplier and "owner Ben Okafor" in supplier
    # the evidence that existed when the audit ended (9 September): not the September and November records
    assert "Supplier evaluation 2026-07 (28 July 2026)" in supplier and "2026-09" not in supplier \
        and "2026-11" not in supplier
    from .helpers import docx_text
    assert "Evidence on record as of 9 September 2026 (the audit's end)." in docx_text(
        tmp_path / "audit-checklist-IA-2026.docx")
    assert "Chloe Wright (ISO/IEC 20000 Foundation" in rows["7.2"][2]
    assert rows["6.1"][4:] == ["Opportunity for improvement", "The risk register could record owners for each opportunity."]


def test_scope_limited_to_the_clauses_and_processes_named(sample_copy, tmp_path):
    path = sample_copy("en")
    text = path.read_text(encoding="utf-8")
    start = text.index("    # The verdict per clause")
    text = text[:start] + '    clauses: ["9.2", "8.5.1"]\n    processes: [incident]\n' + text[text.index("    findings:", start):]
    path.write_text(text, encoding="utf-8")
    build(load_project(path), ["audit-checklist"], out_dir=tmp_path)
    rows = checklist_table(tmp_path / "audit-checklist-IA-2026.docx")
    assert [r[0] for r in rows[1:]] == ["8.5.1.1", "8.5.1.2", "8.5.1.3", "8.6.1", "9.2"]


def set_verdicts(src: Path, dst: Path, rows: dict[str, tuple[str, str, str]], *, typed: bool = False) -> Path:
    """Fill rows as in Word: choose the verdict in the drop-down (or type it over), note evidence and finding."""
    doc = Document(str(src))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text in ("Article", "Clause"))
    for row in table.rows[1:]:
        clause = row.cells[0].text
        if clause not in rows:
            continue
        verdict, evidence, statement = rows[clause]
        row.cells[3].text = evidence
        row.cells[5].text = statement
        shown = row.cells[4]._tc.find(f".//{qn('w:sdtContent')}//{qn('w:t')}")
        if typed or shown is None:
            row.cells[4].text = verdict
        else:
            shown.text = verdict
    doc.save(str(dst))
    return dst


def test_an_untouched_checklist_changes_nothing(sample_copy):
    # its verdicts are prefilled from the findings already recorded: reading them back is no news
    path = sample_copy("fr")
    out = path.parent / "out"
    build(load_project(path), ["audit-checklist"], audit="AUD-2026-01", out_dir=out)
    before = path.read_bytes()
    report = harvest(load_project(path), [out / "audit-checklist-AUD-2026-01.docx"])
    assert report.changes == [] and report.added == [] and not report.written and path.read_bytes() == before


def test_harvest_into_coverage_and_findings_and_again(sample_copy, tmp_path):
    path = sample_copy("fr")
    out = path.parent / "out"
    build(load_project(path), ["audit-checklist"], audit="AUD-2026-01", out_dir=out)
    form = set_verdicts(out / "audit-checklist-AUD-2026-01.docx", tmp_path / "v1.docx", {
        "3.1": ("Conforme", "Revue de direction du 20 octobre", ""),
        "3.2": ("NC mineure", "Liste des documents", "La liste des documents maîtrisés n'est pas à jour."),
        "6.5": ("Piste de progrès", "Rapport de capacité", "Le rapport pourrait suivre les tendances."),
        "10.1": ("Non audité", "", ""),
    })
    first = harvest(load_project(path), [form])
    assert first.errors == [] and added(first) == ["finding AUD-2026-01-F6", "finding AUD-2026-01-F7"]
    p = load_project(path).project
    audit = p.audit("AUD-2026-01")
    assert {k: audit.verdict(k) for k in ("3.1", "3.2", "6.5", "10.1")} == {
        "3.1": "conform", "3.2": "minor", "6.5": "improvement", "10.1": "not-audited"}
    # the evidence of a conforming row goes with its verdict; a finding's with the finding
    assert audit.coverage["3.1"].evidence == "Revue de direction du 20 octobre" and audit.coverage["3.2"].evidence == ""
    f6 = next(f for f in audit.findings if f.id == "AUD-2026-01-F6")
    assert (f6.clause, f6.grade, f6.evidence) == ("3.2", "minor", "Liste des documents")
    f7 = next(f for f in audit.findings if f.id == "AUD-2026-01-F7")
    assert (f7.clause, f7.grade, f7.process) == ("6.5", "improvement", "capacity")
    before = path.read_bytes()
    assert not harvest(load_project(path), [form]).written and path.read_bytes() == before   # idempotent
    # a corrected copy: the finding is reworded, and a row is now conforming
    v2 = set_verdicts(form, tmp_path / "v2.docx", {
        "3.2": ("NC mineure", "Liste des documents", "La liste des documents maîtrisés date de 2025."),
        "6.5": ("Conforme", "Rapport de capacité", "")}, typed=True)
    second = harvest(load_project(path), [v2])
    assert second.added == [] and second.conflicts == [], (second.added, second.conflicts)
    p = load_project(path).project
    audit = p.audit("AUD-2026-01")
    assert len(audit.findings) == 7 and audit.coverage["6.5"].model_dump() == {"verdict": "conform",
                                                                                "evidence": "Rapport de capacité"}
    assert next(f for f in audit.findings if f.id == "AUD-2026-01-F6").statement.endswith("date de 2025.")
    # and a checklist rebuilt after the harvest shows what was recorded
    build(load_project(path), ["audit-checklist"], audit="AUD-2026-01", out_dir=out)
    rows = {r[0]: r for r in checklist_table(out / "audit-checklist-AUD-2026-01.docx")[1:]}
    assert rows["3.2"][4:] == ["NC mineure", "La liste des documents maîtrisés date de 2025."]
    assert rows["3.1"][3:5] == ["Revue de direction du 20 octobre", "Conforme"]


def test_unreadable_verdicts_name_their_row(sample_copy, tmp_path):
    path = sample_copy("fr")
    out = path.parent / "out"
    build(load_project(path), ["audit-checklist"], audit="AUD-2026-01", out_dir=out)
    bad = set_verdicts(out / "audit-checklist-AUD-2026-01.docx", tmp_path / "bad.docx", {
        "3.1": ("Bof", "", ""), "3.2": ("NC mineure", "", "")}, typed=True)
    report = harvest(load_project(path), [bad])
    assert 'unknown verdict "Bof"' in lines(report.errors)
    assert "a finding needs its statement" in lines(report.errors)


@needs_soffice
def test_libreoffice_checklist(sample_copy, tmp_path):
    path = sample_copy("en")
    out = path.parent / "out"
    build(load_project(path), ["audit-checklist"], out_dir=out)
    form = set_verdicts(out / "audit-checklist-IA-2026.docx", tmp_path / "c.docx", {
        "7.5.3": ("Minor NC", "Document register", "Two procedures have no version number.")})
    resaved = libreoffice_resave(form, tmp_path / "lo")
    report = harvest(load_project(path), [resaved])
    assert report.errors == [], report.errors
    audit = load_project(path).project.audit("IA-2026")
    assert audit.verdict("7.5.3") == "minor"
    assert [f.statement for f in audit.findings if f.clause == "7.5.3"] == ["Two procedures have no version number."]
    assert not harvest(load_project(path), [resaved]).written


def test_coverage_matrix_json(sample_copy):
    path = sample_copy("en")
    text = path.read_text(encoding="utf-8")
    assert "\naudits:" in text
    end = text.index("\nobjectives:")
    text = text[:end] + """
  - id: S1-2027
    kind: stage1
    start: 2027-01-12
    body: oca-cert
    lead_auditor: "Sam Reed"
    coverage: {"4.3": conform, "7.5.3": concern}
""" + text[end:]
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["coverage", str(path), "--format", "json", "--as-of", "2027-01-20"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [a["id"] for a in data["audits"]] == ["IA-2026", "S1-2027"] and data["cycle_start"] == "2027-01-12"
    rows = {c["clause"]: c for c in data["clauses"]}
    assert rows["8.3.4.1"]["audits"] == {"IA-2026": "minor", "S1-2027": ""}
    assert rows["7.5.3"]["audits"] == {"IA-2026": "conform", "S1-2027": "concern"}
    assert data["internal_gaps"] == [] and "4.3" not in data["cycle_gaps"] and "8.6.1" in data["cycle_gaps"]
    later = json.loads(CliRunner().invoke(cli, ["coverage", str(path), "--format", "json", "--as-of",
                                                "2027-10-01"]).output)
    assert len(later["internal_gaps"]) == 57   # the internal audit of September 2026 is more than a year old
    csv_out = CliRunner().invoke(cli, ["coverage", str(path), "--format", "csv", "--as-of", "2027-01-20"]).output
    assert csv_out.splitlines()[0] == "clause,title,IA-2026,S1-2027,internal_gap,cycle_gap"


def test_package_includes_the_checklists(tmp_path):
    import zipfile

    from kitgen.jobs.package import build_package

    with zipfile.ZipFile(build_package(load_project(SAMPLE_EN), tmp_path / "p.zip")) as zf:
        assert "audits/audit-checklist-IA-2026.docx" in zf.namelist()


def test_a_form_is_one_module_and_one_registry_line():
    """The verbs loop over the registry: no form id is named in build, harvest, package, templates or the CLI, and
    each form's id is in its own module and its registry line."""
    from kitgen.forms.registry import REGISTRY, FormLine, form_type

    verbs = ["jobs/build.py", "jobs/harvest.py", "jobs/package.py", "jobs/templates.py", "jobs/template_check.py",
             *(f"cli/{path.name}" for path in (ROOT / "kitgen" / "cli").glob("*.py"))]
    texts = {name: (ROOT / "kitgen" / name).read_text(encoding="utf-8") for name in verbs}
    registry = (ROOT / "kitgen" / "forms" / "registry.py").read_text(encoding="utf-8")
    for line in REGISTRY:
        assert [name for name, text in texts.items() if f'"{line.id}"' in text] == [], line.id
        module = (ROOT / "kitgen" / "forms" / f"{line.module}.py").read_text(encoding="utf-8")
        assert f'"{line.id}"' in module and f'FormLine("{line.id}"' in registry
        # the registry line says only what is known without importing the module; the rest (per …) is the FormType's
        assert Path(form_type(line.id).template).suffix == line.suffix, line.id
    assert "per" not in FormLine.__dataclass_fields__


def test_none_agrees_with_what_it_counts_in_french():
    """« Revues de direction : aucune », « Audits internes : aucun »: nothing on record, said as French says it."""
    from kitgen.forms.audit_checklist import what_to_examine

    project = load_project(SAMPLE_FR).project.model_copy(update={"management_reviews": [], "audits": []})
    fw = get_framework(project.framework)
    reviews = " ".join(what_to_examine(project, fw, fw.management_review, "fr").split())
    audits = " ".join(what_to_examine(project, fw, fw.internal_audit, "fr").split())
    assert "Revues de direction : aucune." in reviews.replace("\u00a0", " "), reviews
    assert "Audits internes : aucun." in audits.replace("\u00a0", " "), audits
    assert "Management reviews: none." in " ".join(what_to_examine(project, fw, fw.management_review, "en").split())
