"""What people type into a Word form that its reader does not take: found by comparing every table cell with what
kitgen wrote there, so that nothing typed disappears in silence.

At generation, a short digest of every cell's text goes into the form's base (under SHOWN). At harvest, each reader
marks the cells it took (`Reading.consumed`); any other cell whose text differs from what kitgen wrote is reported
as not taken, with its cell, and the file does not count as harvested (a rebuild would lose it).
"""
from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Sequence
from typing import Any, Protocol

from ..errors import N_, problem
from ..infra.text import plain
from ..project.places import Place
from .reading import Reading

SHOWN: Place = ("shown", "cells")
DIGEST_CHARS = 10  # enough to tell two texts of one cell apart; short, as every cell of the form is stored
SHOWN_CHARACTERS = 60  # of a cell's text quoted in a note: enough to recognise it, the note stays on one line


class _Cell(Protocol):
    text: str


Tables = Sequence[Sequence[Sequence[_Cell]]]


def digest(text: str) -> str:
    """'' for a blank cell, else a short digest of its text (typesetting made plain, spaces and line breaks squeezed:
    Word and LibreOffice may re-flow them)."""
    squeezed = " ".join(plain(text).split())
    return hashlib.sha256(squeezed.encode("utf-8")).hexdigest()[:DIGEST_CHARS] if squeezed else ""


def shown_cells(tables: Tables) -> dict[str, Any]:
    """The base entry of what a generated document's tables show: per table, per row, each cell's digest."""
    return {"tables": [[[digest(c.text) for c in row] for row in table] for table in tables]}


def _match_tables(tables: Tables, shown: list[list[list[str]]]) -> dict[int, int]:
    """Which generated table each table of the document is (0-based indices): same header row first, in order;
    else the table at the same place with as many columns."""
    matched: dict[int, int] = {}
    used: set[int] = set()
    for i, table in enumerate(tables):
        head = [digest(c.text) for c in table[0]] if table else []
        j = next((j for j, s in enumerate(shown) if j not in used and s and s[0] == head), None)
        if j is not None:
            matched[i] = j
            used.add(j)
    for i, table in enumerate(tables):
        if i not in matched and i < len(shown) and i not in used and table and shown[i] \
                and len(shown[i][0]) == len(table[0]):
            matched[i] = i
            used.add(i)
    return matched


def untaken_cells(tables: Tables, reading: Reading) -> None:
    """Report in `reading.not_taken` every typed cell no reader took and kitgen did not write (none without a base)."""
    entry = (reading.base or {}).get(SHOWN)
    shown = entry.get("tables") if isinstance(entry, dict) else None
    if not isinstance(shown, list):
        return
    matched = _match_tables(tables, shown)
    for i, table in enumerate(tables):
        if not table:
            continue
        was = shown[matched[i]] if i in matched else []
        header = [c.text for c in table[0]]
        used: set[int] = set()
        pending: list[tuple[int, list[int], list[str]]] = []
        for r, row in enumerate(table):
            cols = [c for c in range(len(row)) if (i + 1, r + 1, c) not in reading.consumed]
            now = [digest(row[c].text) for c in cols]
            if r < len(was) and r not in used and [_at(was[r], c) for c in cols] == now:
                used.add(r)
            else:
                pending.append((r, cols, now))
        for r, cols, now in pending:
            other = next((k for k, row in enumerate(was) if k not in used and [_at(row, c) for c in cols] == now), None)
            if other is not None:  # a row moved in the table
                used.add(other)
                continue
            for c, d in zip(cols, now):
                before = _at(was[r], c) if r < len(was) else ""
                if d and d != before:
                    _report(reading, i + 1, r + 1, header[c] if c < len(header) and r else "", table[r][c].text,
                            bool(before), i in matched)


def _at(row: list[str], col: int) -> str:
    return row[col] if col < len(row) else ""


def _report(reading: Reading, table: int, row: int, column: str, text: str, over: bool, known: bool) -> None:
    shown = textwrap.shorten(" ".join(text.split()), SHOWN_CHARACTERS, placeholder=" …")
    if not known:
        why, hint = N_('"{value}" not taken: a table kitgen did not write'), N_("kitgen reads nothing from it")
    elif over:
        why, hint = (N_('"{value}" not taken: typed over what kitgen writes from the project file'),
                     N_("change the project file instead"))
    else:
        why, hint = N_('"{value}" not taken: kitgen reads nothing from this cell'), None
    reading.not_taken.append(problem(why, reading.name, place=reading.in_table(table, row, column), value=shown,
                                     hint=hint, code="not-taken"))
