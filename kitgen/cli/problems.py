"""How errors and problems are shown: each problem one line in the run's language, or one JSON object of its fields —
read from the problem's data, never parsed back out of its words."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import KitgenError, Problem
from . import i18n


def _language_of(err: KitgenError) -> None:
    i18n.error_language(getattr(err, "language", None))


def line(problem: Problem) -> str:
    """One problem as the terminal shows it: where, what, what to do."""
    return problem.render(i18n.catalog(), i18n.show)


def error_lines(err: KitgenError) -> list[str]:
    """Every problem of an error, one line each, in the run's language (or the project file's, see i18n)."""
    _language_of(err)
    return [line(p) for p in err.problems] or [str(err)]


def objects(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """Problems as JSON objects `{file, line, column, path, code, value, expected, message}`."""
    return [p.as_dict(i18n.catalog(), i18n.show) for p in problems]


def error_objects(err: KitgenError) -> list[dict[str, Any]]:
    """Every problem of an error as a JSON object."""
    _language_of(err)
    return objects(err.problems)
