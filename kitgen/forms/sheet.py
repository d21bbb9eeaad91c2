"""The registers' workbook kit: a register is a table with one row per entry of the project (a risk, a document, a
supplier, an audit of the programme…) and columns that either edit a field of the entry or are worked out by kitgen
(levels, flags, next reviews).

One writer gives every workbook kitgen fills the action plan's qualities — a table with filters, drop-downs from the
project's vocabularies, a frozen header, landscape pages with repeated titles, page X of Y, the organisation and the
date in the header — and one reader turns a filled copy back into what the generic merge applies: values by place,
rows people added, and cells kitgen works out that someone edited (reported, not taken).
"""
from __future__ import annotations

from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..errors import N_, Problem, problem
from ..frameworks import Framework, get_framework
from ..infra.text import cell_text, columns_by_header, fold, unstorable
from ..project.models import Project
from ..project.places import KINDS, Place, norm
from .common import now
from .kind import FormType, Rendered
from .reading import REBUILD, Added, Reading, base_payload, parse_base
from .typeset import unbreakable_ids
from .values import MAX_TEXT, check_text
from .vocabulary import ValueProblem

ROWS_OFFERED = 2000       # drop-downs and formats reach this far below the last row, for rows people add
SECONDS_PER_1000_ROWS = 1.0   # a register's rendering time beyond the templates' limit (measured: 0.25 s per 1,000)
HEADER_POINTS = 42        # the header row's height: two or three wrapped lines
# A column fitted to its longest id or path (Column.whole_up_to) is this wide per character, plus the padding: a
# little more than a unit per character, so that the value shows whole, never broken at a hyphen
FIT_WIDTH_PER_CHARACTER = 1.1
FIT_PADDING = 2
UNSET_WIDTH = 10          # a column given no width counts as this wide when rows are sized (Excel's default: 8.43)
LISTS = {"fr": "Listes", "en": "Lists"}
PAGE_WORDS = {"fr": ("page", "sur"), "en": ("page", "of")}
# How dates print, by the form's locale: day first in France (31/10/2026), year first (ISO) in Canadian French as
# the OQLF recommends and in British English as kitgen always wrote it, month first in the US (10/31/2026); years
# always with four digits (a two-digit year is refused when typed). Cells hold real dates either way.
DATE_FORMATS = {"fr-FR": "dd/mm/yyyy", "fr-CA": "yyyy-mm-dd", "en-GB": "yyyy-mm-dd", "en-US": "m/d/yyyy"}
HEADER_FILL = "1F3864"
LATE_FILL, LATE_FONT = "F8CBAD", "9C0006"    # the action plan's red: late, overdue, a gap
DONE_FILL = "C6EFCE"
WARN_FILL = "FFEB9C"
DEFAULT = "~"   # base keys: "~owner" is the owner shown when the project names none
SHOWN = "="     # base keys: "=flags" is what a worked-out cell showed


@dataclass(frozen=True)
class Context:
    """What reading a typed value needs: the project, its edition, the form's language."""

    project: Project
    fw: Framework
    lang: str
    form_lang: str | None = None        # the language of the form being read, when it is not `lang`

    @property
    def locale(self) -> str:
        """The locale the form's dates are written and read in (fr-FR, en-US…)."""
        return self.project.locale_for(self.form_lang or self.lang)


Parse = Callable[[Any, Context], Any]


