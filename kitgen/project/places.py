"""Where each audit, finding, action and review lives in the project data, and how values found in forms compare.

A *place* names something a form can change, independently of where it sits in the YAML:
`("finding", "F1")`, `("action", "CA-3")`, `("audit", "A1")`, `("review", "2026-08-20")`, and two kinds of slots
that exist once a form fills them: `("follow-up", FINDING, AUDIT)` and `("coverage", AUDIT, CLAUSE)`.
Fields are the project's keys, nested ones dotted (`effectiveness.date`).
"""
from __future__ import annotations

from datetime import date
from typing import Any

Place = tuple[str, ...]
Path_ = tuple[Any, ...]

# Fields that belong together: a form's values for them are taken whole or reported whole as a conflict.
GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "action": (("status", "closed"), ("effectiveness.date", "effectiveness.by", "effectiveness.result")),
    "follow-up": (("verdict", "note"),),
    "coverage": (("verdict", "evidence"),),
}
DATE_FIELDS = frozenset({"due", "closed", "opened", "raised", "effectiveness.date", "date", "plan_accepted", "issued"})


def place_key(place: Place) -> str:
    """('finding', 'F1') -> 'finding/F1' (ids never hold a slash): how places are stored in JSON."""
    return "/".join(place)


def parse_place(key: str) -> Place:
    """The inverse of place_key."""
    return tuple(key.split("/"))


def norm(value: Any) -> str:
    """Comparable text of a value: dates in ISO form, None as '', text stripped, numbers without a useless '.0'."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(norm(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def groups(kind: str, fields: list[str]) -> list[tuple[str, ...]]:
    """`fields` cut into the groups that are merged together (a field outside any group is a group of one)."""
    out: list[tuple[str, ...]] = []
    seen: set[str] = set()
    for group in GROUPS.get(kind, ()):
        present = tuple(f for f in group if f in fields)
        if present:
            out.append(present)
            seen.update(present)
    out += [(f,) for f in fields if f not in seen]
    return out


class ProjectIndex:
    """Paths (for editing) of every audit, finding, action and review in plain project data."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.paths: dict[Place, Path_] = {}
        for i, audit in enumerate(data.get("audits") or []):
            self.paths[("audit", str(audit.get("id")))] = ("audits", i)
            for j, finding in enumerate(audit.get("findings") or []):
                self._finding(finding, ("audits", i, "findings", j))
        for j, finding in enumerate(data.get("findings") or []):
            self._finding(finding, ("findings", j))
        for r, review in enumerate(data.get("management_reviews") or []):
            self.paths[("review", norm(review.get("date")))] = ("management_reviews", r)
            for k, action in enumerate(review.get("actions") or []):
                self.paths[("action", str(action.get("id")))] = ("management_reviews", r, "actions", k)

    def _finding(self, finding: dict[str, Any], path: Path_) -> None:
        self.paths[("finding", str(finding.get("id")))] = path
        for k, action in enumerate(finding.get("actions") or []):
            self.paths[("action", str(action.get("id")))] = (*path, "actions", k)

    def ids(self, kind: str) -> list[str]:
        """Every id of an entity kind."""
        return [place[1] for place in self.paths if place[0] == kind]

    def node(self, path: Path_) -> Any:
        node: Any = self.data
        for part in path:
            node = node[part]
        return node

    def path(self, place: Place) -> Path_ | None:
        """Where `place` is in the data; for slots, the path of the entry once it exists."""
        if place[0] == "follow-up":
            finding = self.paths.get(("finding", place[1]))
            if finding is None:
                return None
            entries = self.node(finding).get("follow_ups") or []
            index = next((i for i, e in enumerate(entries) if str(e.get("audit")) == place[2]), None)
            return None if index is None else (*finding, "follow_ups", index)
        if place[0] == "coverage":
            audit = self.paths.get(("audit", place[1]))
            if audit is None or place[2] not in (self.node(audit).get("coverage") or {}):
                return None
            return (*audit, "coverage", place[2])
        return self.paths.get(place)

    def exists(self, place: Place) -> bool:
        """True when the entity (or, for a slot, its owner) is in the project."""
        if place[0] == "follow-up":
            return ("finding", place[1]) in self.paths and ("audit", place[2]) in self.paths
        if place[0] == "coverage":
            return ("audit", place[1]) in self.paths
        return place in self.paths

    def value(self, place: Place, field: str) -> str:
        """The normalised current value of `field` at `place` ('' when unset or when the slot is empty)."""
        path = self.path(place)
        if path is None:
            return ""
        node: Any = self.node(path)
        if place[0] == "coverage" and not isinstance(node, dict):
            node = {"verdict": node}
        for part in field.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return norm(node)
