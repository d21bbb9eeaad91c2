"""The service management policy and objectives (.docx, one per project; 2018 §5.2, §6.2): the policy's commitments,
written in kitgen's own words from the project (services, obligations, review intervals), and the objectives table
(objective, measure, target, frequency, owner, last result); a version and approval block. Read back: the approval,
and the objectives as edited (a row without a Ref. is a new objective)."""
from __future__ import annotations

from typing import Any

from ..project.models import Project
from ..project.places import Place
from .locale import prose, quantity
from .reading import Reading
from .sms_document import (
    OBJECTIVE_COLUMNS,
    SmsDocument,
    no_objectives_table,
    objective_rows,
    objectives_base,
    or_todo,
)

# The commitments top management makes, in kitgen's words (never the standard's text)
COMMITMENTS = {
    "fr": [
        "{org} fournit à ses clients les services du domaine d'application ({services}) aux niveaux convenus avec "
        "eux, et revoit ces niveaux avec eux.",
        "{org} respecte les exigences qui s'appliquent à ses services : celles de ses clients, de ses accords de "
        "niveau de service, et les obligations légales et contractuelles qu'il a identifiées ({obligations}).",
        "{org} fixe des objectifs de management des services, les mesure et les examine en revue de direction ; "
        "le tableau ci-dessous les donne.",
        "{org} améliore continuellement le SMS et les services : les constats d'audit, les incidents, les "
        "réclamations et les retours des clients donnent lieu à des actions dont l'efficacité est vérifiée.",
        "{org} donne au SMS les personnes, les compétences et les moyens nécessaires, et nomme un responsable pour "
        "chaque processus.",
        "{org} fait connaître cette politique à son personnel et aux parties concernées, et la revoit au moins "
        "tous les {interval}.",
    ],
    "en": [
        "{org} provides its customers with the services in scope ({services}) at the levels agreed with them, and "
        "reviews those levels with them.",
        "{org} meets the requirements that apply to its services: its customers', its service level agreements', "
        "and the legal and contractual obligations it has identified ({obligations}).",
        "{org} sets service management objectives, measures them and examines them at the management review; the "
        "table below lists them.",
        "{org} keeps improving the SMS and the services: audit findings, incidents, complaints and customer "
        "feedback lead to actions whose effectiveness is checked.",
        "{org} gives the SMS the people, skills and means it needs, and names an owner for every process.",
        "{org} makes this policy known to its staff and to the parties concerned, and reviews it at least every "
        "{interval}.",
    ],
}
TOP_MANAGEMENT = "D"


class PolicyObjectives(SmsDocument):
    """The service management policy and the objectives that put it into practice."""

    id = "policy-objectives"
    template = "policy-objectives.docx"
    covers = ("service-management-policy", "objectives")
    names = {"fr": "Politique et objectifs de management des services",
             "en": "Service management policy and objectives"}

    def body(self, project: Project, lang: str) -> dict[str, Any]:
        org = project.organisation
        services = prose([s.name for s in project.scope.services], lang) or or_todo("", lang)
        obligations = "; ".join(org.legal_obligations) or or_todo("", lang)
        interval = quantity(project.certification.management_review_interval_months, "month", lang)
        signatory = next((p for p in project.people if TOP_MANAGEMENT in p.roles), None)
        return {
            "commitments": [c.format(org=org.legal_name, services=services, obligations=obligations,
                                     interval=interval) for c in COMMITMENTS[lang]],
            "objectives": objective_rows(project, lang),
            "columns": OBJECTIVE_COLUMNS[lang],
            "signatory": {"name": signatory.name if signatory else or_todo("", lang),
                          "title": signatory.title if signatory else ""},
        }

    def body_base(self, project: Project) -> dict[Place, dict[str, Any]]:
        return objectives_base(project)

    def read_body(self, tables: list[Any], project: Project, reading: Reading) -> None:
        if not self.read_objectives(tables, project, reading):
            no_objectives_table(reading)


FORM = PolicyObjectives()
