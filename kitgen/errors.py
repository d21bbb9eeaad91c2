"""One exception tree: every error a user can cause is a KitgenError with a one-line message."""
from __future__ import annotations

from pathlib import Path


class KitgenError(Exception):
    """Raised for any problem the user can fix; the CLI prints it as `Error: …` and exits 1."""

    exit_code = 1


class ProjectFileError(KitgenError):
    """Raised when a project file cannot be read, parsed or validated; carries every located problem."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__("\n".join(problems))


class UnsafeFileError(KitgenError):
    """Raised when a docx/xlsx is not a sane OOXML package (zip bomb, macros, encryption, wrong type)."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class TemplateError(KitgenError):
    """Raised when a template is missing, malformed, hostile or refers to an unknown variable."""


class OverwriteRefused(KitgenError):
    """Raised when build would overwrite a generated file that someone edited since kitgen wrote it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path}: edited since kitgen wrote it; harvest it first, or rebuild with --force (a backup is kept)"
        )


class ReadbackError(KitgenError):
    """Raised when a filled form cannot be read back (not kitgen's, another project, unreadable value)."""


class ExternalToolError(KitgenError):
    """Raised when an external program kitgen relies on (LibreOffice) is missing or fails."""
