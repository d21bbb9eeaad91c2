"""Helpers the template builder uses to lay out Word templates: pages, tables whose columns are never narrower than
their header's longest word, shaded headers repeated on each page, Jinja loops, page-number fields, checkboxes."""
from __future__ import annotations

import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from kitgen.forms.typeset import typeset
from kitgen.ooxml.docx_text import drop_word2010_styles

HEADER_FILL = "D9E2F3"
LABEL_FILL = "EEF2F8"
WARNING_FILL = "F8CBAD"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
# Average width of a bold character, in em, for the widest font a reader may see (LibreOffice replaces Arial with
# DejaVu Sans where Liberation Sans is missing): a column is at least its header's longest word at this width.
BOLD_EM = 0.64
REGULAR_EM = 0.58
CELL_PADDING_CM = 0.45


LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-GB"}
# The language of the template being built (new_document sets it): its own words are typeset for it when written
# (French no-break spaces), so that documents need no typesetting pass at run time beyond their values'
_building = {"lang": "en"}
_JINJA = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")


def typeset_static(text: str) -> str:
    """The template's own words typeset for its language; Jinja tags left exactly as they are."""
    return "".join(part if _JINJA.fullmatch(part) else typeset(part, _building["lang"], ids=False)
                   for part in _JINJA.split(text))


def new_document(lang: str, landscape: bool = False) -> Document:
    """An A4 document in Arial whose proofing language is `lang`'s (fr-FR / en-GB), authored by kitgen."""
    _building["lang"] = lang
    doc = Document()
    drop_word2010_styles(doc)
    doc.core_properties.author = doc.core_properties.last_modified_by = "kitgen"
    doc.core_properties.comments = ""
    doc.core_properties.language = LANGUAGE_TAGS[lang]
    for lang_el in doc.styles.element.iter(qn("w:lang")):
        lang_el.set(qn("w:val"), LANGUAGE_TAGS[lang])
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Cm(1.8))
    sec.top_margin = sec.bottom_margin = Cm(1.8)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    for name, size in (("Title", 20), ("Heading 1", 13), ("Heading 2", 11)):
        st = doc.styles[name]
        st.font.name = "Arial"
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
    return doc


