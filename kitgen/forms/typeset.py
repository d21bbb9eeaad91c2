"""Typesetting of generated text: the no-break spaces a French reader expects before « : ; ? ! », inside « », in
numbers and dates, and in every language ids that never break across lines. Applied to every value a template
receives (locale.localize), to the shipped templates' own words when they are built, and to the action plan's cells.

Rules (Lexique des règles typographiques en usage à l'Imprimerie nationale, as LibreOffice's French autocorrection
applies them): a no-break space (U+00A0) before « : » and inside « », a narrow no-break space (U+202F) before
« ; ? ! », before « % » and « € » after a number, and between groups of thousands; a no-break space between a
day and its month (« 7 octobre »). Only punctuation in a prose position is touched: « https://… », « 9:00 », « a;b »
are left alone. In every language, the hyphens of an id or an ISO date (AUD-2026-01-F1, 2026-10-31) become no-break
hyphens (U+2011; Word's own w:noBreakHyphen in a .docx); kitgen reads them back as hyphens.
"""
from __future__ import annotations

import re

from ..infra.text import remembered_when_short

NBSP = "\u00a0"     # espace insécable
NNBSP = "\u202f"    # espace fine insécable
NBHY = "\u2011"     # trait d'union insécable (no-break hyphen)
SPACES = " \u00a0\u202f\u2009"  # what may already stand before a punctuation mark
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")

Edit = tuple[int, int, str]  # replace text[start:end] by the string (start == end: an insertion)

# a group of high punctuation marks ('?', '?!', ':') followed by the end, a space or a closing mark
_HIGH = re.compile(r"[:;?!]+(?=$|[\s)\]»\"”’.,…])")
_OPEN_QUOTE = re.compile(r"«(\s?)")
_CLOSE_QUOTE = re.compile(r"(\s?)»")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d])")
_UNIT = re.compile(r"(?<=\d)( ?)(?=[%€](?!\w))")
# an id or an ISO date: letters and digits joined by hyphens, with a digit somewhere (AUD-2026-01-F1, CA-3,
# 2026-10-31, CHG-0412) — compound words (Alsace-Lorraine) may still break at their hyphen
_ID = re.compile(r"(?<![\w-])(?=[\w-]*\d)[^\W_]+(?:-[^\W_]+)+(?![\w-])")
_DAY_MONTH = re.compile(r"(?<![\d\w])(1er|\d{1,2}) (?=(?:" + "|".join(MONTHS_FR) + r")\b)")


_HIGH_MARKS = frozenset(":;?!")
_UNITS = frozenset("%€")
_DIGITS = frozenset("0123456789")
_MARKS = _HIGH_MARKS | _UNITS | _DIGITS | frozenset("«»")


def _space_before(text: str, at: int, space: str) -> Edit | None:
    """The edit that puts `space` right before text[at] (replacing a space already there), or None when nothing
    is to change or the mark does not follow a word (an opening bracket, the start of the text)."""
    if at == 0:
        return None
    before = text[at - 1]
    if before in SPACES:
        if at >= 2 and text[at - 2] in SPACES:  # several spaces: leave the typist's layout alone
            return None
        return None if before == space else (at - 1, at, space)
    if before.isalnum() or before in ")]»\"”’%€°":
        return (at, at, space)
    return None


@remembered_when_short
def _french_edits(text: str) -> tuple[Edit, ...]:
    edits: dict[int, Edit] = {}

    def add(edit: Edit | None) -> None:
        if edit is not None:
            edits.setdefault(edit[0], edit)

    # each rule runs only when its characters are there: most texts of a document need none (cheap to check)
    marks = _MARKS.intersection(text)
    if marks & _HIGH_MARKS:
        for m in _HIGH.finditer(text):
            add(_space_before(text, m.start(), NBSP if m.group()[0] == ":" else NNBSP))
    if "«" in marks:
        for m in _OPEN_QUOTE.finditer(text):
            after = m.end(0)
            if m.group(1):
                if m.group(1) != NBSP:
                    add((m.start(1), m.end(1), NBSP))
            elif after < len(text) and not text[after].isspace():
                add((after, after, NBSP))
    if "»" in marks:
        for m in _CLOSE_QUOTE.finditer(text):
            if m.group(1):
                if m.group(1) != NBSP:
                    add((m.start(1), m.end(1), NBSP))
            elif m.start(0) > 0 and not text[m.start(0) - 1].isspace():
                add((m.start(0), m.start(0), NBSP))
    if marks & _DIGITS:
        for m in _THOUSANDS.finditer(text):
            for i, c in enumerate(m.group(), start=m.start()):
                if c == " ":
                    add((i, i + 1, NNBSP))
        if marks & _UNITS:
            for m in _UNIT.finditer(text):
                add((m.start(1), m.end(1), NNBSP))
        for m in _DAY_MONTH.finditer(text):
            add((m.end(1), m.end(1) + 1, NBSP))
    return tuple(sorted(edits.values()))


@remembered_when_short
def _id_edits(text: str) -> tuple[Edit, ...]:
    if not _DIGITS.intersection(text):
        return ()
    return tuple((m.start() + i, m.start() + i + 1, NBHY) for m in _ID.finditer(text)
                 for i, c in enumerate(m.group()) if c == "-")


def edits(text: str, lang: str, ids: bool = True) -> tuple[Edit, ...]:
    """The typesetting edits `text` needs in `lang`, in order, never overlapping: French punctuation, numbers and
    dates (French only), and — with `ids`, in every language — no-break hyphens inside ids and ISO dates."""
    if not text:
        return ()
    found = _french_edits(text) if lang == "fr" else ()
    if ids and "-" in text:
        taken = {start for start, _, _ in found}
        found = tuple(sorted(found + tuple(e for e in _id_edits(text) if e[0] not in taken)))
    return found


def apply(text: str, changes: tuple[Edit, ...] | list[Edit]) -> str:
    """`text` with `changes` (from edits()) made."""
    out, last = [], 0
    for start, end, new in changes:
        out += [text[last:start], new]
        last = end
    out.append(text[last:])
    return "".join(out)


def typeset(text: str, lang: str, ids: bool = True) -> str:
    """`text` set the way a reader of `lang` expects it ('Constat : 98 %' with no-break spaces in French, ids that
    never break across lines)."""
    return apply(text, edits(text, lang, ids))



def unbreakable_ids(text: str) -> str:
    """`text` whose ids and ISO dates never break across lines (no-break hyphens), nothing else changed: what a
    spreadsheet cell of running text gets, read back as typed (kitgen.infra.text.plain)."""
    return apply(text, _id_edits(text)) if "-" in text else text
