"""Reads a project file: YAML round-trip parse, validation, and every problem located as FILE:LINE:COL."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from ..errors import ProjectFileError
from .checks import cross_check
from .locate import dotted, fields_at, position, suggest
from .models import Project

MAX_PROJECT_BYTES = 20 * 1024 * 1024


class _TolerantConstructor(RoundTripConstructor):
    """Keeps an impossible date such as 2026-02-30 as text, so validation can locate it instead of crashing."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_TolerantConstructor.add_constructor("tag:yaml.org,2002:timestamp", _TolerantConstructor.construct_yaml_timestamp)


def make_yaml(sequence_indent: int = 4, offset: int = 2) -> YAML:
    """A round-trip YAML that keeps comments, quotes and key order and never re-wraps long lines.

    Mappings are indented by 2; sequences as the file does (`sequence_indent`, dash `offset`).
    """
    yaml = YAML(typ="rt")
    yaml.Constructor = _TolerantConstructor
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=max(sequence_indent, offset + 2), offset=offset)
    return yaml


@dataclass
class ProjectFile:
    """A loaded project: its path, the round-trip document (for saving back) and the validated model."""

    path: Path
    doc: Any
    project: Project
    text: str
    indent: tuple[int, int] = (4, 2)

    @property
    def folder(self) -> Path:
        """The folder that relative evidence paths start from."""
        return self.path.parent


def _format(path: Path, doc: Any, loc: tuple[Any, ...], message: str, *, key: bool = False) -> str:
    line, col = position(doc, loc, key=key)
    return f"{path}:{line}:{col}: {dotted(loc)}: {message}"


def _pydantic_problems(path: Path, doc: Any, err: ValidationError) -> list[str]:
    out = []
    for e in err.errors(include_url=False):
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden":
            name = str(loc[-1])
            msg = f"unknown key {name!r}" + suggest(name, fields_at(Project, loc[:-1]))
            out.append(_format(path, doc, loc, msg, key=True))
        elif e["type"] == "missing":
            out.append(_format(path, doc, loc, "required key is missing"))
        else:
            msg = e["msg"]
            if e["type"].startswith("date") and isinstance(e.get("input"), str):
                msg = f"{e['input']!r} is not a valid date (YYYY-MM-DD): {msg.split(', ', 1)[-1]}"
            out.append(_format(path, doc, loc, msg))
    return out


def parse_text(path: Path, text: str) -> tuple[Any, tuple[int, int]]:
    """The round-trip document of `text`, or a ProjectFileError located at the YAML syntax error."""
    try:
        _, indent, bsi = load_yaml_guess_indent(io.StringIO(text))
        indent, bsi = indent or 4, bsi if bsi is not None else 2
    except (YAMLError, ValueError):  # the real parse below reports the problem with its location
        indent, bsi = 4, 2
    try:
        doc = make_yaml(indent, bsi).load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ProjectFileError(path, [f"{where}: YAML syntax error: {e.problem or e.context}"]) from None
    except YAMLError as e:
        raise ProjectFileError(path, [f"{path}: YAML error: {e}"]) from None
    return doc, (indent, bsi)


def validate_doc(path: Path, doc: Any) -> Project:
    """The validated Project for a parsed document, or a ProjectFileError listing every located problem."""
    if not isinstance(doc, dict):
        raise ProjectFileError(path, [f"{path}:1:1: (top): a project file is a YAML mapping (see `kitgen init`)"])
    try:
        project = Project.model_validate(_plain(doc))
    except ValidationError as err:
        raise ProjectFileError(path, _pydantic_problems(path, doc, err)) from None
    problems = [_format(path, doc, loc, msg) for loc, msg in cross_check(project)]
    if problems:
        raise ProjectFileError(path, problems)
    return project


def _plain(node: Any) -> Any:
    """ruamel containers -> plain dicts and lists; a non-string key (e.g. `6.1:` read as a float) becomes text."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def load_project(path: Path | str) -> ProjectFile:
    """Load and validate a project file; raises ProjectFileError with every problem located."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_PROJECT_BYTES:
            raise ProjectFileError(path, [f"{path}: larger than {MAX_PROJECT_BYTES // 2**20} MB; is this a project file?"])
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectFileError(path, [f"{path}: no such file; create one with `kitgen init`"]) from None
    except IsADirectoryError:
        raise ProjectFileError(path, [f"{path}: is a folder; give the project's .yaml file"]) from None
    except UnicodeDecodeError:
        raise ProjectFileError(path, [f"{path}: not UTF-8 text; save the project file as UTF-8"]) from None
    except OSError as e:
        raise ProjectFileError(path, [f"{path}: cannot read: {e.strerror}"]) from None
    doc, indent = parse_text(path, text)
    project = validate_doc(path, doc)
    return ProjectFile(path=path, doc=doc, project=project, text=text, indent=indent)
