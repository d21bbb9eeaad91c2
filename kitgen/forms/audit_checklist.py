"""The internal auditor's checklist (.docx, one per audit): a row per clause in the audit's scope, what to examine
written from the project in kitgen's own words (never the standard's text), and read back into the audit's clause
coverage and its findings."""
from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import N_, ReadbackError, problem
from ..frameworks import Framework, get_framework
from ..infra.text import fold
from ..project.history import as_of
from ..project.models import Audit, Finding, Project
from ..project.places import Place
from .common import audit_of, date_range, long_date, person_name, today
from .kind import FormType
from .reading import REBUILD, Added, Reading
from .vocabulary import WORDS, audit_grades, label, labels

HEADERS = {
    "fr": {"clause": "Article", "title": "Exigence", "examine": "À examiner", "evidence": "Preuves recueillies",
           "verdict": "Verdict", "statement": "Constat"},
    "en": {"clause": "Clause", "title": "Requirement", "examine": "What to examine", "evidence": "Evidence seen",
           "verdict": "Verdict", "statement": "Finding"},
}
FINDING_VERDICTS = ("major", "minor", "concern", "observation", "improvement", "strength")
LATEST_RECORDS = 3   # a process's latest records named in what to examine: enough to sample, short in a cell
AS_OF = {"fr": "Preuves enregistrées au {day} (fin de l'audit).",
         "en": "Evidence on record as of {day} (the audit's end)."}
TEXT = {
    "fr": {"process": "Processus « {title} », responsable {owner}.", "documents": "Documents : {items}.",
           "records": "Derniers enregistrements : {items}.", "no_records": "Aucun enregistrement tenu.",
           "documented": "Information documentée attendue : {items}.", "sms": "Documents du SMS : {items}.",
           "audits": "Audits internes : {items}.", "reviews": "Revues de direction : {items}.",
           "ask": "Preuves à demander : {items}.",
           "competence": "Certificats du personnel : {items}.", "parties": "Parties impliquées et leur maîtrise : {items}.",
           "scope": "Périmètre déclaré : {items}", "risks": "Risques et opportunités enregistrés : {items}.",
           "objectives": "Objectifs et résultats : {items}.", "measurement": "Objectifs mesurés : {items}.",
           "nonconformity": "Non-conformités enregistrées : {items} ; vérifier causes, étendue et efficacité.",
           "none": "aucun", "none.reviews": "aucune", "none.parties": "aucune", "none.nonconformity": "aucune",
           "how": "Pour chaque article : notez les preuves vues, choisissez ou tapez le verdict ({verdicts}) "
                                   "et, pour un écart ou une remarque, rédigez le constat. Laissez vide ce qui n'a pas été "
                                   "examiné."},
    "en": {"process": "Process \u201c{title}\u201d, owner {owner}.", "documents": "Documents: {items}.",
           "records": "Latest records: {items}.", "no_records": "No record kept.",
           "documented": "Documented information expected: {items}.", "sms": "SMS documents: {items}.",
           "audits": "Internal audits: {items}.", "reviews": "Management reviews: {items}.",
           "ask": "Evidence to ask for: {items}.",
           "competence": "Staff certificates: {items}.", "parties": "Parties involved and how they are controlled: {items}.",
           "scope": "Scope stated: {items}", "risks": "Risks and opportunities recorded: {items}.",
           "objectives": "Objectives and results: {items}.", "measurement": "Objectives measured: {items}.",
           "nonconformity": "Nonconformities recorded: {items}; check causes, extent and effectiveness.",
           "none": "none", "how": "For each clause: note the evidence seen, choose or type the verdict ({verdicts}) and, "
                                  "for a gap or a remark, write the finding. Leave blank what was not examined."},
}


def scope_clauses(fw: Framework, audit: Audit) -> list[str]:
    """The requirement clauses the audit examines: those it names (with their sub-clauses) and those of the processes
    it names; every requirement of the edition when it names none."""
    requirements = fw.requirements()
    if not audit.clauses and not audit.processes:
        return requirements
    roots = list(audit.clauses) + [fw.processes[p] for p in audit.processes if p in fw.processes]
    return [c for c in requirements if any(c == r or c.startswith(r + ".") or r.startswith(c + ".") for r in roots)]


def clause_findings(audit: Audit) -> dict[str, Finding]:
    """This audit's finding for each clause (the first one raised on it)."""
    out: dict[str, Finding] = {}
    for f in audit.findings:
        out.setdefault(f.clause, f)
    return out


