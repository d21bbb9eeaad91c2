"""The action plan (.xlsx, one per project, every round): writing it from the project, its base, and reading it back."""
from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

from ..frameworks import get_framework
from ..ooxml.text import cell_text, fold
from ..project.models import ACTION_STATUSES, GRADES, Action, Audit, Finding, Project
from .common import identity, now, person_name, to_json
from .labels import label, labels
from .reading import NewRow, Reading, load_base

FORM = "action-plan"
FILE_NAME = "action-plan.xlsx"
BASE_SHEET = "_kitgen_base"
SHEETS = {"actions": {"fr": "Actions", "en": "Actions"}, "summary": {"fr": "Synthèse", "en": "Summary"},
          "lists": {"fr": "Listes", "en": "Lists"}}

# key, French header, English header, width. Read-back finds columns by these headers, never by position.
COLUMNS: list[tuple[str, str, str, float]] = [
    ("finding", "Constat", "Finding ID", 16),
    ("action", "Action", "Action ID", 9),
    ("round", "Audit", "Audit round", 22),
    ("clause", "Article", "Clause", 8),
    ("grade", "Gravité", "Grade", 16),
    ("statement", "Exigence / constat", "Finding", 40),
    ("evidence", "Preuves objectives", "Objective evidence", 30),
    ("correction", "Correction", "Correction", 30),
    ("root_cause", "Cause racine", "Root cause", 26),
    ("corrective", "Action corrective", "Corrective action", 34),
    ("preventive", "Action préventive", "Preventive action", 30),
    ("owner", "Responsable", "Owner", 18),
    ("due", "Échéance", "Due date", 12),
    ("status", "Statut", "Status", 12),
    ("impl_evidence", "Preuve de mise en œuvre", "Implementation evidence", 28),
    ("eff_date", "Efficacité vérifiée le", "Effectiveness checked on", 13),
    ("eff_by", "Vérifiée par", "Checked by", 16),
    ("eff_result", "Résultat de la vérification", "Effectiveness result", 26),
    ("closed", "Date de clôture", "Closure date", 12),
    ("finding_status", "Statut du constat", "Finding status", 13),
    ("flags", "Alertes", "Flags", 18),
]
# Where an action's description goes, by kind; improvement actions share the corrective column.
DESCRIPTION_COLUMN = {"correction": "correction", "corrective": "corrective", "preventive": "preventive",
                      "improvement": "corrective"}
ACTION_FIELDS = ("description", "root_cause", "owner", "due", "status", "evidence", "closed",
                 "eff_date", "eff_by", "eff_result")
FINDING_FIELDS = ("clause", "grade", "statement", "evidence")


def header_labels() -> dict[str, str]:
    """{folded header text: column key}, both languages, for reading."""
    return {fold(h): key for key, fr, en, _ in COLUMNS for h in (fr, en)}


def _in_plan(f: Finding) -> bool:
    """A strength needs no action: it stays in the report, not in the plan."""
    return f.grade != "strength" or bool(f.actions)


def action_values(a: Action) -> dict[str, Any]:
    eff = a.effectiveness
    return {"description": a.description, "root_cause": a.root_cause, "owner": a.owner or "", "due": a.due,
            "status": a.status, "evidence": a.evidence, "closed": a.closed,
            "eff_date": eff.date if eff else None, "eff_by": eff.by if eff else "", "eff_result": eff.result if eff else ""}


def base(project: Project) -> dict[str, Any]:
    """The values the plan is generated from, for the three-way merge on harvest."""
    findings, actions = {}, {}
    for audit in project.audits:
        for f in audit.findings:
            if not _in_plan(f):
                continue
            findings[f.id] = {k: getattr(f, k) for k in FINDING_FIELDS}
            for a in f.actions:
                actions[a.id] = {"finding": f.id, "kind": a.kind, **action_values(a)}
    return {"findings": findings, "actions": actions}


