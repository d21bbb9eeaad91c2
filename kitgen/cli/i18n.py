"""The CLI's words in one language per run: English msgids in the code, French in the gettext catalogs
kitgen/cli/locale/fr/*.po (one file per area), read at run time by Babel (no compiled .mo to build or ship);
numbers and dates by Babel."""
from __future__ import annotations

import gettext
import io
import os
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..errors import Problem

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("fr", "en")
DEFAULT = "fr"  # the kit's users are mostly French: a run with no project, no --lang and no French or English locale
_language = [DEFAULT]  # the run's language, set once a command knows it (a list, so that tests' runs can set it again)
_asked = [False]       # whether the user chose it (--lang): then even a project file's errors are in it


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of `lang`: every .po of `locale/<lang>/` as one; English is the msgids themselves. Read with Babel
    and compiled in memory (a few milliseconds, once per run), so that editing a .po is all a translator does."""
    if lang == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    merged: Translations | None = None
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang)
        mo = io.BytesIO()
        write_mo(mo, catalog)
        mo.seek(0)
        part = Translations(mo)
        merged = part if merged is None else merged.merge(part)
    return merged or gettext.NullTranslations()


def environment_language() -> str | None:
    """fr or en from the user's locale (LC_ALL, LC_MESSAGES, LANG, as gettext reads them), else None."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value[:2].lower()
            return code if code in LANGUAGES else None
    return None


def use(lang: str | None) -> str:
    """Make `lang` the run's language (None: the user's locale, else French) and return it."""
    _language[0] = lang if lang in LANGUAGES else (environment_language() or DEFAULT)
    if lang is None:
        _asked[0] = False
    return _language[0]


def asked(ctx: object, param: object, value: str | None) -> str | None:
    """click callback of `--lang`: the language the user asked for is the run's from the moment it is parsed, so that
    an error raised before the project is read (its file cannot be read, say) is in it too."""
    if value:
        use(value)
        _asked[0] = True
    return value


def error_language(said: str | None) -> str:
    """The language to show an error in: the one asked for, else the one the project file said (an error may come
    before the run knew it), else the run's."""
    if not _asked[0] and said in LANGUAGES:
        use(said)
    return language()


def language() -> str:
    return _language[0]


def _(message: str) -> str:
    """`message` in the run's language."""
    return translations(language()).gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for `n`, by the language's own plural rule (French: 0 and 1 are singular)."""
    return translations(language()).ngettext(singular, plural, n)


def show(value: object) -> str:
    """A value inside a sentence, the language's way: dates written out, numbers with the language's separators."""
    if isinstance(value, Problem):   # a message inside a message (harvest names a follow-up "F2 follow-up by A1")
        return value.render(catalog(), show)
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, float):
        return number(value)
    return str(value)


def catalog() -> gettext.NullTranslations:
    """The run's catalog (what errors and problems are rendered through)."""
    return translations(language())


def number(value: float, decimals: int | None = None) -> str:
    """3.17 -> '3,17' (fr) / '3.17' (en); with `decimals`, exactly that many digits after the separator."""
    from babel.numbers import format_decimal

    from ..forms.common import LOCALES

    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALES[language()])


def long_date(d: date) -> str:
    """'7 décembre 2026', '1er mai 2026' / '7 December 2026'."""
    from ..forms.common import long_date as written

    return written(d, language())

