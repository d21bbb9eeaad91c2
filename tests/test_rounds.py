"""Rounds: the same forms harvested again and again — corrected copies, next week's plan, two people's copies, a
folder of old and new copies, rows deleted on either side, a forged base, another audit's rows, rebuilding after
a harvest, and a build killed at any moment."""
from __future__ import annotations

import os
import shutil
import signal
import traceback
import zipfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from kitgen.cli.commands import cli
from kitgen.errors import OverwriteRefused
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project, save_project

from .helpers import (
    add_finding_row,
    add_report_row,
    added,
    at,
    edit_plan,
    findings_table,
    libreoffice_resave,
    needs_soffice,
    set_modified,
)


def edit_report_row(src: Path, dst: Path, match: str, statement: str) -> Path:
    """The auditor corrects the statement of the row whose statement contains `match`."""
    doc = Document(str(src))
    t = findings_table(doc)
    column = [c.text for c in t.rows[0].cells].index("Constat")
    row = next(r for r in t.rows if match in r.cells[column].text)
    row.cells[column].text = statement
    doc.save(str(dst))
    return dst


def p(path: Path):
    return load_project(path).project


def find(project, fid):
    return next(f for _, f in project.all_findings() if f.id == fid)


def act(project, aid):
    return next(a for a in project.all_actions() if a.id == aid)


@pytest.fixture
def fr(sample_copy):
    project = sample_copy("fr")
    out = project.parent / "out"
    build(load_project(project), ["audit-report", "action-plan"], out_dir=out)
    return project, out


def test_corrected_copy_of_a_report_updates_the_added_finding(fr, tmp_path):
    project, out = fr
    report = out / "audit-report-AUD-2026-01.docx"
    v1 = add_report_row(report, tmp_path / "v1.docx", "Les mots de passe adminstrateur ne sont pas renouvelés.")
    first = harvest(load_project(project), [v1])
    assert added(first) == ["finding AUD-2026-01-F6"]
    v2 = edit_report_row(v1, tmp_path / "v2.docx", "adminstrateur", "Les mots de passe administrateur ne sont jamais "
                                                                      "renouvelés.")
    second = harvest(load_project(project), [v2])
    assert second.added == [] and second.conflicts == []
    assert [c.target for c in second.changes] == ["AUD-2026-01-F6.statement"]
    findings = p(project).audit("AUD-2026-01").findings
    assert [f.id for f in findings].count("AUD-2026-01-F6") == 1 and len(findings) == 6
    assert find(p(project), "AUD-2026-01-F6").statement.endswith("jamais renouvelés.")
    # the RGS rewords it in the project file; the same report harvested again changes nothing, adds nothing
    pf = load_project(project)
    pf.doc["audits"][0]["findings"][5]["statement"] = "Mots de passe administrateur jamais renouvelés (serveurs)."
    save_project(pf)
    before = project.read_bytes()
    third = harvest(load_project(project), [v2, v1])
    assert (third.added, third.changes, third.conflicts, third.written) == ([], [], [], False)
    assert project.read_bytes() == before


def test_added_action_row_keeps_its_id_and_takes_later_edits(fr, tmp_path):
    project, out = fr
    plan = out / "action-plan.xlsx"
    week1 = edit_plan(plan, tmp_path / "w1.xlsx", {}, [{"Constat": "AUD-2026-01-F3", "Action corrective":
                                                       "Formaliser l'évaluation annuelle", "Responsable": "Camille Martin",
                                                       "Échéance": "31/01/2027", "Statut": "Ouverte"}])
    [note] = harvest(load_project(project), [week1]).added
    assert (note.args["kind"], note.args["id"], note.args["parent"]) == ("action", "CA-6", "AUD-2026-01-F3")
    assert str(note).endswith(": new action CA-6 for AUD-2026-01-F3: Formaliser l'évaluation annuelle")
    # next week, the same row (still without an id) is in progress, then done with its closing date
    week2 = edit_plan(week1, tmp_path / "w2.xlsx", {}, [])
    _set_row(week2, "Formaliser l'évaluation annuelle", {"Statut": "En cours"})
    second = harvest(load_project(project), [week2])
    assert second.added == [] and [c.target for c in second.changes] == ["CA-6.status"]
    week3 = edit_plan(week2, tmp_path / "w3.xlsx", {}, [])
    _set_row(week3, "Formaliser l'évaluation annuelle", {"Statut": "Réalisée", "Date de clôture": "2026-12-20"})
    third = harvest(load_project(project), [week3])
    assert third.conflicts == [] and {c.target for c in third.changes} == {"CA-6.status", "CA-6.closed"}
    ca6 = act(p(project), "CA-6")
    assert (ca6.status, ca6.closed) == ("done", date(2026, 12, 20))
    assert len(find(p(project), "AUD-2026-01-F3").actions) == 1