def _rows(project: Project, lang: str, tracked: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    audits: list[Audit] = sorted(project.audits, key=lambda a: a.start)
    for audit in audits:
        round_label = f"{audit.id} — {label('audit_kind', audit.kind, lang)}"
        for f in audit.findings:
            if not _in_plan(f):
                continue
            t = tracked[f.id]
            flags = [label("flag", k, lang) for k, on in (("overdue", t.overdue), ("recurring", t.recurring),
                                                           ("major-deadline", t.major_past_deadline)) if on]
            common: dict[str, Any] = {"finding": f.id, "round": round_label, "clause": f.clause, "grade": label("grade", f.grade, lang),
                      "statement": f.statement, "evidence": f.evidence,
                      "finding_status": label("finding_status", t.status, lang), "flags": ", ".join(flags)}
            if not f.actions:
                out.append(common)
            for a in f.actions:
                v = action_values(a)
                out.append({**common, "action": a.id, DESCRIPTION_COLUMN[a.kind]: a.description,
                            "root_cause": a.root_cause, "owner": person_name(project, a.owner), "due": a.due,
                            "status": label("action_status", a.status, lang), "impl_evidence": a.evidence,
                            "eff_date": v["eff_date"], "eff_by": person_name(project, v["eff_by"]),
                            "eff_result": v["eff_result"], "closed": a.closed})
    return out


def render(project: Project, lang: str, template: Path, tracked: dict[str, Any]) -> bytes:
    """The filled action plan as .xlsx bytes, from `template` (whose header row names the columns).

    `tracked` maps finding ids to their tracking rows (derived status and flags, see kitgen.tracking).
    """
    from openpyxl import load_workbook

    from ..ooxml.parts import normalize_package
    from ..ooxml.safety import check_package
    from ..ooxml.xlsx import header_map, put, set_properties, write_payload

    check_package(template, "xlsx")
    wb = load_workbook(template)
    fw = get_framework(project.framework)
    ws = wb[SHEETS["actions"][lang]] if SHEETS["actions"][lang] in wb.sheetnames else wb.worksheets[0]
    if not fw.preventive_actions:
        cols = header_map(ws, header_labels())
        if "preventive" in cols:  # 2018 has no preventive actions: risk is handled in clause 6.1
            ws.delete_cols(cols["preventive"])
    cols = header_map(ws, header_labels())
    rows = _rows(project, lang, tracked)
    for r, values in enumerate(rows, start=2):
        for key, col in cols.items():
            put(ws.cell(row=r, column=col), values.get(key))
    last_row = max(len(rows) + 1, 2)
    _decorate(wb, ws, cols, last_row, project, lang)
    _summary(wb, project, lang)
    write_payload(wb, BASE_SHEET, to_json(base(project)))
    set_properties(wb, identity(FORM, project, lang))
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_package(buf.getvalue(), now())


def _decorate(wb: Any, ws: Any, cols: dict[str, int], last_row: int, project: Project, lang: str) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.table import Table, TableStyleInfo

    from ..ooxml.xlsx import list_range

    last_col = get_column_letter(ws.max_column)
    ref = f"A1:{last_col}{last_row}"
    table = Table(displayName="ActionPlan", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "C2"
    widths = {key: w for key, _, _, w in COLUMNS}
    for key, col in cols.items():
        ws.column_dimensions[get_column_letter(col)].width = widths[key]
    col_width = {col: widths[key] for key, col in cols.items()}
    wrap = Alignment(wrap_text=True, vertical="top")  # one shared style object: openpyxl indexes it once
    for row in ws.iter_rows(min_row=2, max_row=last_row):
        lines = 1
        for cell in row:
            cell.alignment = wrap
            if isinstance(cell.value, str):
                per_line = max(int(col_width.get(cell.column, 10) * 1.1), 1)
                lines = max(lines, sum(len(part) // per_line + 1 for part in cell.value.split("\n")))
        # LibreOffice does not grow wrapped rows on open: give each row the height its longest cell needs
        ws.row_dimensions[row[0].row].height = 13 * lines + 2
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 30

    lists_title = SHEETS["lists"][lang]
    lists = wb[lists_title] if lists_title in wb.sheetnames else wb.create_sheet(lists_title)
    lists.sheet_state = "hidden"
    sources = {"grade": list_range(lists, 1, labels("grade", lang)),
               "status": list_range(lists, 2, labels("action_status", lang)),
               "owner": list_range(lists, 3, [p.name for p in project.people])}
    sources["eff_by"] = sources["owner"]
    for key, source in sources.items():
        if key in cols:
            letter = get_column_letter(cols[key])
            dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True,
                                errorTitle="kitgen", error="Choose a value from the list / Choisissez une valeur de la liste")
            dv.add(f"{letter}2:{letter}{max(last_row, 200)}")
            ws.add_data_validation(dv)
    if "due" in cols and "status" in cols:
        due, status = get_column_letter(cols["due"]), get_column_letter(cols["status"])
        open_labels = [label("action_status", s, lang) for s in ("open", "in-progress")]
        late = (f'AND(${due}2<>"",${due}2<TODAY(),OR(${status}2="{open_labels[0]}",${status}2="{open_labels[1]}"))')
        verified = f'${status}2="{label("action_status", "verified", lang)}"'
        rng = f"A2:{last_col}{last_row}"
        ws.conditional_formatting.add(rng, FormulaRule(formula=[late], fill=PatternFill("solid", bgColor="F8CBAD"),
                                                       font=Font(color="9C0006")))
        ws.conditional_formatting.add(rng, FormulaRule(formula=[verified], fill=PatternFill("solid", bgColor="C6EFCE")))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _summary(wb: Any, project: Project, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    from ..ooxml.xlsx import put

    title = SHEETS["summary"][lang]
    ws = wb[title] if title in wb.sheetnames else wb.create_sheet(title)
    fr = lang == "fr"
    put(ws.cell(row=1, column=1), "Constats par audit et par gravité" if fr else "Findings by audit round and grade")
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    put(ws.cell(row=2, column=1), "Audit")
    for j, g in enumerate(GRADES, start=2):
        put(ws.cell(row=2, column=j), label("grade", g, lang))
    audits = sorted(project.audits, key=lambda a: a.start)
    for i, audit in enumerate(audits, start=3):
        put(ws.cell(row=i, column=1), audit.id)
        counts: Counter[str] = Counter(f.grade for f in audit.findings)
        for j, g in enumerate(GRADES, start=2):
            ws.cell(row=i, column=j).value = counts.get(g, 0)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    n = len(audits)
    top = n + 5
    put(ws.cell(row=top, column=1), "Actions par statut" if fr else "Actions by status")
    ws.cell(row=top, column=1).font = Font(bold=True, size=13)
    status_counts: Counter[str] = Counter(a.status for audit in audits for f in audit.findings for a in f.actions)
    for k, s in enumerate(ACTION_STATUSES, start=top + 1):
        put(ws.cell(row=k, column=1), label("action_status", s, lang))
        ws.cell(row=k, column=2).value = status_counts.get(s, 0)
    ws.column_dimensions["A"].width = 30
    for col in "BCDEF":
        ws.column_dimensions[col].width = 16
    if n:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Constats par audit" if fr else "Findings by audit round"
        chart.add_data(Reference(ws, min_col=2, max_col=1 + len(GRADES), min_row=2, max_row=2 + n), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=2 + n))
        chart.height, chart.width = 8, 16
        ws.add_chart(chart, "H2")


MAX_PLAN_ROWS = 10_000  # a very small organisation's plan holds a few hundred rows


def read(path: Path, project: Project) -> Reading:
    """Read a filled action plan: every editable field of every finding and action row, and rows people added."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from ..ooxml.xlsx import read_payload
    from .values import (
        ValueProblem,
        parse_clause,
        parse_date,
        parse_grade,
        parse_person,
        parse_status,
    )

    fw = get_framework(project.framework)
    wb = load_workbook(path, read_only=True)
    try:
        base_data = load_base(path, read_payload(wb, BASE_SHEET))
        reading = Reading(path=path, form=FORM, audit=None, base=base_data)
        names = {fold(n): n for n in wb.sheetnames}
        title = next((names[fold(t)] for t in SHEETS["actions"].values() if fold(t) in names), None)
        if title is None:
            reading.problems.append(f"{path.name}: no Actions sheet; was the plan restructured? Rebuild it with kitgen build")
            return reading
        ws = wb[title]
        if (ws.max_row or 0) > MAX_PLAN_ROWS:
            reading.problems.append(f"{path.name}: {title}: {ws.max_row} rows, more than {MAX_PLAN_ROWS}; "
                                    "is this an action plan?")
            return reading
        rows = ws.iter_rows()
        header = [c.value for c in next(rows, ())]
        labels = header_labels()
        cols: dict[str, int] = {}
        for i, text in enumerate(header):
            key = labels.get(fold(str(text))) if text is not None else None
            if key and key not in cols:
                cols[key] = i
        needed = {"finding", "action", "status", "due", "owner"}
        if not needed <= set(cols):
            missing = ", ".join(sorted(needed - set(cols)))
            reading.problems.append(f"{path.name}: {title}!1: the header row lacks column(s) {missing}")
            return reading
        known_findings = {f.id: a.id for a in project.audits for f in a.findings}
        known_actions = {x.id for a in project.audits for f in a.findings for x in f.actions} | set(base_data.get("actions", {}))
        audit_ids = {a.id for a in project.audits}
        for r, cells in enumerate(rows, start=2):
            if r > MAX_PLAN_ROWS:
                reading.problems.append(f"{path.name}: {title}: more than {MAX_PLAN_ROWS} rows; is this an action plan?")
                return reading
            formula = next((c for c in cells if getattr(c, "data_type", None) == "f"), None)
            if formula is not None:
                reading.problems.append(f"{path.name}: {title}!{formula.coordinate}: a formula where a value is "
                                        "expected; type the value itself")
                continue
            row = [c.value for c in cells]
            values = {k: row[i] if i < len(row) else None for k, i in cols.items()}
            text = {k: ("" if v is None else cell_text(v)) for k, v in values.items()}
            if not any(text.values()):
                continue

            def cell(key: str) -> str:
                return f"{path.name}: {title}!{get_column_letter(cols[key] + 1)}{r}"

            def parsed(key: str, fn: Any, *args: Any) -> Any:
                if not text.get(key):
                    return "" if key not in ("due", "closed", "eff_date") else None
                try:
                    return fn(values[key], *args)
                except ValueProblem as err:
                    raise ValueProblem(f"{cell(key)}: {err}") from None

            try:
                finding_fields = {"clause": parsed("clause", parse_clause, fw) if "clause" in cols else "",
                                  "grade": parsed("grade", parse_grade) if "grade" in cols else "",
                                  "statement": text.get("statement", ""), "evidence": text.get("evidence", "")}
                kind = next((k for k in ("correction", "corrective", "preventive") if text.get(k)), None)
                action_fields = {
                    "description": text.get(kind, "") if kind else "", "root_cause": text.get("root_cause", ""),
                    "owner": parsed("owner", parse_person, project), "due": parsed("due", parse_date),
                    "status": parsed("status", parse_status) or ("open" if kind else ""),
                    "evidence": text.get("impl_evidence", ""), "closed": parsed("closed", parse_date),
                    "eff_date": parsed("eff_date", parse_date), "eff_by": parsed("eff_by", parse_person, project),
                    "eff_result": text.get("eff_result", ""),
                }
            except ValueProblem as err:
                reading.problems.append(str(err))
                continue
            fid, aid = text["finding"], text["action"]
            if fid in known_findings:
                reading.findings.setdefault(fid, finding_fields)
            elif finding_fields["statement"]:
                round_id = text.get("round", "").split(" ")[0]
                if round_id not in audit_ids:
                    reading.problems.append(f"{cell('round') if 'round' in cols else cell('finding')}: a new finding "
                                            f"needs its audit round (one of {', '.join(sorted(audit_ids))})")
                    continue
                if not finding_fields["grade"] or not finding_fields["clause"]:
                    reading.problems.append(f"{cell('grade')}: a new finding needs its clause and grade")
                    continue
                reading.new_findings.append(NewRow(where=cell("finding"), fields=finding_fields, audit=round_id,
                                                   id=fid or None))
                fid = fid or f"@new{len(reading.new_findings)}"  # placeholder until the merge gives it an id
            elif not fid:
                if action_fields["description"]:
                    reading.problems.append(f"{cell('finding')}: an action row needs the finding it answers")
                continue
            if aid in known_actions:
                reading.actions[aid] = {"finding": fid, "kind": kind, **action_fields}
            elif action_fields["description"]:
                reading.new_actions.append(NewRow(where=cell("action"), fields={"kind": kind, **action_fields},
                                                  finding=fid, id=aid or None))
    finally:
        wb.close()
    return reading
