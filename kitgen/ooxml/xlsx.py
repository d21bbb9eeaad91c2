"""openpyxl helpers that know no domain: text that stays text, header lookup, a hidden payload sheet, custom properties."""
from __future__ import annotations

import io
import re
import zipfile
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Iterable, Iterator
from xml.parsers.expat import ExpatError

from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import (
    BoolProperty,
    FloatProperty,
    IntProperty,
    StringProperty,
)
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import N_
from ..infra.text import columns_by_header
from .package import ZIP_ERRORS, Package
from .parts import normalize_package

CHUNK = 30000  # below Excel's 32,767 characters per cell
DATE_FORMAT = "yyyy-mm-dd"


LINE_POINTS = 13       # one wrapped line of 11-point text
MAX_ROW_POINTS = 409   # the tallest row Excel and LibreOffice keep
ROW_PADDING_POINTS = 2  # above and below a row's lines, so that the last one is not clipped
# characters of 11-point text one unit of column width holds (the unit is a digit's width: most letters are narrower)
CHARACTERS_PER_WIDTH = 1.1
FRAME_POINTS = 8       # the printed page's header and footer: small print, away from the table
# Page margins, in inches: narrow sides, so that wide tables print at a readable scale; more above and below, room
# for the header and footer every printed page carries, which sit this close to the page's edge
SIDE_MARGIN_INCHES = 0.3
FRAME_MARGIN_INCHES = 0.75
HEADER_MARGIN_INCHES = 0.3


