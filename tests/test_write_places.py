"""Where kitgen writes, and with which mode: a read-only project folder (dry runs write nothing and lock nothing;
build into a writable folder works), errors naming the user's path (never kitgen's temporary file), every output
file 0644 less the umask, the package zip included."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import zipfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli

from .helpers import edit_plan, one_filled_form


@contextmanager
def read_only(folder: Path):
    """Make `folder` read-only for this process, root included: chmod a-w, and for root (who writes through
    permissions) the immutable attribute, which refuses new entries to everyone, as a read-only mount does."""
    os.chmod(folder, 0o555)
    immutable = False
    if os.geteuid() == 0:
        immutable = shutil.which("chattr") is not None and subprocess.run(
            ["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        if not immutable:
            os.chmod(folder, 0o755)
            pytest.skip("running as root without chattr +i: no way to make a folder read-only here")
    try:
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        os.chmod(folder, 0o755)


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time: what a run must leave as it was."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_read_only_project_folder(sample_copy, tmp_path, monkeypatch):
    project = sample_copy("fr")
    folder = project.parent
    out = tmp_path / "out"
    assert run("build", project, "action-plan", "-o", out).exit_code == 0
    done = {"CA-3": {"Statut": "Réalisée", "Date de clôture": date(2026, 11, 25)}}
    plan = edit_plan(out / "action-plan.xlsx", tmp_path / "plan.xlsx", done)
    (folder / "enregistrements" / "slm" / "slm-2026-12.csv").write_text("new record\n")
    for left in folder.glob(".*.lock"):
        left.unlink()
    before = listing(folder)
    monkeypatch.chdir(tmp_path)
    with read_only(folder):
        dry = run("harvest", project, plan, "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert "CA-3.status" in dry.stdout and "wrote" not in dry.stdout
        scan = run("scan", project, "--dry-run")
        assert scan.exit_code == 0, scan.output
        assert "enregistrements/slm/slm-2026-12.csv" in scan.stdout

        built = run("build", project, "-o", tmp_path / "again")
        assert built.exit_code == 0, built.output
        assert (tmp_path / "again" / "action-plan.xlsx").is_file()
        assert (f"attention : {project}: son dossier est en lecture seule, kitgen ne peut donc pas garder la trace des "
                "formulaires produits à partir de lui : récoltés plus tard, chaque valeur modifiée compterait comme un "
                "conflit ; produisez les formulaires à remplir à partir d'une copie modifiable\n") in built.stderr

        questionnaire = run("build", project, "questionnaire", "-o", tmp_path / "again")
        assert questionnaire.exit_code == 0 and "read-only" not in questionnaire.stderr  # no base to remember

        harvest = run("harvest", project, plan)  # writing is refused, in one line naming the project file
        assert harvest.exit_code == 1
        assert harvest.stderr == (f"Error: {project}: écriture impossible : son dossier n'est pas accessible en "
                                  "écriture ; rendez-le accessible en écriture, ou voyez les changements avec --dry-run\n")
        assert listing(folder) == before  # no lock, no state, no backup: nothing at all

    harvested = run("harvest", project, plan)  # writable again: the same form is taken
    assert harvested.exit_code == 0, harvested.output
    assert "status: done" in project.read_text(encoding="utf-8").split("id: CA-3")[1][:400]


@pytest.mark.parametrize("command", [["calendar", "-o", "{ro}/cal.ics"], ["package", "-o", "{ro}/p.zip"],
                                     ["build", "action-plan", "-o", "{ro}"], ["feedback", "{forms}", "-o", "{ro}/f.xlsx"]])
def test_an_unwritable_output_folder_is_named_never_a_temporary_file(sample_copy, tmp_path, command):
    project = sample_copy("en")
    ro = tmp_path / "ro"
    ro.mkdir()
    forms = one_filled_form(project, tmp_path / "forms")  # feedback with nothing counted is an error of its own
    args = [a.replace("{ro}", str(ro)).replace("{forms}", str(forms)) for a in command]
    args = args[:1] + ([] if args[0] == "feedback" else [str(project)]) + args[1:]
    with read_only(ro):
        result = run(*args)
    assert result.exit_code == 1, result.output
    assert ".tmp" not in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    target = ro if args[0] == "build" else Path(args[-1])
    assert result.stderr.startswith(f"Error: {target}: "), result.stderr
    assert list(ro.iterdir()) == []


def test_every_output_is_0644_less_the_umask_the_zip_included(sample_copy, tmp_path):
    project = sample_copy("en")
    previous = os.umask(0o022)
    try:
        for mask, expected in ((0o022, 0o644), (0o077, 0o600)):
            os.umask(mask)
            out = tmp_path / f"out-{mask:o}"
            assert run("build", project, "action-plan", "-o", out).exit_code == 0
            assert run("package", project, "-o", out / "p.zip").exit_code == 0
            assert run("calendar", project, "-o", out / "c.ics").exit_code == 0
            forms = one_filled_form(project, tmp_path / f"forms-{mask:o}")
            assert run("feedback", forms, "-o", out / "f.xlsx").exit_code == 0
            written = [p for p in out.iterdir() if p.is_file()]
            assert {p.name for p in written} >= {"action-plan.xlsx", "p.zip", "c.ics", "f.xlsx"}
            assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {p.name: expected for p in written}
            with zipfile.ZipFile(out / "p.zip") as zf:
                assert zf.testzip() is None
        os.umask(0o002)  # group-writable umask: still 0644, never more than kitgen's own rw-r--r--
        assert run("calendar", project, "-o", tmp_path / "c.ics").exit_code == 0
        assert stat.S_IMODE((tmp_path / "c.ics").stat().st_mode) == 0o644
    finally:
        os.umask(previous)
