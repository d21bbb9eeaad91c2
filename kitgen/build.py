"""`kitgen build`: fill the templates from the project file, never overwriting a file someone edited since."""
from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import KitgenError, OverwriteRefused
from .forms import action_plan, audit_report, evaluation_form, questionnaire
from .forms.common import identity, now, to_json
from .project.load import ProjectFile
from .project.models import Project
from .project.save import atomic_write
from .templates import resolve
from .tracking import finding_rows

FORMS = ("audit-report", "action-plan", "questionnaire", "evaluation-form")
LEDGER = ".kitgen-written.json"


@dataclass
class BuildResult:
    """What a build wrote."""

    written: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Ledger:
    """What kitgen wrote in a folder (file name -> SHA-256), so that edited files are never overwritten."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LEDGER
        try:
            self.entries: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self.entries = {}

    def unchanged(self, path: Path) -> bool:
        """True when `path` is exactly what kitgen last wrote there."""
        return self.entries.get(path.name) == _sha(path.read_bytes())

    def record(self, path: Path, data: bytes) -> None:
        self.entries[path.name] = _sha(data)

    def save(self) -> None:
        atomic_write(self.path, json.dumps(self.entries, indent=1, sort_keys=True).encode())


def write_output(path: Path, data: bytes, ledger: Ledger, *, force: bool, result: BuildResult) -> None:
    """Write a generated file, refusing to replace one edited since kitgen wrote it unless `force` (then back it up)."""
    if path.exists() and not ledger.unchanged(path):
        if not force:
            raise OverwriteRefused(path)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
        shutil.copy2(path, backup)
        result.backups.append(backup)
    atomic_write(path, data)
    ledger.record(path, data)
    result.written.append(path)


def _jobs(pf: ProjectFile, forms: Sequence[str], audit_id: str | None) -> list[tuple[str, str | None]]:
    project = pf.project
    if audit_id and not project.audit(audit_id):
        known = ", ".join(a.id for a in project.audits) or "none"
        raise KitgenError(f"{pf.path}: no audit {audit_id!r} (audits: {known})")
    if "audit-report" in forms and not project.audits:
        raise KitgenError(f"{pf.path}: no audit to report on; add one under audits (see the samples)")
    jobs: list[tuple[str, str | None]] = []
    for form in forms or FORMS:
        if form == "audit-report":
            ids = [audit_id] if audit_id else [a.id for a in project.audits]
            jobs += [(form, a) for a in ids]
        else:
            jobs.append((form, None))
    return jobs


def template_context(project: Project, form: str, lang: str, audit_id: str | None = None) -> dict[str, Any]:
    """The variables a Word template of `form` may use (for the first audit when none is named)."""
    if form == "audit-report":
        audit = project.audit(audit_id) if audit_id else (project.audits[0] if project.audits else None)
        if audit is None:
            raise KitgenError(f"project {project.id!r} has no audit to fill an audit report with")
        return audit_report.context(project, audit, lang)
    if form == "questionnaire":
        return questionnaire.context(project, lang)
    if form == "evaluation-form":
        return evaluation_form.context(project, lang)
    raise KitgenError(f"form {form!r} has no Word template")


def render_form(pf: ProjectFile, form: str, audit_id: str | None, lang: str, template: Path) -> tuple[str, bytes]:
    """(file name, bytes) of one generated form."""
    from .ooxml.docx_render import render_docx

    project = pf.project
    if form == "action-plan":
        tracked = {row.id: row for row in finding_rows(project)}
        return action_plan.FILE_NAME, action_plan.render(project, lang, template, tracked)
    ctx = template_context(project, form, lang, audit_id)
    if form == "audit-report":
        audit = project.audit(audit_id or "")
        assert audit is not None
        return (audit_report.file_name(audit.id),
                render_docx(template, ctx, identity(form, project, lang, audit.id),
                            to_json(audit_report.base(project, audit)), now()))
    name = questionnaire.FILE_NAME if form == "questionnaire" else evaluation_form.FILE_NAME
    return name, render_docx(template, ctx, identity(form, project, lang), moment=now())


def build(pf: ProjectFile, forms: Sequence[str] = (), *, audit: str | None = None, lang: str | None = None,
          out_dir: Path = Path("output"), templates: Path | None = None, template: Path | None = None,
          force: bool = False, pdf: bool = False, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Generate `forms` (default: all, every audit) into `out_dir`; returns what was written.

    `template` fills one Word file of the user's own (e.g. a certification body's questionnaire with Jinja tags)
    for the single form named; the result is named `<form>-<template name>.docx`.
    """
    lang = lang or pf.project.language
    jobs = _jobs(pf, forms, audit)
    if template is not None:
        if len(forms) != 1 or forms[0] == "action-plan" or len(jobs) != 1:
            raise KitgenError("--template fills one Word form: name exactly one FORM (and --audit for an audit report)")
        if not template.is_file():
            raise KitgenError(f"{template}: template file not found")
    out_dir.mkdir(parents=True, exist_ok=True)
    ledger = Ledger(out_dir)
    result = BuildResult()
    try:
        for form, audit_id in jobs:
            if progress:
                progress(f"{form} {audit_id or ''}".strip())
            source = template or resolve(form, lang, templates)
            name, data = render_form(pf, form, audit_id, lang, source)
            if template is not None:
                name = f"{form}-{template.stem}.docx"
            write_output(out_dir / name, data, ledger, force=force, result=result)
            if form == "questionnaire":
                missing = questionnaire.missing_answers(pf.project, lang)
                if missing:
                    result.warnings.append(f"{name}: to be completed: {'; '.join(missing)}")
    finally:
        ledger.save()
    if pdf and result.written:
        from .ooxml.office import convert

        result.pdfs = convert(result.written, "pdf", out_dir)
    return result
