"""Numbers, quantities, percentages and lists written the way a French or English reader writes them (Babel), and
template values that print that way (texts typeset) while staying lists and numbers a template can loop over or
compute with."""
from __future__ import annotations

from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal

from .common import LOCALES
from .typeset import typeset

UNITS: dict[str, dict[str, dict[str, str]]] = {
    "additional-site": {"fr": {"one": "site supplémentaire", "other": "sites supplémentaires"},
                        "en": {"one": "additional site", "other": "additional sites"}},
    "audit-day": {"fr": {"one": "jour d'audit", "other": "jours d'audit"},
                  "en": {"one": "audit day", "other": "audit days"}},
    "day": {"fr": {"one": "jour", "other": "jours"}, "en": {"one": "day", "other": "days"}},
    "fte": {"fr": {"one": "ETP", "other": "ETP"}, "en": {"one": "FTE", "other": "FTE"}},
    "month": {"fr": {"one": "mois", "other": "mois"}, "en": {"one": "month", "other": "months"}},
    "person": {"fr": {"one": "personne", "other": "personnes"}, "en": {"one": "person", "other": "people"}},
    "record": {"fr": {"one": "enregistrement", "other": "enregistrements"},
               "en": {"one": "record", "other": "records"}},
}


def number(value: float, lang: str) -> str:
    """11.5 -> '11,5' (fr) / '11.5' (en); thousands with a narrow no-break space in French."""
    return format_decimal(value, locale=LOCALES[lang])


def quantity(value: float, unit: str, lang: str) -> str:
    """2.5 audit days -> '2,5 jours d'audit' / '2.5 audit days' (the unit agrees with the number)."""
    form = Locale.parse(LOCALES[lang]).plural_form(value)
    words = UNITS[unit][lang]
    return f"{number(value, lang)}\u00a0{words.get(form, words['other'])}"


def prose(items: list[str], lang: str) -> str:
    """['a', 'b', 'c'] -> 'a, b et c' / 'a, b and c'."""
    return format_list([str(i) for i in items], locale=LOCALES[lang]) if items else ""


class ProseList(list):  # type: ignore[type-arg]
    """A list a template can loop over, that prints as a person writes a list ('a, b et c')."""

    lang = "fr"

    def __str__(self) -> str:
        return prose([str(x) for x in self], self.lang)

    def __html__(self) -> str:  # printed by an autoescaping template: the text, escaped
        from markupsafe import escape

        return str(escape(str(self)))


class LocalNumber(float):
    """A number a template can compute with, that prints the way the document's language writes it."""

    lang = "fr"

    def __str__(self) -> str:
        return number(float(self), self.lang)

    def __html__(self) -> str:
        return str(self)


def _typed(cls: type, lang: str) -> type:
    return type(cls.__name__, (cls,), {"lang": lang})


def localize(value: Any, lang: str) -> Any:
    """A template context whose texts are typeset for `lang`, whose lists print as prose and whose numbers print by
    locale (everything else as is)."""
    prose_list, local_number = _typed(ProseList, lang), _typed(LocalNumber, lang)

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return typeset(v, lang)
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return prose_list(walk(x) for x in v)
        if isinstance(v, float) and not isinstance(v, bool):
            return local_number(v)
        return v
    return walk(value)
