"""The audit report (.docx, one per audit): its rendering context, its base snapshot, and reading it back."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..errors import N_, ReadbackError, problem
from ..frameworks import get_framework
from ..infra.text import columns_by_header, fold
from ..project.history import as_of
from ..project.models import GRADES, Action, Audit, Finding, Project
from ..project.places import Place
from ..project.status import OPEN_ACTION, finding_status
from .common import audit_of, date_range, long_date, person_name, today
from .kind import FormType
from .reading import REBUILD, Added, Reading
from .vocabulary import audit_grades, label, labels

FINDING_FIELDS = ("clause", "process", "grade", "requirement", "statement", "evidence")
# the statements a certification body's report adds (ISO/IEC 17021-1 §9.4.8), shown for external audits only
STATEMENT_FIELDS = ("sms_effectiveness", "audit_and_review", "scope_appropriate", "objectives_met")
CONCLUSION_FIELDS = ("conclusion", "conformity", "diverging_opinions", "recommendation", *STATEMENT_FIELDS)
# grades whose finding must cite the requirement it misses (ISO 19011: criterion, evidence, declaration)
CITING_GRADES = ("major", "minor", "concern")
# The signatures table: its header names the lead auditor's column, whose Date row is the report's issue date.
SIGNATURE_LEAD = {"fr": "Responsable d'audit", "en": "Lead auditor"}
DATE_ROW = {"fr": "Date", "en": "Date"}
# Header texts of the tables people fill; the template shows them, read-back finds tables and columns by them.
FINDING_HEADERS = {
    "fr": {"id": "ID", "clause": "Article", "requirement": "Exigence", "process": "Processus", "grade": "Gravité",
           "statement": "Constat", "evidence": "Preuves objectives"},
    "en": {"id": "ID", "clause": "Clause", "requirement": "Requirement", "process": "Process", "grade": "Grade",
           "statement": "Finding", "evidence": "Objective evidence"},
}
EXTERNAL = ("pre-audit", "stage1", "stage2", "surveillance", "recertification")
TEXT = {
    "fr": {"transcribed": "Ce document transcrit le rapport de l'audit mené par {body} ; le rapport signé de "
                          "l'organisme fait foi.",
           "legend": "Gravité : {grades}.", "verdicts": "Avis de l'auditeur : {verdicts}.",
           "nothing": "Rien d'enregistré.",
           "empty": "section « {what} » vide : complétez {field} dans le fichier projet",
           "objectives": "Objectifs", "location": "Lieu(x)", "conclusion": "Conclusions",
           "conformity": "Degré de conformité", "lead": "Responsable d'audit", "plan": "Plan d'audit",
           "statements": "Déclarations de l'organisme de certification",
           "no_requirement": "constat {id} ({grade}) : l'exigence non satisfaite n'est pas écrite ; complétez "
                             "{field} dans le fichier projet (ou la colonne Exigence du rapport)",
           "draft": "non émis (projet)", "issued": "émis le {day}", "on": "le {day}", "due": "échéance {day}",
           "see_sampling": "Voir la note sur l'échantillonnage ci-dessous.",
           "no_sampling": "Échantillon non précisé."},
    "en": {"transcribed": "This document transcribes the report of the audit conducted by {body}; the body's signed "
                          "report is authoritative.",
           "legend": "Grade: {grades}.", "verdicts": "Auditor's verdict: {verdicts}.",
           "nothing": "Nothing recorded.",
           "empty": "section \u201c{what}\u201d is empty: fill {field} in the project file",
           "objectives": "Objectives", "location": "Location(s)", "conclusion": "Conclusions",
           "conformity": "Degree of conformity", "lead": "Lead auditor", "plan": "Audit plan",
           "statements": "Certification body's statements",
           "no_requirement": "finding {id} ({grade}): the requirement it misses is not written; fill {field} in the "
                             "project file (or the report's Requirement column)",
           "draft": "not issued yet (draft)", "issued": "issued on {day}", "on": "on {day}", "due": "due {day}",
           "see_sampling": "See the sampling note below.",
           "no_sampling": "Sample not stated."},
}


def grades_for(audit: Audit) -> list[str]:
    """The grades an audit of this kind records: areas of concern at stage 1, nonconformities otherwise."""
    return audit_grades(audit.kind)


FOLLOW_UP_HEADERS = {
    "fr": {"id": "ID", "origin": "Origine", "statement": "Constat", "actions": "Actions et statut",
           "verdict": "Avis de l'auditeur", "note": "Note de suivi"},
    "en": {"id": "ID", "origin": "Origin", "statement": "Finding", "actions": "Actions and status",
           "verdict": "Auditor's verdict", "note": "Follow-up note"},
}
CONCLUSION_HEADERS = {"fr": ("Rubrique", "Contenu"), "en": ("Item", "Content")}
CONCLUSION_ROWS = {
    "fr": {"conclusion": "Conclusion de l'audit", "conformity": "Degré de conformité aux critères",
           "diverging_opinions": "Opinions divergentes non résolues", "recommendation": "Recommandation",
           "sms_effectiveness": "Conformité et efficacité du SMS",
           "audit_and_review": "Audit interne et revue de direction",
           "scope_appropriate": "Pertinence du périmètre de certification",
           "objectives_met": "Atteinte des objectifs de l'audit"},
    "en": {"conclusion": "Audit conclusion", "conformity": "Degree of conformity with the criteria",
           "diverging_opinions": "Unresolved diverging opinions", "recommendation": "Recommendation",
           "sms_effectiveness": "Conformity and effectiveness of the SMS",
           "audit_and_review": "Internal audit and management review",
           "scope_appropriate": "Appropriateness of the certification scope",
           "objectives_met": "Audit objectives fulfilled"},
}


def _clause_key(clause: str) -> list[int]:
    return [int(x) for x in clause.split(".") if x.isdigit()]


def followed_up(project: Project, audit: Audit) -> list[tuple[Audit | None, Finding]]:
    """The findings this audit follows up: every earlier finding still open or in progress the day before it
    started, those this very audit then closed included. Returned as they stand now."""
    before = as_of(project, audit.start - timedelta(days=1))
    open_then = {f.id for _, f in before.all_findings() if finding_status(f, before) in OPEN_ACTION}
    return [(a, f) for a, f in project.all_findings() if f.id in open_then]


def issued_on(project: Project, audit: Audit) -> date | None:
    """When the report was issued: the date the project gives, else the date of the signed report's record."""
    if audit.issued:
        return audit.issued
    if audit.report:
        evidence = project.management_system.records + [r for p in project.processes.values() for r in p.records]
        return next((r.date for r in evidence if r.path == audit.report), None)
    return None


