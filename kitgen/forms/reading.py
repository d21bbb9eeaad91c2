"""What reading a filled form back yields: plain values keyed by their place in the project, rows people added,
and the base the form was generated from. One generic merge (kitgen.jobs.harvest) applies any form's reading.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import N_, Problem
from ..project.places import Place, parse_place


@dataclass
class Added:
    """A row people added (no id kitgen knows): a new entry (finding, action, risk, document…: a kind of
    kitgen.project.places.KINDS), to create or to match to an earlier harvest.

    `row` names the row among those added to the same table of the form ("findings#2"); together with the form's
    base it identifies the row across copies and harvests; `where` is its place in the file as messages name it
    ("Actions!A5", "table 2 row 4"). `parent` may be a finding added in the same form, referred to by its `local`
    name ("@1").
    """

    kind: str
    parent: Place
    fields: dict[str, Any]
    row: str
    where: str
    label: str
    wanted_id: str | None = None
    local: str | None = None


@dataclass
class Reading:
    """One filled form, read."""

    path: Path
    form: str
    key: str | None
    payload: str | None                                   # the embedded base, as text (its digest identifies it)
    base: dict[Place, dict[str, Any]] | None              # the base, parsed; None when missing or unreadable
    modified: datetime | None = None                      # the document's own last-modified time
    lang: str | None = None                               # the language the form was written in (its dates' order,
                                                          # its places' words): its own, else the project's
    values: dict[Place, dict[str, Any]] = field(default_factory=dict)
    added: list[Added] = field(default_factory=list)
    ignored: list[Problem] = field(default_factory=list)    # rows about what this form was not generated for
    not_taken: list[Problem] = field(default_factory=list)  # typed values no field takes (a cell kitgen works out, a
                                                            # value with no field), each with its cell
    consumed: set[tuple[int, int, int]] = field(default_factory=set)  # Word cells read: (table, row, column)
    problems: list[Problem] = field(default_factory=list)   # values nobody can read: nothing is taken from the file

    @property
    def digest(self) -> str | None:
        """The base's digest (what the state file remembers), or None without a base."""
        return base_digest(self.payload) if self.payload else None

    @property
    def name(self) -> str:
        """The file's name, as the notes about its rows name it."""
        return self.path.name

    def in_table(self, table: int, row: int | None = None, column: str = "") -> str:
        """A place in a Word form, in the form's own language as its sheets' names are: 'table 2 row 4 (Owner)',
        'tableau 2 ligne 4 (Responsable)'."""
        words = PLACE_WORDS[self.lang if self.lang in PLACE_WORDS else "en"]
        place = f"{words[0]} {table}" + (f" {words[1]} {row}" if row is not None else "")
        return place + (f" ({' '.join(column.split())})" if column else "")


REBUILD = N_("rebuild it with kitgen build")   # the hint for a form whose tables or sheets were restructured
# how a place in a Word form's tables is named, in the form's language (as a workbook's places name its sheets)
PLACE_WORDS = {"fr": ("tableau", "ligne"), "en": ("table", "row")}


BASE_DIGEST_CHARS = 32  # 128 bits of a base's SHA-256: no two bases of a project collide, and the state stays small


def base_digest(payload: str) -> str:
    """A short SHA-256 of a base snapshot's text."""
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:BASE_DIGEST_CHARS]


def base_payload(base: dict[Place, dict[str, Any]]) -> str:
    """The base snapshot as stable JSON text ({"finding/F1": {...}}; dates in ISO form)."""
    return json.dumps({"/".join(place): fields for place, fields in base.items()}, ensure_ascii=False,
                      sort_keys=True, default=lambda o: o.isoformat())


def parse_base(payload: str | None) -> dict[Place, dict[str, Any]] | None:
    """The base snapshot from its text; None when it is missing or not a snapshot kitgen writes."""
    if not payload:
        return None
    try:
        raw = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        return None
    return {parse_place(k): v for k, v in raw.items()}
