"""openpyxl helpers that know no domain: text that stays text, header lookup, a hidden payload sheet, custom properties."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import (
    BoolProperty,
    FloatProperty,
    IntProperty,
    StringProperty,
)
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .text import fold

CHUNK = 30000  # below Excel's 32,767 characters per cell
DATE_FORMAT = "yyyy-mm-dd"


def put(cell: Cell, value: Any) -> None:
    """Write a value; text is always text (never a formula), dates get a date format."""
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would store '=…' as a formula otherwise
    else:
        cell.value = value


def header_map(ws: Worksheet, labels: dict[str, str], row: int = 1) -> dict[str, int]:
    """{key: column index} for header cells whose folded text matches a label in `labels` ({folded label: key})."""
    found: dict[str, int] = {}
    for cell in ws[row]:
        if cell.value is not None:
            key = labels.get(fold(str(cell.value)))
            if key and key not in found:
                found[key] = cell.column
    return found


def write_payload(wb: Workbook, title: str, payload: str) -> None:
    """Store `payload` in a hidden sheet, split across cells of column A."""
    ws = wb.create_sheet(title)
    for i in range(0, max(len(payload), 1), CHUNK):
        ws.cell(row=i // CHUNK + 1, column=1).value = payload[i:i + CHUNK]
        ws.cell(row=i // CHUNK + 1, column=1).data_type = "s"
    ws.sheet_state = "hidden"


def read_payload(wb: Workbook, title: str) -> str | None:
    """The payload written by write_payload, or None when the sheet is gone."""
    if title not in wb.sheetnames:
        return None
    ws = wb[title]
    return "".join(str(row[0]) for row in ws.iter_rows(min_col=1, max_col=1, values_only=True) if row[0] is not None)


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
