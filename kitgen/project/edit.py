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

from .places import DATE_FIELDS, Path_, Place, ProjectIndex

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


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

        def rt(key: Any, value: Any) -> Any:
            if isinstance(value, dict):
                mapping = CommentedMap((k, rt(k, v)) for k, v in value.items())
                if isinstance(value, Flow):
                    mapping.fa.set_flow_style()
                return mapping
            if isinstance(value, list):
                return [rt(key, v) for v in value]
            return styled(str(key), value, styles)
        for op, path, key, value in self.ops:
            node = self.node(path, doc)
            if op == "set":
                node[key] = rt(key, value)
            elif op == "delete":
                node.pop(key, None)
            else:
                node[key].append(rt(key, value))


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
        """Set (or, for a blank value, remove) one field; slots are created on first use."""
        path = self.index.path(place)
        if path is None:
            path = self._create_slot(place)
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
        """Add a finding (under an audit) or an action (under a finding or a review); returns its place.

        A free id the person typed is kept; otherwise the next `<AUDIT>-F<n>` or `CA-<n>`.
        """
        existing = self.index.ids(kind)
        if wanted_id and ID_PATTERN.fullmatch(wanted_id) and wanted_id not in existing:
            new_id = wanted_id
        elif kind == "finding":
            new_id = next_id(existing, f"{parent[1]}-F" if parent[0] == "audit" else "NC-")
        else:
            new_id = next_id(existing, "CA-")
        entry: dict[str, Any] = {"id": new_id}
        for field, value in fields.items():
            value = stored(field, value)
            if value is None:
                continue
            *parents, leaf = field.split(".")
            node = entry
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
        owner = self.index.path(parent) if parent[0] != "register" else ()  # the register: top-level findings
        assert owner is not None, parent
        key = "findings" if kind == "finding" else "actions"
        path = self.log.append(owner, key, entry)
        place = (kind, new_id)
        self.index.paths[place] = path
        return place
