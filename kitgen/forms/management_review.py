"""The management review minutes (.docx, one per review): the inputs the standard asks for, pre-filled from the
project as it stood on the review's date, blank areas for the meeting, and reading back its decisions, participants
and actions (an action decided in a review lives under that review: its source is the management review)."""
from __future__ import annotations

import difflib
from collections import Counter
from datetime import date
from typing import Any

from ..errors import N_, ReadbackError, problem
from ..frameworks import get_framework
from ..infra.text import fold
from ..project.history import as_of
from ..project.models import ManagementReview, Project
from ..project.places import Place
from ..project.register import finding_rows
from ..project.status import OPEN_ACTION, finding_status, raised_on
from .common import long_date, person_name, today
from .kind import FormType
from .locale import quantity
from .reading import REBUILD, Added, Reading
from .vocabulary import ValueProblem, label

OUTCOME_FIELDS = ("decisions", "improvements", "resources", "changes", "notes")
INPUT_FIELDS = ("issues",)  # inputs nobody else records: written in the project file or in the minutes
OUTCOME_HEADERS = {"fr": ("Rubrique", "Contenu"), "en": ("Item", "Content")}
OUTCOME_ROWS = {
    "fr": {"decisions": "Décisions", "improvements": "Opportunités d'amélioration", "resources": "Besoins en ressources",
           "changes": "Changements du SMS", "notes": "Notes",
           "issues": "Évolution des enjeux externes et internes"},
    "en": {"decisions": "Decisions", "improvements": "Improvement opportunities", "resources": "Resource needs",
           "changes": "Changes to the SMS", "notes": "Notes",
           "issues": "Changes in external and internal issues"},
}
# the row's label under an edition that asks about climate change (ISO/IEC 20000-1:2018 Amd 1:2024)
CLIMATE_ROWS = {"fr": {"issues": "Évolution des enjeux externes et internes (dont le changement climatique)"},
                "en": {"issues": "Changes in external and internal issues (climate change included)"}}
ACTION_HEADERS = {"fr": ("Action", "Responsable", "Échéance"), "en": ("Action", "Owner", "Due")}
PARTICIPANT_HEADERS = {"fr": ("Participant", "Rôle"), "en": ("Participant", "Role")}
ROLES = {"fr": {"D": "Direction", "RGS": "Responsable de la gestion des services", "RCF": "Auditeur interne (RCF)"},
         "en": {"D": "Top management", "RGS": "Service management lead", "RCF": "Internal auditor"}}
TEXT = {
    "fr": {"since_first": "depuis le début du SMS", "since": "depuis la revue du {day}", "nothing": "Rien d'enregistré.",
           "open": "ouverts", "overdue": "en retard", "closed": "clos depuis la dernière revue",
           "effective": "efficacité vérifiée", "latest": "{title} ({day})",
           "no_record": "aucun enregistrement", "status": "{status}, échéance {due}",
           "headcount": "Effectif : {total} ({fte}).", "roles": "Rôles tenus : {items}.",
           "workload": "Actions ouvertes par responsable : {items}.", "no_workload": "Aucune action ouverte.",
           "supplier_record": "Dernière évaluation des fournisseurs : {items}.",
           "supplier_findings": "Constats sur les fournisseurs : {items}.",
           "to_assess": "à évaluer en revue", "outsourced": "{process} (externalisé)"},
    "en": {"since_first": "since the SMS began", "since": "since the review of {day}", "nothing": "Nothing recorded.",
           "open": "open", "overdue": "overdue", "closed": "closed since the last review",
           "effective": "effectiveness verified", "latest": "{title} ({day})",
           "no_record": "no record", "status": "{status}, due {due}",
           "headcount": "Headcount: {total} ({fte}).", "roles": "Roles held: {items}.",
           "workload": "Open actions per owner: {items}.", "no_workload": "No open action.",
           "supplier_record": "Latest supplier evaluation: {items}.",
           "supplier_findings": "Findings on suppliers: {items}.",
           "to_assess": "to assess in the review", "outsourced": "{process} (outsourced)"},
}
SUPPLIER_PROCESS = "supplier"  # the process whose records evaluate suppliers
# An action row whose description no longer matches any action shown is still the action shown on that row when
# their texts are this similar (difflib ratio): reworded, not replaced
SAME_ACTION_TEXT = 0.5


