"""The evidence inventory: `kitgen scan` adds what is in the process folders, with dates from names, document
properties or file times; idempotent; comments kept; typed entries untouched; gone and stray files reported;
links leaving the project and hostile files skipped with a reason."""
from __future__ import annotations

import json
import os
import re
import shutil
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import Workbook

import kitgen.jobs.scan as scan_module
from kitgen.cli.commands import cli
from kitgen.jobs.readiness import readiness
from kitgen.jobs.scan import date_in_name, readable_title, scan
from kitgen.ooxml import fileinfo
from kitgen.project import load_project


@pytest.mark.parametrize("name,expected", [
    ("revue-2026-06-28.pdf", date(2026, 6, 28)), ("revue_2026_06_28.pdf", date(2026, 6, 28)),
    ("export-20260628.csv", date(2026, 6, 28)), ("slm-2026-06.csv", date(2026, 6, 1)),
    ("slm_2026_06.csv", date(2026, 6, 1)), ("CR juin 2026.docx", date(2026, 6, 1)),
    ("minutes June 2026.docx", date(2026, 6, 1)), ("rapport-Décembre-2026.pdf", date(2026, 12, 1)),
    ("procedure-v2.md", None), ("2026-13-45-notes.txt", None),
])
def test_dates_in_file_names(name, expected):
    assert date_in_name(name) == expected


def test_titles_made_readable():
    assert readable_title("revue-sla_mensuelle-2026-06.pdf") == "Revue sla mensuelle 2026-06"


def empty_records(project: Path) -> None:
    text = project.read_text(encoding="utf-8")
    text = re.sub(r"    records:\n(      - path: [^\n]*\n        title: [^\n]*\n        date: [^\n]*\n)+", "    records: []\n",
                  text)
    project.write_text(text, encoding="utf-8")


def pdf(path: Path, title: str, created: str) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + os.urandom(2000)
                     + f"\n2 0 obj << /Title ({title}) /CreationDate (D:{created}120000Z) >> endobj\n".encode("latin-1")
                     + b"trailer << /Root 1 0 R /Info 2 0 R >>\n%%EOF\n")
    return path


@pytest.fixture
def tree(sample_copy):
    project = sample_copy("en")
    empty_records(project)
    records = project.parent / "records"
    doc = Document()
    doc.core_properties.title = "Major incident review"
    doc.core_properties.created = datetime(2026, 7, 3, 9, 0)
    doc.save(str(records / "incident" / "major-incident.docx"))
    wb = Workbook()
    wb.properties.title = "Capacity dashboard"
    wb.properties.created = datetime(2026, 8, 2, 10, 0)
    wb.save(records / "capacity" / "dashboard.xlsx")
    pdf(records / "change" / "cab.pdf", "CAB minutes (August)", "20260812")
    old = records / "problem" / "problem-register.txt"
    old.write_text("PRB-1", encoding="utf-8")
    stamp = time.mktime(datetime(2026, 9, 20, 12).timetuple())
    os.utime(old, (stamp, stamp))
    (records / "slm" / "sla-review_2026_10.csv").write_text("date;sla\n2026-10-31;met\n", encoding="utf-8")
    (records / "mystery").mkdir()
    (records / "mystery" / "orphan.pdf").write_bytes(b"%PDF-1.4 x")
    (records / "slm" / "broken.docx").write_bytes(b"not a zip at all")
    outside = project.parent.parent / "outside.txt"
    outside.write_text("secret", encoding="utf-8")
    (records / "slm" / "link.txt").symlink_to(outside)
    return project


def added(report) -> dict[str, dict]:
    return {f.entry["path"]: f.entry for f in report.added}


def lines(problems) -> list[str]:
    """A report's problems as the English lines they render to (the library's; the CLI translates)."""
    return [str(p) for p in problems]


