"""Edits the project file's text in place: the editor's logged edits become splices of the text, placed by the marks
of the C parser's nodes, so that every other byte (comments, quotes, blank lines, layout) stays as it was.

Every splice lies in a *unit*: a block mapping entry or block sequence item that begins its own line. Each edited
unit is parsed again on its own and must mean exactly what the edited data holds there, or nothing is patched.
What cannot be placed — a value under an anchor, a key sharing a line with its list's dash deleted, a key deleted
from a flow mapping, a mapping emptied, a block list or mapping replaced whole — makes `patch_text` return None, and
the caller replays the edits on the round-trip document.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from .edit import roundtrip_value
from .fastparse import STR, fast_yaml, plain_data
from .load import make_yaml

MISSING = object()
_QUOTED = {'"': DoubleQuotedScalarString, "'": SingleQuotedScalarString, "|": LiteralScalarString,
           ">": FoldedScalarString}
Path_ = tuple[Any, ...]
Expected = Callable[[], Any]


class CannotPlace(Exception):
    """Raised when an edit cannot be made in place in the text (the round trip then makes it)."""


@dataclass
class _Splice:
    start: int
    end: int
    text: str
    depth: int = 0      # at one place, deeper insertions go first (a key into the last item, then new items)


@dataclass
class _Unit:
    """A stretch of whole lines [start, end) that parses on its own to `expected()` once its splices are made."""

    start: int
    end: int
    expected: Expected
    depth: int          # of the node it stands for: of two units over the same lines, the outer one speaks for both
    splices: list[_Splice] = field(default_factory=list)


@dataclass
class _Dirty:
    """What the edit log touched at one place: the whole value (set, delete), items appended, or places below."""

    whole: bool = False
    appended: bool = False
    below: dict[Any, _Dirty] = field(default_factory=dict)


@dataclass(frozen=True)
class _Step:
    """One step down from the root: the container node, the key or index, the child node and its key node."""

    container: Node
    key: Any
    child: Node
    key_node: Node | None
    path: Path_          # the container's path in the data


def dirty_tree(ops: Iterable[tuple[str, Path_, Any, Any]]) -> _Dirty:
    """The places the edit log touched, as a tree."""
    root = _Dirty()
    for op, path, key, _ in ops:
        node = root
        for part in (*path, key):
            node = node.below.setdefault(part, _Dirty())
        if op == "append":
            node.appended = True
        else:
            node.whole = True
    return root


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same kinds all the way down (True is not 1, a date is not a datetime, '1' is not 1)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str):
        return str(a) == str(b)
    return type(a) is type(b) and a == b


class _Emitter:
    """YAML text for new values, in the file's indentation, as the round-trip dump writes them."""

    def __init__(self, indent: tuple[int, int]) -> None:
        self.block = make_yaml(*indent)
        self.flow = make_yaml(*indent)
        self.flow.default_flow_style = True

    @staticmethod
    def _dump(yaml: Any, obj: Any) -> str:
        buf = io.StringIO()
        yaml.dump(obj, buf)
        return buf.getvalue()

    def value(self, value: Any, column: int) -> str:
        """A value after `key: ` (ending with a newline), continuation lines indented under a key at `column`."""
        text = self._dump(self.block, CommentedMap([("k", value)]))[2:]
        text = text[1:] if text.startswith(" ") else text
        return _indent(text, column, first=False)

    def entries(self, pairs: list[tuple[Any, Any]], column: int) -> str:
        """`key: value` lines of a block mapping whose keys stand at `column`."""
        return _indent(self._dump(self.block, CommentedMap(pairs)), column)

    def items(self, items: list[Any], dash: int) -> str:
        """`- item` lines of a block sequence whose dashes stand at `dash`."""
        text = self._dump(self.block, CommentedMap([("k", items)]))
        lines = text.split("\n")[1:]
        first = len(lines[0]) - len(lines[0].lstrip(" "))
        shift = dash - first
        if shift >= 0:
            return _indent("\n".join(lines), shift)
        return "\n".join(line[-shift:] for line in lines)

    def in_flow(self, obj: Any, opening: str) -> str:
        """One flow entry (`key: value` of a one-entry mapping, or a list's one item), on one line."""
        text = self._dump(self.flow, obj).rstrip("\n")
        if "\n" in text or not (text.startswith(opening) and len(text) > 2):
            raise CannotPlace("a flow value that needs more than one line")
        return text[1:-1]