def wrapped_height(values: Iterable[tuple[Any, float]]) -> float:
    """The height (points) a row needs so that each (value, column width) shows whole when wrapped: LibreOffice does
    not grow wrapped rows on open."""
    lines = 1
    for value, width in values:
        if isinstance(value, str):
            per_line = max(int(width * CHARACTERS_PER_WIDTH), 1)
            lines = max(lines, sum(len(part) // per_line + 1 for part in value.split("\n")))
    return min(LINE_POINTS * lines + ROW_PADDING_POINTS, MAX_ROW_POINTS)


def put(cell: Cell, value: Any, date_format: str = DATE_FORMAT, styled: bool = False) -> None:
    """Write a value; text is always text (never a formula), dates get `date_format` (unless `styled`: the caller
    gives the cell its style)."""
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, (date, datetime)):
        cell.value = value
        if not styled:
            cell.number_format = date_format
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would store '=…' as a formula otherwise
    else:
        cell.value = value


def style_array(ws: Worksheet, **styles: Any) -> Any:
    """The style (openpyxl's StyleArray) a cell of `ws` gets from `styles` (alignment=…, number_format=…): work it out
    once, then give it to thousands of cells with `cell._style = copy(style)` — setting a style on each cell makes
    openpyxl work it out (hash it) again every time, which costs seconds over a register."""
    scratch = Cell(ws)
    for name, value in styles.items():
        setattr(scratch, name, value)
    return copy(scratch._style)


class StyleCache:
    """Give many cells, whatever style they already have, the same styles quickly: each (style the cell had, styles
    asked) is worked out once and copied to the other cells. The style objects must outlive the cache (they are
    told apart by identity)."""

    def __init__(self) -> None:
        self.done: dict[tuple[Any, ...], Any] = {}

    def apply(self, cell: Cell, **styles: Any) -> None:
        key = (tuple(cell._style or ()), *((name, id(value)) for name, value in sorted(styles.items())))
        known = self.done.get(key)
        if known is not None:
            cell._style = copy(known)
            return
        for name, value in styles.items():
            setattr(cell, name, value)
        self.done[key] = copy(cell._style)


def header_map(ws: Worksheet, labels: dict[str, str], row: int = 1) -> dict[str, int]:
    """{key: column index} for header cells whose folded text matches a label in `labels` ({folded label: key})."""
    return columns_by_header((cell.value for cell in ws[row]), labels, first=1)


def write_payload(wb: Workbook, title: str, payload: str) -> None:
    """Store `payload` in a hidden sheet, split across cells of column A."""
    ws = wb.create_sheet(title)
    for i in range(0, max(len(payload), 1), CHUNK):
        ws.cell(row=i // CHUNK + 1, column=1).value = payload[i:i + CHUNK]
        ws.cell(row=i // CHUNK + 1, column=1).data_type = "s"
    ws.sheet_state = "hidden"


def header_footer_text(text: str) -> str:
    """Plain text as a header or footer section holds it ('&' doubled: a single one starts a code)."""
    return text.replace("&", "&&")


def set_print_frame(ws: Worksheet, header: tuple[str, str], footer: tuple[str, str], page_words: tuple[str, str]) -> None:
    """What every printed page of `ws` shows: `header` (left, right) at the top, `footer` (left, centre) at the
    bottom and 'page X of Y' (`page_words`: 'page', 'of') at the bottom right; plain texts."""
    ws.oddHeader.left.text, ws.oddHeader.right.text = (header_footer_text(t) for t in header)
    ws.oddFooter.left.text, ws.oddFooter.center.text = (header_footer_text(t) for t in footer)
    ws.oddFooter.right.text = f"{header_footer_text(page_words[0])} &P {header_footer_text(page_words[1])} &N"
    for part in (ws.oddHeader.left, ws.oddHeader.right, ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = FRAME_POINTS


def set_core(wb: Workbook, values: dict[str, str]) -> None:
    """The workbook's core properties (creator, lastModifiedBy, title, language…), never the library's name."""
    for name, value in values.items():
        setattr(wb.properties, name, value)


def saved(wb: Workbook, moment: datetime) -> bytes:
    """The workbook as a package normalised at `moment` (see parts.normalize_package), compressed once: openpyxl
    writes it stored, as workbook.save would but for the compression, which normalising does again anyway."""
    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True)).save()  # closes the zip
    return normalize_package(buf.getvalue(), moment)


def set_properties(wb: Workbook, props: dict[str, Any]) -> None:
    """Custom document properties (typed as given)."""
    for name, value in props.items():
        if isinstance(value, bool):
            prop: Any = BoolProperty(name=name, value=value)
        elif isinstance(value, int):
            prop = IntProperty(name=name, value=value)
        elif isinstance(value, float):
            prop = FloatProperty(name=name, value=value)
        else:
            prop = StringProperty(name=name, value=str(value))
        wb.custom_doc_props.append(prop)


def list_range(ws: Worksheet, column: int, values: Iterable[str]) -> str:
    """Write `values` down `column` of `ws` and return an absolute reference for a list validation."""
    from openpyxl.utils import get_column_letter

    n = 0
    for n, value in enumerate(values, start=1):
        put(ws.cell(row=n, column=column), value)
    letter = get_column_letter(column)
    return f"'{ws.title}'!${letter}$1:${letter}${max(n, 1)}"


# Functions a user's template may compute with: pure arithmetic, logic, text and dates. Anything else (WEBSERVICE,
# FILTERXML, HYPERLINK, CALL, REGISTER, INDIRECT, RTD, …) could reach outside the workbook when the plan is opened.
PURE_FUNCTIONS = frozenset("""
ABS AND AVERAGE AVERAGEIF AVERAGEIFS CEILING CHOOSE CONCAT CONCATENATE COUNT COUNTA COUNTBLANK COUNTIF COUNTIFS DATE
DATEDIF DATEVALUE DAY DAYS EDATE EOMONTH EXACT FALSE FIND FLOOR IF IFERROR IFNA IFS INDEX INT ISBLANK ISERROR ISNUMBER
ISTEXT LARGE LEFT LEN LOWER MATCH MAX MAXIFS MEDIAN MID MIN MINIFS MOD MONTH NETWORKDAYS NOT NOW OR PRODUCT PROPER
RANK REPT RIGHT ROUND ROUNDDOWN ROUNDUP ROW ROWS SEARCH SMALL SUBSTITUTE SUBTOTAL SUM SUMIF SUMIFS SUMPRODUCT SWITCH
TEXT TODAY TRIM TRUE UPPER VALUE VLOOKUP HLOOKUP WEEKDAY WEEKNUM WORKDAY XLOOKUP YEAR
""".split())
_FUNCTION = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
_QUOTED = re.compile(r'"[^"]*"')


def formula_problem(formula: str) -> tuple[str, str] | None:
    """Why a formula may not stay in a template (an external call, a link, a function off the list) as an N_()
    msgid and its `{value}`, or None."""
    bare = _QUOTED.sub('""', formula)
    if "|" in bare:
        return N_("formula refused: it holds a DDE link (|)"), "|"
    for name in _FUNCTION.findall(bare):
        short = name.upper().removeprefix("_XLFN.").removeprefix("_XLWS.")
        if short not in PURE_FUNCTIONS:
            return N_("formula refused: it calls the function {value}"), short
    if "[" in bare or "://" in formula:
        return N_("formula refused: it links to another workbook or address"), formula
    return None


PURE_ONLY = N_("a template may only compute with pure functions (SUM, IF, COUNT…)")


def check_formulas(wb: Workbook, template: str) -> None:
    """Refuse a template workbook holding a formula that could act outside it; TemplateError names the cell (or the
    defined name)."""
    from ..errors import TemplateError

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                text = getattr(value, "text", value)  # array formulas keep their text in .text
                if cell.data_type == "f":
                    problem = formula_problem(str(text))
                    if problem:
                        raise TemplateError(problem[0], template, place=f"{ws.title}!{cell.coordinate}",
                                            value=problem[1], hint=PURE_ONLY, code="formula-refused")
    if getattr(wb, "_external_links", None):
        raise TemplateError(N_("links to other workbooks refused: a template is one self-contained workbook"),
                            template, code="formula-refused")
    for name, defined in wb.defined_names.items():
        problem = formula_problem(str(defined.attr_text or ""))
        if problem:
            raise TemplateError(problem[0], template, place=name, value=problem[1], hint=PURE_ONLY,
                                code="formula-refused")


# What openpyxl raises on a damaged workbook: its own checks, its XML parsers' (lxml, ElementTree, expat), zip's
LIBRARY_ERRORS = (KeyError, ValueError, TypeError, IndexError, AttributeError, SyntaxError, ExpatError, *ZIP_ERRORS)
MAX_ROWS = 10_000    # non-empty rows read from one sheet; a very small organisation's plan holds a few hundred
MAX_COLUMNS = 64     # columns read from one sheet: more than any kitgen sheet has (the action plan: 25)
DAMAGED, SAVE_AGAIN = N_("damaged workbook ({detail})"), N_("save it again in Excel or LibreOffice")


@dataclass
class Sheet:
    """The values of one worksheet as read: non-empty rows with their numbers, and the cells holding formulas."""

    title: str
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    formulas: dict[int, str] = field(default_factory=dict)   # row number -> first formula cell ("N3")
    formula_columns: dict[int, set[int]] = field(default_factory=dict)  # row number -> columns (0-based) of formulas
    too_many: bool = False


@dataclass
class WorkbookData:
    """What kitgen reads from a workbook: its sheet names and the sheets asked for, as plain values."""

    sheetnames: list[str]
    sheets: dict[str, Sheet]


def read_workbook(package: Package, wanted: Iterable[str]) -> WorkbookData:
    """Read the sheets named in `wanted` (those present) from a checked package, as plain values.

    Reads up to the last non-empty row whatever the sheet's declared dimension says (LibreOffice Calc writes
    A1:T1048576 after deleting rows); stops, flagging `too_many`, past MAX_ROWS non-empty rows.
    """
    from openpyxl import load_workbook

    try:
        wb = load_workbook(package.for_library(), read_only=True)
    except LIBRARY_ERRORS as err:
        raise package.refuse(DAMAGED, detail=type(err).__name__, hint=SAVE_AGAIN) from None
    try:
        data = WorkbookData(list(wb.sheetnames), {})
        for title in wanted:
            if title in wb.sheetnames:
                data.sheets[title] = _read_sheet(wb[title], title)
        return data
    except LIBRARY_ERRORS as err:
        # openpyxl parses sheets lazily: a damaged sheet fails here, not at load_workbook
        raise package.refuse(DAMAGED, detail=type(err).__name__, hint=SAVE_AGAIN) from None
    finally:
        wb.close()


def _written_rows(ws: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, its first MAX_COLUMNS cells) for each row the sheet's XML holds, in order. openpyxl's iter_rows
    also yields an empty row for each row missing between two written ones: a million when LibreOffice Calc has
    written a styled row near row 1048576 (it does after a row is deleted), a tenth to a quarter of a second of CPU
    per sheet. This is its own loop over openpyxl's sheet parser, less that filling (openpyxl < 3.2: see pyproject)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(source, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, row in parser.parse():
            yield number, ws._get_row(row, 1, MAX_COLUMNS)


def _read_sheet(ws: Any, title: str) -> Sheet:
    sheet = Sheet(title)
    for number, cells in _written_rows(ws):
        values = [c.value for c in cells]
        if all(v is None or v == "" for v in values):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            sheet.too_many = True
            break
        formula = next((c.coordinate for c in cells if getattr(c, "data_type", None) == "f"), None)
        if formula:
            sheet.formulas[number] = formula
            sheet.formula_columns[number] = {i for i, c in enumerate(cells) if getattr(c, "data_type", None) == "f"}
        sheet.rows.append((number, values))
    return sheet


def payload_text(sheet: Sheet | None) -> str | None:
    """The payload written by write_payload, from its sheet as read (None when the sheet is gone)."""
    if sheet is None:
        return None
    return "".join(str(values[0]) for _, values in sheet.rows if values and values[0] is not None)
