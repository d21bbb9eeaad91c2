"""Test helpers: extract what a person sees in generated files, and re-save files through LibreOffice."""
from __future__ import annotations

import re
import shutil
import signal
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from docx import Document

# tests that re-save files through LibreOffice; conftest skips them, saying why, where soffice is missing
# (`pytest -m "not soffice"` leaves them out on purpose)
needs_soffice = pytest.mark.soffice


# Files tests only read, kept parsed by content: a test reads the same document or workbook several times (a dozen
# cells looked up before typing, each sample document read by several checks), at 20 to 100 ms a parse
KEPT_PARSED = 16   # files kept: a document's texts are small, a workbook loaded whole a few MB at most
_PARSED: dict[tuple[str, bytes], Any] = {}


def _parsed(path: Path, kind: str, parse: Callable[[BytesIO], Any]) -> Any:
    """parse(the file's bytes) for `path`, parsed again only when its bytes have changed."""
    data = path.read_bytes()
    key = (kind, data)
    if key not in _PARSED:
        while len(_PARSED) >= KEPT_PARSED:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[key] = parse(BytesIO(data))
    return _PARSED[key]


def _docx_read(source: BytesIO) -> tuple[list[list[list[str]]], str]:
    """A Word file's body tables (rows of cell texts) and its whole text, as python-docx reads them."""
    doc = Document(source)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    parts = [p.text for p in doc.paragraphs] + [cell for t in tables for row in t for cell in row]
    for section in doc.sections:
        parts += [p.text for p in section.footer.paragraphs] + [p.text for p in section.header.paragraphs]
    return tables, "\n".join(parts)


def docx_tables(path: Path, raw: bool = False) -> list[list[list[str]]]:
    """Every table of the body as rows of cell texts (typesetting's no-break spaces as plain spaces, unless `raw`)."""
    from kitgen.infra.text import plain

    clean = (lambda x: x) if raw else plain
    tables, _ = _parsed(path, "docx", _docx_read)
    return [[[clean(c) for c in row] for row in t] for t in tables]


def docx_text(path: Path, raw: bool = False) -> str:
    """Paragraphs, tables, headers and footers as one text (typesetting's no-break spaces as plain spaces, unless
    `raw`: tests of the words read them as a person does, tests of the typesetting read them raw)."""
    from kitgen.infra.text import plain

    _, text = _parsed(path, "docx", _docx_read)
    return text if raw else plain(text)


def table_with_header(path: Path, first_header: str, contains: str) -> list[list[str]]:
    """The first table whose header row starts with `first_header` and mentions `contains`."""
    for t in docx_tables(path):
        if t and t[0][0] == first_header and any(contains in h for h in t[0]):
            return t
    raise AssertionError(f"no table {first_header!r}/{contains!r} in {path}")


def workbook_to_read(path: Path):
    """The workbook at `path`, loaded by openpyxl, to read and never change (kept parsed: see _parsed)."""
    from openpyxl import load_workbook

    return _parsed(path, "xlsx", load_workbook)


def edit_plan(src: Path, dst: Path, rows: dict[str, dict[str, object]], new: list[dict[str, object]] = (),
              sheet_header: str = "Action") -> Path:
    """Edit an action plan the way a person does in Excel: set cells (by header text) of the rows of the given
    action ids, and add rows after the last one. Writes the result to `dst` (which may be `src`)."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    ws = wb["Actions"]
    header = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        for name, value in rows.get(row[header[sheet_header] - 1].value, {}).items():
            row[header[name] - 1].value = value
    for values in new:
        r = ws.max_row + 1
        for name, value in values.items():
            ws.cell(row=r, column=header[name]).value = value
    wb.save(dst)
    return dst


def props_of(path: Path) -> dict:
    """The custom document properties of a generated file."""
    from kitgen.ooxml.package import open_package

    with open_package(path, path.suffix.lstrip(".")) as package:
        return package.properties()


def base_of(path: Path) -> dict:
    """The base snapshot embedded in a generated Word file, keyed 'finding/F1'."""
    import json

    from kitgen.ooxml.package import open_package

    with open_package(path, "docx") as package:
        return json.loads(package.payload() or "{}")


FINDING_HEADERS = ("Preuves objectives", "Objective evidence")


def findings_table(doc):
    """The findings table of an audit report opened with python-docx."""
    return next(t for t in doc.tables if t.rows[0].cells[-1].text in FINDING_HEADERS)


def fill_row(table, row, values: dict[str, str]) -> None:
    """Set cells of `row` by their column's header text (as a person typing in Word)."""
    header = [c.text for c in table.rows[0].cells]
    for name, text in values.items():
        row.cells[header.index(name)].text = text


