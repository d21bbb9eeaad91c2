"""Derived status of findings and actions: the rules every part of kitgen agrees on."""
from __future__ import annotations

from .models import Action, Finding

NONCONFORMITIES = ("major", "minor")
OPEN_ACTION = ("open", "in-progress")


def action_is_verified(action: Action) -> bool:
    """Verified, or done with an effectiveness check that found it effective."""
    if action.status == "verified":
        return True
    return action.status == "done" and action.effectiveness is not None and action.effectiveness.effective


def finding_status(finding: Finding) -> str:
    """open | in-progress | closed | noted (remark without actions) | n/a (strength).

    A finding stays open until its actions are done and their effectiveness verified, or a later audit closes it.
    """
    if finding.grade == "strength":
        return "n/a"
    if finding.follow_ups and finding.follow_ups[-1].verdict == "closed":
        return "closed"
    active = [a for a in finding.actions if a.status != "cancelled"]
    if not active:
        return "open" if finding.grade in NONCONFORMITIES else "noted"
    if all(action_is_verified(a) for a in active):
        return "closed"
    if any(a.status != "open" for a in active):
        return "in-progress"
    return "open"
