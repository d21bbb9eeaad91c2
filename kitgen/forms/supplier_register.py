"""The register of other parties and suppliers (.xlsx, one per project; 2018 §8.2.3, §8.3.4): each supplier,
third-party supplier and course provider, and every party operating a process, with what it supplies, the processes
it operates, its contract and service levels, who manages it, its last and next review, and the findings raised on
it; parties never reviewed or past their review are flagged. Read back both ways: edits, rows added (new parties,
with ids made from their names), rows deleted (reported).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import N_, Problem, problem
from ..project.models import Party, Project
from ..project.reviews import operated, supplier_next_review, suppliers
from ..project.status import finding_status
from .common import person_name, today
from .reading import Added, Reading
from .sheet import LATE_FILL, WARN_FILL, Column, Context, Existing, NewRow, RegisterForm, Row, Table, highlight
from .values import parse_date, parse_person
from .vocabulary import label, labels, parse


def supplier_flags(party: Party, project: Project, day: date) -> list[str]:
    """Flag codes: never reviewed, or past the next review."""
    due = supplier_next_review(party, project)
    if party.reviewed is None and (due is None or due < day):
        return ["never-reviewed"]
    return ["review-overdue"] if due is not None and due < day else []


COLUMNS = [
    Column("id", "Réf.", "Ref.", 13),
    Column("name", "Nom", "Name", 22, "name", required=True),
    Column("kind", "Type", "Type", 15, "kind", lambda v, c: parse("party_kind", v),
           lambda c: labels("party_kind", c.lang), required=True),
    Column("supplies", "Services ou biens fournis", "Services or goods supplied", 24, "supplies", prose=True),
    Column("operates", "Processus opérés", "Processes operated", 20),
    Column("contract", "Contrat", "Contract", 18, "contract", prose=True),
    Column("service_levels", "Niveaux de service", "Service levels", 24, "service_levels", prose=True),
    Column("owner", "Responsable", "Owner", 13, "owner", lambda v, c: parse_person(v, c.project),
           lambda c: [p.name for p in c.project.people]),
    Column("contact", "Contact", "Contact", 15, "contact"),
    Column("reviewed", "Dernière revue", "Last review", 11, "reviewed", lambda v, c: parse_date(v, c.locale)),
    Column("next_review", "Prochaine revue", "Next review", 11, "next_review", lambda v, c: parse_date(v, c.locale)),
    Column("findings", "Constats", "Findings", 22, prose=True),
    Column("flags", "Alertes", "Flags", 13),
]
TABLE = Table("Suppliers", "party", {"fr": "Fournisseurs", "en": "Suppliers"}, COLUMNS, "id", freeze="C2",
              title_columns="A:B")
FIELDS = [c.field for c in COLUMNS if c.field]


class SupplierRegister(RegisterForm):
    """Other parties and suppliers, and how they are controlled."""

    id = "supplier-register"
    template = "supplier-register.xlsx"
    tables = (TABLE,)
    names = {"fr": "Registre des parties externes et fournisseurs", "en": "Register of other parties and suppliers"}

    def rows(self, ctx: Context) -> list[Row]:
        project, fw, lang, day = ctx.project, ctx.fw, ctx.lang, today()
        processes = operated(project)
        findings: dict[str, list[str]] = {}
        for _, f in project.all_findings():
            if f.party:
                status = label("finding_status", finding_status(f, project), lang)
                findings.setdefault(f.party, []).append(f"{f.id} ({label('grade', f.grade, lang)}, {status})")
        rows = []
        for party in suppliers(project):
            due = supplier_next_review(party, project)
            cells: dict[str, Any] = {
                "id": party.id, "name": party.name, "kind": label("party_kind", party.kind, lang),
                "supplies": party.supplies,
                "operates": ", ".join(fw.process_title(s, lang) if s in fw.processes else s
                                      for s in processes.get(party.id, [])),
                "contract": party.contract, "service_levels": party.service_levels,
                "owner": person_name(project, party.owner), "contact": party.contact, "reviewed": party.reviewed,
                "next_review": due, "findings": "; ".join(findings.get(party.id, [])),
                "flags": ", ".join(label("flag", f, lang) for f in supplier_flags(party, project, day))}
            defaults = {"next_review": due} if party.next_review is None and due else {}
            rows.append(Row(("party", party.id), cells, {f: getattr(party, f) for f in FIELDS}, defaults))
        return rows

    def extras(self, wb: Any, ws: Any, cols: dict[str, int], rows: list[Row], ctx: Context) -> None:
        from openpyxl.utils import get_column_letter

        letter = {k: get_column_letter(c) for k, c in cols.items()}
        last = max(len(rows) + 1, 2)
        if "next_review" in letter:
            nxt = letter["next_review"]
            highlight(ws, f'AND(${nxt}2<>"",${nxt}2<TODAY())', last, LATE_FILL)
        if "reviewed" in letter and "name" in letter:
            highlight(ws, f'AND(${letter["name"]}2<>"",${letter["reviewed"]}2="")', last, WARN_FILL)

    def existing(self, ctx: Context, reading: Reading) -> Existing:
        ids = {p.id for p in ctx.project.parties}
        return lambda typed, cells: ("party", typed) if typed in ids else None

    def new_row(self, ctx: Context) -> NewRow:
        def add(fields: dict[str, Any], text: dict[str, str], where: str, n: int) -> Added | Problem:
            missing = [c.header(ctx.lang) for c in COLUMNS if c.required and not fields.get(c.field)]
            if missing:
                return problem(N_("a new party needs its {columns}"), columns=", ".join(missing), code="missing-value")
            return Added("party", ("register",), fields, f"{TABLE.name}#{n}", where, fields["name"],
                         wanted_id=text.get("id") or None)
        return add


FORM = SupplierRegister()
