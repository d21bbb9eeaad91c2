"""The audit programme (.xlsx, one per project; 2018 §9.2.2): the audits of the three-year cycle — recorded ones,
those the organisation planned (`programme`), and those the project's intervals call for (internal audits, stages
1 and 2, surveillance, recertification: kitgen.project.cycle, as the calendar) — and, clause by clause, what each
covered or plans, with the clauses no internal audit, and no audit of the certification body, covers or plans in the
cycle highlighted.

Read back both ways: the Programme sheet's rows (planned audits edited, added, deleted — reported), and the clauses
marked in each planned audit's column of the Clauses sheet. An audit the intervals call for becomes a planned audit
of the project once someone changes its row or marks clauses for it; recorded audits are shown, not read back.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..errors import N_, problem
from ..infra.text import fold
from ..project.cycle import BODY_AUDITS, ProgrammeAudit, programme, verdict
from ..project.models import Project
from ..project.places import Place, norm
from .common import person_name, today
from .reading import Added, Reading
from .sheet import (
    DONE_FILL,
    LATE_FILL,
    LATE_FONT,
    SHOWN,
    WORKED_OUT,
    Column,
    Context,
    RegisterForm,
    Row,
    Table,
    base_of,
    check_cells,
    decorate,
    edited_cells,
    find_sheet,
    header_language,
    rows_of,
    sheet_of,
    typed_fields,
    write_rows,
)
from .values import parse_date
from .vocabulary import ValueProblem, label, labels, parse

SUGGESTED = "suggested"      # the base's place for an audit the intervals call for: ("suggested", ID)
ALL_CLAUSES = ("stage2", "recertification")   # the body's audits that examine every requirement
PLANNED_FILL = "DDEBF7"
MARK_WIDTH = 12    # an audit's column in the Clauses sheet: a mark or a verdict's word ("Conforme", "NC mineure")
ROTATED_POINTS_PER_CHARACTER = 6.5   # a header's bold characters stacked upwards, in row-height points
ROTATED_PADDING_POINTS = 8           # and the room above and below them


def parse_auditor(value: Any, ctx: Context) -> str:
    """A person's id from an id or a name; anyone else's name as typed (an external auditor)."""
    text = fold(str(value))
    person = next((p for p in ctx.project.people if text in (fold(p.id), fold(p.name))), None)
    return person.id if person else " ".join(str(value).split())


PROGRAMME_COLUMNS = [
    Column("id", "Réf.", "Ref.", 17),
    Column("kind", "Type d'audit", "Audit type", 24, "kind", lambda v, c: parse("audit_kind", v),
           lambda c: labels("audit_kind", c.lang), required=True),
    Column("start", "Début", "Start", 11, "start", lambda v, c: parse_date(v, c.locale), required=True),
    Column("end", "Fin", "End", 11, "end", lambda v, c: parse_date(v, c.locale)),
    Column("lead_auditor", "Auditeur responsable", "Lead auditor", 20, "lead_auditor", parse_auditor,
           lambda c: [p.name for p in c.project.people], strict=False),
    Column("state", "État", "Status", 18),
    Column("planned", "Articles prévus", "Clauses planned", 10, center=True),
    Column("covered", "Articles couverts", "Clauses covered", 10, center=True),
    Column("notes", "Remarques", "Notes", 34, "notes", prose=True),
]
PROGRAMME = Table("Programme", "planned-audit", {"fr": "Programme", "en": "Programme"}, PROGRAMME_COLUMNS, "id",
                  freeze="B2", title_columns="A:A")
# a recorded audit's row: shown, never read back
DONE = replace(PROGRAMME, columns=[replace(c, field="") for c in PROGRAMME_COLUMNS])
FIELDS = [c.field for c in PROGRAMME_COLUMNS if c.field]
MATRIX_COLUMNS = [
    Column("clause", "Article", "Clause", 8),
    Column("title", "Exigence", "Requirement", 32, prose=True),
    Column("process", "Processus", "Process", 16),
    Column("internal_gap", "Écart du programme interne", "Internal programme gap", 13),
    Column("cycle_gap", "Écart du cycle de certification", "Certification cycle gap", 13),
]
MATRIX = Table("Clauses", "planned-audit", {"fr": "Articles", "en": "Clauses"}, MATRIX_COLUMNS, "clause",
               freeze="D2", title_columns="A:B")


def order(audits: list[ProgrammeAudit]) -> list[ProgrammeAudit]:
    """The matrix's columns: internal audits, then the certification body's, then the others (pre-audits…)."""
    def family(a: ProgrammeAudit) -> int:
        return 0 if a.internal else 1 if a.kind in BODY_AUDITS else 2
    return sorted(audits, key=lambda a: (family(a), a.start, a.id))


class AuditProgramme(RegisterForm):
    """The three-year audit programme and its clause coverage."""

    id = "audit-programme"
    template = "audit-programme.xlsx"
    tables = (PROGRAMME, MATRIX)
    names = {"fr": "Programme d'audit", "en": "Audit programme"}

    def count(self, ctx: Context) -> int:
        return len(ctx.fw.requirements())

    # -- writing -------------------------------------------------------------------------------------------------
    def programme_rows(self, ctx: Context, audits: list[ProgrammeAudit], n: int) -> list[Row]:
        project, lang = ctx.project, ctx.lang
        rows = []
        for a in audits:
            planned = a.clauses if a.state != "done" else []
            if a.state == SUGGESTED and a.kind in ALL_CLAUSES:
                planned = list(programme_requirements(ctx))
            cells: dict[str, Any] = {
                "id": a.id, "kind": label("audit_kind", a.kind, lang), "start": a.start, "end": a.end,
                "lead_auditor": person_name(project, a.lead_auditor), "state": label("programme_state", a.state, lang),
                "planned": f"{len(planned)} / {n}" if a.state != "done" else "",
                "covered": f"{len(a.clauses)} / {n}" if a.state == "done" else "",
                "notes": a.entry.notes if a.entry else ""}
            if a.state == "done":
                rows.append(Row(("audit", a.id), cells, {}))
                continue
            raw: dict[str, Any] = {f: getattr(a.entry, f) for f in FIELDS} if a.entry else \
                {"kind": a.kind, "start": a.start, "end": None, "lead_auditor": "", "notes": ""}
            place: Place = ("planned-audit", a.id) if a.entry else (SUGGESTED, a.id)
            raw["clauses"] = list(a.entry.clauses) if a.entry else []
            rows.append(Row(place, cells, raw))
        return rows

    def marks(self, ctx: Context, a: ProgrammeAudit) -> dict[str, str]:
        """What an audit's column shows per clause: a recorded audit's verdict, a planned audit's mark."""
        if a.state == "done" and a.audit is not None:
            return {c: label("coverage", v, ctx.lang) for c in programme_requirements(ctx)
                    if (v := verdict(a.audit, c))}
        planned = programme_requirements(ctx) if a.state == SUGGESTED and a.kind in ALL_CLAUSES else a.clauses
        word = label("mark", "planned", ctx.lang)
        return {c: word for c in planned}

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]]:
        from openpyxl import Workbook

        from ..frameworks import get_framework

        wb = Workbook()
        for table in self.tables:
            ws = wb.create_sheet(table.sheet[project.language])
            for i, col in enumerate(table.columns, start=1):
                ws.cell(row=1, column=i).value = col.header(project.language)
        return self.fill(wb, Context(project, get_framework(project.framework), project.language))

    def fill(self, wb: Any, ctx: Context) -> dict[Place, dict[str, Any]]:
        prog = programme(ctx.project, today())
        audits = order(prog.audits)
        n = len(prog.requirements)
        rows = self.programme_rows(ctx, sorted(audits, key=lambda a: (a.start, a.id)), n)
        ws = sheet_of(wb, PROGRAMME.sheet, ctx.lang)
        cols = write_rows(ws, PROGRAMME, rows, ctx)
        decorate(wb, ws, PROGRAMME, cols, len(rows), ctx, self.page(ctx.project, None, ctx.lang))
        self._programme_colours(ws, cols, len(rows), ctx)
        base: dict[Place, dict[str, Any]] = {}
        for row in rows:
            table = DONE if row.place[0] == "audit" else PROGRAMME
            base.update(base_of(table, [row]))
        marks = {a.id: self.marks(ctx, a) for a in audits}
        for row in rows:   # what each column showed: a recorded audit's verdicts, the clauses marked planned
            shown = marks[row.place[1]]
            base[row.place][SHOWN + "clauses"] = dict(shown) if row.place[0] == "audit" else \
                sorted(shown, key=prog.requirements.index)
        self._matrix(wb, ctx, prog.requirements, audits, marks)
        return base

    def _programme_colours(self, ws: Any, cols: dict[str, int], n: int, ctx: Context) -> None:
        from openpyxl.utils import get_column_letter

        from .sheet import highlight

        if "state" in cols:
            state = get_column_letter(cols["state"])
            highlight(ws, f'${state}2="{label("programme_state", SUGGESTED, ctx.lang)}"', max(n + 1, 2), "FFF2CC")
            highlight(ws, f'${state}2="{label("programme_state", "done", ctx.lang)}"', max(n + 1, 2), DONE_FILL)

    def _matrix(self, wb: Any, ctx: Context, requirements: list[str], audits: list[ProgrammeAudit],
                marks: dict[str, dict[str, str]]) -> None:
        """The Clauses sheet: a column per audit between the clause's description and the gaps."""
        from ..ooxml.xlsx import header_map, put

        lang, fw = ctx.lang, ctx.fw
        ws = sheet_of(wb, MATRIX.sheet, lang)
        fixed = header_map(ws, MATRIX.labels())
        first = max(fixed.get(k, 0) for k in ("clause", "title", "process")) + 1
        ws.insert_cols(first, len(audits))
        for j, a in enumerate(audits):
            put(ws.cell(row=1, column=first + j), a.id)
        table = _matrix_table(first, audits, lang)
        titles = {slug: fw.process_title(slug, lang) for slug in fw.processes}
        rows = []
        for clause in requirements:
            slug = fw.clause_process(clause)
            cells = {"clause": clause, "title": fw.clause_title(clause, lang),
                     "process": titles.get(slug, "") if slug else ""}
            cells.update({f"audit:{a.id}": marks[a.id].get(clause, "") for a in audits})
            rows.append(Row(("clause", clause), cells, {}))
        cols = write_rows(ws, table, rows, ctx)
        decorate(wb, ws, table, cols, len(requirements), ctx, self.page(ctx.project, None, lang))
        _matrix_colours(ws, cols, first, audits, len(requirements) + 1, lang)

    # -- reading -------------------------------------------------------------------------------------------------
    def read_tables(self, data: Any, ctx: Context, reading: Reading) -> None:
        """The Programme sheet's rows (planned audits edited and added, suggested ones taken up), each with the
        clauses marked in its column of the Clauses sheet; recorded audits' rows are shown, not read."""
        sheet = find_sheet(data, PROGRAMME.sheet, reading)
        if sheet is None:
            return
        rows = rows_of(sheet, PROGRAMME.labels(), ["id"], reading)
        if rows is None:
            return
        lang = header_language(sheet, PROGRAMME)
        marked = self._read_matrix(data, ctx, reading)
        if marked is None:
            return
        base = reading.base if reading.base is not None else {}
        ids = _ProgrammeIds.of(ctx.project, base)
        added = 0
        for cells in rows:
            if not any(cells.text.values()):
                continue
            typed = cells.text.get("id", "")
            if typed in ids.done:
                reading.problems += check_cells(DONE, cells)
                reading.not_taken += edited_cells(DONE, cells, base.get(("audit", typed)), False, lang)
                continue
            known = typed in (ids.planned | ids.gone | ids.suggested)
            fields, problems = typed_fields(PROGRAMME, cells, ctx, new=not known)
            problems = check_cells(PROGRAMME, cells) + problems
            if problems:
                reading.problems += problems
                continue
            was = base.get(("planned-audit", typed)) or base.get((SUGGESTED, typed))
            reading.not_taken += edited_cells(PROGRAMME, cells, was, not known, lang)
            was = was or {}
            if typed in marked:
                fields["clauses"] = _clauses(cells, typed, marked[typed], was, reading, lang)
            if _taken_as_known(typed, fields, was, ids, base, reading):
                continue
            added += 1
            _add_audit(cells, typed, fields, added, ids, reading, lang)

    def _read_matrix(self, data: Any, ctx: Context, reading: Reading) -> dict[str, list[str]] | None:
        """{audit id: the clauses marked in its column} for the columns of planned (and suggested) audits; recorded
        audits' columns and the gaps edited are reported, not taken."""
        sheet = find_sheet(data, MATRIX.sheet, reading)
        if sheet is None:
            return None
        base = reading.base or {}
        lang = header_language(sheet, MATRIX)
        fixed = MATRIX.labels()
        header = sheet.rows[0][1]
        audit_cols: dict[str, int] = {}
        for i, value in enumerate(header):
            text = "" if value is None else str(value).strip()
            if text and fold(text) not in fixed:
                audit_cols[text] = i
        labels_ = {**fixed, **{fold(a): f"audit:{a}" for a in audit_cols}}
        columns = MATRIX_COLUMNS + [Column(f"audit:{a}", a, a, MARK_WIDTH) for a in audit_cols]
        table = replace(MATRIX, columns=columns)
        rows = rows_of(sheet, labels_, ["clause"], reading)
        if rows is None:
            return None
        requirements = set(ctx.fw.requirements())
        planned_ids = {e.id for e in ctx.project.programme} | {p[1] for p in base if p[0] in ("planned-audit",
                                                                                             SUGGESTED)}
        marked: dict[str, list[str]] = {a: [] for a in audit_cols if a in planned_ids}
        for a in audit_cols:
            if a not in planned_ids and not any(p[1] == a for p in base if p[0] == "audit"):
                reading.not_taken.append(problem(N_("column {value!r} is not an audit of the programme"),
                                                 reading.name, place=sheet.title, value=a, code="not-taken",
                                                 hint=N_("add the audit as a row of the sheet {sheet} first"),
                                                 sheet=PROGRAMME.sheet[lang]))
        for cells in rows:
            if not any(cells.text.values()):
                continue
            clause = cells.text.get("clause", "")
            if clause not in requirements:
                reading.not_taken.append(cells.problem("clause", N_("the clauses come from the standard; this row is "
                                                                    "not taken"), code="not-taken"))
                continue
            for a in audit_cols:
                key, typed = f"audit:{a}", cells.text.get(f"audit:{a}", "")
                if a in marked:
                    if not typed:
                        continue
                    try:
                        parse("mark", typed)
                    except ValueProblem as err:
                        reading.problems.append(err.at(reading.name, cells.where(key)))
                        continue
                    marked[a].append(clause)
                elif base and norm(typed) != norm(self._done_mark(base, a, clause, ctx)):
                    reading.not_taken.append(cells.problem(key, N_("{value!r}: the verdicts of a recorded audit come "
                                                                   "from its checklist; not taken"), value=typed,
                                                           code="not-taken"))
            for key in ("internal_gap", "cycle_gap"):
                if cells.text.get(key) and key not in cells.formulas:
                    reading.not_taken.append(cells.problem(key, WORKED_OUT[False], value=cells.text[key],
                                                           header=table.column(key).header(lang), code="worked-out"))
        order_ = ctx.fw.requirements()
        return {a: sorted(c, key=order_.index) for a, c in marked.items()}

    def _done_mark(self, base: dict[Place, dict[str, Any]], audit: str, clause: str, ctx: Context) -> str:
        marks = base.get(("audit", audit), {}).get(SHOWN + "clauses")
        return marks.get(clause, "") if isinstance(marks, dict) else ""