def add_finding_row(doc, values: dict[str, str]):
    """Fill the first blank row of the findings table; returns it."""
    t = findings_table(doc)
    blank = next(r for r in t.rows[1:] if not any(c.text for c in r.cells))
    fill_row(t, blank, values)
    return blank


def plan_letter(plan: Path, header: str) -> str:
    """The column letter of a header in an action plan's Actions sheet."""
    return next(c.column_letter for c in workbook_to_read(plan)["Actions"][1] if c.value == header)


def read_tables(path: Path) -> list[list[list[str]]]:
    """Every table as kitgen reads it (text inside content controls included, unlike python-docx's cell.text)."""
    from kitgen.ooxml.docx_read import read_tables as kitgen_tables
    from kitgen.ooxml.package import open_package

    with open_package(path, "docx") as package:
        return [[[c.text for c in row] for row in table] for table in kitgen_tables(package)]


HANG = 90  # seconds: hostile inputs once hung kitgen (a pipe, a zip bomb); no machine takes this long to refuse one


@contextmanager
def no_hang(seconds: int = HANG) -> Iterator[None]:
    """Fail, instead of hanging the suite, if the block has not finished after `seconds`. A guard against hangs, not
    a speed measure: speed is measured in benchmarks/."""
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- LibreOffice, driven as a person uses it ------------------------------------------------------------------------
# Every LibreOffice round trip of a test is a list of steps (open a file, type into it, save it) that a Basic macro
# does in order. One LibreOffice per test process does them all, as a person keeps LibreOffice open all day: a start
# costs half a second of CPU and the first document of a kind as much again, more than most round trips themselves.
# It runs the macro `Serve`, which waits for step files in a folder of its own and does each in turn, looking every
# 5 ms after a list and every 200 ms when idle (a look costs a few ms of CPU: LibreOffice idles at 0.4 % of a core),
# and ends by itself after 5 idle minutes (after a test process that died without stopping it). The profile it runs
# in (macro installed) is made once per test run and copied for each test process.

