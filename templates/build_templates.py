"""Regenerates the shipped templates (kitgen/data/templates/fr and /en) from this script.

The .docx/.xlsx files it writes are the product: they are committed, and people may edit them in Word or
LibreOffice. Run it only to rebuild them from scratch: `python templates/build_templates.py`.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from docx_kit import (  # noqa: E402  (layout helpers beside this script)
    LANGUAGE_TAGS,
    WARNING_FILL,
    bullets_or,
    checkbox,
    dropdown,
    footer,
    header_line,
    keep_with_next,
    label_para,
    label_rows,
    loop_paragraphs,
    loop_rows,
    new_document,
    para,
    rows_or,
    shade,
    table,
    without_unused_table_styles,
)
from texts import (  # noqa: E402  (the templates' fixed wording)
    AUDIT_REPORT,
    CATALOGUE,
    CHECKLIST,
    PAGE,
    PLAN,
    POLICY,
    QUESTIONNAIRE,
    REVIEW,
    SCOPE,
    SMS_DOCUMENT,
)

from kitgen.forms import evaluation_form as ev  # noqa: E402  (the evaluation form's wording lives with its reader)
from kitgen.forms import management_review as mr  # noqa: E402
from kitgen.forms import sms_document as sms  # noqa: E402
from kitgen.forms.scope_statement import SCOPE_ROWS  # noqa: E402
from kitgen.forms.sms_plan import PLAN_ROWS  # noqa: E402
from kitgen.forms.audit_checklist import HEADERS as CHECKLIST_HEADERS  # noqa: E402
from kitgen.forms.audit_report import CONCLUSION_ROWS as AUDIT_REPORT_ROWS  # noqa: E402
from kitgen.forms.audit_report import STATEMENT_FIELDS  # noqa: E402
from kitgen.forms.vocabulary import WORDS  # noqa: E402
from kitgen.frameworks import FRAMEWORK_IDS, get_framework  # noqa: E402
from kitgen.ooxml.parts import normalize_package  # noqa: E402


def clause_titles(lang: str) -> list[str]:
    """Every clause and process title a cell may show, all editions: the words columns must fit."""
    return [t[lang] for fid in FRAMEWORK_IDS for t in get_framework(fid).clauses.values()]


def words(kind: str, lang: str) -> list[str]:
    return list(WORDS[kind][lang].values())


# Ids as long as the samples' ("AUD-2026-01-F1"): an id column is never narrower than one, so ids stay whole
ID_SAMPLE = "AUD-2026-01-F1"
ACTION_SAMPLE = "CA-12"
# A long word of running text: a column of prose is never narrower than it, so that words wrap whole
LONG_WORD = {"fr": ["disponibilité"], "en": ["availability"]}
# The longest unbreakable part of a date ("30 novembre" is held together by a no-break space): date columns fit it
MONTH = {"fr": ["30-novembre"], "en": ["30-September"]}


def audit_report(lang: str) -> Document:
    T = AUDIT_REPORT[lang]
    doc = new_document(lang)
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
        (T["version"], "{{ audit.version }} — {{ audit.issue }}"),
    ])
    para(doc, "{%p if audit.transcribed %}")
    para(doc, "{{ audit.transcribed }}", italic=True, bold=True, size=9).paragraph_format.space_before = Pt(6)
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
    label_para(doc, T["method"])
    para(doc, "{{ audit.method }}")
    label_para(doc, T["sampled"])
    rows_or(doc, "sampled", T["sampled_headers"], [4.4, 13.0], ["{{ s.process }}", "{{ s.records }}"],
            "{{ sampled_none }}", var="s", font=8.5)
    label_para(doc, T["sampling"])
    para(doc, "{{ audit.sampling }}")

    para(doc, T["h_summary"], "Heading 1")
    table(doc, [T["grade"], T["count"]], [9, 3], [
        ["{%tr for s in summary %}", ""], ["{{ s.label }}", "{{ s.count }}"], ["{%tr endfor %}", ""],
        [T["total"], "{{ total_findings }}"]], together=True)

    para(doc, T["h_findings"], "Heading 1")
    para(doc, T["findings_note"], italic=True, size=8)
    para(doc, "{{ legend.grades }}", italic=True, size=8)
    widths = [2.9, 1.2, 3.4, 2.5, 2.1, 3.0, 2.3]
    titles = clause_titles(lang)
    prose = LONG_WORD[lang]
    table(doc, T["findings_headers"], widths, [
        ["{%tr for f in findings %}"] + [""] * 6,
        ["{{ f.id }}", "{{ f.clause }}", "{{ f.requirement }}", "{{ f.process }}", "{{ f.grade_label }}",
         "{{ f.statement }}", "{{ f.evidence }}"],
        ["{%tr endfor %}"] + [""] * 6,
        *([[""] * 7] * 4),
    ], font=7.5, content=[[ID_SAMPLE], ["8.3.4.1"], prose, titles, words("grade", lang), prose, prose])

    para(doc, T["h_followup"], "Heading 1")
    para(doc, "{%p if follow_up %}")
    para(doc, T["followup_note"] + " {{ legend.verdicts }}", italic=True, size=8)
    table(doc, T["followup_headers"], [2.9, 2.6, 3.2, 3.8, 2.1, 2.8], [
        ["{%tr for f in follow_up %}"] + [""] * 5,
        ["{{ f.id }}", "{{ f.origin }}", "{{ f.statement }}", "{{ f.actions }}", "{{ f.verdict }}", "{{ f.note }}"],
        ["{%tr endfor %}"] + [""] * 5,
    ], font=8, content=[[ID_SAMPLE], ["AUD-2026-01", "observation"], prose, prose, words("verdict", lang), prose])
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
    para(doc, T["footer"], italic=True, size=8).paragraph_format.space_before = Pt(4)
    para(doc, "{%p if audit.external %}")
    para(doc, T["h_statements"], "Heading 2")
    t = table(doc, [T["section"], T["content"]], [5.5, 11.9],
              [[AUDIT_REPORT_ROWS[lang][k], "{{ audit." + k + " }}"] for k in STATEMENT_FIELDS], font=10)
    for row in t.rows[1:]:
        row.cells[0].paragraphs[0].runs[0].bold = True
    para(doc, "{%p endif %}")

    para(doc, T["h_distribution"], "Heading 1")
    loop_paragraphs(doc, "for d in audit.distribution", "{{ d }}")
    para(doc, T["confidential"], italic=True, size=9)

    keep_with_next(para(doc, T["h_signatures"], "Heading 1"))
    table(doc, ["", T["sig_lead"], T["sig_auditee"]], [3.4, 7, 7], [
        [T["name"], "{{ audit.lead_auditor }}", "{{ audit.auditee_representative }}"],
        [T["date"], "{{ audit.signed }}", ""], [T["signature"], "\n\n", "\n\n"]], font=10, together=True)
    footer(doc, PAGE[lang])
    return doc


def questionnaire(lang: str) -> Document:
    T = QUESTIONNAIRE[lang]
    doc = new_document(lang)
    header_line(doc, "{{ withdrawn_header }}")
    para(doc, T["title"], "Title")
    para(doc, T["subtitle"], bold=True, size=12)
    para(doc, "{%p if withdrawn %}")
    box = table(doc, [], [17.4], [["{{ withdrawn }}"]], header=False, font=10)
    shade(box.rows[0].cells[0], WARNING_FILL)
    box.rows[0].cells[0].paragraphs[0].runs[0].bold = True
    para(doc, "{%p endif %}")
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
    para(doc, "")
    label_rows(doc, [(T["temporary"], "{{ org.temporary_sites }}"), (T["remote"], "{{ org.remote_work }}")],
               widths=(7, 10.4))
    para(doc, T["h_staff"], "Heading 1")
    label_rows(doc, [(T["total"], "{{ headcount.total }}"), (T["effective"], "{{ headcount.effective }}"),
                     (T["shifts"], "{{ org.shifts }}"),
                     (T["initial"], "{{ audit_days.initial }} ({{ audit_days.detail }})"),
                     (T["stage1"], "{{ audit_days.stage1 }}"), (T["stage2"], "{{ audit_days.stage2 }}"),
                     (T["surveillance"], "{{ audit_days.surveillance }}"),
                     (T["recertification"], "{{ audit_days.recertification }}"),
                     (T["basis"], "{{ audit_days.basis }}")], widths=(7, 10.4))
    para(doc, T["h_scope"], "Heading 1")
    label_rows(doc, [(T["statement"], "{{ scope.statement }}"), (T["locations"], "{{ scope.locations }}")])
    label_para(doc, T["obligations"])
    loop_paragraphs(doc, "for o in org.obligations", "{{ o }}")
    para(doc, "")
    loop_rows(doc, T["services_headers"], [7.4, 10], "for s in services", ["{{ s.name }}", "{{ s.customers }}"])
    label_para(doc, T["parties_intro"])
    rows_or(doc, "parties", T["parties_headers"], [3.6, 2.8, 5.6, 5.4],
            ["{{ p.name }}", "{{ p.kind }}", "{{ p.role }}", "{{ p.control }}"], T["no_parties"], var="p",
            content=[[], words("party_kind", lang), [], []])
    para(doc, T["h_sms"], "Heading 1")
    label_rows(doc, [(T["standard"], "{{ standard.title }}"), (T["since"], "{{ sms_since }}")])
    para(doc, "")
    loop_rows(doc, T["history_headers"], [1.8, 5.0, 3.0, 2.6, 2.6, 2.4], "for h in history",
              ["{{ h.clause }}", "{{ h.process }}", "{{ h.records }}", "{{ h.first }}", "{{ h.last }}", "{{ h.months }}"],
              font=8.5, content=[["8.5.1.3"], clause_titles(lang), [], ["septembre" if lang == "fr" else "September"],
                                 ["septembre" if lang == "fr" else "September"], []])
    label_para(doc, T["audits"])
    loop_paragraphs(doc, "for a in internal_audits", "{{ a }}")
    label_para(doc, T["reviews"])
    loop_paragraphs(doc, "for r in management_reviews", "{{ r }}")
    label_para(doc, T["foundation"])
    bullets_or(doc, "foundation", "{{ f.name }} ({{ f.title }}) — {{ f.certificate }}, {{ f.date }}, {{ f.issuer }}",
               T["none"], var="f")
    para(doc, T["h_certs"], "Heading 1")
    bullets_or(doc, "existing_certifications", "{{ c }}", T["no_certs"], var="c")
    label_rows(doc, [(T["transfer"], "{{ request.transfer }}")])
    para(doc, T["h_request"], "Heading 1")
    label_rows(doc, [(T["pre_audit"], "{{ request.pre_audit }}"), (T["stage1_date"], "{{ request.stage1 }}"),
                     (T["stage2_date"], "{{ request.stage2 }}"), (T["language"], "{{ request.language }}"),
                     (T["body"], "{{ request.body }}")])
    footer(doc, PAGE[lang])
    return doc


def audit_checklist(lang: str) -> Document:
    T, H = CHECKLIST[lang], CHECKLIST_HEADERS[lang]
    doc = new_document(lang, landscape=True)
    para(doc, T["title"] + " — {{ audit.id }}", "Title")
    label_rows(doc, [(T["audit"], "{{ audit.kind_label }} — {{ audit.id }}"), (T["dates"], "{{ audit.dates }}"),
                     (T["lead"], "{{ audit.lead_auditor }}"), (T["standard"], "{{ framework.title }}"),
                     (T["scope"], "{{ audit.scope }}"), (T["clauses"], "{{ total }}")], widths=(5, 21.1))
    para(doc, "{{ how }}", italic=True, size=9)
    para(doc, T["note"], italic=True, size=8)
    headers = [H[k] for k in ("clause", "title", "examine", "evidence", "verdict", "statement")]
    verdicts = words("coverage", lang)
    t = table(doc, headers, [1.6, 3.2, 10.0, 4.2, 3.1, 4.0], [
        ["{%tr for r in rows %}"] + [""] * 5,
        ["{{ r.clause }}", "{{ r.title }}", "{{ r.examine }}", "{{ r.evidence }}", "", "{{ r.statement }}"],
        ["{%tr endfor %}"] + [""] * 5,
    ], font=8, content=[["8.3.4.1"], clause_titles(lang), [], [], verdicts, []])
    cell = t.rows[2].cells[4].paragraphs[0]
    dropdown(cell, [(w, w) for w in verdicts], "{{ r.verdict }}", "{{ 4000 + loop.index }}")
    footer(doc, PAGE[lang])
    return doc


def management_review(lang: str) -> Document:
    T = REVIEW[lang]
    doc = new_document(lang)
    para(doc, T["title"], "Title")
    label_rows(doc, [(T["org"], "{{ org.legal_name }}"), (T["date"], "{{ review.date }}"),
                     (T["standard"], "{{ framework.title }} (§ {{ framework.clause }})"),
                     (T["period"], "{{ inputs.period }}")])
    para(doc, T["h_participants"], "Heading 1")
    table(doc, list(mr.PARTICIPANT_HEADERS[lang]), [7.4, 10], [
        ["{%tr for p in review.participants %}", ""], ["{{ p.name }}", "{{ p.role }}"], ["{%tr endfor %}", ""],
        ["", ""], ["", ""]], font=9.5)
    para(doc, T["h_inputs"], "Heading 1")

    def section(key: str, items: str, widths: list[float], cells: list[str], var: str,
                content: list[list[str]] | None = None) -> None:
        para(doc, T[key], "Heading 2")
        rows_or(doc, items, T[f"{key}_headers"], widths, cells, "{{ nothing }}", var=var, font=8.5, content=content)

    section("earlier", "inputs.earlier_actions", [2.0, 6.4, 3.0, 3.8, 2.2],
            ["{{ a.id }}", "{{ a.description }}", "{{ a.owner }}", "{{ a.status }}", "{{ a.review }}"], "a",
            [[ACTION_SAMPLE], [], [], [], MONTH[lang]])
    para(doc, T["issues"], "Heading 2")
    t = table(doc, list(mr.OUTCOME_HEADERS[lang]), [5.0, 12.4], [["{{ issues_label }}", "{{ review.issues }}"]],
              font=10)
    t.rows[1].cells[0].paragraphs[0].runs[0].bold = True
    t.rows[1].height = Cm(1.6)
    section("audits", "inputs.audits", [2.6, 4.4, 3.0, 7.4],
            ["{{ a.id }}", "{{ a.kind }}", "{{ a.dates }}", "{{ a.findings }}"], "a",
            [["AUD-2026-01"], [], MONTH[lang], []])
    section("trend", "inputs.trend", [3.0, 3.4, 3.4, 3.4, 4.2],
            ["{{ t.id }}", "{{ t.dates }}", "{{ t.major }}", "{{ t.minor }}", "{{ t.other }}"], "t",
            [["AUD-2026-01"], MONTH[lang], [], [], []])
    section("ncs", "inputs.nonconformities", [2.9, 2.2, 4.7, 2.6, 2.6, 2.4],
            ["{{ n.id }}", "{{ n.grade }}", "{{ n.statement }}", "{{ n.status }}", "{{ n.owner }}", "{{ n.due }}"], "n",
            [[ID_SAMPLE], words("grade", lang), LONG_WORD[lang], [], [], MONTH[lang]])
    section("corrective", "inputs.corrective", [1.6, 2.9, 5.3, 2.6, 2.4, 2.6],
            ["{{ c.id }}", "{{ c.finding }}", "{{ c.description }}", "{{ c.owner }}", "{{ c.due }}", "{{ c.status }}"],
            "c", [[ACTION_SAMPLE], [ID_SAMPLE], LONG_WORD[lang], [], MONTH[lang], words("action_status", lang)])
    para(doc, T["closed"] + " {{ inputs.closed }}", size=9).paragraph_format.space_before = Pt(6)
    para(doc, T["effective"] + " {{ inputs.effective }}", size=9)
    section("objectives", "inputs.objectives", [8.4, 3.6, 5.4], ["{{ o.text }}", "{{ o.target }}", "{{ o.result }}"], "o")
    section("history", "inputs.history", [7.4, 10], ["{{ h.process }}", "{{ h.records }}"], "h",
            [clause_titles(lang), []])
    section("satisfaction", "inputs.satisfaction", [3.2, 9.4, 4.8],
            ["{{ s.date }}", "{{ s.summary }}", "{{ s.party }}"], "s")
    section("complaints", "inputs.complaints", [2.9, 8.1, 3.2, 3.2],
            ["{{ c.id }}", "{{ c.statement }}", "{{ c.raised }}", "{{ c.status }}"], "c",
            [[ID_SAMPLE], [], MONTH[lang], []])
    section("opportunities", "inputs.opportunities", [2.9, 2.9, 3.4, 8.2],
            ["{{ o.id }}", "{{ o.source }}", "{{ o.grade }}", "{{ o.statement }}"], "o",
            [[ID_SAMPLE], ["AUD-2026-01"], words("grade", lang), []])
    section("suppliers", "inputs.suppliers.parties", [4.4, 6.0, 7.0],
            ["{{ p.name }}", "{{ p.role }}", "{{ p.control }}"], "p")
    para(doc, "{{ inputs.suppliers.evaluation }}", size=9).paragraph_format.space_before = Pt(6)
    para(doc, "{{ inputs.suppliers.findings }}", size=9)
    para(doc, T["resources"], "Heading 2")
    loop_paragraphs(doc, "for r in inputs.resources", "{{ r }}")
    para(doc, "{%p if inputs.with_risks %}")
    section("risks", "inputs.risks", [5.4, 5.4, 3.0, 3.6],
            ["{{ r.text }}", "{{ r.treatment }}", "{{ r.owner }}", "{{ r.effectiveness }}"], "r")
    para(doc, "{%p endif %}")
    para(doc, T["scope"], "Heading 2")
    para(doc, "{{ inputs.scope }}", size=9)
    para(doc, T["services"] + " : {{ inputs.services }}" if lang == "fr" else T["services"] + ": {{ inputs.services }}",
         size=9)
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
    keep_with_next(para(doc, T["h_signatures"], "Heading 1"))
    table(doc, ["", T["sig"]], [4, 13.4], [[T["name"], ""], [T["sig_date"], ""], [T["signature"], "\n\n"]], font=10,
          together=True)
    footer(doc, PAGE[lang])
    return doc


def evaluation_form(lang: str) -> Document:
    W = ev.WORDING[lang]
    doc = new_document(lang)
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
    footer(doc, PAGE[lang], first=W["title"] + " — {{ kit.title }} — {{ page.org }}")
    return doc


def action_plan(lang: str, path: Path) -> None:
    """The workbook kitgen fills: sheet names and the header row (columns are found by header, so they may move)."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    from kitgen.forms.action_plan import COLUMNS, SHEETS

    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "kitgen"
    wb.properties.language = LANGUAGE_TAGS[lang]
    ws = wb.active
    ws.title = SHEETS["actions"][lang]
    for col, (_, fr, en, width, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=fr if lang == "fr" else en)
        cell.fill = PatternFill("solid", fgColor="1F3864")
        ws.column_dimensions[cell.column_letter].width = width
    wb.create_sheet(SHEETS["summary"][lang])
    wb.save(path)


