"""kitgen: fill and read back the Word and Excel forms of an ISO/IEC 20000-1 certification project.

The public functions load lazily, so that `kitgen --help` does not import the Office libraries.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

# public name -> (module, name there). Names differ from the modules' own (kitgen.jobs.build is a module).
_EXPORTS = {
    "load_project": ("kitgen.project", "load_project"), "save_project": ("kitgen.project", "save_project"),
    "Project": ("kitgen.project", "Project"), "ProjectFile": ("kitgen.project", "ProjectFile"),
    "init_project": ("kitgen.project.starter", "init_project"),
    "project_schema": ("kitgen.project.schema", "project_schema"),
    "build_documents": ("kitgen.jobs.build", "build"), "BuildResult": ("kitgen.jobs.build", "BuildResult"),
    "harvest_forms": ("kitgen.jobs.harvest", "harvest"), "HarvestReport": ("kitgen.jobs.harvest", "HarvestReport"),
    "finding_rows": ("kitgen.project.register", "finding_rows"), "select_findings": ("kitgen.jobs.findings", "select_findings"),
    "check_readiness": ("kitgen.jobs.readiness", "check_readiness"), "calendar_ics": ("kitgen.jobs.calendar", "calendar_ics"),
    "write_calendar": ("kitgen.jobs.calendar", "write_calendar"), "build_package": ("kitgen.jobs.package", "build_package"),
    "aggregate_feedback": ("kitgen.jobs.feedback", "aggregate"), "write_feedback_report": ("kitgen.jobs.feedback_report", "write_report"),
    "check_templates": ("kitgen.jobs.template_check", "check_templates"),
    "clause_coverage": ("kitgen.jobs.coverage", "coverage"),
    "scan_evidence": ("kitgen.jobs.scan", "scan"),
    "export_templates": ("kitgen.jobs.templates", "export_templates"),
    "KitgenError": ("kitgen.errors", "KitgenError"), "ProjectFileError": ("kitgen.errors", "ProjectFileError"),
    "ReadbackError": ("kitgen.errors", "ReadbackError"), "TemplateError": ("kitgen.errors", "TemplateError"),
    "UnsafeFileError": ("kitgen.errors", "UnsafeFileError"),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name == "__version__":  # one place for the version: pyproject.toml, read back from the installed metadata
        from importlib.metadata import version

        return version("kitgen")
    if name in _EXPORTS:
        module, attr = _EXPORTS[name]
        return getattr(import_module(module), attr)
    raise AttributeError(f"module 'kitgen' has no attribute {name!r}")
