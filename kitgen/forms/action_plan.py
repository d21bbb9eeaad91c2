"""The action plan (.xlsx, one per project, every round): the nonconformity register (§10.1) as a workbook —
writing it from the project, its base, and reading it back.

One row per action, or per finding without an action yet; findings from audits and from outside them (complaints,
major incidents, management reviews, self-detection), and the actions decided in management reviews.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..errors import N_, Problem, problem
from ..frameworks import get_framework
from ..infra.text import cell_text, columns_by_header, fold, plain
from ..project.models import ACTION_STATUSES, GRADES, REVIEW_SOURCE, Action, Audit, Finding, Project
from ..project.places import Place, norm
from ..project.register import FindingRow, finding_rows
from ..project.status import OPEN_ACTION
from .common import person_name, today
from .kind import FormType, Rendered
from .reading import REBUILD, Added, Reading, base_payload, parse_base
from .typeset import typeset
from .vocabulary import WORDS, ValueProblem, audit_grades, label, labels

BASE_SHEET = "_kitgen_base"
SHEETS = {"actions": {"fr": "Actions", "en": "Actions"}, "summary": {"fr": "Synthèse", "en": "Summary"},
          "lists": {"fr": "Listes", "en": "Lists"}}

# key, French header, English header, width, printed on the first page. Read-back finds columns by these headers
# (and the older ones below), never by position.
COLUMNS: list[tuple[str, str, str, float, bool]] = [
    # printed first, on the first pages: the key columns, at a readable size on a landscape A4 page
    ("finding", "Constat", "Finding ID", 13, True),
    ("action", "Action", "Action ID", 7, True),
    ("clause", "Article", "Clause", 7, True),
    ("grade", "Gravité", "Grade", 11, True),
    ("statement", "Exigence / constat", "Finding", 24, True),
    ("correction", "Correction", "Correction", 15, True),
    ("corrective", "Action corrective", "Corrective action", 18, True),
    ("preventive", "Action préventive", "Preventive action", 15, True),
    ("owner", "Responsable", "Owner", 12, True),
    ("due", "Échéance", "Due date", 10, True),
    ("status", "Statut", "Status", 10, True),
    # then the rest, on the following pages (the finding and action ids repeat on each)
    ("round", "Origine", "Source", 18, False),
    ("raised", "Relevé le", "Raised on", 11, False),
    ("evidence", "Preuves objectives", "Objective evidence", 28, False),
    ("root_cause", "Cause racine", "Root cause", 26, False),
    ("extent", "Étendue (NC similaires)", "Extent (similar nonconformities)", 24, False),
    ("impl_evidence", "Preuve de mise en œuvre", "Implementation evidence", 26, False),
    ("eff_date", "Efficacité vérifiée le", "Effectiveness checked on", 12, False),
    ("eff_by", "Vérifiée par", "Checked by", 16, False),
    ("eff_result", "Résultat de la vérification", "Effectiveness result", 24, False),
    ("closed", "Date de clôture", "Closure date", 11, False),
    ("accepted", "Plan accepté le", "Plan accepted on", 11, False),
    ("limit", "Limite des 6 mois", "6-month limit", 11, False),
    ("finding_status", "Statut du constat", "Finding status", 12, False),
    ("flags", "Alertes", "Flags", 18, False),
]
OLD_HEADERS = {"audit": "round", "audit round": "round"}  # plans made by kitgen 0.1
# Where an action's description goes, by kind; improvement actions share the corrective column.
DESCRIPTION_COLUMN = {"correction": "correction", "corrective": "corrective", "preventive": "preventive",
                      "improvement": "corrective"}
FINDING_FIELDS = ("clause", "grade", "statement", "evidence", "root_cause", "extent")
ACTION_COLUMNS = ("owner", "due", "status", "closed", "impl_evidence", "eff_date", "eff_by", "eff_result")
DATE_COLUMNS = ("raised", "due", "closed", "eff_date", "accepted", "limit")
# Columns of running text, where an id or a date mentioned must not break across lines (no-break hyphens); the
# others hold values people filter and search on (ids, the source, names), which keep their plain hyphens.
PROSE_COLUMNS = frozenset({"statement", "correction", "corrective", "preventive", "evidence", "root_cause", "extent",
                           "impl_evidence", "eff_result"})
ID_CHARACTERS_PER_WIDTH = 1.1  # a column of width w shows about w × 1.1 characters of an id (11-point Calibri)
PRINT_SCALE = 75  # the plan prints at this scale: 11-point text stays above 8 points
# The Summary sheet, one printed page: its two titles above the 11-point tables, the grades' header row tall enough
# for two wrapped lines ("Opportunity for improvement"), the first column as wide as an audit id or a status' name, a
# grade's column as wide as its name on two lines; two blank rows between the tables; the chart, in cm, about as
# wide as the tables; the print area reaching SUMMARY_CHART_ROWS rows below the chart's top: the 17 default rows
# (0.53 cm each) it covers and a margin
SUMMARY_TITLE_SIZE = 13
SUMMARY_HEADER_POINTS = 32
SUMMARY_LABEL_WIDTH = 22
SUMMARY_GRADE_WIDTH = 15
SUMMARY_GAP_ROWS = 2
SUMMARY_CHART_CM = (9, 20)   # height, width
SUMMARY_CHART_ROWS = 19
# Columns kitgen writes and never reads back for the rows it wrote (worked out, or said elsewhere): what people type
# there is compared with what was shown, kept in the base, and reported as not taken.
SHOWN_COLUMNS = ("round", "raised", "accepted", "limit", "finding_status", "flags")
SHOWN: Place = ("shown", "plan")
# why a cell typed on a row is not taken: (message, hint)
DERIVED = {"limit": (N_('"{value}" not taken: the 6-month limit is worked out from the stage 2 audit\'s date'), None),
           "finding_status": (N_('"{value}" not taken: a finding\'s status is worked out from its actions (status, '
                                 "effectiveness) and the audits' follow-up"), N_("set those instead")),
           "flags": (N_('"{value}" not taken: flags are worked out by kitgen'), None)}
NOT_TAKEN = {"shown": (N_('"{value}" not taken: typed over what kitgen writes from the project file'),
                       N_("change the project file instead")),
             "action": (N_('"{value}" not taken: an action needs its description (correction or corrective action '
                           "column)"), None),
             "description": (N_('"{value}" not taken: one action per row'), N_("add a row for the other action")),
             "other": (N_('"{value}" not taken: kitgen reads nothing from this cell on this row'), None)}
SHOWN_CHARACTERS = 60   # of a cell's text quoted in a note: enough to recognise it, the note stays on one line


class _Refused(Exception):
    """A value of a row nobody can read, with its cell: the row is not taken."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem


