"""The registers — risks and opportunities, documented information, the audit programme, other parties and suppliers:
built with the action plan's qualities, filled in LibreOffice Calc as people do (edits, rows added below the table, a
row deleted, French dates and words), harvested, harvested again, an older copy harvested, rebuilt."""
from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kitgen.errors import ProjectFileError
from kitgen.forms.registry import form_type
from kitgen.infra.text import plain
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.jobs.package import build_package
from kitgen.jobs.readiness import readiness
from kitgen.project import load_project
from kitgen.project.places import entry_ids, parse_place, place_key

from .conftest import MINIMAL
from .helpers import DAY, TODAY, at, edit, libreoffice_fill, lines, needs_soffice, set_modified, where, workbook_to_read

REGISTERS = ["risk-register", "document-register", "audit-programme", "supplier-register"]


@pytest.fixture
def fr(sample_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY)
    project = sample_copy("fr")
    out = project.parent / "out"
    build(load_project(project), REGISTERS, out_dir=out)
    return project, out


def table(path: Path, sheet: str) -> list[dict[str, object]]:
    """A sheet's rows as {header: value}, texts as a person reads them (no-break hyphens as hyphens)."""
    rows = list(workbook_to_read(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], (plain(v) if isinstance(v, str) else v for v in r))) for r in rows[1:]]


def row_of(path: Path, sheet: str, key: str, value: str) -> int:
    return int(where(path, sheet, key, value, key)[1:])


def below(path: Path, sheet: str, header: str, offset: int = 2) -> str:
    """A cell of column `header`, `offset` rows below the table (people leave a blank row or not)."""
    ws = workbook_to_read(path)[sheet]
    col = next(c.column_letter for c in ws[1] if c.value == header)
    return f"{col}{ws.max_row + offset}"


def p(path: Path):
    return load_project(path).project


# -- built ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_register_has_the_action_plans_qualities(sample_copy, monkeypatch, lang):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY)
    project = sample_copy(lang)
    out = project.parent / "out"
    build(load_project(project), REGISTERS, out_dir=out)
    org = p(project).organisation.legal_name.replace("&", "&&")
    for name in REGISTERS:
        wb = load_workbook(out / f"{name}.xlsx")
        ws = wb.worksheets[0]
        assert ws.tables and ws.freeze_panes and ws.max_row > 1, name
        [xl] = ws.tables.values()
        assert xl.ref.endswith(str(ws.max_row)) and xl.autoFilter is not None   # the table holds every row
        assert any("Listes" in dv.formula1 or "Lists" in dv.formula1 for dv in ws.data_validations.dataValidation)
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
        # the documents' frame on every printed sheet: title and organisation, then version, as-of date, page X of Y
        for framed in wb.worksheets:
            if framed.sheet_state != "visible" or framed.title in ("Listes", "Lists"):
                continue
            assert framed.oddHeader.right.text == org, (name, framed.title)
            assert framed.oddFooter.right.text == ("page &P sur &N" if lang == "fr" else "page &P of &N")
        page = form_type(name).page(p(project), None, lang)
        assert ws.oddHeader.left.text.replace("&&", "&") == page["title"]
        assert ("7 décembre 2026" if lang == "fr" else "7 December 2026") in ws.oddFooter.left.text
    risks = load_workbook(out / "risk-register.xlsx").worksheets[0]
    level = next(c.column for c in risks[1] if c.value in ("Niveau", "Level"))
    assert risks.cell(row=2, column=level).value.startswith("=IF(AND(ISNUMBER(E2),ISNUMBER(F2)),E2*F2")
    lists = load_workbook(out / "risk-register.xlsx")["Listes" if lang == "fr" else "Lists"]
    words = {c.value for row in lists.iter_rows() for c in row}
    assert ({"Traité", "Accepté", "Opportunité"} if lang == "fr" else {"Treated", "Accepted", "Opportunity"}) <= words
    # untouched, the registers change nothing
    report = harvest(load_project(project), [out / f"{name}.xlsx" for name in REGISTERS])
    assert (report.errors, report.changes, report.added, report.deleted, report.not_taken) == ([], [], [], [], [])


