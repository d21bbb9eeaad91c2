"""Hard limits on what a project file may ask of kitgen, checked before and after parsing: nesting depth, alias
expansion, number sizes, and characters that Word and Excel cannot store. Each refusal is located (FILE:LINE:COL)
and comes in well under a second, whatever the file.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import N_, ProjectFileError
from ..infra.text import unstorable

MAX_DEPTH = 40             # a project file nests about 8 levels
MAX_NODES = 500_000        # values once aliases are expanded
MAX_DIGITS = 30            # a headcount or a number of days has a few
UNSTORABLE = N_("a character Word and Excel cannot store ({value})")
TOO_DEEP = N_("nested more than {expected} levels deep")
IS_IT_A_PROJECT = N_("is this a project file?")
_LONG_NUMBER = re.compile(r"[-+]?\d[\d_]{%d,}" % (MAX_DIGITS - 1))


def _refuse(path: Path, line: int, col: int, message: str, **fields: Any) -> ProjectFileError:
    return ProjectFileError(path, message=message, line=line, column=col, **fields)


def _outside_quotes(prefix: str) -> bool:
    return prefix.count('"') % 2 == 0 and prefix.count("'") % 2 == 0


def check_text(path: Path, text: str) -> None:
    """Refuse, before parsing, deep nesting, huge numbers and unstorable characters typed as such."""
    # the whole text is searched once; the line-by-line walk looks only at what it must (a big file has 60,000 lines)
    has_unstorable = unstorable(text) is not None
    has_long_number = _ANY_LONG_NUMBER.search(text) is not None
    if not (has_unstorable or has_long_number) and _shallow(text):
        return
    indents: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if has_unstorable:
            bad = unstorable(line.replace("\r", ""))
            if bad:
                col = next(i for i, c in enumerate(line) if unstorable(c)) + 1
                raise _refuse(path, number, col, UNSTORABLE, value=bad, hint=N_("remove it"), code="unstorable")
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            continue
        indent = len(line) - len(stripped)
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        depth = len(indents)
        if stripped[0] == "-":
            depth += len(re.match(r"(?:-\s+)*", stripped).group(0).split("-")) - 1  # type: ignore[union-attr]
        if "[" in stripped or "{" in stripped:
            flow = 0
            for i, c in enumerate(stripped):
                if c in "[{" and _outside_quotes(stripped[:i]):
                    flow += 1
                    if depth + flow > MAX_DEPTH:
                        raise _refuse(path, number, indent + i + 1, TOO_DEEP, expected=MAX_DEPTH,
                                      hint=IS_IT_A_PROJECT, code="too-deep")
                elif c in "]}" and _outside_quotes(stripped[:i]):
                    flow -= 1
        if depth > MAX_DEPTH:
            raise _refuse(path, number, indent + 1, TOO_DEEP, expected=MAX_DEPTH, hint=IS_IT_A_PROJECT,
                          code="too-deep")
        if has_long_number:
            for m in _LONG_NUMBER.finditer(line):
                if _outside_quotes(line[:m.start()]) and "#" not in line[:m.start()]:
                    raise _refuse(path, number, m.start() + 1, N_("a number of more than {expected} digits"),
                                  expected=MAX_DIGITS, hint=N_("write it as text in quotes if it is an identifier"),
                                  code="number-too-long")


def _shallow(text: str) -> bool:
    """True when no line can nest MAX_DEPTH deep: a line's depth is at most its indentation + 1 (the levels above
    it indent by one space at least), plus one dash (lines with more are left to the walk), plus its brackets."""
    if _NESTED_DASHES.search(text):
        return False
    lines = text.split("\n")
    indent = max(len(line) - len(line.lstrip(" ")) for line in lines)
    brackets = max((line.count("[") + line.count("{") for line in lines if "[" in line or "{" in line), default=0)
    return indent + 2 + brackets <= MAX_DEPTH


_NESTED_DASHES = re.compile(r"^ *-\s+-", re.MULTILINE)
_ANY_LONG_NUMBER = re.compile(r"\d[\d_]{%d}" % (MAX_DIGITS - 1))  # found where _LONG_NUMBER is, and faster


def check_aliases(path: Path, text: str) -> None:
    """Refuse a file whose aliases (*name) would expand to more than MAX_NODES values (an alias bomb)."""
    if "*" not in text or "&" not in text:
        return
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        root = YAML(typ="safe", pure=False).compose(text)
    except (YAMLError, RecursionError):
        return  # a syntax error: the parse proper reports it, located
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a node referring to itself (a cycle) counts once
        value = node.value
        total = 1
        if isinstance(value, list):
            for item in value:
                total += sum(size(x) for x in item) if isinstance(item, tuple) else size(item)
                if total > MAX_NODES:
                    mark = node.start_mark
                    raise _refuse(path, mark.line + 1, mark.column + 1,
                                  N_("aliases (*name) here expand to more than {expected} values"),
                                  expected=MAX_NODES, hint=IS_IT_A_PROJECT, code="alias-bomb")
        sizes[key] = total
        return total

    if root is not None:
        size(root)


def unstorable_values(data: Any, loc: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """(location, 'U+000B') of every parsed string holding a character Word and Excel cannot store (from an escape
    such as "\\v" or "\\uFFFE")."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            found += unstorable_values(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += unstorable_values(v, (*loc, i))
    elif isinstance(data, str):
        bad = unstorable(data)
        if bad:
            found.append((loc, bad))
    return found
