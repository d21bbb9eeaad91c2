"""One exception tree: every error a user can cause is a KitgenError with a one-line message and its data."""
from __future__ import annotations

from pathlib import Path


class KitgenError(Exception):
    """Raised for any problem the user can fix; the CLI prints it as `Error: …` and exits 1."""

    exit_code = 1

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        # errors travel back from the rendering worker process: rebuild them from their own fields
        return type(self), getattr(self, "_fields", self.args)


class ProjectFileError(KitgenError):
    """Raised when a project file cannot be read, parsed, validated or written; carries every located problem."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        self._fields = (path, problems)
        super().__init__("\n".join(problems))


class UnsafeFileError(KitgenError):
    """Raised when a docx/xlsx is not a sane OOXML package (zip bomb, macros, encryption, wrong type, damage)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        self._fields = (path, reason)
        super().__init__(f"{path}: {reason}")


class TemplateError(KitgenError):
    """Raised when a template is missing, malformed, hostile, too costly or refers to an unknown variable."""

    def __init__(self, message: str, template: str = "") -> None:
        self.template = template
        self.message = message
        self._fields: tuple[object, ...] = (message, template)
        super().__init__(f"{template}: {message}" if template else message)


class UndefinedField(TemplateError):
    """Raised while rendering when a template uses a variable or attribute the context does not have."""

    def __init__(self, field: str, template: str = "") -> None:
        self.field = field
        super().__init__(f"unknown variable {field!r}; `kitgen templates vars FORM` lists the variables", template)
        self._fields = (field, template)


class OverwriteRefused(KitgenError):
    """Raised when build would overwrite a generated file that someone edited since kitgen wrote it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fields = (path,)
        super().__init__(
            f"{path}: edited since kitgen wrote it; harvest it first, or rebuild with --force (a backup is kept)"
        )


class ReadbackError(KitgenError):
    """Raised when a filled form cannot be read back (not kitgen's, another project, unreadable value)."""


class ExternalToolError(KitgenError):
    """Raised when an external program kitgen relies on (LibreOffice) is missing or fails."""
