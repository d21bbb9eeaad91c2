"""Renders a docxtpl template in the strict sandbox and stamps the result with identity properties and a payload.

Every failure of the template itself becomes one TemplateError naming it; run it through limits.run_limited to
bound its time and memory.
"""
from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

# python-docx's own pieces of its save (the content types item is private): imported with the module, so that a
# python-docx without them fails as kitgen's fault, never reported as a mistake in the user's template
from docx.opc.part import XmlPart
from docx.opc.pkgwriter import _ContentTypesItem
from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import MAX_RANGE
from lxml import etree

from ..errors import N_, KitgenError, Problem, TemplateError, UndefinedField, problem
from ..infra.kept import Kept
from ..infra.sandbox import COMPILED_KEPT, Refused, make_env
from .docx_text import STYLES, Finish, mark_language, set_language, takes_language
from .package import open_package
from .parts import Parts, PropValue, add_identity, stored
from .safety import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# What docxtpl does to a part's XML before compiling it (as DocxTemplate.render_xml_part does): each paragraph on a
# line of its own
_PARAGRAPH = re.compile(r"<w:p([ >])")


@functools.cache
def _template_class() -> type:
    """DocxTemplate whose preprocessing of a part's XML (a dozen regular expressions over the whole part, as long as
    compiling it) is done once per part in a process: a template filled again (the next audit's report, the next
    build of a long-lived process) starts from the text patched the first time."""
    from docxtpl import DocxTemplate

    patched: Kept[str] = Kept(COMPILED_KEPT)

    class Template(DocxTemplate):  # type: ignore[misc]
        def patch_xml(self, src_xml: str) -> str:
            return patched.get(src_xml, lambda: super(Template, self).patch_xml(src_xml))

    return Template


def _load(template: Path) -> Any:
    """The template as a DocxTemplate, read from the checked package."""
    with open_package(template, "docx") as package:
        data = package.for_library()
    try:
        return _template_class()(data)
    except Exception as err:  # noqa: BLE001 — python-docx's errors on a damaged file are not one tree
        raise TemplateError(N_("cannot read as a Word template ({detail})"), template.name,
                            detail=type(err).__name__) from None


def _parts(tpl: Any, language: str) -> Parts:
    """The rendered document's parts as python-docx saves them, their language marks set to `language` (if any) on
    the trees python-docx holds (rather than parsing what it writes out again), and not zipped: the package is
    zipped once, when it is stamped (deflating every part twice was a fifth of a render). docxtpl's after-save
    replacements (of media, embedded files, zip entries) are never asked for: a template has no way to, nor kitgen."""
    package = tpl.docx.part.package
    for part in package.parts:
        if language and isinstance(part, XmlPart) and takes_language(part.partname.membername):
            mark_language(part.element, language, default=part.partname.membername in STYLES)
        part.before_marshal()
    parts = {"[Content_Types].xml": _ContentTypesItem.from_parts(package.parts).blob, "_rels/.rels": package.rels.xml}
    for part in package.parts:
        name = part.partname.membername
        parts[name] = part.blob
        if language and not isinstance(part, XmlPart) and takes_language(name):  # a part python-docx keeps as bytes
            parts[name] = set_language(part.blob, language, default=name in STYLES)
        if len(part.rels):
            parts[part.partname.rels_uri.membername] = part.rels.xml
    return parts


def _render(tpl: Any, template: Path, context: dict[str, Any], language: str = "") -> Parts:
    try:
        tpl.render(context, jinja_env=make_env(), autoescape=True)
        parts = _parts(tpl, language)
    except UndefinedField as err:
        raise UndefinedField(err.field, template.name) from None
    except KitgenError:
        raise
    except Exception as err:  # noqa: BLE001 — any other mistake in the template's expressions (1/0, 'a' + 1, …)
        raise TemplateError(problems=[template_problem(err, template.name)]) from None
    return parts


