"""Fill generated evaluation forms the ways people do: Word's checkbox toggles, legacy fields, typed marks, text."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14}
SCALE_TABLES = {1: 0, 2: 1, 3: 2, 8: 7}
TEXT_TABLES = {"superfluous": (3, 1), "topic": (4, 1), "justification": (4, 2), "error": (5, 1), "location": (5, 2),
               "comments": (6, 1)}


def _run(text: str) -> etree._Element:
    r = etree.Element(f"{{{W}}}r")
    t = etree.SubElement(r, f"{{{W}}}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _legacy_checkbox(checked: bool) -> list[etree._Element]:
    begin = etree.fromstring(
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{"<w:checked/>" if checked else ""}</w:checkBox>'
        '</w:ffData></w:fldChar></w:r>')
    instr = etree.fromstring(f'<w:r xmlns:w="{W}"><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>')
    end = etree.fromstring(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>')
    return [begin, instr, end]


def fill(src: Path, dst: Path, scales: dict[int, list[int]], texts: dict[str, str] | None = None,
         how: str = "word", name: str = "", email: str = "") -> Path:
    """Copy `src` to `dst` ticking, per scale question, the options listed (1 = first), the way `how` says:
    word (w14:checked and the ☒ glyph), legacy (FORMCHECKBOX fields replace the controls), typed (an X typed beside)."""
    shutil.copyfile(src, dst)
    with zipfile.ZipFile(dst) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    tables = root.findall(".//w:body/w:tbl", NS)
    for question, ticks in scales.items():
        cells = tables[SCALE_TABLES[question]].findall("w:tr", NS)[1].findall("w:tc", NS)
        for option, tc in enumerate(cells, start=1):
            sdt = tc.find(".//w:sdt", NS)
            on = option in ticks
            if how == "word":
                if on:
                    sdt.find(".//w14:checked", NS).set(f"{{{W14}}}val", "1")
                    sdt.find(".//w:sdtContent//w:t", NS).text = "☒"
            elif how == "legacy":
                p = sdt.getparent()
                index = list(p).index(sdt)
                p.remove(sdt)
                for k, run in enumerate(_legacy_checkbox(on)):
                    p.insert(index + k, run)
            elif how == "typed":
                if on:
                    p = sdt.getparent()
                    p.insert(list(p).index(sdt) + 1, _run(" X"))
    for key, text in (texts or {}).items():
        t_index, row = TEXT_TABLES[key]
        tc = tables[t_index].findall("w:tr", NS)[row].findall("w:tc", NS)[1]
        tc.find("w:p", NS).append(_run(text))
    if name or email:
        optional = tables[8]
        for row, value in zip(optional.findall("w:tr", NS), (name, email)):
            if value:
                row.findall("w:tc", NS)[1].find("w:p", NS).append(_run(value))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return dst