# the inputs are the project as it stood on the review's date: later records and measurements are left out
AS_OF = {"fr": ", au {day} (date de la revue)", "en": ", as of {day} (the review's date)"}


def _review(project: Project, key: str | None) -> ManagementReview:
    review = project.review(key or "")
    if review is None:
        raise ReadbackError(N_("management review of {review} is not in the project file"), review=_day(key),
                            code="gone-from-project")
    return review


def _day(key: str | None) -> date | str | None:
    """A review's key (its ISO date) as a date, so that messages write it out; as it is when it is not one."""
    try:
        return date.fromisoformat(key or "")
    except ValueError:
        return key


def _previous(project: Project, review: ManagementReview) -> date | None:
    earlier = [r.date for r in project.management_reviews if r.date < review.date]
    return max(earlier) if earlier else None


def inputs(project: Project, review: ManagementReview, lang: str) -> dict[str, Any]:
    """The review's inputs, from the project as it stood on the review's date (every list may be empty: the
    template then says "nothing recorded")."""
    then = as_of(project, review.date)
    fw = get_framework(project.framework)
    t = TEXT[lang]
    last = _previous(then, review)
    since = date.min if last is None else last

    def day(d: date | None) -> str:
        return long_date(d, lang) if d else "—"

    earlier_actions = [{"id": a.id, "description": a.description, "owner": person_name(then, a.owner),
                        "status": t["status"].format(status=label("action_status", a.status, lang), due=day(a.due)),
                        "review": day(r.date)}
                       for r in then.management_reviews if r.date < review.date for a in r.actions]
    audits = []
    for a in sorted(then.audits, key=lambda x: x.start):
        end = a.end or a.start
        if since < end <= review.date:
            counts = Counter(f.grade for f in a.findings)
            grades = ", ".join(f"{n} {label('grade', g, lang)}" for g, n in counts.items()) or t["nothing"]
            audits.append({"id": a.id, "kind": label("audit_kind", a.kind, lang), "dates": day(a.start),
                           "findings": grades})
    rows = finding_rows(then, review.date)
    nonconformities = [{"id": r.id, "grade": label("grade", r.grade, lang), "statement": r.statement,
                        "status": label("finding_status", r.status, lang)
                        + (f" — {t['overdue']}" if r.overdue else ""), "owner": r.owner or "—", "due": day(r.due)}
                       for r in rows if r.grade in ("major", "minor") and r.status in OPEN_ACTION]
    closed = [f.id for _, f in then.all_findings() if f.grade in ("major", "minor")
              and finding_status(f, then) == "closed"
              and any(x for x in f.actions if x.closed and since < x.closed <= review.date)]
    effective = [a.id for a in then.all_actions() if a.effectiveness and since < a.effectiveness.date <= review.date]
    history = []
    for slug, proc in then.processes.items():
        latest_record = max((r for r in proc.records if r.date <= review.date), key=lambda r: r.date, default=None)
        history.append({"process": fw.process_title(slug, lang) if slug in fw.processes else slug,
                        "records": t["latest"].format(title=latest_record.title, day=day(latest_record.date))
                        if latest_record else t["no_record"]})
    complaints = [{"id": f.id, "statement": f.statement, "raised": day(f.raised),
                   "status": label("finding_status", finding_status(f, then), lang)}
                  for f in then.findings if f.source == "complaint"]
    corrective = [{"id": a.id, "finding": f.id, "description": a.description, "owner": person_name(then, a.owner) or "—",
                   "due": day(a.due), "status": label("action_status", a.status, lang)}
                  for _, f in then.all_findings() if f.grade in ("major", "minor") for a in f.actions
                  if a.status in OPEN_ACTION or (a.closed and since < a.closed <= review.date)]
    trend = []
    for a in sorted(then.audits, key=lambda x: x.start):
        if (a.end or a.start) <= review.date:
            counts = Counter(f.grade for f in a.findings)
            trend.append({"id": a.id, "dates": day(a.start), "major": counts["major"], "minor": counts["minor"],
                          "other": sum(counts.values()) - counts["major"] - counts["minor"]})
    opportunities = [{"id": f.id, "source": a.id if a else label("source", f.source or "", lang),
                      "grade": label("grade", f.grade, lang), "statement": f.statement}
                     for a, f in then.all_findings() if f.grade in ("improvement", "observation")
                     and (raised := raised_on(f, a)) is not None and since < raised <= review.date]
    return {
        "period": (t["since_first"] if last is None else t["since"].format(day=day(last)))
        + AS_OF[lang].format(day=day(review.date)),
        "as_of": day(review.date),
        "issues": review.issues,
        "earlier_actions": earlier_actions, "audits": audits, "nonconformities": nonconformities,
        "corrective": corrective, "trend": trend, "opportunities": opportunities,
        "suppliers": _suppliers(then, review.date, since, lang), "resources": _resources(then, lang),
        "closed": ", ".join(closed) or "—", "effective": ", ".join(effective) or "—",
        "scope": then.scope.statement, "services": ", ".join(s.name for s in then.scope.services) or "—",
        "history": history,
        "satisfaction": [{"date": day(s.date), "summary": s.summary,
                          "party": (then.party(s.party).name if then.party(s.party) else "—")}  # type: ignore[union-attr]
                         for s in then.satisfaction if since < s.date],
        "complaints": complaints,
        "objectives": [{"text": o.text, "target": o.target or "—", "result": o.result or "—"} for o in then.objectives],
        "risks": [{"text": r.text, "kind": r.kind, "treatment": r.treatment or "—",
                   "owner": person_name(then, r.owner) or "—", "effectiveness": r.effectiveness or t["to_assess"]}
                  for r in then.risks],
        "with_risks": fw.edition >= 2018,
    }