def _matrix_table(first: int, audits: list[ProgrammeAudit], lang: str) -> Table:
    """The Clauses sheet's table: the clause's columns, a mark column per audit (from column `first`), and the gap
    columns, each a formula over its family's audit columns."""
    from openpyxl.utils import get_column_letter

    columns = [Column(f"audit:{a.id}", a.id, a.id, MARK_WIDTH, "" if a.state == "done" else "clauses",
                      choices=None if a.state == "done" else (lambda c: labels("mark", c.lang)), strict=False,
                      center=True)
               for a in audits]
    not_audited = label("coverage", "not-audited", lang)
    gap = label("flag", "gap", lang)
    families = {"internal_gap": [j for j, a in enumerate(audits) if a.internal],
                "cycle_gap": [j for j, a in enumerate(audits) if a.kind in BODY_AUDITS]}
    gaps = []
    for column in MATRIX_COLUMNS[3:]:   # worked out by the spreadsheet from the family's columns, row by row
        members = families[column.key]
        if members:
            rng = f"{get_column_letter(first + members[0])}{{row}}:{get_column_letter(first + members[-1])}{{row}}"
            formula = f'IF(COUNTIF({rng},"?*")-COUNTIF({rng},"{not_audited}")>0,"","{gap}")'
        else:
            formula = f'"{gap}"'
        gaps.append(replace(column, formula=formula))
    return replace(MATRIX, columns=MATRIX_COLUMNS[:3] + columns + gaps)