def header_labels() -> dict[str, str]:
    """{folded header text: column key}, both languages and earlier versions, for reading."""
    table = {fold(h): key for key, fr, en, _, _ in COLUMNS for h in (fr, en)}
    table.update(OLD_HEADERS)
    return table


def in_plan(f: Finding) -> bool:
    """A strength needs no action: it stays in the report, not in the plan."""
    return f.grade != "strength" or bool(f.actions)


def action_values(a: Action) -> dict[str, Any]:
    """An action's harvested fields, by their project names."""
    eff = a.effectiveness
    return {"description": a.description, "owner": a.owner or "", "due": a.due, "status": a.status,
            "closed": a.closed, "evidence": a.evidence, "effectiveness.date": eff.date if eff else None,
            "effectiveness.by": eff.by if eff else "", "effectiveness.result": eff.result if eff else ""}


def review_ref(day: str, lang: str) -> str:
    """How the Source column names a management review: 'Revue de direction 2026-08-20'."""
    return f"{label('source', REVIEW_SOURCE, lang)} {day}"


class ActionPlan(FormType):
    """The nonconformity register and its actions, for every round."""

    id = "action-plan"
    template = "action-plan.xlsx"
    per = "project"
    harvested = True
    packaged = True

    def title(self, project: Project, key: str | None, lang: str) -> str:
        return "Plan d'action" if lang == "fr" else "Action plan"

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]]:
        base: dict[Place, dict[str, Any]] = {}
        for audit, f in project.all_findings():
            if not in_plan(f):
                continue
            base[("finding", f.id)] = {k: getattr(f, k) for k in FINDING_FIELDS}
            for a in f.actions:
                base[("action", a.id)] = action_values(a)
        for review in project.management_reviews:
            for a in review.actions:
                base[("action", a.id)] = action_values(a)
        for audit in project.audits:
            if any(in_plan(f) for f in audit.findings):
                base[("audit", audit.id)] = {"plan_accepted": audit.plan_accepted}
        return base

    def render(self, project: Project, key: str | None, lang: str, template: Path) -> Rendered:
        """The filled plan from `template` (whose header row names the columns)."""
        from openpyxl import load_workbook

        from ..ooxml.package import open_package
        from ..ooxml.xlsx import (
            check_formulas,
            header_map,
            put,
        )
        from .sheet import DATE_FORMATS, print_frame, saved_workbook

        with open_package(template, "xlsx") as package:
            wb = load_workbook(package.for_library())
        check_formulas(wb, template.name)
        fw = get_framework(project.framework)
        ws = wb[SHEETS["actions"][lang]] if SHEETS["actions"][lang] in wb.sheetnames else wb.worksheets[0]
        if not fw.preventive_actions:
            cols = header_map(ws, header_labels())
            if "preventive" in cols:  # 2018 has no preventive actions: risk is handled in clause 6.1
                ws.delete_cols(cols["preventive"])
        cols = header_map(ws, header_labels())
        rows = _rows(project, lang)
        for r, values in enumerate(rows, start=2):
            for column, col in cols.items():
                value = values.get(column)
                put(ws.cell(row=r, column=col),
                    typeset(value, lang, ids=column in PROSE_COLUMNS) if isinstance(value, str) else value,
                    DATE_FORMATS[project.locale_for(lang)])
        stage1 = {f.id for a in project.audits if a.kind == "stage1" for f in a.findings}
        _decorate(wb, ws, cols, len(rows) + 1, project, lang,
                  [r for r, values in enumerate(rows, start=2) if values.get("finding") in stage1])
        _summary(wb, project, lang)
        print_frame(wb[SHEETS["summary"][lang]], self.page(project, key, lang), lang)
        base = self.base(project, key)
        base[SHOWN] = {_row_key(values.get("finding"), values.get("action")):
                       {c: shown_text(values.get(c)) for c in SHOWN_COLUMNS if shown_text(values.get(c))}
                       for values in rows}
        return saved_workbook(wb, self, project, key, lang, base_payload(base))

    def check_template(self, path: Path, project: Project, lang: str) -> list[Problem]:
        from dataclasses import replace

        from openpyxl import load_workbook

        from ..errors import TemplateError
        from ..ooxml.package import open_package
        from ..ooxml.xlsx import check_formulas, header_map

        with open_package(path, "xlsx") as package:
            wb = load_workbook(package.for_library(), read_only=True)
        problems: list[Problem] = []
        try:
            check_formulas(wb, path.name)
        except TemplateError as err:
            problems += [replace(p, file=str(path)) for p in err.problems]
        found = header_map(wb.worksheets[0], header_labels())
        shown = {fold(str(c.value)) for c in next(wb.worksheets[0].iter_rows(max_row=1), ()) if c.value is not None}
        words = "en" if sum(fold(en) in shown for _, _, en, _, _ in COLUMNS) > sum(
            fold(fr) in shown for _, fr, _, _, _ in COLUMNS) else lang   # the missing named as the header names its own
        missing = [fr if words == "fr" else en for key, fr, en, _, _ in COLUMNS
                   if key not in found and key != "preventive"]
        if missing:
            problems.append(problem(N_("missing columns in the first sheet's header row: {expected}"), path,
                                    expected=", ".join(missing), code="template"))
        return problems

    def read(self, package: Any, project: Project, reading: Reading) -> None:
        """Every editable field of every finding and action row, and the rows people added."""
        from ..ooxml.xlsx import payload_text, read_workbook

        data = read_workbook(package, {*SHEETS["actions"].values(), BASE_SHEET})
        reading.payload = payload_text(data.sheets.get(BASE_SHEET))
        reading.base = parse_base(reading.payload)
        _PlanReader(project, reading, data).run()