def _suppliers(project: Project, day: date, since: date, lang: str) -> dict[str, Any]:
    """The performance of suppliers and other parties: who they are and how each is controlled, the latest supplier
    evaluation, and the findings raised on suppliers in the period."""
    t = TEXT[lang]
    fw = get_framework(project.framework)
    parties = []
    for party in project.parties:
        if party.kind not in ("F", "FT"):
            continue
        roles = [o for o in project.scope.outsourced if o.party == party.id]
        parties.append({"name": party.name, "role": "; ".join(
            t["outsourced"].format(process=fw.process_title(o.process, lang) if o.process in fw.processes else o.process)
            for o in roles) or label("party_kind", party.kind, lang),
            "control": "; ".join(o.control for o in roles if o.control) or "—"})
    proc = project.processes.get(SUPPLIER_PROCESS)
    latest = max((r for r in proc.records if r.date <= day), key=lambda r: r.date, default=None) if proc else None
    clause = fw.processes.get(SUPPLIER_PROCESS, "")
    findings = [f"{f.id} ({label('grade', f.grade, lang)})" for a, f in project.all_findings()
                if (f.process == SUPPLIER_PROCESS or (clause and (f.clause == clause or f.clause.startswith(clause + "."))))
                and (raised := raised_on(f, a)) is not None and since < raised <= day]
    return {"parties": parties,
            "evaluation": t["supplier_record"].format(items=t["latest"].format(title=latest.title,
                                                                                day=long_date(latest.date, lang)))
            if latest else "",
            "findings": t["supplier_findings"].format(items=", ".join(findings)) if findings else ""}