def test_registers_show_the_project(fr):
    project, out = fr
    risks = {r["Réf."]: r for r in table(out / "risk-register.xlsx", "Risques")}
    assert risks["R-3"]["Type"] == "Opportunité" and risks["R-3"]["Alertes"] == "Jamais revu"
    assert risks["R-1"]["Statut"] == "En cours" and risks["R-1"]["Responsable"] == "Julien Leroy"
    docs = {r["Référence (chemin)"]: r for r in table(out / "document-register.xlsx", "Documents")}
    assert len(docs) == sum(len(x.documents) + len(x.records) for x in [p(project).management_system,
                                                                        *p(project).processes.values()])
    policy = docs["documents/sms/politique-gestion-services.md"]
    assert (policy["Nature"], policy["Responsable"], policy["Revue tous les (mois)"]) == ("Document", "Camille Martin", 12)
    assert policy["Conservation"] == "3 ans" and policy["Prochaine revue"].date() == date(2027, 4, 20)
    suppliers = {r["Réf."]: r for r in table(out / "supplier-register.xlsx", "Fournisseurs")}
    assert set(suppliers) == {"f-grossiste", "ft-datacentre", "fca-exin"}   # no customer, no certification body
    assert suppliers["f-grossiste"]["Alertes"] == "Revue dépassée"
    assert suppliers["ft-datacentre"]["Processus opérés"] == "Gestion de la sécurité de l'information"
    assert suppliers["ft-datacentre"]["Constats"].startswith("AUD-2026-01-F3 (Point sensible")
    programme = {r["Réf."]: r for r in table(out / "audit-programme.xlsx", "Programme")}
    assert programme["AUD-2026-01"]["État"] == "Réalisé" and programme["AUD-2027-S"]["État"] == "Programmé"
    assert programme["internal-2027-10"]["État"] == "À programmer (calendrier)"   # a year after AUD-2026-01
    assert {r["État"] for k, r in programme.items() if k.startswith(("surveillance", "recertification"))} == \
        {"À programmer (calendrier)"}
    matrix = {r["Article"]: r for r in table(out / "audit-programme.xlsx", "Articles")}
    assert matrix["6.3"]["AUD-2027-S"] == "Prévu" and matrix["6.3"]["AUD-2026-01"] == "NC majeure"
    assert matrix["3.1"]["AUD-2027-S"] is None and matrix["3.1"]["stage2-2027-02"] == "Prévu"
    assert matrix["3.1"]["Écart du programme interne"].startswith("=IF(COUNTIF(")


# -- filled in LibreOffice Calc, round after round -------------------------------------------------------------------

