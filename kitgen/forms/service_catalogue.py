"""The service catalogue (.docx, one per project; 2018 §8.2.4): each service with its description, customers,
the services and other parties it depends on, its service level targets and agreement, and its owner; a version and
approval block. A Word document rather than a workbook: customers and auditors read it as a document, one section
per service, and it carries the approval block the other SMS documents have. Read back: the approval, and each
service's fields as edited (a service table without a Ref. is a new service)."""
from __future__ import annotations

from typing import Any

from ..project.models import Project
from ..project.places import Place
from .reading import Reading
from .sms_document import SERVICE_ROWS, SmsDocument, service_card, services_base

FIELDS = ("name", "description", "customers", "depends_on", "suppliers", "service_levels", "agreement", "owner")


class ServiceCatalogue(SmsDocument):
    """The services the organisation provides, as its customers and auditors read them."""

    id = "service-catalogue"
    template = "service-catalogue.docx"
    covers = ("catalogue",)
    names = {"fr": "Catalogue de services", "en": "Service catalogue"}

    def body(self, project: Project, lang: str) -> dict[str, Any]:
        return {"services": [service_card(project, s, lang) for s in project.scope.services],
                "rows": SERVICE_ROWS[lang]}

    def body_base(self, project: Project) -> dict[Place, dict[str, Any]]:
        return services_base(project, FIELDS)

    def read_body(self, tables: list[Any], project: Project, reading: Reading) -> None:
        self.read_services(tables, project, reading, FIELDS)


FORM = ServiceCatalogue()
