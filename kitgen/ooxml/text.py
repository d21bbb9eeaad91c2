"""Text comparison as people type: case, accents and spacing do not matter."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lowercase, accents and extra spaces removed: how headers and typed values are compared."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


_CONTROLS = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None}


def clean_text(text: str) -> str:
    """Text as read from a form, without control characters (tabs and line breaks kept) and outer spaces."""
    return text.translate(_CONTROLS).strip()


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cell_text(value: object) -> str:
    """A spreadsheet cell's text: OOXML escapes (_x0007_) decoded, then cleaned like any form text."""
    return clean_text(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(value)))
