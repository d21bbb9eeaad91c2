"""Values as people type them back into forms: dates, people, clauses, processes, and the vocabulary's words.

Nothing is guessed: a date without a year, a quarter, a month without a day, a two-digit year, a weekday that
does not match or a numeric date impossible in the order of the form's locale is refused, and the caller names the
cell.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from babel.dates import get_date_format

from ..errors import N_
from ..frameworks import Framework
from ..infra.text import fold, unstorable
from ..project.models import RATING_MAX, Project
from .vocabulary import ValueProblem, parse

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fevr": 2, "fev": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3, "avril": 4, "avr": 4, "april": 4, "apr": 4, "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6, "juillet": 7, "juil": 7, "july": 7, "jul": 7, "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9, "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11, "decembre": 12, "dec": 12, "december": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
            "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3,
            "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})")
_DAY_MONTH = re.compile(rf"(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{2,4}})")
_MONTH_DAY = re.compile(rf"({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{2,4}})")
_EXCEL_EPOCH = date(1899, 12, 30)
# A whole number in a date cell is taken for Excel's day number (the cell's date format was lost) only between these:
# 3 October 1954 and 11 January 2119, the dates an SMS's records can hold; any other number is refused
EXCEL_DAY_NUMBERS = (20000, 80000)


MAX_TEXT = 32_767  # Excel's limit per cell; a statement or a note longer than this is not one


def check_text(text: str) -> str:
    """A typed text as the project file may store it; ValueProblem for a character Word or Excel cannot store, or
    for a text longer than a cell holds."""
    bad = unstorable(text)
    if bad:
        raise ValueProblem(N_("a character Word and Excel cannot store ({character})"), character=bad,
                           hint=N_("retype the value"), code="unstorable-character")
    if len(text) > MAX_TEXT:
        raise ValueProblem(N_("{count} characters, more than the {limit} a cell holds"), count=len(text),
                           limit=MAX_TEXT, code="too-long")
    return text


def parse_grade(value: Any) -> str:
    """'NC mineure', 'Minor non-conformity', 'Piste d'amélioration', 'PS' … -> a grade code."""
    return parse("grade", value)


def parse_status(value: Any) -> str:
    """'Réalisée', 'Complétée', 'Fermée', 'EN COURS' … -> an action status code."""
    return parse("action_status", value)


def parse_verdict(value: Any) -> str:
    """'Soldée', 'Non vérifiée', 'Fermée', 'Not effective' … -> a follow-up verdict code."""
    return parse("verdict", value)


@cache
def date_order(locale: str) -> str:
    """The order of a numeric date in `locale` ('fr-FR'), from its short date pattern (Babel): 'dmy' (fr-FR,
    en-GB), 'mdy' (en-US) or 'ymd' (fr-CA)."""
    pattern = get_date_format("short", locale=locale.replace("-", "_")).pattern
    return "".join(sorted("dmy", key=lambda part: pattern.find({"m": "M"}.get(part, part))))


ISO_EXAMPLE = "2026-06-30"   # read the same in every locale: what a refused date is asked to be written as
EXAMPLES = {"dmy": "30/06/2026", "mdy": "06/30/2026"}   # the locale's own numeric way, where it is not ISO
NOT_A_DATE = "not-a-date"


def _refuse_date(value: Any, why: str, locale: str, **fields: Any) -> ValueProblem:
    """`why` (a msgid with {value}, and {locale} when it names the order) and how to write the date instead."""
    local = EXAMPLES.get(date_order(locale))
    hint = N_("write it as {expected} or {local}") if local else N_("write it as {expected}")
    return ValueProblem(why, value=value if isinstance(value, float) else str(value).strip(), expected=ISO_EXAMPLE,
                        hint=hint, local=local, locale=locale, code=NOT_A_DATE, **fields)


def _day_month(value: Any, first: int, second: int, locale: str) -> tuple[int, int]:
    """(day, month) of a numeric date whose year comes last, read in the order of `locale`; refused when that order
    makes it impossible, or (a locale writing the year first) when either order would do."""
    order = date_order(locale)
    if order == "ymd":
        # fr-CA writes dates year first (ISO, as the OQLF recommends) and people there meet both 30/06 and 06/30:
        # a year-last date is read only when a single order makes a date
        if first <= 12 and second <= 12 and first != second:
            raise _refuse_date(value, N_('day and month cannot be told apart ({locale} writes the year first) in '
                                         '"{value}"'), locale)
        return (first, second) if second <= 12 else (second, first)
    day, month = (first, second) if order == "dmy" else (second, first)
    if month > 12 and day <= 12:
        why = (N_('month first (as in the US), where {locale} puts the day first, in "{value}"') if order == "dmy" else
               N_('day first, where {locale} puts the month first, in "{value}"'))
        raise _refuse_date(value, why, locale)
    return day, month


def _make(value: Any, year: int, month: int, day: int, locale: str, weekday: int | None = None) -> date:
    if year < 100:
        raise _refuse_date(value, N_('two-digit year in "{value}"'), locale)
    try:
        result = date(year, month, day)
    except ValueError:
        raise ValueProblem(N_('impossible date "{value}"'), value=str(value).strip(), code=NOT_A_DATE) from None
    if weekday is not None and result.weekday() != weekday:
        raise _refuse_date(value, N_('weekday does not match the date in "{value}"'), locale)
    return result


