"""The C parser's path through a project file: its node tree, and the plain data built straight from the tree."""
from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

STR, MAP, SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


class _Resolver(VersionedResolver):
    """ruamel's resolver, asking the YAML version's rules once per document and keeping one Tag per tag name.

    The C parser asks for every scalar. ruamel looks the version's rules up again each time (a third of the parse of
    a large file), and makes a new Tag each time, whose name every reader of the node then decodes again.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_first: dict[str, tuple[tuple[Tag, Any], ...]] = {}
        self._tags: dict[str, Tag] = {}

    def _rules(self, first: str) -> tuple[tuple[Tag, Any], ...]:
        """The (tag, match) rules a plain scalar starting with `first` is tried against, in ruamel's order."""
        rules = self._by_first.get(first)
        if rules is None:  # a document's %YAML directive, if any, comes before its first value
            version = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
            rules = self._by_first[first] = tuple(
                (self._tags.setdefault(tag, Tag(suffix=tag)), regexp.match)
                for tag, regexp in (*version.get(first, ()), *version.get(None, ())))
        return rules

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if self.yaml_path_resolvers:  # none in kitgen's parser; ruamel's own way if one ever is
            return super().resolve(kind, value, implicit)
        if kind is ScalarNode and implicit[0]:
            rules = self._by_first.get(value[:1])
            for tag, match in rules if rules is not None else self._rules(value[:1]):
                if match(value):
                    return tag
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


def fast_yaml() -> YAML:
    """The C-accelerated safe YAML parser (no comments, no layout: plain data, and nodes that know their place)."""
    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _Resolver
    return yaml


def plain_data(node: Node | None, yaml: YAML) -> Any:
    """The data of a node tree that `yaml` (fast_yaml) composed, as its safe constructor builds it.

    Text, mappings with text keys and lists are built here; every other node (numbers, dates, nulls, explicit tags,
    merge keys, other keys, a key given twice) is left to ruamel's constructor, which builds it or raises as it would
    have. A node reached twice (an alias) is one object, as ruamel makes it. ruamel's constructor walks every node
    through several calls and string conversions of its tag: on a large project it took longer than the parse.
    """
    if node is None:
        return None
    construct = yaml.constructor.construct_object
    built: dict[int, Any] = {}

    def build(node: Node) -> Any:
        kind, tag = type(node), node.tag
        if kind is ScalarNode:
            return node.value if tag == STR else construct(node, deep=True)
        done = built.get(id(node))
        if done is not None:
            return done
        if kind is SequenceNode and tag == SEQ:
            items: list[Any] = []
            built[id(node)] = items
            items.extend(build(child) for child in node.value)
            return items
        if kind is MappingNode and tag == MAP:
            mapping: dict[str, Any] = {}
            built[id(node)] = mapping
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode or key_node.tag != STR or key_node.value in mapping:
                    del built[id(node)]
                    return construct(node, deep=True)
                mapping[key_node.value] = build(value_node)
            return mapping
        return construct(node, deep=True)

    return build(node)
