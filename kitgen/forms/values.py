"""Values as people type them back into forms: grades, statuses, verdicts, dates, owners, clauses, in either language."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from dateutil import parser as dateparser

from ..frameworks import Framework
from ..ooxml.text import fold
from ..project.models import Project
from .labels import LABELS


class ValueProblem(ValueError):
    """A typed value kitgen cannot understand; the caller adds where it was."""


def _table(kind: str, extra: dict[str, str]) -> dict[str, str]:
    table = {fold(code): code for code in LABELS[kind]["en"]}
    for lang in LABELS[kind].values():
        table.update({fold(text): code for code, text in lang.items()})
    table.update({fold(k): v for k, v in extra.items()})
    return table


GRADES = _table("grade", {
    "majeure": "major", "nc maj": "major", "nc maj.": "major", "major": "major", "nonconformite majeure": "major",
    "major nonconformity": "major", "mineure": "minor", "nc min": "minor", "nc min.": "minor", "minor": "minor",
    "nonconformite mineure": "minor", "minor nonconformity": "minor", "point sensible": "observation", "ps": "observation",
    "point de vigilance": "observation", "pv": "observation", "observation": "observation", "obs": "observation",
    "piste de progres": "improvement", "pp": "improvement", "ofi": "improvement", "amelioration": "improvement",
    "opportunite d'amelioration": "improvement", "improvement": "improvement", "point fort": "strength",
    "pf": "strength", "bonne pratique": "strength", "good practice": "strength", "strength": "strength",
})
STATUSES = _table("action_status", {
    "ouvert": "open", "a faire": "open", "todo": "open", "to do": "open", "en cours": "in-progress",
    "in progress": "in-progress", "inprogress": "in-progress", "started": "in-progress", "realise": "done",
    "realisee": "done", "fait": "done", "faite": "done", "termine": "done", "terminee": "done", "implemented": "done",
    "completed": "done", "verifie": "verified", "verifiee": "verified", "close": "verified", "closed": "verified",
    "cloture": "verified", "cloturee": "verified", "solde": "verified", "soldee": "verified", "annule": "cancelled",
    "canceled": "cancelled", "abandonne": "cancelled", "abandonnee": "cancelled",
})
VERDICTS = _table("verdict", {
    "solde": "closed", "clos": "closed", "close": "closed", "leve": "closed", "levee": "closed", "ferme": "closed",
    "en cours": "in-progress", "in progress": "in-progress", "non efficace": "not-effective", "inefficace": "not-effective",
    "not effective": "not-effective", "ineffective": "not-effective", "non verifie": "not-verified",
    "not verified": "not-verified",
})
FRENCH_MONTHS = {
    "janvier": "January", "janv": "January", "fevrier": "February", "fevr": "February", "fev": "February",
    "mars": "March", "avril": "April", "avr": "April", "mai": "May", "juin": "June", "juillet": "July",
    "juil": "July", "aout": "August", "septembre": "September", "sept": "September", "octobre": "October",
    "oct": "October", "novembre": "November", "nov": "November", "decembre": "December", "dec": "December",
}
_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(FRENCH_MONTHS, key=len, reverse=True)) + r")\.?\b")


def _coded(table: dict[str, str], value: Any, what: str) -> str:
    text = fold(str(value)).strip(" .")
    if text in table:
        return table[text]
    raise ValueProblem(f'unknown {what} "{str(value).strip()}"')


def parse_grade(value: Any) -> str:
    """'NC mineure', 'minor', 'Minor NC', 'PS' … -> a grade code."""
    return _coded(GRADES, value, "grade")


def parse_status(value: Any) -> str:
    """'Réalisée', 'done', 'En cours' … -> an action status code."""
    return _coded(STATUSES, value, "status")


def parse_verdict(value: Any) -> str:
    """'Soldé', 'Closed', 'Non efficace' … -> a follow-up verdict code."""
    return _coded(VERDICTS, value, "verdict")


def parse_date(value: Any) -> date:
    """A real date, or text such as 2026-06-30, 30/06/2026, 30 juin 2026, June 30, 2026."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        from openpyxl.utils.datetime import (
            from_excel,  # a date cell whose format was lost: an Excel serial number
        )

        return from_excel(value).date()
    text = fold(str(value)).replace("1er", "1")
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        try:
            return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
        except ValueError:
            raise ValueProblem(f'impossible date "{str(value).strip()}"') from None
    english = _MONTH_RE.sub(lambda m: FRENCH_MONTHS[m.group(1)], text)
    if not re.search(r"\d", english):
        raise ValueProblem(f'unreadable date "{str(value).strip()}"')
    try:
        return dateparser.parse(english, dayfirst=True, default=datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError):
        raise ValueProblem(f'unreadable date "{str(value).strip()}" (write it as 2026-06-30 or 30/06/2026)') from None


def parse_person(value: Any, project: Project) -> str:
    """A person id from an id or a name, any case, with or without accents."""
    text = fold(str(value))
    for p in project.people:
        if text in (fold(p.id), fold(p.name)):
            return p.id
    raise ValueProblem(f'unknown person "{str(value).strip()}" (people: {", ".join(p.name for p in project.people)})')


def parse_clause(value: Any, framework: Framework) -> str:
    """A clause id of the framework ('6.3', '§ 6.3', 'clause 6.3')."""
    text = str(value).strip()
    match = re.search(r"\d+(?:\.\d+)*", text)
    if match and match.group(0) in framework.clauses:
        return match.group(0)
    if isinstance(value, float):  # a spreadsheet turned '6.3' into the number 6.3
        return parse_clause(f"{value:g}", framework)
    raise ValueProblem(f'unknown clause "{text}" for {framework.id}')


def parse_process(value: Any, framework: Framework) -> str | None:
    """A process slug from a slug, a clause or a process title in either language; None for blank."""
    text = fold(str(value or ""))
    if not text:
        return None
    for slug, clause in framework.processes.items():
        titles = {fold(t) for t in framework.clauses[clause].values()}
        if text in {fold(slug), clause} | titles:
            return slug
    raise ValueProblem(f'unknown process "{str(value).strip()}"')
