"""Is the organisation ready for its next certification audit? The checks a lead auditor would make, in order,
each saying what it found and what to do, judged on the project as it stood on a date. No check passes on nothing:
where there is nothing to judge (no audit, no record), it says so and does not pass.

Steps: `stage1` (documentation and readiness), `stage2` (the certification audit: stage 1 done, its areas of concern
addressed, recent records, earlier corrective actions verified or under way with evidence), then the three-year
cycle the certification decision opens: `surveillance` (due within its interval of the decision, then of the last
surveillance) and `recertification` (before the certificate expires; the cycle's internal audits cover every
clause). A failed check means not ready; a warning is advice and never blocks.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path, PurePath

from dateutil.relativedelta import relativedelta

from ..forms.common import listed, long_date, today
from ..forms.registry import form_types
from ..frameworks import Framework, get_framework, migration, title_words
from ..infra.text import fold
from ..project.cycle import Cycle, cycle, done
from ..project.cycle import programme as audit_programme
from ..project.history import as_of as project_as_of
from ..project.load import ProjectFile
from ..project.models import UNCONFIRMED_DATES, Audit, Evidence, Finding, Person, Project
from ..project.reviews import (
    SERVICE_SUPPLIERS,
    default_owner,
    evidence,
    review_months,
    risk_ids,
    supplier_next_review,
    suppliers,
)
from ..project.status import NONCONFORMITIES, OPEN_ACTION, action_days_overdue, action_is_verified, finding_status
from .readiness_text import t

HISTORY_MONTHS = 3            # the seed: "un historique suffisant supérieur à 3 mois"
HISTORY_DISTINCT_MONTHS = 3   # ... and kept all along: records in at least three different months
RECENT_DAYS = 62              # a process whose last record is older than this looks stalled
# How many names a readiness line lists before "and N more", by how long each is: the line stays one paragraph
LISTED = 8                    # ids and process names
LISTED_CLAUSES = 12           # clause numbers, a few characters each
LISTED_SENTENCES = 6          # a short sentence each (an action and what it lacks, an auditor and their process)
LISTED_PATHS = 5              # file paths; document control lists up to three kinds of them in one line
LISTED_IN_NOTE = 4            # in a note added to another list's line
LISTED_UNKEPT = 3             # records past their retention, in a warning that also gives their number
PLACEHOLDER = re.compile(r"\.\.\.|…")      # the starter's scope statement ("Provision of ... services to ...")
STEPS = ("stage1", "stage2", "surveillance", "recertification")
SMS_ROLES = ("D", "RGS")      # top management and the service management lead run the SMS itself
CORRECTIVE = ("corrective", "preventive")  # the actions whose effectiveness is verified (§ 10.1)


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
    number: int = 0   # which surveillance audit of the cycle (0: not known or not a surveillance)

    @property
    def ready(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    @property
    def verdict(self) -> str:
        """'READY for the stage 1 audit as of 29 November 2026', in the project's language."""
        key = "step.surveillance.any" if self.step == "surveillance" and not self.number else f"step.{self.step}"
        step = t(key, self.lang, n=self.number)
        return t("verdict.ready" if self.ready else "verdict.not-ready", self.lang, step=step, day=self.as_of)

    def as_dict(self) -> dict[str, object]:
        """{"ready": bool, "as_of": ISO date, "step": "stage1", "verdict": text, "checks": [...]}"""
        return {"ready": self.ready, "as_of": self.as_of.isoformat(), "step": self.step, "verdict": self.verdict,
                "checks": [asdict(c) for c in self.checks]}


def next_step(project: Project, as_of: date) -> str:
    """The next certification step: stage 1, stage 2 once stage 1 is recorded, then the cycle's surveillance audits
    and recertification once stage 2 is done (see kitgen.project.cycle)."""
    return cycle(project_as_of(project, as_of), as_of).step


def _counted(record: Evidence) -> bool:
    """A record whose date someone gave or checked (not one `kitgen scan` guessed)."""
    return record.date_from not in UNCONFIRMED_DATES