@dataclass(frozen=True)
class _Row:
    """One row of the Actions sheet as typed: its number, its cells by column key, and their plain text."""

    r: int
    values: dict[str, Any]
    text: dict[str, str]


class _PlanReader:
    """Reads the Actions sheet row by row into the reading (one instance per file)."""

    def __init__(self, project: Project, reading: Reading, data: Any) -> None:
        self.project, self.reading, self.data = project, reading, data
        self.fw = get_framework(project.framework)
        self.name = reading.name
        self.locale = project.locale_for(reading.lang or project.language)   # the order its dates are typed in
        self.findings = {f.id: f for _, f in project.all_findings()}
        self.finding_audit = {f.id: (a.id if a else "") for a, f in project.all_findings()}
        self.actions = {a.id for a in project.all_actions()}
        base = reading.base or {}
        # ids the plan was generated with stay ids even once deleted from the project: the merge reports them gone
        self.gone_findings = {p[1] for p in base if p[0] == "finding"} - set(self.findings)
        self.actions |= {p[1] for p in base if p[0] == "action"}
        self.reviews = {r.date.isoformat() for r in project.management_reviews}
        self.audits = {a.id for a in project.audits}
        self.local: dict[str, str] = {}    # a finding id typed on an added row -> its local name
        self.counts = Counter[str]()
        # the Actions sheet, once found: its title, header row and {column key: index}
        self.title = ""
        self.header: Any = ()
        self.cols: dict[str, int] = {}

    def run(self) -> None:
        """Every row of the Actions sheet, then the findings those rows show."""
        sheet = self._actions_sheet()
        if sheet is None:
            return
        reading, title = self.reading, self.title
        finding_values: dict[str, list[dict[str, Any]]] = {}
        for r, row in sheet.rows[1:]:
            if r in sheet.formulas:
                reading.problems.append(problem(N_("a formula where a value is expected"), self.name,
                                                place=f"{title}!{sheet.formulas[r]}", hint=N_("type the value itself"),
                                                code="formula"))
                continue
            values = {k: row[i] if i < len(row) else None for k, i in self.cols.items()}
            text = {k: ("" if v is None else plain(cell_text(v))) for k, v in values.items()}
            self._row(_Row(r, values, text), finding_values)
        self._findings(finding_values)

    def _actions_sheet(self) -> Any:
        """The Actions sheet with the columns read-back needs, its title, header and columns noted; None (a problem
        said) when the plan has none."""
        reading = self.reading
        title = next((t for t in SHEETS["actions"].values() if t in self.data.sheets), None)
        if title is None:
            reading.problems.append(problem(N_("no sheet {expected}; was the workbook restructured?"), self.name,
                                            expected=" / ".join(SHEETS["actions"].values()), hint=REBUILD,
                                            code="restructured"))
            return None
        sheet = self.data.sheets[title]
        if sheet.too_many:
            reading.problems.append(problem(N_("more than {count} rows; is this a workbook kitgen built?"), self.name,
                                            place=title, count=len(sheet.rows), code="too-many-rows"))
            return None
        if not sheet.rows:
            reading.problems.append(problem(N_("empty sheet"), self.name, place=title, code="restructured"))
            return None
        _, header = sheet.rows[0]
        cols = columns_by_header(header, header_labels())
        needed = {"finding", "action", "status", "due", "owner"}
        if not needed <= set(cols):
            missing = ", ".join(sorted(needed - set(cols)))
            reading.problems.append(problem(N_("the header row lacks these columns: {expected}"), self.name,
                                            place=f"{title}!1", expected=missing, hint=REBUILD, code="restructured"))
            return None
        self.title, self.header, self.cols = title, header, cols
        return sheet

    def _cell(self, key: str, r: int) -> str:
        """'Actions!C7': the cell of column `key` on row `r` (the finding's cell for a column not there)."""
        from openpyxl.utils import get_column_letter

        return f"{self.title}!{get_column_letter(self.cols.get(key, self.cols['finding']) + 1)}{r}"

    def _header(self, key: str) -> str:
        """A column as the file names it (as the plan names it in the file's language, when the file lacks it)."""
        if key in self.cols:
            return " ".join(str(self.header[self.cols[key]]).split())
        return next(fr if self.reading.lang == "fr" else en for k, fr, en, _, _ in COLUMNS if k == key)

    def _parsed(self, row: _Row, key: str, fn: Any, *args: Any) -> Any:
        """The cell `key` of `row` read by `fn` (blank: no value); raises _Refused naming the cell."""
        if not row.text.get(key):
            return None if key in DATE_COLUMNS else ""
        try:
            return fn(row.values[key], *args)
        except ValueProblem as err:
            raise _Refused(err.at(self.name, self._cell(key, row.r))) from None

    def _row(self, row: _Row, finding_values: dict[str, list[dict[str, Any]]]) -> None:
        """One row: its finding (edited, added, or the review that decided its action), its action, what is left."""
        from .values import parse_date

        reading, text = self.reading, row.text
        if not self._storable(row):
            return
        try:
            finding_fields = self._finding_fields(row)
            kind, action_fields = self._action_fields(row)
            accepted = self._parsed(row, "accepted", parse_date, self.locale)
            raised = self._parsed(row, "raised", parse_date, self.locale)
        except _Refused as err:
            reading.problems.append(err.problem)
            return
        fid, aid = text["finding"], text["action"]
        used: set[str] = set()  # what adding a finding on this row took: its source, its date
        parent = self._finding_row(row, fid, finding_fields, raised, finding_values, used)
        taken = {"finding", "action"}
        if accepted and fid in self.finding_audit and self.finding_audit[fid]:
            reading.values.setdefault(("audit", self.finding_audit[fid]), {"plan_accepted": accepted})
        if fid in self.finding_audit and self.finding_audit[fid]:
            taken.add("accepted")
        if parent is None:
            if action_fields["description"] and not fid:
                reading.problems.append(problem(N_("an action row needs the finding it answers (or the management "
                                                   "review that decided it, in the column {header})"), self.name,
                                                place=self._cell("finding", row.r), header=self._header("round"),
                                                code="missing-value"))
                return
            self._untaken(row, taken, fid, aid)
            return
        taken |= used
        if parent[0] == "finding":
            taken.update(FINDING_FIELDS)
        else:
            taken.add("round")  # the management review that decided the action
        taken |= self._action(row, parent, aid, kind, action_fields)
        self._untaken(row, taken, fid, aid)

    def _storable(self, row: _Row) -> bool:
        """Whether every cell of the row holds text kitgen can keep; each one that does not is a problem."""
        from .values import check_text

        refused = False
        for key, typed in row.text.items():
            try:
                check_text(typed)
            except ValueProblem as err:
                self.reading.problems.append(err.at(self.name, self._cell(key, row.r)))
                refused = True
        return not refused

    def _finding_fields(self, row: _Row) -> dict[str, Any]:
        """The finding's fields as typed on the row; raises _Refused naming the cell."""
        from .values import parse_clause, parse_grade

        text = row.text
        return {"clause": self._parsed(row, "clause", parse_clause, self.fw),
                "grade": self._parsed(row, "grade", parse_grade),
                "statement": text.get("statement", ""), "evidence": text.get("evidence", ""),
                "root_cause": text.get("root_cause", ""), "extent": text.get("extent", "")}

    def _action_fields(self, row: _Row) -> tuple[str | None, dict[str, Any]]:
        """(the action's kind: the first description column filled, None if none; its fields); raises _Refused naming
        the cell."""
        from .values import parse_date, parse_person, parse_status, parse_verifier

        text = row.text
        kind = next((k for k in ("correction", "corrective", "preventive") if text.get(k)), None)
        return kind, {
            "description": text.get(kind, "") if kind else "",
            "owner": self._parsed(row, "owner", parse_person, self.project),
            "due": self._parsed(row, "due", parse_date, self.locale),
            "status": self._parsed(row, "status", parse_status) or ("open" if kind else ""),
            "closed": self._parsed(row, "closed", parse_date, self.locale), "evidence": text.get("impl_evidence", ""),
            "effectiveness.date": self._parsed(row, "eff_date", parse_date, self.locale),
            "effectiveness.by": self._parsed(row, "eff_by", parse_verifier, self.project),
            "effectiveness.result": text.get("eff_result", ""),
        }

    def _action(self, row: _Row, parent: Place, aid: str, kind: str | None, fields: dict[str, Any]) -> set[str]:
        """Record the row's action, an edit of a known one or a new one under `parent`; the columns it took."""
        if aid in self.actions:
            if not kind:  # every description column emptied: keep the description
                fields.pop("description")
            self.reading.values[("action", aid)] = fields
        elif fields["description"]:
            self.counts["actions"] += 1
            self.reading.added.append(Added("action", parent, {"kind": kind or "corrective", **fields},
                                            f"actions#{self.counts['actions']}", self._cell("action", row.r),
                                            fields["description"], wanted_id=aid or None))
        else:
            return set()
        return {*ACTION_COLUMNS, *((kind,) if kind else ())}

    def _findings(self, finding_values: dict[str, list[dict[str, Any]]]) -> None:
        """Each known finding's fields, from the rows that show it (one per action)."""
        reading, title = self.reading, self.title
        base = reading.base or {}
        for fid, rows in finding_values.items():
            values = _finding_values(rows, base.get(("finding", fid), {}))
            blank = [k for k in ("clause", "grade", "statement") if not values[k]]
            if blank:
                reading.problems.append(problem(N_("{id}: {columns} may not be emptied"), self.name, place=title,
                                                id=fid, columns=", ".join(self._header(k) for k in blank),
                                                hint=N_("type it again, or leave the cell as it was"),
                                                code="missing-value"))
            else:
                reading.values[("finding", fid)] = values

    def _untaken(self, row: _Row, taken: set[str], fid: str, aid: str) -> None:
        """Report the cells of a row that hold something typed no field takes (what kitgen wrote there is no typing)."""
        entry = (self.reading.base or {}).get(SHOWN)
        shown = entry.get(_row_key(fid, aid), {}) if isinstance(entry, dict) else {}
        if not isinstance(shown, dict):
            shown = {}
        for key, typed in row.text.items():
            if not typed or key in taken or shown_text(row.values[key]) == shown.get(key, ""):
                continue
            if key in DERIVED:
                why, hint = DERIVED[key]
            elif shown.get(key):
                why, hint = NOT_TAKEN["shown"]
            elif key in ACTION_COLUMNS:
                why, hint = NOT_TAKEN["action"]
            elif key in DESCRIPTION_COLUMN:
                why, hint = NOT_TAKEN["description"]
            else:
                why, hint = NOT_TAKEN["other"]
            place = f"{self._cell(key, row.r)} ({self._header(key)})"
            self.reading.not_taken.append(problem(why, self.name, place=place, value=typed[:SHOWN_CHARACTERS],
                                                  hint=hint, code="not-taken"))

    def _finding_row(self, row: _Row, fid: str, fields: dict[str, Any], raised: date | None,
                     finding_values: dict[str, list[dict[str, Any]]], used: set[str]) -> Place | None:
        """The place an action on this row belongs to (None: no finding or review), recording the finding's values;
        `used` gets the columns adding a finding took."""
        source = row.text.get("round", "")
        review = next((d for d in self.reviews if fold(review_ref(d, "fr")) == fold(source)
                       or fold(review_ref(d, "en")) == fold(source)), None)
        if not fid and review:
            return ("review", review)
        if fid in self.findings or fid in self.gone_findings:
            if fid in self.gone_findings or in_plan(self.findings[fid]) or any(fields.values()):
                finding_values.setdefault(fid, []).append(fields)
            return ("finding", fid)
        if fid in self.local:
            return ("finding", self.local[fid])
        if not fields["statement"]:
            return None
        return self._new_finding(row, fid, fields, raised, used)

    def _new_finding(self, row: _Row, fid: str, fields: dict[str, Any], raised: date | None,
                     used: set[str]) -> Place | None:
        """A finding typed on a row of its own: added under its audit, or the register with its source and date
        (None, a problem said, when one of them is missing)."""
        source = row.text.get("round", "")
        where = self._cell("finding", row.r)
        round_id = source.split(" ")[0] if source else ""
        if round_id in self.audits:
            parent: Place = ("audit", round_id)
        else:
            from .vocabulary import parse
            try:
                kind = parse("source", source) if source else ""
            except ValueProblem:
                kind = ""
            if not kind or kind == "audit":
                lang = self.reading.lang if self.reading.lang in ("fr", "en") else "en"
                self.reading.problems.append(problem(
                    N_("a new finding needs its audit ({expected}) or its source ({sources})"), self.name,
                    place=self._cell("round", row.r) if "round" in row.text else where,
                    expected=", ".join(sorted(self.audits)) or "—",
                    sources=", ".join(w for code, w in WORDS["source"][lang].items() if code != "audit"),
                    code="missing-value"))
                return None
            if raised is None:
                self.reading.problems.append(problem(N_("a finding from outside an audit needs the date it was raised"),
                                                     self.name, place=self._cell("raised", row.r),
                                                     code="missing-value"))
                return None
            fields = {**fields, "source": kind, "raised": raised}
            parent = ("register",)
            used.add("raised")
        if not fields["grade"] or not fields["clause"]:
            self.reading.problems.append(problem(N_("a new finding needs its clause and grade"), self.name,
                                                 place=self._cell("grade", row.r), code="missing-value"))
            return None
        used.add("round")
        self.counts["findings"] += 1
        local = f"@{self.counts['findings']}"
        self.reading.added.append(Added("finding", parent, fields, f"findings#{self.counts['findings']}", where,
                                        fields["statement"], wanted_id=fid or None, local=local))
        if fid:
            self.local[fid] = local
        return ("finding", local)