def test_scan_adds_with_dates_titles_and_versions(tree):
    report = scan(load_project(tree))
    entries = added(report)
    assert entries["records/incident/major-incident.docx"] | {} == {
        "path": "records/incident/major-incident.docx", "title": "Major incident review", "date": date(2026, 7, 3),
        "date_from": "properties"}
    assert (entries["records/capacity/dashboard.xlsx"]["title"], entries["records/capacity/dashboard.xlsx"]["date"]) == (
        "Capacity dashboard", date(2026, 8, 2))
    assert (entries["records/change/cab.pdf"]["title"], entries["records/change/cab.pdf"]["date"]) == (
        "CAB minutes (August)", date(2026, 8, 12))
    assert entries["records/problem/problem-register.txt"]["date_from"] == "file-time"
    assert entries["records/problem/problem-register.txt"]["date"] == date(2026, 9, 20)
    assert entries["records/slm/sla-review_2026_10.csv"]["date"] == date(2026, 10, 1)
    assert entries["records/slm/slm-2026-05-28.csv"]["title"] == "Slm 2026-05-28"
    assert any(str(s).startswith("records/slm/link.txt: a link leading outside") for s in report.skipped)
    assert any(str(s).startswith("records/slm/broken.docx: not a readable Office document") for s in report.skipped)
    assert lines(report.stray) == ["records/mystery/orphan.pdf: outside every process's folder; not added"]
    p = load_project(tree).project
    assert len(p.processes["slm"].records) == 5 and readiness(p, date(2026, 11, 29)).ready


def test_scan_twice_changes_nothing_and_keeps_comments(tree):
    scan(load_project(tree))
    text = tree.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server") and "  slm:  # 8.3.3\n" in text
    before = tree.read_bytes()
    again = scan(load_project(tree))
    assert again.added == [] and not again.written and tree.read_bytes() == before


def test_typed_entries_untouched_and_gone_files_reported(tree):
    text = tree.read_text(encoding="utf-8").replace("""    records: []
  asset:""", """    records:
      - {path: records/catalogue/catalogue-2026-05-28.csv, title: "Typed by hand", date: 2026-05-30}
      - {path: records/catalogue/deleted-2026-01.csv, title: "Gone", date: 2026-01-10}
  asset:""", 1)
    tree.write_text(text, encoding="utf-8")
    report = scan(load_project(tree))
    assert "records/catalogue/catalogue-2026-05-28.csv" not in added(report)
    assert lines(report.missing) == ["records/catalogue/deleted-2026-01.csv: listed in the project, but the file is "
                                     "gone (the entry is kept)"]
    catalogue = load_project(tree).project.processes["catalogue"].records
    assert (catalogue[0].title, catalogue[0].date) == ("Typed by hand", date(2026, 5, 30))
    assert [r.path for r in catalogue][:2] == ["records/catalogue/catalogue-2026-05-28.csv",
                                               "records/catalogue/deleted-2026-01.csv"]


def test_folders_and_patterns_of_a_process(tree):
    folder = tree.parent / "exports" / "tickets"
    folder.mkdir(parents=True)
    (folder / "incidents-2026-10.csv").write_text("ticket;opened\nINC-1;2026-10-02\n", encoding="utf-8")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    text = tree.read_text(encoding="utf-8").replace("  incident:  # 8.6.1\n", """  incident:  # 8.6.1
    folders: {records: exports/tickets, patterns: ["*.csv"]}
""", 1)
    tree.write_text(text, encoding="utf-8")
    report = scan(load_project(tree), dry_run=True)
    incident = [f.entry["path"] for f in report.added if f.owner == "incident"]
    assert incident == ["exports/tickets/incidents-2026-10.csv"]