def _none(words: dict[str, str], key: str) -> str:
    """'None' said of the things `key` lists (in French, agreeing with them: « Revues de direction : aucune »)."""
    return words.get(f"none.{key}", words["none"])


def what_to_examine(project: Project, fw: Framework, clause: str, lang: str) -> str:
    """What the auditor looks at for a clause and the evidence to ask for (the framework's prompt, in kitgen's
    words, never the standard's), then what the project file holds for it."""
    t = TEXT[lang]
    prompt = fw.prompt(clause, lang)
    parts: list[str] = [prompt["check"], t["ask"].format(items=prompt["ask"])] if prompt else []
    slug = fw.clause_process(clause)
    if slug and slug in project.processes:
        proc = project.processes[slug]
        parts.append(t["process"].format(title=fw.process_title(slug, lang), owner=person_name(project, proc.owner)))
        docs = [f"{d.title}" + (f" v{d.version}" if d.version else "") for d in proc.documents]
        parts.append(t["documents"].format(items="; ".join(docs) or _none(t, "documents")))
        latest = sorted(proc.records, key=lambda r: r.date)[-LATEST_RECORDS:]
        parts.append(t["records"].format(items="; ".join(f"{r.title} ({long_date(r.date, lang)})" for r in latest))
                     if latest else t["no_records"])
    documented = [d for d in fw.documented if d.clause == clause or clause.startswith(d.clause + ".")]
    if documented:
        have = [d.title for d in project.management_system.documents + [x for p in project.processes.values()
                                                                          for x in p.documents]
                if d.kind in {x.kind for x in documented}]
        parts.append(t["documented"].format(items="; ".join(x.title[lang] for x in documented)))
        if have:
            parts.append(t["sms"].format(items="; ".join(have)))
    topic = next((k for k, c in fw.examine if clause == c or clause.startswith(c + ".")), None)
    if topic:
        parts.append(t[topic].format(items=_topic_items(project, topic, lang) or _none(t, topic)))
    if clause == fw.internal_audit or clause.startswith(fw.internal_audit + "."):
        audits = [f"{a.id} ({long_date(a.start, lang)})" for a in project.audits if a.kind == "internal"]
        parts.append(t["audits"].format(items="; ".join(audits) or _none(t, "audits")))
    if clause == fw.management_review or clause.startswith(fw.management_review + "."):
        reviews = [long_date(r.date, lang) for r in project.management_reviews]
        parts.append(t["reviews"].format(items="; ".join(reviews) or _none(t, "reviews")))
    return " ".join(parts)


def _topic_items(project: Project, topic: str, lang: str) -> str:
    """The project's data a checklist row points the auditor at, for a topic of the framework's `examine` map."""
    if topic == "competence":
        return "; ".join(f"{p.name} ({c.name}, {long_date(c.date, lang)})" for p in project.people for c in p.certificates)
    if topic == "parties":
        return "; ".join(f"{o.process} — {(project.party(o.party).name if project.party(o.party) else o.party)}"  # type: ignore[union-attr]
                         + (f" ({o.control})" if o.control else "") for o in project.scope.outsourced)
    if topic == "scope":
        return project.scope.statement
    if topic == "risks":
        return "; ".join(r.text for r in project.risks)
    if topic in ("objectives", "measurement"):
        return "; ".join(o.text + (f" → {o.result}" if o.result else "") for o in project.objectives)
    if topic == "nonconformity":
        return ", ".join(f.id for _, f in project.all_findings() if f.grade in ("major", "minor"))
    return ""


