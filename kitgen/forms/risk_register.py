"""The risk and opportunity register (.xlsx, one per project; 2018 §6.1): each risk or opportunity with its source,
likelihood and impact, the level the spreadsheet works out, its treatment, owner, due date, status and last review;
treatments open past their due date and risks past their review interval are flagged. Read back both ways: edits,
rows added (new risks, with stable ids), rows deleted (reported).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import N_, Problem, problem
from ..project.models import RATING_MAX, Project, Risk
from ..project.reviews import risk_ids, risk_next_review
from ..project.status import OPEN_ACTION
from .common import person_name, today
from .reading import Added, Reading
from .sheet import (
    DONE_FILL,
    LATE_FILL,
    LATE_FONT,
    WARN_FILL,
    Column,
    Context,
    Existing,
    NewRow,
    RegisterForm,
    Row,
    Table,
    highlight,
    print_frame,
)
from .values import parse_date, parse_person, parse_rating
from .vocabulary import label, labels, parse

HIGH_LEVEL, MEDIUM_LEVEL = 15, 8   # likelihood × impact from which a risk is high (red) or medium (amber)
SCALES = {"fr": "Échelles", "en": "Scales"}
# The Scales sheet's columns: the ratings and the level bands ("15–25"); the likelihood words and what each band
# calls for ("Élevé : à traiter en priorité"); the impact words
SCALES_WIDTHS = {"A": 14, "B": 30, "C": 18}


def risk_flags(risk: Risk, project: Project, day: date) -> list[str]:
    """Flag codes: a treatment open past its due date, a review overdue or never made."""
    flags = []
    if risk.status in OPEN_ACTION and risk.due and risk.due < day:
        flags.append("overdue")
    due = risk_next_review(risk, project)
    if due is None:
        flags.append("never-reviewed")
    elif due < day:
        flags.append("review-overdue")
    return flags


COLUMNS = [
    Column("id", "Réf.", "Ref.", 7),
    Column("kind", "Type", "Type", 12, "kind", lambda v, c: parse("risk_kind", v),
           lambda c: labels("risk_kind", c.lang)),
    Column("text", "Risque ou opportunité", "Risk or opportunity", 34, "text", required=True, prose=True),
    Column("source", "Source", "Source", 16, "source", prose=True),
    Column("likelihood", "Vraisemblance (1-5)", "Likelihood (1-5)", 14, "likelihood",
           lambda v, c: parse_rating(v, "likelihood"), lambda c: [1, 2, 3, 4, 5], center=True),
    Column("impact", "Impact (1-5)", "Impact (1-5)", 9, "impact", lambda v, c: parse_rating(v, "impact"),
           lambda c: [1, 2, 3, 4, 5], center=True),
    Column("level", "Niveau", "Level", 8, center=True,
           formula='IF(AND(ISNUMBER({likelihood}{row}),ISNUMBER({impact}{row})),{likelihood}{row}*{impact}{row},"")'),
    Column("treatment", "Traitement", "Treatment", 30, "treatment", prose=True),
    Column("owner", "Responsable", "Owner", 14, "owner", lambda v, c: parse_person(v, c.project),
           lambda c: [p.name for p in c.project.people]),
    Column("due", "Échéance", "Due date", 11, "due", lambda v, c: parse_date(v, c.locale)),
    Column("status", "Statut", "Status", 11, "status", lambda v, c: parse("risk_status", v),
           lambda c: labels("risk_status", c.lang)),
    Column("reviewed", "Revu le", "Reviewed on", 11, "reviewed", lambda v, c: parse_date(v, c.locale)),
    Column("next_review", "Prochaine revue", "Next review", 11),
    Column("flags", "Alertes", "Flags", 16),
]
TABLE = Table("Risks", "risk", {"fr": "Risques", "en": "Risks"}, COLUMNS, "id", freeze="C2", title_columns="A:A")
FIELDS = [c.field for c in COLUMNS if c.field]


class RiskRegister(RegisterForm):
    """Risks and opportunities, their levels and treatments."""

    id = "risk-register"
    template = "risk-register.xlsx"
    tables = (TABLE,)
    names = {"fr": "Registre des risques et opportunités", "en": "Risk and opportunity register"}

    def rows(self, ctx: Context) -> list[Row]:
        project, lang, day = ctx.project, ctx.lang, today()
        rows = []
        for rid, risk in zip(risk_ids(project), project.risks):
            flags = risk_flags(risk, project, day)
            cells: dict[str, Any] = {
                "id": rid, "kind": label("risk_kind", risk.kind, lang), "text": risk.text, "source": risk.source,
                "likelihood": risk.likelihood, "impact": risk.impact, "treatment": risk.treatment,
                "owner": person_name(project, risk.owner), "due": risk.due,
                "status": label("risk_status", risk.status, lang), "reviewed": risk.reviewed,
                "next_review": risk_next_review(risk, project), "flags": ", ".join(label("flag", f, lang) for f in flags)}
            rows.append(Row(("risk", rid), cells, {f: getattr(risk, f) for f in FIELDS}))
        return rows

    def extras(self, wb: Any, ws: Any, cols: dict[str, int], rows: list[Row], ctx: Context) -> None:
        from openpyxl.formatting.rule import CellIsRule
        from openpyxl.styles import PatternFill
        from openpyxl.utils import get_column_letter

        from .sheet import ROWS_OFFERED

        letter = {k: get_column_letter(c) for k, c in cols.items()}
        last = max(len(rows) + 1, 2)
        if "due" in letter and "status" in letter:
            due, status = letter["due"], letter["status"]
            words = [label("risk_status", s, ctx.lang) for s in OPEN_ACTION]
            highlight(ws, f'AND(${due}2<>"",${due}2<TODAY(),OR(${status}2="{words[0]}",${status}2="{words[1]}"))',
                      last, LATE_FILL, LATE_FONT)
        if "level" in letter:
            rng = f"{letter['level']}2:{letter['level']}{last + ROWS_OFFERED}"
            for op, values, fill in (("greaterThanOrEqual", [HIGH_LEVEL], LATE_FILL),
                                     ("between", [MEDIUM_LEVEL, HIGH_LEVEL - 1], WARN_FILL),
                                     ("between", [1, MEDIUM_LEVEL - 1], DONE_FILL)):
                ws.conditional_formatting.add(rng, CellIsRule(operator=op, formula=[str(v) for v in values],
                                                              fill=PatternFill("solid", bgColor=fill)))
        _scales(wb, ctx.lang, self.page(ctx.project, None, ctx.lang))

    def existing(self, ctx: Context, reading: Reading) -> Existing:
        ids = set(risk_ids(ctx.project))
        return lambda typed, cells: ("risk", typed) if typed in ids else None

    def new_row(self, ctx: Context) -> NewRow:
        def add(fields: dict[str, Any], text: dict[str, str], where: str, n: int) -> Added | Problem:
            if not fields.get("text"):
                return problem(N_("a new risk or opportunity needs its description ({header})"),
                               header=COLUMNS[2].header(ctx.lang), code="missing-value")
            return Added("risk", ("register",), fields, f"{TABLE.name}#{n}", where, fields["text"],
                         wanted_id=text.get("id") or None)
        return add


def _scales(wb: Any, lang: str, page: dict[str, str]) -> None:
    """A printable legend: what 1 to 5 mean for likelihood and impact, and the level bands, framed as every page."""
    from openpyxl.styles import Font

    from ..ooxml.xlsx import put

    title = SCALES[lang]
    ws = wb[title] if title in wb.sheetnames else wb.create_sheet(title)
    fr = lang == "fr"
    heads = ["", "Vraisemblance" if fr else "Likelihood", "Impact"]
    for j, text in enumerate(heads, start=1):
        put(ws.cell(row=1, column=j), text)
        ws.cell(row=1, column=j).font = Font(bold=True)
    for i in range(1, RATING_MAX + 1):
        ws.cell(row=i + 1, column=1).value = i
        put(ws.cell(row=i + 1, column=2), label("likelihood", str(i), lang))
        put(ws.cell(row=i + 1, column=3), label("impact", str(i), lang))
    highest = RATING_MAX * RATING_MAX
    bands = [(f"{HIGH_LEVEL}–{highest}", "Élevé : à traiter en priorité" if fr else "High: treat first"),
             (f"{MEDIUM_LEVEL}–{HIGH_LEVEL - 1}", "Moyen : à traiter" if fr else "Medium: treat"),
             (f"1–{MEDIUM_LEVEL - 1}", "Faible : à surveiller" if fr else "Low: monitor")]
    legend = RATING_MAX + 3   # under the header, the ratings and a blank row
    put(ws.cell(row=legend, column=1), "Niveau = vraisemblance × impact" if fr else "Level = likelihood × impact")
    ws.cell(row=legend, column=1).font = Font(bold=True)
    for i, (band, meaning) in enumerate(bands, start=legend + 1):
        put(ws.cell(row=i, column=1), band)
        put(ws.cell(row=i, column=2), meaning)
    for column, width in SCALES_WIDTHS.items():
        ws.column_dimensions[column].width = width
    print_frame(ws, page, lang)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


FORM = RiskRegister()
