"""`--format json`: one versioned document per command (its JSON Schema ships in kitgen/data/schemas/), errors as
objects of their fields (kitgen.cli.problems), people and processes by id plus display name."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Bumped when a field is removed or changes meaning; new fields keep the version (scripts ignore what they don't know).
SCHEMA_VERSION = 1
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "schemas"
META_KEY = "kitgen.json"  # ctx.meta key: the running command prints JSON (errors too)


def schema_path(command: str) -> Path:
    """The shipped JSON Schema of `command`'s output (`templates list` → templates-list.schema.json)."""
    return SCHEMAS / f"{command.replace(' ', '-')}.schema.json"


def document(command: str, payload: dict[str, Any]) -> str:
    """The command's JSON: the schema version and the command's name first, then its payload."""
    return json.dumps({"schema_version": SCHEMA_VERSION, "command": command, **payload}, indent=2,
                      ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    """What json cannot write itself: dates as ISO text, paths as text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def person(project: Any, person_id: str) -> dict[str, str]:
    """A person by id plus display name (the id itself when the project names no such person)."""
    found = project.person(person_id)
    return {"id": person_id, "name": found.name if found else person_id}


def summary_dict(summary: Any, project: Any) -> dict[str, Any]:
    """`kitgen validate`'s summary: processes and owners by id plus display name."""
    return {
        "organisation": summary.organisation, "headcount": summary.headcount, "sites": summary.sites,
        "framework": summary.framework,
        "processes": [{"id": p.slug, "name": p.title, "clause": p.clause,
                       "owner": person(project, p.owner) if p.owner else None,
                       "documents": p.documents, "records": p.records} for p in summary.processes],
        "missing_processes": summary.missing_processes,
        "audits": [{"id": a.id, "kind": a.kind, "start": a.start}
                   for a in sorted(project.audits, key=lambda a: a.start)],
        "open_findings": dict(sorted(summary.open_findings.items())),
    }