def compile_parts(template: Path) -> None:
    """Patch and compile the template's body, headers and footers in this process, as filling it does: the render
    workers forked afterwards inherit them done. Only for kitgen's own templates: how long compiling takes is up to
    the template, and this process runs under no limits."""
    tpl = _load(template)
    tpl.render_init()
    parts = [tpl.get_xml()] + [tpl.get_part_xml(part) for uri in (tpl.HEADER_URI, tpl.FOOTER_URI)
                               for _, part in tpl.get_headers_footers(uri)]
    for xml in parts:
        make_env().from_string(_PARAGRAPH.sub(r"\n<w:p\1", tpl.patch_xml(xml)))


def template_problem(err: Exception, template: Path | str) -> Problem:
    """What a template's rendering (or loading its tags) raised, as one problem naming the template: the sandbox's
    refusals in the catalogs' words; Jinja's and Python's own messages (English) only as a detail."""
    if isinstance(err, Refused):
        return problem(err.msgid, template, code="template-refused", **err.fields)
    if isinstance(err, TemplateSyntaxError):
        return problem(N_("template syntax error: {detail}"), template, detail=err.message or "",
                       hint=N_("a tag docxtpl cannot place, or an unclosed block"), code="template-syntax")
    if isinstance(err, SecurityError):
        return problem(N_("refused by the template sandbox: {detail}"), template, detail=str(err),
                       code="template-refused")
    if isinstance(err, OverflowError):  # the sandbox's range cap
        return problem(N_("refused by the template sandbox: a range of more than {limit} items"), template,
                       limit=MAX_RANGE, code="template-refused")
    return problem(N_("template error: {kind}: {detail}"), template, kind=type(err).__name__, detail=str(err)[:200],
                   code="template")


def render_docx(template: Path, context: dict[str, Any], props: dict[str, PropValue],
                payload: str | Callable[[bytes], str] | None = None, moment: datetime | None = None,
                finish: Finish | None = None, adjust: Callable[[Parts], None] | None = None) -> bytes:
    """The filled document as bytes; a bad or hostile template raises TemplateError naming it.

    `adjust` changes the rendered document's parts (in place) before it is stamped; `payload` may be worked out from
    the adjusted document (a function of a package's bytes). `moment` stamps the package's creation dates and zip
    entries (reproducible output); default: now. `finish` sets the text's typesetting, the proofing language and the
    core properties.
    """
    parts = _render(_load(template), template, context, finish.language if finish else "")
    if adjust is not None:
        adjust(parts)
    if callable(payload):
        payload = payload(stored(parts))
    return add_identity(parts, props, moment or datetime.now(timezone.utc), payload, finish=finish)


def restrict_dropdowns(parts: Parts, among: set[str], offered: list[str]) -> None:
    """Every drop-down list of the document's parts whose items are all in `among` made to offer exactly `offered`
    (a template lists every word; a form offers only those its reader accepts there)."""
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
    if changed:
        parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def check_docx_template(template: Path, context: dict[str, Any]) -> list[Problem]:
    """Problems of one Word template against the variables of `context`: Jinja syntax, unknown variables (with a
    'did you mean'), tags docxtpl cannot place, and what rendering it with `context` raises."""
    tpl = _load(template)
    try:
        undeclared = tpl.get_undeclared_template_variables(make_env())
    except Exception as err:  # noqa: BLE001 — whatever loading the template's tags raises is the template's problem
        return [template_problem(err, template)]
    problems = [_unknown(template, name, list(context)) for name in sorted(set(undeclared) - set(context))]
    if problems:
        return problems
    try:
        _render(_load(template), template, context)
    except UndefinedField as err:
        problems.append(_unknown(template, err.field, _names(context)))
    except TemplateError as err:
        problems += [replace(p, file=str(template)) for p in err.problems]
    return problems


def _unknown(template: Path, name: str, choices: list[str]) -> Problem:
    """An unknown variable, with the closest known one when there is one."""
    match = difflib.get_close_matches(name, choices, n=1)
    if match:
        return problem(N_("unknown variable {value!r}; did you mean {match!r}?"), template, value=name,
                       match=match[0], code="unknown-variable")
    return problem(N_("unknown variable {value!r}"), template, value=name, code="unknown-variable")


def _names(value: Any) -> list[str]:
    """Every key at any depth of a context (for 'did you mean')."""
    if isinstance(value, dict):
        return [k for k in value] + [n for v in value.values() for n in _names(v)]
    if isinstance(value, list) and value:
        return _names(value[0])
    return []