class AuditChecklist(FormType):
    """The auditor's checklist of one audit: clause by clause, evidence, verdict, finding."""

    id = "audit-checklist"
    template = "audit-checklist.docx"
    per = "audit"
    harvested = True
    packaged = True

    def title(self, project: Project, key: str | None, lang: str) -> str:
        return ("Liste de contrôle d'audit " if lang == "fr" else "Audit checklist ") + str(key)

    def edition(self, project: Project, key: str | None) -> tuple[str, date]:
        """The checklist goes with its audit's report: the same version, as of the audit's last day."""
        audit = audit_of(project, key)
        return audit.version, audit.end or audit.start

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]]:
        audit = audit_of(project, key)
        fw = get_framework(project.framework)
        clauses = scope_clauses(fw, audit)
        findings = clause_findings(audit)
        # what the form shows: the coverage recorded, else the grade of the finding on that clause (so that an
        # untouched checklist changes nothing); a row's evidence is its finding's, else the clause's
        base: dict[Place, dict[str, Any]] = {
            ("coverage", audit.id, c): {"verdict": audit.verdict(c) or (findings[c].grade if c in findings else ""),
                                        "evidence": "" if c in findings else _evidence(audit, c)}
            for c in clauses}
        for c in clauses:
            if c in findings:
                f = findings[c]
                base[("finding", f.id)] = {"clause": f.clause, "grade": f.grade, "statement": f.statement,
                                           "evidence": f.evidence}
        return base

    def adjust(self, parts: dict[str, bytes], project: Project, key: str | None, lang: str) -> None:
        """The verdict drop-downs offer only the verdicts this audit's rows take, in the form's language."""
        from ..ooxml.docx_render import restrict_dropdowns

        every = {w for words in WORDS["coverage"].values() for w in words.values()}
        restrict_dropdowns(parts, every, labels("coverage", lang, _verdicts(audit_of(project, key))))

    def context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        audit = audit_of(project, key)
        fw = get_framework(project.framework)
        findings = clause_findings(audit)
        verdict_words = labels("coverage", lang, _verdicts(audit))
        end = audit.end or audit.start
        then = as_of(project, end)  # what to examine: the evidence that existed when the audit ended
        rows = []
        for c in scope_clauses(fw, audit):
            f = findings.get(c)
            code = audit.verdict(c) or (f.grade if f else "")
            rows.append({"clause": c, "title": fw.clause_title(c, lang),
                         "examine": what_to_examine(then, fw, c, lang),
                         "evidence": f.evidence if f else _evidence(audit, c),
                         "verdict": label("coverage", code, lang) if code else "",
                         "statement": f.statement if f else ""})
        return {
            "lang": lang,
            "generated": long_date(today(), lang),
            "org": {"legal_name": project.organisation.legal_name},
            "framework": {"id": fw.id, "title": fw.title[lang]},
            "audit": {"id": audit.id, "kind_label": label("audit_kind", audit.kind, lang),
                      "dates": date_range(audit.start, audit.end, lang),
                      "lead_auditor": person_name(project, audit.lead_auditor),
                      "scope": audit.scope or project.scope.statement},
            "how": TEXT[lang]["how"].format(verdicts=", ".join(verdict_words)) + " "
                   + AS_OF[lang].format(day=long_date(end, lang)),
            "as_of": long_date(end, lang),
            "verdicts": verdict_words,
            "rows": rows,
            "total": len(rows),
        }

    def read(self, package: Any, project: Project, reading: Reading) -> None:
        """Each row's verdict and evidence (the audit's coverage), and a finding for each row that records one."""
        from ..ooxml.docx_read import read_tables
        from .typed import untaken_cells

        audit = project.audit(reading.key or "")
        if audit is None:
            raise ReadbackError(N_("checklist of audit {audit!r}, which the project file no longer has"), reading.path,
                                audit=reading.key, code="gone-from-project")
        reader = _ChecklistReader(project, audit, reading)
        found = False
        tables = read_tables(package)
        for t_index, rows in enumerate(tables, start=1):
            cols = _columns(rows[0]) if rows else {}
            if not {"clause", "verdict", "statement"} <= set(cols):
                continue
            found = True
            for r, row in enumerate(rows[1:], start=2):
                reader.row(t_index, r, row, cols)
        if not found:
            reading.problems.append(problem(N_("no checklist table ({expected}); was it restructured?"), reading.name,
                                            expected=", ".join(reader.words[k] for k in ("clause", "verdict",
                                                                                         "statement")),
                                            hint=REBUILD, code="restructured"))
        untaken_cells(tables, reading)


def _columns(header: list[Any]) -> dict[str, int]:
    """{column key: index} of a table's header row, in either language (the first column of each kind)."""
    headers = {fold(text): key for lang in HEADERS.values() for key, text in lang.items()}
    cols: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = headers.get(fold(cell.text))
        if key and key not in cols:
            cols[key] = i
    return cols


