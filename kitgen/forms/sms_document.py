"""What the SMS's own documents share (scope statement, policy and objectives, SMS plan, service catalogue): a version
and approval block harvest reads into the project (so the project records the approved version), sections that say
"to complete" rather than vanish, and the tables of objectives and of services, kept both ways.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..errors import N_, problem
from ..frameworks import get_framework
from ..infra.text import fold
from ..project.models import Approval, Project
from ..project.places import KINDS, Place, entry_ids
from .common import long_date, person_name, today
from .kind import PAGE_LINE, FormType
from .reading import REBUILD, Added, Reading

TODO = {"fr": "à compléter", "en": "to complete"}
DRAFT = {"fr": "projet (non approuvé)", "en": "draft (not approved)"}
# what a cell shows for no value: read back as blank
BLANKS = {fold(x) for x in (*TODO.values(), "—", "-", "–")}
APPROVAL_HEADERS = {"fr": ("Version", "Approuvé par", "Date d'approbation"),
                    "en": ("Version", "Approved by", "Date of approval")}
APPROVAL_FIELDS = ("version", "approved_by", "date")
OBJECTIVE_COLUMNS = {
    "fr": {"id": "Réf.", "text": "Objectif", "measure": "Mesure", "target": "Cible", "frequency": "Fréquence",
           "owner": "Responsable", "result": "Dernier résultat", "measured": "Mesuré le"},
    "en": {"id": "Ref.", "text": "Objective", "measure": "Measure", "target": "Target", "frequency": "Frequency",
           "owner": "Owner", "result": "Last result", "measured": "Measured on"},
}
SERVICE_ROWS = {
    "fr": {"id": "Réf.", "name": "Service", "description": "Description", "customers": "Clients",
           "depends_on": "Services dont il dépend", "suppliers": "Parties externes dont il dépend",
           "service_levels": "Objectifs de niveau de service", "agreement": "Accord de niveau de service",
           "owner": "Responsable"},
    "en": {"id": "Ref.", "name": "Service", "description": "Description", "customers": "Customers",
           "depends_on": "Depends on services", "suppliers": "Depends on other parties",
           "service_levels": "Service level targets", "agreement": "Service level agreement", "owner": "Owner"},
}
OBJECTIVE_PREFIX = KINDS["objective"].prefix


def blank(text: str) -> bool:
    """True for a cell left empty or still showing what kitgen writes for no value ('to complete', '—')."""
    return not text.strip() or fold(text) in BLANKS


def or_todo(value: Any, lang: str) -> Any:
    """The value, or 'to complete' when there is none: a section never disappears."""
    return value if value not in (None, "", [], ()) else TODO[lang]


def objective_ids(project: Project) -> list[str]:
    """Each objective's id: its own, else O-n by its place in the list (as the project index numbers them)."""
    return entry_ids([o.id for o in project.objectives], OBJECTIVE_PREFIX)


def objective_rows(project: Project, lang: str) -> list[dict[str, str]]:
    """The objectives table: objective, measure, target, frequency, owner, and the last result recorded."""
    return [{"id": oid, "text": o.text, "measure": or_todo(o.measure, lang), "target": or_todo(o.target, lang),
             "frequency": or_todo(o.frequency, lang), "owner": or_todo(person_name(project, o.owner), lang),
             "result": o.result or "—", "measured": long_date(o.measured, lang) or "—"}
            for oid, o in zip(objective_ids(project), project.objectives)]


def objectives_base(project: Project) -> dict[Place, dict[str, Any]]:
    return {("objective", oid): {"text": o.text, "measure": o.measure, "target": o.target, "frequency": o.frequency,
                                 "owner": o.owner or "", "result": o.result, "measured": o.measured}
            for oid, o in zip(objective_ids(project), project.objectives)}


def services_base(project: Project, fields: tuple[str, ...]) -> dict[Place, dict[str, Any]]:
    return {("service", s.id): {f: (getattr(s, f) if getattr(s, f) is not None else "") for f in fields}
            for s in project.scope.services}


def names(items: list[str], lookup: Any) -> str:
    """Ids as the names people read ('Bristol Food Network, St Anne's Hospice')."""
    return ", ".join(lookup(i) for i in items)


def service_card(project: Project, service: Any, lang: str) -> dict[str, Any]:
    """One service as the catalogue and the scope statement show it (names for ids, 'to complete' for blanks)."""
    def party(pid: str) -> str:
        found = project.party(pid)
        return found.name if found else pid

    def other(sid: str) -> str:
        return next((s.name for s in project.scope.services if s.id == sid), sid)
    return {"id": service.id, "name": service.name, "description": or_todo(service.description, lang),
            "customers": or_todo(names(service.customers, party), lang),
            "depends_on": names(service.depends_on, other) or "—",
            "suppliers": names(service.suppliers, party) or "—",
            "service_levels": or_todo(service.service_levels, lang), "agreement": or_todo(service.agreement, lang),
            "owner": or_todo(person_name(project, service.owner), lang)}


