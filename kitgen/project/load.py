"""Reads a project file: YAML round-trip parse, validation, and every problem located as FILE:LINE:COL."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import N_, Problem, ProjectFileError, problem
from .bounds import check_aliases, check_text, unstorable_values
from .checks import cross_check
from .fastparse import fast_yaml, plain_data
from .locate import closest, dotted, fields_at, position
from .models import Project

MAX_PROJECT_BYTES = 20 * 1024 * 1024   # the samples' project files are some 30 KB: this much is something else
# ruamel.yaml folds lines longer than this: wider than any line, so that a value is never re-wrapped
YAML_WIDTH = 4096
# how a file with no block sequence yet lists items: dashes two spaces in under their key, the items two further
SEQUENCE_INDENT, DASH_OFFSET = 4, 2
# keys that moved since an earlier kitgen: (list holding the mapping, key) -> where they belong now
MOVED = {("actions", "root_cause"): N_("the root cause belongs to the finding (§10.1): move it up to the finding's "
                                       "root_cause")}
DID_YOU_MEAN = N_("did you mean {expected!r}?")
UNSTORABLE = N_("a character Word and Excel cannot store ({value})")
# pydantic's error types -> our message and code; `expected` comes from pydantic's context where it says it
PYDANTIC_MESSAGES = {
    "literal_error": (N_("{value!r} is not one of {expected}"), "not-allowed"),
    "enum": (N_("{value!r} is not one of {expected}"), "not-allowed"),
    "int_parsing": (N_("{value!r} is not a whole number"), "not-a-number"),
    "int_type": (N_("{value!r} is not a whole number"), "not-a-number"),
    "int_from_float": (N_("{value!r} is not a whole number"), "not-a-number"),
    "float_parsing": (N_("{value!r} is not a number"), "not-a-number"),
    "float_type": (N_("{value!r} is not a number"), "not-a-number"),
    "bool_parsing": (N_("{value!r} is not true or false"), "not-a-boolean"),
    "bool_type": (N_("{value!r} is not true or false"), "not-a-boolean"),
    "string_type": (N_("{value!r} is not text"), "not-text"),
    "list_type": (N_("a list is expected here"), "not-a-list"),
    "dict_type": (N_("a mapping (key: value) is expected here"), "not-a-mapping"),
    "model_type": (N_("a mapping (key: value) is expected here"), "not-a-mapping"),
    "model_attributes_type": (N_("a mapping (key: value) is expected here"), "not-a-mapping"),
    "greater_than_equal": (N_("{value!r} is less than {expected}"), "too-small"),
    "greater_than": (N_("{value!r} is not more than {expected}"), "too-small"),
    "less_than_equal": (N_("{value!r} is more than {expected}"), "too-large"),
    "less_than": (N_("{value!r} is not less than {expected}"), "too-large"),
    "string_too_long": (N_("text longer than {expected} characters"), "too-long"),
    "string_too_short": (N_("text shorter than {expected} characters"), "too-short"),
    "too_long": (N_("more than {expected} items"), "too-long"),
    "string_pattern_mismatch": (N_("{value!r} does not have the expected form {expected}"), "wrong-form"),
}
_EXPECTED_KEYS = ("expected", "ge", "gt", "le", "lt", "max_length", "min_length", "pattern")


class _TolerantConstructor(RoundTripConstructor):
    """Keeps an impossible date such as 2026-02-30 as text, so validation can locate it instead of crashing."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return self.construct_scalar(node)


_TolerantConstructor.add_constructor("tag:yaml.org,2002:timestamp", _TolerantConstructor.construct_yaml_timestamp)


def make_yaml(sequence_indent: int = SEQUENCE_INDENT, offset: int = DASH_OFFSET) -> YAML:
    """A round-trip YAML that keeps comments, quotes and key order and never re-wraps long lines.

    Mappings are indented by 2; sequences as the file does (`sequence_indent`, dash `offset`).
    """
    yaml = YAML(typ="rt")
    yaml.Constructor = _TolerantConstructor
    yaml.preserve_quotes = True
    yaml.width = YAML_WIDTH
    yaml.indent(mapping=2, sequence=max(sequence_indent, offset + 2), offset=offset)
    return yaml