def sms_head(doc, lang: str) -> None:
    """The SMS documents' first lines: title, organisation, standard and clauses, status."""
    T = SMS_DOCUMENT[lang]
    para(doc, "{{ title }}", "Title")
    label_rows(doc, [(T["org"], "{{ org.legal_name }}"),
                     (T["standard"], "{{ framework.title }}{% if framework.clauses %} (§ {{ framework.clauses }}){% endif %}"),
                     (T["status"], "{% if approval.version %}version {{ approval.version }} — {{ approval.date }}"
                                   "{% else %}{{ approval.status }}{% endif %}")])


def sms_approval(doc, lang: str) -> None:
    """The version and approval block harvest reads (Version, Approved by, Date of approval)."""
    T = SMS_DOCUMENT[lang]
    keep_with_next(para(doc, T["h_approval"], "Heading 1"))
    keep_with_next(para(doc, T["approval_note"], italic=True, size=8))
    t = table(doc, list(sms.APPROVAL_HEADERS[lang]), [3.4, 7.0, 7.0],
              [["{{ approval.version }}", "{{ approval.by }}", "{{ approval.date }}"]], font=10, together=True,
              content=[[], [], MONTH[lang]])
    t.rows[1].height = Cm(1.2)
    footer(doc, PAGE[lang])