def parse_date(value: Any, locale: str) -> date:
    """A real date, or text written the French or English way: 2026-06-30, 30/06/2026 (06/30/2026 in en-US: a
    numeric date is read in the order of the form's `locale`), 30 juin 2026, le lundi 15 février 2027,
    1er décembre 2026, June 30, 2026, Monday 30th June 2026."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = EXCEL_DAY_NUMBERS
        if low < value < high and float(value).is_integer():  # a date cell whose format was lost: Excel's serial
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise _refuse_date(value, N_('a number is not a date: "{value}"'), locale)
    text = fold(str(value)).replace(",", " ").replace("’", "'")
    text = " ".join(text.split())
    weekday = None
    m = re.match(rf"^(?:le\s+|on\s+|the\s+)?({_WEEKDAY})\.?\s+(?:le\s+|the\s+)?", text)
    if m:
        weekday = WEEKDAYS[m.group(1)]
        text = text[m.end():]
    text = re.sub(r"^(?:le|the|on)\s+", "", text)
    if m := _ISO.fullmatch(text):
        return _make(value, int(m.group(1)), int(m.group(2)), int(m.group(3)), locale, weekday)
    if m := _NUMERIC.fullmatch(text):
        day, month = _day_month(value, int(m.group(1)), int(m.group(2)), locale)
        return _make(value, int(m.group(3)), month, day, locale, weekday)
    if m := _DAY_MONTH.fullmatch(text):
        return _make(value, int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)), locale, weekday)
    if m := _MONTH_DAY.fullmatch(text):
        return _make(value, int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)), locale, weekday)
    if re.fullmatch(rf"(\d{{1,2}}(er)?\s+)?({_MONTH})\.?", text) or re.fullmatch(r"\d{1,2}", text):
        raise _refuse_date(value, N_('no year in the date "{value}"'), locale)
    if re.fullmatch(r"(t|q|s|h)[1-4]\s+\d{4}|\d{4}\s+(t|q|s|h)[1-4]", text):
        raise _refuse_date(value, N_('a quarter or half-year is not a date: "{value}"'), locale)
    if re.fullmatch(rf"({_MONTH})\.?\s+\d{{4}}|\d{{4}}", text):
        raise _refuse_date(value, N_('no day in the date "{value}"'), locale)
    raise _refuse_date(value, N_('unreadable date "{value}"'), locale)


def parse_person(value: Any, project: Project) -> str:
    """A person id from an id or a name, any case, with or without accents."""
    text = fold(str(value))
    for p in project.people:
        if text in (fold(p.id), fold(p.name)):
            return p.id
    raise ValueProblem(N_('unknown person "{value}" (people: {expected})'), value=str(value).strip(),
                       expected=", ".join(p.name for p in project.people), code="unknown-person")


def parse_verifier(value: Any, project: Project) -> str:
    """Who checked an action's effectiveness: a person's id, a party's id (the certification body), or the name
    as typed (an external auditor)."""
    text = fold(str(value))
    for p in project.people:
        if text in (fold(p.id), fold(p.name)):
            return p.id
    for party in project.parties:
        if text in (fold(party.id), fold(party.name)):
            return party.id
    return " ".join(str(value).split())


def parse_clause(value: Any, framework: Framework) -> str:
    """A clause id of the framework ('6.3', '§ 6.3', 'clause 6.3')."""
    if isinstance(value, float):  # a spreadsheet turned '6.3' into the number 6.3
        value = f"{value:g}"
    text = str(value).strip()
    match = re.search(r"\d+(?:\.\d+)*", text)
    if match and match.group(0) in framework.clauses:
        return match.group(0)
    raise ValueProblem(N_('unknown clause "{value}" for {framework}'), value=text, framework=framework.id,
                       code="unknown-clause")


def parse_process(value: Any, framework: Framework) -> str | None:
    """A process slug from a slug, a clause or a process title in either language; None for blank."""
    text = fold(str(value or ""))
    if not text:
        return None
    for slug, clause in framework.processes.items():
        titles = {fold(t) for t in framework.clauses[clause].values()}
        if text in {fold(slug), clause} | titles:
            return slug
    raise ValueProblem(N_('unknown process "{value}"'), value=str(value).strip(), code="unknown-process")


NOT_A_RATING = {"likelihood": N_('likelihood "{value}" is not a whole number from 1 to 5'),
                "impact": N_('impact "{value}" is not a whole number from 1 to 5')}


def parse_rating(value: Any, kind: str) -> int:
    """A rating from 1 to 5 as typed: 3, '3', '3 — Possible', 'Possible', 'Quasi certain' (kind: likelihood or
    impact)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= RATING_MAX:
            return int(value)
        raise ValueProblem(NOT_A_RATING[kind], value=value, expected="1–5", code="not-a-rating")
    text = str(value).strip()
    match = re.match(r"^([1-5])(?:[.,]0)?(?:\s*[-–—:]\s*.*)?$", text)
    if match:
        return int(match.group(1))
    return int(parse(kind, text))


PER_YEAR = {"an": 12, "ans": 12, "annee": 12, "annees": 12, "year": 12, "years": 12, "mois": 1, "month": 1,
            "months": 1}


def parse_months(value: Any) -> int:
    """A review interval in months: 12, '12', '12 mois', '18 months', '1 an', '2 years'."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and value > 0:
        return int(value)
    match = re.fullmatch(r"(\d{1,3})\s*([a-z]*)", fold(str(value)).strip())
    if match and int(match.group(1)) > 0 and (not match.group(2) or match.group(2) in PER_YEAR):
        return int(match.group(1)) * PER_YEAR.get(match.group(2), 1)
    raise ValueProblem(N_('unreadable interval "{value}"'), value=str(value).strip(),
                       hint=N_("write a number of months (12) or years (1 an)"), code="not-an-interval")


def parse_party(value: Any, project: Project) -> str:
    """A party's id from its id or name, any case, with or without accents."""
    text = fold(str(value))
    for p in project.parties:
        if text in (fold(p.id), fold(p.name)):
            return p.id
    raise ValueProblem(N_('unknown party "{value}"'), value=str(value).strip(), code="unknown-party")