def _row_key(finding: Any, action: Any) -> str:
    """How the base names a row of the plan: 'F1|CA-2' ('F1|' for a finding without action, '|CA-9' for an action
    of a management review)."""
    return f"{finding or ''}|{action or ''}"


def shown_text(value: Any) -> str:
    """A cell's value as compared across copies: dates in ISO form, spaces squeezed."""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(cell_text(value).split()) if value is not None else ""


def _finding_values(rows: list[dict[str, Any]], was: dict[str, Any]) -> dict[str, Any]:
    """A finding shown on several rows (one per action): per field, the value someone changed on any row; cells
    left blank on added action rows do not count as edits."""
    values: dict[str, Any] = {}
    for key in FINDING_FIELDS:
        typed = [row[key] for row in rows if norm(row[key])]
        changed = [v for v in typed if norm(v) != norm(was.get(key))]
        values[key] = changed[0] if changed else typed[0] if typed else ""
    return values


def _rows(project: Project, lang: str) -> list[dict[str, Any]]:
    tracked: dict[str, FindingRow] = {row.id: row for row in finding_rows(project, today())}
    out = []
    audits = {a.id: a for a in project.audits}
    for audit, f in sorted(project.all_findings(), key=lambda x: (tracked[x[1].id].raised or date.min)):
        if not in_plan(f):
            continue
        t = tracked[f.id]
        common: dict[str, Any] = {
            "finding": f.id, "round": _source(audit, t, lang), "raised": t.raised, "clause": f.clause,
            "grade": label("grade", f.grade, lang), "statement": f.statement, "evidence": f.evidence,
            "root_cause": f.root_cause, "extent": f.extent,
            "accepted": audits[t.audit].plan_accepted if t.audit else None, "limit": t.major_deadline,
            "finding_status": label("finding_status", t.status, lang)}
        finding_flags = [k for k, on in (("recurring", t.recurring), ("major-deadline", t.major_past_deadline)) if on]
        if not f.actions:
            out.append({**common, "flags": _flags(finding_flags, t, lang)})
        for a in f.actions:
            flags = finding_flags + [k for k, on in (("overdue", a.id in t.overdue_actions),
                                                       ("after-limit", a.id in t.late_actions)) if on]
            out.append({**common, **_action_cells(project, a, lang), "flags": _flags(flags, t, lang)})
    for review in sorted(project.management_reviews, key=lambda r: r.date):
        for a in review.actions:
            late = a.status in OPEN_ACTION and a.due is not None and a.due < today()
            out.append({"round": review_ref(review.date.isoformat(), lang), "raised": review.date,
                        **_action_cells(project, a, lang), "flags": _flags(["overdue"] if late else [], None, lang)})
    return out