def objectives_table(doc, lang: str, empty: str) -> None:
    """The objectives table, read back (Ref. first: rows are matched by it); extra blank rows for new objectives."""
    columns = sms.OBJECTIVE_COLUMNS[lang]
    keys = list(columns)
    para(doc, "{%p if not objectives %}")
    para(doc, empty, italic=True)
    para(doc, "{%p endif %}")
    table(doc, [columns[k] for k in keys], [1.1, 3.0, 2.9, 1.5, 1.9, 2.2, 2.4, 2.4], [
        ["{%tr for o in objectives %}"] + [""] * 7, ["{{ o." + k + " }}" for k in keys],
        ["{%tr endfor %}"] + [""] * 7, [""] * 8, [""] * 8], font=8,
        content=[["O-12"], LONG_WORD[lang], LONG_WORD[lang], [], [], [], [],
                 MONTH[lang]])


def scope_statement(lang: str) -> Document:
    T = SCOPE[lang]
    rows = SCOPE_ROWS[lang]
    doc = new_document(lang)
    sms_head(doc, lang)
    para(doc, T["h_scope"], "Heading 1")
    t = label_rows(doc, [(rows["scope.statement"], "{{ scope.statement }}")], together=False)
    para(doc, "{{ scope.requirements }}", size=9).paragraph_format.space_before = Pt(6)
    para(doc, T["h_services"], "Heading 1")
    rows_or(doc, "services", T["services_headers"], [2.4, 6.0, 9.0],
            ["{{ s.id }}", "{{ s.name }}", "{{ s.customers }}"], "{{ todo }}", var="s")
    para(doc, T["h_sites"], "Heading 1")
    rows_or(doc, "sites", T["sites_headers"], [4.0, 7.0, 6.4], ["{{ s.name }}", "{{ s.address }}", "{{ s.activity }}"],
            "{{ todo }}", var="s")
    para(doc, T["locations"] + " {{ locations }}", size=9).paragraph_format.space_before = Pt(6)
    para(doc, T["h_parties"], "Heading 1")
    rows_or(doc, "parties", T["parties_headers"], [3.6, 3.6, 5.0, 5.2],
            ["{{ p.party }}", "{{ p.process }}", "{{ p.description }}", "{{ p.control }}"], T["no_parties"], var="p",
            font=8.5, content=[[], clause_titles(lang), [], []])
    para(doc, T["h_exclusions"], "Heading 1")
    label_rows(doc, [(rows["scope.exclusions"], "{{ scope.exclusions }}")], together=False)
    sms_approval(doc, lang)
    return doc


