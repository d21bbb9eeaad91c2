"""A whitelisting Jinja sandbox: only plain data is reachable, sizes are capped, undefined names are errors."""
from __future__ import annotations

import operator
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_SEQUENCE = 100_000
MAX_EXPONENT = 64


class StrictSandbox(SandboxedEnvironment):
    """SandboxedEnvironment that lets templates read attributes of plain data only (see ooxml-roundtrip.md §1).

    The stock sandbox only blocks `_`-prefixed attributes, so a public method of any object in the context
    (e.g. InlineImage.tpl.save) could still write files; here nothing but dicts, lists and scalars is reachable.
    """

    SAFE = (dict, list, tuple, str, int, float, bool, type(None), jinja2.runtime.LoopContext)
    intercepted_binops = frozenset(["*", "**"])

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, self.SAFE) and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
            return operator.pow(left, right)
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_SEQUENCE:
                raise SecurityError(f"sequence repeated beyond {MAX_SEQUENCE} items")
        return operator.mul(left, right)


def make_env() -> StrictSandbox:
    """The one environment every template renders in: sandboxed, autoescaped (XML), StrictUndefined."""
    return StrictSandbox(autoescape=True, undefined=jinja2.StrictUndefined)