def _indent(text: str, column: int, first: bool = True) -> str:
    pad = " " * column
    lines = text.split("\n")
    return "\n".join((pad + line if line and (first or i) else line) for i, line in enumerate(lines))


class _Planner:
    """Turns the dirty places into splices grouped by unit, reading positions from the old text's nodes."""

    def __init__(self, text: str, root: Node, data: Any, indent: tuple[int, int]) -> None:
        self.text, self.root, self.data = text, root, data
        self.emit = _Emitter(indent)
        self.yaml = fast_yaml()
        self.units: list[_Unit] = []
        self._styles: dict[str, str] | None = None

    # -- positions ------------------------------------------------------------------------------------------------
    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def starts_line(self, index: int) -> bool:
        return not self.text[self.line_start(index):index].strip(" ")

    def line_end(self, index: int) -> int:
        """The start of the next line after `index`, where only spaces and a comment may remain."""
        newline = self.text.find("\n", index)
        rest = self.text[index:newline if newline >= 0 else len(self.text)].strip(" ")
        if rest and not rest.startswith("#"):
            raise CannotPlace("something follows the value on its line")
        return newline + 1 if newline >= 0 else len(self.text)

    def end_of(self, node: Node) -> int:
        """Where the lines holding `node` end (after its last line; a block scalar's trailing blank lines left out)."""
        while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style:
            if not node.value:
                raise CannotPlace("an empty block collection")
            last = node.value[-1]
            node = last[1] if isinstance(node, MappingNode) else last
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            end = node.end_mark.index
            header_end = self.text.find("\n", node.start_mark.index)
            if "+" in self.text[node.start_mark.index:header_end]:
                return end  # kept trailing lines belong to the value
            while end > header_end + 1:
                previous = self.line_start(end - 1)
                if self.text[previous:end].strip(" \n"):
                    break
                end = previous
            return end
        return self.line_end(node.end_mark.index)

    def dash_of(self, item: Node) -> int | None:
        """The index of the dash before a block sequence item on its line, or None."""
        i = item.start_mark.index - 1
        while i >= 0 and self.text[i] == " ":
            i -= 1
        return i if i >= 0 and self.text[i] == "-" else None

    def check_anchor(self, node: Node) -> None:
        if self.text[node.start_mark.index:node.start_mark.index + 1] in ("&", "*"):
            raise CannotPlace("an anchored value (other places share it)")

    # -- the data ---------------------------------------------------------------------------------------------
    def at(self, path: Path_) -> Any:
        node = self.data
        for part in path:
            node = node[part]
        return node

    def styles(self) -> dict[str, str]:
        """For each key, the quoting the file uses most for its text values (as the round trip's replay uses)."""
        if self._styles is None:
            counts: dict[str, dict[str, int]] = {}
            stack: list[Node] = [self.root]
            while stack:
                node = stack.pop()
                if isinstance(node, MappingNode):
                    for k, v in node.value:
                        if isinstance(v, ScalarNode):
                            if v.tag == STR and isinstance(k, ScalarNode):
                                style = v.style if v.style in ('"', "'") else ""
                                per_key = counts.setdefault(k.value, {})
                                per_key[style] = per_key.get(style, 0) + 1
                        else:
                            stack.append(v)
                elif isinstance(node, SequenceNode):
                    stack.extend(node.value)
            self._styles = {k: max(c, key=lambda s: c[s]) for k, c in counts.items()}
        return self._styles

    def rt(self, key: Any, value: Any) -> Any:
        return roundtrip_value(key, value, self.styles() if _has_text(value) else {})

    # -- units ------------------------------------------------------------------------------------------------------
    def unit(self, chain: list[_Step]) -> _Unit:
        """The innermost entry or item of `chain` that begins its own line, as a unit (the whole text if none)."""
        for step in reversed(chain):
            container = step.container
            if container.flow_style:
                continue
            if isinstance(container, MappingNode):
                assert step.key_node is not None
                if not self.starts_line(step.key_node.start_mark.index):
                    continue
                start = self.line_start(step.key_node.start_mark.index)
                return _Unit(start, self.end_of(step.child), self._entry(step.path, step.key), len(step.path) + 1)
            dash = self.dash_of(step.child)
            if dash is None or not self.starts_line(dash):
                continue
            return _Unit(self.line_start(dash), self.end_of(step.child), self._item(step.path, step.key),
                         len(step.path) + 1)
        return self.whole()

    def whole(self) -> _Unit:
        """The whole text as one unit (parsed again whole: the slow check, for edits no smaller unit holds)."""
        return _Unit(0, len(self.text), lambda: self.data, 0)

    def _entry(self, path: Path_, key: Any) -> Expected:
        return lambda: {key: self.at(path)[key]}

    def _item(self, path: Path_, index: int) -> Expected:
        return lambda: [self.at(path)[index]]

    def add(self, unit: _Unit, *splices: _Splice) -> None:
        unit.splices.extend(splices)
        self.units.append(unit)

    # -- walking the dirty places -----------------------------------------------------------------------------
    def visit(self, node: Node, value: Any, dirty: _Dirty, chain: list[_Step], path: Path_) -> None:
        self.check_anchor(node)
        if isinstance(node, MappingNode):
            if not isinstance(value, dict):
                raise CannotPlace("a mapping became something else")
            self.visit_mapping(node, value, dirty, chain, path)
        elif isinstance(node, SequenceNode):
            if not isinstance(value, list):
                raise CannotPlace("a list became something else")
            for index, below in dirty.below.items():
                if not isinstance(index, int) or not 0 <= index < len(node.value):
                    raise CannotPlace("an item that was not in the list")
                item = node.value[index]
                self.visit(item, value[index], below, [*chain, _Step(node, index, item, None, path)], (*path, index))
        else:
            raise CannotPlace("edits below a scalar")

    def visit_mapping(self, node: MappingNode, value: dict[Any, Any], dirty: _Dirty, chain: list[_Step],
                      path: Path_) -> None:
        pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
        new_keys: list[Any] = []
        for key, below in dirty.below.items():
            pair = pairs.get(str(key))
            new = value.get(key, MISSING)
            if pair is None:
                if not below.whole:
                    raise CannotPlace("an edit below a key that is not in the file")
                if new is not MISSING:
                    new_keys.append(key)
                continue
            key_node, child = pair
            step = _Step(node, key, child, key_node, path)
            if below.whole:
                if new is MISSING:
                    self.delete(node, key_node, child, value, chain, path)
                else:
                    self.replace(child, new, key, [*chain, step])
            elif below.appended:
                self.append(child, new, below, [*chain, step], (*path, key))
            else:
                self.visit(child, new, below, [*chain, step], (*path, key))
        if new_keys:
            self.insert(node, [(k, value[k]) for k in new_keys], value, chain, path)

    def replace(self, old: Node, new: Any, key: Any, chain: list[_Step]) -> None:
        """A value set anew: the same value changes nothing; a scalar is rewritten in its own style; a null gets the
        new block under its key; a flow collection is written again on its line."""
        self.check_anchor(old)
        if same(plain_data(old, self.yaml), new):
            return
        flow = any(step.container.flow_style for step in chain)
        if isinstance(old, ScalarNode) and not isinstance(new, (dict, list)):
            self.replace_scalar(old, new, key, chain, flow)
        elif isinstance(old, ScalarNode) and old.tag == "tag:yaml.org,2002:null" and not flow and new:
            key_node = chain[-1].key_node
            if key_node is None:
                raise CannotPlace("a new block under a list item")
            after = self.line_end(old.end_mark.index)
            lines = self.emit.value(self.rt(key, new), key_node.start_mark.column)
            if not lines.startswith("\n"):
                raise CannotPlace("a collection written inline")
            unit = self.unit(chain[:-1]) if len(chain) > 1 else self.whole()
            self.add(unit, _Splice(old.start_mark.index, old.end_mark.index, ""), _Splice(after, after, lines[1:]))
        elif isinstance(old, (MappingNode, SequenceNode)) and old.flow_style and isinstance(new, (dict, list)):
            opening = "{" if isinstance(new, dict) else "["
            if isinstance(new, dict) != isinstance(old, MappingNode) or not new:
                raise CannotPlace("a flow collection of another kind")
            text = opening + self.emit.in_flow(self.rt(key, new), opening) + ("}" if opening == "{" else "]")
            self.add(self.unit(chain), _Splice(old.start_mark.index, old.end_mark.index, text))
        else:
            raise CannotPlace("a block collection replaced")

    def replace_scalar(self, old: ScalarNode, new: Any, key: Any, chain: list[_Step], flow: bool) -> None:
        style = old.style or ""
        if isinstance(new, str) and style in _QUOTED:
            new = _QUOTED[style](new)
        elif isinstance(new, str):
            new = str(new)
        start, end = old.start_mark.index, old.end_mark.index
        if flow:
            text = self.emit.in_flow({"k": new}, "{")[3:]
        else:
            step = chain[-1]
            column = step.key_node.start_mark.column if step.key_node is not None else max(old.start_mark.column - 2, 0)
            text = self.emit.value(new, column)
            block = text.lstrip(" ")[:1] in ("|", ">")
            if "+" in text.split("\n", 1)[0]:
                raise CannotPlace("a block scalar keeping trailing lines")
            if style in ("|", ">"):
                end = self.end_of(old)  # the new value's lines end with a line break, as the old ones did
            else:
                if block:
                    raise CannotPlace("a block scalar where an inline value stood")
                text = text.rstrip("\n")
        self.add(self.unit(chain), _Splice(start, end, text))

    def delete(self, mapping: MappingNode, key_node: Node, child: Node, value: dict[Any, Any], chain: list[_Step],
               path: Path_) -> None:
        if mapping.flow_style or not self.starts_line(key_node.start_mark.index):
            raise CannotPlace("a key deleted from a flow mapping or from its list item's first line")
        if not value:
            raise CannotPlace("a mapping emptied")
        self.check_anchor(child)
        start = self.line_start(key_node.start_mark.index)
        self.add(self.unit(chain), _Splice(start, self.end_of(child), ""))

    def insert(self, mapping: MappingNode, pairs: list[tuple[Any, Any]], value: dict[Any, Any], chain: list[_Step],
               path: Path_) -> None:
        """New keys: after the last entry of a block mapping, before the closing brace of a flow mapping."""
        if not mapping.value:
            raise CannotPlace("new keys in an empty mapping")
        last_key, last_value = mapping.value[-1]
        if mapping.flow_style:
            keys_style = _majority(k.style for k, _ in mapping.value)
            text = "".join(", " + self.emit.in_flow({_styled_key(k, keys_style): self.rt(k, v)}, "{")
                           for k, v in pairs)
            at = last_value.end_mark.index
            self.add(self.unit(chain), _Splice(at, at, text, len(path)))
            return
        at = self.end_of(mapping)
        text = self.emit.entries([(k, self.rt(k, v)) for k, v in pairs], mapping.value[0][0].start_mark.column)
        splice = _Splice(at, at, _after(self.text, at, text), len(path))
        if self.starts_line(last_key.start_mark.index):  # checked with the last entry: they are siblings
            last = last_key.value if isinstance(last_key, ScalarNode) else None
            keys = [next((k for k in value if str(k) == last), last), *(k for k, _ in pairs)]
            unit = _Unit(self.line_start(last_key.start_mark.index), at,
                         lambda: {k: self.at(path)[k] for k in keys}, len(path))
        elif chain:
            unit = self.unit(chain)
        else:
            unit = _Unit(at, at, lambda: {k: self.at(path)[k] for k, _ in pairs}, 0)  # new top-level keys
        self.add(unit, splice)

    def append(self, old: Node, new: Any, dirty: _Dirty, chain: list[_Step], path: Path_) -> None:
        """Items appended to a list (and edits of its earlier items)."""
        self.check_anchor(old)
        if not isinstance(old, SequenceNode) or not isinstance(new, list) or len(new) < len(old.value) or not old.value:
            raise CannotPlace("items appended to something that is not a list in the file")
        count = len(old.value)
        for index, below in dirty.below.items():
            if isinstance(index, int) and index < count:
                item = old.value[index]
                self.visit(item, new[index], below, [*chain, _Step(old, index, item, None, path)], (*path, index))
        added = new[count:]
        if not added:
            return
        key = path[-1]
        if old.flow_style:
            text = "".join(", " + self.emit.in_flow([self.rt(key, item)], "[") for item in added)
            at = old.value[-1].end_mark.index
            self.add(self.unit(chain), _Splice(at, at, text, len(path)))
            return
        dash = self.dash_of(old.value[-1])
        if dash is None:
            raise CannotPlace("a list whose items do not start with a dash")
        at = self.end_of(old)
        text = self.emit.items([self.rt(key, item) for item in added], dash - self.line_start(dash))
        splice = _Splice(at, at, _after(self.text, at, text), len(path))
        if self.starts_line(dash):
            unit = _Unit(self.line_start(dash), at, lambda: self.at(path)[count - 1:], len(path))
        else:
            unit = self.unit(chain)
        self.add(unit, splice)