def policy_objectives(lang: str) -> Document:
    T = POLICY[lang]
    doc = new_document(lang)
    sms_head(doc, lang)
    para(doc, T["h_policy"], "Heading 1")
    para(doc, T["intro"])
    loop_paragraphs(doc, "for c in commitments", "{{ c }}")
    para(doc, T["signed"] + " {{ signatory.name }}, {{ signatory.title }}", italic=True, size=9)
    para(doc, T["h_objectives"], "Heading 1")
    para(doc, T["objectives_note"], italic=True, size=8)
    objectives_table(doc, lang, T["no_objectives"])
    sms_approval(doc, lang)
    return doc


def sms_plan(lang: str) -> Document:
    T = PLAN[lang]
    rows = PLAN_ROWS[lang]
    doc = new_document(lang)
    sms_head(doc, lang)
    para(doc, T["h_objectives"], "Heading 1")
    objectives_table(doc, lang, POLICY[lang]["no_objectives"])
    para(doc, T["h_requirements"], "Heading 1")
    rows_or(doc, "requirements", T["requirements_headers"], [4.4, 8.6, 4.4],
            ["{{ r.name }}", "{{ r.levels }}", "{{ r.agreement }}"], T["no_services"], var="r")

    def plan_row(key: str) -> None:
        label_rows(doc, [(rows[key], "{{ plan." + key + " }}")], together=False)
    para(doc, T["h_limitations"], "Heading 1")
    plan_row("limitations")
    para(doc, T["h_obligations"], "Heading 1")
    bullets_or(doc, "obligations", "{{ o }}", "{{ todo }}", var="o", italic=True)
    para(doc, T["h_people"], "Heading 1")
    rows_or(doc, "people", T["people_headers"], [3.4, 4.0, 4.0, 6.0],
            ["{{ p.name }}", "{{ p.title }}", "{{ p.roles }}", "{{ p.processes }}"], "{{ todo }}", var="p", font=8.5,
            content=[[], [], [], clause_titles(lang)])
    para(doc, T["h_resources"], "Heading 1")
    para(doc, "{{ headcount }}", size=9)
    plan_row("resources")
    para(doc, T["h_parties"], "Heading 1")
    rows_or(doc, "parties", T["parties_headers"], [4.0, 7.0, 6.4], ["{{ p.name }}", "{{ p.role }}", "{{ p.control }}"],
            T["no_parties"], var="p", font=8.5)
    para(doc, T["h_technology"], "Heading 1")
    plan_row("technology")
    para(doc, T["h_measuring"], "Heading 1")
    loop_paragraphs(doc, "for m in measuring", "{{ m }}")
    plan_row("reporting")
    para(doc, T["h_schedule"], "Heading 1")
    rows_or(doc, "schedule", T["schedule_headers"], [3.0, 4.2, 4.4, 3.0, 2.8],
            ["{{ s.date }}", "{{ s.what }}", "{{ s.id }}", "{{ s.who }}", "{{ s.state }}"], T["no_schedule"], var="s",
            font=8.5, content=[MONTH[lang], words("audit_kind", lang), ["recertification-2029-11"], [],
                               words("programme_state", lang)])
    sms_approval(doc, lang)
    return doc


