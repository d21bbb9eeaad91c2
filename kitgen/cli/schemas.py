"""The JSON Schemas of `--format json`, one per command, as data; `python -m kitgen.cli.schemas` writes them into
kitgen/data/schemas/ (shipped in the package; a test checks the files are these)."""
from __future__ import annotations

import json
from typing import Any

from ..jobs.harvest import NOTE_LISTS
from .jsonout import SCHEMA_VERSION, schema_path

STR, INT, BOOL, NUM = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
NULLABLE_STR, NULLABLE_INT = {"type": ["string", "null"]}, {"type": ["integer", "null"]}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
STRINGS = {"type": "array", "items": STR}
ERROR = {"type": "object", "required": ["file", "line", "column", "path", "code", "value", "expected", "message"],
         "additionalProperties": False,
         "properties": {"file": NULLABLE_STR, "line": NULLABLE_INT, "column": NULLABLE_INT, "path": NULLABLE_STR,
                        "code": STR, "value": NULLABLE_STR, "expected": NULLABLE_STR, "message": STR}}
ERRORS = {"type": "array", "items": ERROR}
# a note (harvest's): an error's fields, the list it is in and the id of the entry it is about
NOTE = {**ERROR, "required": [*ERROR["required"], "list", "entry"],
        "properties": {**ERROR["properties"], "list": {"enum": list(NOTE_LISTS)}, "entry": NULLABLE_STR}}
PERSON = {"type": "object", "required": ["id", "name"], "properties": {"id": STR, "name": STR}}


def obj(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """An object with these required properties (and these optional ones); other properties allowed (new fields)."""
    return {"type": "object", "required": list(required), "properties": {**required, **optional}}


def _array(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


PAYLOADS: dict[str, dict[str, Any]] = {
    "init": obj({"written": STR, "evidence_files": INT}),
    "validate": obj({"file": STR, "valid": {"const": True}, "warnings": STRINGS, "summary": obj({
        "organisation": STR, "headcount": INT, "sites": INT, "framework": STR,
        "processes": _array(obj({"id": STR, "name": STR, "clause": STR, "owner": {"anyOf": [PERSON, {"type": "null"}]},
                                 "documents": INT, "records": INT})),
        "missing_processes": STRINGS, "audits": _array(obj({"id": STR, "kind": STR, "start": DATE})),
        "open_findings": {"type": "object", "additionalProperties": INT}})}),
    "scan": obj({"added": _array({"type": "object"}), "missing": STRINGS, "stray": STRINGS, "skipped": STRINGS,
                 "known": INT, "written": BOOL, "backup": NULLABLE_STR}),
    "build": obj({"written": STRINGS, "pdfs": STRINGS, "backups": STRINGS, "warnings": STRINGS}),
    "templates list": obj({"templates": _array(obj({"form": STR, "lang": {"enum": ["fr", "en"]}, "path": STR}))}),
    "templates check": obj({"checked": STRINGS, "problems": ERRORS}),
    "harvest": obj({"files": STRINGS,
                    "changes": _array(obj({"file": STR, "target": STR, "place": STRINGS, "field": STR})),
                    "conflicts": _array(obj({"file": STR, "target": STR, "base": STR, "form": STR, "project": STR,
                                             "kept": {"enum": ["project", "form"]}, "other": STR, "place": STRINGS,
                                             "field": STR})),
                    "errors": ERRORS, **{name: STRINGS for name in NOTE_LISTS}, "notes": _array(NOTE),
                    "written": BOOL}, backup=NULLABLE_STR),
    "findings": obj({"findings": _array(obj({
        "id": STR, "audit": STR, "clause": STR, "clause_title": STR, "process": STR, "process_name": STR,
        "grade": STR, "statement": STR, "status": STR, "owner": STR, "owners": _array(PERSON),
        "due": NULLABLE_DATE, "days_overdue": INT, "verified_by": STR, "overdue": BOOL, "recurring": BOOL,
        "actions": STRINGS}))}),
    "coverage": obj({"as_of": DATE, "audits": _array(obj({"id": STR, "kind": STR, "start": DATE})),
                     "clauses": _array(obj({"clause": STR, "title": STR, "audits": {"type": "object"},
                                            "internal_gap": BOOL, "cycle_gap": BOOL}))}),
    "readiness": obj({"ready": BOOL, "as_of": DATE, "step": STR, "verdict": STR,
                      "checks": _array(obj({"id": STR, "status": {"enum": ["pass", "warn", "fail"]}, "message": STR,
                                            "todo": STR}))}),
    "calendar": obj({"written": STR, "events": INT}),
    "package": obj({"written": STR}),
    "feedback": obj({"report": STR, "files": INT, "forms": INT, "set_aside": INT, "questions": {"type": "object"},
                     "problems": _array(obj({"file": STR, "problem": STR, "code": STR, "set_aside": BOOL}))}),
}
COMMANDS = tuple(PAYLOADS)


def schema(command: str) -> dict[str, Any]:
    """`command`'s output: its payload, or (when it failed) its errors, after the version and the command's name."""
    head = {"schema_version": {"const": SCHEMA_VERSION}, "command": {"const": command}}
    failure = {"type": "object", "required": ["schema_version", "command", "ok", "errors"],
               "properties": {**head, "ok": {"const": False}, "errors": ERRORS}}
    payload = dict(PAYLOADS[command])
    payload["required"] = ["schema_version", "command", *payload["required"]]
    payload["properties"] = {**head, **payload["properties"]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://kitgen.invalid/schemas/{command.replace(' ', '-')}.schema.json",
            "title": f"kitgen {command} --format json", "anyOf": [payload, failure]}


def schema_text(command: str) -> str:
    return json.dumps(schema(command), indent=2, ensure_ascii=False) + "\n"


def write_schemas() -> None:
    """Write every command's schema into kitgen/data/schemas/."""
    for command in COMMANDS:
        path = schema_path(command)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schema_text(command), encoding="utf-8")


if __name__ == "__main__":
    write_schemas()
