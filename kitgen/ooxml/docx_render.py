"""Renders a docxtpl template in the strict sandbox and stamps the result with identity properties and a payload."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from ..errors import TemplateError
from .parts import PropValue, add_identity
from .safety import check_package
from .sandbox import make_env

_ATTR = re.compile(r"has no attribute '([^']+)'|'([^']+)' is undefined")


def undefined_name(err: UndefinedError) -> str:
    """The variable or attribute a StrictUndefined error is about."""
    m = _ATTR.search(str(err.message or ""))
    return (m.group(1) or m.group(2)) if m else str(err.message)


def render_docx(template: Path, context: dict[str, Any], props: dict[str, PropValue], payload: str | None = None,
                moment: datetime | None = None) -> bytes:
    """The filled document as bytes; a bad or hostile template raises TemplateError naming it.

    `moment` stamps the package's creation dates and zip entries (reproducible output); default: now.
    """
    from docxtpl import DocxTemplate

    check_package(template, "docx")
    try:
        tpl = DocxTemplate(str(template))
        tpl.render(context, jinja_env=make_env(), autoescape=True)
        buf = io.BytesIO()
        tpl.save(buf)
    except UndefinedError as err:
        raise TemplateError(f"{template.name}: unknown variable {undefined_name(err)!r}; "
                            "`kitgen templates vars FORM` lists the variables") from None
    except TemplateSyntaxError as err:
        raise TemplateError(f"{template.name}: template syntax error: {err.message}") from None
    except SecurityError as err:
        raise TemplateError(f"{template.name}: refused by the template sandbox: {err}") from None
    except (OverflowError, RecursionError, MemoryError) as err:
        raise TemplateError(f"{template.name}: refused by the template sandbox: {type(err).__name__}") from None
    return add_identity(buf.getvalue(), props, moment or datetime.now(timezone.utc), payload)