_MACRO = """
Sub Serve(queue As String)
  sfa = createUnoService("com.sun.star.ucb.SimpleFileAccess")
  folder = ConvertToURL(queue)
  pause = 10
  idle = 0
  Do While Not sfa.exists(folder & "/stop") And idle < 300000
    For Each spec In sfa.getFolderContents(folder, False)
      If Right(spec, 6) = ".steps" Then
        DoSteps(sfa, spec)
        pause = 5
        idle = 0
      End If
    Next
    Wait pause
    idle = idle + pause
    If pause < 200 Then pause = pause * 2
  Loop
End Sub

Sub DoSteps(sfa As Object, spec As String)
  On Error Goto Failed
  Run(ConvertFromURL(spec))
  sfa.move(spec, Left(spec, Len(spec) - 6) & ".done")
  Exit Sub
Failed:
  report = sfa.openFileWrite(Left(spec, Len(spec) - 6) & ".why")
  out = createUnoService("com.sun.star.io.TextOutputStream")
  out.setOutputStream(report)
  out.writeString("line " & Erl & ": " & Error$)
  out.closeOutput()
  sfa.move(spec, Left(spec, Len(spec) - 6) & ".failed")
  docs = StarDesktop.Components.createEnumeration()
  Do While docs.hasMoreElements()
    docs.nextElement().close(True)
  Loop
End Sub

Sub Run(specPath As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = "FilterName"
  sfa = createUnoService("com.sun.star.ucb.SimpleFileAccess")
  tis = createUnoService("com.sun.star.io.TextInputStream")
  tis.setInputStream(sfa.openFileRead(ConvertToURL(specPath)))
  tis.setEncoding("UTF-8")
  text = ""
  Do While Not tis.isEOF()
    text = text & tis.readLine() & Chr(10)
  Loop
  tis.closeInput()
  For Each line In Split(text, Chr(10))
    parts = Split(line, Chr(9))
    If UBound(parts) >= 0 Then
      Select Case parts(0)
        Case "OPEN"
          doc = StarDesktop.loadComponentFromURL(ConvertToURL(parts(1)), "_blank", 0, args())
        Case "S"
          doc.Sheets.getByName(parts(1)).getCellRangeByName(parts(2)).setString(parts(3))
        Case "N"
          doc.Sheets.getByName(parts(1)).getCellRangeByName(parts(2)).setValue(CLng(parts(3)))
        Case "D"
          doc.Sheets.getByName(parts(1)).Rows.removeByIndex(CLng(parts(2)), 1)
        Case "TYPE"
          cellText = doc.TextTables.getByIndex(CInt(parts(1))).getCellByName(parts(2)).getText()
          cellText.insertString(cellText.getEnd(), parts(3), False)
        Case "CHOOSE"
          ChooseVerdicts(doc)
        Case "SAVE"
          sargs(0).Value = parts(2)
          doc.storeToURL(ConvertToURL(parts(1)), sargs())
          doc.close(True)
      End Select
    End If
  Next
End Sub

Sub ChooseVerdicts(doc As Object)
  For t = 0 To doc.TextTables.Count - 1
    table = doc.TextTables.getByIndex(t)
    If table.Rows.Count > 1 And table.Columns.Count = 6 Then
      For r = 2 To table.Rows.Count
        control = Nothing
        paras = table.getCellByName("E" & r).Text.createEnumeration()
        Do While paras.hasMoreElements() And IsNull(control)
          portions = paras.nextElement().createEnumeration()
          Do While portions.hasMoreElements()
            portion = portions.nextElement()
            If portion.TextPortionType = "ContentControl" Then
              control = portion.ContentControl
              Exit Do
            End If
          Loop
        Loop
        If Not IsNull(control) Then
          items = control.ListItems
          n = UBound(items) + 1
          k = (r - 2) Mod n
          control.createEnumeration().nextElement().String = items(k)(0).Value
          If k > 0 And k < n - 1 Then table.getCellByName("F" & r).String = "Noted in LibreOffice " & r
        End If
      Next r
    End If
  Next t
End Sub
"""
SAVE_FILTERS = {".docx": "MS Word 2007 XML", ".xlsx": "Calc MS Excel 2007 XML"}  # each file saved in its own format
def _profile() -> Path:
    """A LibreOffice profile, with the macro installed, initialised once for the run by the first test process that
    needs it (under a lock: pytest-xdist's workers share it), to copy for each test process's LibreOffice."""
    import fcntl
    import os
    import subprocess
    from xml.sax.saxutils import escape

    from kitgen.infra.office import mark_started

    from .conftest import RUN_FOLDER

    folder = Path(os.environ[RUN_FOLDER]) / "libreoffice-profile"
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        macro = folder / "user" / "basic" / "Standard" / "Module1.xba"
        if not macro.exists():
            subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}", "--headless",
                            "--terminate_after_init"], capture_output=True, timeout=120, check=False)
            mark_started(folder, "soffice")   # else each run is a first start (as kitgen's own conversions do)
            macro.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
                             '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n<script:module '
                             'xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
                             'script:language="StarBasic">' + escape(_MACRO, {'"': "&quot;"}) + "</script:module>\n",
                             encoding="utf-8")
    return folder