def _matrix_colours(ws: Any, cols: dict[str, int], first: int, audits: list[ProgrammeAudit], last: int,
                    lang: str) -> None:
    """Audit ids upwards in the header, gaps in red, the clauses marked planned in blue."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .sheet import ROWS_OFFERED

    if audits:   # audit ids read upwards, whole: a narrow mark column would break them at their hyphens
        for j in range(len(audits)):
            cell = ws.cell(row=1, column=first + j)
            cell.alignment = Alignment(horizontal="center", vertical="bottom", text_rotation=90)
        ws.row_dimensions[1].height = max(ws.row_dimensions[1].height or 0,
                                          ROTATED_POINTS_PER_CHARACTER * max(len(a.id) for a in audits)
                                          + ROTATED_PADDING_POINTS)
    red = PatternFill("solid", bgColor=LATE_FILL)
    for key in ("internal_gap", "cycle_gap"):
        if key in cols:
            letter = get_column_letter(cols[key])
            ws.conditional_formatting.add(f"{letter}2:{letter}{last}", FormulaRule(
                formula=[f'${letter}2<>""'], fill=red, font=Font(color=LATE_FONT, bold=True)))
    if audits:
        rng = f"{get_column_letter(first)}2:{get_column_letter(first + len(audits) - 1)}{last + ROWS_OFFERED}"
        word = label("mark", "planned", lang)
        ws.conditional_formatting.add(rng, FormulaRule(formula=[f'{get_column_letter(first)}2="{word}"'],
                                                       fill=PatternFill("solid", bgColor=PLANNED_FILL)))


@dataclass(frozen=True)
class _ProgrammeIds:
    """The audit ids a Programme sheet's rows may name, by what kitgen does with their row."""

    planned: set[str]     # the project's planned audits not recorded yet: their rows are edits
    done: set[str]        # recorded audits (and those the sheet showed recorded): shown, not read back
    suggested: set[str]   # audits the intervals called for when the sheet was made
    gone: set[str]        # planned audits the sheet showed, since deleted from the project: the merge reports them

    @classmethod
    def of(cls, project: Project, base: dict[Place, dict[str, Any]]) -> _ProgrammeIds:
        recorded = {a.id for a in project.audits}
        planned = {e.id for e in project.programme if e.id not in recorded and e.audit not in recorded}
        done = ({p[1] for p in base if p[0] == "audit"} | recorded) - planned
        suggested = {p[1] for p in base if p[0] == SUGGESTED}
        gone = {p[1] for p in base if p[0] == "planned-audit"} - planned
        return cls(planned, done, suggested, gone)


