"""Reads what people put in Word files: table cells (text, checkboxes, typed marks), found without relying on tags.

Works on the XML with lxml (python-docx skips text inside content controls), after safety.check_package.
LibreOffice drops w:tag and wraps checkboxes in an extra w:sdt: values are taken from the innermost control.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .safety import parse_xml
from .text import clean_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MARKS = {"x", "☒", "✓", "✔", "☑", "✗", "✘"}


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{W if prefix == 'w' else W14}}}{name}"


@dataclass
class Cell:
    """One table cell: its text, the checkbox states it holds (in order), and the text typed outside checkboxes."""

    text: str
    boxes: list[bool] = field(default_factory=list)
    typed: str = ""

    @property
    def marked(self) -> bool:
        """Ticked: a checked checkbox (content control or legacy field), or a typed mark (X, ☒, ✓) in the cell."""
        if any(self.boxes):
            return True
        words = self.typed.replace("☐", " ").replace("[", " ").replace("]", " ").split()
        return any(w.lower() in MARKS or w[:1] in MARKS - {"x"} for w in words)


def _paragraph_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(q("w:t"), q("w:tab"), q("w:br"), q("w:cr"), q("w:delText")):
        if el.tag == q("w:t"):
            out.append(el.text or "")
        elif el.tag in (q("w:tab"),):
            out.append("\t")
        elif el.tag in (q("w:br"), q("w:cr")):
            out.append("\n")
    return "".join(out)


def _checkbox_states(tc: etree._Element) -> list[bool]:
    """Checkbox states in document order: content controls (innermost), then legacy form fields."""
    states: list[tuple[int, bool]] = []
    order = {el: i for i, el in enumerate(tc.iter())}
    for box in tc.iter(q("w14:checkbox")):
        checked = box.find(q("w14:checked"))
        value = checked is not None and checked.get(q("w14:val"), "0").lower() in ("1", "true", "on")
        states.append((order[box], value))
    for box in tc.iter(q("w:checkBox")):
        checked = box.find(q("w:checked"))
        if checked is not None:
            value = checked.get(q("w:val"), "1").lower() in ("1", "true", "on")
        else:
            default = box.find(q("w:default"))
            value = default is not None and default.get(q("w:val"), "0").lower() in ("1", "true", "on")
        states.append((order[box], value))
    return [v for _, v in sorted(states)]


def _typed_text(tc: etree._Element) -> str:
    """Text of the cell outside checkbox controls and legacy checkbox fields (where a person types an X)."""
    out = []
    for t in tc.iter(q("w:t")):
        inside_box = any(
            (a.tag == q("w:sdt") and a.find(f"{q('w:sdtPr')}/{q('w14:checkbox')}") is not None) for a in t.iterancestors())
        if not inside_box:
            out.append(t.text or "")
    return " ".join(out)


def _cell(tc: etree._Element) -> Cell:
    paragraphs = [_paragraph_text(p) for p in tc.iter(q("w:p"))]
    boxes = _checkbox_states(tc)
    return Cell(text=clean_text("\n".join(paragraphs)), boxes=boxes, typed=_typed_text(tc))


def _rows(tbl: etree._Element) -> list[list[Cell]]:
    rows = []
    for tr in tbl.iter(q("w:tr")):
        if tr.getparent() is not tbl and tr.getparent().getparent() is not tbl:  # skip nested tables' rows
            continue
        cells: list[Cell] = []
        for tc in tr.iter(q("w:tc")):
            if tc.getparent() is not tr and tc.getparent().getparent() is not tr:
                continue
            span = tc.find(f"{q('w:tcPr')}/{q('w:gridSpan')}")
            cell = _cell(tc)
            cells.append(cell)
            for _ in range(int(span.get(q("w:val"), "1")) - 1 if span is not None else 0):
                cells.append(Cell(text=cell.text))  # a merged cell stands in each column it spans
        rows.append(cells)
    return rows


def read_tables(path: Path) -> list[list[list[Cell]]]:
    """Every top-level table of the body (also inside block content controls), as rows of cells."""
    with zipfile.ZipFile(path) as zf:
        root = parse_xml(zf.read("word/document.xml"), path)
    body = root.find(q("w:body"))
    if body is None:
        return []
    tables = []
    for tbl in body.iter(q("w:tbl")):
        if any(a.tag == q("w:tbl") for a in tbl.iterancestors()):
            continue
        tables.append(_rows(tbl))
    return tables