@dataclass(frozen=True)
class Column:
    """One column of a register: its headers, width, the project field it edits ('' when kitgen works it out), how
    a typed value is read, and the words its drop-down offers."""

    key: str
    fr: str
    en: str
    width: float
    field: str = ""
    parse: Parse | None = None          # None: the text as typed
    choices: Callable[[Context], list[Any]] | None = None
    strict: bool = True                 # the drop-down refuses other words (else it only warns)
    formula: str = ""                   # worked out by the spreadsheet, e.g. "{likelihood}{row}*{impact}{row}"
    added_only: bool = False            # typed on an added row; on an existing row kitgen shows it, and an edit is
                                        # not taken (a document's process: move it in the project file)
    required: bool = False              # a row people add needs it
    text: bool = False                  # formatted as text: a version typed 1.10 stays 1.10, not the number 1.1
    center: bool = False                # short values (ratings, counts, marks) centred in their cell
    prose: bool = False                 # running text: the ids and dates it mentions never break across lines
    whole_up_to: float = 0              # ids and paths: widened up to this width to show the longest whole (a
                                        # spreadsheet wraps them at their hyphens: 'brm-2026-' then '06.md')

    def header(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    @property
    def derived(self) -> bool:
        """Worked out by kitgen (or by the spreadsheet): shown, never read back."""
        return not self.field


@dataclass
class Table:
    """A register's table: its sheet, the kind of entry its rows are, its columns and which one holds the id."""

    name: str                           # the Excel table's name; rows people add are named after it ("Risks#2")
    kind: str                           # the entries' kind (kitgen.project.places.KINDS)
    sheet: dict[str, str]
    columns: list[Column]
    id_key: str
    freeze: str = "B2"
    title_columns: str = "A:A"          # repeated on each printed page
    print_scale: int | None = None      # None: as wide as the page

    def column(self, key: str) -> Column:
        """The column of that key (looked up once per table: readers ask for every cell of thousands of rows)."""
        index = self.__dict__.get("_index")
        if index is None or len(index) != len(self.columns):
            index = self.__dict__["_index"] = {c.key: c for c in self.columns}
        return index[key]

    def labels(self) -> dict[str, str]:
        """{folded header text: column key}, both languages."""
        return {fold(h): c.key for c in self.columns for h in (c.fr, c.en)}


@dataclass
class Row:
    """One entry as its row shows it: its place, each cell's value, the project's values of the fields its cells
    edit (the base), and the defaults shown where the project has none (an owner taken from the process)."""

    place: Place
    cells: dict[str, Any]
    raw: dict[str, Any]
    defaults: dict[str, Any] = field(default_factory=dict)


def base_of(table: Table, rows: list[Row]) -> dict[Place, dict[str, Any]]:
    """The base a register is generated from: per entry, its fields' values, the defaults shown, and what each
    worked-out cell showed (so that an edit of it is seen)."""
    out: dict[Place, dict[str, Any]] = {}
    shown = [c.key for c in table.columns if (c.derived or c.added_only) and not c.formula and c.key != table.id_key]
    for row in rows:   # blanks left out: a field the base lacks reads as blank (and thousands of rows stay small)
        fields = {f: v for f, v in row.raw.items() if v is not None and v != "" and v != []}
        fields.update({DEFAULT + f: v for f, v in row.defaults.items() if v is not None and v != ""})
        fields.update({SHOWN + key: text for key in shown if (text := norm(row.cells.get(key)))})
        out[row.place] = fields
    return out


# -- writing ----------------------------------------------------------------------------------------------------------

def sheet_of(wb: Any, titles: dict[str, str], lang: str) -> Any:
    """The sheet of that title in `lang` (the first sheet when a template renamed it)."""
    title = titles[lang]
    return wb[title] if title in wb.sheetnames else wb.worksheets[0]


def fitted(table: Table, rows: list[Row]) -> Table:
    """The table with its ids and paths' columns (Column.whole_up_to) as wide as their longest value, within bounds."""
    columns = []
    for column in table.columns:
        if column.whole_up_to:
            longest = max((len(str(row.cells.get(column.key) or "")) for row in rows), default=0)
            wanted = longest * FIT_WIDTH_PER_CHARACTER + FIT_PADDING
            column = replace(column, width=max(column.width, min(column.whole_up_to, wanted)))
        columns.append(column)
    return replace(table, columns=columns)


def write_rows(ws: Any, table: Table, rows: list[Row], ctx: Context) -> dict[str, int]:
    """Fill the table's rows under the header (columns found by header text, so a template may move them), each cell
    wrapped and top-aligned, each row tall enough to show its cells whole; returns {column key: column index}."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from ..ooxml.xlsx import CHARACTERS_PER_WIDTH, header_map, put, style_array, wrapped_height

    date_format = DATE_FORMATS[ctx.locale]

    cols = header_map(ws, table.labels())
    letters = {key: get_column_letter(c) for key, c in cols.items()}
    formulas = {key: table.column(key).formula for key in cols if table.column(key).formula}
    widths = {key: table.column(key).width for key in cols}
    aligned = {False: Alignment(wrap_text=True, vertical="top"),
               True: Alignment(wrap_text=True, vertical="top", horizontal="center")}
    style = {key: {kind: style_array(ws, alignment=aligned[col.center], number_format=kind)
                   for kind in ("General", date_format, "@")}
             for key, col in ((k, table.column(k)) for k in cols)}
    as_text = {key for key in cols if table.column(key).text}
    prose = {key for key in cols if table.column(key).prose}
    per_line = {key: max(int(w * CHARACTERS_PER_WIDTH), 1) for key, w in widths.items()}   # as wrapped_height counts
    one_line = wrapped_height(())
    for r, row in enumerate(rows, start=2):
        height = one_line
        for key, c in cols.items():
            value = row.cells.get(key)
            if key in formulas:
                cell = ws.cell(row=r, column=c)
                try:
                    cell.value = "=" + formulas[key].format(row=r, **letters)
                except KeyError:   # a column the formula reads was taken out of the template
                    cell.value = None
            elif value is None or value == "":
                continue   # an empty cell is not written: thousands of rows stay quick to write and to save
            else:
                cell = ws.cell(row=r, column=c)
                if key in prose and isinstance(value, str):
                    value = unbreakable_ids(value)
                put(cell, value, styled=True)
                if isinstance(value, str) and (len(value) > per_line[key] or "\n" in value):
                    height = max(height, wrapped_height([(value, widths[key])]))
            kind = "@" if key in as_text else date_format if isinstance(value, date) else "General"
            cell._style = copy(style[key][kind])
        ws.row_dimensions[r].height = height
    return cols


def decorate(wb: Any, ws: Any, table: Table, cols: dict[str, int], rows: int, ctx: Context,
             page: dict[str, str]) -> None:
    """The table with filters and banded rows, frozen header, widths, wrapped cells, drop-downs and print setup."""
    last_row = max(rows + 1, 2)
    format_table(ws, table.name, {cols[c.key]: c.width for c in table.columns if c.key in cols}, last_row,
                 table.freeze, cells=False)
    dropdowns(wb, ws, {key: (c.choices(ctx), c.strict) for key, c in ((k, table.column(k)) for k in cols)
                       if c.choices}, cols, last_row, ctx.lang)
    print_pages(ws, page, ctx.lang, scale=table.print_scale,
                title_columns=table.title_columns)


def format_table(ws: Any, name: str, widths: dict[int, float], last_row: int, freeze: str, cells: bool = True) -> None:
    """An Excel table (filters, banded rows) over the sheet's columns down to `last_row`, the header frozen, column
    widths (by column index), a bold white header; with `cells`, every cell wrapped and each row tall enough to show
    them whole (write_rows does so as it writes)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table as XlTable
    from openpyxl.worksheet.table import TableStyleInfo

    from ..ooxml.xlsx import StyleCache, wrapped_height

    last_row = max(last_row, 2)
    xl = XlTable(displayName=name, ref=f"A1:{get_column_letter(ws.max_column)}{last_row}")
    xl.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(xl)
    ws.freeze_panes = freeze
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    wrap, styles = Alignment(wrap_text=True, vertical="top"), StyleCache()
    for row in ws.iter_rows(min_row=2, max_row=last_row if cells else 1):
        for cell in row:
            styles.apply(cell, alignment=wrap)
        ws.row_dimensions[row[0].row].height = wrapped_height((c.value, widths.get(c.column, UNSET_WIDTH)) for c in row
                                                              if not str(c.value or "").startswith("="))
    header_font, header_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=HEADER_FILL)
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = HEADER_POINTS


