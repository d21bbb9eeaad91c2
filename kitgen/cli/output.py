"""Where the CLI's text goes: results on stdout, warnings on stderr, and a closed pipe ends the run quietly."""
from __future__ import annotations

import os
import sys
from typing import NoReturn

from rich.console import Console

from .exitcodes import DONE

PIPED_WIDTH = 160  # columns when stdout is not a terminal: a table is not squeezed for a program reading it


class _Console(Console):
    """rich's console, but a reader that stopped reading (`| head -1`) ends the run with 0, not rich's 1."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        closed_pipe()


def console(*, err: bool = False) -> Console:
    """A console on stdout (or stderr) that never reads values as markup or emoji."""
    stream = sys.stderr if err else sys.stdout
    return _Console(file=stream, highlight=False, markup=False, emoji=False,
                    width=None if stream.isatty() else PIPED_WIDTH)


def closed_pipe() -> NoReturn:
    """The output's reader has gone: point stdout at /dev/null (so that the flush at exit cannot fail) and end 0."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test's captured stdout): nothing to redirect
        pass
    raise SystemExit(DONE)
