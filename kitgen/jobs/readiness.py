"""Is the organisation ready for its next certification audit? The checks a lead auditor would make, in order,
each with its reason and what to do, judged on the project as it stood on a date.

Profiles: `stage1` (documentation and readiness) and `stage2` (the certification audit: stage 1 done, its areas of
concern addressed). A failed check means not ready; a warning is advice and never blocks.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from ..forms.common import today
from ..forms.registry import form_types
from ..frameworks import get_framework, migration
from ..project.cycle import programme as audit_programme
from ..project.history import as_of as project_as_of
from ..project.load import ProjectFile
from ..project.models import Finding, Project
from ..project.reviews import (
    SERVICE_SUPPLIERS,
    default_owner,
    evidence,
    review_months,
    risk_ids,
    supplier_next_review,
    suppliers,
)
from ..project.status import OPEN_ACTION, action_days_overdue, action_is_verified, finding_status

HISTORY_MONTHS = 3        # the seed: "un historique suffisant supérieur à 3 mois"
RECENT_DAYS = 62          # a process whose last record is older than this looks stalled

TEXT: dict[str, dict[str, str]] = {
    "edition.pass": {"fr": "{title}, l'édition selon laquelle les organismes certifient",
                     "en": "{title}, the edition certification bodies certify against"},
    "edition.fail": {"fr": "{why}", "en": "{why}"},
    "edition.todo": {"fr": "passer le projet à iso20000-1:2018, article par article : {moves}",
                     "en": "move the project to iso20000-1:2018, clause by clause: {moves}"},
    "scope.pass": {"fr": "périmètre de certification défini", "en": "certification scope stated"},
    "scope.fail": {"fr": "aucun périmètre de certification", "en": "no certification scope"},
    "scope.todo": {"fr": "écrire le périmètre dans scope.statement", "en": "write the scope in scope.statement"},
    "documented.pass": {"fr": "informations documentées présentes : {items}", "en": "documented information present: {items}"},
    "documented.fail": {"fr": "informations documentées manquantes : {items}", "en": "documented information missing: {items}"},
    "documented.todo": {"fr": "les ajouter aux documents (kind: {kinds}) de management_system ou des processus",
                        "en": "add them to the documents (kind: {kinds}) of management_system or of the processes"},
    "processes.pass": {"fr": "les {n} processus ont un responsable et des documents",
                       "en": "all {n} processes have an owner and documents"},
    "processes.fail": {"fr": "{done} processus sur {n} en place ({details})",
                       "en": "{done} of {n} processes in place ({details})"},
    "processes.todo": {"fr": "donner à chaque processus du référentiel un responsable et au moins un document",
                       "en": "give every process of the framework an owner and at least one document "
                             "(procedure, plan, policy)"},
    "not-described": {"fr": "non décrits : {items}", "en": "not described: {items}"},
    "no-document": {"fr": "sans document : {items}", "en": "no document: {items}"},
    "records-history.pass": {"fr": "chaque processus a des enregistrements depuis le {start} ou avant",
                             "en": "every process has records since {start} or earlier"},
    "records-history.fail": {"fr": "moins de {months} mois d'enregistrements : {items}",
                             "en": "less than {months} months of records: {items}"},
    "records-history.todo": {"fr": "tenir des enregistrements pour ces processus depuis le {start} ou avant ; demander la "
                                   "certification plus tard", "en": "keep records for these processes from {start} or "
                                                                    "earlier; ask for certification later"},
    "records-recent.pass": {"fr": "chaque processus a un enregistrement de moins de {days} jours",
                            "en": "every process has a record in the last {days} days"},
    "records-recent.warn": {"fr": "pas d'enregistrement récent : {items}", "en": "no recent record: {items}"},
    "records-recent.todo": {"fr": "enregistrer l'activité récente de ces processus",
                            "en": "record the processes' recent activity"},
    "internal-audit.pass": {"fr": "audit interne {audit} réalisé le {day}, rapport {report}",
                            "en": "internal audit {audit} done on {day}, report {report}"},
    "internal-audit.built": {"fr": "produit par kitgen", "en": "built by kitgen"},
    "internal-audit.none": {"fr": "aucun audit interne (audit à blanc) réalisé", "en": "no internal (mock) audit done"},
    "internal-audit.none.todo": {"fr": "faire auditer le SMS par la ressource certifiée Fondation ou un consultant "
                                       "externe, enregistré sous audits (puis kitgen build … --audit ID)",
                                 "en": "have the SMS audited by the Foundation-certified staff member or an external "
                                       "consultant, recorded under audits (then kitgen build … --audit ID)"},
    "internal-audit.old": {"fr": "dernier audit interne {audit} le {day}, il y a plus de {months} mois",
                           "en": "last internal audit {audit} on {day}, more than {months} months ago"},
    "internal-audit.old.todo": {"fr": "refaire un audit interne : il a lieu à intervalles planifiés (§ {clause})",
                                "en": "audit the SMS again: internal audits take place at planned intervals "
                                      "(§ {clause})"},
    "internal-audit.report": {"fr": "l'audit interne {audit} n'a pas de rapport", "en": "internal audit {audit} has no report"},
    "internal-audit.report.todo": {"fr": "produire son rapport (kitgen build … --audit {audit}) ou indiquer "
                                         "le chemin du rapport signé dans le champ report de l'audit",
                                   "en": "build its report (kitgen build … --audit {audit}) or record the "
                                         "signed report's path in the audit's report field"},
    "coverage.pass": {"fr": "les audits internes des {months} derniers mois couvrent les {n} articles",
                      "en": "the internal audits of the last {months} months cover all {n} clauses"},
    "coverage.fail": {"fr": "articles non couverts par les audits internes des {months} derniers mois : {items}",
                      "en": "clauses no internal audit of the last {months} months covered: {items}"},
    "coverage.fail.todo": {"fr": "les auditer (liste de contrôle d'audit) avant la demande de certification",
                           "en": "audit them (audit checklist) before asking for certification"},
    "coverage.warn": {"fr": "couverture des articles non enregistrée pour {audit}",
                      "en": "clause coverage not recorded for {audit}"},
    "coverage.warn.todo": {"fr": "remplir sa liste de contrôle (kitgen build … --audit {audit}) et la récolter "
                                 "(kitgen harvest)", "en": "fill its audit checklist (kitgen build … --audit {audit}) "
                                                           "and harvest it (kitgen harvest)"},
    "independence.pass": {"fr": "les auditeurs internes n'ont pas audité leurs propres processus",
                          "en": "internal auditors did not audit their own processes"},
    "independence.fail": {"fr": "constats dans des processus dont l'auditeur est responsable : {items}",
                          "en": "findings in processes owned by their auditor: {items}"},
    "independence.fail.todo": {"fr": "faire auditer ces processus par une autre personne ou un consultant externe "
                                     "(§ {clause} : les auditeurs n'auditent pas leur propre travail)",
                               "en": "have these processes audited by someone else or an external consultant "
                                     "(§ {clause}: auditors do not audit their own work)"},
    "independence.warn": {"fr": "{auditor} a audité des processus dont il ou elle est responsable : {items}",
                          "en": "{auditor} audited processes they own: {items}"},
    "review.pass": {"fr": "revue de direction tenue le {day}, après l'audit interne {audit}, compte rendu "
                                     "{minutes}", "en": "management review held on {day}, after internal audit {audit}, "
                                                         "minutes {minutes}"},
    "review.minutes": {"fr": "la revue de direction du {day} n'a pas de compte rendu",
                                  "en": "the management review of {day} has no minutes"},
    "review.minutes.todo": {"fr": "produire son compte rendu (kitgen build … --review {day}) "
                                             "ou indiquer le chemin du compte rendu signé (minutes)",
                                       "en": "build its minutes (kitgen build … --review {day}) or "
                                             "record the signed minutes' path (minutes)"},
    "review.none": {"fr": "aucune revue de direction tenue", "en": "no management review held"},
    "review.none.todo": {"fr": "tenir une revue de direction après l'audit interne, enregistrée sous "
                                          "management_reviews (puis kitgen build … --review DATE)",
                                    "en": "hold a management review after the internal audit, recorded under "
                                          "management_reviews (then kitgen build … --review DATE)"},
    "review.before": {"fr": "la revue de direction du {day} précède l'audit interne {audit} du {audit_day} : "
                                       "elle n'a pas pu en examiner les résultats",
                                 "en": "the management review of {day} came before internal audit {audit} of "
                                       "{audit_day}: it could not consider its results"},
    "review.before.todo": {"fr": "tenir une revue de direction après l'audit (§ {clause})",
                                      "en": "hold a management review after the audit (§ {clause})"},
    "review.old": {"fr": "dernière revue de direction le {day}, il y a plus de {months} mois",
                              "en": "last management review on {day}, more than {months} months ago"},
    "review.old.todo": {"fr": "tenir une nouvelle revue de direction (§ {clause})",
                                   "en": "hold a new management review (§ {clause})"},
    "major-nc.pass": {"fr": "aucune non-conformité majeure ouverte", "en": "no open major nonconformity"},
    "major-nc.fail": {"fr": "non-conformités majeures ouvertes : {items}", "en": "open major nonconformities: {items}"},
    "major-nc.todo": {"fr": "les corriger et vérifier l'efficacité des actions avant de demander la certification",
                      "en": "correct them and verify the actions' effectiveness before asking for certification"},
    "minor-actions.pass": {"fr": "chaque non-conformité mineure ouverte a une action en cours, avec responsable et "
                                 "échéance", "en": "every open minor has an action under way, with owner and due date"},
    "minor-actions.fail": {"fr": "non-conformités mineures sans action en cours avec responsable et échéance : {items}",
                           "en": "minor nonconformities without an owned, dated action under way: {items}"},
    "minor-actions.todo": {"fr": "donner à chacune une action avec responsable et échéance (une non-conformité "
                                 "rouverte par un audit en demande une nouvelle)",
                           "en": "give each an action with an owner and a due date (a nonconformity an audit "
                                 "reopened needs a new one)"},
    "overdue-actions.pass": {"fr": "aucune action en retard", "en": "no overdue action"},
    "overdue-actions.warn": {"fr": "actions en retard : {items}", "en": "overdue actions: {items}"},
    "overdue-actions.todo": {"fr": "les terminer ou convenir de nouvelles échéances",
                             "en": "finish them or agree new due dates"},
    "stage1.pass": {"fr": "audit d'étape 1 {audit} réalisé", "en": "stage 1 audit {audit} done"},
    "stage1.fail": {"fr": "aucun audit d'étape 1 enregistré", "en": "no stage 1 audit recorded"},
    "stage1.todo": {"fr": "l'étape 2 suit l'étape 1 : enregistrer l'audit d'étape 1 (kind: stage1) et ses points de "
                          "vigilance", "en": "stage 2 follows stage 1: record the stage 1 audit (kind: stage1) and its "
                                            "areas of concern"},
    "concerns.pass": {"fr": "points de vigilance de l'étape 1 traités", "en": "stage 1 areas of concern addressed"},
    "concerns.fail": {"fr": "points de vigilance de l'étape 1 non traités : {items}",
                      "en": "stage 1 areas of concern not addressed: {items}"},
    "concerns.todo": {"fr": "les traiter avant l'étape 2 : ils peuvent y devenir des non-conformités",
                      "en": "address them before stage 2: they may become nonconformities there"},
    "foundation.pass": {"fr": "certifié(e)s Fondation : {items}", "en": "Foundation-certified: {items}"},
    "foundation.warn": {"fr": "personne n'a le certificat ISO/IEC 20000 Fondation",
                        "en": "nobody holds the ISO/IEC 20000 Foundation certificate"},
    "foundation.todo": {"fr": "conseil : former et certifier une personne (RCF) auprès d'un organisme accrédité",
                        "en": "advice: train and certify a staff member (RCF) with an accredited course provider"},
    "certification-body.pass": {"fr": "organisme de certification : {name}", "en": "certification body: {name}"},
    "certification-body.warn": {"fr": "aucun organisme de certification choisi", "en": "no certification body chosen"},
    "certification-body.todo": {"fr": "conseil : comparer des organismes accrédités (COFRAC, UKAS…) pour l'ISO/IEC "
                                      "20000-1 et renseigner certification.body",
                                "en": "advice: compare bodies accredited (UKAS, COFRAC…) for ISO/IEC 20000-1 and set "
                                      "certification.body"},
    "and-more": {"fr": " et {n} autre(s)", "en": " and {n} more"},
    "verdict.ready": {"fr": "PRÊT pour l'audit d'étape {n} au {day}", "en": "READY for the stage {n} audit as of {day}"},
    "verdict.not-ready": {"fr": "PAS PRÊT pour l'audit d'étape {n} au {day}",
                          "en": "NOT READY for the stage {n} audit as of {day}"},
}


# the registers' checks: risks reviewed, documents under control, the audit programme, suppliers reviewed
TEXT.update({
    "risks.pass": {"fr": "{n} risque(s) et opportunité(s), chacun revu depuis moins de {months} mois",
                   "en": "{n} risk(s) and opportunities, each reviewed in the last {months} months"},
    "risks.none": {"fr": "aucun risque ni opportunité enregistré (§ {clause})",
                   "en": "no risk or opportunity recorded (§ {clause})"},
    "risks.none.todo": {"fr": "les déterminer et les enregistrer sous risks, avec leur traitement (registre des "
                              "risques : kitgen build … risk-register)",
                        "en": "determine them and record them under risks, with their treatment (the risk register: "
                              "kitgen build … risk-register)"},
    "risks.fail": {"fr": "risques non revus depuis {months} mois : {items}",
                   "en": "risks not reviewed in the last {months} months: {items}"},
    "risks.todo": {"fr": "les revoir et noter la date de revue (colonne « Revu le » du registre des risques, puis "
                         "kitgen harvest)", "en": "review them and record the date (the risk register's « Reviewed "
                                                  "on » column, then kitgen harvest)"},
    "risk-treatments.pass": {"fr": "aucun traitement de risque en retard", "en": "no risk treatment overdue"},
    "risk-treatments.warn": {"fr": "traitements de risque en retard : {items}", "en": "risk treatments overdue: {items}"},
    "risk-treatments.todo": {"fr": "les mener à bien ou convenir de nouvelles échéances",
                             "en": "carry them out or agree new due dates"},
    "document-control.pass": {"fr": "les {n} documents ont une version, un responsable et une revue à jour",
                              "en": "all {n} documents have a version, an owner and an up-to-date review"},
    "document-control.fail": {"fr": "documents hors maîtrise (§ {clause}) : {items}",
                              "en": "documents not under control (§ {clause}): {items}"},
    "document-control.todo": {"fr": "leur donner version et responsable, et les revoir (registre des informations "
                                    "documentées : kitgen build … document-register, puis kitgen harvest)",
                              "en": "give them a version and an owner, and review them (the register of documented "
                                    "information: kitgen build … document-register, then kitgen harvest)"},
    "no-version": {"fr": "sans version : {items}", "en": "no version: {items}"},
    "no-owner": {"fr": "sans responsable : {items}", "en": "no owner: {items}"},
    "review-due": {"fr": "revue dépassée : {items}", "en": "review overdue: {items}"},
    "retention.pass": {"fr": "les {n} enregistrements ont une durée de conservation",
                       "en": "all {n} records have a retention period"},
    "retention.warn": {"fr": "{n} enregistrement(s) sans durée de conservation : {items}",
                       "en": "{n} record(s) without a retention period: {items}"},
    "retention.todo": {"fr": "indiquer la durée de conservation (management_system.retention pour tous, ou par "
                             "enregistrement)", "en": "state how long records are kept (management_system.retention "
                                                     "for all, or per record)"},
    "programme.pass": {"fr": "le programme d'audit interne couvre les {n} articles d'ici le {end}",
                       "en": "the internal audit programme covers all {n} clauses by {end}"},
    "programme.fail": {"fr": "articles qu'aucun audit interne ne couvre ni ne prévoit d'ici le {end} : {items}",
                       "en": "clauses no internal audit covers or plans by {end}: {items}"},
    "programme.todo": {"fr": "les prévoir au programme d'audit (kitgen build … audit-programme : cocher ces articles "
                             "dans la colonne d'un audit interne, puis kitgen harvest)",
                       "en": "plan them in the audit programme (kitgen build … audit-programme: mark these clauses "
                             "in an internal audit's column, then kitgen harvest)"},
    "suppliers.pass": {"fr": "fournisseurs revus depuis moins de {months} mois : {items}",
                       "en": "suppliers reviewed in the last {months} months: {items}"},
    "suppliers.fail": {"fr": "fournisseurs dont la performance n'a pas été revue (§ {clause}) : {items}",
                       "en": "suppliers whose performance was not reviewed (§ {clause}): {items}"},
    "suppliers.todo": {"fr": "revoir leur performance et noter la date (registre des fournisseurs, colonne « Dernière "
                             "revue », puis kitgen harvest)",
                       "en": "review their performance and record the date (the supplier register's « Last review » "
                             "column, then kitgen harvest)"},
    "never": {"fr": "jamais", "en": "never"},
})


def t(key: str, lang: str, **values: object) -> str:
    """A message in the project's language."""
    return TEXT[key][lang].format(**values)


