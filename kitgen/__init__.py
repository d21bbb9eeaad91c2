"""kitgen: fill and read back the Word and Excel forms of an ISO/IEC 20000-1 certification project.

The public functions load lazily, so that `kitgen --help` does not import the Office libraries.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "load_project": "kitgen.project", "save_project": "kitgen.project", "Project": "kitgen.project",
    "ProjectFile": "kitgen.project", "init_project": "kitgen.project.starter", "project_schema": "kitgen.project.schema",
    "build": "kitgen.build", "BuildResult": "kitgen.build",
    "harvest": "kitgen.harvest", "HarvestReport": "kitgen.harvest",
    "finding_rows": "kitgen.tracking", "select_findings": "kitgen.tracking",
    "readiness": "kitgen.readiness", "calendar_ics": "kitgen.readiness", "write_calendar": "kitgen.readiness",
    "build_package": "kitgen.package",
    "aggregate": "kitgen.feedback", "write_report": "kitgen.feedback",
    "check_templates": "kitgen.template_check", "export_templates": "kitgen.templates",
    "KitgenError": "kitgen.errors", "ProjectFileError": "kitgen.errors", "ReadbackError": "kitgen.errors",
    "TemplateError": "kitgen.errors", "UnsafeFileError": "kitgen.errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kitgen' has no attribute {name!r}")