def lists_sheet(wb: Any, lang: str) -> Any:
    """The hidden sheet the drop-downs' words are written to (one per workbook)."""
    title = LISTS[lang]
    lists = wb[title] if title in wb.sheetnames else wb.create_sheet(title)
    lists.sheet_state = "hidden"
    return lists


def dropdowns(wb: Any, ws: Any, sources: dict[str, tuple[list[Any], bool]], cols: dict[str, int], last_row: int,
              lang: str, spans: dict[str, list[tuple[int, int]]] | None = None) -> None:
    """A drop-down per entry of `sources` ({key: (words, strict)}), from the header down to ROWS_OFFERED below the
    last row, or on the rows `spans` gives that key ([(first, last)]); a key 'grade@stage1' offers its own words in
    the 'grade' column. The words go to the hidden lists sheet, one column each."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..ooxml.xlsx import list_range

    lists = lists_sheet(wb, lang)
    end = last_row + ROWS_OFFERED
    for key, (words, strict) in sources.items():
        column_key = key.split("@")[0]
        if column_key not in cols:
            continue
        column = lists.max_column + 1 if lists.max_row > 1 or lists.cell(1, 1).value is not None else 1
        letter = get_column_letter(cols[column_key])
        dv = DataValidation(type="list", formula1=f"={list_range(lists, column, words)}", allow_blank=True,
                            showErrorMessage=True, errorStyle="stop" if strict else "warning", errorTitle="kitgen",
                            error="Choose a value from the list / Choisissez une valeur de la liste")
        for first, last in (spans or {}).get(key, [(2, end)]):
            dv.add(f"{letter}{first}:{letter}{last}")
        ws.add_data_validation(dv)


def highlight(ws: Any, formula: str, last_row: int, fill: str, font: str | None = None) -> None:
    """Colour the rows (from row 2 to ROWS_OFFERED below the last) where `formula`, written for row 2, holds."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    rng = f"A2:{get_column_letter(ws.max_column)}{last_row + ROWS_OFFERED}"
    ws.conditional_formatting.add(rng, FormulaRule(formula=[formula], fill=PatternFill("solid", bgColor=fill),
                                                   font=Font(color=font) if font else None))