def _source(audit: Audit | None, t: FindingRow, lang: str) -> str:
    if audit is not None:
        return f"{audit.id} — {label('audit_kind', audit.kind, lang)}"
    return label("source", t.source, lang)


def _flags(codes: list[str], t: FindingRow | None, lang: str) -> str:
    words = [label("flag", c, lang) + (f" ({t.recurs})" if c == "recurring" and t else "") for c in codes]
    return ", ".join(words)


def _action_cells(project: Project, a: Action, lang: str) -> dict[str, Any]:
    eff = a.effectiveness
    return {"action": a.id, DESCRIPTION_COLUMN[a.kind]: a.description, "owner": person_name(project, a.owner),
            "due": a.due, "status": label("action_status", a.status, lang), "impl_evidence": a.evidence,
            "eff_date": eff.date if eff else None, "eff_by": _verifier_name(project, eff.by) if eff else "",
            "eff_result": eff.result if eff else "", "closed": a.closed}


def _verifier_name(project: Project, ref: str) -> str:
    party = project.party(ref)
    return party.name if party else person_name(project, ref)


def _decorate(wb: Any, ws: Any, cols: dict[str, int], last_row: int, project: Project, lang: str,
              stage1_rows: list[int]) -> None:
    """Table style, widths, drop-downs (each offering only what harvest takes on its row), late rows in red,
    printing."""
    from .sheet import format_table, print_pages

    last_row = max(last_row, 2)
    widths = _widths(ws, cols, last_row)
    format_table(ws, "ActionPlan", {col: widths[key] for key, col in cols.items()}, last_row, "C2")
    _dropdowns(wb, ws, cols, last_row, project, lang, stage1_rows)
    _highlights(ws, cols, last_row, lang)
    # Printing: landscape A4 at 75 % (11-point text prints above 8 points); the key columns fill the first pages,
    # the others follow on later pages with the header row and the finding and action ids repeated.
    print_pages(ws, FORM.page(project, None, lang), lang, scale=PRINT_SCALE, title_columns="A:B")
    ws.page_setup.pageOrder = "overThenDown"


