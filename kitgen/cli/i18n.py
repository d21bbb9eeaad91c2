"""The CLI's words in one language per run: English msgids in the code, French in the gettext catalogs
kitgen/cli/locale/fr/*.po (one file per area), read at run time by Babel (no compiled .mo to build or ship; the
compiled form is cached beside them, as Python caches bytecode); numbers and dates by Babel."""
from __future__ import annotations

import gettext
import hashlib
import io
import os
import sys
from contextlib import suppress
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..errors import Problem

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("fr", "en")
DEFAULT = "fr"  # the kit's users are mostly French: a run with no project, no --lang and no French or English locale
_language = [DEFAULT]  # the run's language, set once a command knows it (a list, so that tests' runs can set it again)
_asked = [False]       # whether the user chose it (--lang): then even a project file's errors are in it


# Compiled catalogs are kept in this folder beside the .po files, as Python keeps its bytecode: git ignores it and the
# wheel leaves it out (package data takes only *.po). Reading a .po with Babel costs about 35 ms of every French run.
CACHE_DIR = "__pycache__"
# the first line of a cached catalog: this format's name, then the SHA-256 of the .po it was compiled from, so that an
# edited (or upgraded) .po is compiled again, and a file written by another format is never read as ours
CACHE_MAGIC = b"kitgen-compiled-po-1 "


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of `lang`: every .po of `locale/<lang>/` as one (a message of a later file replaces the same
    message of an earlier one); English is the msgids themselves. Editing a .po is all a translator does."""
    if lang == "en":
        return gettext.NullTranslations()
    merged: gettext.GNUTranslations | None = None
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        part = gettext.GNUTranslations(io.BytesIO(compiled(path, lang)))
        if merged is None:
            merged = part
        else:
            merged._catalog.update(part._catalog)  # type: ignore[attr-defined]  # Babel's Translations.merge, as is
    return merged or gettext.NullTranslations()


def compiled(path: Path, lang: str) -> bytes:
    """The .po at `path` as .mo bytes: the cached ones when they were compiled from these very bytes, else compiled by
    Babel and cached (unless Python may not write bytecode, or the folder is read-only: then compiled every run)."""
    source = path.read_bytes()
    key = CACHE_MAGIC + hashlib.sha256(source).hexdigest().encode("ascii") + b"\n"
    cached = path.parent / CACHE_DIR / f"{path.name}.mo"
    try:
        data = cached.read_bytes()
    except OSError:
        data = b""
    if data.startswith(key):
        return data[len(key):]
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    mo = io.BytesIO()
    write_mo(mo, read_po(io.BytesIO(source), locale=lang))
    if not sys.dont_write_bytecode:
        _write_cache(cached, key + mo.getvalue())
    return mo.getvalue()


def _write_cache(cached: Path, data: bytes) -> None:
    """Write `data` to `cached` whole or not at all (parallel runs compile at once); a folder that cannot be written
    to only means no cache."""
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
    try:
        cached.parent.mkdir(exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, cached)
    except OSError:
        with suppress(OSError):
            partial.unlink(missing_ok=True)


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