def action_state(action: Action, lang: str) -> str:
    """An action's status and the date that goes with it: 'Vérifiée le 17 novembre 2026' (the effectiveness check),
    'Réalisée le …' (its closure), 'En cours, échéance …' (its due date while it is open)."""
    t = TEXT[lang]
    status = label("action_status", action.status, lang)
    if action.status in OPEN_ACTION:
        return status + (", " + t["due"].format(day=long_date(action.due, lang)) if action.due else "")
    when = action.effectiveness.date if action.status == "verified" and action.effectiveness else action.closed
    return status + (" " + t["on"].format(day=long_date(when, lang)) if when else "")


def verdict_of(finding: Finding, audit_id: str) -> tuple[str, str]:
    """(verdict, note) recorded by `audit_id` on `finding`; ('', '') when none."""
    fu = next((x for x in finding.follow_ups if x.audit == audit_id), None)
    return (fu.verdict, fu.note) if fu else ("", "")


class AuditReport(FormType):
    """The audit report of one audit: findings, follow-up of earlier findings, conclusions."""

    id = "audit-report"
    template = "audit-report.docx"
    per = "audit"
    harvested = True
    packaged = True
    record = True

    def title(self, project: Project, key: str | None, lang: str) -> str:
        return ("Rapport d'audit " if lang == "fr" else "Audit report ") + str(key)

    def edition(self, project: Project, key: str | None) -> tuple[str, date]:
        """The report's version, as of its issue (else the audit's last day)."""
        audit = audit_of(project, key)
        return audit.version, issued_on(project, audit) or audit.end or audit.start

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]]:
        audit = audit_of(project, key)
        base: dict[Place, dict[str, Any]] = {("finding", f.id): {k: getattr(f, k) or "" for k in FINDING_FIELDS}
                                             for f in audit.findings}
        for _, f in followed_up(project, audit):
            verdict, note = verdict_of(f, audit.id)
            base[("follow-up", f.id, audit.id)] = {"verdict": verdict, "note": note}
        base[("audit", audit.id)] = {**{k: getattr(audit, k) for k in CONCLUSION_FIELDS}, "issued": audit.issued}
        return base

    def warnings(self, project: Project, key: str | None, lang: str) -> list[str]:
        """The sections an auditor would not leave empty (conclusions, once the audit has ended)."""
        audit = audit_of(project, key)
        t = TEXT[lang]
        # (section, the fields that fill it, those left empty)
        empty = [("objectives", ["objectives"], not audit.objectives), ("location", ["location"], not audit.location),
                 ("lead", ["lead_auditor"], not audit.lead_auditor.strip()), ("plan", ["plan"], not audit.plan)]
        if (audit.end or audit.start) <= today():
            empty += [("conclusion", ["conclusion"], not audit.conclusion.strip()),
                      ("conformity", ["conformity"], not audit.conformity.strip())]
            if audit.kind in EXTERNAL:
                blank = [field for field in STATEMENT_FIELDS if not getattr(audit, field).strip()]
                empty.append(("statements", blank, bool(blank)))
        out = [t["empty"].format(what=t[what], field=", ".join(f"audits[{audit.id}].{f}" for f in fields))
               for what, fields, is_empty in empty if is_empty]
        return out + [t["no_requirement"].format(id=f.id, grade=label("grade", f.grade, lang),
                                                 field=f"audits[{audit.id}].findings[{f.id}].requirement")
                      for f in audit.findings if f.grade in CITING_GRADES and not f.requirement.strip()]

    def context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        audit = audit_of(project, key)
        fw = get_framework(project.framework)
        t = TEXT[lang]
        records = {r.path: r for p in project.processes.values() for r in p.records}
        order = {g: i for i, g in enumerate(GRADES)}
        findings = sorted(audit.findings, key=lambda f: order[f.grade])
        body = project.party(audit.body)
        participants = [p for p in (project.person(pid) for pid in audit.participants) if p]
        director = next((p for p in participants if "D" in p.roles), participants[0] if participants else None)
        issued = issued_on(project, audit)
        follow_up = _follow_up_rows(project, audit, lang)
        cited = sorted({f.clause for f in audit.findings} | {f["clause"] for f in follow_up}, key=_clause_key)
        grades = grades_for(audit)
        return {
            "lang": lang,
            "generated": long_date(today(), lang),
            "nothing": t["nothing"],
            "legend": {"grades": t["legend"].format(grades=", ".join(labels("grade", lang, grades))),
                       "verdicts": t["verdicts"].format(verdicts=", ".join(labels("verdict", lang)))},
            "plan": [{"when": item.when, "topic": item.topic,
                      "process": fw.process_title(item.process, lang) if item.process in fw.processes else "—",
                      "interviewees": ", ".join(person_name(project, i) for i in item.interviewees) or "—"}
                     for item in audit.plan],
            "sampled": [{"process": fw.process_title(slug, lang) if slug in fw.processes else slug,
                         "records": "; ".join(f"{records[r].title} ({long_date(records[r].date, lang)})"
                                              if r in records else r for r in refs)}
                        for slug, refs in audit.sampled.items()],
            "org": {"legal_name": project.organisation.legal_name, "address": project.organisation.address},
            "framework": {"id": fw.id, "title": fw.title[lang]},
            "audit": {
                "id": audit.id, "kind": audit.kind, "kind_label": label("audit_kind", audit.kind, lang),
                "title": audit.title, "dates": date_range(audit.start, audit.end, lang),
                "start": long_date(audit.start, lang), "end": long_date(audit.end or audit.start, lang),
                "location": audit.location, "client": audit.client or project.organisation.legal_name,
                "body": body.name if body else project.organisation.legal_name,
                "lead_auditor": person_name(project, audit.lead_auditor),
                "team": ", ".join(person_name(project, t) for t in audit.team) or "—",
                "participants": ", ".join(f"{p.name} ({p.title})" if p.title else p.name for p in participants) or "—",
                "auditee_representative": director.name if director else "",
                "objectives": audit.objectives or ["—"],
                "scope": audit.scope or project.scope.statement,
                "criteria": audit.criteria or fw.title[lang],
                "method": audit.method or "—", "sampling": audit.sampling or "—",
                "conclusion": audit.conclusion, "conformity": audit.conformity,
                "diverging_opinions": audit.diverging_opinions, "recommendation": audit.recommendation,
                "distribution": [person_name(project, d) for d in audit.distribution] or ["—"],
                "issued": long_date(issued, lang) or "—", "version": audit.version,
                "issue": t["issued"].format(day=long_date(issued, lang)) if issued else t["draft"],
                "external": audit.kind in EXTERNAL, **{k: getattr(audit, k) for k in STATEMENT_FIELDS},
                "signed": long_date(audit.issued, lang) if audit.issued else "",
                "transcribed": t["transcribed"].format(body=body.name) if body and audit.kind in EXTERNAL else "",
            },
            "summary": [{"grade": g, "label": label("grade", g, lang), "count": sum(f.grade == g for f in audit.findings)}
                        for g in grades],
            "total_findings": len(audit.findings),
            "sampled_none": t["see_sampling"] if audit.sampling.strip() else t["no_sampling"],
            "findings": [{"id": f.id, "clause": f.clause, "requirement": f.requirement,
                          "clause_title": fw.clause_title(f.clause, lang),
                          "process": fw.process_title(f.process, lang) if f.process in fw.processes else "",
                          "grade": f.grade, "grade_label": label("grade", f.grade, lang),
                          "statement": f.statement, "evidence": f.evidence} for f in findings],
            "clauses": [{"clause": c, "title": fw.clause_title(c, lang)} for c in cited],
            "follow_up": follow_up,
            "strengths": [f.statement for f in audit.findings if f.grade == "strength"],
        }

    def read(self, package: Any, project: Project, reading: Reading) -> None:
        """Findings rows (edited and added), follow-up verdicts and notes, conclusions, the lead auditor's signature
        date (the report's issue date) — of this audit only."""
        from ..ooxml.docx_read import read_tables
        from .typed import untaken_cells

        audit_id = reading.key or ""
        audit = project.audit(audit_id)
        if audit is None:
            raise ReadbackError(N_("report of audit {audit!r}, which the project file no longer has"), reading.path,
                                audit=audit_id, code="gone-from-project")
        reader = _ReportReader(project, audit, reading)
        tables = read_tables(package)
        for t_index, rows in enumerate(tables, start=1):
            if rows:
                reader.table(t_index, rows)
        reader.finish()
        untaken_cells(tables, reading)


