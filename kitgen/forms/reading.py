"""What reading a filled form back yields: plain values keyed by stable ids, ready for the three-way merge."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ReadbackError


@dataclass
class NewRow:
    """A row people added (no known id): a new finding or action."""

    where: str
    fields: dict[str, Any]
    audit: str | None = None      # new finding: the round it belongs to
    finding: str | None = None    # new action: the finding it answers
    id: str | None = None         # an id the person typed, kept when it is free


@dataclass
class Reading:
    """One filled form, read: the base it was generated from and what it holds now."""

    path: Path
    form: str
    audit: str | None
    base: dict[str, Any]
    findings: dict[str, dict[str, Any]] = field(default_factory=dict)
    actions: dict[str, dict[str, Any]] = field(default_factory=dict)
    new_findings: list[NewRow] = field(default_factory=list)
    new_actions: list[NewRow] = field(default_factory=list)
    follow_up: dict[str, str] = field(default_factory=dict)
    audit_fields: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def load_base(path: Path, payload: str | None) -> dict[str, Any]:
    """The base snapshot embedded at generation, or ReadbackError saying to rebuild the file."""
    if not payload:
        raise ReadbackError(f"{path}: its generation snapshot is missing; rebuild it with kitgen build")
    try:
        base = json.loads(payload)
    except json.JSONDecodeError:
        base = None
    if not isinstance(base, dict):
        raise ReadbackError(f"{path}: its generation snapshot is damaged; rebuild it with kitgen build")
    return base
