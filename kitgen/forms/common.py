"""What every form shares: dates written the language's way, people's names, and the identity stamped on files."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

from babel import localedata
from babel.dates import format_date

from ..errors import N_, ReadbackError
from ..project.models import Audit, Project

FORMAT_VERSION = 1
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
LANGUAGE_TAGS = {"fr": "fr-FR", "en": "en-GB"}  # how Word and LibreOffice name the proofing language
DATES_REMEMBERED = 4096  # long dates kept formatted: more than a project mentions, in both languages


def _first(d: date, text: str, lang: str) -> str:
    """French writes the first of the month '1er' ('1er mai 2026'), every other day as a number."""
    return "1er" + text[1:] if lang == "fr" and d.day == 1 and text.startswith("1") else text


def load_locale_data(lang: str) -> None:
    """Read Babel's data for `lang` now (dates, numbers, lists are written with it), in this process: render workers
    forked afterwards inherit it instead of each reading and merging it again (a sixth of a worker's time)."""
    localedata.load(LOCALES[lang])


@lru_cache(maxsize=DATES_REMEMBERED)
def long_date(d: date | None, lang: str) -> str:
    """'12 mai 2026' / '12 May 2026', '1er mai 2026'; '' for no date."""
    return _first(d, format_date(d, format="long", locale=LOCALES[lang]), lang) if d else ""


def listed(parts: list[str], lang: str) -> str:
    """Parts of a message one after the other, separated as the language does it: French puts a space before a
    semicolon, as the catalogs write it ('a ; b'); English does not ('a; b')."""
    return (" ; " if lang == "fr" else "; ").join(parts)


def date_range(start: date, end: date | None, lang: str) -> str:
    """'6–7 octobre 2026' / '6–7 October 2026', or one date."""
    if not end or end == start:
        return long_date(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        return f"{_first(start, str(start.day), lang)}–{long_date(end, lang)}"
    pattern = "d MMMM" if start.year == end.year else "long"
    return f"{_first(start, format_date(start, format=pattern, locale=LOCALES[lang]), lang)} – {long_date(end, lang)}"


def person_name(project: Project, ref: str | None) -> str:
    """A person's name for an id; the reference itself when it is a free name (external auditor)."""
    person = project.person(ref)
    return person.name if person else (ref or "")


_FROZEN: ContextVar[datetime | None] = ContextVar("kitgen_frozen_clock", default=None)


def audit_of(project: Project, key: str | None) -> Audit:
    """The audit a per-audit form was generated for; ReadbackError when the project no longer has it."""
    audit = project.audit(key or "")
    if audit is None:
        raise ReadbackError(N_("audit {audit!r} is not in the project file"), audit=key, code="gone-from-project")
    return audit


def now() -> datetime:
    """The generation moment (UTC): a frozen clock, else SOURCE_DATE_EPOCH, else the real clock."""
    frozen = _FROZEN.get()
    if frozen is not None:
        return frozen
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.replace(microsecond=0)


def today() -> date:
    """The generation date (see now())."""
    return now().date()


@contextmanager
def frozen_clock(moment: datetime) -> Iterator[None]:
    """Generate as of `moment`: what reproducible outputs (the documentation package) are built under."""
    token = _FROZEN.set(moment.replace(microsecond=0))
    try:
        yield
    finally:
        _FROZEN.reset(token)


def generated_at() -> str:
    """When a file was generated, UTC, ISO 8601."""
    return now().isoformat()


def identity(form: str, project: Project, lang: str, per: str = "project", key: str | None = None) -> dict[str, Any]:
    """The custom document properties that let kitgen recognise a file it generated (`kitgen.audit` or
    `kitgen.review` name what a per-audit or per-review file is for)."""
    props: dict[str, Any] = {"kitgen.form": form, "kitgen.project": project.id, "kitgen.lang": lang,
                             "kitgen.format": FORMAT_VERSION, "kitgen.generated": generated_at()}
    if key and per in ("audit", "review"):
        props[f"kitgen.{per}"] = key
    return props