def print_pages(ws: Any, page: dict[str, str], lang: str, *, scale: int | None = None,
                title_columns: str | None = "A:A") -> None:
    """Landscape A4, the header row (and `title_columns`) repeated on every page, and the frame every printed page
    carries (print_frame); as wide as the page unless a `scale` is given."""
    from ..ooxml.xlsx import FRAME_MARGIN_INCHES, HEADER_MARGIN_INCHES, SIDE_MARGIN_INCHES

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if scale is None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = scale
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_INCHES
    # room for the header and footer every page carries
    ws.page_margins.top = ws.page_margins.bottom = FRAME_MARGIN_INCHES
    ws.page_margins.header = ws.page_margins.footer = HEADER_MARGIN_INCHES
    ws.print_title_rows = "1:1"
    if title_columns:
        ws.print_title_cols = title_columns
    print_frame(ws, page, lang)


def print_frame(ws: Any, page: dict[str, str], lang: str) -> None:
    """What every printed page of a sheet shows (FormType.page): title and organisation at the top, version and
    the date its content stands as of at the bottom, page X of Y."""
    from ..ooxml.xlsx import set_print_frame

    set_print_frame(ws, (page["title"], page["org"]), (page["line"], ""), PAGE_WORDS[lang])


# -- reading ----------------------------------------------------------------------------------------------------------

Existing = Callable[[str, dict[str, str]], "Place | None"]
# what a row people added becomes: an entry to add, a problem (its file and cell are filled in) or nothing
NewRow = Callable[[dict[str, Any], dict[str, str], str, int], "Added | Problem | None"]


@dataclass
class Cells:
    """One row as read: each column's raw value and text, and how to name a cell in a message (its file, and its
    place in the file: `where('id')` is 'Risques!A4')."""

    number: int
    values: dict[str, Any]
    text: dict[str, str]
    formulas: set[str]
    where: Callable[[str], str]
    file: str = ""

    def problem(self, key: str, message: str, **fields: Any) -> Problem:
        """A problem about the cell of column `key`."""
        return problem(message, self.file, place=self.where(key), **fields)


def find_sheet(data: Any, titles: dict[str, str], reading: Reading) -> Any:
    """The sheet as read, or None with the problem said."""
    title = next((t for t in titles.values() if t in data.sheets), None)
    if title is None:
        reading.problems.append(problem(N_("no sheet {expected}; was the workbook restructured?"), reading.name,
                                        expected=" / ".join(titles.values()), hint=REBUILD, code="restructured"))
        return None
    sheet = data.sheets[title]
    if sheet.too_many:
        reading.problems.append(problem(N_("more than {count} rows; is this a workbook kitgen built?"), reading.name,
                                        place=title, count=len(sheet.rows), code="too-many-rows"))
        return None
    if not sheet.rows:
        reading.problems.append(problem(N_("empty sheet"), reading.name, place=title, code="restructured"))
        return None
    return sheet


