"""Path arguments: a folder where a file is expected (or a file where a folder is) is the user's to fix — exit 1 with
one `Error:` line, as a missing file is — not a usage error."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import N_, KitgenError


class WrongKindOfPath(KitgenError):
    """Raised when the path given is a folder where a file is expected, or a file where a folder is."""


class _KindPath(click.ParamType):
    """A path that must not be an existing folder (`file=True`) or an existing file (`file=False`)."""

    def __init__(self, *, file: bool) -> None:
        self.file = file
        self.name = "file" if file else "folder"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        if self.file and path.is_dir():
            raise WrongKindOfPath(N_("is a folder"), path, hint=N_("give a file's name"), code="is-a-folder")
        if not self.file and path.exists() and not path.is_dir():
            raise WrongKindOfPath(N_("is a file"), path, hint=N_("give a folder"), code="is-a-file")
        return path


FILE = _KindPath(file=True)
FOLDER = _KindPath(file=False)
