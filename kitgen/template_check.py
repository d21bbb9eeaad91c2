"""`kitgen templates check|vars`: find what would break a user's template before a build does."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .build import template_context
from .errors import KitgenError, TemplateError
from .project.models import Project
from .templates import TEMPLATE_FILES, shipped_dir

FORM_OF_FILE = {name: form for form, name in TEMPLATE_FILES.items()}


def sample_project(lang: str) -> Project:
    """The shipped sample of `lang`, whose values stand in for a real project when checking templates."""
    from .project import load_project

    name = "fr/projet.yaml" if lang == "fr" else "en/project.yaml"
    return load_project(shipped_dir().parent / "samples" / name).project


def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """('audit.dates', '6–7 octobre 2026') pairs for every leaf; lists show their first item as NAME[0]."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in flatten(v, f"{prefix}.{k}" if prefix else k)]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return flatten(value[0], f"{prefix}[0]")
    return [(prefix, value)]


def template_vars(form: str, project: Project, lang: str) -> list[tuple[str, Any]]:
    """Every variable a template of `form` can use, with its value for `project`."""
    return flatten(template_context(project, form, lang))


def _names(ctx: dict[str, Any]) -> list[str]:
    return sorted({name.split("[")[0].split(".")[-1] for name, _ in flatten(ctx)} | set(ctx))


def _lang_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root).parts
    return parts[0] if parts and parts[0] in ("fr", "en") else "fr"


def check_docx(path: Path, form: str, lang: str) -> list[str]:
    """Problems of one Word template: unsafe file, Jinja syntax, unknown variables, tags docxtpl cannot place."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    from .ooxml.docx_render import render_docx
    from .ooxml.safety import check_package
    from .ooxml.sandbox import make_env

    check_package(path, "docx")
    ctx = template_context(sample_project(lang), form, lang)
    try:
        undeclared = DocxTemplate(str(path)).get_undeclared_template_variables(make_env())
    except TemplateSyntaxError as err:
        return [f"{path}: Jinja syntax error: {err.message} (a tag docxtpl cannot place, or an unclosed block)"]
    except KitgenError:
        raise
    except Exception as err:  # docxtpl raises bare errors for XML it cannot patch
        return [f"{path}: cannot read as a Word template: {err}"]
    problems = []
    for name in sorted(set(undeclared) - set(ctx)):
        match = difflib.get_close_matches(name, list(ctx), n=1)
        problems.append(f"{path}: unknown variable {name!r}" + (f"; did you mean {match[0]!r}?" if match else ""))
    if problems:
        return problems
    try:
        render_docx(path, ctx, {})
    except TemplateError as err:
        msg = str(err).split(": ", 1)[-1]
        if msg.startswith("unknown variable"):
            name = msg.split("'")[1]
            match = difflib.get_close_matches(name, _names(ctx), n=1)
            msg = f"unknown variable {name!r}" + (f"; did you mean {match[0]!r}?" if match else "")
        problems.append(f"{path}: {msg}")
    return problems


def check_xlsx(path: Path) -> list[str]:
    """Problems of an action-plan workbook: unsafe file or missing columns."""
    from openpyxl import load_workbook

    from .forms.action_plan import COLUMNS, header_labels
    from .ooxml.safety import check_package
    from .ooxml.xlsx import header_map

    check_package(path, "xlsx")
    ws = load_workbook(path, read_only=True).worksheets[0]
    found = header_map(ws, header_labels())
    missing = [en for key, _, en, _ in COLUMNS if key not in found and key != "preventive"]
    return [f"{path}: missing column(s) in the first sheet's header row: {', '.join(missing)}"] if missing else []


def check_templates(folder: Path) -> tuple[list[Path], list[str]]:
    """(templates checked, problems) for every kitgen template under `folder`."""
    if not folder.is_dir():
        raise TemplateError(f"{folder}: not a folder; give the folder `kitgen templates export` wrote")
    checked, problems = [], []
    for path in sorted(folder.rglob("*")):
        form = FORM_OF_FILE.get(path.name)
        if not form or not path.is_file():
            continue
        checked.append(path)
        try:
            if path.suffix == ".xlsx":
                problems += check_xlsx(path)
            else:
                problems += check_docx(path, form, _lang_of(path, folder))
        except TemplateError as err:
            problems.append(str(err))
        except KitgenError as err:
            problems.append(f"{path}: {err}" if str(path) not in str(err) else str(err))
    if not checked:
        raise TemplateError(f"{folder}: no kitgen template found (expected {', '.join(TEMPLATE_FILES.values())})")
    return checked, problems
