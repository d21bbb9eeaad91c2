"""Readiness checks (each passing and failing), the calendar, and the documentation package."""
from __future__ import annotations

import hashlib
import json
import subprocess
import time
import zipfile
from datetime import date

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import load_workbook

from kitgen.cli import cli
from kitgen.errors import KitgenError
from kitgen.package import build_package
from kitgen.project import load_project
from kitgen.readiness import calendar_ics, readiness

from .conftest import SAMPLE_EN, SAMPLE_FR
from .helpers import docx_text


def statuses(project, as_of):
    return {c.id: c.status for c in readiness(project, as_of).checks}


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_sample_checks_as_of_dates():
    fr = load_project(SAMPLE_FR).project
    s = statuses(fr, date(2026, 11, 29))
    assert s["major-nc"] == "fail" and s["overdue-actions"] == "warn"
    assert all(s[k] == "pass" for k in ("scope", "policy", "processes", "records-history", "records-recent",
                                        "internal-audit", "management-review", "foundation", "minor-actions",
                                        "certification-body"))
    # the 3-month rule: on 2026-09-01 the first records (2026-06-28) are barely 2 months old
    early = statuses(fr, date(2026, 9, 1))
    assert early["records-history"] == "fail" and early["internal-audit"] == "fail" and early["management-review"] == "fail"
    assert readiness(load_project(SAMPLE_EN).project, date(2026, 11, 29)).ready


def test_each_failing_check():
    p = load_project(SAMPLE_EN).project
    p.scope.statement = " "
    p.management_system.documents = []
    del p.processes["catalogue"]
    p.processes["asset"].documents = []
    p.audits[0].report = None
    p.management_reviews = []
    p.people[2].certificates = []
    p.certification.body = None
    p.audits[0].findings[0].actions = []
    checks = {c.id: c for c in readiness(p, date(2026, 11, 29)).checks}
    assert checks["scope"].status == "fail" and checks["scope"].todo == "write the scope in scope.statement"
    assert checks["policy"].status == "fail"
    assert checks["processes"].status == "fail" and "not described: catalogue; no document: asset" in checks["processes"].message
    assert checks["internal-audit"].message == "internal audit IA-2026 has no report"
    assert checks["management-review"].status == "fail"
    assert (checks["foundation"].status, checks["certification-body"].status) == ("warn", "warn")
    assert checks["minor-actions"].message == "minor nonconformities without an owned, dated action: IA-2026-F1"
    assert not readiness(p, date(2026, 11, 29)).ready


def test_readiness_cli_exit_codes_and_json(tmp_path):
    runner = CliRunner()
    not_ready = runner.invoke(cli, ["readiness", str(SAMPLE_FR), "--as-of", "2026-11-29"])
    assert not_ready.exit_code == 3 and "NOT READY for certification as of 2026-11-29" in not_ready.output
    ready = runner.invoke(cli, ["readiness", str(SAMPLE_EN), "--as-of", "2026-11-29", "--format", "json"])
    assert ready.exit_code == 0
    data = json.loads(ready.output)
    assert data["ready"] is True and {c["id"] for c in data["checks"]} >= {"records-history", "major-nc"}
    assert runner.invoke(cli, ["readiness", str(tmp_path / "none.yaml")]).exit_code == 1
    assert runner.invoke(cli, ["readiness", str(SAMPLE_FR), "--as-of", "soon"]).exit_code == 2


def test_calendar_events(sample_copy):
    path = sample_copy("en")
    edit(path, "  audit_language: en\n", "  audit_language: en\n  decision: 2027-03-01\n")
    cal = Calendar.from_ical(calendar_ics(load_project(path).project))
    events = {str(e["uid"]): (e.decoded("dtstart"), str(e["summary"])) for e in cal.walk("VEVENT")}
    assert events["harbourdesk-surveillance-1@kitgen"][0] == date(2028, 3, 1)
    assert events["harbourdesk-surveillance-1@kitgen"][1].startswith("Surveillance audit 1 (at the latest")
    assert events["harbourdesk-surveillance-2@kitgen"][0] == date(2029, 3, 1)
    assert events["harbourdesk-recertification@kitgen"][0] == date(2029, 12, 1)
    assert events["harbourdesk-expiry@kitgen"][0] == date(2030, 3, 1)
    assert events["harbourdesk-stage1@kitgen"][0] == date(2027, 1, 12)
    fr = Calendar.from_ical(calendar_ics(load_project(SAMPLE_FR).project))
    due = {str(e["uid"]): e.decoded("dtstart") for e in fr.walk("VEVENT")}
    assert due["boreale-action-CA-3@kitgen"] == date(2026, 11, 15) and "boreale-action-CA-1@kitgen" not in due
    alarm = next(iter(fr.walk("VALARM")))
    assert alarm.decoded("trigger").days == -7


def test_majors_limit_event(sample_copy):
    path = sample_copy("fr")
    edit(path, "    kind: pre-audit\n", "    kind: stage2\n")
    edit(path, "        grade: minor\n        statement: \"Le plan de formation", "        grade: major\n        statement: \"Le plan de formation")
    cal = Calendar.from_ical(calendar_ics(load_project(path).project))
    events = {str(e["uid"]): e.decoded("dtstart") for e in cal.walk("VEVENT")}
    assert events["boreale-major-limit@kitgen"] == date(2027, 5, 17)


def test_calendar_cli(tmp_path):
    result = CliRunner().invoke(cli, ["calendar", str(SAMPLE_FR), "-o", str(tmp_path / "c.ics")])
    assert result.exit_code == 0 and result.output == f"wrote {tmp_path / 'c.ics'} (6 events)\n"
    assert Calendar.from_ical((tmp_path / "c.ics").read_bytes())["prodid"]


def test_package_layout_checksums_and_index(tmp_path):
    out = build_package(load_project(SAMPLE_FR), tmp_path / "p.zip")
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert names[-3:] == ["cover.docx", "index.xlsx", "SHA256SUMS"]
        assert "documents/slm/slm-procedure.md" in names and "records/incident/incident-2026-11.csv" in names
        assert "documents/sms/politique-gestion-services.md" in names
        assert "records/management-review/revue-direction-2026-09-15.md" in names
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
    assert str(info.value) == (
        f"{path}: cannot package 2 evidence file(s): documents/slm/slm-procedure.md (missing); "
        "enregistrements/change/change-2026-08.csv (missing); fix the paths in the project file (relative to its folder)")
    assert not (path.parent / "p.zip").exists()


@pytest.mark.parametrize("bad", ["../outside.md", "/etc/passwd", "link-out.md"])
def test_package_refuses_paths_leaving_the_project(sample_copy, bad):
    path = sample_copy("fr")
    (path.parent.parent / "outside.md").write_text("secret", encoding="utf-8")
    (path.parent / "link-out.md").symlink_to(path.parent.parent / "outside.md")
    edit(path, "path: documents/slm/slm-procedure.md", f"path: {bad}")
    with pytest.raises(KitgenError, match=f"{bad} \\(outside the project folder\\)"):
        build_package(load_project(path), path.parent / "p.zip")


def test_package_cli_default_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["package", str(SAMPLE_EN)])
    assert result.exit_code == 0 and result.output == "wrote output/package-harbourdesk-2026-11-10.zip\n"