def _widths(ws: Any, cols: dict[str, int], last_row: int) -> dict[str, float]:
    """{column key: width}: the widths COLUMNS gives, the id columns widened to their longest id."""
    widths = {key: w for key, _, _, w, _ in COLUMNS}
    # id columns as wide as the longest id, so that no id breaks across lines
    longest = {key: max((len(str(ws.cell(row=r, column=cols[key]).value or "")) for r in range(2, last_row + 1)),
                        default=0) for key in ("finding", "action") if key in cols}
    widths.update({key: max(widths[key], n / ID_CHARACTERS_PER_WIDTH + 1) for key, n in longest.items()})
    return widths


def _dropdowns(wb: Any, ws: Any, cols: dict[str, int], last_row: int, project: Project, lang: str,
               stage1_rows: list[int]) -> None:
    """The drop-downs: grades, statuses, owners, verifiers, clauses."""
    from .sheet import ROWS_OFFERED, dropdowns

    fw = get_framework(project.framework)
    statuses = list(ACTION_STATUSES)
    # a stage 1 audit records areas of concern; every other finding a nonconformity, an observation, an improvement
    # or a strength: each row offers its own (rows people add are not stage 1 findings)
    # who checks effectiveness: the organisation's people, or the certification body's auditor — never a supplier
    verifiers = [p.name for p in project.people] + [p.name for p in project.parties if p.kind == "OCA"]
    sources = {"grade": (labels("grade", lang, audit_grades(None)), True),
               "status": (labels("action_status", lang, statuses), True),
               "owner": ([p.name for p in project.people], True),
               # the certification body's auditor, or anyone else, may check effectiveness: a warning only
               "eff_by": (verifiers, False),
               "clause": (list(fw.clauses), False)}
    spans: dict[str, list[tuple[int, int]]] = {}
    if stage1_rows:
        sources["grade@stage1"] = (labels("grade", lang, audit_grades("stage1")), True)
        spans = {"grade@stage1": [(r, r) for r in stage1_rows],
                 "grade": _without(2, last_row + ROWS_OFFERED, set(stage1_rows))}
    dropdowns(wb, ws, sources, cols, last_row, lang, spans)