def rows_of(sheet: Any, labels: dict[str, str], needed: list[str], reading: Reading) -> list[Cells] | None:
    """The sheet's rows under its header, by column key; None (the problem said) when the header lacks a column
    in `needed`."""
    from openpyxl.utils import get_column_letter

    _, header = sheet.rows[0]
    cols = columns_by_header(header, labels)
    missing = [k for k in needed if k not in cols]
    if missing:
        reading.problems.append(problem(N_("the header row lacks these columns: {expected}"), reading.name,
                                        place=f"{sheet.title}!1", expected=", ".join(missing), hint=REBUILD,
                                        code="restructured"))
        return None
    name = reading.name
    out = []
    for number, row in sheet.rows[1:]:
        values = {k: _plain(row[i]) if i < len(row) else None for k, i in cols.items()}
        formula_cols = sheet.formula_columns.get(number, set())
        formulas = {k for k, i in cols.items() if i in formula_cols}

        def where(key: str, number: int = number) -> str:
            return f"{sheet.title}!{get_column_letter(cols[key] + 1)}{number}"
        text = {k: ("" if v is None or k in formulas else cell_text(v)) for k, v in values.items()}
        out.append(Cells(number, values, text, formulas, where, name))
    return out


def header_language(sheet: Any, table: Table) -> str:
    """The language the sheet's header row is written in (messages name columns as the file does)."""
    folded = {fold(str(h)) for h in sheet.rows[0][1] if h is not None}
    fr = sum(fold(c.fr) in folded for c in table.columns)
    return "fr" if fr > sum(fold(c.en) in folded for c in table.columns) else "en"


def _plain(value: Any) -> Any:
    """A date cell's midnight datetime as the date it is."""
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    return value


def read_register(data: Any, table: Table, reading: Reading, ctx: Context, existing: Existing,
                  new_row: NewRow) -> None:
    """Read a register's table into `reading`: each known entry's values (every editable column present), the rows
    people added (through `new_row`), and the worked-out cells someone edited (not taken). A value nobody can read
    is a problem naming its cell, and nothing is taken from the file."""
    sheet = find_sheet(data, table.sheet, reading)
    if sheet is None:
        return
    rows = rows_of(sheet, table.labels(), [table.id_key], reading)
    if rows is None:
        return
    base = reading.base or {}
    lang = header_language(sheet, table)
    seen: dict[Place, str] = {}
    added = 0
    for cells in rows:
        if not any(cells.text.values()):
            continue
        typed_id = cells.text.get(table.id_key, "")
        place = existing(typed_id, cells.text) if typed_id else None
        if place is None and typed_id and not KINDS[table.kind].scoped:
            place = next((p for p in base if p[0] == table.kind and p[-1] == typed_id), None)  # gone from the project
        fields, problems = typed_fields(table, cells, ctx, new=place is None)
        problems = check_cells(table, cells) + problems
        if problems:
            reading.problems += problems
            continue
        if place is not None:
            if place in seen:
                reading.problems.append(cells.problem(table.id_key, N_("{value} is on two rows (also {other})"),
                                                      value=typed_id, other=seen[place], hint=N_("keep one"),
                                                      code="duplicate-row"))
                continue
            seen[place] = cells.where(table.id_key)
            was = base.get(place)
            reading.not_taken += edited_cells(table, cells, was, False, lang)
            reading.values[place] = _defaults(fields, was)
            continue
        reading.not_taken += edited_cells(table, cells, None, True, lang)
        if not any(v not in (None, "") for v in fields.values()):
            continue  # only worked-out cells typed: said above
        added += 1
        result = new_row(fields, cells.text, cells.where(table.id_key), added)
        if isinstance(result, Problem):
            reading.problems.append(replace(result, file=result.file or cells.file,
                                            place=result.place or cells.where(table.id_key)))
        elif result is not None:
            reading.added.append(result)


