"""Where each audit, finding, action, review and register entry lives in the project data, and how values found in
forms compare.

A *place* names something a form can change, independently of where it sits in the YAML:
`("finding", "F1")`, `("action", "CA-3")`, `("audit", "A1")`, `("review", "2026-08-20")`, the registers' entries
(`("risk", "R-2")`, `("party", "ft-cloud")`, `("planned-audit", "PA-1")`, and documents and records under their
process: `("document", "slm", "documents/slm/sla.md")`, `("record", "sms", …)`), and two kinds of slots that exist
once a form fills them: `("follow-up", FINDING, AUDIT)` and `("coverage", AUDIT, CLAUSE)`.
Fields are the project's keys, nested ones dotted (`effectiveness.date`).

The entries forms show as rows and harvest may add are described once, in KINDS: adding a kind there (objectives,
services…) is all the generic merge and editor need.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from ..infra.text import plain
from .models import Action, Approval, Evidence, Finding, Objective, Party, PlannedAudit, Risk, Service

Place = tuple[str, ...]
Path_ = tuple[Any, ...]

# Fields that belong together: a form's values for them are taken whole or reported whole as a conflict.
GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "action": (("status", "closed"), ("effectiveness.date", "effectiveness.by", "effectiveness.result")),
    "follow-up": (("verdict", "note"),),
    "coverage": (("verdict", "evidence"),),
}
DATE_FIELDS = frozenset({"due", "closed", "opened", "raised", "effectiveness.date", "date", "plan_accepted", "issued"})
# Documents are typeset (French no-break spaces before « : ; ? ! », inside « »): a text read back compares equal to
# the one it was generated from whatever spaces stand there.
_BEFORE_MARK = re.compile(r" +(?=[:;?!»%€])")
_AFTER_QUOTE = re.compile(r"(?<=«) +")
# the registers' dates
DATE_FIELDS |= {"reviewed", "next_review", "start", "end", "measured"}


@dataclass(frozen=True)
class Kind:
    """An entity kind that forms show as rows: where its entries live, how they are named, what says what they are."""

    name: str
    container: tuple[str, ...]    # the list's keys under its parent's node
    text: str                      # the field(s) saying what an entry is, '+'-joined (added rows are matched on it)
    model: type[BaseModel]         # its defaults: a field the file leaves out has the model's value
    id_field: str = "id"
    prefix: str = ""               # new ids: prefix + the next number ('' with slug_from, or an id that is typed)
    slug_from: str = ""            # new ids made readable from this field ('Distrilog' -> 'distrilog')
    scoped: bool = False           # ids unique under their parent only: the place holds the parent's name
    implicit: bool = False         # entries may lack an id: numbered by their place in the list (prefix + n)
    fixed: tuple[str, ...] = ()    # fields given when an entry is added and never merged afterwards


KINDS: dict[str, Kind] = {
    "finding": Kind("finding", ("findings",), "statement", Finding, prefix="NC-", fixed=("source", "raised")),
    "action": Kind("action", ("actions",), "description", Action, prefix="CA-", fixed=("kind",)),
    # the registers'
    "risk": Kind("risk", ("risks",), "text", Risk, prefix="R-", implicit=True),
    "document": Kind("document", ("documents",), "title", Evidence, id_field="path", scoped=True),
    "record": Kind("record", ("records",), "title", Evidence, id_field="path", scoped=True),
    "party": Kind("party", ("parties",), "name", Party, slug_from="name"),
    "planned-audit": Kind("planned-audit", ("programme",), "kind+start", PlannedAudit, prefix="PA-"),
    # the SMS's documents' (scope statement, policy and objectives, SMS plan, service catalogue)
    "objective": Kind("objective", ("objectives",), "text", Objective, prefix="O-", implicit=True),
    "service": Kind("service", ("scope", "services"), "name", Service, slug_from="name"),
    "approval": Kind("approval", ("management_system", "approvals"), "document", Approval, id_field="document"),
}
# Another kind of entry shown as rows takes one line above and, when its list hangs from the top of the project file
# (or from one of its sections, as services under scope), its name below.
# Kinds whose entries are listed from the top of the project file (the others hang under audits, findings, reviews or
# processes); added under the parent place ("register",)
TOP_LEVEL = ("risk", "party", "planned-audit", "objective", "service", "approval")
SYSTEM = "sms"   # the process name documents and records of the management system itself go under
SLOTS = ("follow-up", "coverage")


def place_key(place: Place) -> str:
    """('finding', 'F1') -> 'finding/F1': how places are stored in JSON (ids hold no slash; a document's path,
    last, may)."""
    return "/".join(place)


def parse_place(key: str) -> Place:
    """The inverse of place_key."""
    kind, _, rest = key.partition("/")
    if kind in SLOTS or (kind in KINDS and KINDS[kind].scoped):
        return (kind, *rest.split("/", 1))
    return (kind, rest) if rest else (kind,)


def entry_place(kind: str, parent: Place, entry_id: str) -> Place:
    """The place of an entry of `kind` with this id under `parent` (documents and records name their process)."""
    return (kind, parent[1], entry_id) if KINDS[kind].scoped else (kind, entry_id)


def entry_ids(ids: list[str | None], prefix: str) -> list[str]:
    """The ids of a list's entries: their own, else `prefix` + their place in the list (R-2), never one taken."""
    taken = {i for i in ids if i}
    out = []
    for n, given in enumerate(ids, start=1):
        if given:
            out.append(given)
            continue
        candidate, k = f"{prefix}{n}", n
        while candidate in taken:
            k += 1000   # an explicit id already holds the number: step far, away from the numbers in use
            candidate = f"{prefix}{k}"
        taken.add(candidate)
        out.append(candidate)
    return out


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
    text = str(value).strip()
    if text.isascii() and "%" not in text and ":" not in text and ";" not in text and "?" not in text \
            and "!" not in text:
        return text
    return _AFTER_QUOTE.sub("", _BEFORE_MARK.sub("", plain(text)))


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
    """Paths (for editing) of every audit, finding, action, review and register entry in plain project data."""

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
        self._registers(data)

    def _registers(self, data: dict[str, Any]) -> None:
        """The registers' entries: top-level lists, and each process's (and the management system's) evidence."""
        for name in TOP_LEVEL:
            kind = KINDS[name]
            items = self._list(data, kind.container)
            ids = entry_ids([_text(item.get(kind.id_field)) for item in items], kind.prefix) if kind.implicit else \
                [str(item.get(kind.id_field)) for item in items]
            for i, entry_id in enumerate(ids):
                self.paths[(name, entry_id)] = (*kind.container, i)
        owners: list[tuple[str, Path_]] = [(SYSTEM, ("management_system",))]
        owners += [(str(slug), ("processes", slug)) for slug in (data.get("processes") or {})]
        for owner, path in owners:
            node = self.node_or_none(path)
            if owner == SYSTEM or isinstance(node, dict):
                self.paths[("process", owner)] = path   # the management system's section is made on first use
            if not isinstance(node, dict):
                continue
            for name in ("document", "record"):
                for i, item in enumerate(node.get(KINDS[name].container[0]) or []):
                    self.paths.setdefault((name, owner, str(item.get("path"))), (*path, KINDS[name].container[0], i))

    @staticmethod
    def _list(data: dict[str, Any], keys: tuple[str, ...]) -> list[Any]:
        node: Any = data
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, list) else []

    def node_or_none(self, path: Path_) -> Any:
        """The node at `path`, or None where the data has none."""
        node: Any = self.data
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def _finding(self, finding: dict[str, Any], path: Path_) -> None:
        self.paths[("finding", str(finding.get("id")))] = path
        for k, action in enumerate(finding.get("actions") or []):
            self.paths[("action", str(action.get("id")))] = (*path, "actions", k)

    def ids(self, kind: str) -> list[str]:
        """Every id of an entity kind."""
        return [place[-1] for place in self.paths if place[0] == kind]

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
        if place == ("register",):
            return ()
        return self.paths.get(place)

    def exists(self, place: Place) -> bool:
        """True when the entity (or, for a slot, its owner) is in the project."""
        if place[0] == "follow-up":
            return ("finding", place[1]) in self.paths and ("audit", place[2]) in self.paths
        if place[0] == "coverage":
            return ("audit", place[1]) in self.paths
        return place == ("register",) or place in self.paths

    def text(self, place: Place) -> str:
        """What an entry says it is (its kind's text fields, space-separated): what added rows are matched on."""
        return " ".join(self.value(place, f) for f in KINDS[place[0]].text.split("+"))

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
        if node is None and place[0] in KINDS and "." not in field:
            node = default(place[0], field)   # what the file leaves out is the model's default (status: open)
        return norm(node)


def entry_text(kind: str, entry: dict[str, Any]) -> str:
    """What an entry of plain project data says it is (as ProjectIndex.text)."""
    return " ".join(norm(entry.get(f)) for f in KINDS[kind].text.split("+"))


def default(kind: str, field: str) -> Any:
    """The value an entry of `kind` has for `field` when the project file leaves it out (None when none)."""
    info = KINDS[kind].model.model_fields.get(field)
    if info is None or info.is_required():
        return None
    value = info.get_default(call_default_factory=True)
    return value if isinstance(value, (str, int, float, bool)) else None


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