def _highlights(ws: Any, cols: dict[str, int], last_row: int, lang: str) -> None:
    """Open actions past their due date in red, verified ones in green."""
    from openpyxl.utils import get_column_letter

    from .sheet import DONE_FILL, LATE_FILL, LATE_FONT, highlight

    if "due" in cols and "status" in cols:
        due, status = get_column_letter(cols["due"]), get_column_letter(cols["status"])
        open_labels = [label("action_status", s, lang) for s in OPEN_ACTION]
        highlight(ws, f'AND(${due}2<>"",${due}2<TODAY(),OR(${status}2="{open_labels[0]}",${status}2="{open_labels[1]}"))',
                  last_row, LATE_FILL, LATE_FONT)
        highlight(ws, f'${status}2="{label("action_status", "verified", lang)}"', last_row, DONE_FILL)


def _without(first: int, last: int, rows: set[int]) -> list[tuple[int, int]]:
    """The row spans from `first` to `last` that leave out `rows`."""
    spans: list[tuple[int, int]] = []
    start = first
    for r in sorted(rows) + [last + 1]:
        if r > start:
            spans.append((start, r - 1))
        start = max(start, r + 1)
    return spans


def _summary(wb: Any, project: Project, lang: str) -> None:
    """Findings by audit and grade, actions by status, and a chart under them, fitting one printed page."""
    title = SHEETS["summary"][lang]
    ws = wb[title] if title in wb.sheetnames else wb.create_sheet(title)
    grades = [g for g in GRADES if g != "concern" or any(a.kind == "stage1" for a in project.audits)]
    audits = sorted(project.audits, key=lambda a: a.start)
    _findings_table(ws, audits, grades, lang)
    top = len(audits) + 3 + SUMMARY_GAP_ROWS
    _actions_table(ws, project, top, lang)
    ws.column_dimensions["A"].width = SUMMARY_LABEL_WIDTH
    for j in range(2, 2 + len(grades)):
        ws.column_dimensions[ws.cell(row=2, column=j).column_letter].width = SUMMARY_GRADE_WIDTH
    chart_row = top + len(ACTION_STATUSES) + 2
    if audits:
        _findings_chart(ws, len(audits), len(grades), chart_row, lang)
    _one_page(ws, 1 + len(grades), chart_row + SUMMARY_CHART_ROWS)


