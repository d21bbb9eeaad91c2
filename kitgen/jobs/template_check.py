"""`kitgen templates check|vars`: find what would break a user's template before a build does."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import N_, KitgenError, Problem, TemplateError, problem
from ..forms.kind import load_before_fork
from ..forms.registry import form_type, form_types
from ..infra.shipped import shipped
from ..project.models import Project


def sample_project(lang: str) -> Project:
    """The shipped sample of `lang`, whose values stand in for a real project when checking templates."""
    from ..project import load_project

    name = "fr/projet.yaml" if lang == "fr" else "en/project.yaml"
    return load_project(shipped("examples", name)).project


def flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """('audit.dates', '6–7 octobre 2026') pairs for every leaf. A list of tables shows its first item's fields as
    NAME[0].field; a list of texts shows how it prints (NAME) and how to reach its items (NAME[0])."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in flatten(v, f"{prefix}.{k}" if prefix else k)]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return flatten(value[0], f"{prefix}[0]")
    if isinstance(value, list) and value:
        return [(prefix, value), (f"{prefix}[0]", value[0])]
    return [(prefix, value)]


NOTHING_TO_SHOW = {"audit": N_("project {value!r} has no audit to show a {form}'s variables with"),
                   "review": N_("project {value!r} has no management review to show a {form}'s variables with")}


def template_vars(form_id: str, project: Project, lang: str) -> list[tuple[str, Any]]:
    """Every variable a Word template of `form_id` can use, with its value for `project`."""
    form = form_type(form_id)
    key = form.example_key(project)
    if form.per in ("audit", "review") and key is None:
        raise KitgenError(NOTHING_TO_SHOW[form.per], value=project.id, form=form_id, code="nothing-to-show")
    return flatten(form.template_context(project, key, lang))


def _lang_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root).parts
    return parts[0] if parts and parts[0] in ("fr", "en") else "fr"


def _outcome(path: Path, result: Any) -> list[Problem]:
    """The problems of one template from what its checking worker handed back (a list, or how it ended), each
    naming the template by the path given (a problem that names it by its file name alone included)."""
    from ..infra.limits import ChildFailed, LimitExceeded

    if isinstance(result, LimitExceeded):
        return [result.problem(path)]
    if isinstance(result, ChildFailed):
        if isinstance(result.error, KitgenError):
            return [_naming(p, path) for p in result.error.problems]
        return [problem(N_("checking failed ({kind}: {detail})"), path, kind=result.kind, detail=result.message,
                        hint=N_("rebuild it from `kitgen templates export`"), code="template")]
    # a line a form still writes as text (no fields to translate) is kept as it is
    return [_naming(p, path) if isinstance(p, Problem) else Problem(p.replace("{", "{{").replace("}", "}}"),
                                                                    code="template") for p in result]


def _naming(found: Problem, path: Path) -> Problem:
    """`found` located in the template at `path`: a problem naming no file, or the template's name only, names it."""
    return replace(found, file=str(path)) if found.file in (None, path.name) else found


def check_templates(folder: Path) -> tuple[list[Path], list[Problem]]:
    """(templates checked, problems) for every kitgen template under `folder`, each checked in a worker under the
    rendering limits, the workers running side by side (one per core) on the sample project of the file's language
    (loaded once per language)."""
    from ..infra.limits import run_many

    if not folder.is_dir():
        raise TemplateError(N_("not a folder"), folder, hint=N_("give the folder `kitgen templates export` wrote"),
                            code="not-a-folder")
    by_file = {form.template: form for form in form_types()}
    checked = [path for path in sorted(folder.rglob("*")) if path.name in by_file and path.is_file()]
    if not checked:
        raise TemplateError(N_("no kitgen template found (expected {expected})"), folder, expected=", ".join(by_file),
                            code="no-template")
    projects: dict[str, Project] = {}
    works = []
    for path in checked:
        lang = _lang_of(path, folder)
        if lang not in projects:
            projects[lang] = sample_project(lang)
        works.append(lambda form=by_file[path.name], path=path, project=projects[lang], lang=lang:
                     form.check_template(path, project, lang))
    load_before_fork({path.suffix for path in checked}, set(projects))
    problems = [problem for path, result in zip(checked, run_many(works)) for problem in _outcome(path, result)]
    return checked, problems
