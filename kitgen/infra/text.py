"""Text as people type it: comparison without case or accents, and the characters XML and spreadsheets cannot store."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache, wraps
from typing import TypeVar

R = TypeVar("R")
SHORT_TEXT = 200  # labels, options and headers are shorter; longer texts (comments) are not remembered
TEXTS_REMEMBERED = 8192  # short texts kept per function: every label and option of the forms, both languages


def remembered_when_short(fn: Callable[..., R]) -> Callable[..., R]:
    """`fn`, its result remembered when its last argument (a text) is short: forms repeat the same labels thousands
    of times, while a long text is rarely seen twice and would only fill memory. `fn` must be pure."""
    cached = lru_cache(maxsize=TEXTS_REMEMBERED)(fn)

    @wraps(fn)
    def call(*args: object) -> R:
        return cached(*args) if len(args[-1]) <= SHORT_TEXT else fn(*args)  # type: ignore[arg-type]
    return call


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "’": "'", "‘": "'", "ʼ": "'"})


def fold(text: str) -> str:
    """Lowercase, accents, ligatures and extra spaces removed, apostrophes straightened: how headers and typed
    values are compared."""
    text = str(text)
    if text.isascii():
        return " ".join(text.lower().split())
    return _fold_unicode(text)


@remembered_when_short
def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


# Characters typesetting puts in generated documents (no-break and narrow no-break spaces, a figure space, a
# no-break hyphen), read back as the plain ones people type.
_TYPESET = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2011": "-"})


def plain(text: str) -> str:
    """`text` with typesetting spaces and hyphens made plain ('98\u202f%' -> '98 %')."""
    return text if text.isascii() else text.translate(_TYPESET)


def clean_text(text: str) -> str:
    """Text as read from a form, without outer spaces, tabs and line breaks (other characters are kept, so that
    an unstorable one is seen and refused, never silently dropped)."""
    return text.strip(" \t\n\r\u00a0")


# XML 1.0 and spreadsheets cannot store these: C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone surrogates
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unstorable(text: str) -> str | None:
    """'U+000B' for the first character Word or Excel cannot store, or None when every character is storable."""
    m = UNSTORABLE.search(text)
    return f"U+{ord(m.group(0)):04X}" if m else None


def cell_text(value: object) -> str:
    """A spreadsheet cell's text, its OOXML escapes (_x000B_) decoded (check it with `unstorable`)."""
    return clean_text(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(value)))


def columns_by_header(header: Iterable[object], labels: dict[str, str], first: int = 0) -> dict[str, int]:
    """{key: column index} for the header texts whose folded text is a label of `labels` ({folded label: key}), the
    first column of a key winning; indexes count from `first` (0 for a row read as a list, 1 for a sheet's columns)."""
    found: dict[str, int] = {}
    for i, text in enumerate(header, start=first):
        key = labels.get(fold(str(text))) if text is not None else None
        if key and key not in found:
            found[key] = i
    return found