def service_catalogue(lang: str) -> Document:
    T = CATALOGUE[lang]
    rows = sms.SERVICE_ROWS[lang]
    doc = new_document(lang)
    sms_head(doc, lang)
    para(doc, T["intro"], size=9)
    para(doc, "{%p if not services %}")
    para(doc, T["no_services"], italic=True)
    para(doc, "{%p endif %}")
    para(doc, "{%p for s in services %}")
    keep_with_next(para(doc, "{{ s.name }}", "Heading 1"))
    label_rows(doc, [(rows[k], "{{ s." + k + " }}") for k in rows])
    para(doc, "")
    para(doc, "{%p endfor %}")
    sms_approval(doc, lang)
    return doc


# Templates are rebuilt with fixed dates and zip timestamps: a rebuild that changes nothing writes the same bytes
# (no churn in git, no conflict between branches that rebuild them)
BUILT = datetime(2026, 1, 1, tzinfo=timezone.utc)


def save(make: Callable[[Path], None], path: Path) -> None:
    """Write the file `make` saves at `path`, normalised (fixed dates and zip order)."""
    make(path)
    path.write_bytes(normalize_package(path.read_bytes(), BUILT))


def save_word(doc: Document, path: Path) -> None:
    """Write a Word template: only the table styles it uses, then saved as `save` does."""
    without_unused_table_styles(doc)
    save(doc.save, path)