def _resources(project: Project, lang: str) -> list[str]:
    """Facts on the adequacy of resources: headcount, who holds the kit's roles, and the open actions each owner
    carries."""
    t = TEXT[lang]
    org = project.organisation
    fte = org.effective_headcount if org.effective_headcount is not None else float(org.headcount)
    holders = [f"{ROLES[lang][role]} — {p.name}" for role in ("D", "RGS", "RCF") for p in project.people
               if role in p.roles]
    load = Counter(person_name(project, a.owner) for a in project.all_actions()
                   if a.owner and a.status in OPEN_ACTION)
    return [t["headcount"].format(total=quantity(org.headcount, "person", lang), fte=quantity(fte, "fte", lang)),
            t["roles"].format(items="; ".join(holders) or "—"),
            t["workload"].format(items="; ".join(f"{name} {n}" for name, n in load.most_common())) if load
            else t["no_workload"]]


class ManagementReviewMinutes(FormType):
    """The minutes of one management review: inputs, decisions, actions, participants."""

    id = "management-review"
    template = "management-review.docx"
    per = "review"
    harvested = True
    packaged = True
    record = True

    def title(self, project: Project, key: str | None, lang: str) -> str:
        return ("Compte rendu de revue de direction " if lang == "fr" else "Management review minutes ") + str(key)

    def edition(self, project: Project, key: str | None) -> tuple[str, date]:
        """The minutes' version, as of the review's day."""
        review = _review(project, key)
        return review.version, review.date

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]]:
        review = _review(project, key)
        base: dict[Place, dict[str, Any]] = {("review", review.date.isoformat()): {
            **{k: getattr(review, k) for k in (*OUTCOME_FIELDS, *INPUT_FIELDS)}, "participants": review.participants}}
        for a in review.actions:
            base[("action", a.id)] = {"description": a.description, "owner": a.owner or "", "due": a.due}
        return base

    def context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        review = _review(project, key)
        fw = get_framework(project.framework)
        participants = []
        for ref in review.participants:
            person = project.person(ref)
            roles = ", ".join(ROLES[lang][r] for r in person.roles) if person else ""
            participants.append({"name": person.name if person else ref,
                                 "role": roles or (person.title if person else "")})
        return {
            "lang": lang,
            "generated": long_date(today(), lang),
            "org": {"legal_name": project.organisation.legal_name},
            "framework": {"title": fw.title[lang], "clause": fw.management_review},
            "issues_label": (CLIMATE_ROWS if fw.current else OUTCOME_ROWS)[lang]["issues"],
            "review": {"date": long_date(review.date, lang), "key": review.date.isoformat(),
                       "participants": participants,
                       **{k: getattr(review, k) for k in (*OUTCOME_FIELDS, *INPUT_FIELDS)}},
            "inputs": inputs(project, review, lang),
            "actions": [{"description": a.description, "owner": person_name(project, a.owner),
                         "due": long_date(a.due, lang) if a.due else ""} for a in review.actions],
            "nothing": TEXT[lang]["nothing"],
        }

    def read(self, package: Any, project: Project, reading: Reading) -> None:
        """Decisions and notes, participants, and the actions table (rows people add become actions)."""
        from ..ooxml.docx_read import read_tables
        from .typed import untaken_cells
        from .values import check_text, parse_date, parse_person

        review = project.review(reading.key or "")
        if review is None:
            raise ReadbackError(N_("minutes of the review of {review}, which the project file no longer has"),
                                reading.path, review=_day(reading.key), code="gone-from-project")
        place: Place = ("review", review.date.isoformat())
        outcome_rows = {fold(text): key for rows in (OUTCOME_ROWS, CLIMATE_ROWS) for lang in rows.values()
                        for key, text in lang.items()}
        base = reading.base or {}
        base_actions = [(p[1], f) for p, f in base.items() if p[0] == "action"]
        fields: dict[str, Any] = {}
        found_actions = False
        tables = read_tables(package)
        for t_index, rows in enumerate(tables, start=1):
            if not rows:
                continue
            header = tuple(fold(c.text) for c in rows[0][:3])
            if header[:2] in {(fold(a), fold(b)) for a, b in OUTCOME_HEADERS.values()}:
                for r, row in enumerate(rows[1:], start=2):
                    key = outcome_rows.get(fold(row[0].text)) if row else None
                    if key and len(row) > 1:
                        try:
                            fields[key] = check_text(row[1].text)
                            reading.consumed.add((t_index, r, 1))
                        except ValueProblem as err:
                            reading.problems.append(err.at(reading.name, reading.in_table(t_index, r)))
            elif header[:2] in {(fold(a), fold(b)) for a, b in PARTICIPANT_HEADERS.values()}:
                fields["participants"] = self._participants(rows, t_index, reading, project, parse_person,
                                                            ValueProblem)
            elif header == tuple(fold(x) for x in ACTION_HEADERS["fr"]) or \
                    header == tuple(fold(x) for x in ACTION_HEADERS["en"]):
                found_actions = True
                self._actions(rows, t_index, reading, project, base_actions, parse_person, parse_date, check_text,
                              ValueProblem)
        reading.values[place] = fields
        if not found_actions:
            headers = ACTION_HEADERS[reading.lang if reading.lang in ACTION_HEADERS else "en"]
            reading.problems.append(problem(N_("no actions table ({expected}); was it restructured?"), reading.name,
                                            expected=", ".join(headers), hint=REBUILD, code="restructured"))
        untaken_cells(tables, reading)

    @staticmethod
    def _participants(rows: list[Any], t_index: int, reading: Reading, project: Project, parse_person: Any,
                      problem: type[ValueProblem]) -> list[str]:
        """Participants by id (people of the project) or as typed (from outside: 'Name (role)' when a role is
        typed beside them, so that nothing typed is lost)."""
        people = []
        for r, row in enumerate(rows[1:], start=2):
            typed = " ".join(row[0].text.split()) if row else ""
            if not typed:
                continue
            reading.consumed.add((t_index, r, 0))
            try:
                people.append(parse_person(typed, project))
            except problem:
                role = " ".join(row[1].text.split()) if len(row) > 1 else ""
                people.append(f"{typed} ({role})" if role and not typed.endswith(")") else typed)
                reading.consumed.add((t_index, r, 1))
        return people

    @staticmethod
    def _actions(rows: list[Any], t_index: int, reading: Reading, project: Project,
                 base_actions: list[tuple[str, dict[str, Any]]], parse_person: Any, parse_date: Any,
                 check_text: Any, problem: type[ValueProblem]) -> None:
        """Rows of the actions table: those shown when the minutes were built update their action (matched by
        text, else by position); the others are new actions of the review."""
        added = 0
        used: set[str] = set()
        for position, row in enumerate(rows[1:]):
            cells = [c.text for c in row[:3]] + [""] * (3 - len(row[:3]))
            if not any(cells):
                continue
            where = reading.in_table(t_index, position + 2)
            try:
                description = check_text(cells[0])
                if not description:
                    raise problem(N_("an action needs its description"), code="missing-value")
                owner = parse_person(cells[1], project) if cells[1] else ""
                due = parse_date(cells[2], project.locale_for(reading.lang or project.language)) if cells[2] else None
            except problem as err:
                reading.problems.append(err.at(reading.name, where))
                continue
            values = {"description": description, "owner": owner, "due": due}
            reading.consumed.update((t_index, position + 2, c) for c in range(3))
            match = next((aid for aid, f in base_actions if aid not in used
                          and fold(f.get("description", "")) == fold(description)), None)
            if match is None and position < len(base_actions) and base_actions[position][0] not in used:
                aid, f = base_actions[position]
                ratio = difflib.SequenceMatcher(None, fold(f.get("description", "")), fold(description)).ratio()
                match = aid if ratio >= SAME_ACTION_TEXT else None
            if match is not None:
                reading.values[("action", match)] = values
                used.add(match)
            else:
                added += 1
                reading.added.append(Added("action", ("review", reading.key or ""),
                                           {"kind": "improvement", **values}, f"actions#{added}", where, description))


FORM = ManagementReviewMinutes()
