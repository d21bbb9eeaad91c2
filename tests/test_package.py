"""The documentation package: layout, checksums that `sha256sum -c` verifies, the index, the cover page in the
project's language, byte-identical output, and refusals."""
from __future__ import annotations

import hashlib
import subprocess
import time
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.errors import KitgenError
from kitgen.jobs.package import build_package
from kitgen.project import load_project

from .conftest import SAMPLE_EN, SAMPLE_FR
from .helpers import docx_text, edit


def test_package_layout_checksums_and_index(tmp_path):
    out = build_package(load_project(SAMPLE_FR), tmp_path / "p.zip")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert names[-3:] == ["cover.docx", "index.xlsx", "SHA256SUMS"]
        assert "documents/slm/slm-procedure.md" in names and "records/incident/incident-2026-11.csv" in names
        assert "documents/sms/politique-gestion-services.md" in names
        assert "records/management-reviews/revue-direction-2026-10-20.md" in names
        assert {"audits/audit-report-AUD-2026-01.docx", "audits/audit-report-PRE-2026.docx", "audits/action-plan.xlsx"} <= set(names)
        assert zf.getinfo("audits/action-plan.xlsx").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("documents/slm/slm-procedure.md").compress_type == zipfile.ZIP_DEFLATED
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
        zf.extractall(tmp_path / "x")
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "x", capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert check.stdout.count(": OK") == len(names) - 1
    ws = load_workbook(tmp_path / "x" / "index.xlsx")["Index"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    slm = rows["documents/slm/slm-procedure.md"]
    data = (SAMPLE_FR.parent / "documents/slm/slm-procedure.md").read_bytes()
    assert slm[1:4] == ("slm", "document", "Procédure de gestion des niveaux de service") and slm[5] == "1.0"
    assert (slm[6], slm[7]) == (len(data), hashlib.sha256(data).hexdigest())
    cover = docx_text(tmp_path / "x" / "cover.docx")
    assert "Infogérance Boréale SAS" in cover and "Pas encore prêt pour la certification" in cover
    assert "records/incident" in cover


def test_package_is_deterministic(tmp_path):
    first = build_package(load_project(SAMPLE_FR), tmp_path / "a.zip")
    time.sleep(1.1)  # a clock-dependent timestamp would now differ
    second = build_package(load_project(SAMPLE_FR), tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()


def test_package_missing_files_listed_at_once(sample_copy):
    path = sample_copy("fr")
    (path.parent / "documents/slm/slm-procedure.md").unlink()
    (path.parent / "enregistrements/change/change-2026-08.csv").unlink()
    with pytest.raises(KitgenError) as info:
        build_package(load_project(path), path.parent / "p.zip")
    # one problem per file, each naming where the project file lists it
    assert [(p.file, p.place, p.value, p.code) for p in info.value.problems] == [
        (str(path), "processes.slm.documents[0].path", "documents/slm/slm-procedure.md", "not-found"),
        (str(path), "processes.change.records[1].path", "enregistrements/change/change-2026-08.csv", "not-found")]
    assert str(info.value).splitlines()[0] == (
        f"{path}: processes.slm.documents[0].path: evidence file 'documents/slm/slm-procedure.md' not found; fix the "
        "path in the project file (relative to its folder)")
    assert not (path.parent / "p.zip").exists()


@pytest.mark.parametrize("bad", ["../outside.md", "/etc/passwd", "link-out.md"])
def test_package_refuses_paths_leaving_the_project(sample_copy, bad):
    path = sample_copy("fr")
    (path.parent.parent / "outside.md").write_text("secret", encoding="utf-8")
    (path.parent / "link-out.md").symlink_to(path.parent.parent / "outside.md")
    edit(path, "path: documents/slm/slm-procedure.md", f"path: {bad}")
    with pytest.raises(KitgenError, match=f"evidence file '{bad}' is outside the project folder") as info:
        build_package(load_project(path), path.parent / "p.zip")
    assert [(p.place, p.value, p.code) for p in info.value.problems] == [
        ("processes.slm.documents[0].path", bad, "outside-project")]


def test_package_cli_default_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["package", str(SAMPLE_EN)])
    assert result.exit_code == 0 and result.output == "wrote output/package-harbourdesk-2026-11-10.zip\n"