def check_cells(table: Table, cells: Cells) -> list[Problem]:
    """Characters no cell may hold, and formulas typed where a value is expected."""
    problems = []
    for key, typed in cells.text.items():
        try:
            check_text(typed)
        except ValueProblem as err:
            problems.append(err.at(cells.file, cells.where(key)))
    for key in cells.formulas:
        if not table.column(key).derived:
            problems.append(cells.problem(key, N_("a formula where a value is expected"),
                                          hint=N_("type the value itself"), code="formula"))
    return problems


def typed_fields(table: Table, cells: Cells, ctx: Context, new: bool) -> tuple[dict[str, Any], list[Problem]]:
    """The editable columns' values by project field (added-only ones on new rows only), and a problem naming the
    cell of each value nobody can read."""
    out: dict[str, Any] = {}
    problems = []
    for key in cells.values:
        col = table.column(key)
        if col.derived or (col.added_only and not new) or key in cells.formulas:
            continue
        typed = cells.text[key]
        if not typed:
            out[col.field] = None if col.parse else ""
            continue
        if unstorable(typed) or len(typed) > MAX_TEXT:
            continue   # _check says so
        try:
            out[col.field] = col.parse(cells.values[key], ctx) if col.parse else typed
        except ValueProblem as err:
            problems.append(err.at(cells.file, cells.where(key)))
    return out, problems


def _defaults(fields: dict[str, Any], was: dict[str, Any] | None) -> dict[str, Any]:
    """A value equal to the default the row showed, where the project named none, stays none."""
    if not was:
        return fields
    out = dict(fields)
    for f, value in fields.items():
        if DEFAULT + f in was and norm(was.get(f)) == "" and norm(value) == norm(was[DEFAULT + f]):
            out[f] = was.get(f)
    return out


def edited_cells(table: Table, cells: Cells, was: dict[str, Any] | None, added: bool, lang: str) -> list[Problem]:
    """Cells kitgen works out that someone typed over: each named, with what was typed (not taken)."""
    out = []
    for key, typed in cells.text.items():
        col = table.column(key)
        if key == table.id_key or not (col.derived or (col.added_only and not added)) or key in cells.formulas:
            continue
        if col.formula:
            changed = bool(typed)           # a value typed over the spreadsheet's formula
        elif added:
            changed = bool(typed) and not col.added_only
        elif was is None:
            continue                        # no base to compare with: nothing can be said
        else:
            changed = norm(cells.values[key]) != norm(was.get(SHOWN + key)) and typed != norm(was.get(SHOWN + key))
        if changed:
            out.append(cells.problem(key, WORKED_OUT[col.added_only], header=col.header(lang), value=typed,
                                     code="worked-out"))
    return out


# a cell kitgen works out (or, on a row it knows, shows from the project file), typed over: not taken
WORKED_OUT = {False: N_("{header} {value!r}: worked out by kitgen"),
              True: N_("{header} {value!r}: worked out by kitgen (change it in the project file)")}




# -- a register as a form ---------------------------------------------------------------------------------------------

BASE_SHEET = "_kitgen_base"


def saved_workbook(wb: Any, form: FormType, project: Project, key: str | None, lang: str, payload: str) -> Rendered:
    """The filled workbook as a generated file: its base payload in the hidden sheet, kitgen's identity and core
    properties (title, language, author), saved and normalised (stable zip entries and dates)."""
    from ..ooxml.xlsx import saved, set_core, set_properties, write_payload

    write_payload(wb, BASE_SHEET, payload)
    set_properties(wb, form.properties(project, key, lang))
    set_core(wb, form.core(project, key, lang))
    return Rendered(form.file_name(key), saved(wb, now()), payload)


