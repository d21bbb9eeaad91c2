"""`--format json`: one versioned document per command (its JSON Schema ships in kitgen/data/schemas/), errors as
located objects `{file, line, column, path, code, message}`, people and processes by id plus display name."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import KitgenError, ProjectFileError

# Bumped when a field is removed or changes meaning; new fields keep the version (scripts ignore what they don't know).
SCHEMA_VERSION = 1
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "schemas"
META_KEY = "kitgen.json"  # ctx.meta key: the running command prints JSON (errors too)

_LOCATED = re.compile(r"^(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$", re.S)
_DOTTED = re.compile(r"^(?P<path>\(top\)|[\w\-]+(?:\[\d+\])?(?:[.\[][\w\-.\]\[]*)?): (?P<message>.*)$", re.S)
_CELL = re.compile(r"^(?P<path>[^:!]+![A-Z]{1,3}\d+): (?P<message>.*)$", re.S)
_CODES = (  # the first words of a message → a code scripts can test without parsing English
    ("unknown key", "unknown-key"), ("required key is missing", "missing-key"), ("YAML", "yaml-syntax"),
    ("no such file", "not-found"), ("is a folder", "is-a-folder"), ("is a file", "is-a-file"),
    ("not a valid date", "invalid-date"), ("not UTF-8", "not-utf8"),
)


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


def _code(message: str, fallback: str) -> str:
    return next((code for words, code in _CODES if words in message), fallback)


def located(file: str | None, text: str, fallback: str) -> dict[str, Any]:
    """One problem as an object: `text` is what follows `file:` in the one-line form (`12:3: a.b: message`,
    `Sheet!K3: message` or just a message)."""
    line = column = path = None
    rest = text
    if m := _LOCATED.match(rest):
        line, column, rest = int(m["line"]), int(m["column"]), m["rest"]
    if m := (_DOTTED.match(rest) if line is not None else _CELL.match(rest)):
        path, rest = m["path"], m["message"]
    return {"file": file, "line": line, "column": column, "path": path, "code": _code(rest, fallback),
            "message": rest}


def _split_file(text: str) -> tuple[str | None, str]:
    """`file: rest` → (file, rest); a line that names no file → (None, text)."""
    head, sep, rest = text.partition(": ")
    names_a_file = sep and ("/" in head or Path(head).suffix)  # `AUD-1: …` names a row, not a file
    return (head, rest) if names_a_file else (None, text)


def error_objects(err: KitgenError) -> list[dict[str, Any]]:
    """Every problem an error carries, as objects; the one-line text form stays for the terminal."""
    name = type(err).__name__.removesuffix("Error")
    code = re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower() if type(err) is not KitgenError else "error"
    if isinstance(err, ProjectFileError):
        prefix = f"{err.path}: "
        out = []
        for problem in err.problems:
            if problem.startswith(f"{err.path}:"):
                out.append(located(str(err.path), problem[len(str(err.path)) + 1:].removeprefix(" "), code))
            else:
                out.append(located(None, problem.removeprefix(prefix), code))
        return out
    return [text_error(line, code) for line in str(err).splitlines() if line.strip()]


def text_error(line: str, code: str) -> dict[str, Any]:
    """A one-line `file: …` problem (harvest's, a template's) as an object."""
    file, rest = _split_file(line)
    return located(file, rest, code)


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