class ProjectFile:
    """A loaded project: its path and text, the validated model, the plain data, and the round-trip document.

    The round-trip document (comments, quotes, layout: what a round-trip save needs) is parsed only when first
    asked for, as it costs several times the fast parse that validation uses. `nodes` is the fast parse's node
    tree, with every value's place in `text`: saving edits the text in place from it. `raw` is the file's bytes as
    loaded (saving checks the file still holds them); `newline`, `bom` and `final_newline` are how it was written,
    kept on save.
    """

    def __init__(self, path: Path, text: str, project: Project, data: Any, doc: Any = None, *,
                 raw: bytes | None = None, nodes: Any = None) -> None:
        self.path, self.text, self.project, self.data = path, text, project, data
        self._doc, self._nodes = doc, nodes
        self.indent = guess_indent(text)
        self.raw = raw if raw is not None else text.encode("utf-8")
        self.bom = self.raw.startswith(b"\xef\xbb\xbf")
        self.newline = "\r\n" if b"\r\n" in self.raw else "\n"
        self.final_newline = self.raw.endswith(b"\n") or not self.raw

    @property
    def doc(self) -> Any:
        """The ruamel round-trip document of the file (edit it, then save_project)."""
        if self._doc is None:
            self._doc, _ = parse_text(self.path, self.text)
        return self._doc

    @doc.setter
    def doc(self, value: Any) -> None:
        self._doc = value

    @property
    def nodes(self) -> Any:
        """The C parser's node tree of `text` (each node knows where it starts and ends in the text)."""
        if self._nodes is None:
            self._nodes = fast_yaml().compose(self.text)
        return self._nodes

    def replaced(self, text: str, raw: bytes, project: Project, data: Any, nodes: Any = None) -> None:
        """After a save: the file now holds `text` (`raw` on disk), meaning `data`, validated as `project` (`nodes`:
        the fast parse's node tree of `text`, when the save made one)."""
        self.text, self.raw, self.project, self.data = text, raw, project, data
        self._doc, self._nodes = None, nodes  # the old ones described the old text; parsed again if ever needed

    def working_copy(self) -> ProjectFile:
        """A copy to edit and save through, leaving this one as loaded: its own data (and round-trip document, parsed
        again from the text when asked for); the text, node tree and validated model are shared, never changed in
        place."""
        import copy

        work = copy.copy(self)
        work.data = copy.deepcopy(self.data)
        work._doc = work.data if self.data is self._doc else None
        return work

    def editable_data(self) -> Any:
        """Plain data to edit and replay on the document later: the fast-parsed data, or a copy of the document."""
        import copy

        return copy.deepcopy(self.data) if self.data is self._doc else self.data

    @property
    def folder(self) -> Path:
        """The folder that relative evidence paths start from."""
        return self.path.parent


def guess_indent(text: str) -> tuple[int, int]:
    """(sequence indent, dash offset) the file uses, from its first block sequence: `  - x` under `key:` -> (4, 2)."""
    previous: str | None = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("- ") and previous is not None and previous.rstrip().endswith(":"):
            offset = (len(line) - len(stripped)) - (len(previous) - len(previous.lstrip(" ")))
            if offset >= 0:
                return offset + 2, offset
        previous = line
    return SEQUENCE_INDENT, DASH_OFFSET


def _located(path: Path, doc: Any, loc: tuple[Any, ...], message: str, *, key: bool = False, **fields: Any
             ) -> Problem:
    """A problem at `loc` in the document: its line, column and dotted path are fields, not words."""
    line, col = position(doc, loc, key=key)
    return problem(message, path, line=line, column=col, place=dotted(loc), **fields)


def _pydantic_problem(path: Path, doc: Any, loc: tuple[Any, ...], e: Any) -> Problem:
    """A pydantic error other than an unknown or missing key, in our words (pydantic's own are English only)."""
    value = e.get("input")
    if e["type"].startswith("date") and isinstance(value, str):
        return _located(path, doc, loc, N_("{value!r} is not a valid date"), value=value, expected="YYYY-MM-DD",
                        hint=N_("write it as {expected}"), code="not-a-date")
    if e["type"].startswith("date"):
        return _located(path, doc, loc, N_("a date is expected here"), expected="YYYY-MM-DD",
                        hint=N_("write it as {expected}"), code="not-a-date")
    ctx = e.get("ctx") or {}
    expected = next((str(ctx[k]) for k in _EXPECTED_KEYS if k in ctx), None)
    if expected and e["type"] in ("literal_error", "enum"):  # pydantic joins the choices "'a', 'b' or 'c'"
        expected = expected.replace(" or ", ", ")
    if e["type"] in PYDANTIC_MESSAGES:
        message, code = PYDANTIC_MESSAGES[e["type"]]
        return _located(path, doc, loc, message, value=_short(value), expected=expected, code=code)
    # a type kitgen's models do not produce today: pydantic's own words, untranslated but located
    return _located(path, doc, loc, N_("invalid value: {detail}"), detail=e["msg"], value=_short(value), code=e["type"])


