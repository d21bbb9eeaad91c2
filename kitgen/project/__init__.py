"""The project file: models, located loading, comment-preserving saving, JSON Schema and starter files."""
from __future__ import annotations

from typing import Any

from .load import ProjectFile, load_project
from .models import Project

__all__ = ["Project", "ProjectFile", "load_project", "save_project"]


def __getattr__(name: str) -> Any:
    """save_project, imported on first use: the saver (comment-preserving edits and patches) is for the commands that
    write the project, not for every command that reads it."""
    if name == "save_project":
        from .save import save_project

        return save_project
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