def _matches(title: str, words: dict[str, tuple[str, ...]]) -> bool:
    """True when a job title holds one of the words (either language), as whole words."""
    folded = fold(title)
    return any(re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", folded) for ws in words.values() for w in ws)


class _Checks:
    """The checks of one readiness run (one instance per run)."""

    def __init__(self, project: Project, day: date, step: str, where: Cycle, built_reports: Collection[str],
                 built_minutes: Collection[str] = (), built_files: Collection[str] = (),
                 folder: Path | None = None) -> None:
        self.p, self.day, self.step, self.where = project, day, step, where
        self.built, self.minutes = set(built_reports), set(built_minutes)
        self.built_files, self.folder = set(built_files), folder
        self.fw: Framework = get_framework(project.framework)
        self.lang = project.language
        self.checks: list[Check] = []
        self.audit_months = project.certification.internal_audit_interval_months
        self.review_months = project.certification.management_review_interval_months
        done_internal = [a for a in project.audits if a.kind == "internal" and done(a, day)]
        self.internal = sorted(done_internal, key=lambda a: a.end or a.start)
        since = day - relativedelta(months=self.audit_months)
        self.recent_internal = [a for a in self.internal if (a.end or a.start) >= since]
        self.window = t("window.recent", self.lang, months=self.audit_months)
        # recertification looks back over the whole cycle: its internal audits cover every clause
        if step == "recertification" and where.decision is not None:
            self.recent_internal = [a for a in self.internal if (a.end or a.start) >= where.decision]
            self.window = t("window.cycle", self.lang, day=where.decision)

    def add(self, check_id: str, status: str, key: str, todo: str = "", **values: object) -> None:
        lang = self.lang
        todo_text = t(todo, lang, **values) if todo else ""
        self.checks.append(Check(check_id, status, t(key, lang, **values), todo_text))

    def day_of(self, day: date) -> str:
        """A date inside a list of items: written out, as in the sentence around it ('7 décembre 2026')."""
        return long_date(day, self.lang)

    def items(self, names: list[str], limit: int = LISTED) -> str:
        more = t("and-more", self.lang, n=len(names) - limit) if len(names) > limit else ""
        return ", ".join(names[:limit]) + more

    def documents(self) -> list[Evidence]:
        return list(self.p.management_system.documents) + [d for p in self.p.processes.values() for d in p.documents]

    # -- the organisation and its documented information -------------------------------------------------------
    def edition(self) -> None:
        if self.fw.current:
            self.add("edition", "pass", "edition.pass", title=self.fw.title[self.lang])
            return
        moves = [f"{slug} {a} → {b}" for slug, a, b in migration(self.fw.id, list(self.p.processes))]
        self.add("edition", "fail", "edition.fail", "edition.todo", why=self.fw.withdrawn[self.lang],
                 moves=", ".join(moves))

    def scope_stated(self) -> bool:
        statement = self.p.scope.statement.strip()
        return bool(statement) and not PLACEHOLDER.search(statement)

    def scope(self) -> None:
        statement = " ".join(self.p.scope.statement.split())
        if self.scope_stated():
            self.add("scope", "pass", "scope.pass", text=statement)
        else:
            self.add("scope", "fail", "scope.placeholder" if statement else "scope.fail", "scope.todo", text=statement)

    def documented(self) -> None:
        docs = self.documents()
        kinds = {d.kind for d in docs if d.kind}
        for form in form_types():   # a document kitgen drafts counts, by its own kinds, once approved
            approved = form.approved_on(self.p)
            if approved is not None and approved <= self.day:
                kinds.update(form.covers)
        if self.scope_stated():
            kinds.add("scope")  # the scope statement in the project file is documented information enough
        missing = [d for d in self.fw.documented if d.kind not in kinds]
        names = [f"{d.title[self.lang]} (§ {d.clause})" for d in (missing or self.fw.documented)]
        if not missing:
            self.add("documented", "pass", "documented.pass", items=listed(names, self.lang))
            return
        specific = {d.kind for d in self.fw.documented}
        generic = [f"{d.title} (kind: {d.kind})" for d in docs if d.kind and d.kind not in specific
                   and d.kind in ("policy", "plan", "contract", "other")]
        self.add("documented", "fail", "documented.fail", "documented.todo", items=listed(names, self.lang)
                 + (t("documented.generic", self.lang, items=self.items(generic, LISTED_IN_NOTE)) if generic else ""),
                 kinds=", ".join(d.kind for d in missing))

    def processes(self) -> None:
        missing = [s for s in self.fw.processes if s not in self.p.processes]
        undocumented = [s for s, p in self.p.processes.items() if s in self.fw.processes and not p.documents]
        n = len(self.fw.processes)
        if missing or undocumented:
            details = ([t("not-described", self.lang, items=self.items(missing))] if missing else []) + (
                [t("no-document", self.lang, items=self.items(undocumented))] if undocumented else [])
            self.add("processes", "fail", "processes.fail", "processes.todo", done=n - len(missing) - len(undocumented),
                     n=n, details=listed(details, self.lang))
        else:
            self.add("processes", "pass", "processes.pass", n=n)

    # -- records ---------------------------------------------------------------------------------------------
    def records(self, history: bool) -> None:
        """Three months of records kept all along (before certification) and recent ones (a warning before stage 1,
        required from stage 2 on); dates `kitgen scan` guessed are shown and not counted."""
        start = self.day - relativedelta(months=HISTORY_MONTHS)
        short, stale, unconfirmed = [], [], []
        for slug in self.fw.processes:
            proc = self.p.processes.get(slug)
            records = proc.records if proc else []
            unconfirmed += [f"{slug} {self.day_of(r.date)}" for r in records if not _counted(r)]
            dates = sorted(r.date for r in records if _counted(r))
            months = {(d.year, d.month) for d in dates}
            if not dates or dates[0] > start or len(months) < HISTORY_DISTINCT_MONTHS:
                short.append(slug)
            if not dates or (self.day - dates[-1]).days > RECENT_DAYS:
                stale.append(f"{slug} ({self.day_of(dates[-1]) if dates else t('none', self.lang)})")
        note = t("records.unconfirmed", self.lang, n=len(unconfirmed), items=self.items(unconfirmed, LISTED_IN_NOTE)) \
            if unconfirmed else ""
        check = t("records.unconfirmed.todo", self.lang) if unconfirmed else ""
        if history:
            if short:
                self.checks.append(Check("records-history", "fail", t(
                    "records-history.fail", self.lang, months=HISTORY_MONTHS, distinct=HISTORY_DISTINCT_MONTHS,
                    items=self.items(short)) + note, t("records-history.todo", self.lang, start=start)
                    + check))
            else:
                self.checks.append(Check("records-history", "pass", t(
                    "records-history.pass", self.lang, start=start, distinct=HISTORY_DISTINCT_MONTHS)
                    + note, check.removeprefix("; ").removeprefix(" ; ")))
        if stale:
            status = "warn" if self.step == "stage1" else "fail"
            self.checks.append(Check("records-recent", status, t("records-recent.fail", self.lang, days=RECENT_DAYS,
                                                                 items=self.items(stale)),
                                     t("records-recent.todo", self.lang)))
        else:
            self.add("records-recent", "pass", "records-recent.pass", days=RECENT_DAYS)

    # -- the internal audit ----------------------------------------------------------------------------------
    def internal_audit(self) -> None:
        if not self.internal:
            self.add("internal-audit", "fail", "internal-audit.none", "internal-audit.none.todo")
            return
        last = self.internal[-1]
        day = last.end or last.start
        if not self.recent_internal:
            self.add("internal-audit", "fail", "internal-audit.old", "internal-audit.old.todo", audit=last.id, day=day,
                     months=self.audit_months, clause=self.fw.internal_audit)
            return
        # the file the audit names as its report may be the blank one kitgen built: it counts once signed, as that one
        named_built = bool(last.report) and PurePath(last.report).name in self.built_files
        built = named_built or last.id in self.built
        if last.report and not named_built:
            if self.folder is not None and not (self.folder / last.report).is_file():
                self.add("internal-audit", "fail", "internal-audit.missing", "internal-audit.report.todo",
                         audit=last.id, report=last.report)
            else:
                self.add("internal-audit", "pass", "internal-audit.pass", audit=last.id, day=day, report=last.report)
        elif built and last.issued is not None and last.issued <= self.day:
            # a report kitgen built counts once it came back signed: its issue date harvested
            report = t("internal-audit.built", self.lang, day=last.issued)
            self.add("internal-audit", "pass", "internal-audit.pass", audit=last.id, day=day, report=report)
        elif built:
            self.add("internal-audit", "fail", "internal-audit.unsigned", "internal-audit.report.todo", audit=last.id)
        else:
            self.add("internal-audit", "fail", "internal-audit.report", "internal-audit.report.todo", audit=last.id)

    def evidence_of(self, clause: str) -> tuple[list[date], str] | None:
        """The dates of the evidence a clause's verdict rests on, and what it is; None when kitgen cannot tell."""
        fw, lang = self.fw, self.lang
        doc = next((d for d in fw.documented if d.kind != "scope"
                    and (clause == d.clause or clause.startswith(d.clause + "."))), None)
        if doc is not None:
            return [d.date for d in self.documents() if d.kind == doc.kind], doc.title[lang]
        if clause == fw.management_review or clause.startswith(fw.management_review + "."):
            return [r.date for r in self.p.management_reviews], t("review-evidence", lang)
        slug = fw.clause_process(clause)
        if slug is not None:
            proc = self.p.processes.get(slug)
            dates = [e.date for e in (proc.records + proc.documents if proc else [])]
            return dates, t("record-of", lang, process=fw.process_title(slug, lang))
        return None

    def early_verdicts(self) -> dict[tuple[str, str], str]:
        """(audit, clause) -> why, for each "Conforms" of the window's internal audits given before its evidence."""
        early: dict[tuple[str, str], str] = {}
        for audit in self.recent_internal:
            when = audit.end or audit.start
            for clause, entry in audit.coverage.items():
                if entry.verdict != "conform":
                    continue
                evidence = self.evidence_of(clause)
                if evidence is None:
                    continue
                dates, what = evidence
                if not any(d <= when for d in dates):
                    first = self.day_of(min(dates)) if dates else t("none", self.lang)
                    early[(audit.id, clause)] = t("verdict-dates.item", self.lang, clause=clause, day=when,
                                                  what=what, first=first)
        return early

    def coverage(self, early: dict[tuple[str, str], str]) -> None:
        required = self.fw.requirements()
        if not self.recent_internal:
            self.add("audit-coverage", "fail", "coverage.none", "internal-audit.none.todo", window=self.window,
                     n=len(required))
            return
        covered: set[str] = {f.clause for a in self.recent_internal for f in a.findings}  # a finding: examined
        without: set[str] = set()
        for audit in self.recent_internal:
            for clause, entry in audit.coverage.items():
                if entry.verdict == "not-audited" or (audit.id, clause) in early:
                    continue
                if entry.verdict == "conform" and not entry.evidence.strip():
                    without.add(clause)
                    continue
                covered.add(clause)
        missing = [c for c in required if c not in covered and not any(c.startswith(x + ".") for x in covered)]
        if not missing:
            self.add("audit-coverage", "pass", "coverage.pass", window=self.window, n=len(required))
            return
        message = t("coverage.fail", self.lang, covered=len(required) - len(missing), n=len(required),
                    window=self.window, items=self.items(missing, LISTED_CLAUSES))
        no_evidence = [c for c in missing if c in without]
        if no_evidence:
            message += t("coverage.no-evidence", self.lang, items=self.items(no_evidence, LISTED_CLAUSES))
        dated = sorted({c for (_, c) in early} & set(missing))
        if dated:
            message += t("coverage.early", self.lang, items=self.items(dated, LISTED_CLAUSES))
        self.checks.append(Check("audit-coverage", "fail", message, t("coverage.todo", self.lang)))

    def verdict_dates(self, early: dict[tuple[str, str], str]) -> None:
        checked = sum(e.verdict == "conform" for a in self.recent_internal for e in a.coverage.values())
        if early:
            self.add("verdict-dates", "fail", "verdict-dates.fail", "verdict-dates.todo",
                     items=self.items(list(early.values()), LISTED_SENTENCES))
        elif checked:
            self.add("verdict-dates", "pass", "verdict-dates.pass", n=checked)
        else:
            self.add("verdict-dates", "warn", "verdict-dates.none", "coverage.todo", window=self.window)

    # -- independence: ISO 19011 §4, auditors do not audit their own work -------------------------------------
    def audited(self, audit: Audit) -> set[str | None]:
        """What an audit examined: process slugs, and None for the SMS's own clauses."""
        fw = self.fw
        if not audit.clauses and not audit.processes:
            clauses = fw.requirements()
        else:
            clauses = list(audit.clauses) + [fw.processes[s] for s in audit.processes if s in fw.processes]
        clauses += list(audit.coverage) + [f.clause for f in audit.findings]
        found: set[str | None] = {fw.clause_process(c) for c in clauses}
        found |= {f.process for f in audit.findings if f.process}
        return found

    def auditors(self, audit: Audit, what: str | None) -> set[str]:
        """Who audited a process (None: the SMS's own clauses): those the plan names for it; once a plan names
        auditors, the lead auditor for the rest; without one, the whole team."""
        named = [item for item in audit.plan if item.auditor]
        chosen = {item.auditor for item in named if item.process == what and item.auditor}
        if chosen:
            return chosen
        return {audit.lead_auditor} if named else {audit.lead_auditor, *audit.team}

    def person(self, ref: str) -> Person | None:
        return self.p.person(ref) or next((p for p in self.p.people if fold(p.name) == fold(ref)), None)

    def conflict(self, person: Person, what: str | None) -> str | None:
        """Why `person` is not independent of a process (None: the SMS itself), or None."""
        words = title_words()
        if what is None:
            role = next((r for r in person.roles if r in SMS_ROLES), None)
            if role:
                return t("why.role", self.lang, role=role)
            if person.title and _matches(person.title, words["sms"]):
                return t("why.sms-title", self.lang, title=person.title)
            return None
        proc = self.p.processes.get(what)
        if proc is not None and proc.owner == person.id:
            return t("why.owner", self.lang)
        if what in person.works_in:
            return t("why.works", self.lang)
        if person.title and what in words and _matches(person.title, words[what]):
            return t("why.title", self.lang, title=person.title)
        return None

    def independence(self) -> None:
        if not self.recent_internal:
            self.add("auditor-independence", "fail", "independence.none", "internal-audit.none.todo",
                     window=self.window)
            return
        items = []
        for audit in self.recent_internal:
            for what in sorted(self.audited(audit), key=lambda w: (w is not None, w or "")):
                for ref in sorted(self.auditors(audit, what)):
                    person = self.person(ref)
                    why = self.conflict(person, what) if person else None
                    if why:
                        name = self.fw.process_title(what, self.lang) if what in self.fw.processes else \
                            t("the-sms", self.lang)
                        items.append(t("independence.item", self.lang, audit=audit.id, auditor=person.name,  # type: ignore[union-attr]
                                       what=name, why=why))
        if items:
            self.add("auditor-independence", "fail", "independence.fail", "independence.todo",
                     items=self.items(items, LISTED_SENTENCES), clause=self.fw.internal_audit)
        else:
            self.add("auditor-independence", "pass", "independence.pass", n=len(self.recent_internal))

    # -- the management review ---------------------------------------------------------------------------------
    def management_review(self) -> None:
        check = "review-held"
        held = sorted((r for r in self.p.management_reviews if r.date <= self.day), key=lambda r: r.date)
        clause = self.fw.management_review
        if not held:
            self.add(check, "fail", "review.none", "review.none.todo")
            return
        review = held[-1]
        last = review.date
        if last < self.day - relativedelta(months=self.review_months):
            self.add(check, "fail", "review.old", "review.old.todo", day=last, months=self.review_months,
                     clause=clause)
        elif not self.internal:
            self.add(check, "fail", "review.no-audit", "review.no-audit.todo", day=last, clause=clause)
        elif last < (self.internal[-1].end or self.internal[-1].start):
            audit = self.internal[-1]
            self.add(check, "fail", "review.before", "review.before.todo", day=last, audit=audit.id,
                     audit_day=audit.end or audit.start, clause=clause)
        else:
            minutes = review.minutes or (t("review.built", self.lang) if last.isoformat() in self.minutes else "")
            if minutes:
                self.add(check, "pass", "review.pass", day=last, audit=self.internal[-1].id,
                         minutes=minutes)
            else:
                # the review's ISO date as the command to type wants it (`--review 2026-10-14`)
                self.add(check, "fail", "review.minutes", "review.minutes.todo", day=last, review=last.isoformat())

    # -- nonconformities and actions ---------------------------------------------------------------------------
    def audits_done(self) -> list[Audit]:
        return [a for a in self.p.audits if done(a, self.day)]

    def nonconformities(self) -> None:
        findings = self.p.all_findings()
        if not self.audits_done() and not findings:
            self.add("major-nc", "fail", "nc.none", "nc.none.todo")
            self.add("minor-actions", "fail", "nc.none", "nc.none.todo")
        else:
            majors, minors = [], []
            for _, f in findings:
                if finding_status(f, self.p) not in OPEN_ACTION:
                    continue
                if f.grade == "major":
                    majors.append(f.id)
                if f.grade == "minor" and not _under_way(f):
                    minors.append(f.id)
            if majors:
                self.add("major-nc", "fail", "major-nc.fail", "major-nc.todo", items=self.items(majors))
            else:
                self.add("major-nc", "pass", "major-nc.pass", n=len(findings))
            if minors:
                self.add("minor-actions", "fail", "minor-actions.fail", "minor-actions.todo", items=self.items(minors))
            else:
                self.add("minor-actions", "pass", "minor-actions.pass")

    def corrective_actions(self) -> None:
        """From stage 2 on: every corrective action of an earlier nonconformity verified effective, or under way with
        its implementation evidence (a "done" nobody checked is neither)."""
        if not self.audits_done() and not self.p.all_findings():
            self.add("corrective-actions", "fail", "nc.none", "nc.none.todo")
            return
        bad, counted = [], 0
        for _, f in self.p.all_findings():
            if f.grade not in NONCONFORMITIES:
                continue
            for a in f.actions:
                if a.kind not in CORRECTIVE or a.status == "cancelled":
                    continue
                counted += 1
                if action_is_verified(a):
                    continue
                if a.effectiveness is not None and not a.effectiveness.effective:
                    bad.append(t("corrective.not-effective", self.lang, action=a.id, finding=f.id))
                elif a.status == "done":
                    bad.append(t("corrective.unchecked", self.lang, action=a.id, finding=f.id))
                elif a.status in OPEN_ACTION and not a.evidence.strip():
                    bad.append(t("corrective.no-evidence", self.lang, action=a.id, finding=f.id, status=a.status))
        if bad:
            self.add("corrective-actions", "fail", "corrective.fail", "corrective.todo",
                     items=self.items(bad, LISTED_SENTENCES))
        else:
            self.add("corrective-actions", "pass", "corrective.pass", n=counted)

    def overdue(self) -> None:
        actions = self.p.all_actions()
        overdue = [a.id for a in actions if action_days_overdue(a, self.day)]
        if overdue:
            self.add("overdue-actions", "warn", "overdue-actions.warn", "overdue-actions.todo", items=self.items(overdue))
        elif not actions:
            self.add("overdue-actions", "warn", "overdue-actions.none", "nc.none.todo")
        else:
            self.add("overdue-actions", "pass", "overdue-actions.pass", n=len(actions))

    # -- the certification steps -------------------------------------------------------------------------------
    def stage1(self) -> None:
        stage1 = sorted((a for a in self.p.audits if a.kind == "stage1" and done(a, self.day)), key=lambda a: a.start)
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
        never = t("never", self.lang)
        stale = [f"{rid} ({self.day_of(r.reviewed) if r.reviewed and r.reviewed <= self.day else never})"
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
        problems = [t(key, self.lang, items=self.items(paths, LISTED_PATHS)) for key, paths in
                    (("no-version", no_version), ("no-owner", no_owner), ("review-due", overdue)) if paths]
        if problems:
            self.add("document-control", "fail", "document-control.fail", "document-control.todo", clause=clause,
                     items=listed(problems, self.lang))
        else:
            documents = sum(1 for _, nature, _ in evidence(self.p) if nature == "document")
            if documents:
                self.add("document-control", "pass", "document-control.pass", n=documents)
            else:  # nothing passes on nothing
                self.add("document-control", "fail", "document-control.none", "document-control.todo", clause=clause)
        if unkept:
            self.add("record-retention", "warn", "retention.warn", "retention.todo", n=len(unkept),
                     items=self.items(unkept, LISTED_UNKEPT))
        elif records:
            self.add("record-retention", "pass", "retention.pass", n=records)

    def programme(self) -> None:
        """The internal audit programme covers every clause within the cycle: audits done (their coverage) and
        planned (the clauses marked for them)."""
        plan = audit_programme(self.p, self.day)
        gaps = plan.gaps(internal=True)
        end = plan.end - timedelta(days=1)
        if gaps:
            self.add("internal-programme", "fail", "programme.fail", "programme.todo", end=end,
                     items=self.items(gaps, LISTED_CLAUSES))
        else:
            self.add("internal-programme", "pass", "programme.pass", n=len(plan.requirements), end=end)

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
                when = self.day_of(reviewed) if reviewed else t("never", self.lang)
                stale.append(f"{party.name} ({when})")
        months = self.p.certification.supplier_review_interval_months
        if stale:
            self.add("supplier-review", "fail", "suppliers.fail", "suppliers.todo", clause=clause,
                     items=self.items(stale))
        else:
            self.add("supplier-review", "pass", "suppliers.pass", months=months,
                     items=self.items([p.name for p in parties]))
    def certification_cycle(self) -> None:
        """Where the three-year cycle stands: the next surveillance within its interval, recertification before
        expiry."""
        where, cert = self.where, self.p.certification
        months = cert.surveillance_interval_months
        if where.decision is None:
            if where.stage2 is not None:
                s2 = where.stage2
                self.add("cycle", "fail", "cycle.no-decision", "cycle.no-decision.todo", audit=s2.id,
                         day=s2.end or s2.start, months=months)
            else:
                self.add("cycle", "fail", "cycle.not-certified", "cycle.not-certified.todo")
            return
        expiry = where.expiry
        assert expiry is not None
        if expiry < self.day:
            self.add("cycle", "fail", "cycle.expired", "cycle.expired.todo", expiry=expiry)
        elif self.step == "recertification":
            self.add("cycle", "pass", "cycle.recertification", expiry=expiry)
        elif where.due is not None and where.due < self.day:
            self.add("cycle", "fail", "cycle.late", "cycle.late.todo", n=where.number, due=where.due,
                     decision=where.decision)
        else:
            number = cert.certificate.number if cert.certificate else ""
            certificate = t("cycle.certificate", self.lang, number=number, expiry=expiry) if number else ""
            self.add("cycle", "pass", "cycle.surveillance", decision=where.decision,
                     certificate=certificate, n=where.number, due=where.due or "—")

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
              built_reports: Collection[str] = (), built_minutes: Collection[str] = (),
              built_files: Collection[str] = (), folder: Path | None = None) -> Readiness:
    """Every check for the next certification step (or `step`), on the project as it stood on `as_of` (default
    today). `built_reports` are the audits whose report kitgen built (they count once signed: their issue date
    harvested), `built_minutes` the reviews (ISO dates) whose minutes it built, `built_files` the names of those
    files; with the project's `folder`, a report path given must lead to a file."""
    day = as_of or today()
    then = project_as_of(project, day)
    where = cycle(then, day)
    step = step or where.step
    run = _Checks(then, day, step, where, built_reports, built_minutes, built_files, folder)
    initial = step in ("stage1", "stage2")
    run.edition()
    run.scope()
    run.documented()
    run.processes()
    run.records(history=initial)
    run.internal_audit()
    early = run.early_verdicts()
    run.coverage(early)
    run.verdict_dates(early)
    run.independence()
    run.management_review()
    run.nonconformities()
    if step != "stage1":
        run.corrective_actions()
    run.overdue()
    run.risks()
    run.document_control()
    run.programme()
    run.suppliers()
    if step == "stage2":
        run.stage1()
    if not initial:
        run.certification_cycle()
    run.advice()
    number = where.number if step == "surveillance" and where.step == "surveillance" else 0
    return Readiness(as_of=day, step=step, checks=run.checks, lang=project.language, number=number)


def built_records(project_path: Path) -> dict[str, set[str]]:
    """{"audit": audit ids, "review": review dates, "file": their files' names} whose record (report, minutes) kitgen
    built, from its state file: the forms that stand as records say so themselves."""
    from ..forms.registry import form_ids, form_type
    from ..project.state import ProjectState

    known = set(form_ids())
    found: dict[str, set[str]] = {"audit": set(), "review": set(), "file": set()}
    for base in ProjectState.load(project_path).bases.values():
        # only the forms built are imported (a form's module loads its Office libraries): none for a new project
        form = form_type(base["form"]) if base.get("form") in known else None
        if form is not None and form.record and base.get("key"):
            found[form.per].add(base["key"])
            found["file"].add(form.file_name(base["key"]))
    return found


def check_readiness(pf: ProjectFile, as_of: date | None = None, *, step: str | None = None) -> Readiness:
    """readiness() of a loaded project file; the reports and minutes kitgen built count as the audits' reports
    (once signed) and the reviews' minutes; a report path given must lead to a file beside the project."""
    records = built_records(pf.path)
    return readiness(pf.project, as_of, step=step, built_reports=records["audit"], built_minutes=records["review"],
                     built_files=records["file"], folder=pf.path.parent)
