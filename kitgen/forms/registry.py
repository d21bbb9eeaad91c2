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
    """A form id, the module that implements it and its file type (known without importing the module). What one
    file is made for (`per`) is the FormType's alone."""

    id: str
    module: str
    suffix: str   # .docx | .xlsx


REGISTRY: tuple[FormLine, ...] = (
    FormLine("audit-report", "audit_report", ".docx"),
    FormLine("audit-checklist", "audit_checklist", ".docx"),
    FormLine("management-review", "management_review", ".docx"),
    FormLine("action-plan", "action_plan", ".xlsx"),
    FormLine("questionnaire", "questionnaire", ".docx"),
    FormLine("evaluation-form", "evaluation_form", ".docx"),
    FormLine("risk-register", "risk_register", ".xlsx"),
    FormLine("document-register", "document_register", ".xlsx"),
    FormLine("audit-programme", "audit_programme", ".xlsx"),
    FormLine("supplier-register", "supplier_register", ".xlsx"),
    FormLine("scope-statement", "scope_statement", ".docx"),
    FormLine("policy-objectives", "policy_objectives", ".docx"),
    FormLine("sms-plan", "sms_plan", ".docx"),
    FormLine("service-catalogue", "service_catalogue", ".docx"),
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