@needs_soffice
def test_registers_filled_in_calc_across_rounds(fr, tmp_path):
    project, out = fr
    calc = tmp_path / "calc"
    calc.mkdir()
    files = {name: shutil.copy(out / f"{name}.xlsx", calc / f"{name}.xlsx") for name in REGISTERS}
    risks, docs, plan, suppliers = (Path(files[n]) for n in REGISTERS)
    slm_doc, gone_record = "documents/slm/slm-procedure.md", "enregistrements/slm/slm-2026-08.csv"
    internal = next(r["Réf."] for r in table(plan, "Programme") if str(r["Réf."]).startswith("internal-"))
    clause_row = {r["Article"]: i for i, r in enumerate(table(plan, "Articles"), start=2)}
    matrix_col = {c.value: c.column_letter for c in workbook_to_read(plan)["Articles"][1]}
    new_risk = below(risks, "Risques", "Type")[1:]
    new_doc = below(docs, "Documents", "Titre", offset=1)[1:]
    new_supplier = below(suppliers, "Fournisseurs", "Nom")[1:]
    new_audit = below(plan, "Programme", "Réf.", offset=1)[1:]
    edits = {
        risks: [("N", "Risques", where(risks, "Risques", "Réf.", "R-1", "Vraisemblance (1-5)"), 3),
                ("S", "Risques", where(risks, "Risques", "Réf.", "R-1", "Statut"), "Traité"),
                ("S", "Risques", where(risks, "Risques", "Réf.", "R-1", "Revu le"), "2 décembre 2026"),
                ("N", "Risques", where(risks, "Risques", "Réf.", "R-1", "Niveau"), 99),
                ("S", "Risques", f"B{new_risk}", "Opportunité"),
                ("S", "Risques", f"C{new_risk}", "Mutualiser l'astreinte avec un partenaire"),
                ("N", "Risques", f"E{new_risk}", 2), ("N", "Risques", f"F{new_risk}", 3),
                ("S", "Risques", f"I{new_risk}", "camille martin"),
                ("S", "Risques", f"J{new_risk}", "31/03/2027"), ("S", "Risques", f"K{new_risk}", "en cours"),
                ("D", "Risques", row_of(risks, "Risques", "Réf.", "R-2"))],
        docs: [("S", "Documents", where(docs, "Documents", "Référence (chemin)", slm_doc, "Version"), "1.10"),
               ("S", "Documents", where(docs, "Documents", "Référence (chemin)", slm_doc, "Responsable"), "Julien Leroy"),
               ("S", "Documents", where(docs, "Documents", "Référence (chemin)", slm_doc, "Revu le"),
                "le 1er décembre 2026"),
               ("S", "Documents", where(docs, "Documents", "Référence (chemin)", slm_doc, "Prochaine revue"),
                "2030-01-01"),
               ("S", "Documents", f"A{new_doc}", "enregistrements/sms/revue-fournisseurs-2026-12.md"),
               ("S", "Documents", f"B{new_doc}", "Revue des fournisseurs, décembre 2026"),
               ("S", "Documents", f"C{new_doc}", "enregistrement"), ("S", "Documents", f"D{new_doc}", "SMS"),
               ("S", "Documents", f"G{new_doc}", "5 déc. 2026"),
               ("D", "Documents", row_of(docs, "Documents", "Référence (chemin)", gone_record))],
        plan: [("S", "Programme", where(plan, "Programme", "Réf.", "AUD-2027-S", "Début"), "23 mars 2027"),
               ("S", "Programme", f"A{new_audit}", "AUD-2027-06"), ("S", "Programme", f"B{new_audit}", "audit interne"),
               ("S", "Programme", f"C{new_audit}", "15/06/2027"),
               ("S", "Programme", f"E{new_audit}", "Nadia Benali"),
               ("S", "Articles", f"{matrix_col['AUD-2027-S']}{clause_row['4.1']}", "x"),
               *[("S", "Articles", f"{matrix_col[internal]}{clause_row[c]}", "X") for c in ("3.1", "3.2", "4.1")],
               ("S", "Articles", f"{matrix_col['AUD-2026-01']}{clause_row['3.1']}", "Conforme"),
               ("D", "Programme", row_of(plan, "Programme", "Réf.", "AUD-2028-04"))],
        suppliers: [("S", "Fournisseurs", where(suppliers, "Fournisseurs", "Réf.", "ft-datacentre", "Dernière revue"),
                     "3 décembre 2026"),
                    ("S", "Fournisseurs", where(suppliers, "Fournisseurs", "Réf.", "ft-datacentre", "Constats"),
                     "aucun"),
                    ("S", "Fournisseurs", f"B{new_supplier}", "Alpes Télécom"),
                    ("S", "Fournisseurs", f"C{new_supplier}", "fournisseur"),
                    ("S", "Fournisseurs", f"D{new_supplier}", "Lien internet du site de Grenoble"),
                    ("S", "Fournisseurs", f"J{new_supplier}", "20/11/2026"),
                    ("D", "Fournisseurs", row_of(suppliers, "Fournisseurs", "Réf.", "f-grossiste"))],
    }
    libreoffice_fill(edits)   # one list of steps for the four files

    first = harvest(load_project(project), [risks, docs, plan, suppliers])
    assert first.errors == [] and first.conflicts == [], (first.errors, first.conflicts)
    now = p(project)
    r1 = next(r for r in now.risks if r.id == "R-1")
    assert (r1.likelihood, r1.status, r1.reviewed) == (3, "done", date(2026, 12, 2))
    added = next(r for r in now.risks if r.id == "R-4")
    assert (added.kind, added.owner, added.due, added.status, added.likelihood, added.impact) == \
        ("opportunity", "cmartin", date(2027, 3, 31), "in-progress", 2, 3)
    assert any(r.id == "R-2" for r in now.risks)   # deleted in the form, kept in the project
    slm = next(d for d in now.processes["slm"].documents if d.path == slm_doc)
    assert (slm.version, slm.owner, slm.reviewed) == ("1.10", "jleroy", date(2026, 12, 1))
    record = next(r for r in now.management_system.records if r.path.endswith("revue-fournisseurs-2026-12.md"))
    assert (record.title, record.date) == ("Revue des fournisseurs, décembre 2026", date(2026, 12, 5))
    assert any(r.path == gone_record for r in now.processes["slm"].records)
    datacentre = now.party("ft-datacentre")
    assert datacentre is not None and datacentre.reviewed == date(2026, 12, 3)
    alpes = now.party("alpes-telecom")
    assert alpes is not None and (alpes.kind, alpes.reviewed) == ("F", date(2026, 11, 20))
    assert now.party("f-grossiste") is not None
    programme = {e.id: e for e in now.programme}
    assert programme["AUD-2027-S"].start == date(2027, 3, 23)
    assert programme["AUD-2027-S"].clauses == ["3.3", "4.1", "6.3", "9.2"]
    assert (programme["AUD-2027-06"].kind, programme["AUD-2027-06"].start, programme["AUD-2027-06"].lead_auditor) == \
        ("internal", date(2027, 6, 15), "nbenali")
    assert programme[internal].clauses == ["3.1", "3.2", "4.1"]   # the suggestion, once planned, keeps its id
    assert "AUD-2028-04" in programme
    assert sorted(str(note).split(": ")[1] for note in first.deleted) == sorted(
        ["R-2 is no longer in the form; kept in the project", f"{gone_record} is no longer in the form; kept in the "
         "project", "AUD-2028-04 is no longer in the form; kept in the project",
         "f-grossiste is no longer in the form; kept in the project"])
    not_taken = lines(first.not_taken)
    for cell in ("Niveau '99'", "Prochaine revue '2030-01-01'", "Constats 'aucun'", "'Conforme'"):
        assert cell in not_taken, not_taken
    assert len(first.added) == 5, first.added   # a risk, a record, a supplier, two planned audits

    second = harvest(load_project(project), [risks, docs, plan, suppliers])
    assert (second.changes, second.added, second.conflicts, second.errors) == ([], [], [], [])

    # Monday's copies, harvested late: they never roll back what the copies saved since set
    monday = tmp_path / "monday"
    monday.mkdir()
    older = {name: Path(shutil.copy(out / f"{name}.xlsx", monday / f"{name}.xlsx")) for name in REGISTERS}
    for name, (sheet, key, value, header, typed) in {
            "risk-register": ("Risques", "Réf.", "R-1", "Statut", "Accepté"),
            "document-register": ("Documents", "Référence (chemin)", slm_doc, "Version", "0.9"),
            "audit-programme": ("Programme", "Réf.", "AUD-2027-S", "Début", "2027-04-01"),
            "supplier-register": ("Fournisseurs", "Réf.", "ft-datacentre", "Dernière revue", "2026-11-01")}.items():
        wb = load_workbook(older[name])
        wb[sheet][where(older[name], sheet, key, value, header)] = typed
        wb.save(older[name])
        set_modified(older[name], at(1))
    third = harvest(load_project(project), list(older.values()), prefer="form")
    assert third.changes == [] and len(third.older) == 4, third.older
    assert any("R-1.status" in str(note) for note in third.older)
    after = p(project)
    assert next(r for r in after.risks if r.id == "R-1").status == "done"
    assert next(d for d in after.processes["slm"].documents if d.path == slm_doc).version == "1.10"

    rebuilt = build(load_project(project), REGISTERS, out_dir=out)   # no --force: kitgen's own files
    assert len(rebuilt.written) == 4 and rebuilt.backups == []
    assert {"R-1", "R-2", "R-3", "R-4"} == {r["Réf."] for r in table(out / "risk-register.xlsx", "Risques")}
    states = {r["Réf."]: r["État"] for r in table(out / "audit-programme.xlsx", "Programme")}
    assert states["AUD-2027-06"] == states[internal] == "Programmé"
    assert "alpes-telecom" in {r["Réf."] for r in table(out / "supplier-register.xlsx", "Fournisseurs")}
    fourth = harvest(load_project(project), [out / f"{name}.xlsx" for name in REGISTERS] + [risks, docs, plan])
    assert (fourth.changes, fourth.added, fourth.conflicts, fourth.errors) == ([], [], [], [])


