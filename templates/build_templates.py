"""Regenerates the shipped templates (kitgen/data/templates/fr and /en) from this script.

The .docx/.xlsx files it writes are the product: they are committed, and people may edit them in Word or
LibreOffice. Run it only to rebuild them from scratch: `python templates/build_templates.py`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from docx_kit import (  # noqa: E402  (layout helpers beside this script)
    bullets_or,
    checkbox,
    dropdown,
    footer,
    label_rows,
    loop_paragraphs,
    loop_rows,
    new_document,
    para,
    rows_or,
    table,
)
from texts import AUDIT_REPORT, CHECKLIST, QUESTIONNAIRE, REVIEW  # noqa: E402  (the templates' fixed wording)

from kitgen.forms import evaluation_form as ev  # noqa: E402  (the evaluation form's wording lives with its reader)
from kitgen.forms import management_review as mr  # noqa: E402
from kitgen.forms.audit_checklist import HEADERS as CHECKLIST_HEADERS  # noqa: E402
from kitgen.forms.vocabulary import WORDS  # noqa: E402
from kitgen.frameworks import FRAMEWORK_IDS, get_framework  # noqa: E402


def clause_titles(lang: str) -> list[str]:
    """Every clause and process title a cell may show, all editions: the words columns must fit."""
    return [t[lang] for fid in FRAMEWORK_IDS for t in get_framework(fid).clauses.values()]


def words(kind: str, lang: str) -> list[str]:
    return list(WORDS[kind][lang].values())


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
        (T["version"], "{{ audit.version }} — " + T["issued_on"] + " {{ audit.issued }}"),
    ])
    para(doc, "{%p if audit.transcribed %}")
    para(doc, "{{ audit.transcribed }}", italic=True, bold=True, size=9)
    para(doc, "{%p endif %}")
    para(doc, T["cover_note"], italic=True, size=8)

    para(doc, T["h_objectives"], "Heading 1")
    loop_paragraphs(doc, "for o in audit.objectives", "{{ o }}")
    para(doc, T["h_scope"], "Heading 1")
    para(doc, "{{ audit.scope }}")
    para(doc, T["h_criteria"], "Heading 1")
    para(doc, "{{ audit.criteria }}")
    para(doc, T["h_plan"], "Heading 1")
    rows_or(doc, "plan", T["plan_headers"], [3.0, 6.0, 3.6, 4.8],
            ["{{ p.when }}", "{{ p.topic }}", "{{ p.process }}", "{{ p.interviewees }}"], T["no_plan"], var="p",
            font=8.5)
    para(doc, T["method"], bold=True)
    para(doc, "{{ audit.method }}")
    para(doc, T["sampled"], bold=True)
    rows_or(doc, "sampled", T["sampled_headers"], [4.4, 13.0], ["{{ s.process }}", "{{ s.records }}"], T["no_sampled"],
            var="s", font=8.5)
    para(doc, T["sampling"], bold=True)
    para(doc, "{{ audit.sampling }}")

    para(doc, T["h_summary"], "Heading 1")
    table(doc, [T["grade"], T["count"]], [9, 3], [
        ["{%tr for s in summary %}", ""], ["{{ s.label }}", "{{ s.count }}"], ["{%tr endfor %}", ""],
        [T["total"], "{{ total_findings }}"]])

    para(doc, T["h_findings"], "Heading 1")
    para(doc, T["findings_note"], italic=True, size=8)
    para(doc, "{{ legend.grades }}", italic=True, size=8)
    widths = [2.1, 1.4, 3.0, 3.0, 2.2, 3.3, 2.4]
    titles = clause_titles(lang)
    table(doc, T["findings_headers"], widths, [
        ["{%tr for f in findings %}"] + [""] * 6,
        ["{{ f.id }}", "{{ f.clause }}", "{{ f.requirement }}", "{{ f.process }}", "{{ f.grade_label }}",
         "{{ f.statement }}", "{{ f.evidence }}"],
        ["{%tr endfor %}"] + [""] * 6,
        *([[""] * 7] * 4),
    ], font=8, content=[[], [], titles, titles, words("grade", lang), [], []])

    para(doc, T["h_followup"], "Heading 1")
    para(doc, "{%p if follow_up %}")
    para(doc, T["followup_note"] + " {{ legend.verdicts }}", italic=True, size=8)
    table(doc, T["followup_headers"], [2.0, 1.7, 1.3, 1.7, 3.0, 3.5, 2.0, 2.2], [
        ["{%tr for f in follow_up %}"] + [""] * 7,
        ["{{ f.id }}", "{{ f.audit }}", "{{ f.clause }}", "{{ f.grade_label }}", "{{ f.statement }}", "{{ f.actions }}",
         "{{ f.verdict }}", "{{ f.note }}"],
        ["{%tr endfor %}"] + [""] * 7,
    ], font=8, content=[[], [], [], words("grade", lang), [], [], words("verdict", lang), []])
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
        [T["date"], "{{ audit.signed }}", ""], [T["signature"], "\n\n", "\n\n"]], font=10)
    para(doc, "")
    para(doc, T["footer"], italic=True, size=8)
    footer(doc, "{{ org.legal_name }} — " + T["title"] + " {{ audit.id }} v{{ audit.version }} — " + T["generated"]
           + " {{ generated }}", T["page"], T["of"])
    return doc


def questionnaire(lang: str) -> Document:
    T = QUESTIONNAIRE[lang]
    doc = new_document()
    para(doc, T["title"], "Title")
    para(doc, T["subtitle"], bold=True, size=12)
    para(doc, T["h_org"], "Heading 1")
    label_rows(doc, [(T["legal_name"], "{{ org.legal_name }}"), (T["legal_status"], "{{ org.legal_status }}"),
                     (T["group"], "{{ org.group }}"), (T["address"], "{{ org.address }}"),
                     (T["website"], "{{ org.website }}"),
                     (T["contact"], "{{ contact.name }} — {{ contact.title }} — {{ contact.email }}"),
                     (T["sector"], "{{ org.sector }}"), (T["consultant"], "{{ org.consultant }}")])
    para(doc, T["h_sites"], "Heading 1")
    loop_rows(doc, T["sites_headers"], [3.2, 6.0, 2.6, 5.6], "for s in sites",
              ["{{ s.name }}", "{{ s.address }}", "{{ s.headcount }}", "{{ s.activity }}"],
              content=[[], [], ["100 personnes" if lang == "fr" else "100 people"], []])
    para(doc, T["h_staff"], "Heading 1")
    label_rows(doc, [(T["total"], "{{ headcount.total }}"), (T["effective"], "{{ headcount.effective }}"),
                     (T["shifts"], "{{ org.shifts }}"), (T["remote"], "{{ org.remote_work }}"),
                     (T["initial"], "{{ audit_days.initial }} ({{ audit_days.detail }})"),
                     (T["surveillance"], "{{ audit_days.surveillance }}"),
                     (T["recertification"], "{{ audit_days.recertification }}"),
                     (T["basis"], "{{ audit_days.basis }}")], widths=(7, 10.4))
    para(doc, T["sources"], italic=True, size=8)
    loop_paragraphs(doc, "for s in audit_days.sources", "{{ s }}")
    para(doc, T["h_scope"], "Heading 1")
    label_rows(doc, [(T["statement"], "{{ scope.statement }}"), (T["locations"], "{{ scope.locations }}")])
    para(doc, T["obligations"], bold=True)
    loop_paragraphs(doc, "for o in org.obligations", "{{ o }}")
    para(doc, "")
    loop_rows(doc, T["services_headers"], [7.4, 10], "for s in services", ["{{ s.name }}", "{{ s.customers }}"])
    para(doc, "")
    rows_or(doc, "outsourced", T["outsourced_headers"], [3.8, 3.4, 5.0, 5.2],
            ["{{ o.process }}", "{{ o.party }}", "{{ o.description }}", "{{ o.control }}"], T["no_outsourced"], var="o")
    para(doc, T["h_sms"], "Heading 1")
    label_rows(doc, [(T["standard"], "{{ standard.title }}"), (T["since"], "{{ sms_since }}")])
    para(doc, "")
    loop_rows(doc, T["history_headers"], [1.8, 5.0, 3.0, 2.6, 2.6, 2.4], "for h in history",
              ["{{ h.clause }}", "{{ h.process }}", "{{ h.records }}", "{{ h.first }}", "{{ h.last }}", "{{ h.months }}"],
              font=8.5, content=[["8.5.1.3"], clause_titles(lang), [], ["septembre" if lang == "fr" else "September"],
                                 ["septembre" if lang == "fr" else "September"], []])
    para(doc, T["audits"], bold=True)
    loop_paragraphs(doc, "for a in internal_audits", "{{ a }}")
    para(doc, T["reviews"], bold=True)
    loop_paragraphs(doc, "for r in management_reviews", "{{ r }}")
    para(doc, T["foundation"], bold=True)
    bullets_or(doc, "foundation", "{{ f.name }} ({{ f.title }}) — {{ f.certificate }}, {{ f.date }}, {{ f.issuer }}",
               T["none"], var="f")
    para(doc, T["h_certs"], "Heading 1")
    bullets_or(doc, "existing_certifications", "{{ c }}", T["no_certs"], var="c")
    label_rows(doc, [(T["transfer"], "{{ request.transfer }}")])
    para(doc, T["h_request"], "Heading 1")
    label_rows(doc, [(T["pre_audit"], "{{ request.pre_audit }}"), (T["stage1"], "{{ request.stage1 }}"),
                     (T["stage2"], "{{ request.stage2 }}"), (T["language"], "{{ request.language }}"),
                     (T["body"], "{{ request.body }}")])
    para(doc, T["h_todo"], "Heading 1")
    para(doc, "{%p if to_complete %}")
    para(doc, T["todo_note"])
    para(doc, "{%p endif %}")
    bullets_or(doc, "to_complete", "{{ t }}", T["todo_none"], var="t", italic=True)
    footer(doc, "{{ org.legal_name }} — " + T["title"] + " — " + T["generated"] + " {{ generated }}", T["page"], T["of"])
    return doc


def audit_checklist(lang: str) -> Document:
    T, H = CHECKLIST[lang], CHECKLIST_HEADERS[lang]
    doc = new_document(landscape=True)
    para(doc, T["title"] + " — {{ audit.id }}", "Title")
    label_rows(doc, [(T["audit"], "{{ audit.kind_label }} — {{ audit.id }}"), (T["dates"], "{{ audit.dates }}"),
                     (T["lead"], "{{ audit.lead_auditor }}"), (T["standard"], "{{ framework.title }}"),
                     (T["scope"], "{{ audit.scope }}"), (T["clauses"], "{{ total }}")], widths=(5, 21.1))
    para(doc, "{{ how }}", italic=True, size=9)
    para(doc, T["note"], italic=True, size=8)
    headers = [H[k] for k in ("clause", "title", "examine", "evidence", "verdict", "statement")]
    verdicts = words("coverage", lang)
    t = table(doc, headers, [1.8, 4.0, 7.4, 5.2, 3.1, 4.6], [
        ["{%tr for r in rows %}"] + [""] * 5,
        ["{{ r.clause }}", "{{ r.title }}", "{{ r.examine }}", "{{ r.evidence }}", "", "{{ r.statement }}"],
        ["{%tr endfor %}"] + [""] * 5,
    ], font=8, content=[["8.3.4.1"], clause_titles(lang), [], [], verdicts, []])
    cell = t.rows[2].cells[4].paragraphs[0]
    dropdown(cell, [(w, w) for w in verdicts], "{{ r.verdict }}", "{{ 4000 + loop.index }}")
    footer(doc, "{{ org.legal_name }} — " + T["title"] + " {{ audit.id }} — " + T["generated"] + " {{ generated }}",
           T["page"], T["of"])
    return doc


def management_review(lang: str) -> Document:
    T = REVIEW[lang]
    doc = new_document()
    para(doc, T["title"], "Title")
    label_rows(doc, [(T["org"], "{{ org.legal_name }}"), (T["date"], "{{ review.date }}"),
                     (T["standard"], "{{ framework.title }} (§ {{ framework.clause }})"),
                     (T["period"], "{{ inputs.period }}")])
    para(doc, T["h_participants"], "Heading 1")
    table(doc, list(mr.PARTICIPANT_HEADERS[lang]), [7.4, 10], [
        ["{%tr for p in review.participants %}", ""], ["{{ p.name }}", "{{ p.role }}"], ["{%tr endfor %}", ""],
        ["", ""], ["", ""]], font=9.5)
    para(doc, T["h_inputs"], "Heading 1")
    sections = [
        ("earlier", "inputs.earlier_actions", [2.0, 6.4, 3.0, 3.8, 2.2],
         ["{{ a.id }}", "{{ a.description }}", "{{ a.owner }}", "{{ a.status }}", "{{ a.review }}"], "a"),
        ("audits", "inputs.audits", [2.6, 4.4, 3.0, 7.4],
         ["{{ a.id }}", "{{ a.kind }}", "{{ a.dates }}", "{{ a.findings }}"], "a"),
        ("ncs", "inputs.nonconformities", [2.3, 2.2, 5.4, 3.2, 2.4, 1.9],
         ["{{ n.id }}", "{{ n.grade }}", "{{ n.statement }}", "{{ n.status }}", "{{ n.owner }}", "{{ n.due }}"], "n"),
    ]
    for key, items, widths, cells, var in sections:
        para(doc, T[key], "Heading 2")
        rows_or(doc, items, T[f"{key}_headers"], widths, cells, "{{ nothing }}", var=var, font=8.5,
                content=[[], [], words("grade", lang) if key == "ncs" else [], [], [], []][:len(cells)])
    para(doc, T["closed"] + " {{ inputs.closed }}", size=9)
    para(doc, T["effective"] + " {{ inputs.effective }}", size=9)
    para(doc, T["scope"], "Heading 2")
    para(doc, "{{ inputs.scope }}", size=9)
    para(doc, T["services"] + " : {{ inputs.services }}" if lang == "fr" else T["services"] + ": {{ inputs.services }}",
         size=9)
    para(doc, T["history"], "Heading 2")
    rows_or(doc, "inputs.history", T["history_headers"], [7.4, 10], ["{{ h.process }}", "{{ h.records }}"],
            "{{ nothing }}", var="h", font=8.5, content=[clause_titles(lang), []])
    for key, items, widths, cells, var in [
            ("satisfaction", "inputs.satisfaction", [3.2, 9.4, 4.8], ["{{ s.date }}", "{{ s.summary }}", "{{ s.party }}"], "s"),
            ("complaints", "inputs.complaints", [2.3, 8.7, 3.2, 3.2],
             ["{{ c.id }}", "{{ c.statement }}", "{{ c.raised }}", "{{ c.status }}"], "c"),
            ("objectives", "inputs.objectives", [8.4, 3.6, 5.4], ["{{ o.text }}", "{{ o.target }}", "{{ o.result }}"], "o")]:
        para(doc, T[key], "Heading 2")
        rows_or(doc, items, T[f"{key}_headers"], widths, cells, "{{ nothing }}", var=var, font=8.5)
    para(doc, "{%p if inputs.with_risks %}")
    para(doc, T["risks"], "Heading 2")
    rows_or(doc, "inputs.risks", T["risks_headers"], [7.4, 6.6, 3.4],
            ["{{ r.text }}", "{{ r.treatment }}", "{{ r.owner }}"], "{{ nothing }}", var="r", font=8.5)
    para(doc, "{%p endif %}")
    para(doc, T["h_outcomes"], "Heading 1")
    rows = mr.OUTCOME_ROWS[lang]
    t = table(doc, list(mr.OUTCOME_HEADERS[lang]), [5.0, 12.4],
              [[rows[k], "{{ review." + k + " }}"] for k in mr.OUTCOME_FIELDS], font=10)
    for row in t.rows[1:]:
        row.cells[0].paragraphs[0].runs[0].bold = True
        row.height = Cm(2.0)
    para(doc, T["h_actions"], "Heading 1")
    para(doc, T["actions_note"], italic=True, size=8)
    table(doc, list(mr.ACTION_HEADERS[lang]), [10.4, 4.0, 3.0], [
        ["{%tr for a in actions %}", "", ""], ["{{ a.description }}", "{{ a.owner }}", "{{ a.due }}"],
        ["{%tr endfor %}", "", ""], *([["", "", ""]] * 5)], font=9.5)
    para(doc, T["h_signatures"], "Heading 1")
    table(doc, ["", T["sig"]], [4, 13.4], [[T["name"], ""], [T["date"], ""], [T["signature"], "\n\n"]], font=10)
    footer(doc, "{{ org.legal_name }} — " + T["title"] + " {{ review.key }} — " + T["generated"] + " {{ generated }}",
           T["page"], T["of"])
    return doc


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
        folder = HERE.parent / "kitgen" / "data" / "templates" / lang
        folder.mkdir(exist_ok=True)
        audit_report(lang).save(folder / "audit-report.docx")
        audit_checklist(lang).save(folder / "audit-checklist.docx")
        management_review(lang).save(folder / "management-review.docx")
        action_plan(lang, folder / "action-plan.xlsx")
        questionnaire(lang).save(folder / "questionnaire.docx")
        evaluation_form(lang).save(folder / "evaluation-form.docx")
        print(f"wrote {folder}")


if __name__ == "__main__":
    main()
