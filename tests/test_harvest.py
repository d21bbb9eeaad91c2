"""Harvest: round trips through python-docx/openpyxl edits and LibreOffice re-saves, every merge case, safety."""
from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project, save_project
from kitgen.project.state import state_path

from .helpers import add_finding_row, edit_plan, fill_row, findings_table, libreoffice_resave_all, needs_soffice


def built(project_path: Path, *forms: str) -> Path:
    out = project_path.parent / "out"
    build(load_project(project_path), list(forms), out_dir=out)
    return out


def docx_table(doc, header_cell: str):
    return next(t for t in doc.tables if any(c.text == header_cell for c in t.rows[0].cells))


def fill_report(path: Path) -> None:
    """What an auditor does in Word: edit a finding, regrade one, add one in a blank row, write the conclusion."""
    doc = Document(str(path))
    t = findings_table(doc)
    rows = {r.cells[0].text: r for r in t.rows}
    fill_row(t, rows["AUD-2026-01-F2"], {"Constat": "Trois changements urgents sur cinq n'ont pas été revus par le CAB."})
    fill_row(t, rows["AUD-2026-01-F3"], {"Gravité": "nc mineure"})
    add_finding_row(doc, {"Article": "6.6", "Processus": "Gestion de la sécurité de l'information",
                          "Gravité": "Point sensible", "Constat": "Les mots de passe administrateur ne sont pas renouvelés.",
                          "Preuves objectives": "Entretien J. Leroy"})
    concl = docx_table(doc, "Contenu")
    next(r for r in concl.rows if r.cells[0].text == "Conclusion de l'audit").cells[1].text = "ITSMS conforme sous réserve."
    doc.save(str(path))


def fill_plan(path: Path) -> None:
    """What a process owner does in Excel: close an action, type a date as text, add an action for a finding."""
    edit_plan(path, path, {"CA-3": {"Statut": "réalisée", "Date de clôture": "25 novembre 2026",
                                    "Preuve de mise en œuvre": "Ordre du jour du CAB du 24/11"}},
              [{"Constat": "AUD-2026-01-F3", "Action corrective": "Formaliser l'évaluation annuelle de DataRhône",
                "Responsable": "camille martin", "Échéance": "31/01/2027", "Statut": "Ouverte"}])


def finding(project, fid):
    return next(f for a in project.audits for f in a.findings if f.id == fid)


def action(project, aid):
    return next(x for a in project.audits for f in a.findings for x in f.actions if x.id == aid)


def check_report_merged(project_path: Path) -> None:
    p = load_project(project_path).project
    assert finding(p, "AUD-2026-01-F2").statement == "Trois changements urgents sur cinq n'ont pas été revus par le CAB."
    assert finding(p, "AUD-2026-01-F3").grade == "minor"
    new = finding(p, "AUD-2026-01-F6")
    assert (new.clause, new.process, new.grade, new.evidence) == ("6.6", "security", "observation", "Entretien J. Leroy")
    assert p.audit("AUD-2026-01").conclusion == "ITSMS conforme sous réserve."


def check_plan_merged(project_path: Path) -> None:
    p = load_project(project_path).project
    ca3 = action(p, "CA-3")
    assert (ca3.status, ca3.closed.isoformat(), ca3.evidence) == ("done", "2026-11-25", "Ordre du jour du CAB du 24/11")
    ca6 = action(p, "CA-6")
    assert (ca6.kind, ca6.owner, ca6.due.isoformat(), ca6.status) == ("corrective", "cmartin", "2027-01-31", "open")
    assert finding(p, "AUD-2026-01-F3").actions == [ca6]


def test_report_round_trip_and_idempotence(sample_copy):
    project = sample_copy("fr")
    out = built(project, "audit-report")
    fill_report(out / "audit-report-AUD-2026-01.docx")
    report = harvest(load_project(project), [out / "audit-report-AUD-2026-01.docx"])
    assert report.errors == [] and report.written
    check_report_merged(project)
    assert [(a.file, a.code, a.args["kind"], a.args["id"]) for a in report.added] == [
        ("audit-report-AUD-2026-01.docx", "added", "finding", "AUD-2026-01-F6")]
    before = project.read_bytes()
    again = harvest(load_project(project), [out / "audit-report-AUD-2026-01.docx"])
    assert (again.changes, again.added, again.conflicts, again.written) == ([], [], [], False)
    assert project.read_bytes() == before