def _short(value: Any) -> Any:
    """A typed value as messages quote it: scalars as they are, a whole list or mapping not at all."""
    return value if isinstance(value, (str, int, float, bool)) or value is None else None


def _pydantic_problems(path: Path, doc: Any, err: ValidationError) -> list[Problem]:
    out = []
    errors = err.errors(include_url=False)
    suggested = set()  # (mapping, key) a misspelled key's "did you mean" names: its "missing" would say it twice
    for e in errors:
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden" and not MOVED.get((str(loc[-3]) if len(loc) > 2 else "", str(loc[-1]))):
            suggested.add((loc[:-1], closest(str(loc[-1]), fields_at(Project, loc[:-1]))))
    for e in errors:
        loc = tuple(e["loc"])
        if e["type"] == "extra_forbidden":
            name = str(loc[-1])
            hint = MOVED.get((str(loc[-3]) if len(loc) > 2 else "", name))
            known = closest(name, fields_at(Project, loc[:-1]))
            out.append(_located(path, doc, loc, N_("unknown key {value!r}"), key=True, value=name, expected=known,
                                hint=hint or (DID_YOU_MEAN if known else None), code="unknown-key"))
        elif e["type"] == "missing":
            if (loc[:-1], loc[-1]) not in suggested:
                out.append(_located(path, doc, loc, N_("required key is missing"), code="missing-key"))
        else:
            out.append(_pydantic_problem(path, doc, loc, e))
    return out


def parse_text(path: Path, text: str) -> tuple[Any, tuple[int, int]]:
    """The round-trip document of `text`, or a ProjectFileError located at the YAML syntax error."""
    indent, bsi = guess_indent(text)
    try:
        doc = make_yaml(indent, bsi).load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise ProjectFileError(path, message=N_("YAML syntax error: {detail}"), detail=e.problem or e.context,
                               line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
                               code="yaml-syntax") from None
    except YAMLError as e:
        raise ProjectFileError(path, message=N_("YAML error: {detail}"), detail=str(e), code="yaml-syntax") from None
    except RecursionError:
        raise ProjectFileError(path, message=N_("nested too deep"), hint=N_("is this a project file?"),
                               code="too-deep") from None
    return doc, (indent, bsi)


def _in_its_language(doc: Any, err: ProjectFileError) -> ProjectFileError:
    """The error, told the language the file says it is written in (its errors are shown in that language)."""
    said = doc.get("language") if isinstance(doc, dict) else None
    err.language = said if isinstance(said, str) else None
    return err


def validate_doc(path: Path, doc: Any) -> Project:
    """The validated Project for a parsed document, or a ProjectFileError listing every located problem."""
    try:
        return _validate_doc(path, doc)
    except ProjectFileError as err:
        raise _in_its_language(doc, err) from None


def _validate_doc(path: Path, doc: Any) -> Project:
    if not isinstance(doc, dict):
        raise ProjectFileError(path, message=N_("a project file is a YAML mapping"), line=1, column=1, place="(top)",
                               hint=N_("see `kitgen init`"), code="not-a-mapping")
    bad = unstorable_values(doc)
    if bad:
        raise ProjectFileError(path, [_located(path, doc, loc, UNSTORABLE, value=code, hint=N_("remove it"),
                                               code="unstorable") for loc, code in bad])
    try:
        project = Project.model_validate(_plain(doc))
    except ValidationError as err:
        raise ProjectFileError(path, _pydantic_problems(path, doc, err)) from None
    problems = [_located(path, doc, loc, msg, **fields) for loc, msg, fields in cross_check(project)]
    if problems:
        raise ProjectFileError(path, problems)
    return project


