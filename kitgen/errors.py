"""One exception tree: every error a user can cause is a KitgenError carrying its problems as data (file, place,
value, expected, hint, code); each problem renders one line, in the run's language, only when it is shown."""
from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENGLISH = gettext.NullTranslations()  # the msgids are English: rendering without a catalog gives English


def N_(message: str) -> str:
    """Mark an English message for the catalogs (kitgen/cli/locale/*/*.po); it is translated when shown, not here."""
    return message


WITH_HINT = N_("{message}; {hint}")  # what is wrong, then what to do (French puts a space before the semicolon)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, as data. `message` (and `hint`) are English msgids with `{named}` fields taken from `value`,
    `expected` and `args`; `place` says where in the file (a YAML path `audits[0].start`, a cell `Findings!K3`, a row
    `CA-3`); `code` lets scripts tell problems apart without reading the words."""

    message: str
    file: str | None = None
    place: str | None = None
    line: int | None = None
    column: int | None = None
    value: Any = None
    expected: Any = None
    hint: str | None = None
    code: str = "error"
    args: dict[str, Any] = field(default_factory=dict)

    def fields(self, show: Callable[[Any], str] = str) -> dict[str, str]:
        """The values the message's `{named}` fields take, each written by `show` (dates and numbers by language)."""
        return {name: show(value) for name, value in
                {"file": self.file, "place": self.place, "value": self.value, "expected": self.expected,
                 **self.args}.items()}

    def text(self, catalog: gettext.NullTranslations = ENGLISH, show: Callable[[Any], str] = str) -> str:
        """The message and its hint, without the location: `'x' is not a date; type it as YYYY-MM-DD`."""
        values = self.fields(show)
        text = _filled(catalog.gettext(self.message), values)
        if not self.hint:
            return text
        return catalog.gettext(WITH_HINT).format(message=text, hint=_filled(catalog.gettext(self.hint), values))

    def where(self) -> str:
        """`file:12:3: audits[0].start`, `file: Findings!K3`, `file`, or '' — the location as people read it."""
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts[-1:] = [f"{parts[-1] if parts else ''}:{self.line}:{self.column or 1}".lstrip(":")]
        if self.place:
            parts.append(self.place)
        return ": ".join(parts)

    def render(self, catalog: gettext.NullTranslations = ENGLISH, show: Callable[[Any], str] = str) -> str:
        """One line: where, then what, then what to do."""
        where = self.where()
        text = self.text(catalog, show)
        return f"{where}: {text}" if where else text

    def as_dict(self, catalog: gettext.NullTranslations = ENGLISH, show: Callable[[Any], str] = str) -> dict[str, Any]:
        """The problem as a JSON object: every field, and the message in the catalog's language."""
        return {"file": self.file, "line": self.line, "column": self.column, "path": self.place, "code": self.code,
                "value": None if self.value is None else show(self.value),
                "expected": None if self.expected is None else show(self.expected),
                "message": self.text(catalog, show)}

    def __str__(self) -> str:
        return self.render()


def _filled(template: str, values: dict[str, str]) -> str:
    """`template` with its fields filled; one whose fields do not match (a bug) is shown as written, not lost."""
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return template


def problem(message: str, file: Path | str | None = None, **fields: Any) -> Problem:
    """A Problem from a message and keyword fields; keywords that are not Problem fields go to its `args`."""
    own = {k: fields.pop(k) for k in list(fields) if k in _PROBLEM_FIELDS}
    return Problem(message, None if file is None else str(file), args=fields, **own)


_PROBLEM_FIELDS = {"place", "line", "column", "value", "expected", "hint", "code"}


class KitgenError(Exception):
    """Raised for any problem the user can fix; the CLI prints each of its problems as one `Error: …` line and exits
    with `exit_code`. Raised either with one message and its fields, or with `problems=` already made."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str = "", file: Path | str | None = None, *, problems: Iterable[Problem] = (),
                 **fields: Any) -> None:
        made = list(problems)
        if message:
            made.insert(0, problem(message, file, **{"code": self.code, **fields}))
        self.problems: list[Problem] = made
        super().__init__("\n".join(p.render() for p in made))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def __reduce__(self) -> tuple[Any, ...]:
        # errors travel back from worker processes: rebuild them from their data, whatever their constructor takes
        return _rebuilt, (type(self), self.__dict__)


def _rebuilt(cls: type[KitgenError], state: dict[str, Any]) -> KitgenError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, "\n".join(p.render() for p in err.problems))
    return err


class ProjectFileError(KitgenError):
    """Raised when a project file cannot be read, parsed, validated or written; carries every located problem."""

    code = "project-file"

    def __init__(self, path: Path | str, problems: Iterable[Problem] = (), message: str = "", **fields: Any) -> None:
        self.path = Path(path)
        self.language: str | None = None  # the project's language when the file said it: its errors' language
        super().__init__(message, path, problems=problems, **fields)


class UnsafeFileError(KitgenError):
    """Raised when a docx/xlsx is not a sane OOXML package (zip bomb, macros, encryption, wrong type, damage)."""

    code = "unsafe-file"

    def __init__(self, path: Path | str, reason: str, **fields: Any) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(reason, path, **fields)


class TemplateError(KitgenError):
    """Raised when a template is missing, malformed, hostile, too costly or refers to an unknown variable."""

    code = "template"


class UndefinedField(TemplateError):
    """Raised while rendering when a template uses a variable or attribute the context does not have."""

    code = "unknown-variable"

    def __init__(self, field: str, template: str = "") -> None:
        self.field = field
        super().__init__(N_("unknown variable {value!r}"), template or None, value=field,
                         hint=N_("`kitgen templates vars FORM` lists the variables"))


class OverwriteRefused(KitgenError):
    """Raised when build would overwrite a generated file that someone edited since kitgen wrote it."""

    code = "edited-since-built"

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(N_("edited since kitgen wrote it"), path,
                         hint=N_("harvest it first, or rebuild with --force (a backup is kept)"))


class ReadbackError(KitgenError):
    """Raised when a filled form cannot be read back (not kitgen's, another project, unreadable value)."""

    code = "readback"


class ExternalToolError(KitgenError):
    """Raised when an external program kitgen relies on (LibreOffice) is missing or fails."""

    code = "external-tool"