class _LibreOffice:
    """The test process's LibreOffice, running the macro `Serve` on a queue folder of its own: started when first
    needed, stopped when the process exits (see the comment above _MACRO)."""

    def __init__(self) -> None:
        import atexit
        import subprocess
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="kitgen-lo-"))
        self.queue = self.folder / "queue"
        self.queue.mkdir()
        profile = self.folder / "profile"
        shutil.copytree(_profile(), profile, symlinks=True)
        self.process = subprocess.Popen(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             f'macro:///Standard.Module1.Serve("{self.queue}")'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.count = 0
        self.stopped = False
        atexit.register(self.stop)

    def run(self, lines: list[str]) -> None:
        """Have LibreOffice do these step lines; AssertionError with its Basic error if a step failed."""
        import time

        self.count += 1
        name = self.queue / f"{self.count:04d}"
        part = name.with_suffix(".part")
        part.write_text("\n".join(lines) + "\n", encoding="utf-8")
        part.rename(name.with_suffix(".steps"))   # whole, or not there: the macro never reads half a list
        deadline = time.monotonic() + LIBREOFFICE_TIMEOUT
        while not name.with_suffix(".done").exists():
            if name.with_suffix(".failed").exists():
                why = name.with_suffix(".why").read_text(encoding="utf-8", errors="replace")
                raise AssertionError(f"LibreOffice could not do the steps ({why}): {lines}")
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"LibreOffice stopped or hung (exit {self.process.returncode}) on: {lines}")
            time.sleep(0.01)

    def stop(self) -> None:
        import os
        import signal
        import subprocess

        if self.stopped:
            return
        self.stopped = True
        (self.queue / "stop").touch()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


LIBREOFFICE_TIMEOUT = 300  # seconds for one list of steps: the largest takes a few
_OFFICE: _LibreOffice | None = None


def libreoffice_run(steps: list[tuple]) -> None:
    """Do `steps` in LibreOffice, in order: ("OPEN", path); in Calc ("S", sheet, "B7", "text typed"),
    ("N", sheet, "E2", 3) a number (a date's serial in a date cell), ("D", sheet, row) delete a row (1-based, as
    Calc shows it); in Writer ("TYPE", table index, "B2", "text") typed at the end of a cell, ("CHOOSE",) see
    choosing_verdicts; ("SAVE", path) saves the open file there, in the format its name says, and closes it."""
    global _OFFICE

    lines = []
    for step in steps:
        assert not any("\t" in str(x) or "\n" in str(x) for x in step), step
        if step[0] == "D":
            step = ("D", step[1], step[2] - 1)
        elif step[0] == "SAVE":
            step = ("SAVE", step[1], SAVE_FILTERS[Path(step[1]).suffix])
        lines.append("\t".join(str(x) for x in step))
    if _OFFICE is None or _OFFICE.stopped or _OFFICE.process.poll() is not None:
        _OFFICE = _LibreOffice()
    _OFFICE.run(lines)