@dataclass
class Check:
    """One readiness check: pass, warn or fail, what it found, and for a warning or failure what to do."""

    id: str
    status: str
    message: str
    todo: str = ""


@dataclass
class Readiness:
    """The verdict for one step: ready when no check fails (warnings are advice)."""

    as_of: date
    step: str
    checks: list[Check] = field(default_factory=list)
    lang: str = "en"

    @property
    def ready(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    @property
    def verdict(self) -> str:
        """'READY for the stage 1 audit as of 2026-11-29', in the project's language."""
        return t("verdict.ready" if self.ready else "verdict.not-ready", self.lang, n=self.step.removeprefix("stage"),
                 day=self.as_of.isoformat())

    def as_dict(self) -> dict[str, object]:
        """{"ready": bool, "as_of": ISO date, "step": "stage1", "checks": [...]}"""
        return {"ready": self.ready, "as_of": self.as_of.isoformat(), "step": self.step, "verdict": self.verdict,
                "checks": [asdict(c) for c in self.checks]}


def next_step(project: Project, as_of: date) -> str:
    """The next certification step: stage 1, or stage 2 once a stage 1 audit is recorded."""
    return "stage2" if any(a.kind == "stage1" and (a.end or a.start) <= as_of for a in project.audits) else "stage1"


class _Checks:
    """The checks of one readiness run (one instance per run)."""

    def __init__(self, project: Project, day: date, built_reports: Collection[str],
                 built_minutes: Collection[str] = ()) -> None:
        self.p, self.day, self.built, self.minutes = project, day, set(built_reports), set(built_minutes)
        self.fw = get_framework(project.framework)
        self.lang = project.language
        self.checks: list[Check] = []
        interval = project.certification.internal_audit_interval_months
        self.audit_months = interval
        self.review_months = project.certification.management_review_interval_months
        done = [a for a in project.audits if a.kind == "internal" and (a.end or a.start) <= day]
        self.internal = sorted(done, key=lambda a: a.end or a.start)
        since = day - relativedelta(months=interval)
        self.recent_internal = [a for a in self.internal if (a.end or a.start) >= since]

    def add(self, check_id: str, status: str, key: str, todo: str = "", **values: object) -> None:
        lang = self.lang
        todo_text = t(todo, lang, **values) if todo else ""
        self.checks.append(Check(check_id, status, t(key, lang, **values), todo_text))

    def items(self, names: list[str], limit: int = 8) -> str:
        more = t("and-more", self.lang, n=len(names) - limit) if len(names) > limit else ""
        return ", ".join(names[:limit]) + more

    def edition(self) -> None:
        if self.fw.current:
            self.add("edition", "pass", "edition.pass", title=self.fw.title[self.lang])
            return
        moves = [f"{slug} {a} → {b}" for slug, a, b in migration(self.fw.id, list(self.p.processes))]
        self.add("edition", "fail", "edition.fail", "edition.todo", why=self.fw.withdrawn[self.lang],
                 moves=", ".join(moves))

    def scope(self) -> None:
        if self.p.scope.statement.strip():
            self.add("scope", "pass", "scope.pass")
        else:
            self.add("scope", "fail", "scope.fail", "scope.todo")

    def documented(self) -> None:
        docs = [d for d in self.p.management_system.documents] + [d for p in self.p.processes.values()
                                                                  for d in p.documents]
        kinds = {d.kind for d in docs if d.kind and d.date <= self.day}
        for form in form_types():   # a document kitgen drafts counts, by its own kinds, once approved
            approved = form.approved_on(self.p)
            if approved is not None and approved <= self.day:
                kinds.update(form.covers)
        if self.p.scope.statement.strip():
            kinds.add("scope")  # the scope statement in the project file is documented information enough
        missing = [d for d in self.fw.documented if d.kind not in kinds]
        names = [f"{d.title[self.lang]} (§ {d.clause})" for d in (missing or self.fw.documented)]
        if missing:
            self.add("documented", "fail", "documented.fail", "documented.todo", items="; ".join(names),
                     kinds=", ".join(sorted({d.kind for d in missing})))
        else:
            self.add("documented", "pass", "documented.pass", items="; ".join(names))

    def processes(self) -> None:
        missing = [s for s in self.fw.processes if s not in self.p.processes]
        undocumented = [s for s, p in self.p.processes.items() if s in self.fw.processes and not p.documents]
        n = len(self.fw.processes)
        if missing or undocumented:
            details = ([t("not-described", self.lang, items=self.items(missing))] if missing else []) + (
                [t("no-document", self.lang, items=self.items(undocumented))] if undocumented else [])
            self.add("processes", "fail", "processes.fail", "processes.todo", done=n - len(missing) - len(undocumented),
                     n=n, details="; ".join(details))
        else:
            self.add("processes", "pass", "processes.pass", n=n)

    def records(self) -> None:
        start = self.day - relativedelta(months=HISTORY_MONTHS)
        short, stale = [], []
        for slug in self.fw.processes:
            proc = self.p.processes.get(slug)
            dates = sorted(r.date for r in proc.records) if proc else []
            if not dates or dates[0] > start:
                short.append(slug)
            elif (self.day - dates[-1]).days > RECENT_DAYS:
                stale.append(f"{slug} ({dates[-1].isoformat()})")
        if short:
            self.add("records-history", "fail", "records-history.fail", "records-history.todo",
                     months=HISTORY_MONTHS, items=self.items(short), start=start.isoformat())
        else:
            self.add("records-history", "pass", "records-history.pass", start=start.isoformat())
        if stale:
            self.add("records-recent", "warn", "records-recent.warn", "records-recent.todo", items=self.items(stale))
        else:
            self.add("records-recent", "pass", "records-recent.pass", days=RECENT_DAYS)

    def internal_audit(self) -> None:
        if not self.internal:
            self.add("internal-audit", "fail", "internal-audit.none", "internal-audit.none.todo")
            return
        last = self.internal[-1]
        day = (last.end or last.start).isoformat()
        if not self.recent_internal:
            self.add("internal-audit", "fail", "internal-audit.old", "internal-audit.old.todo", audit=last.id, day=day,
                     months=self.audit_months, clause=self.fw.internal_audit)
        elif last.report or last.id in self.built:
            report = last.report or t("internal-audit.built", self.lang)
            self.add("internal-audit", "pass", "internal-audit.pass", audit=last.id, day=day, report=report)
        else:
            self.add("internal-audit", "fail", "internal-audit.report", "internal-audit.report.todo", audit=last.id)

    def coverage(self) -> None:
        recorded = [a for a in self.recent_internal if a.coverage]
        if not recorded:
            last = self.recent_internal[-1].id if self.recent_internal else "—"
            self.add("audit-coverage", "warn", "coverage.warn", "coverage.warn.todo", audit=last)
            return
        covered = {c for a in recorded for c, v in a.coverage.items() if v != "not-audited"}
        required = self.fw.requirements()
        missing = [c for c in required if c not in covered and not any(c.startswith(x + ".") for x in covered)]
        if missing:
            self.add("audit-coverage", "fail", "coverage.fail", "coverage.fail.todo", months=self.audit_months,
                     items=self.items(missing, 12))
        else:
            self.add("audit-coverage", "pass", "coverage.pass", months=self.audit_months, n=len(required))

    def independence(self) -> None:
        owners = {slug: proc.owner for slug, proc in self.p.processes.items()}
        own_findings, own_scope = [], {}
        for audit in self.recent_internal:
            auditors = {audit.lead_auditor, *audit.team} & {p.id for p in self.p.people}
            for f in audit.findings:
                if f.process and owners.get(f.process) in auditors:
                    own_findings.append(f"{f.id} ({f.process}, {owners[f.process]})")
            scope = audit.processes or list(owners)
            for auditor in auditors:
                owned = [s for s in scope if owners.get(s) == auditor]
                if owned:
                    own_scope[auditor] = owned
        if own_findings:
            self.add("auditor-independence", "fail", "independence.fail", "independence.fail.todo",
                     items=self.items(own_findings), clause=self.fw.internal_audit)
        elif own_scope:
            for auditor, owned in own_scope.items():
                person = self.p.person(auditor)
                self.add("auditor-independence", "warn", "independence.warn", "independence.fail.todo",
                         auditor=person.name if person else auditor, items=self.items(owned),
                         clause=self.fw.internal_audit)
        else:
            self.add("auditor-independence", "pass", "independence.pass")

    def management_review(self) -> None:
        check = "management-review"  # a check's id in readiness's JSON, not a form id
        held = sorted((r for r in self.p.management_reviews if r.date <= self.day), key=lambda r: r.date)
        reviews = [r.date for r in held]
        if not reviews:
            self.add(check, "fail", "review.none", "review.none.todo")
            return
        last = reviews[-1]
        clause = self.fw.management_review
        if last < self.day - relativedelta(months=self.review_months):
            self.add(check, "fail", "review.old", "review.old.todo",
                     day=last.isoformat(), months=self.review_months, clause=clause)
        elif self.internal and last < (self.internal[-1].end or self.internal[-1].start):
            audit = self.internal[-1]
            self.add(check, "fail", "review.before", "review.before.todo",
                     day=last.isoformat(), audit=audit.id, audit_day=(audit.end or audit.start).isoformat(),
                     clause=clause)
        else:
            audit_id = self.internal[-1].id if self.internal else "—"
            review = held[-1]
            minutes = review.minutes or (t("internal-audit.built", self.lang) if last.isoformat() in self.minutes else "")
            if minutes:
                self.add(check, "pass", "review.pass", day=last.isoformat(), audit=audit_id,
                         minutes=minutes)
            else:
                self.add(check, "fail", "review.minutes", "review.minutes.todo",
                         day=last.isoformat())

    def nonconformities(self) -> None:
        majors, minors = [], []
        for _, f in self.p.all_findings():
            status = finding_status(f, self.p)
            if status not in OPEN_ACTION:
                continue
            if f.grade == "major":
                majors.append(f.id)
            if f.grade == "minor" and not _under_way(f):
                minors.append(f.id)
        if majors:
            self.add("major-nc", "fail", "major-nc.fail", "major-nc.todo", items=self.items(majors))
        else:
            self.add("major-nc", "pass", "major-nc.pass")
        if minors:
            self.add("minor-actions", "fail", "minor-actions.fail", "minor-actions.todo", items=self.items(minors))
        else:
            self.add("minor-actions", "pass", "minor-actions.pass")
        overdue = [a.id for a in self.p.all_actions() if action_days_overdue(a, self.day)]
        if overdue:
            self.add("overdue-actions", "warn", "overdue-actions.warn", "overdue-actions.todo", items=self.items(overdue))
        else:
            self.add("overdue-actions", "pass", "overdue-actions.pass")

    def stage1(self) -> None:
        stage1 = sorted((a for a in self.p.audits if a.kind == "stage1" and (a.end or a.start) <= self.day),
                        key=lambda a: a.start)
        if not stage1:
            self.add("stage1", "fail", "stage1.fail", "stage1.todo")
            return
        self.add("stage1", "pass", "stage1.pass", audit=stage1[-1].id)
        open_concerns = [f.id for a in stage1 for f in a.findings if f.grade == "concern" and not _addressed(f, self.p)]
        if open_concerns:
            self.add("stage1-concerns", "fail", "concerns.fail", "concerns.todo", items=self.items(open_concerns))
        else:
            self.add("stage1-concerns", "pass", "concerns.pass")

    def risks(self) -> None:
        """Risks and opportunities recorded (where the edition asks for them) and each reviewed within the interval;
        treatments overdue are advice."""
        clause = next((d.clause for d in self.fw.documented if d.kind == "risks"), None)
        if clause is None and not self.p.risks:
            return
        months = self.p.certification.risk_review_interval_months
        if not self.p.risks:
            self.add("risks", "fail", "risks.none", "risks.none.todo", clause=clause)
            return
        since = self.day - relativedelta(months=months)
        ids = risk_ids(self.p)
        stale = [f"{rid} ({r.reviewed.isoformat() if r.reviewed and r.reviewed <= self.day else t('never', self.lang)})"
                 for rid, r in zip(ids, self.p.risks) if r.status != "closed"
                 and not (r.reviewed and since <= r.reviewed <= self.day)]
        if stale:
            self.add("risks", "fail", "risks.fail", "risks.todo", months=months, items=self.items(stale))
        else:
            self.add("risks", "pass", "risks.pass", n=len(ids), months=months)
        late = [rid for rid, r in zip(ids, self.p.risks) if r.status in OPEN_ACTION and r.due and r.due < self.day]
        if late:
            self.add("risk-treatments", "warn", "risk-treatments.warn", "risk-treatments.todo", items=self.items(late))
        else:
            self.add("risk-treatments", "pass", "risk-treatments.pass")

    def document_control(self) -> None:
        """Every document has a version and an owner and was reviewed within its interval (§7.5.3); records have a
        retention period (advice)."""
        clause = "7.5.3" if "7.5.3" in self.fw.clauses else next(iter(self.fw.clauses))
        no_version, no_owner, overdue, records, unkept = [], [], [], 0, []
        for owner, nature, e in evidence(self.p):
            if nature == "record":
                records += 1
                if not (e.retention or self.p.management_system.retention):
                    unkept.append(e.path)
                continue
            if not e.version.strip():
                no_version.append(e.path)
            if not (e.owner or default_owner(self.p, owner)):
                no_owner.append(e.path)
            reviewed = e.reviewed if e.reviewed and e.reviewed <= self.day else e.date
            if reviewed + relativedelta(months=review_months(e, self.p)) < self.day:
                overdue.append(e.path)
        problems = [t(key, self.lang, items=self.items(paths, 5)) for key, paths in
                    (("no-version", no_version), ("no-owner", no_owner), ("review-due", overdue)) if paths]
        if problems:
            self.add("document-control", "fail", "document-control.fail", "document-control.todo", clause=clause,
                     items="; ".join(problems))
        else:
            documents = sum(1 for _, nature, _ in evidence(self.p) if nature == "document")
            self.add("document-control", "pass", "document-control.pass", n=documents)
        if unkept:
            self.add("record-retention", "warn", "retention.warn", "retention.todo", n=len(unkept),
                     items=self.items(unkept, 3))
        elif records:
            self.add("record-retention", "pass", "retention.pass", n=records)

    def programme(self) -> None:
        """The internal audit programme covers every clause within the cycle: audits done (their coverage) and
        planned (the clauses marked for them)."""
        plan = audit_programme(self.p, self.day)
        gaps = plan.gaps(internal=True)
        end = (plan.end - timedelta(days=1)).isoformat()
        if gaps:
            self.add("audit-programme", "fail", "programme.fail", "programme.todo", end=end,
                     items=self.items(gaps, 12))
        else:
            self.add("audit-programme", "pass", "programme.pass", n=len(plan.requirements), end=end)

    def suppliers(self) -> None:
        """Each supplier the services depend on (and each party operating a process) reviewed within its interval."""
        parties = suppliers(self.p, SERVICE_SUPPLIERS)
        if not parties:
            return
        clause = next((c for c in ("8.3.4.1", "8.2.3", "7.3") if c in self.fw.clauses), "")
        stale = []
        for party in parties:
            reviewed = party.reviewed if party.reviewed and party.reviewed <= self.day else None
            due = supplier_next_review(party.model_copy(update={"reviewed": reviewed}), self.p)
            if reviewed is None or due is None or due < self.day:
                when = reviewed.isoformat() if reviewed else t("never", self.lang)
                stale.append(f"{party.name} ({when})")
        months = self.p.certification.supplier_review_interval_months
        if stale:
            self.add("supplier-review", "fail", "suppliers.fail", "suppliers.todo", clause=clause,
                     items=self.items(stale))
        else:
            self.add("supplier-review", "pass", "suppliers.pass", months=months,
                     items=self.items([p.name for p in parties]))

    def advice(self) -> None:
        certified = [p.name for p in self.p.people for c in p.certificates
                     if "foundation" in c.name.lower() and c.date <= self.day]
        if certified:
            self.add("foundation", "pass", "foundation.pass", items=", ".join(certified))
        else:
            self.add("foundation", "warn", "foundation.warn", "foundation.todo")
        body = self.p.party(self.p.certification.body)
        if body:
            self.add("certification-body", "pass", "certification-body.pass", name=body.name)
        else:
            self.add("certification-body", "warn", "certification-body.warn", "certification-body.todo")


def _under_way(f: Finding) -> bool:
    """An action is on its way for this finding: open, in progress, or done awaiting its effectiveness check;
    with an owner and a due date."""
    return any(a.owner and a.due and (a.status in OPEN_ACTION or (a.status == "done" and not action_is_verified(a)))
               for a in f.actions)


def _addressed(f: Finding, project: Project) -> bool:
    """An area of concern is addressed once an action answers it or a later audit closed it."""
    return bool([a for a in f.actions if a.status != "cancelled"]) or finding_status(f, project) == "closed"


def readiness(project: Project, as_of: date | None = None, *, step: str | None = None,
              built_reports: Collection[str] = (), built_minutes: Collection[str] = ()) -> Readiness:
    """Every check for the next certification step (or `step`), on the project as it stood on `as_of` (default
    today). `built_reports` are the audits whose report kitgen built, `built_minutes` the reviews (ISO dates) whose
    minutes it built: they count as their records."""
    day = as_of or today()
    then = project_as_of(project, day)
    step = step or next_step(then, day)
    run = _Checks(then, day, built_reports, built_minutes)
    run.edition()
    run.scope()
    run.documented()
    run.processes()
    run.records()
    run.internal_audit()
    run.coverage()
    run.independence()
    run.management_review()
    run.nonconformities()
    run.risks()
    run.document_control()
    run.programme()
    run.suppliers()
    if step == "stage2":
        run.stage1()
    run.advice()
    return Readiness(as_of=day, step=step, checks=run.checks, lang=project.language)


def built_records(project_path: Path) -> dict[str, set[str]]:
    """{"audit": audit ids, "review": review dates} whose record (report, minutes) kitgen built, from its state file:
    the forms that stand as records say so themselves."""
    from ..forms.registry import form_types
    from ..project.state import ProjectState

    per = {form.id: form.per for form in form_types() if form.record}
    found: dict[str, set[str]] = {"audit": set(), "review": set()}
    for base in ProjectState.load(project_path).bases.values():
        if base.get("form") in per and base.get("key"):
            found[per[base["form"]]].add(base["key"])
    return found


def check_readiness(pf: ProjectFile, as_of: date | None = None, *, step: str | None = None) -> Readiness:
    """readiness() of a loaded project file; the reports and minutes kitgen built count as the audits' reports
    and the reviews' minutes."""
    records = built_records(pf.path)
    return readiness(pf.project, as_of, step=step, built_reports=records["audit"], built_minutes=records["review"])