# -- what harvest refuses, reports or keeps --------------------------------------------------------------------------

def test_unreadable_values_are_refused_naming_their_cell(fr, tmp_path):
    project, out = fr
    before = project.read_text(encoding="utf-8")
    path = shutil.copy(out / "risk-register.xlsx", tmp_path / "r.xlsx")
    wb = load_workbook(path)
    ws = wb["Risques"]
    likelihood = where(path, "Risques", "Réf.", "R-1", "Vraisemblance (1-5)")
    ws[likelihood] = 7
    ws[where(path, "Risques", "Réf.", "R-3", "Revu le")] = "15 mars"
    ws[where(path, "Risques", "Réf.", "R-3", "Échéance")] = "=TODAY()+30"
    ws[where(path, "Risques", "Réf.", "R-1", "Statut")] = "Traité"
    wb.save(path)
    report = harvest(load_project(project), [path])
    errors = lines(report.errors)
    assert f"r.xlsx: Risques!{likelihood}: likelihood \"7\" is not a whole number from 1 to 5" in errors
    assert "no year in the date" in errors and "a formula where a value is expected" in errors
    assert errors.count("(nothing taken from this file)") == 1 and report.changes == []
    assert project.read_text(encoding="utf-8") == before


def test_the_default_shown_is_no_edit_and_an_id_is_written_once_taken(write, tmp_path):
    text = MINIMAL.replace("processes:\n", "risks:\n  - text: \"Panne du serveur\"\n  - text: \"Départ d'Ana\"\n"
                                           "processes:\n")
    text = text.replace("  slm:\n    owner: ana\n", "  slm:\n    owner: ana\n    documents:\n      - path: d/sla.md\n"
                                                   "        title: \"SLA\"\n        date: 2026-04-01\n")
    project = write(text)
    out = tmp_path / "out"
    build(load_project(project), ["risk-register", "document-register"], out_dir=out)
    docs = out / "document-register.xlsx"
    assert table(docs, "Documents")[0]["Responsable"] == "Ana"          # the process's owner, shown
    wb = load_workbook(docs)
    wb["Documents"][where(docs, "Documents", "Référence (chemin)", "d/sla.md", "Version")] = "1.0"
    wb.save(docs)
    risks = out / "risk-register.xlsx"
    wb = load_workbook(risks)
    wb["Risques"][where(risks, "Risques", "Réf.", "R-2", "Impact (1-5)")] = "4 — Majeur"
    wb.save(risks)
    report = harvest(load_project(project), [docs, risks])
    assert [(c.target, c.new) for c in report.changes] == [("d/sla.md.version", "1.0"), ("R-2.impact", "4")]
    saved = project.read_text(encoding="utf-8")
    assert "owner: ana\n        version" not in saved and "    owner: ana\n" in saved   # the default stays implicit
    assert [(r.id, r.impact) for r in p(project).risks] == [(None, None), ("R-2", 4)]   # its id, written once taken
    again = harvest(load_project(project), [docs, risks])
    assert again.changes == [] and again.added == []