def _set_row(path: Path, text: str, values: dict[str, object]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Actions"]
    header = {c.value: c.column for c in ws[1]}
    row = next(r for r in ws.iter_rows(min_row=2) if any(c.value == text for c in r))
    for name, value in values.items():
        row[header[name] - 1].value = value
    wb.save(path)


def test_same_plan_next_week_takes_status_and_date_together(fr, tmp_path):
    project, out = fr
    plan = out / "action-plan.xlsx"
    monday = edit_plan(plan, tmp_path / "plan.xlsx", {"CA-3": {"Statut": "En cours"}})
    harvest(load_project(project), [monday])
    edit_plan(monday, monday, {"CA-3": {"Statut": "Réalisée", "Date de clôture": "2026-12-08"}})
    again = harvest(load_project(project), [monday])
    assert again.conflicts == []
    ca3 = act(p(project), "CA-3")
    assert (ca3.status, ca3.closed) == ("done", date(2026, 12, 8))


def _two_copies(out: Path, folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    older = edit_plan(out / "action-plan.xlsx", folder / "z-plan-monday.xlsx", {"CA-3": {"Statut": "Réalisée",
                                                                                        "Date de clôture": "2026-12-01"}})
    newer = edit_plan(out / "action-plan.xlsx", folder / "a-plan-friday.xlsx", {"CA-3": {
        "Statut": "Vérifiée", "Date de clôture": "2026-12-01", "Efficacité vérifiée le": "2026-12-04",
        "Vérifiée par": "Nadia Benali", "Résultat de la vérification": "Revue a posteriori au CAB constatée"}})
    return set_modified(older, at(1)), set_modified(newer, at(4))


def test_folder_of_copies_applies_oldest_first_and_never_rolls_back(fr, tmp_path):
    project, out = fr
    older, newer = _two_copies(out, tmp_path / "copies")
    runner = CliRunner()
    plain = runner.invoke(cli, ["harvest", str(project), str(tmp_path / "copies")])
    assert plain.exit_code == 4, plain.output
    assert "conflit CA-3.status+closed (a-plan-friday.xlsx)" in plain.output and "z-plan-monday.xlsx a fixé" in plain.output
    assert act(p(project), "CA-3").status == "done"   # the older copy's value, the newer one's conflicting with it
    preferred = runner.invoke(cli, ["harvest", str(project), str(tmp_path / "copies"), "--prefer", "form"])
    assert preferred.exit_code == 0, preferred.output
    assert act(p(project), "CA-3").status == "verified"   # the newest wins, whatever the file names
    # harvested again, the copies change nothing
    again = runner.invoke(cli, ["harvest", str(project), str(older), str(newer), "--prefer", "form"])
    assert again.exit_code == 0 and "rien à changer" in again.output, again.output
    # a copy from Tuesday that nobody harvested, later, even preferring forms: never rolls back Friday's value
    tuesday = set_modified(edit_plan(out / "action-plan.xlsx", tmp_path / "tuesday.xlsx",
                                     {"CA-3": {"Statut": "En cours"}}), at(2))
    late = runner.invoke(cli, ["harvest", str(project), str(tuesday), "--prefer", "form"])
    assert late.exit_code == 0 and "copie plus ancienne : tuesday.xlsx: CA-3.status+closed : in-progress non " \
        "repris (copie enregistrée le 2026-12-02 09:00 UTC) ; a-plan-friday.xlsx (enregistrée le 2026-12-04 09:00 " \
        "UTC), une copie plus récente, a fixé verified, 2026-12-01, qui reste" in " ".join(late.output.split()), \
        late.output
    assert act(p(project), "CA-3").status == "verified"


def test_two_peoples_copies_both_count(fr, tmp_path):
    project, out = fr
    anne = set_modified(edit_plan(out / "action-plan.xlsx", tmp_path / "anne.xlsx",
                                  {"CA-3": {"Statut": "En cours"}}), at(2))
    bob = set_modified(edit_plan(out / "action-plan.xlsx", tmp_path / "bob.xlsx",
                                 {"CA-5": {"Échéance": "2027-01-15"}}), at(3))
    report = harvest(load_project(project), [bob, anne])
    assert report.conflicts == []
    assert act(p(project), "CA-3").status == "in-progress" and act(p(project), "CA-5").due == date(2027, 1, 15)


def test_report_changes_only_its_own_audit(fr, tmp_path):
    project, out = fr
    pre = out / "audit-report-PRE-2026.docx"
    doc = Document(str(pre))  # a row pasted from another audit's report
    add_finding_row(doc, {"ID": "AUD-2026-01-F2", "Article": "9.2", "Gravité": "NC majeure",
                          "Constat": "Réécrit depuis le pré-audit"})
    doc.save(str(tmp_path / "pre.docx"))
    before = find(p(project), "AUD-2026-01-F2")
    report = harvest(load_project(project), [tmp_path / "pre.docx"])
    assert any("AUD-2026-01-F2 is a finding of AUD-2026-01" in str(note) for note in report.ignored), report.ignored
    assert find(p(project), "AUD-2026-01-F2") == before and report.added == []


def test_forged_base_is_no_base(fr, tmp_path):
    project, out = fr
    report = out / "audit-report-AUD-2026-01.docx"
    with zipfile.ZipFile(report) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    item = next(n for n in parts if n.startswith("customXml/item") and b"urn:kitgen:base" in parts[n])
    # someone rewrites the embedded base so that the form's value looks unchanged... and the project's changed
    parts[item] = parts[item].replace("Deux changements urgents".encode(), "Trois changements urgents".encode())
    with zipfile.ZipFile(tmp_path / "forged.docx", "w") as zf:
        for n, d in parts.items():
            zf.writestr(n, d)
    edit_report_row(tmp_path / "forged.docx", tmp_path / "forged.docx", "Deux changements",
                    "Trois changements urgents sur cinq n'ont pas été revus a posteriori par le CAB.")
    result = harvest(load_project(project), [tmp_path / "forged.docx"])
    assert result.untrusted and "merged as if it had none" in str(result.untrusted[0])
    assert [c.target for c in result.conflicts] == ["AUD-2026-01-F2.statement"]
    assert find(p(project), "AUD-2026-01-F2").statement.startswith("Deux changements")


def test_rows_deleted_on_either_side_are_one_line_each(fr, tmp_path):
    project, out = fr
    from openpyxl import load_workbook

    wb = load_workbook(out / "action-plan.xlsx")
    ws = wb["Actions"]
    col = next(c.column for c in ws[1] if c.value == "Action")
    ws.delete_rows(next(r[0].row for r in ws.iter_rows(min_row=2) if r[col - 1].value == "CA-4"))
    wb.save(tmp_path / "plan.xlsx")
    pf = load_project(project)   # meanwhile, CA-5 (and its finding) are deleted from the project file
    del pf.doc["audits"][1]["findings"][0]
    save_project(pf)
    result = harvest(load_project(project), [tmp_path / "plan.xlsx"])
    assert result.errors == []
    assert [str(note) for note in result.deleted] == ["plan.xlsx: CA-4 is no longer in the form; kept in the project"]
    assert sorted(map(str, result.gone)) == [
        "plan.xlsx: CA-5 is no longer in the project; its row in the form is ignored",
        "plan.xlsx: PRE-2026-F1 is no longer in the project; its row in the form is ignored"]
    assert act(p(project), "CA-4").status == "open"


def test_rebuild_after_harvest_needs_no_force_unless_conflicts_are_left(fr, tmp_path):
    project, out = fr
    plan = out / "action-plan.xlsx"
    edit_plan(plan, plan, {"CA-3": {"Statut": "En cours"}})
    with pytest.raises(OverwriteRefused):
        build(load_project(project), ["action-plan"], out_dir=out)   # not harvested yet
    harvest(load_project(project), [plan])
    result = build(load_project(project), ["action-plan"], out_dir=out)   # its edits are in: rebuilt, no backup
    assert result.written == [plan] and result.backups == []
    # a conflict left unresolved: the form's value is not in the project, so build refuses again
    edit_plan(plan, plan, {"CA-5": {"Statut": "Réalisée"}})
    pf = load_project(project)
    pf.doc["audits"][1]["findings"][0]["actions"][0]["status"] = "cancelled"
    save_project(pf)
    assert harvest(load_project(project), [plan]).conflicts_left
    with pytest.raises(OverwriteRefused):
        build(load_project(project), ["action-plan"], out_dir=out)


def test_cli_exit_codes(fr, tmp_path):
    project, out = fr
    plan = out / "action-plan.xlsx"
    edit_plan(plan, plan, {"CA-5": {"Statut": "Réalisée"}})
    pf = load_project(project)
    pf.doc["audits"][1]["findings"][0]["actions"][0]["status"] = "cancelled"
    save_project(pf)
    runner = CliRunner()
    left = runner.invoke(cli, ["harvest", str(project), str(plan)])
    assert left.exit_code == 4 and "1 conflit restant" in left.output
    taken = runner.invoke(cli, ["harvest", str(project), str(plan), "--prefer", "form"])
    assert taken.exit_code == 0


def build_killed_at(project: Path, out: Path, kill_at: int) -> tuple[int, int | None]:
    """Build KILLED_FORMS of `project` into `out` in a forked process that kill -9s itself inside its `kill_at`-th
    atomic write (its temporary file written, not yet renamed into place), 0 for no kill: (wait status, how many
    atomic writes the build made, when it lived to say). A fork of this process, not a new interpreter: the same
    kill, without importing kitgen again for each one."""
    from kitgen.infra import safefs

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read)
            real, calls = safefs.atomic_file, []

            @contextmanager
            def dying(path, **kw):
                calls.append(path)
                with real(path, **kw) as f:
                    yield f
                    if len(calls) == kill_at:
                        f.flush()
                        os.kill(os.getpid(), signal.SIGKILL)

            safefs.atomic_file = dying
            build(load_project(project), list(KILLED_FORMS), out_dir=out)
            os.write(write, str(len(calls)).encode())
            code = 0
        except BaseException:  # noqa: BLE001 — shown in the test's captured stderr, the exit code says it failed
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        said = pipe.read()
    _, status = os.waitpid(pid, 0)
    return status, int(said) if said else None


# forms of each file type and of each kind (one file per project, two per review): small, so each killed run is short
KILLED_FORMS = ("action-plan", "management-review")


@pytest.mark.slow
def test_build_killed_at_any_moment_never_blocks_the_next(sample_copy):
    """kill -9 inside each of a build's writes in turn (the state remembered under the lock, each ledger entry, each
    file), replacing a first build's files: the next build never refuses kitgen's own output."""
    project = sample_copy("en")
    out = project.parent / "out"
    first = build(load_project(project), list(KILLED_FORMS), out_dir=out)   # later builds replace its files

    status, writes = build_killed_at(project, out, 0)   # no kill: how many atomic writes a build makes
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and writes is not None, status
    assert writes > 2 * len(first.written), writes   # the state, then a ledger entry and the file for each file
    for kill_at in range(1, writes + 1):
        status, _ = build_killed_at(project, out, kill_at)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (kill_at, status)
        # each kill left its temporary file behind, as kill -9 does (and they stay: a later build never minds them)
        assert len(list(project.parent.rglob(".*.tmp"))) == kill_at, kill_at
        result = build(load_project(project), list(KILLED_FORMS), out_dir=out)   # never refuses kitgen's own output
        assert result.backups == [] and len(result.written) == len(first.written), kill_at


@needs_soffice
def test_libreoffice_copies_across_rounds(fr, tmp_path):
    project, out = fr
    v1 = add_report_row(out / "audit-report-AUD-2026-01.docx", tmp_path / "v1.docx", "Sauvegardes non testées.")
    lo1 = libreoffice_resave(v1, tmp_path / "lo1")
    harvest(load_project(project), [lo1])
    v2 = edit_report_row(lo1, tmp_path / "v2.docx", "Sauvegardes", "Sauvegardes jamais testées depuis 2025.")
    lo2 = libreoffice_resave(v2, tmp_path / "lo2")
    result = harvest(load_project(project), [lo2, lo1])
    assert result.added == [] and result.conflicts == [], (result.added, result.conflicts)
    assert find(p(project), "AUD-2026-01-F6").statement == "Sauvegardes jamais testées depuis 2025."
    assert len(p(project).audit("AUD-2026-01").findings) == 6
    shutil.rmtree(tmp_path / "lo1")