def _clauses(cells: Any, typed: str, clauses: list[str], was: dict[str, Any], reading: Reading,
             lang: str) -> list[str]:
    """A planned audit's clauses from its column of the Clauses sheet; those it had when none is marked."""
    if clauses == was.get(SHOWN + "clauses", []):
        return was.get("clauses", [])
    if not clauses:
        reading.not_taken.append(cells.problem("id", N_("{value}: no clause marked in its column of the sheet {sheet}; "
                                                        "its clauses are kept"), value=typed,
                                               sheet=MATRIX.sheet[lang], code="not-taken"))
        return was.get("clauses", [])
    return clauses


def _taken_as_known(typed: str, fields: dict[str, Any], was: dict[str, Any], ids: _ProgrammeIds,
                    base: dict[Place, dict[str, Any]], reading: Reading) -> bool:
    """Whether a row is done with as an audit the sheet showed: a planned one's edit, or a suggestion left as it
    was; False for a row that adds an audit (a suggestion changed, an id not seen before)."""
    if typed in ids.suggested and typed in ids.planned:
        # planned since this copy was generated: its row merges with the suggestion it showed as its base
        base.setdefault(("planned-audit", typed), base[(SUGGESTED, typed)])
        reading.values[("planned-audit", typed)] = fields
        return True
    if typed in ids.suggested:
        # left as kitgen suggested it: still only a suggestion
        return all(norm(fields.get(f)) == norm(was.get(f)) for f in fields)
    if typed in ids.planned or typed in ids.gone:
        reading.values[("planned-audit", typed)] = fields
        return True
    return False


def _add_audit(cells: Any, typed: str, fields: dict[str, Any], added: int, ids: _ProgrammeIds, reading: Reading,
               lang: str) -> None:
    """A row that adds an audit to the programme (a suggestion changed is one): refused without its type and start."""
    where = cells.where("id")
    missing = [c.header(lang) for c in PROGRAMME_COLUMNS if c.required and not fields.get(c.field)]
    if missing:
        reading.problems.append(cells.problem("id", N_("a new audit of the programme needs its {columns}"),
                                              columns=", ".join(missing), code="missing-value"))
        return
    name = f"{PROGRAMME.name}#{typed}" if typed in ids.suggested else f"{PROGRAMME.name}#{added}"
    text = f"{norm(fields['kind'])} {norm(fields['start'])}"
    fields = {f: v for f, v in fields.items() if v not in (None, "", [])}
    reading.added.append(Added("planned-audit", ("register",), fields, name, where, text,
                               wanted_id=typed or None))


def programme_requirements(ctx: Context) -> list[str]:
    return ctx.fw.requirements()


FORM = AuditProgramme()