class RegisterForm(FormType):
    """A register kitgen fills and reads back (.xlsx, one per project): the form module says which tables it has,
    how it fills them (returning the base) and how it reads them; this class does the rest."""

    per = "project"
    harvested = True
    packaged = True
    tables: tuple[Table, ...] = ()
    names: dict[str, str] = {}

    def title(self, project: Project, key: str | None, lang: str) -> str:
        return self.names[lang]

    def render_seconds(self, project: Project) -> float | None:
        from ..infra.limits import SECONDS

        ctx = Context(project, get_framework(project.framework), project.language)
        return SECONDS + SECONDS_PER_1000_ROWS * self.count(ctx) / 1000

    def count(self, ctx: Context) -> int:
        """How many rows the register holds (what its rendering time grows with)."""
        return len(self.rows(ctx))

    def rows(self, ctx: Context) -> list[Row]:
        """The rows of the register's (first) table, one per entry."""
        raise NotImplementedError

    def extras(self, wb: Any, ws: Any, cols: dict[str, int], rows: list[Row], ctx: Context) -> None:
        """What the register adds once its table is written: highlights, a legend…"""

    def fill(self, wb: Any, ctx: Context) -> dict[Place, dict[str, Any]]:
        """Fill the workbook opened from the template; returns the base."""
        rows = self.rows(ctx)
        table = fitted(self.tables[0], rows)
        ws = sheet_of(wb, table.sheet, ctx.lang)
        cols = write_rows(ws, table, rows, ctx)
        decorate(wb, ws, table, cols, len(rows), ctx, self.page(ctx.project, None, ctx.lang))
        self.extras(wb, ws, cols, rows, ctx)
        return base_of(table, rows)

    def read_tables(self, data: Any, ctx: Context, reading: Reading) -> None:
        """Fill `reading` from the workbook's sheets as read."""
        read_register(data, self.tables[0], reading, ctx, self.existing(ctx, reading), self.new_row(ctx))

    def existing(self, ctx: Context, reading: Reading) -> Existing:
        """The place of the entry a row's id names (None: a row people added)."""
        raise NotImplementedError

    def new_row(self, ctx: Context) -> NewRow:
        """What a row people added becomes (an Added), or why it cannot be taken (a Problem: its file and cell are
        filled in when it does not name them)."""
        raise NotImplementedError

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]]:
        ctx = Context(project, get_framework(project.framework), project.language)
        return base_of(self.tables[0], self.rows(ctx))

    def render(self, project: Project, key: str | None, lang: str, template: Path) -> Rendered:
        from openpyxl import load_workbook

        from ..ooxml.package import open_package
        from ..ooxml.xlsx import check_formulas

        with open_package(template, "xlsx") as package:
            wb = load_workbook(package.for_library())
        check_formulas(wb, template.name)
        base = self.fill(wb, Context(project, get_framework(project.framework), lang))
        return saved_workbook(wb, self, project, key, lang, base_payload(base))

    def check_template(self, path: Path, project: Project, lang: str) -> list[Problem]:
        from openpyxl import load_workbook

        from ..errors import TemplateError
        from ..ooxml.package import open_package
        from ..ooxml.xlsx import check_formulas, header_map

        with open_package(path, "xlsx") as package:
            wb = load_workbook(package.for_library(), read_only=True)
        problems: list[Problem] = []
        try:
            check_formulas(wb, path.name)
        except TemplateError as err:
            problems += [replace(p, file=str(path)) for p in err.problems]
        for table in self.tables:
            title = next((t for t in table.sheet.values() if t in wb.sheetnames), None)
            if title is None:
                problems.append(problem(N_("no sheet {expected}"), path, expected=" / ".join(table.sheet.values()),
                                        code="template"))
                continue
            found = header_map(wb[title], table.labels())
            shown = {fold(str(c.value)) for c in next(wb[title].iter_rows(max_row=1), ()) if c.value is not None}
            words = "en" if sum(fold(c.en) in shown for c in table.columns) > sum(
                fold(c.fr) in shown for c in table.columns) else lang   # as the header names its own columns
            missing = [c.header(words) for c in table.columns if c.key not in found]
            if missing:
                problems.append(problem(N_("missing columns in the header row: {expected}"), path, place=title,
                                        expected=", ".join(missing), code="template"))
        return problems

    def read(self, package: Any, project: Project, reading: Reading) -> None:
        from ..ooxml.xlsx import payload_text, read_workbook

        wanted = {t for table in self.tables for t in table.sheet.values()} | {BASE_SHEET}
        data = read_workbook(package, wanted)
        reading.payload = payload_text(data.sheets.get(BASE_SHEET))
        reading.base = parse_base(reading.payload)
        self.read_tables(data, Context(project, get_framework(project.framework), project.language, reading.lang),
                         reading)