def test_plan_round_trip_idempotence_and_one_line_diff(sample_copy):
    project = sample_copy("fr")
    out = built(project, "action-plan")
    wb = load_workbook(out / "action-plan.xlsx")
    ws = wb["Actions"]
    col = next(c.column for c in ws[1] if c.value == "Statut")
    next(r for r in ws.iter_rows(min_row=2) if r[1].value == "CA-5")[col - 1].value = "En cours"
    wb.save(out / "action-plan.xlsx")
    before = project.read_text(encoding="utf-8")
    harvest(load_project(project), [out / "action-plan.xlsx"])
    diff = [d for d in difflib.unified_diff(before.splitlines(), project.read_text(encoding="utf-8").splitlines(),
                                            lineterm="", n=0) if d[:1] in "+-" and d[:3] not in ("+++", "---")]
    assert diff == ["-            status: open", "+            status: in-progress"]
    fill_plan(out / "action-plan.xlsx")
    harvest(load_project(project), [out / "action-plan.xlsx"])
    check_plan_merged(project)
    snapshot = project.read_bytes()
    again = harvest(load_project(project), [out])  # a folder, this time
    assert (again.changes, again.added, again.written) == ([], [], False)
    assert project.read_bytes() == snapshot


def test_follow_up_verdicts_are_read(sample_copy):
    project = sample_copy("fr")
    out = built(project, "audit-report")
    path = out / "audit-report-PRE-2026.docx"
    doc = Document(str(path))
    t = docx_table(doc, "Avis de l'auditeur")
    rows = {r.cells[0].text: r for r in t.rows}
    fill_row(t, rows["AUD-2026-01-F2"], {"Avis de l'auditeur": "Soldé"})
    doc.save(str(path))
    harvest(load_project(project), [path])
    p = load_project(project).project
    assert [(fu.audit, fu.verdict) for fu in finding(p, "AUD-2026-01-F2").follow_ups] == [("PRE-2026", "closed")]
    assert [(fu.audit, fu.verdict) for fu in finding(p, "AUD-2026-01-F1").follow_ups] == [("PRE-2026", "in-progress")]


def test_word_style_runs_are_read(sample_copy):
    """Word splits text into runs with proofErr, bookmarks and rsids; the value is still read."""
    project = sample_copy("fr")
    out = built(project, "audit-report")
    path = out / "audit-report-AUD-2026-01.docx"
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts["word/document.xml"].decode()
    pattern = r"(<w:r>(?:(?!</w:r>).)*?<w:t[^>]*>)Point sensible / observation(</w:t></w:r>)"
    word_runs = ('<w:r w:rsidR="00A1B2C3"><w:t xml:space="preserve">NC </w:t></w:r><w:proofErr w:type="spellStart"/>'
                 '<w:bookmarkStart w:id="99" w:name="_GoBack"/><w:r w:rsidRPr="00D4E5F6"><w:rPr><w:b/></w:rPr><w:t>min</w:t>'
                 '</w:r><w:bookmarkEnd w:id="99"/><w:proofErr w:type="spellEnd"/><w:r><w:t>eure</w:t></w:r>')
    matches = list(re.finditer(pattern, xml, flags=re.S))
    assert len(matches) == 2  # the summary table, then the findings table
    m = matches[1]
    xml = xml[:m.start()] + m.group(1).rsplit("<w:r>", 1)[0] + word_runs + xml[m.end():]
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    harvest(load_project(project), [path])
    assert finding(load_project(project).project, "AUD-2026-01-F3").grade == "minor"


def test_merge_cases(sample_copy):
    project = sample_copy("fr")
    out = built(project, "action-plan")
    path = out / "action-plan.xlsx"
    wb = load_workbook(path)
    ws = wb["Actions"]
    h = {c.value: c.column - 1 for c in ws[1]}
    rows = {r[h["Action"]].value: r for r in ws.iter_rows(min_row=2) if r[h["Action"]].value}
    rows["CA-2"][h["Cause racine"]].value = "Plan rédigé sans calendrier"          # form only (the finding's)
    rows["CA-4"][h["Échéance"]].value = "2027-02-28"                                 # both, same value
    rows["CA-5"][h["Statut"]].value = "Réalisée"                                     # both, different: conflict
    ws.delete_rows(rows["CA-1"][0].row)                                              # deleted row
    wb.save(path)
    pf = load_project(project)                                                       # project-only edits
    acts = {a["id"]: a for au in pf.doc["audits"] for f in au["findings"] for a in f.get("actions", [])}
    acts["CA-3"]["description"] = "Revue a posteriori des changements urgents au CAB"
    import datetime
    acts["CA-4"]["due"] = datetime.date(2027, 2, 28)
    acts["CA-5"]["status"] = "in-progress"
    save_project(pf)
    report = harvest(load_project(project), [path])
    p = load_project(project).project
    assert finding(p, "AUD-2026-01-F1").root_cause == "Plan rédigé sans calendrier"
    assert action(p, "CA-3").description == "Revue a posteriori des changements urgents au CAB"
    assert action(p, "CA-4").due.isoformat() == "2027-02-28"
    assert action(p, "CA-5").status == "in-progress"
    [conflict] = report.conflicts
    assert (conflict.target, conflict.base, conflict.form, conflict.project, conflict.kept) == (
        "CA-5.status+closed", "open", "done", "in-progress", "project")
    assert [str(d) for d in report.deleted] == ["action-plan.xlsx: CA-1 is no longer in the form; kept in the project"]
    assert action(p, "CA-1").status == "verified"
    assert {c.target for c in report.changes} == {"AUD-2026-01-F1.root_cause"}
    preferred = harvest(load_project(project), [path], prefer="form")
    assert action(load_project(project).project, "CA-5").status == "done"
    assert preferred.conflicts[0].kept == "form"