def test_places_of_documents_keep_their_path():
    place = ("document", "slm", "documents/slm/a b/procédure v2.docx")
    assert parse_place(place_key(place)) == place
    assert parse_place("coverage/A1/6.1") == ("coverage", "A1", "6.1") and parse_place("risk/R-1") == ("risk", "R-1")
    assert entry_ids([None, "R-1", None], "R-") == ["R-1001", "R-1", "R-3"]


def test_a_path_listed_twice_is_located(write):
    text = MINIMAL.replace("  slm:\n    owner: ana\n", "  slm:\n    owner: ana\n    records:\n"
                           "      - {path: r/a.csv, title: A, date: 2026-04-01}\n"
                           "      - {path: r/a.csv, title: B, date: 2026-04-02}\n")
    with pytest.raises(ProjectFileError) as err:
        load_project(write(text))
    assert "projet.yaml:23:16: processes.slm.records[1].path: 'r/a.csv' is listed twice; remove one" in str(err.value)


# -- readiness and the package ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, checks", [
    ("    reviewed: 2026-10-14\n  - id: R-4", "  - id: R-4", {"risks"}),
    ('      version: "1.2"\n      kind: service-management-policy', '      kind: service-management-policy',
     {"document-control"}),
    ("    owner: dpatel\n    reviewed: 2026-10-20\n", "    owner: dpatel\n    reviewed: 2025-10-20\n",
     {"supplier-review"}),
    # the clause IA-2026 covered no longer is (the last 12 months' coverage fails too) …
    ('      "9.1": {verdict: conform, evidence: "Objectives measured monthly; service reports May to August"}\n', "",
     {"audit-coverage", "internal-programme"}),
])
def test_readiness_uses_the_registers(sample_copy, old, new, checks):
    path = sample_copy("en")
    edit(path, old, new)
    if "internal-programme" in checks:   # … and no internal audit of the programme plans it
        edit(path, "    notes: \"Yearly internal audit of the whole SMS", "    clauses: [\"4\", \"5\"]\n"
                                                                      "    notes: \"Yearly internal audit of the SMS")
    result = readiness(load_project(path).project, DAY)
    failed = {c.id: c for c in result.checks if c.status == "fail"}
    assert set(failed) == checks and not result.ready, failed
    if "internal-programme" in checks:
        assert failed["internal-programme"].message.endswith(": 9.1")


def test_package_includes_the_registers(sample_copy, tmp_path):
    project = sample_copy("en")
    zip_path = build_package(load_project(project), tmp_path / "package.zip")
    names = zipfile.ZipFile(zip_path).namelist()
    assert {f"audits/{name}.xlsx" for name in REGISTERS} <= set(names)