def validate_edit(path: Path, data: Any, previous: Project, ops: list[tuple[Any, ...]]) -> Project:
    """The validated Project for `data`, edited by `ops` (a DataEditor's log) from the data `previous` validates:
    only the top-level parts the edits touched are validated again (a harvest touches the audits, not thousands of
    records), then the cross-checks run whole; problems as validate_doc's."""
    try:
        return _validate_edit(path, data, previous, ops)
    except ProjectFileError as err:
        raise _in_its_language(data, err) from None


def _validate_edit(path: Path, data: Any, previous: Project, ops: list[tuple[Any, ...]]) -> Project:
    touched = {(*path_, key)[0] for _, path_, key, _ in ops}
    if not touched:
        return previous
    if not isinstance(data, dict) or not all(isinstance(k, str) and k in Project.model_fields and k in data
                                             for k in touched):
        return validate_doc(path, data)  # a top-level key removed, or one no project has: the whole check
    part = {k: data[k] for k in touched}
    bad = unstorable_values(part)
    if bad:
        raise ProjectFileError(path, [_located(path, data, loc, UNSTORABLE, value=code, hint=N_("remove it"),
                                               code="unstorable") for loc, code in bad])
    project = previous.model_copy()
    problems: list[Problem] = []
    for key in sorted(touched):
        try:
            setattr(project, key, _plain(data[key]))  # validated on assignment (models validate_assignment)
        except ValidationError as err:
            problems += _pydantic_problems(path, data, err)
    if problems:
        raise ProjectFileError(path, problems)
    problems = [_located(path, data, loc, msg, **fields) for loc, msg, fields in cross_check(project)]
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


def decode(path: Path, raw: bytes) -> str:
    """The project file's text: UTF-8 (with or without BOM), line ends as LF, bounded before any parsing."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProjectFileError(path, message=N_("not UTF-8 text"), hint=N_("save the project file as UTF-8"),
                               code="not-utf8") from None
    text = text.replace("\r\n", "\n")
    check_text(path, text)
    check_aliases(path, text)
    return text


def load_project(path: Path | str) -> ProjectFile:
    """Load and validate a project file; raises ProjectFileError with every problem located."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_PROJECT_BYTES:
            raise ProjectFileError(path, message=N_("larger than {expected} MB"), expected=MAX_PROJECT_BYTES // 2**20,
                                   hint=N_("is this a project file?"), code="too-large")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProjectFileError(path, message=N_("no such file"), hint=N_("create one with `kitgen init`"),
                               code="not-found") from None
    except IsADirectoryError:
        raise ProjectFileError(path, message=N_("is a folder"), hint=N_("give the project's .yaml file"),
                               code="is-a-folder") from None
    except OSError as e:
        raise ProjectFileError(path, message=N_("cannot read: {detail}"), detail=e.strerror,
                               code="unreadable") from None
    text = decode(path, raw)
    fast = fast_validate(text)
    if fast is not None:
        project, data, nodes = fast
        return ProjectFile(path, text, project, data, raw=raw, nodes=nodes)
    try:
        doc, _ = parse_text(path, text)  # the slow parse knows where every value is: it locates the problems
    except ProjectFileError as err:  # no document to ask: the text may still say the language of its errors
        said = _LANGUAGE_LINE.search(text)
        err.language = said[1] if said else None
        raise
    project = validate_doc(path, doc)
    return ProjectFile(path, text, project, doc, doc, raw=raw)


_LANGUAGE_LINE = re.compile(r"""^language:[ \t]*["']?(fr|en)\b""", re.M)


def fast_validate(text: str) -> tuple[Project, Any, Any] | None:
    """(project, plain data, node tree) when the file parses with the C parser and is valid; None sends it the
    slow way. The nodes are what `load` builds anyway: kept, they place every value in the text for saving."""
    try:
        yaml = fast_yaml()
        nodes = yaml.compose(text)
        data = plain_data(nodes, yaml)
        # escapes ("\\v") are the only way to a character the text itself does not hold (check_text saw those)
        if not isinstance(data, dict) or ("\\" in text and unstorable_values(data)):
            return None
        project = Project.model_validate(_plain(data))
    except Exception:  # noqa: BLE001 — any doubt: the round-trip parse below reports it precisely
        return None
    return None if cross_check(project) else (project, data, nodes)
