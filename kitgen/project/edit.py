"""Edits the project data by place and field, logging every edit so it can be undone or replayed on the YAML document.

Edits run on the fast-parsed plain data; only when something changed is the round-trip document parsed and the same
edits replayed on it, which keeps the file's comments, quotes and layout.
"""
from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from ..infra.text import fold
from .models import ID_LENGTH, ID_PATTERN
from .places import DATE_FIELDS, KINDS, Kind, Path_, Place, ProjectIndex, entry_place

ID = re.compile(ID_PATTERN)  # an id people typed is kept when the project file would accept it
SLUG_LENGTH = 40  # ids made from a name stay short enough to type in the project file


class Flow(dict):  # type: ignore[type-arg]
    """A mapping the project file writes on one line (`{verdict: conform, evidence: …}`), like a short value."""


class DataEditor:
    """Set, delete and append in nested data by path, with an undo log and a replayable log of operations."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.ops: list[tuple[str, Path_, Any, Any]] = []   # (op, path, key, value)
        self.undo: list[tuple[Any, Any, bool, Any]] = []   # (container, key, existed, old value)

    def node(self, path: Path_, root: Any = None) -> Any:
        node = self.root if root is None else root
        for part in path:
            node = node[part]
        return node

    def set(self, path: Path_, key: Any, value: Any) -> None:
        node = self.node(path)
        self.undo.append((node, key, key in node, node.get(key)))
        node[key] = value
        self.ops.append(("set", path, key, copy.deepcopy(value)))  # a copy: the live value may change later

    def delete(self, path: Path_, key: Any) -> None:
        node = self.node(path)
        if key in node:
            self.undo.append((node, key, True, node[key]))
            del node[key]
            self.ops.append(("delete", path, key, None))

    def append(self, path: Path_, key: str, value: Any) -> Path_:
        """Append `value` to the list at path[key] (created when missing); returns the new item's path."""
        node = self.node(path)
        if node.get(key) is None:
            self.set(path, key, [])
        items = node[key]
        items.append(value)
        self.undo.append((items, None, False, None))
        self.ops.append(("append", path, key, copy.deepcopy(value)))
        return (*path, key, len(items) - 1)

    def checkpoint(self) -> tuple[int, int]:
        """A mark to roll back to."""
        return len(self.undo), len(self.ops)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Undo every edit made since `mark`."""
        while len(self.undo) > mark[0]:
            container, key, existed, old = self.undo.pop()
            if key is None:
                container.pop()
            elif existed:
                container[key] = old
            else:
                del container[key]
        del self.ops[mark[1]:]

    def replay(self, doc: Any) -> None:
        """Apply the logged edits to a round-trip document: mappings become CommentedMaps (block style kept), and
        text is quoted the way the file quotes the other values of the same key."""
        styles = quoting(doc)
        for op, path, key, value in self.ops:
            node = self.node(path, doc)
            if op == "set":
                node[key] = roundtrip_value(key, value, styles)
            elif op == "delete":
                node.pop(key, None)
            else:
                node[key].append(roundtrip_value(key, value, styles))


def roundtrip_value(key: Any, value: Any, styles: dict[str, str]) -> Any:
    """A new value as the round-trip dump should write it: mappings in block style (a Flow on one line), text quoted
    as the file quotes the other values of its key (`styles`, from `quoting`)."""
    if isinstance(value, dict):
        mapping = CommentedMap((k, roundtrip_value(k, v, styles)) for k, v in value.items())
        if isinstance(value, Flow):
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        return [roundtrip_value(key, v, styles) for v in value]
    return styled(str(key), value, styles)


def _styles(node: Any, out: dict[str, dict[str, int]]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str):
                style = "'" if isinstance(v, SingleQuotedScalarString) else \
                    '"' if isinstance(v, DoubleQuotedScalarString) else ""
                counts = out.setdefault(str(k), {})
                counts[style] = counts.get(style, 0) + 1
            else:
                _styles(v, out)
    elif isinstance(node, list):
        for v in node:
            _styles(v, out)


def quoting(doc: Any) -> dict[str, str]:
    """For each key, the quoting the file uses most for its text values ('"', "'" or '' for plain)."""
    counts: dict[str, dict[str, int]] = {}
    _styles(doc, counts)
    return {k: max(c, key=lambda s: c[s]) for k, c in counts.items()}


def styled(key: str, value: Any, styles: dict[str, str]) -> Any:
    """A text value in the quoting the file already uses for this key (new values look like their neighbours)."""
    if not isinstance(value, str) or isinstance(value, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        return value
    style = styles.get(key, "")
    if style == '"':
        return DoubleQuotedScalarString(value)
    if style == "'":
        return SingleQuotedScalarString(value)
    return value


def stored(field: str, value: Any) -> Any:
    """A form's value as the project file stores it: dates as dates, blank as absent (None)."""
    if value is None or value == "":
        return None
    if field.split(".")[-1] in DATE_FIELDS or field in DATE_FIELDS:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return value