class _ReportReader:
    """Reads the tables of one audit's report into the reading, each by the kind its header row shows (one instance
    per file)."""

    def __init__(self, project: Project, audit: Audit, reading: Reading) -> None:
        self.project, self.audit, self.reading = project, audit, reading
        self.fw = get_framework(project.framework)
        self.name = reading.name
        self.locale = project.locale_for(reading.lang or project.language)   # the order its dates are typed in
        self.base = reading.base or {}
        self.owner = {f.id: (a.id if a else "") for a, f in project.all_findings()}
        self.followed = ({p[1] for p in self.base if p[0] == "follow-up"}
                         | {f.id for _, f in followed_up(project, audit)})
        self.grades = grades_for(audit)
        self.found_findings = False
        self.added = 0
        self.audit_fields: dict[str, Any] = {}

    def table(self, t_index: int, rows: list[Any]) -> None:
        """Read one table by what its header row says it is; a table of no known kind is left to untaken_cells."""
        header = [c.text for c in rows[0]]
        cols = columns_by_header(header, _folded(FOLLOW_UP_HEADERS))
        if "verdict" in cols and "id" in cols:
            self._follow_up(t_index, rows, cols)
            return
        cols = columns_by_header(header, _folded(FINDING_HEADERS))
        if {"id", "grade", "statement"} <= set(cols):
            self._findings(t_index, rows, cols)
            return
        if len(header) >= 2 and (fold(header[0]), fold(header[1])) in {
                (fold(a), fold(b)) for a, b in CONCLUSION_HEADERS.values()}:
            self._conclusions(t_index, rows)
            return
        leads = {fold(x) for x in SIGNATURE_LEAD.values()}
        lead = next((i for i, text in enumerate(header) if fold(text) in leads), None)
        if lead is not None:
            self._signatures(t_index, rows, lead)

    def finish(self) -> None:
        """What the tables said about the audit itself, and a report whose findings table is gone."""
        reading = self.reading
        if self.audit_fields:
            reading.values[("audit", self.audit.id)] = self.audit_fields
        if not self.found_findings:
            words = FINDING_HEADERS[reading.lang if reading.lang in FINDING_HEADERS else "en"]
            reading.problems.append(problem(N_("no findings table ({expected}); was it restructured?"), self.name,
                                            expected=", ".join(words[k] for k in ("id", "clause", "grade", "statement",
                                                                                  "evidence")),
                                            hint=REBUILD, code="restructured"))

    def _took(self, t_index: int, r: int, cols: Any) -> None:
        self.reading.consumed.update((t_index, r, c) for c in cols)

    def _follow_up(self, t_index: int, rows: list[Any], cols: dict[str, int]) -> None:
        """The verdict and note this audit gives each earlier finding it follows up."""
        from .values import ValueProblem, check_text, parse_verdict

        reading = self.reading
        for r, row in enumerate(rows[1:], start=2):
            values = {k: (row[i].text if i < len(row) else "") for k, i in cols.items()}
            fid, where = values["id"], reading.in_table(t_index, r)
            if not fid or not (values["verdict"] or values.get("note")):
                continue
            if fid not in self.followed:
                reading.ignored.append(problem(N_("{id} is not among the findings this report follows up; row "
                                                  "ignored"), self.name, place=where, id=fid, code="not-for-this-form"))
                self._took(t_index, r, range(len(row)))
                continue
            try:
                if not values["verdict"]:
                    raise ValueProblem(N_("a follow-up note needs the auditor's verdict"), code="missing-value")
                fields = {"verdict": parse_verdict(values["verdict"])}
            except ValueProblem as err:
                reading.problems.append(err.at(self.name, where))
                continue
            if "note" in cols:
                try:
                    fields["note"] = check_text(values["note"])
                except ValueProblem as err:
                    reading.problems.append(err.at(self.name, where))
                    continue
            reading.values[("follow-up", fid, self.audit.id)] = fields
            self._took(t_index, r, [cols[k] for k in ("verdict", "note") if k in cols])

    def _findings(self, t_index: int, rows: list[Any], cols: dict[str, int]) -> None:
        """This audit's findings, edited and added; a row naming another audit's finding is ignored."""
        from .values import ValueProblem

        self.found_findings = True
        reading, audit_id = self.reading, self.audit.id
        read_cols = list(cols.values())
        for r, row in enumerate(rows[1:], start=2):
            values = {k: (row[i].text if i < len(row) else "") for k, i in cols.items()}
            if not any(values.values()):
                continue
            where = reading.in_table(t_index, r)
            fid = values["id"]
            if fid and fid in self.owner and self.owner[fid] != audit_id:
                owner = self.owner[fid]
                reading.ignored.append(problem(
                    N_("{id} is a finding of {owner}; this report changes only {audit}'s findings; row ignored")
                    if owner else N_("{id} is a finding of the register; this report changes only {audit}'s "
                                     "findings; row ignored"),
                    self.name, place=where, id=fid, owner=owner, audit=audit_id, code="not-for-this-form"))
                self._took(t_index, r, range(len(row)))
                continue
            try:
                fields = self._finding_fields(fid, values)
            except ValueProblem as err:
                reading.problems.append(err.at(self.name, where))
                continue
            self._took(t_index, r, read_cols)
            if fid and (fid in self.owner or ("finding", fid) in self.base):
                reading.values[("finding", fid)] = fields
            else:
                self.added += 1
                reading.added.append(Added("finding", ("audit", audit_id), fields, f"findings#{self.added}", where,
                                           fields["statement"], wanted_id=fid or None))

    def _finding_fields(self, fid: str, values: dict[str, str]) -> dict[str, Any]:
        """A findings row's fields as the project holds them; raises ValueProblem for a value nobody can read."""
        from .values import ValueProblem, check_text, parse_clause, parse_grade, parse_process

        fields = {
            "clause": parse_clause(values.get("clause", ""), self.fw),
            "process": parse_process(values.get("process", ""), self.fw) or "",
            "grade": parse_grade(values["grade"]),
            "requirement": check_text(values.get("requirement", "")),
            "statement": check_text(values["statement"]),
            "evidence": check_text(values.get("evidence", "")),
        }
        if "requirement" not in self.base.get(("finding", fid), {"requirement": ""}):
            del fields["requirement"]  # a report from before the column held the requirement
        if fields["grade"] not in self.grades:
            raise ValueProblem(N_('"{value}" is not a grade of audit {audit} ({expected})'), value=values["grade"],
                               audit=self.audit.id, code="not-offered",
                               expected=", ".join(labels("grade", self.project.language, self.grades)))
        if not fields["statement"]:
            raise ValueProblem(N_("a finding needs its statement"), code="missing-value")
        return fields

    def _conclusions(self, t_index: int, rows: list[Any]) -> None:
        """The conclusions table: one row per conclusion field, its text in the second column."""
        from .values import ValueProblem, check_text

        conclusion_rows = _folded(CONCLUSION_ROWS)
        for r, row in enumerate(rows[1:], start=2):
            key = conclusion_rows.get(fold(row[0].text)) if row else None
            if key and len(row) > 1:
                try:
                    self.audit_fields[key] = check_text(row[1].text)
                    self._took(t_index, r, [1])
                except ValueProblem as err:
                    self.reading.problems.append(err.at(self.name, self.reading.in_table(t_index, r)))

    def _signatures(self, t_index: int, rows: list[Any], lead: int) -> None:
        """The signatures table: the lead auditor's Date row is the report's issue date."""
        from .values import ValueProblem, parse_date

        date_rows = {fold(x) for x in DATE_ROW.values()}
        for r, row in enumerate(rows[1:], start=2):
            if row and fold(row[0].text) in date_rows and lead < len(row):
                typed = row[lead].text
                try:
                    self.audit_fields["issued"] = parse_date(typed, self.locale) if typed.strip() else None
                    self._took(t_index, r, [lead])
                except ValueProblem as err:
                    self.reading.problems.append(problem(
                        N_("the lead auditor's signature date: {problem}"), self.name,
                        place=self.reading.in_table(t_index, r), problem=err.problem, value=err.problem.value,
                        expected=err.problem.expected, code=err.problem.code))


def _follow_up_rows(project: Project, audit: Audit, lang: str) -> list[dict[str, Any]]:
    """The follow-up table's rows: each earlier finding this audit follows up, its actions as they stood at the
    audit's end, and the verdict and note the audit gave it."""
    then = as_of(project, audit.end or audit.start)
    follow_up = []
    for earlier, f in followed_up(project, audit):
        state = next((x for _, x in then.all_findings() if x.id == f.id), f)
        actions = [f"{a.id} — {a.description} ({action_state(a, lang)})" for a in state.actions]
        verdict, note = verdict_of(f, audit.id)
        source = earlier.id if earlier else label("source", f.source or "", lang)
        follow_up.append({"id": f.id, "audit": earlier.id if earlier else "", "clause": f.clause,
                          "origin": f"{source}\n§ {f.clause} — {label('grade', f.grade, lang)}",
                          "grade_label": label("grade", f.grade, lang), "statement": f.statement,
                          "actions": "\n".join(actions) or "—",
                          "verdict": label("verdict", verdict, lang) if verdict else "", "note": note})
    return follow_up


def _folded(mapping: dict[str, dict[str, str]]) -> dict[str, str]:
    return {fold(text): key for lang in mapping.values() for key, text in lang.items()}


FORM = AuditReport()
