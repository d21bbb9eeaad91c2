"""Where the files kitgen ships live (templates, starter and example projects): inside the package, found with
importlib.resources so that a wheel installed anywhere finds them."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import N_, KitgenError


def shipped(*parts: str) -> Path:
    """The shipped data file or folder `kitgen/data/<parts…>`, as a path on disk."""
    path = Path(str(resources.files("kitgen").joinpath("data", *parts)))
    if not path.exists():
        raise KitgenError(N_("a file kitgen ships is missing"), path, hint=N_("reinstall kitgen (pip install kitgen)"),
                          code="install")
    return path