REGISTERS = ("risk-register", "document-register", "audit-programme", "supplier-register")


def register(form_id: str, lang: str, path: Path) -> None:
    """A register's workbook: one sheet per table with its header row (columns are found by header, so they may
    move); kitgen fills the rows, drop-downs, formats and print setup."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from kitgen.forms.registry import form_type

    form = form_type(form_id)
    wb = Workbook()
    for i, table in enumerate(form.tables):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = table.sheet[lang]
        for col, column in enumerate(table.columns, start=1):
            cell = ws.cell(row=1, column=col, value=column.header(lang))
            cell.fill = PatternFill("solid", fgColor="1F3864")
            cell.font = Font(bold=True, color="FFFFFF")
            ws.column_dimensions[cell.column_letter].width = column.width
    wb.save(path)


def main() -> None:
    for lang in ("fr", "en"):
        folder = HERE.parent / "kitgen" / "data" / "templates" / lang
        folder.mkdir(exist_ok=True)
        save_word(audit_report(lang), folder / "audit-report.docx")
        save_word(audit_checklist(lang), folder / "audit-checklist.docx")
        save_word(management_review(lang), folder / "management-review.docx")
        save(lambda path: action_plan(lang, path), folder / "action-plan.xlsx")
        save_word(questionnaire(lang), folder / "questionnaire.docx")
        save_word(evaluation_form(lang), folder / "evaluation-form.docx")
        save_word(scope_statement(lang), folder / "scope-statement.docx")
        save_word(policy_objectives(lang), folder / "policy-objectives.docx")
        save_word(sms_plan(lang), folder / "sms-plan.docx")
        save_word(service_catalogue(lang), folder / "service-catalogue.docx")
        for form_id in REGISTERS:
            save(lambda path, form_id=form_id: register(form_id, lang, path), folder / f"{form_id}.xlsx")
        print(f"wrote {folder}")


if __name__ == "__main__":
    main()
