"""Test helpers: extract what a person sees in generated files, and re-save files through LibreOffice."""
from __future__ import annotations

import re
import shutil
import signal
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from docx import Document

# tests that re-save files through LibreOffice; conftest skips them, saying why, where soffice is missing
# (`pytest -m "not soffice"` leaves them out on purpose)
needs_soffice = pytest.mark.soffice


def docx_tables(path: Path, raw: bool = False) -> list[list[list[str]]]:
    """Every table of the body as rows of cell texts (typesetting's no-break spaces as plain spaces, unless `raw`)."""
    from kitgen.infra.text import plain

    clean = (lambda x: x) if raw else plain
    return [[[clean(c.text) for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def docx_text(path: Path, raw: bool = False) -> str:
    """Paragraphs, tables, headers and footers as one text (typesetting's no-break spaces as plain spaces, unless
    `raw`: tests of the words read them as a person does, tests of the typesetting read them raw)."""
    from kitgen.infra.text import plain

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell for t in docx_tables(path, raw=True) for row in t for cell in row]
    for section in doc.sections:
        parts += [p.text for p in section.footer.paragraphs] + [p.text for p in section.header.paragraphs]
    text = "\n".join(parts)
    return text if raw else plain(text)


def table_with_header(path: Path, first_header: str, contains: str) -> list[list[str]]:
    """The first table whose header row starts with `first_header` and mentions `contains`."""
    for t in docx_tables(path):
        if t and t[0][0] == first_header and any(contains in h for h in t[0]):
            return t
    raise AssertionError(f"no table {first_header!r}/{contains!r} in {path}")


RESAVE_FORMATS = {".docx": "docx:MS Word 2007 XML", ".xlsx": "xlsx:Calc MS Excel 2007 XML"}


def libreoffice_resave(path: Path, out_dir: Path) -> Path:
    """Open and re-save `path` in LibreOffice headless (same format), as a person saving it would."""
    [out] = libreoffice_resave_all([path], out_dir)
    return out


def libreoffice_resave_all(paths: list[Path], out_dir: Path) -> list[Path]:
    """libreoffice_resave for several files (of different names), one LibreOffice call per format."""
    from kitgen.infra.office import convert

    out = {}
    for suffix, fmt in RESAVE_FORMATS.items():
        these = [p for p in paths if p.suffix == suffix]
        if these:
            out.update(zip(these, convert(these, fmt, out_dir)))
    return [out[p] for p in paths]


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
    from openpyxl import load_workbook

    return next(c.column_letter for c in load_workbook(plan)["Actions"][1] if c.value == header)


_DELETE_ROW_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub DeleteRow(path As String, sheetName As String, rowIndex As Long)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  url = ConvertToURL(path)
  doc = StarDesktop.loadComponentFromURL(url, &quot;_blank&quot;, 0, args())
  doc.Sheets.getByName(sheetName).Rows.removeByIndex(rowIndex, 1)
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = &quot;FilterName&quot;
  sargs(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  doc.storeToURL(url, sargs())
  doc.close(True)
End Sub
</script:module>
"""


def libreoffice_delete_row(src: Path, dst: Path, sheet: str, index: int) -> Path:
    """Delete a row (0-based index) the way a person does in LibreOffice Calc (Sheet › Delete Rows), then save:
    runs a Basic macro in a private LibreOffice profile."""
    import subprocess
    import tempfile

    shutil.copyfile(src, dst)
    with tempfile.TemporaryDirectory(prefix="kitgen-lo-macro-") as profile:
        url = f"file://{profile}"
        subprocess.run(["soffice", f"-env:UserInstallation={url}", "--headless", "--terminate_after_init"],
                       capture_output=True, timeout=120, check=False)
        (Path(profile) / "user" / "basic" / "Standard" / "Module1.xba").write_text(_DELETE_ROW_MACRO, encoding="utf-8")
        macro = f'macro:///Standard.Module1.DeleteRow("{dst}","{sheet}",{index})'
        subprocess.run(["soffice", f"-env:UserInstallation={url}", "--headless", macro], capture_output=True,
                       timeout=120, check=True)
    return dst


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
_FILL_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Fill(specPath As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = &quot;FilterName&quot;
  sargs(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  sfa = createUnoService(&quot;com.sun.star.ucb.SimpleFileAccess&quot;)
  tis = createUnoService(&quot;com.sun.star.io.TextInputStream&quot;)
  tis.setInputStream(sfa.openFileRead(ConvertToURL(specPath)))
  tis.setEncoding(&quot;UTF-8&quot;)
  text = &quot;&quot;
  Do While Not tis.isEOF()
    text = text &amp; tis.readLine() &amp; Chr(10)
  Loop
  tis.closeInput()
  For Each line In Split(text, Chr(10))
    parts = Split(line, Chr(9))
    If UBound(parts) &gt;= 0 Then
      If parts(0) = &quot;FILE&quot; Then
        url = ConvertToURL(parts(1))
        doc = StarDesktop.loadComponentFromURL(url, &quot;_blank&quot;, 0, args())
      ElseIf parts(0) = &quot;S&quot; Then
        doc.Sheets.getByName(parts(1)).getCellRangeByName(parts(2)).setString(parts(3))
      ElseIf parts(0) = &quot;N&quot; Then
        doc.Sheets.getByName(parts(1)).getCellRangeByName(parts(2)).setValue(CLng(parts(3)))
      ElseIf parts(0) = &quot;D&quot; Then
        doc.Sheets.getByName(parts(1)).Rows.removeByIndex(CLng(parts(2)), 1)
      ElseIf parts(0) = &quot;SAVE&quot; Then
        doc.storeToURL(url, sargs())
        doc.close(True)
      End If
    End If
  Next
End Sub
</script:module>
"""


_CHOOSE_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub ChooseAll(listing As String)
  f = FreeFile
  Open listing For Input As #f
  Do While Not EOF(f)
    Line Input #f, path
    If path &lt;&gt; &quot;&quot; Then ChooseIn(path)
  Loop
  Close #f
End Sub

Sub ChooseIn(path As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(path), &quot;_blank&quot;, 0, args())
  For t = 0 To doc.TextTables.Count - 1
    table = doc.TextTables.getByIndex(t)
    If table.Rows.Count &gt; 1 And table.Columns.Count = 6 Then
      For r = 2 To table.Rows.Count
        control = Nothing
        paras = table.getCellByName(&quot;E&quot; &amp; r).Text.createEnumeration()
        Do While paras.hasMoreElements() And IsNull(control)
          portions = paras.nextElement().createEnumeration()
          Do While portions.hasMoreElements()
            portion = portions.nextElement()
            If portion.TextPortionType = &quot;ContentControl&quot; Then
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
          If k &gt; 0 And k &lt; n - 1 Then table.getCellByName(&quot;F&quot; &amp; r).String = &quot;Noted in LibreOffice &quot; &amp; r
        End If
      Next r
    End If
  Next t
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = &quot;FilterName&quot;
  sargs(0).Value = &quot;MS Word 2007 XML&quot;
  doc.storeToURL(ConvertToURL(path), sargs())
  doc.close(True)
End Sub
</script:module>
"""


def libreoffice_fill(edits: dict[Path, list[tuple]]) -> None:
    """Type into workbooks the way a person does in LibreOffice Calc, all in one LibreOffice run, then save each as
    .xlsx in place. Each edit: ("S", sheet, "B7", "text typed"), ("N", sheet, "E2", 3) for a number (a date's
    serial in a date cell), or ("D", sheet, row) to delete a row (1-based, as Calc shows it; list deletions last,
    bottom up)."""
    import subprocess
    import tempfile

    lines = []
    for path, ops in edits.items():
        lines.append(f"FILE\t{path}")
        for op in ops:
            if op[0] == "D":
                lines.append(f"D\t{op[1]}\t{op[2] - 1}")
            else:
                assert "\t" not in str(op[3]) and "\n" not in str(op[3])
                lines.append("\t".join(str(x) for x in op))
        lines.append("SAVE")
    with tempfile.TemporaryDirectory(prefix="kitgen-lo-macro-") as profile:
        spec = Path(profile) / "spec.txt"
        spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
        url = f"file://{profile}/user-profile"
        subprocess.run(["soffice", f"-env:UserInstallation={url}", "--headless", "--terminate_after_init"],
                       capture_output=True, timeout=120, check=False)
        (Path(profile) / "user-profile" / "user" / "basic" / "Standard" / "Module1.xba").write_text(
            _FILL_MACRO, encoding="utf-8")
        subprocess.run(["soffice", f"-env:UserInstallation={url}", "--headless",
                        f'macro:///Standard.Module1.Fill("{spec}")'], capture_output=True, timeout=300, check=True)


def libreoffice_choose_verdicts(paths: list[Path]) -> None:
    """In LibreOffice, as a person would: on every row of each checklist, choose an item of the verdict drop-down
    (the rows take the items it offers in turn) and write a finding where the item is neither the first (conforms)
    nor the last (not audited); save each file in place. One LibreOffice run for all the files."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kitgen-lo-choose-") as profile:
        url = f"file://{profile}"
        subprocess.run(["soffice", f"-env:UserInstallation={url}", "--headless", "--terminate_after_init"],
                       capture_output=True, timeout=120, check=False)
        (Path(profile) / "user" / "basic" / "Standard" / "Module1.xba").write_text(_CHOOSE_MACRO, encoding="utf-8")
        listing = Path(profile) / "files.txt"
        listing.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
        subprocess.run(["soffice", f"-env:UserInstallation={url}", "--headless",
                        f'macro:///Standard.Module1.ChooseAll("{listing}")'], capture_output=True, timeout=300,
                       check=True)


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
    from openpyxl import load_workbook

    ws = load_workbook(path)[sheet]
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
