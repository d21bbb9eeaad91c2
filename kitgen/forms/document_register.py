"""The register of documented information (.xlsx, one per project; 2018 §7.5): every document and record of the
project — listed by hand or by `kitgen scan`, hundreds or thousands — with its reference, title, nature, process,
type, version, date and where the date came from, owner, retention, location and review; documents past their
review interval and dates taken from a file's time are flagged. Read back both ways: edits, rows added (new
documents and records under their process), rows deleted (reported).
"""
from __future__ import annotations

from typing import Any

from ..errors import N_, Problem, problem
from ..infra.text import fold
from ..project.models import DATES_FROM, DOCUMENT_KINDS, UNCONFIRMED_DATES, Project
from ..project.places import SYSTEM, Place
from ..project.reviews import EVIDENCE_LISTS, default_owner, document_next_review, evidence, review_months
from .common import today
from .reading import Added, Reading
from .sheet import LATE_FILL, WARN_FILL, Column, Context, Existing, NewRow, RegisterForm, Row, Table, highlight
from .values import parse_date, parse_months, parse_person, parse_process
from .vocabulary import ValueProblem, label, labels, parse

SYSTEM_NAME = {"fr": "Système de management (SMS)", "en": "Management system (SMS)"}
NATURES = EVIDENCE_LISTS


def process_name(owner: str, project: Project, fw: Any, lang: str) -> str:
    return SYSTEM_NAME[lang] if owner == SYSTEM else (fw.process_title(owner, lang) if owner in fw.processes else owner)


def parse_owner_process(value: Any, ctx: Context) -> str:
    """'SMS', 'Système de management', a process's slug, clause or title -> the process (or 'sms')."""
    text = fold(str(value))
    if text in {fold(SYSTEM), *(fold(n) for n in SYSTEM_NAME.values()), "systeme de management",
                "management system", "sms"}:
        return SYSTEM
    slug = parse_process(value, ctx.fw)
    if slug is None or slug not in ctx.project.processes:
        raise ValueProblem(N_('process "{value}" is not described in the project file'), value=str(value).strip(),
                           hint=N_("add it under processes first"), code="unknown-process")
    return slug


COLUMNS = [
    Column("path", "Référence (chemin)", "Reference (path)", 30, whole_up_to=50),
    Column("title", "Titre", "Title", 26, "title", required=True, prose=True),
    Column("nature", "Nature", "Document or record", 15, "nature", lambda v, c: parse("evidence", v),
           lambda c: labels("evidence", c.lang), added_only=True, required=True),
    Column("process", "Processus", "Process", 20, "process", parse_owner_process,
           lambda c: [SYSTEM_NAME[c.lang]] + [process_name(s, c.project, c.fw, c.lang) for s in c.project.processes],
           added_only=True, required=True),
    Column("kind", "Type", "Type", 12, "kind", lambda v, c: parse("document_kind", v),
           lambda c: labels("document_kind", c.lang)),
    Column("version", "Version", "Version", 8, "version", text=True),
    Column("date", "Date", "Date", 10, "date", lambda v, c: parse_date(v, c.locale), required=True),
    Column("date_from", "Source de la date", "Date from", 12),
    Column("owner", "Responsable", "Owner", 13, "owner", lambda v, c: parse_person(v, c.project),
           lambda c: [p.name for p in c.project.people]),
    Column("retention", "Conservation", "Retention", 12, "retention", prose=True),
    Column("location", "Emplacement", "Location", 18, "location", prose=True),
    Column("review_months", "Revue tous les (mois)", "Review every (months)", 9, "review_months",
           lambda v, c: parse_months(v), center=True),
    Column("reviewed", "Revu le", "Reviewed on", 10, "reviewed", lambda v, c: parse_date(v, c.locale)),
    Column("next_review", "Prochaine revue", "Next review", 10),
    Column("flags", "Alertes", "Flags", 14),
]
TABLE = Table("Documents", "document", {"fr": "Documents", "en": "Documents"}, COLUMNS, "path", freeze="C2",
              title_columns="A:B")
FIELDS = [c.field for c in COLUMNS if c.field and not c.added_only]


