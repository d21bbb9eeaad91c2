"""Reads what people put in Word files: table cells (text, checkboxes) and paragraphs, found without
relying on content-control tags (LibreOffice drops them and wraps checkboxes in an extra w:sdt).

Works on the XML with lxml (python-docx skips text inside content controls). Sizes that would make reading
unbounded (rows per table, the columns a cell spans) are capped.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ..errors import N_
from ..infra.text import clean_text, plain
from .package import Package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MAX_SPAN = 64          # Word's tables have at most 63 columns
MAX_TABLE_ROWS = 5000  # far more than any form holds; beyond, the file is refused rather than read slowly
MAX_DOCUMENT_ROWS = 20000  # in all tables together: four full tables; more, and the document is refused unparsed
MIN_ROW_BYTES = 7          # the smallest row: <w:tr/>


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{W if prefix == 'w' else W14}}}{name}"


T, P, TC, TR, TBL, SDT = q("w:t"), q("w:p"), q("w:tc"), q("w:tr"), q("w:tbl"), q("w:sdt")
CHECKBOX14, CHECKBOX = q("w14:checkbox"), q("w:checkBox")
R, RUN_TAB, BR, CR = q("w:r"), q("w:tab"), q("w:br"), q("w:cr")
NO_BREAK_HYPHEN = q("w:noBreakHyphen")
CHECKED14, VAL14, CHECKED, DEFAULT, VAL = q("w14:checked"), q("w14:val"), q("w:checked"), q("w:default"), q("w:val")
TRUE = ("1", "true", "on")


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text and the checkbox states it holds (in order)."""

    text: str
    boxes: tuple[bool, ...] = ()


def paragraph_text(p: etree._Element) -> str:
    """The text of a paragraph: runs, tabs and line breaks (deleted text left out), typesetting spaces and hyphens
    read as plain ones."""
    out = []
    for el in p.iter(T, RUN_TAB, BR, CR, NO_BREAK_HYPHEN):
        if el.tag == T:
            out.append(el.text or "")
        elif el.tag == NO_BREAK_HYPHEN:
            out.append("-")
        elif el.tag != RUN_TAB or el.getparent().tag == R:  # a tab in a run, not a paragraph's tab stop
            out.append("\t" if el.tag == RUN_TAB else "\n")
    return plain("".join(out))


_SPAN_PATH = f"{q('w:tcPr')}/{q('w:gridSpan')}"


def grid_span(tc: etree._Element) -> int:
    """How many grid columns a cell spans (1 to MAX_SPAN, whatever the file says)."""
    span = tc.find(_SPAN_PATH)
    try:
        value = int(span.get(VAL, "1")) if span is not None else 1
    except ValueError:
        value = 1
    return min(max(value, 1), MAX_SPAN)


def _checked(box: etree._Element) -> bool:
    if box.tag == CHECKBOX14:
        checked = box.find(CHECKED14)
        return checked is not None and checked.get(VAL14, "0").lower() in TRUE
    checked = box.find(CHECKED)  # a legacy form field: <w:checked/> alone means ticked
    if checked is not None:
        return checked.get(VAL, "1").lower() in TRUE
    default = box.find(DEFAULT)
    return default is not None and default.get(VAL, "0").lower() in TRUE


def read_cell(tc: etree._Element) -> Cell:
    """A cell's text (paragraphs on their own lines) and its checkbox states (content controls and legacy fields, in
    order)."""
    boxes = tuple(_checked(b) for b in tc.iter(CHECKBOX14, CHECKBOX))
    text = clean_text("\n".join(paragraph_text(p) for p in tc.iter(P)))
    return Cell(text=text, boxes=boxes)


def _own(children: Iterator[etree._Element], tag: str) -> Iterator[etree._Element]:
    """Direct children of a tag, also through content controls wrapping them (w:sdt/w:sdtContent)."""
    for child in children:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(q("w:sdtContent"))
            if content is not None:
                yield from _own(iter(content), tag)


def table_rows(tbl: etree._Element, refuse: Package | None = None) -> list[list[Cell]]:
    """A table as rows of cells; a merged cell stands in each column it spans. Nested tables are not entered."""
    rows: list[list[Cell]] = []
    for tr in _own(iter(tbl), TR):
        if len(rows) >= MAX_TABLE_ROWS:
            if refuse is not None:
                raise refuse.refuse(N_("a table with more than {limit} rows; is this a kitgen form?"),
                                    limit=MAX_TABLE_ROWS)
            break
        cells: list[Cell] = []
        for tc in _own(iter(tr), TC):
            cell = read_cell(tc)
            cells.append(cell)
            cells += [Cell(text=cell.text) for _ in range(grid_span(tc) - 1)]
        rows.append(cells)
    return rows


def body(package: Package) -> etree._Element:
    """The body element of a Word document (an empty one when the document has none).

    A document with far more table rows than any form holds is refused before it is parsed (bounded time).
    """
    part = package.part("word/document.xml")
    # a row takes at least MIN_ROW_BYTES: a smaller part cannot hold too many, and is not searched
    rows = part.count(b"<w:tr") if len(part) > MIN_ROW_BYTES * MAX_DOCUMENT_ROWS else 0
    if rows > MAX_DOCUMENT_ROWS:
        raise package.refuse(N_("{count} table rows, more than a kitgen form holds ({limit}); is this a kitgen form?"),
                             count=rows, limit=MAX_DOCUMENT_ROWS)
    root = package.xml("word/document.xml")
    found = root.find(q("w:body"))
    return found if found is not None else etree.Element(q("w:body"))


def read_tables(package: Package) -> list[list[list[Cell]]]:
    """Every top-level table of the body (also inside block content controls), as rows of cells."""
    return [table_rows(tbl, package) for tbl in body(package).iter(TBL)
            if not any(a.tag == TBL for a in tbl.iterancestors())]
