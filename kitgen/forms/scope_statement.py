"""The scope statement (.docx, one per project; 2018 §4.3): the scope in the certification's words, the services and
their customers, the sites, the boundaries with the other parties and what they operate (§8.2.3), what is outside
the scope and why, and a version and approval block. Read back: the approval (recorded in the project), the scope
statement and exclusions as edited."""
from __future__ import annotations

from typing import Any

from ..errors import N_, problem
from ..frameworks import get_framework
from ..infra.text import fold
from ..project.models import Project
from ..project.places import Place
from .reading import REBUILD, Reading
from .sms_document import SmsDocument, blank, or_todo

# The table of what the scope says: read back into the project (scope.statement, scope.exclusions)
SCOPE_ROWS = {"fr": {"scope.statement": "Domaine d'application", "scope.exclusions": "Hors du domaine d'application"},
              "en": {"scope.statement": "Scope", "scope.exclusions": "Outside the scope"}}
ROOT: Place = ("register",)   # the place of the project file's top: fields named by their path (scope.statement)
TEXT = {
    "fr": {"requirements": "Aucune exigence des articles {first} à {last} de la norme n'est exclue : le SMS les "
                           "applique toutes aux services ci-dessous, y compris aux processus opérés par des parties "
                           "externes, que l'organisme maîtrise.",
           "outsourced": "{party} opère : {process}"},
    "en": {"requirements": "No requirement of clauses {first} to {last} of the standard is excluded: the SMS applies "
                           "them all to the services below, including the processes operated by other parties, which "
                           "the organisation controls.",
           "outsourced": "{party} operates: {process}"},
}
# The requirement clauses each edition makes mandatory in full (no exclusion allowed)
REQUIREMENT_CLAUSES = {2005: ("3", "10"), 2011: ("4", "9"), 2018: ("4", "10")}


class ScopeStatement(SmsDocument):
    """The SMS's scope, its services, sites and boundaries."""

    id = "scope-statement"
    template = "scope-statement.docx"
    covers = ("scope",)
    names = {"fr": "Domaine d'application du SMS", "en": "Scope of the SMS"}

    def body(self, project: Project, lang: str) -> dict[str, Any]:
        fw = get_framework(project.framework)
        t = TEXT[lang]
        parties = []
        for o in project.scope.outsourced:
            party = project.party(o.party)
            process = fw.process_title(o.process, lang) if o.process in fw.processes else o.process
            parties.append({"party": party.name if party else o.party, "process": process,
                            "description": or_todo(o.description, lang), "control": or_todo(o.control, lang)})
        first, last = REQUIREMENT_CLAUSES[fw.edition]
        org = project.organisation
        return {
            "scope": {"statement": or_todo(project.scope.statement, lang),
                      "exclusions": or_todo(project.scope.exclusions, lang),
                      "requirements": t["requirements"].format(first=first, last=last)},
            "services": [{"id": s.id, "name": s.name,
                          "customers": ", ".join(p.name if (p := project.party(c)) else c for c in s.customers)
                          or or_todo("", lang)} for s in project.scope.services],
            "sites": [{"name": s.name, "address": s.address, "activity": or_todo(s.activity, lang)}
                      for s in org.sites],
            "locations": ", ".join(project.scope.locations) or or_todo("", lang),
            "parties": parties,
            "rows": SCOPE_ROWS[lang],
        }

    def body_base(self, project: Project) -> dict[Place, dict[str, Any]]:
        return {ROOT: {"scope.statement": project.scope.statement, "scope.exclusions": project.scope.exclusions}}

    def read_body(self, tables: list[Any], project: Project, reading: Reading) -> None:
        """The scope statement's and the exclusions' rows, wherever they stand (each in its own table)."""
        from .values import ValueProblem, check_text

        labels = {fold(text): key for rows in SCOPE_ROWS.values() for key, text in rows.items()}
        values: dict[str, Any] = {}
        for t_index, rows in enumerate(tables, start=1):
            for r, row in enumerate(rows, start=1):
                key = labels.get(fold(row[0].text)) if len(row) > 1 else None
                if key is None:
                    continue
                try:
                    values[key] = "" if blank(row[1].text) else check_text(row[1].text.strip())
                except ValueProblem as err:
                    reading.problems.append(err.at(reading.name, reading.in_table(t_index, r)))
                if key == "scope.statement" and values.get(key) == "":
                    reading.problems.append(problem(N_("the scope statement is empty; a scope needs its statement"),
                                                    reading.name, place=reading.in_table(t_index, r),
                                                    code="missing-value"))
        if "scope.statement" not in values:
            words = SCOPE_ROWS[reading.lang if reading.lang in SCOPE_ROWS else "en"]
            reading.problems.append(problem(N_("no scope table ({expected}); was it restructured?"), reading.name,
                                            expected=", ".join(words.values()), hint=REBUILD, code="restructured"))
            return
        reading.values[ROOT] = values

FORM = ScopeStatement()
