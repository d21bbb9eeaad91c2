"""Renders a docxtpl template in the strict sandbox and stamps the result with identity properties and a payload.

Every failure of the template itself becomes one TemplateError naming it; run it through limits.run_limited to
bound its time and memory.
"""
from __future__ import annotations

import difflib
import io
import zipfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError
from lxml import etree

from ..errors import KitgenError, TemplateError, UndefinedField
from ..infra.sandbox import make_env
from .docx_text import Finish
from .package import open_package
from .parts import PropValue, add_identity
from .safety import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _load(template: Path) -> Any:
    """The template as a DocxTemplate, read from the checked package."""
    from docxtpl import DocxTemplate

    with open_package(template, "docx") as package:
        data = package.for_library()
    try:
        return DocxTemplate(data)
    except Exception as err:  # noqa: BLE001 — python-docx's errors on a damaged file are not one tree
        raise TemplateError(f"cannot read as a Word template ({type(err).__name__})", template.name) from None


def _render(tpl: Any, template: Path, context: dict[str, Any]) -> bytes:
    try:
        tpl.render(context, jinja_env=make_env(), autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
    except UndefinedField as err:
        raise UndefinedField(err.field, template.name) from None
    except TemplateSyntaxError as err:
        raise TemplateError(f"template syntax error: {err.message}", template.name) from None
    except (SecurityError, OverflowError) as err:  # the sandbox's range cap raises OverflowError
        raise TemplateError(f"refused by the template sandbox: {err}", template.name) from None
    except KitgenError:
        raise
    except Exception as err:  # noqa: BLE001 — any other mistake in the template's expressions (1/0, 'a' + 1, …)
        raise TemplateError(f"template error: {type(err).__name__}: {str(err)[:200]}", template.name) from None
    return buf.getvalue()


def render_docx(template: Path, context: dict[str, Any], props: dict[str, PropValue],
                payload: str | Callable[[bytes], str] | None = None, moment: datetime | None = None,
                finish: Finish | None = None, adjust: Callable[[bytes], bytes] | None = None) -> bytes:
    """The filled document as bytes; a bad or hostile template raises TemplateError naming it.

    `adjust` changes the rendered document before it is stamped; `payload` may be worked out from the adjusted
    document (a function of its bytes). `moment` stamps the package's creation dates and zip entries (reproducible
    output); default: now. `finish` sets the text's typesetting, the proofing language and the core properties.
    """
    data = _render(_load(template), template, context)
    if adjust is not None:
        data = adjust(data)
    if callable(payload):
        payload = payload(data)
    return add_identity(data, props, moment or datetime.now(timezone.utc), payload, finish=finish)


def restrict_dropdowns(data: bytes, among: set[str], offered: list[str]) -> bytes:
    """The document with every drop-down list whose items are all in `among` offering exactly `offered` (a template
    lists every word; a form offers only those its reader accepts there)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    root = parse_xml(parts["word/document.xml"])
    changed = False
    for box in root.iter(f"{{{W}}}dropDownList", f"{{{W}}}comboBox"):
        items = box.findall(f"{{{W}}}listItem")
        if not items or any(i.get(f"{{{W}}}displayText") not in among for i in items):
            continue
        for item in items:
            box.remove(item)
        for word in offered:
            item = etree.SubElement(box, f"{{{W}}}listItem")
            item.set(f"{{{W}}}displayText", word)
            item.set(f"{{{W}}}value", word)
        changed = True
    if not changed:
        return data
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            dst.writestr(name, content)
    return out.getvalue()


def check_docx_template(template: Path, context: dict[str, Any]) -> list[str]:
    """Problems of one Word template against the variables of `context`: Jinja syntax, unknown variables (with a
    'did you mean'), tags docxtpl cannot place, and what rendering it with `context` raises."""
    tpl = _load(template)
    try:
        undeclared = tpl.get_undeclared_template_variables(make_env())
    except TemplateSyntaxError as err:
        return [f"{template}: Jinja syntax error: {err.message} (a tag docxtpl cannot place, or an unclosed block)"]
    except SecurityError as err:
        return [f"{template}: refused by the template sandbox: {err}"]
    except Exception as err:  # noqa: BLE001 — whatever loading the template's tags raises is the template's problem
        return [f"{template}: template error: {type(err).__name__}: {str(err)[:200]}"]
    problems = []
    for name in sorted(set(undeclared) - set(context)):
        problems.append(f"{template}: unknown variable {name!r}" + _did_you_mean(name, list(context)))
    if problems:
        return problems
    try:
        _render(_load(template), template, context)
    except UndefinedField as err:
        problems.append(f"{template}: unknown variable {err.field!r}" + _did_you_mean(err.field, _names(context)))
    except TemplateError as err:
        problems.append(f"{template}: {err.message}")
    return problems


def _did_you_mean(name: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(name, choices, n=1)
    return f"; did you mean {match[0]!r}?" if match else ""


def _names(value: Any) -> list[str]:
    """Every key at any depth of a context (for 'did you mean')."""
    if isinstance(value, dict):
        return [k for k in value] + [n for v in value.values() for n in _names(v)]
    if isinstance(value, list) and value:
        return _names(value[0])
    return []
