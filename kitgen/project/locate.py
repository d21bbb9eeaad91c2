"""Turns a location inside the project data into `LINE:COL` and a readable dotted path."""
from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel


def dotted(loc: tuple[Any, ...]) -> str:
    """('audits', 0, 'findings', 2, 'clause') -> 'audits[0].findings[2].clause'."""
    out = ""
    for part in loc:
        if part == "__key__":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


def position(doc: Any, loc: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
    """1-based (line, col) of the value at `loc` in a ruamel round-trip document (of its key if `key`).

    Walks as deep as the document goes: a missing key points at the mapping that should hold it.
    """
    node: Any = doc
    line, col = 1, 1
    if hasattr(doc, "lc") and doc.lc.line is not None:
        line, col = doc.lc.line + 1, doc.lc.col + 1
    parts = [p for p in loc if p != "__key__"]
    want_key = key or (loc and loc[-1] == "__key__")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        try:
            lc: Any = getattr(node, "lc", None)  # ruamel's line/column record; plain containers have none
            if isinstance(node, dict) and part in node:
                ln, cl = lc.key(part) if last and want_key else lc.value(part)
                line, col, node = ln + 1, cl + 1, node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                ln, cl = lc.item(part)
                line, col, node = ln + 1, cl + 1, node[part]
            else:
                break
        except (AttributeError, KeyError, TypeError):
            break
    return line, col


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes and containers an annotation may hold, Optional and Annotated peeled off."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _unwrap(a)]
    return [annotation]


def fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the mapping at `loc` (loc points at the mapping), for 'did you mean'."""
    current: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for t in current:
            origin = typing.get_origin(t)
            if isinstance(t, type) and issubclass(t, BaseModel) and isinstance(part, str) and part in t.model_fields:
                nxt += _unwrap(t.model_fields[part].annotation)
            elif origin is list and isinstance(part, int):
                nxt += _unwrap(typing.get_args(t)[0])
            elif origin is dict and isinstance(part, str):
                nxt += _unwrap(typing.get_args(t)[1])
        current = nxt
    for t in current:
        if isinstance(t, type) and issubclass(t, BaseModel):
            return list(t.model_fields)
    return []


SUGGEST_CUTOFF = 0.6  # difflib similarity from which a key is offered as "did you mean"


def closest(word: str, choices: list[str]) -> str | None:
    """The choice `word` is most likely a misspelling of, or None."""
    match = difflib.get_close_matches(word, choices, n=1, cutoff=SUGGEST_CUTOFF)
    return match[0] if match else None