def shade(cell, fill: str = HEADER_FILL) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def cant_split(row) -> None:
    """A row that never breaks across pages (Word and LibreOffice move it whole to the next page)."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.insert(0, el)


def keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


# Capitals and digits are wider than the average letter (DejaVu Sans: 'A' 0.68 em, '0' 0.64 em): ids such as
# AUD-2026-01-F1 need this width, not the average's
WIDE_EM = 0.72


def word_width_cm(word: str, font_pt: float, em: float = BOLD_EM) -> float:
    """A conservative width of one word set at `font_pt` (bold by default)."""
    wide = sum(1 for c in word if c.isupper() or c.isdigit())
    return (wide * max(em, WIDE_EM) + (len(word) - wide) * em) * font_pt * 2.54 / 72


def fit_widths(headers: list[str], widths: list[float], font_pt: float,
               content: list[list[str]] | None = None) -> list[float]:
    """Column widths no narrower than each header's longest word, nor than the longest word the column may hold
    (`content`: texts per column), so that words wrap between each other only; the table's total width is kept
    by taking the difference from the columns with room to spare."""
    content = content or [[] for _ in headers]
    need = [max([word_width_cm(w, font_pt) for w in h.split()]
                + [word_width_cm(w, font_pt, REGULAR_EM) for text in texts for w in text.split()], default=0)
            + CELL_PADDING_CM for h, texts in zip(headers, content)]
    if sum(need) > sum(widths) + 0.01:
        raise ValueError(f"columns {headers} need {sum(need):.1f} cm, more than the {sum(widths):.1f} cm given: "
                         "widen the table, drop a column or set a smaller font")
    out = [max(w, n) for w, n in zip(widths, need)]
    excess = sum(out) - sum(widths)
    spare = [max(o - n, 0) for o, n in zip(out, need)]
    if excess > 0 and sum(spare) > 0:
        ratio = min(excess / sum(spare), 1)
        out = [o - s * ratio for o, s in zip(out, spare)]
    return out


def table(doc, headers: list[str], widths_cm: list[float], rows: list[list[str]] = (), *, header: bool = True,
          font: float = 9, content: list[list[str]] | None = None, together: bool = False):
    """A table with a shaded header row repeated on each page; no row breaks across pages; `together` keeps the
    whole table on one page (short tables: a summary, signatures)."""
    if header and headers:
        widths_cm = fit_widths(headers, widths_cm, font, content)
    t = doc.add_table(rows=0, cols=len(widths_cm))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    all_rows = ([headers] if header else []) + [list(r) for r in rows]
    for i, values in enumerate(all_rows):
        row = t.add_row()
        for j, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = Cm(widths_cm[j])
            para = cell.paragraphs[0]
            run = para.add_run(typeset_static(value))
            run.font.size = Pt(font)
            if header and i == 0:
                run.bold = True
                shade(cell)
        if header and i == 0:
            repeat_header(row)
        cant_split(row)
    if together:
        for row in t.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    keep_with_next(paragraph)
    return t


def label_rows(doc, pairs: list[tuple[str, str]], widths=(5.5, 11.9), together: bool = True):
    t = table(doc, [], list(widths), [list(p) for p in pairs], header=False, font=10, together=together)
    for row in t.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True
        shade(row.cells[0], LABEL_FILL)
    return t


def para(doc, text: str, style: str | None = None, *, bold: bool = False, italic: bool = False, size: float | None = None,
         align=None):
    p = doc.add_paragraph(style=style)
    if text:
        r = p.add_run(typeset_static(text))
        r.bold, r.italic = bold, italic
        if size:
            r.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def label_para(doc, text: str):
    """A bold label introducing what follows: space above it, kept on the page of what it introduces."""
    p = para(doc, text, bold=True)
    p.paragraph_format.space_before = Pt(9)
    keep_with_next(p)
    return p


def loop_paragraphs(doc, loop: str, body: str, style: str = "List Bullet", end: str = "{%p endfor %}") -> None:
    para(doc, "{%p " + loop + " %}")
    para(doc, body, style)
    para(doc, end)


def bullets_or(doc, items: str, body: str, empty: str, *, var: str = "x", italic: bool = False) -> None:
    """A bullet per item of the list `items`, or the `empty` text when it has none."""
    para(doc, "{%p if " + items + " %}")
    loop_paragraphs(doc, f"for {var} in {items}", body)
    para(doc, "{%p else %}")
    para(doc, empty, italic=italic)
    para(doc, "{%p endif %}")


def loop_rows(doc, headers: list[str], widths: list[float], loop: str, cells: list[str], font: float = 9,
              content: list[list[str]] | None = None):
    n = len(cells)
    return table(doc, headers, widths, [["{%tr " + loop + " %}"] + [""] * (n - 1), cells,
                                        ["{%tr endfor %}"] + [""] * (n - 1)], font=font, content=content)


def rows_or(doc, items: str, headers: list[str], widths: list[float], cells: list[str], empty: str, *,
            var: str, font: float = 9, content: list[list[str]] | None = None) -> None:
    """A table with a row per item of `items`, or the `empty` text (never a section that silently disappears)."""
    para(doc, "{%p if " + items + " %}")
    loop_rows(doc, headers, widths, f"for {var} in {items}", cells, font, content)
    para(doc, "{%p else %}")
    para(doc, empty, italic=True)
    para(doc, "{%p endif %}")


def _field(paragraph, instruction: str, shown: str) -> None:
    fld = parse_xml(f'<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                    f'w:instr="{instruction}"><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>{shown}</w:t></w:r>'
                    '</w:fldSimple>')
    paragraph._p.append(fld)


def footer(doc, words: dict[str, str], first: str = "{{ page.title }} — {{ page.org }}") -> None:
    """Every page's footer: the document's title and organisation, then its version, the date its content stands as
    of (and when it was generated, if another day), and 'page X of Y' as fields Word and LibreOffice fill in.
    `words`: page, of (the template's language)."""
    first_line = doc.sections[0].footer.paragraphs[0]
    first_line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first_line.add_run(typeset_static(first)).font.size = Pt(8)
    p = doc.sections[0].footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(typeset_static(f"{{{{ page.line }}}} — {words['page']} "))
    run.font.size = Pt(8)
    _field(p, "PAGE", "1")
    run = p.add_run(typeset_static(f" {words['of']} "))
    run.font.size = Pt(8)
    _field(p, "NUMPAGES", "1")


def header_line(doc, text: str) -> None:
    """A line at the top of every page (a Jinja paragraph block may make it conditional)."""
    p = doc.sections[0].header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(typeset_static(text))
    run.font.size = Pt(8)
    run.bold = True


def checkbox(cell_paragraph, sdt_id: int, tag: str) -> None:
    """A real checkbox content control (w14:checkbox), clickable in Word and LibreOffice."""
    xml = (
        f'<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="{W14}">'
        f'<w:sdtPr><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/><w:sz w:val="24"/></w:rPr>'
        f'<w:tag w:val="{tag}"/><w:id w:val="{sdt_id}"/>'
        '<w14:checkbox><w14:checked w14:val="0"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/>'
        '<w:sz w:val="24"/></w:rPr><w:t>\u2610</w:t></w:r></w:sdtContent></w:sdt>'
    )
    cell_paragraph._p.append(parse_xml(xml))


def dropdown(cell_paragraph, items: list[tuple[str, str]], shown: str, sdt_id: str) -> None:
    """A drop-down list content control (Word and LibreOffice keep its items) showing `shown` (a Jinja tag);
    `items` are (displayed text, value). A person may also type over it."""
    from xml.sax.saxutils import quoteattr

    entries = "".join(f"<w:listItem w:displayText={quoteattr(text)} w:value={quoteattr(value)}/>" for text, value in items)
    xml = (f'<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtPr>'
           f'<w:id w:val="{sdt_id}"/><w:dropDownList>{entries}</w:dropDownList></w:sdtPr>'
           f'<w:sdtContent><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>')
    cell_paragraph._p.append(parse_xml(xml))


def without_unused_table_styles(doc: Document) -> None:
    """The document's styles made to keep only the table styles its parts use (and those they are based on, and the
    default one). python-docx's blank document defines a hundred (340 KB of its 350 KB of styles), which every
    document filled from the template would parse and zip again; Word offers its built-in ones all the same."""
    used = {el.get(qn("w:val")) for part in doc.part.package.parts if isinstance(part, XmlPart)
            for el in part.element.iter(qn("w:tblStyle"))}
    styles = doc.styles.element
    table_styles = {el.get(qn("w:styleId")): el for el in styles.iterfind(qn("w:style"))
                    if el.get(qn("w:type")) == "table"}
    keep = {sid for sid, el in table_styles.items() if el.get(qn("w:default")) == "1"}
    todo = list(used)
    while todo:  # the styles used, and those they are based on
        sid = todo.pop()
        if sid in table_styles and sid not in keep:
            keep.add(sid)
            based = table_styles[sid].find(qn("w:basedOn"))
            if based is not None:
                todo.append(based.get(qn("w:val")))
    for sid, el in table_styles.items():
        if sid not in keep:
            styles.remove(el)