class DocumentRegister(RegisterForm):
    """The master list of documents and records."""

    id = "document-register"
    template = "document-register.xlsx"
    tables = (TABLE,)
    names = {"fr": "Registre des informations documentées", "en": "Register of documented information"}

    def rows(self, ctx: Context) -> list[Row]:
        project, fw, lang, day = ctx.project, ctx.fw, ctx.lang, today()
        system = project.management_system
        owners = {o: default_owner(project, o) for o in [SYSTEM, *project.processes]}
        names = {o: process_name(o, project, fw, lang) for o in owners}
        natures = {n: label("evidence", n, lang) for n in NATURES.values()}
        kinds = {code: label("document_kind", code, lang) for code in DOCUMENT_KINDS}
        date_from = {k: label("date_from", k, lang) for k in ("typed", *DATES_FROM)}
        flag_words = {k: label("flag", k, lang) for k in ("review-overdue", "date-to-check")}
        people = {p.id: p.name for p in project.people}
        interval = project.certification.document_review_interval_months
        rows = []
        for owner, nature, e in evidence(project):
            document = nature == "document"
            due = document_next_review(e, project) if document else None
            flags = [flag_words["review-overdue"]] if due and due < day else []
            if e.date_from in UNCONFIRMED_DATES:
                flags.append(flag_words["date-to-check"])
            shown_owner = e.owner or owners[owner]
            cells: dict[str, Any] = {
                "path": e.path, "title": e.title, "nature": natures[nature], "process": names[owner],
                "kind": kinds.get(e.kind, "") if e.kind else "", "version": e.version, "date": e.date,
                "date_from": date_from[e.date_from or "typed"],
                "owner": people.get(shown_owner, shown_owner) if shown_owner else "",
                "retention": e.retention or system.retention, "location": e.location or system.location,
                "review_months": review_months(e, project) if document else e.review_months,
                "reviewed": e.reviewed, "next_review": due, "flags": ", ".join(flags)}
            defaults: dict[str, Any] = {"owner": owners[owner], "retention": system.retention,
                                        "location": system.location}
            if document:
                defaults["review_months"] = interval
            rows.append(Row((nature, owner, e.path), cells, {f: getattr(e, f) for f in FIELDS}, defaults))
        return rows

    def count(self, ctx: Context) -> int:
        return sum(1 for _ in evidence(ctx.project))

    def extras(self, wb: Any, ws: Any, cols: dict[str, int], rows: list[Row], ctx: Context) -> None:
        from openpyxl.utils import get_column_letter

        letter = {k: get_column_letter(c) for k, c in cols.items()}
        last = max(len(rows) + 1, 2)
        if "next_review" in letter:
            nxt = letter["next_review"]
            highlight(ws, f'AND(${nxt}2<>"",${nxt}2<TODAY())', last, LATE_FILL)
        if "date_from" in letter:
            for guessed in UNCONFIRMED_DATES:
                highlight(ws, f'${letter["date_from"]}2="{label("date_from", guessed, ctx.lang)}"', last, WARN_FILL)

    def existing(self, ctx: Context, reading: Reading) -> Existing:
        by_path: dict[str, list[Place]] = {}
        for owner, nature, e in evidence(ctx.project):
            by_path.setdefault(e.path, []).append((nature, owner, e.path))
        for place in reading.base or {}:   # entries gone from the project since: the merge reports them
            if place[0] in NATURES.values() and place not in by_path.get(place[2], []):
                by_path.setdefault(place[2], []).append(place)

        def find(typed: str, text: dict[str, str]) -> Place | None:
            places = by_path.get(typed, [])
            if len(places) <= 1:
                return places[0] if places else None
            try:   # the same file listed twice (under two processes, or as document and record): the row says which
                nature = parse("evidence", text.get("nature", ""))
                owner = parse_owner_process(text.get("process", ""), ctx)
            except ValueProblem:
                return places[0]
            return next((p for p in places if p[:2] == (nature, owner)), places[0])
        return find

    def new_row(self, ctx: Context) -> NewRow:
        def add(fields: dict[str, Any], text: dict[str, str], where: str, n: int) -> Added | Problem:
            what = ", ".join(c.header(ctx.lang) for c in COLUMNS if c.required and not fields.get(c.field))
            if not text.get("path") or what:
                missing = ", ".join(x for x in [COLUMNS[0].header(ctx.lang) if not text.get("path") else "", what] if x)
                return problem(N_("a new document or record needs its {columns}"), columns=missing,
                               code="missing-value")
            fields = dict(fields)
            nature, owner = fields.pop("nature"), fields.pop("process")
            return Added(nature, ("process", owner), fields, f"{TABLE.name}#{n}", where, fields["title"],
                         wanted_id=text["path"])
        return add


FORM = DocumentRegister()