def _findings_table(ws: Any, audits: list[Audit], grades: list[str], lang: str) -> None:
    """The summary's first table, from its title on row 1: a row per audit, a column per grade."""
    from openpyxl.styles import Alignment, Font

    from ..ooxml.xlsx import put

    fr = lang == "fr"
    put(ws.cell(row=1, column=1), "Constats par audit et par gravité" if fr else "Findings by audit round and grade")
    ws.cell(row=1, column=1).font = Font(bold=True, size=SUMMARY_TITLE_SIZE)
    put(ws.cell(row=2, column=1), "Audit")
    for j, g in enumerate(grades, start=2):
        put(ws.cell(row=2, column=j), label("grade", g, lang))
    for i, audit in enumerate(audits, start=3):
        put(ws.cell(row=i, column=1), audit.id)
        counts: Counter[str] = Counter(f.grade for f in audit.findings)
        for j, g in enumerate(grades, start=2):
            ws.cell(row=i, column=j).value = counts.get(g, 0)
    header = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = header
    ws.row_dimensions[2].height = SUMMARY_HEADER_POINTS


def _actions_table(ws: Any, project: Project, top: int, lang: str) -> None:
    """The summary's second table, from its title on row `top`: how many actions have each status."""
    from openpyxl.styles import Font

    from ..ooxml.xlsx import put

    put(ws.cell(row=top, column=1), "Actions par statut" if lang == "fr" else "Actions by status")
    ws.cell(row=top, column=1).font = Font(bold=True, size=SUMMARY_TITLE_SIZE)
    status_counts: Counter[str] = Counter(a.status for a in project.all_actions())
    for k, s in enumerate(ACTION_STATUSES, start=top + 1):
        put(ws.cell(row=k, column=1), label("action_status", s, lang))
        ws.cell(row=k, column=2).value = status_counts.get(s, 0)


def _findings_chart(ws: Any, n: int, grades: int, row: int, lang: str) -> None:
    """A stacked column per audit (its findings by grade) from the first table's `n` audits, at `row`."""
    from openpyxl.chart import BarChart, Reference

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Constats par audit" if lang == "fr" else "Findings by audit round"
    chart.add_data(Reference(ws, min_col=2, max_col=1 + grades, min_row=2, max_row=2 + n), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=3, max_row=2 + n))
    chart.height, chart.width = SUMMARY_CHART_CM
    ws.add_chart(chart, f"A{row}")


def _one_page(ws: Any, last_column: int, last_row: int) -> None:
    """The summary printed on one landscape A4 page, up to `last_column` and `last_row`."""
    from ..ooxml.xlsx import FRAME_MARGIN_INCHES, HEADER_MARGIN_INCHES

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1  # the tables and the chart under them on one page
    ws.page_margins.top = ws.page_margins.bottom = FRAME_MARGIN_INCHES
    ws.page_margins.header = ws.page_margins.footer = HEADER_MARGIN_INCHES
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:{ws.cell(row=1, column=last_column).column_letter}{last_row}"


FORM = ActionPlan()