def split_names(text: str) -> list[str]:
    """'A, B; C' or one per line -> ['A', 'B', 'C'] (a name holds no comma)."""
    return [x.strip() for x in re.split(r"[,;\n]", text) if x.strip()]


class SmsDocument(FormType):
    """A document of the SMS drafted from the project, approved by top management, read back."""

    per = "project"
    harvested = True
    packaged = True
    package_folder = "documents/sms"
    names: dict[str, str] = {}

    def title(self, project: Project, key: str | None, lang: str) -> str:
        return self.names[lang]

    def approval(self, project: Project) -> Approval | None:
        """The approved version the project records, or None (a draft)."""
        return next((a for a in project.management_system.approvals if a.document == self.id), None)

    def approved_on(self, project: Project) -> date | None:
        approval = self.approval(project)
        return approval.date if approval else None

    def in_package(self, project: Project) -> bool:
        """Only an approved document goes to the auditors."""
        return self.approval(project) is not None

    def edition(self, project: Project, key: str | None) -> tuple[str, date]:
        """The approved version (a draft has none), as of the day it is built (its content is the project's)."""
        approval = self.approval(project)
        return (approval.version if approval else ""), today()

    def page(self, project: Project, key: str | None, lang: str) -> dict[str, str]:
        page = super().page(project, key, lang)
        if self.approval(project) is None:
            page["version"] = DRAFT[lang]
            page["line"] = PAGE_LINE[lang][0].format(**page)
        return page

    def clauses(self, project: Project) -> str:
        """The clauses of the project's edition this document answers ('5.2, 6.2')."""
        fw = get_framework(project.framework)
        return ", ".join(dict.fromkeys(d.clause for kind in self.covers for d in fw.documented if d.kind == kind))

    # -- generating -----------------------------------------------------------------------------------------------
    def body(self, project: Project, lang: str) -> dict[str, Any]:
        """What the document says (each form its own)."""
        raise NotImplementedError

    def body_base(self, project: Project) -> dict[Place, dict[str, Any]]:
        """The project values the document shows and reads back (besides its approval)."""
        return {}

    def context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        fw = get_framework(project.framework)
        approval = self.approval(project)
        org = project.organisation
        return {
            "lang": lang, "todo": TODO[lang], "title": self.names[lang],
            "org": {"legal_name": org.legal_name, "address": org.address},
            "framework": {"title": fw.title[lang], "clauses": self.clauses(project)},
            "approval": {"version": approval.version if approval else "",
                         "by": person_name(project, approval.approved_by) if approval else "",
                         "date": long_date(approval.date, lang) if approval else "",
                         "status": "" if approval else DRAFT[lang]},
            **self.body(project, lang),
        }

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]]:
        base = dict(self.body_base(project))
        approval = self.approval(project)
        if approval is not None:
            base[("approval", self.id)] = {"version": approval.version, "approved_by": approval.approved_by,
                                           "date": approval.date}
        return base

    # -- reading back ---------------------------------------------------------------------------------------------
    def read(self, package: Any, project: Project, reading: Reading) -> None:
        """The approval block, then the document's own tables."""
        from ..ooxml.docx_read import read_tables

        tables = read_tables(package)
        self.read_approval(tables, project, reading)
        self.read_body(tables, project, reading)

    def read_body(self, tables: list[Any], project: Project, reading: Reading) -> None:
        """Read the document's own tables (each form its own)."""

    def read_approval(self, tables: list[Any], project: Project, reading: Reading) -> None:
        from .values import ValueProblem, check_text, parse_date, parse_verifier

        headers = {tuple(fold(h) for h in hs) for hs in APPROVAL_HEADERS.values()}
        found = next(((i, rows) for i, rows in enumerate(tables, start=1)
                      if rows and tuple(fold(c.text) for c in rows[0][:3]) in headers), None)
        name = reading.name
        if found is None:
            headers = APPROVAL_HEADERS[reading.lang if reading.lang in APPROVAL_HEADERS else "en"]
            reading.problems.append(problem(N_("no approval block ({expected}); was it restructured?"), name,
                                            expected=", ".join(headers), hint=REBUILD, code="restructured"))
            return
        t_index, rows = found
        cells = [c.text.strip() for c in rows[1][:3]] if len(rows) > 1 else []
        cells += [""] * (3 - len(cells))
        if all(blank(c) for c in cells):
            return   # a draft nobody approved yet
        where = reading.in_table(t_index, 2)
        missing = [" ".join(h.text.split()) for h, c in zip(rows[0][:3], cells) if blank(c)]
        if missing:
            reading.problems.append(problem(N_("an approval needs its version, who approved it and the date "
                                               "(missing: {columns})"), name, place=where, columns=", ".join(missing),
                                            code="missing-value"))
            return
        try:
            values = {"version": check_text(cells[0]), "approved_by": parse_verifier(cells[1], project),
                      "date": parse_date(cells[2], project.locale_for(reading.lang or project.language))}
        except ValueProblem as err:
            reading.problems.append(err.at(name, where))
            return
        if self.approval(project) is not None:
            reading.values[("approval", self.id)] = values
        else:
            reading.added.append(Added("approval", ("register",), values, "approval#1", where, self.id,
                                       wanted_id=self.id))

    def read_objectives(self, tables: list[Any], project: Project, reading: Reading) -> bool:
        """The objectives table: rows with a known Ref. update their objective, rows without one are new objectives;
        False when the document has no such table."""
        from .values import ValueProblem, check_text, parse_date, parse_person

        labels = {fold(text): key for cols in OBJECTIVE_COLUMNS.values() for key, text in cols.items()}
        known = set(objective_ids(project))
        name = reading.name
        locale = project.locale_for(reading.lang or project.language)   # the order its dates are typed in
        found = False
        added = 0
        for t_index, rows in enumerate(tables, start=1):
            if not rows or fold(rows[0][0].text) not in {fold(c["id"]) for c in OBJECTIVE_COLUMNS.values()}:
                continue
            columns = [labels.get(fold(c.text)) for c in rows[0]]
            if "text" not in columns:
                continue
            found = True
            for r, row in enumerate(rows[1:], start=2):
                typed = {key: row[i].text.strip() for i, key in enumerate(columns) if key and i < len(row)}
                if all(blank(v) for v in typed.values()):
                    continue
                where = reading.in_table(t_index, r)
                try:
                    fields: dict[str, Any] = {}
                    for key, text in typed.items():
                        value = "" if blank(text) else text
                        if key == "id":
                            continue
                        if key == "owner":
                            fields[key] = parse_person(value, project) if value else ""
                        elif key == "measured":
                            fields[key] = parse_date(value, locale) if value else None
                        else:
                            fields[key] = check_text(value)
                    if not fields.get("text"):
                        raise ValueProblem(N_("an objective needs its text"), code="missing-value")
                except ValueProblem as err:
                    reading.problems.append(err.at(name, where))
                    continue
                ref = typed.get("id", "")
                if ref in known:
                    reading.values[("objective", ref)] = fields
                else:
                    added += 1
                    reading.added.append(Added("objective", ("register",), fields, f"objectives#{added}", where,
                                               fields["text"], wanted_id=ref if not blank(ref) else None))
        return found

    def read_services(self, tables: list[Any], project: Project, reading: Reading, fields: tuple[str, ...]) -> None:
        """Each service's table (first row: Ref. and the service's id): the fields in `fields` are read; a table
        with no Ref. and a service name is a new service."""
        from .values import ValueProblem, check_text, parse_party, parse_person

        labels = {fold(text): key for rows in SERVICE_ROWS.values() for key, text in rows.items()}
        services = {s.id for s in project.scope.services}
        name = reading.name
        added = 0
        for t_index, rows in enumerate(tables, start=1):
            if not rows or len(rows[0]) < 2 or labels.get(fold(rows[0][0].text)) != "id":
                continue
            typed = {labels[fold(row[0].text)]: row[1].text.strip() for row in rows if len(row) > 1
                     and fold(row[0].text) in labels}
            if "name" not in typed:
                continue
            where = reading.in_table(t_index)
            values: dict[str, Any] = {}
            try:
                for key in fields:
                    if key not in typed:
                        continue
                    text = "" if blank(typed[key]) else typed[key]
                    if key == "owner":
                        values[key] = parse_person(text, project) if text else ""
                    elif key in ("customers", "suppliers"):
                        values[key] = [parse_party(x, project) for x in split_names(text)]
                    elif key == "depends_on":
                        values[key] = [_service_id(x, project) for x in split_names(text)]
                    else:
                        values[key] = check_text(text)
                if not values.get("name", typed["name"]):
                    raise ValueProblem(N_("a service needs its name"), code="missing-value")
            except ValueProblem as err:
                reading.problems.append(err.at(name, where))
                continue
            ref = "" if blank(typed["id"]) else typed["id"]
            if ref in services:
                reading.values[("service", ref)] = values
            elif typed["name"] and not blank(typed["name"]):
                added += 1
                reading.added.append(Added("service", ("register",), {"name": typed["name"], **values},
                                           f"services#{added}", where, typed["name"], wanted_id=ref or None))


def no_objectives_table(reading: Reading) -> None:
    """The problem of a policy or plan whose objectives table is gone (restructured): nothing is taken from it."""
    words = OBJECTIVE_COLUMNS[reading.lang if reading.lang in OBJECTIVE_COLUMNS else "en"]
    reading.problems.append(problem(N_("no objectives table ({expected}…); was it restructured?"), reading.name,
                                    expected=", ".join(words[k] for k in ("id", "text", "measure", "target")),
                                    hint=REBUILD, code="restructured"))


def _service_id(text: str, project: Project) -> str:
    from .vocabulary import ValueProblem

    for s in project.scope.services:
        if fold(text) in (fold(s.id), fold(s.name)):
            return s.id
    raise ValueProblem(N_('unknown service "{value}" (services: {expected})'), value=text,
                       expected=", ".join(s.name for s in project.scope.services), code="unknown-service")