def resaving(paths: list[Path], out_dir: Path) -> list[tuple]:
    """Steps opening each file and saving it, in its format, into `out_dir` (as a person saving it would)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [step for p in paths for step in (("OPEN", p), ("SAVE", out_dir / p.name))]


def filling(edits: dict[Path, list[tuple]]) -> list[tuple]:
    """Steps typing into each workbook ("S", "N", "D" steps: libreoffice_run) and saving it in place."""
    return [step for path, ops in edits.items() for step in (("OPEN", path), *ops, ("SAVE", path))]


def choosing_verdicts(paths: list[Path]) -> list[tuple]:
    """Steps doing as a person would in each checklist: on every row, choose an item of the verdict drop-down (the
    rows take the items it offers in turn) and write a finding where the item is neither the first (conforms) nor
    the last (not audited); then save it in place."""
    return [step for path in paths for step in (("OPEN", path), ("CHOOSE",), ("SAVE", path))]


def libreoffice_resave(path: Path, out_dir: Path) -> Path:
    """Open and re-save `path` in LibreOffice headless (same format), as a person saving it would."""
    [out] = libreoffice_resave_all([path], out_dir)
    return out


def libreoffice_resave_all(paths: list[Path], out_dir: Path) -> list[Path]:
    """libreoffice_resave for several files (of different names, Word and Excel alike) in one list of steps."""
    libreoffice_run(resaving(paths, out_dir))
    return [out_dir / p.name for p in paths]


def libreoffice_fill(edits: dict[Path, list[tuple]]) -> None:
    """Type into workbooks the way a person does in LibreOffice Calc, in one list of steps, then save each as
    .xlsx in place (steps: libreoffice_run; list deletions last, bottom up)."""
    libreoffice_run(filling(edits))


def libreoffice_choose_verdicts(paths: list[Path]) -> None:
    """choosing_verdicts in each checklist, one list of steps for all the files."""
    libreoffice_run(choosing_verdicts(paths))


def libreoffice_delete_row(src: Path, dst: Path, sheet: str, index: int) -> Path:
    """Delete a row (0-based index) the way a person does in LibreOffice Calc (Sheet › Delete Rows), then save."""
    shutil.copyfile(src, dst)
    libreoffice_run([("OPEN", dst), ("D", sheet, index + 1), ("SAVE", dst)])
    return dst


# Edits a person makes to a project file or a returned form, shared by several test modules (no test module
# imports another: tests/test_architecture.py checks it)

DAY = date(2026, 11, 29)   # the samples' readiness day: the examples are ready for stage 1 as of this date


def add_audit(path, block: str) -> None:
    """Append an audit (YAML text, two-space indented list item) to the project's audits."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\naudits:")
    end = re.search(r"\n[a-z_]+:", text[start + 1:])
    cut = start + 1 + end.start() if end else len(text)
    path.write_text(text[:cut].rstrip("\n") + "\n" + block.rstrip("\n") + "\n" + text[cut:], encoding="utf-8")


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def set_modified(path: Path, moment: datetime) -> Path:
    """Stamp a file's own last-modified time (core properties), as the editor that saved it would."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    core = parts["docProps/core.xml"].decode()
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", core)
    parts["docProps/core.xml"] = core.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in parts.items():
            zf.writestr(n, d)
    return path


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=timezone.utc)


def add_report_row(src: Path, dst: Path, statement: str, *, grade: str = "NC mineure", row_id: str = "",
                   clause: str = "6.6") -> Path:
    """An auditor adds a finding in the first blank row of the findings table (Word)."""
    doc = Document(str(src))
    add_finding_row(doc, {"ID": row_id, "Article": clause, "Gravité": grade, "Constat": statement,
                          "Preuves objectives": "Entretien"})
    doc.save(str(dst))
    return dst


TODAY = "1796630400"   # 2026-12-07, 08:00 UTC: the registers' flags and the programme's suggestions are dated


def where(path: Path, sheet: str, key: str, value: str, header: str) -> str:
    """The cell (B7) of the column `header` in the row whose `key` column holds `value`."""
    ws = workbook_to_read(path)[sheet]
    cols = {c.value: c.column_letter for c in ws[1]}
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[ord(cols[key]) - 65].value == value)
    return f"{cols[header]}{row}"


def one_filled_form(project: Path, folder: Path) -> Path:
    """A folder holding one evaluation form, filled: something for `feedback` to count."""
    from click.testing import CliRunner

    from kitgen.cli.commands import cli

    from .evaluation_fill import fill

    built = CliRunner().invoke(cli, ["build", str(project), "evaluation-form", "-o", str(folder / "blank")])
    assert built.exit_code == 0, built.output
    fill(folder / "blank" / "evaluation-form.docx", folder / "one.docx", {1: [1]})
    (folder / "blank" / "evaluation-form.docx").unlink()
    return folder


def added(report) -> list[str]:
    """'finding AUD-2026-01-F6' for each entry a harvest added: its kind and id, as its note carries them (data)."""
    return [f"{note.args['kind']} {note.args['id']}" for note in report.added]


def lines(problems) -> str:
    """Problems (a harvest's notes or errors) as the English lines they render, one per line: what a test searches."""
    return "\n".join(str(p) for p in problems)


def word_template(folder: Path, text: str) -> Path:
    """A templates folder (as `--templates` takes it) whose audit report is one paragraph of `text`."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(folder / "audit-report.docx"))
    return folder