def test_folders_outside_the_project_are_refused(tree, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret-2026-01.txt").write_text("x", encoding="utf-8")
    asset = tree.parent / "documents" / "asset"
    shutil.move(asset, tmp_path / "asset-documents")
    asset.symlink_to(tmp_path / "asset-documents")  # a process's folder that is a link out of the project
    text = tree.read_text(encoding="utf-8").replace("  incident:  # 8.6.1\n", f"""  incident:  # 8.6.1
    folders: {{records: {elsewhere}, documents: ../elsewhere}}
""", 1)
    tree.write_text(text, encoding="utf-8")
    report = scan(load_project(tree), dry_run=True)
    assert not any("secret" in f.entry["path"] for f in report.added)
    outside = "is outside the project folder; not scanned; move its files under the project folder"
    assert {s for s in lines(report.skipped) if outside in s} == {
        f"{elsewhere}: the records folder of 'incident' {outside}",
        f"../elsewhere: the documents folder of 'incident' {outside}",
        f"documents/asset: the documents folder of 'asset' {outside}"}


def test_odd_files_are_each_accounted_for(tree, monkeypatch):
    slm = tree.parent / "records" / "slm"
    os.mkfifo(slm / "pipe")
    (slm / "dangling.pdf").symlink_to(slm / "deleted.pdf")
    (slm / os.fsdecode(b"export-\xff-2026-06.csv")).write_text("x", encoding="utf-8")  # a name that is not UTF-8
    (slm / "locked-2026-06.pdf").write_bytes(b"%PDF-1.4 x")

    def file_info(path):  # root reads every file: a permission refusal is played
        if path.endswith("locked-2026-06.pdf"):
            raise PermissionError(13, "Permission denied")
        return fileinfo.file_info(path)
    monkeypatch.setattr(scan_module, "file_info", file_info)
    report = scan(load_project(tree), dry_run=True, processes=1)
    skipped = {s.split(": ", 1)[0].strip("'"): s.split(": ", 1)[1] for s in lines(report.skipped)}
    assert skipped["records/slm/pipe"] == skipped["records/slm/dangling.pdf"] == (
        "not a regular file (a broken link, a pipe, a device); skipped")
    assert skipped["records/slm/locked-2026-06.pdf"].startswith("cannot read it: permission denied")
    assert skipped["records/slm/export-\\udcff-2026-06.csv"].startswith("a character the project file cannot hold")
    assert not any("locked" in f.entry["path"] or "export" in f.entry["path"] for f in report.added)


def test_many_files_read_in_workers_as_in_one_process(tree):
    folder = tree.parent / "records" / "change"
    for i in range(150):
        kind = (".docx", ".pdf", ".csv")[i % 3]
        source = {".docx": tree.parent / "records" / "incident" / "major-incident.docx",
                  ".pdf": tree.parent / "records" / "change" / "cab.pdf"}.get(kind)
        target = folder / f"cab-{i:03d}{'-2026-0' + str(1 + i % 9) if i % 2 else ''}{kind}"
        if kind == ".pdf":
            pdf(target, "CAB minutes (August)", "20260812")   # random bytes inside: every file its own
        elif source:
            with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
                for item in src.infolist():
                    dst.writestr(item, src.read(item))
                dst.writestr(f"customXml/nonce{i}.xml", f"<n>{i}</n>")
        else:
            target.write_text(f"change;date\nCHG-{i};2026-08-01\n", encoding="utf-8")
    pf = load_project(tree)
    one, two = scan(pf, dry_run=True, processes=1), scan(pf, dry_run=True, processes=2)
    assert one.as_dict() == two.as_dict() and len(one.added) > 150
    change = {f.entry["path"]: f.entry for f in two.added if f.owner == "change"}
    assert change["records/change/cab-001-2026-02.pdf"]["date"] == date(2026, 2, 1)
    assert change["records/change/cab-000.docx"]["title"] == "Major incident review"


def test_cli_dry_run_and_json(tree):
    before = tree.read_bytes()
    runner = CliRunner()
    dry = runner.invoke(cli, ["scan", str(tree), "--dry-run"])
    assert dry.exit_code == 0 and "to add" in dry.output and "dry run: nothing written" in dry.output
    assert tree.read_bytes() == before
    data = json.loads(runner.invoke(cli, ["scan", str(tree), "--format", "json"]).output)
    assert data["written"] and {"owner": "change", "list": "records", "path": "records/change/cab.pdf",
                                "title": "CAB minutes (August)", "date": "2026-08-12",
                                "date_from": "properties"} in data["added"]
    assert runner.invoke(cli, ["scan", str(tree), "--format", "json"]).exit_code == 0


def test_scanned_entries_are_used_everywhere(tree, tmp_path):
    import zipfile

    from kitgen.jobs.build import build
    from kitgen.jobs.package import build_package

    scan(load_project(tree))
    with zipfile.ZipFile(build_package(load_project(tree), tmp_path / "p.zip")) as zf:
        assert "records/change/cab.pdf" in zf.namelist()
    build(load_project(tree), ["questionnaire"], out_dir=tmp_path / "q")


def test_the_backup_is_named_as_the_user_named_the_project(tree, monkeypatch):
    monkeypatch.chdir(tree.parent.parent)
    relative = Path(tree.parent.name) / tree.name
    result = CliRunner().invoke(cli, ["scan", str(relative)])
    assert result.exit_code == 0
    assert result.output.rstrip().endswith(f"wrote {relative} (previous version kept as {relative}.bak)")


def test_copies_empty_files_and_kinds_are_accounted_for(tree):
    records, documents = tree.parent / "records", tree.parent / "documents"
    scan(load_project(tree))
    # a copy saved from an e-mail beside its original (already listed), two copies of a new file, empty files
    original = records / "change" / "cab.pdf"
    (records / "change" / "cab (1).pdf").write_bytes(original.read_bytes())
    new = pdf(records / "release" / "go-live report.pdf", "Go-live", "20261105")
    (records / "release" / "go-live report (1).pdf").write_bytes(new.read_bytes())
    (records / "release" / "go-live report - Copy.pdf").write_bytes(new.read_bytes())
    (records / "slm" / "sla-review-2026-11-20.csv").write_bytes(b"")
    (records / "slm" / "scan.pdf").write_bytes(b"")
    (documents / "change" / "change-policy-v2.md").write_text("# Change policy v2\n", encoding="utf-8")
    (documents / "security" / "politique-v3.md").write_text("# Politique\n", encoding="utf-8")
    (documents / "supplier" / "contract-nimbus-2027.md").write_text("# Contract\n", encoding="utf-8")
    report = scan(load_project(tree))
    assert lines(report.copies) == [
        "records/change/cab (1).pdf: a byte-identical copy of records/change/cab.pdf; not added",
        "records/release/go-live report (1).pdf: a byte-identical copy of records/release/go-live report.pdf; "
        "not added",
        "records/release/go-live report - Copy.pdf: a byte-identical copy of records/release/go-live report.pdf; "
        "not added"]
    assert "records/slm/sla-review-2026-11-20.csv: an empty file (0 bytes), not added: was it saved or copied " \
           "completely?" in lines(report.skipped)
    assert any(s.startswith("records/slm/scan.pdf: an empty file") for s in lines(report.skipped))
    entries = added(report)
    assert sorted(p for p in entries if p.startswith("records/")) == ["records/release/go-live report.pdf"]
    kinds = {p: e.get("kind") for p, e in entries.items() if p.startswith("documents/")}
    assert kinds == {"documents/change/change-policy-v2.md": "change-policy",
                     "documents/security/politique-v3.md": "security-policy",
                     "documents/supplier/contract-nimbus-2027.md": "supplier-contract"}
    data = report.as_dict()   # the list and the document's kind, in two keys
    doc = next(e for e in data["added"] if e["path"] == "documents/change/change-policy-v2.md")
    assert (doc["list"], doc["kind"]) == ("documents", "change-policy")
    assert data["copies"] == lines(report.copies)


def test_a_month_in_a_name_is_a_date_to_check(tree):
    (tree.parent / "records" / "slm" / "sla-review-2026-10.csv").write_text("date;sla\n", encoding="utf-8")
    entry = added(scan(load_project(tree), dry_run=True))["records/slm/sla-review-2026-10.csv"]
    assert (entry["date"], entry["date_from"]) == (date(2026, 10, 1), "name-month")
    result = CliRunner().invoke(cli, ["scan", str(tree), "--dry-run"])
    assert "(date_from: file-time, name-month): readiness does not count them until then" in " ".join(
        result.output.split())
