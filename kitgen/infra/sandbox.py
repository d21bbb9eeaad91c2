"""A whitelisting Jinja sandbox: only plain data is reachable, single-file templates, every way of growing a string
capped, undefined names raised with their name. The process limits in limits.py back it up.
"""
from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable
from typing import Any

import jinja2
from jinja2 import filters as jinja_filters
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import N_, UndefinedField
from .kept import Kept

MAX_SEQUENCE = 100_000        # items or characters one operation may produce
MAX_OUTPUT = 50_000_000       # characters one template part may render to
MAX_EXPONENT = 64             # 10 ** 64 is far beyond any number a form shows
MAX_BITS = 4096               # a power or a product of more bits (1,233 digits) is refused before it is computed
# template parts kept compiled in one process: a Word template has three or four (body, header, footer, properties),
# a build fills about a dozen templates in each language, and a long-lived process fills them again
COMPILED_KEPT = 128
_BIG_NUMBER = re.compile(r"\d{6,}")  # a width or precision of 100000 or more in a format string


class Refused(SecurityError):
    """Raised when the sandbox refuses what a template does; `msgid` is an English message with `{named}` fields
    taken from `fields` (the renderer makes it a TemplateError the catalogs translate)."""

    def __init__(self, msgid: str, **fields: Any) -> None:
        self.msgid, self.fields = msgid, fields
        super().__init__(msgid.format(**fields))


class TemplateTooLarge(Refused):
    """Raised when a template's output or one of its values outgrows the caps."""


def _check_size(size: int, what: str) -> None:
    """`what`: the operation as the template writes it (`|center`, `+`, `.ljust()`)."""
    if size > MAX_SEQUENCE:
        raise TemplateTooLarge(N_("refused by the template sandbox: `{operation}` would make {size} characters or "
                                  "items, more than {limit}"),
                               operation=what, size=size, limit=MAX_SEQUENCE)


def _check_format(spec: Any) -> None:
    if isinstance(spec, str) and _BIG_NUMBER.search(spec):
        raise TemplateTooLarge(N_("refused by the template sandbox: a format width or precision of 100000 or more"))


def capped_concat(parts: Iterable[str]) -> str:
    """''.join, stopping once the output passes MAX_OUTPUT characters."""
    out: list[str] = []
    size = 0
    for part in parts:
        size += len(part)
        if size > MAX_OUTPUT:
            raise TemplateTooLarge(N_("refused by the template sandbox: the template renders to more than {limit} "
                                      "characters"), limit=MAX_OUTPUT)
        out.append(part)
    return "".join(out)


class KitgenUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error is an UndefinedField carrying the missing name (no message parsing anywhere)."""

    __slots__ = ()

    def __init__(self, hint: str | None = None, obj: Any = jinja2.utils.missing, name: str | None = None,
                 exc: Any = jinja2.exceptions.UndefinedError) -> None:
        super().__init__(hint, obj, name, exc)
        if hint is None:  # with a hint, it stands for an unsafe attribute: the sandbox's SecurityError is kept
            self._undefined_exception = lambda message: UndefinedField(name or "?")  # type: ignore[assignment]


def _guard_str_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a str method call that would build an outsized string, before it allocates it."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if not isinstance(owner, str):
        return
    values = list(args) + list(kwargs.values())
    if name in ("ljust", "rjust", "center", "zfill", "expandtabs") and values and isinstance(values[0], int):
        _check_size(values[0] if name != "expandtabs" else len(owner) * max(values[0], 1), f".{name}()")
    elif name in ("format", "format_map"):
        _check_format(owner)
        for v in values:
            _check_format(v)
    elif name == "replace" and len(values) >= 2 and isinstance(values[0], str) and isinstance(values[1], str):
        count = owner.count(values[0]) if values[0] else len(owner) + 1
        _check_size(len(owner) + count * max(len(values[1]) - len(values[0]), 0), ".replace()")
    elif name == "join" and values:
        items = list(values[0]) if not isinstance(values[0], str) else list(values[0])
        _check_size(sum(len(str(i)) for i in items) + len(owner) * max(len(items) - 1, 0), ".join()")
    elif name in ("encode", "decode"):
        raise Refused(N_("refused by the template sandbox: `.{method}()` is not available in templates"), method=name)


def _sized_filter(name: str, fn: Any) -> Any:
    """A Jinja filter that refuses outsized results before computing them."""
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        values = list(args) + list(kwargs.values())
        if name in ("center", "indent", "wordwrap", "truncate") and len(values) > 1:
            for v in values[1:]:
                if isinstance(v, int) and not isinstance(v, bool):
                    _check_size(v, f"|{name}")
                    if name == "wordwrap" and v <= 0:
                        raise Refused(N_("refused by the template sandbox: `|wordwrap` needs a positive width"))
            if name == "indent" and isinstance(values[0], str) and isinstance(values[1], int):
                _check_size(values[0].count("\n") * values[1] + len(values[0]), "|indent")
        elif name == "format" and values:
            _check_format(values[0])
        elif name == "replace" and len(values) >= 3 and all(isinstance(v, str) for v in values[:3]):
            s, old, new = values[:3]
            count = s.count(old) if old else len(s) + 1
            _check_size(len(s) + count * max(len(new) - len(old), 0), "|replace")
        elif name in ("join", "batch", "slice") and len(values) > 1 and isinstance(values[1], int):
            _check_size(values[1], f"|{name}")
        return fn(*args, **kwargs)
    return wrapped


class StrictSandbox(SandboxedEnvironment):
    """SandboxedEnvironment that lets templates read attributes of plain data only (see ooxml-roundtrip.md §1).

    The stock sandbox only blocks `_`-prefixed attributes, so a public method of any object in the context
    (e.g. InlineImage.tpl.save) could still write files; here nothing but dicts, lists and scalars is reachable.
    """

    SAFE = (dict, list, tuple, str, int, float, bool, type(None), jinja2.runtime.LoopContext)
    intercepted_binops = frozenset(["*", "**", "%", "+"])
    concat = staticmethod(capped_concat)  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.globals.pop("lipsum", None)  # lipsum(10**7) only burns CPU; templates have no use for it
        for name in ("center", "indent", "wordwrap", "truncate", "format", "replace", "join", "batch", "slice"):
            self.filters[name] = _sized_filter(name, jinja_filters.FILTERS[name])
        self._compiled: Kept[jinja2.Template] = Kept(COMPILED_KEPT)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        """The template of `source`, compiled once: docxtpl compiles each part of a Word template for every file it
        fills, and a worker fills several files of one template (compiling was a third of each fill)."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._compiled.get(source, lambda: super(StrictSandbox, self).from_string(source))

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, self.SAFE) and super().is_safe_attribute(obj, attr, value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        _guard_str_method(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise Refused(N_("refused by the template sandbox: exponent {value} is larger than {limit}"),
                              value=right, limit=MAX_EXPONENT)
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and \
                    right * max(abs(left).bit_length(), 1) > MAX_BITS:
                raise Refused(N_("refused by the template sandbox: a power with more than {limit} bits"),
                              limit=MAX_BITS)
            return operator.pow(left, right)
        if operator_name == "%":
            _check_format(left)
            return operator.mod(left, right)
        if operator_name == "+":
            if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                _check_size(len(left) + len(right), "+")
            return operator.add(left, right)
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                _check_size(len(seq) * count, "*")
            if isinstance(seq, int) and isinstance(count, int) and \
                    abs(seq).bit_length() + abs(count).bit_length() > MAX_BITS:
                raise Refused(N_("refused by the template sandbox: a product with more than {limit} bits"),
                              limit=MAX_BITS)
        return operator.mul(left, right)


class SingleFileLoader(jinja2.BaseLoader):
    """Refuses `include`, `import`, `extends` and `from`: a kitgen template is one file."""

    def get_source(self, environment: Any, template: str) -> Any:
        raise Refused(N_("templates are single files: {{% include/import/extends %}} of {value!r} is refused"),
                      value=template)


@functools.lru_cache(maxsize=1)
def make_env() -> StrictSandbox:
    """The one environment every template renders in: sandboxed, autoescaped (XML), undefined names are errors.
    One per process, so that what it compiled serves the next file (it keeps no other state between renders)."""
    return StrictSandbox(autoescape=True, undefined=KitgenUndefined, loader=SingleFileLoader())
