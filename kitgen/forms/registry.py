"""Every form kitgen builds and reads back, one line each. `build`, `harvest`, `templates`, `package` and the CLI
loop over this table; none of them names a form. Importing it loads no Office library (it keeps `kitgen --help` fast).

To add a form: write its module in kitgen/forms/ (a FormType subclass named FORM: id, template, one per what,
file name, render context, base snapshot, reader), add its templates to templates/fr and templates/en, and add
one line here.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .kind import FormType


@dataclass(frozen=True)
class FormLine:
    """A form id, the module that implements it, its file type and what one file is made for."""

    id: str
    module: str
    suffix: str   # .docx | .xlsx
    per: str      # project | audit | review | kit


REGISTRY: tuple[FormLine, ...] = (
    FormLine("audit-report", "audit_report", ".docx", "audit"),
    FormLine("audit-checklist", "audit_checklist", ".docx", "audit"),
    FormLine("management-review", "management_review", ".docx", "review"),
    FormLine("action-plan", "action_plan", ".xlsx", "project"),
    FormLine("questionnaire", "questionnaire", ".docx", "project"),
    FormLine("evaluation-form", "evaluation_form", ".docx", "kit"),
    FormLine("risk-register", "risk_register", ".xlsx", "project"),
    FormLine("document-register", "document_register", ".xlsx", "project"),
    FormLine("audit-programme", "audit_programme", ".xlsx", "project"),
    FormLine("supplier-register", "supplier_register", ".xlsx", "project"),
    FormLine("scope-statement", "scope_statement", ".docx", "project"),
    FormLine("policy-objectives", "policy_objectives", ".docx", "project"),
    FormLine("sms-plan", "sms_plan", ".docx", "project"),
    FormLine("service-catalogue", "service_catalogue", ".docx", "project"),
)


def form_ids(suffix: str | None = None) -> tuple[str, ...]:
    """Every form id (only those of one file type when `suffix` is given), in registry order."""
    return tuple(line.id for line in REGISTRY if suffix is None or line.suffix == suffix)


def form_type(form_id: str) -> FormType:
    """The FormType of a form id (imports its module); KeyError for an unknown id."""
    line = next((x for x in REGISTRY if x.id == form_id), None)
    if line is None:
        raise KeyError(form_id)
    form: FormType = import_module(f"{__package__}.{line.module}").FORM
    return form


def form_types() -> list[FormType]:
    """Every FormType, in registry order."""
    return [form_type(line.id) for line in REGISTRY]
