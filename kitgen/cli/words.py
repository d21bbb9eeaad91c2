"""kitgen's codes (grades, statuses) as the CLI's tables show them: short, in the run's language."""
from __future__ import annotations

from .i18n import _


def grade_word(grade: str) -> str:
    """A grade as a table shows it: short, in the run's language."""
    return {"major": _("NC maj"), "minor": _("NC min"), "concern": _("concern"), "observation": _("obs"),
            "improvement": _("OFI"), "strength": _("strength")}.get(grade, grade)


def status_word(status: str) -> str:
    """A finding's derived status, in the run's language."""
    return {"open": _("open"), "in-progress": _("in progress"), "closed": _("closed"), "noted": _("noted"),
            "n/a": "—"}.get(status, status)
