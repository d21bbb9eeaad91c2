"""Regenerates the shipped templates (templates/fr, templates/en) from this script.

The .docx/.xlsx files it writes are the product: they are committed, and people may edit them in Word or
LibreOffice. Run it only to rebuild them from scratch: `python templates/build_templates.py`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from texts import AUDIT_REPORT, QUESTIONNAIRE  # noqa: E402  (the templates' fixed wording, fr and en)

from kitgen.forms import evaluation_form as ev  # noqa: E402  (the evaluation form's wording lives with its reader)

HEADER_FILL = "D9E2F3"


def new_document(landscape: bool = False) -> Document:
    doc = Document()
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


def table(doc, headers: list[str], widths_cm: list[float], rows: list[list[str]] = (), *, header: bool = True,
          font: float = 9):
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
            run = para.add_run(value)
            run.font.size = Pt(font)
            if header and i == 0:
                run.bold = True
                shade(cell)
        if header and i == 0:
            repeat_header(row)
    return t


def label_rows(doc, pairs: list[tuple[str, str]], widths=(5.5, 11.9)):
    t = table(doc, [], list(widths), [list(p) for p in pairs], header=False, font=10)
    for row in t.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True
        shade(row.cells[0], "EEF2F8")
    return t


def para(doc, text: str, style: str | None = None, *, bold: bool = False, italic: bool = False, size: float | None = None,
         align=None):
    p = doc.add_paragraph(style=style)
    if text:
        r = p.add_run(text)
        r.bold, r.italic = bold, italic
        if size:
            r.font.size = Pt(size)
    if align is not None:
        p.alignment = align
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


def audit_report(lang: str) -> Document:
    T = AUDIT_REPORT[lang]
    doc = new_document()
    para(doc, T["title"], "Title")
    para(doc, "{{ audit.kind_label }} — {{ audit.id }}", bold=True, size=13)
    para(doc, "{{ audit.title }}", italic=True)
    label_rows(doc, [
        (T["org"], "{{ org.legal_name }}"),
        (T["address"], "{{ org.address }}"),
        (T["kind"], "{{ audit.kind_label }}"),
        (T["dates"], "{{ audit.dates }}"),
        (T["location"], "{{ audit.location }}"),
        (T["client"], "{{ audit.client }}"),
        (T["body"], "{{ audit.body }}"),
        (T["lead"], "{{ audit.lead_auditor }}"),
        (T["team"], "{{ audit.team }}"),
        (T["participants"], "{{ audit.participants }}"),
        (T["criteria"], "{{ audit.criteria }}"),
    ])
    para(doc, T["cover_note"], italic=True, size=8)

    para(doc, T["h_objectives"], "Heading 1")
    loop_paragraphs(doc, "for o in audit.objectives", "{{ o }}")
    para(doc, T["h_scope"], "Heading 1")
    para(doc, "{{ audit.scope }}")
    para(doc, T["h_criteria"], "Heading 1")
    para(doc, "{{ audit.criteria }}")
    para(doc, T["h_method"], "Heading 1")
    para(doc, "{{ audit.method }}")
    para(doc, T["sampling"], bold=True)
    para(doc, "{{ audit.sampling }}")

    para(doc, T["h_summary"], "Heading 1")
    table(doc, [T["grade"], T["count"]], [9, 3], [
        ["{%tr for s in summary %}", ""], ["{{ s.label }}", "{{ s.count }}"], ["{%tr endfor %}", ""],
        [T["total"], "{{ total_findings }}"]])

    para(doc, T["h_findings"], "Heading 1")
    para(doc, T["findings_note"], italic=True, size=8)
    widths = [2.3, 1.7, 2.7, 2.7, 4.3, 3.7]
    table(doc, T["findings_headers"], widths, [
        ["{%tr for f in findings %}"] + [""] * 5,
        ["{{ f.id }}", "{{ f.clause }}", "{{ f.process }}", "{{ f.grade_label }}", "{{ f.statement }}", "{{ f.evidence }}"],
        ["{%tr endfor %}"] + [""] * 5,
        *([[""] * 6] * 4),
    ], font=8.5)
    para(doc, T["clause_titles"], bold=True, size=9)
    loop_paragraphs(doc, "for c in clauses", "{{ c.clause }} — {{ c.title }}")

    para(doc, T["h_followup"], "Heading 1")
    para(doc, "{%p if follow_up %}")
    para(doc, T["followup_note"], italic=True, size=8)
    table(doc, T["followup_headers"], [2.0, 1.7, 1.3, 1.7, 3.0, 3.5, 2.0, 2.2], [
        ["{%tr for f in follow_up %}"] + [""] * 7,
        ["{{ f.id }}", "{{ f.audit }}", "{{ f.clause }}", "{{ f.grade_label }}", "{{ f.statement }}", "{{ f.actions }}",
         "{{ f.verdict }}", "{{ f.note }}"],
        ["{%tr endfor %}"] + [""] * 7,
    ], font=8)
    para(doc, "{%p else %}")
    para(doc, T["no_followup"], italic=True)
    para(doc, "{%p endif %}")

    para(doc, T["h_strengths"], "Heading 1")
    bullets_or(doc, "strengths", "{{ s }}", "—", var="s")

    para(doc, T["h_conclusion"], "Heading 1")
    t = table(doc, [T["section"], T["content"]], [5.5, 11.9], [
        [T["conclusion"], "{{ audit.conclusion }}"],
        [T["conformity"], "{{ audit.conformity }}"],
        [T["diverging"], "{{ audit.diverging_opinions }}"],
        [T["recommendation"], "{{ audit.recommendation }}"],
    ], font=10)
    for row in t.rows[1:]:
        row.cells[0].paragraphs[0].runs[0].bold = True

    para(doc, T["h_distribution"], "Heading 1")
    loop_paragraphs(doc, "for d in audit.distribution", "{{ d }}")

    para(doc, T["h_signatures"], "Heading 1")
    table(doc, ["", T["sig_lead"], T["sig_auditee"]], [3.4, 7, 7], [
        [T["name"], "{{ audit.lead_auditor }}", "{{ audit.auditee_representative }}"],
        [T["date"], "", ""], [T["signature"], "\n\n", "\n\n"]], font=10)
    para(doc, "")
    para(doc, T["footer"], italic=True, size=8)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "{{ org.legal_name }} — " + T["title"] + " {{ audit.id }} — " + T["generated"] + " {{ generated }}"
    footer.runs[0].font.size = Pt(8)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def loop_rows(doc, headers: list[str], widths: list[float], loop: str, cells: list[str], font: float = 9):
    n = len(cells)
    return table(doc, headers, widths, [["{%tr " + loop + " %}"] + [""] * (n - 1), cells, ["{%tr endfor %}"] + [""] * (n - 1)],
                 font=font)


def questionnaire(lang: str) -> Document:
    T = QUESTIONNAIRE[lang]
    doc = new_document()
    para(doc, T["title"], "Title")
    para(doc, T["subtitle"], bold=True, size=12)
    para(doc, T["h_org"], "Heading 1")
    label_rows(doc, [(T["legal_name"], "{{ org.legal_name }}"), (T["legal_status"], "{{ org.legal_status }}"),
                     (T["address"], "{{ org.address }}"), (T["website"], "{{ org.website }}"),
                     (T["contact"], "{{ contact.name }} — {{ contact.title }} — {{ contact.email }}"),
                     (T["sector"], "{{ org.sector }}"), (T["consultant"], "{{ org.consultant }}")])
    para(doc, T["h_sites"], "Heading 1")
    loop_rows(doc, T["sites_headers"], [3.2, 6.2, 2, 6], "for s in sites",
              ["{{ s.name }}", "{{ s.address }}", "{{ s.headcount }}", "{{ s.activity }}"])
    para(doc, T["h_staff"], "Heading 1")
    label_rows(doc, [(T["total"], "{{ headcount.total }}"), (T["effective"], "{{ headcount.effective }}"),
                     (T["days"], "{{ audit_days.value }}")], widths=(8, 9.4))
    para(doc, T["days_note"], italic=True, size=8)
    para(doc, T["h_scope"], "Heading 1")
    label_rows(doc, [(T["statement"], "{{ scope.statement }}"), (T["locations"], "{{ scope.locations }}")])
    para(doc, "")
    loop_rows(doc, T["services_headers"], [7.4, 10], "for s in services", ["{{ s.name }}", "{{ s.customers }}"])
    para(doc, "")
    para(doc, "{%p if outsourced %}")
    loop_rows(doc, T["outsourced_headers"], [5.4, 5, 7], "for o in outsourced",
              ["{{ o.process }}", "{{ o.party }}", "{{ o.description }}"])
    para(doc, "{%p else %}")
    para(doc, T["no_outsourced"], italic=True)
    para(doc, "{%p endif %}")
    para(doc, T["h_sms"], "Heading 1")
    label_rows(doc, [(T["standard"], "{{ standard.title }}"), (T["since"], "{{ sms_since }}")])
    para(doc, "")
    loop_rows(doc, T["history_headers"], [1.4, 5.6, 2.9, 2.7, 2.7, 2.1], "for h in history",
              ["{{ h.clause }}", "{{ h.process }}", "{{ h.records }}", "{{ h.first }}", "{{ h.last }}", "{{ h.months }}"],
              font=8.5)
    para(doc, T["audits"], bold=True)
    loop_paragraphs(doc, "for a in internal_audits", "{{ a }}")
    para(doc, T["reviews"], bold=True)
    loop_paragraphs(doc, "for r in management_reviews", "{{ r }}")
    para(doc, T["foundation"], bold=True)
    bullets_or(doc, "foundation", "{{ f.name }} ({{ f.title }}) — {{ f.certificate }}, {{ f.date }}, {{ f.issuer }}",
               T["none"], var="f")
    para(doc, T["h_certs"], "Heading 1")
    bullets_or(doc, "existing_certifications", "{{ c }}", T["no_certs"], var="c")
    para(doc, T["h_request"], "Heading 1")
    label_rows(doc, [(T["pre_audit"], "{{ request.pre_audit }}"), (T["stage1"], "{{ request.stage1 }}"),
                     (T["stage2"], "{{ request.stage2 }}"), (T["language"], "{{ request.language }}"),
                     (T["body"], "{{ request.body }}")])
    para(doc, T["h_todo"], "Heading 1")
    para(doc, "{%p if to_complete %}")
    para(doc, T["todo_note"])
    para(doc, "{%p endif %}")
    bullets_or(doc, "to_complete", "{{ t }}", T["todo_none"], var="t", italic=True)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "{{ org.legal_name }} — " + T["title"] + " — " + T["generated"] + " {{ generated }}"
    footer.runs[0].font.size = Pt(8)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def checkbox(cell_paragraph, sdt_id: int, tag: str) -> None:
    """A real checkbox content control (w14:checkbox), clickable in Word and LibreOffice."""
    from docx.oxml import parse_xml

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


def evaluation_form(lang: str) -> Document:
    W = ev.WORDING[lang]
    doc = new_document()
    para(doc, W["title"], "Title")
    para(doc, "{{ kit.title }} – Version {{ kit.version }}", bold=True, size=12)
    para(doc, W["intro"])
    para(doc, W["tick"], italic=True, size=8)
    sdt_id = 7001
    for number, kind, fields in ev.QUESTIONS:
        if kind == "scale":
            opts = ev.options(number, lang)
            t = table(doc, [W[number]] + [""] * 4, [3.48] * 5, [[""] * 5], font=9.5)
            header = t.rows[0].cells[0].merge(t.rows[0].cells[4])
            for extra in header.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
            for i, (cell, text) in enumerate(zip(t.rows[1].cells, opts), start=1):
                p = cell.paragraphs[0]
                checkbox(p, sdt_id, f"q{number}.{i}")
                sdt_id += 1
                run = p.add_run(" " + text)
                run.font.size = Pt(9.5)
        else:
            t = table(doc, [W[number], ""], [5.4, 12], [[W[f], ""] for f in fields], font=9.5)
            header = t.rows[0].cells[0].merge(t.rows[0].cells[1])
            for extra in header.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
            for row in t.rows[1:]:
                row.height = Cm(1.6 if number in (4, 7) else 1.1)
        para(doc, "", size=4)
    para(doc, W["optional"], "Heading 2")
    t = table(doc, [], [5.4, 12], [[W["name"], ""], [W["email"], ""]], header=False, font=10)
    para(doc, "")
    para(doc, W["send"] + " {{ kit.send_to }}", bold=True)
    return doc


def action_plan(lang: str, path: Path) -> None:
    """The workbook kitgen fills: sheet names and the header row (columns are found by header, so they may move)."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    from kitgen.forms.action_plan import COLUMNS, SHEETS

    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS["actions"][lang]
    for col, (_, fr, en, width, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=fr if lang == "fr" else en)
        cell.fill = PatternFill("solid", fgColor="1F3864")
        ws.column_dimensions[cell.column_letter].width = width
    wb.create_sheet(SHEETS["summary"][lang])
    wb.save(path)


def main() -> None:
    for lang in ("fr", "en"):
        folder = HERE / lang
        folder.mkdir(exist_ok=True)
        audit_report(lang).save(folder / "audit-report.docx")
        action_plan(lang, folder / "action-plan.xlsx")
        questionnaire(lang).save(folder / "questionnaire.docx")
        evaluation_form(lang).save(folder / "evaluation-form.docx")
        print(f"wrote {folder}")


if __name__ == "__main__":
    main()
