"""Text comparison as people type: case, accents and spacing do not matter."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase, accents and extra spaces removed: how headers and typed values are compared."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())