def test_dry_run_writes_nothing(sample_copy):
    project = sample_copy("fr")
    out = built(project, "audit-report")
    fill_report(out / "audit-report-AUD-2026-01.docx")
    memory = state_path(project)
    before, remembered = project.read_bytes(), memory.read_bytes()
    report = harvest(load_project(project), [out / "audit-report-AUD-2026-01.docx"], dry_run=True)
    assert len(report.changes) == 3 and len(report.added) == 1 and not report.written
    assert project.read_bytes() == before and not project.with_name(project.name + ".bak").exists()
    assert memory.read_bytes() == remembered  # not even what a real harvest would remember


def test_bad_value_names_the_cell_and_other_files_still_merge(sample_copy):
    project = sample_copy("fr")
    out = built(project, "audit-report", "action-plan")
    wb = load_workbook(out / "action-plan.xlsx")
    ws = wb["Actions"]
    status = next(c.column_letter for c in ws[1] if c.value == "Statut")
    ws[f"{status}3"] = "fini"
    wb.save(out / "action-plan.xlsx")
    fill_report(out / "audit-report-AUD-2026-01.docx")
    result = CliRunner().invoke(cli, ["harvest", str(project), str(out / "action-plan.xlsx"),
                                      str(out / "audit-report-AUD-2026-01.docx")])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: action-plan.xlsx: Actions!{status}3: statut inconnu « fini » (rien n'a été "
                             "repris de ce fichier)\n")   # a French project
    check_report_merged(project)


def test_refused_files_leave_project_byte_identical(sample_copy, tmp_path):
    project = sample_copy("fr")
    other = sample_copy("en")
    out = built(project, "evaluation-form")
    other_out = built(other, "action-plan")
    plain = tmp_path / "plain.docx"
    Document().save(str(plain))
    (tmp_path / "fake.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    before = project.read_bytes()
    runner = CliRunner()
    cases = [   # a French project: said in French
        (other_out / "action-plan.xlsx", "un formulaire du projet 'harbourdesk', pas de 'boreale'"),
        (out / "evaluation-form.docx", "formulaire evaluation-form de kitgen ; harvest ne récolte que les "
                                       "formulaires remplis pour le projet ; utilisez kitgen feedback pour les fiches "
                                       "d'évaluation"),
        (plain, "pas un formulaire kitgen (aucune propriété kitgen) ; harvest ne récolte que les fichiers générés "
                "par kitgen"),
        (tmp_path / "fake.xlsx", None),   # said by the package reader (kitgen/ooxml)
    ]
    for path, reason in cases:
        result = runner.invoke(cli, ["harvest", str(project), str(path)])
        assert result.exit_code == 1
        if reason:
            assert result.stderr == f"Error: {path}: {reason}\n"
        else:
            assert result.stderr.startswith(f"Error: {path}: ") and ".xlsx" in result.stderr, result.stderr
        assert project.read_bytes() == before


@needs_soffice
def test_libreoffice_resaved_forms_harvest_like_word(sample_copy, tmp_path):
    project = sample_copy("fr")
    out = built(project, "audit-report", "action-plan")
    fill_report(out / "audit-report-AUD-2026-01.docx")
    fill_plan(out / "action-plan.xlsx")
    lo = tmp_path / "lo"
    resaved = libreoffice_resave_all([out / "audit-report-AUD-2026-01.docx", out / "action-plan.xlsx"], lo)
    report = harvest(load_project(project), resaved)
    assert report.errors == [], report.errors
    check_report_merged(project)
    check_plan_merged(project)
    snapshot = project.read_bytes()
    assert not harvest(load_project(project), resaved).written
    assert project.read_bytes() == snapshot


def test_the_callers_project_is_left_as_loaded(sample_copy):
    """harvest works on its own copy of the loaded project: the caller's object still describes the file as it was
    loaded (its model, data and text), for a real harvest that changes things as for a dry run."""
    import copy

    project = sample_copy("fr")
    out = built(project, "audit-report")
    fill_report(out / "audit-report-AUD-2026-01.docx")
    for dry_run in (True, False):
        pf = load_project(project)
        text, data, model = pf.text, copy.deepcopy(pf.data), repr(pf.project)
        report = harvest(pf, [out / "audit-report-AUD-2026-01.docx"], dry_run=dry_run)
        assert len(report.changes) == 3 and report.written is not dry_run
        assert (pf.text, pf.data, repr(pf.project)) == (text, data, model)
    assert load_project(project).text != text   # the file itself took the changes