def next_id(existing: list[str], prefix: str) -> str:
    """prefix + the next free number: ('CA-1', 'CA-4') -> 'CA-5'."""
    numbers = [int(m.group(1)) for x in existing if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", x))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def slug_id(text: str, existing: list[str]) -> str:
    """A readable id from a name, not one in `existing`: 'DataRhône Hébergement' -> 'datarhone-hebergement'."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:SLUG_LENGTH].rstrip("-") or "entry"
    candidate, n = base, 2
    while candidate in existing:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def new_id(kind: Kind, parent: Place, fields: dict[str, Any], existing: list[str], wanted: str | None) -> str:
    """The id of an entry being added: the one typed when it is free (and, for slugs, valid), else one made."""
    if wanted and wanted not in existing and (kind.id_field != "id" or ID.fullmatch(wanted) and len(wanted) <= ID_LENGTH):
        return wanted
    if kind.slug_from:
        return slug_id(str(fields.get(kind.slug_from) or ""), existing)
    if kind.name == "finding" and parent[0] == "audit":
        return next_id(existing, f"{parent[1]}-F")
    if not kind.prefix and wanted:   # an id that is a name (a document's path) taken already: numbered
        return next_id(existing, f"{wanted}#")
    return next_id(existing, kind.prefix)


class ProjectEditor:
    """Changes the project data by place: set a field, fill a slot, add a finding or an action."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.log = DataEditor(data)
        self.index = ProjectIndex(data)

    def reindex(self) -> None:
        """Refresh the place index (after a rollback)."""
        self.index = ProjectIndex(self.data)

    def set_field(self, place: Place, field: str, value: Any) -> None:
        """Set (or, for a blank value, remove) one field; slots are created on first use. An entry known by its place
        in the list only (a risk without an id) gets that id written first, so that it keeps it."""
        path = self.index.path(place)
        if path is None:
            path = self._create_slot(place)
        elif self.index.node_or_none(path) is None:
            self._ensure(path)   # a section the file leaves out (management_system) made on first use
        kind = KINDS.get(place[0])
        if kind is not None and kind.implicit and not self.log.node(path).get(kind.id_field):
            self.log.set(path, kind.id_field, place[-1])
        value = stored(field, value)
        *parents, leaf = field.split(".")
        if place[0] == "coverage":
            self._set_coverage(place, field, value)
            return
        if not parents:
            if value is None:
                self.log.delete(path, leaf)
            else:
                self.log.set(path, leaf, value)
            return
        [part] = parents  # effectiveness.date: the mapping is created on first use and removed once empty
        if self.log.node(path).get(part) is None:
            if value is None:
                return
            self.log.set(path, part, {})
        if value is None:
            self.log.delete((*path, part), leaf)
        else:
            self.log.set((*path, part), leaf, value)
        if not self.log.node(path).get(part):
            self.log.delete(path, part)

    def _set_coverage(self, place: Place, field: str, value: Any) -> None:
        """A clause's verdict or evidence: the short form (`6.1: conform`) while there is no evidence, the mapping
        (`6.1: {verdict: conform, evidence: …}`) once there is; no verdict, no entry."""
        audit = self.index.path(("audit", place[1]))
        assert audit is not None
        at, clause = (*audit, "coverage"), place[2]
        entry = self.log.node(at).get(clause)
        if field == "verdict":
            if value is None:
                self.log.delete(at, clause)
            elif isinstance(entry, dict):
                self.log.set((*at, clause), "verdict", value)
            else:
                self.log.set(at, clause, value)
        elif isinstance(entry, dict):
            if value:
                self.log.set((*at, clause), "evidence", value)
            else:
                self.log.set(at, clause, entry.get("verdict"))
        elif entry is not None and value:
            self.log.set(at, clause, Flow(verdict=entry, evidence=value))

    def _create_slot(self, place: Place) -> Path_:
        if place[0] == "follow-up":
            finding = self.index.path(("finding", place[1]))
            assert finding is not None, place
            return self.log.append(finding, "follow_ups", {"audit": place[2]})
        if place[0] == "coverage":
            audit = self.index.path(("audit", place[1]))
            assert audit is not None, place
            if self.log.node(audit).get("coverage") is None:
                self.log.set(audit, "coverage", {})
            return (*audit, "coverage")
        raise KeyError(place)

    def add(self, kind: str, parent: Place, fields: dict[str, Any], wanted_id: str | None = None) -> Place:
        """Add an entry of `kind` (KINDS) under `parent` (a finding under an audit or ("register",), an action under a
        finding or a review, a document under ("process", SLUG), a risk under ("register",)…); returns its place.

        A free id the person typed is kept; otherwise the next `<AUDIT>-F<n>`, `CA-<n>`, `R-<n>`…, or one made from
        the entry's name.
        """
        spec = KINDS[kind]
        owner = self.index.path(parent)
        assert owner is not None, parent
        existing = self.index.ids(kind) if not spec.scoped else \
            [p[2] for p in self.index.paths if p[0] == kind and p[1] == parent[1]]
        entry_id = new_id(spec, parent, fields, existing, wanted_id)
        entry: dict[str, Any] = {spec.id_field: entry_id}
        for field, value in fields.items():
            value = stored(field, value)
            if value is None:
                continue
            *parents, leaf = field.split(".")
            node = entry
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        *within, key = spec.container
        path = self._ensure((*owner, *within))
        new_path = self.log.append(path, key, entry)
        place = entry_place(kind, parent, entry_id)
        self.index.paths[place] = new_path
        return place

    def _ensure(self, path: Path_) -> Path_:
        """`path`, its mappings created where the data has none yet (management_system, scope…)."""
        for i in range(len(path)):
            node = self.log.node(path[:i])
            if isinstance(node, dict) and node.get(path[i]) is None:
                self.log.set(path[:i], path[i], {})
        return path