def _after(text: str, at: int, inserted: str) -> str:
    """Inserted lines, with a line break first when they go after a last line that has none."""
    return "\n" + inserted.rstrip("\n") if at == len(text) and text and not text.endswith("\n") else inserted


def _has_text(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_text(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_text(v) for v in value)
    return isinstance(value, str)


def _majority(styles: Iterable[str | None]) -> str:
    counts: dict[str, int] = {}
    for style in styles:
        counts[style or ""] = counts.get(style or "", 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else ""


def _styled_key(key: Any, style: str) -> Any:
    return _QUOTED[style](key) if isinstance(key, str) and style in ('"', "'") else key


def _merge(units: list[_Unit]) -> list[_Unit]:
    """Units in text order, each one inside another folded into it (units are entries and items: they nest)."""
    out: list[_Unit] = []
    for unit in sorted(units, key=lambda u: (u.start, -u.end, u.depth)):
        if out and (unit.start < out[-1].end or unit.start == unit.end == out[-1].start == out[-1].end):
            if unit.end > out[-1].end:
                raise CannotPlace("edited stretches that overlap")
            out[-1].splices.extend(unit.splices)
        else:
            out.append(unit)
    return out


def _apply(text: str, unit: _Unit) -> str:
    """The unit's text with its splices made (positions are in the old text)."""
    pieces, at = [], unit.start
    for s in sorted(unit.splices, key=lambda s: (s.start, s.end != s.start, -s.depth)):
        if s.start < at or s.end > unit.end:
            raise CannotPlace("splices that overlap")
        pieces += [text[at:s.start], s.text]
        at = s.end
    pieces.append(text[at:unit.end])
    return "".join(pieces)


def patch_text(text: str, root: Node, ops: list[tuple[str, Path_, Any, Any]], data: Any,
               indent: tuple[int, int]) -> str | None:
    """`text` with the logged edits made in place, every other byte kept; `root` is the node tree of `text` and
    `data` the edited data. None when an edit cannot be placed, or when an edited stretch, parsed again, does not
    mean what `data` holds."""
    if not ops:
        return text
    planner = _Planner(text, root, data, indent)
    try:
        planner.visit(root, data, dirty_tree(ops), [], ())
        units = _merge(planner.units)
        pieces, at = [], 0
        for unit in units:
            new = _apply(text, unit)
            if not same(planner.yaml.load(new) if new.strip() else None, unit.expected()):
                return None  # the stretch, parsed on its own, does not say what the data holds: the round trip will
            pieces += [text[at:unit.start], new]
            at = unit.end
        pieces.append(text[at:])
    except (CannotPlace, YAMLError):
        return None
    return "".join(pieces)
