"""The audit report (.docx, one per audit): its rendering context, its base snapshot, and reading it back."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ReadbackError
from ..frameworks import get_framework
from ..ooxml.text import fold
from ..project.models import GRADES, Audit, Finding, Project
from ..project.status import finding_status
from .common import date_range, long_date, person_name, today
from .labels import label
from .reading import NewRow, Reading, load_base

FORM = "audit-report"
FINDING_FIELDS = ("clause", "process", "grade", "statement", "evidence")
CONCLUSION_FIELDS = ("conclusion", "conformity", "diverging_opinions", "recommendation")
# Header texts of the tables people fill; the template shows them, read-back finds tables and columns by them.
FINDING_HEADERS = {
    "fr": {"id": "ID", "clause": "Article", "process": "Processus", "grade": "Gravité", "statement": "Constat",
           "evidence": "Preuves objectives"},
    "en": {"id": "ID", "clause": "Clause", "process": "Process", "grade": "Grade", "statement": "Finding",
           "evidence": "Objective evidence"},
}
FOLLOW_UP_HEADERS = {
    "fr": {"id": "ID", "audit": "Audit", "clause": "Article", "grade": "Gravité", "statement": "Constat",
           "actions": "Actions et statut", "verdict": "Avis de l'auditeur"},
    "en": {"id": "ID", "audit": "Audit", "clause": "Clause", "grade": "Grade", "statement": "Finding",
           "actions": "Actions and status", "verdict": "Auditor's verdict"},
}
CONCLUSION_HEADERS = {"fr": ("Rubrique", "Contenu"), "en": ("Item", "Content")}
CONCLUSION_ROWS = {
    "fr": {"conclusion": "Conclusion de l'audit", "conformity": "Degré de conformité aux critères",
           "diverging_opinions": "Opinions divergentes non résolues", "recommendation": "Recommandation"},
    "en": {"conclusion": "Audit conclusion", "conformity": "Degree of conformity with the criteria",
           "diverging_opinions": "Unresolved diverging opinions", "recommendation": "Recommendation"},
}


def file_name(audit_id: str) -> str:
    """audit-report-<AUDIT>.docx"""
    return f"audit-report-{audit_id}.docx"


def _clause_key(clause: str) -> list[int]:
    return [int(x) for x in clause.split(".") if x.isdigit()]


def earlier_open_findings(project: Project, audit: Audit) -> list[tuple[Audit, Finding]]:
    """Findings of earlier rounds still open or in progress when this audit starts: the follow-up table."""
    out = []
    for earlier in sorted(project.audits, key=lambda a: a.start):
        if earlier.start >= audit.start or earlier.id == audit.id:
            continue
        for f in earlier.findings:
            if finding_status(f) in ("open", "in-progress"):
                out.append((earlier, f))
    return out


def base(project: Project, audit: Audit) -> dict[str, Any]:
    """The values the report is generated from, for the three-way merge on harvest."""
    return {
        "findings": {f.id: {k: getattr(f, k) or "" for k in FINDING_FIELDS} for f in audit.findings},
        "follow_up": {f.id: "" for _, f in earlier_open_findings(project, audit)},
        "audit": {k: getattr(audit, k) for k in CONCLUSION_FIELDS},
    }


def context(project: Project, audit: Audit, lang: str) -> dict[str, Any]:
    """Everything the audit report template may use (plain data only: the sandbox allows nothing else)."""
    fw = get_framework(project.framework)
    order = {g: i for i, g in enumerate(GRADES)}
    findings = sorted(audit.findings, key=lambda f: order[f.grade])
    body = project.party(audit.body)
    participants = [p for p in (project.person(pid) for pid in audit.participants) if p]
    director = next((p for p in participants if "D" in p.roles), participants[0] if participants else None)
    follow_up = []
    for earlier, f in earlier_open_findings(project, audit):
        actions = [f"{a.id} — {a.description} ({label('action_status', a.status, lang)}"
                   + (f", {long_date(a.due, lang)}" if a.due else "") + ")" for a in f.actions]
        follow_up.append({"id": f.id, "audit": earlier.id, "clause": f.clause, "grade_label": label("grade", f.grade, lang),
                          "statement": f.statement, "actions": "\n".join(actions) or "—"})
    cited = sorted({f.clause for f in audit.findings} | {f["clause"] for f in follow_up}, key=_clause_key)
    return {
        "lang": lang,
        "generated": long_date(today(), lang),
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
        },
        "summary": [{"grade": g, "label": label("grade", g, lang), "count": sum(f.grade == g for f in audit.findings)}
                    for g in GRADES],
        "total_findings": len(audit.findings),
        "findings": [{"id": f.id, "clause": f.clause, "clause_title": fw.clause_title(f.clause, lang),
                      "process": fw.process_title(f.process, lang) if f.process in fw.processes else "",
                      "grade": f.grade, "grade_label": label("grade", f.grade, lang),
                      "statement": f.statement, "evidence": f.evidence} for f in findings],
        "clauses": [{"clause": c, "title": fw.clause_title(c, lang)} for c in cited],
        "follow_up": follow_up,
        "strengths": [f.statement for f in audit.findings if f.grade == "strength"],
    }


def _folded(mapping: dict[str, dict[str, str]]) -> dict[str, str]:
    return {fold(text): key for lang in mapping.values() for key, text in lang.items()}


def _columns(header: list[str], labels: dict[str, str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, text in enumerate(header):
        key = labels.get(fold(text))
        if key and key not in cols:
            cols[key] = i
    return cols


def read(path: Path, project: Project, audit_id: str) -> Reading:
    """Read a filled audit report: findings rows (edited and added), follow-up verdicts, conclusions."""
    from ..ooxml.docx_read import read_tables
    from ..ooxml.parts import docx_payload
    from .values import (
        ValueProblem,
        parse_clause,
        parse_grade,
        parse_process,
        parse_verdict,
    )

    if project.audit(audit_id) is None:
        raise ReadbackError(f"{path}: report of audit {audit_id!r}, which the project file no longer has")
    base_data = load_base(path, docx_payload(path))
    fw = get_framework(project.framework)
    reading = Reading(path=path, form=FORM, audit=audit_id, base=base_data)
    finding_labels, follow_labels = _folded(FINDING_HEADERS), _folded(FOLLOW_UP_HEADERS)
    conclusion_rows = _folded(CONCLUSION_ROWS)
    known_ids = {f.id for a in project.audits for f in a.findings} | set(base_data.get("findings", {}))
    found_findings = False
    for t_index, rows in enumerate(read_tables(path), start=1):
        if not rows:
            continue
        header = [c.text for c in rows[0]]
        cols = _columns(header, follow_labels)
        if "verdict" in cols and "id" in cols:
            for r, row in enumerate(rows[1:], start=2):
                fid = row[cols["id"]].text if cols["id"] < len(row) else ""
                verdict = row[cols["verdict"]].text if cols["verdict"] < len(row) else ""
                if fid and verdict:
                    try:
                        reading.follow_up[fid] = parse_verdict(verdict)
                    except ValueProblem as err:
                        reading.problems.append(f"{path.name}: table {t_index} (follow-up) row {r}: {err}")
            continue
        cols = _columns(header, finding_labels)
        if {"id", "grade", "statement", "evidence"} <= set(cols):
            found_findings = True
            for r, row in enumerate(rows[1:], start=2):
                values = {k: (row[i].text if i < len(row) else "") for k, i in cols.items()}
                if not any(values.values()):
                    continue
                where = f"{path.name}: table {t_index} (findings) row {r}"
                try:
                    fields = {
                        "clause": parse_clause(values.get("clause", ""), fw),
                        "process": parse_process(values.get("process", ""), fw) or "",
                        "grade": parse_grade(values["grade"]),
                        "statement": values["statement"],
                        "evidence": values.get("evidence", ""),
                    }
                    if not fields["statement"]:
                        raise ValueProblem("a finding needs its statement")
                except ValueProblem as err:
                    reading.problems.append(f"{where}: {err}")
                    continue
                fid = values["id"]
                if fid and fid in known_ids:
                    reading.findings[fid] = fields
                else:
                    reading.new_findings.append(NewRow(where=where, fields=fields, audit=audit_id, id=fid or None))
            continue
        if len(header) >= 2 and (fold(header[0]), fold(header[1])) in {
                (fold(a), fold(b)) for a, b in CONCLUSION_HEADERS.values()}:
            for row in rows[1:]:
                key = conclusion_rows.get(fold(row[0].text)) if row else None
                if key and len(row) > 1:
                    reading.audit_fields[key] = row[1].text
    if not found_findings:
        reading.problems.append(f"{path.name}: no findings table (ID, clause, grade, finding, evidence headers); "
                                "was the report restructured? Rebuild it with kitgen build")
    return reading