class _ChecklistReader:
    """Reads the checklist's rows into the reading: coverage and findings of one audit (one instance per file)."""

    def __init__(self, project: Project, audit: Audit, reading: Reading) -> None:
        self.project, self.audit, self.reading = project, audit, reading
        self.fw = get_framework(project.framework)
        self.name = reading.name
        self.words = HEADERS[reading.lang if reading.lang in HEADERS else "en"]   # the form's own headers
        self.allowed = _verdicts(audit)
        self.base = reading.base or {}
        self.by_clause = {fields.get("clause"): place[1] for place, fields in self.base.items()
                          if place[0] == "finding"}
        self.own = {f.id for f in audit.findings}

    def row(self, t_index: int, r: int, row: list[Any], cols: dict[str, int]) -> None:
        """One clause's row: its verdict and evidence, and its finding when the verdict records one."""
        from .values import ValueProblem

        reading = self.reading
        values = {k: (row[i].text if i < len(row) else "") for k, i in cols.items()}
        where = reading.in_table(t_index, r)
        clause = values["clause"].strip()
        if not values["verdict"]:
            typed = [k for k in ("evidence", "statement") if values.get(k, "").strip()]
            if typed:
                reading.not_taken.append(problem(
                    N_("{columns} typed on a row without a verdict, not taken"), self.name,
                    place=reading.in_table(t_index, r, clause), columns=", ".join(self.words[k] for k in typed),
                    hint=N_("choose the verdict"), code="not-taken"))
                _took(reading, t_index, r, cols, *typed)
            return
        try:
            verdict, statement, evidence = self._parsed(clause, values)
        except ValueProblem as err:
            reading.problems.append(err.at(self.name, where))
            return
        _took(reading, t_index, r, cols, "verdict", "evidence")
        if verdict not in FINDING_VERDICTS:
            reading.values[("coverage", self.audit.id, clause)] = {"verdict": verdict, "evidence": evidence}
            if statement:
                reading.not_taken.append(problem(
                    N_('a finding typed on a row whose verdict is "{value}", not taken'), self.name,
                    place=reading.in_table(t_index, r, clause), value=values["verdict"],
                    hint=N_("choose its grade to record it"), code="not-taken"))
                _took(reading, t_index, r, cols, "statement")
            return
        _took(reading, t_index, r, cols, "statement")
        reading.values[("coverage", self.audit.id, clause)] = {"verdict": verdict, "evidence": ""}
        self._finding(clause, verdict, statement, evidence, where)

    def _parsed(self, clause: str, values: dict[str, str]) -> tuple[str, str, str]:
        """(verdict, statement, evidence) of a row with a verdict; raises ValueProblem for a value nobody can read."""
        from .values import ValueProblem, check_text
        from .vocabulary import parse

        fw, audit = self.fw, self.audit
        if clause not in fw.clauses:
            raise ValueProblem(N_('unknown clause "{value}" for {framework}'), value=clause, framework=fw.id,
                               code="unknown-clause")
        verdict = parse("coverage", values["verdict"])
        if verdict not in self.allowed:
            raise ValueProblem(N_('"{value}" is not a verdict of audit {audit} ({expected})'), value=values["verdict"],
                               audit=audit.id, code="not-offered",
                               expected=", ".join(labels("coverage", self.project.language, self.allowed)))
        statement = check_text(values["statement"])
        evidence = check_text(values.get("evidence", ""))
        if verdict in FINDING_VERDICTS and not statement:
            raise ValueProblem(N_("a finding needs its statement (column {header})"), header=self.words["statement"],
                               code="missing-value")
        return verdict, statement, evidence

    def _finding(self, clause: str, verdict: str, statement: str, evidence: str, where: str) -> None:
        """The finding a row records: an edit of the audit's finding on that clause, or a new one."""
        reading, audit, base = self.reading, self.audit, self.base
        fields = {"clause": clause, "grade": verdict, "statement": statement, "evidence": evidence}
        fid = self.by_clause.get(clause)
        if fid is None and not base:  # no base: this audit's finding on that clause, if there is one
            fid = next((f.id for f in audit.findings if f.clause == clause), None)
        if fid and (fid in self.own or ("finding", fid) in base):
            reading.values[("finding", fid)] = fields
        else:
            process = self.fw.clause_process(clause)
            reading.added.append(Added("finding", ("audit", audit.id), {**fields, "process": process or ""},
                                       f"checklist#{clause}", where, statement))


def _took(reading: Reading, t_index: int, r: int, cols: dict[str, int], *keys: str) -> None:
    """Mark the cells of `keys` on row `r` of table `t_index` as read (the others are reported if typed in)."""
    reading.consumed.update((t_index, r, cols[k]) for k in keys if k in cols)


def _evidence(audit: Audit, clause: str) -> str:
    """The evidence recorded with a clause's verdict ('' when none)."""
    entry = audit.coverage.get(clause)
    return entry.evidence if entry else ""


def _verdicts(audit: Audit) -> list[str]:
    """The verdicts a checklist row of this audit takes (areas of concern at stage 1, nonconformities otherwise)."""
    return ["conform", *audit_grades(audit.kind), "not-audited"]


FORM = AuditChecklist()
