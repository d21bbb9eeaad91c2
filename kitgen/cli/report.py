"""How harvest and findings results are shown: rich tables on a terminal, JSON and CSV for scripts."""
from __future__ import annotations

import csv
import io
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from ..frameworks import get_framework
from .i18n import _, long_date, n_, show
from .jsonout import document, person
from .output import GAP, PATH, TEXT, TEXT_MIN_WIDTH, WORDS, Column, console, fitted_table, info, print_table
from .problems import line
from .words import grade_word, status_word

if TYPE_CHECKING:  # a command imports the job it runs; showing one command's result imports no other job
    from rich.console import Console

    from ..jobs.coverage import Coverage
    from ..jobs.feedback import Feedback
    from ..jobs.harvest import Change, Conflict, HarvestReport
    from ..jobs.readiness import Readiness
    from ..jobs.scan import ScanReport
    from ..project.models import Project
    from ..project.register import FindingRow


def _console(*, err: bool = False) -> Console:
    """The results' console (stdout), or the warnings' (stderr): see output.py."""
    return console(err=err)


def print_harvest(report: HarvestReport, project: Path, *, dry_run: bool) -> None:
    """A summary table of what changed, then conflicts, additions, deletions and skipped files."""
    console = _console()
    if report.changes:
        n = len(report.changes)
        title = (n_("{project}: {n} value would change", "{project}: {n} values would change", n) if dry_run else
                 n_("{project}: {n} value changed", "{project}: {n} values changed", n)).format(project=project, n=n)
        columns = [Column(_("file")), Column(_("field")), Column(_("was"), kind=TEXT), Column(_("now"), kind=TEXT)]
        print_table(console, fitted_table(title, columns, [(c.file, _target(c), str(c.old), str(c.new))
                                                           for c in report.changes], width=console.width))
    for note in report.untrusted:
        info(_("warning: untrusted base: {line}").format(line=line(note)))
    for conflict in report.conflicts:
        other = _("; {other} set the project's value").format(other=conflict.other) if conflict.other else ""
        kept = _("kept the project's value") if conflict.kept == "project" else _("took the form's value")
        console.print(_("conflict {field} ({file}): form {form!r}, project {project!r} (was {base!r}{other}); "
                        "{kept}").format(field=_target(conflict), file=conflict.file, form=conflict.form,
                                         project=conflict.project, base=conflict.base, other=other, kept=kept))
    for note in report.added:   # each says "new finding …"
        console.print(line(note))
    for title, notes in ((_("deleted in form:"), report.deleted), (_("gone from the project:"), report.gone),
                         (_("ignored"), report.ignored), (_("not taken:"), report.not_taken),
                         (_("older copy:"), report.older)):
        for note in notes:
            console.print(f"{title} {line(note)}")
    for note in report.skipped:
        info(_("skipped {line}").format(line=line(note)))
    if report.conflicts_left:
        n = len(report.conflicts_left)
        console.print(n_("{n} conflict left: edit the project file, or run again with --prefer form to take the "
                         "form's value", "{n} conflicts left: edit the project file, or run again with --prefer form "
                         "to take the forms' values", n).format(n=n))
    if not (report.changes or report.added):
        console.print(_("{project}: nothing to change").format(project=project))
    elif dry_run:
        console.print(_("dry run: nothing written"))
    elif report.written:
        console.print(_("wrote {path}").format(path=project) + _kept_as(project, report.backup))


def _target(change: Change | Conflict) -> str:
    """The field a change or conflict is about, named in the run's language ('AUD-1 coverage of 6.1.verdict')."""
    from ..jobs.harvest import label_of

    return f"{show(label_of(change.place))}.{change.field}" if change.place else change.target


def _kept_as(project: Path, backup: Path | None) -> str:
    """Where the previous version was kept, named as the user named the project file (it lies beside it)."""
    if backup is None:
        return ""
    shown = project.parent / backup.name if backup.parent == project.resolve().parent else backup
    return _(" (previous version kept as {path})").format(path=shown)


def _flags(row: FindingRow) -> str:
    flags = []
    if row.overdue:
        flags.append(n_("overdue by {n} day", "overdue by {n} days", row.days_overdue).format(n=row.days_overdue)
                     if row.days_overdue else _("overdue"))
    if row.major_past_deadline:
        flags.append(_("major past 6 months"))
    if row.recurring:
        flags.append(_("recurs {finding}").format(finding=row.recurs))
    if row.late_actions:
        flags.append(_("due after the limit: {actions}").format(actions=", ".join(row.late_actions)))
    return ", ".join(flags)


def print_findings(rows: list[FindingRow]) -> None:
    """The findings as a table that fits the terminal; the audit column only when an id does not already name it."""
    out = _console()
    show_audit = any(not r.id.startswith(f"{r.audit or r.source}-") for r in rows)
    columns = [Column(_("id")), *([Column(_("audit"))] if show_audit else []), Column(_("clause")),
               Column(_("grade")), Column(_("status")), Column(_("owner"), kind=WORDS), Column(_("due")),
               Column(_("verified by"), kind=WORDS), Column(_("flags"), kind=WORDS)]
    table = fitted_table(n_("{n} finding", "{n} findings", len(rows)).format(n=len(rows)), columns, [
        [r.id, *([r.audit or r.source] if show_audit else []), r.clause, grade_word(r.grade), status_word(r.status),
         r.owner, r.due.isoformat() if r.due else "", r.verified_by, _flags(r)] for r in rows],
        width=out.width, drop_empty=(_("verified by"), _("flags")))
    print_table(out, table)


def findings_json(rows: list[FindingRow], project: Project) -> str:
    """The findings as one versioned JSON document; owners and processes by id plus display name."""
    fw = get_framework(project.framework)

    def row(r: FindingRow) -> dict[str, object]:
        out = r.as_dict()
        out["owners"] = [person(project, pid) for pid in out.pop("owner_ids")]
        out["process_name"] = fw.process_title(r.process, project.language) if r.process in fw.processes else ""
        return out
    return document("findings", {"findings": [row(r) for r in rows]})


CSV_FIELDS = ["id", "audit", "audit_kind", "source", "raised", "clause", "clause_title", "process", "grade", "statement",
              "status", "owner", "due", "days_overdue", "verified_by", "recurring", "recurs", "overdue",
              "overdue_actions", "major_deadline", "major_past_deadline", "late_actions"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COUNT_WIDTH = 4   # a question's counts of answers, right-aligned in columns this wide: the counts of a kit line up


def inert(value: object) -> object:
    """A CSV field a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def findings_csv(rows: list[FindingRow]) -> str:
    """The findings as CSV (UTF-8, one header row); text that would start a formula is made inert."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: inert(v) for k, v in r.as_dict().items()})
    return buf.getvalue()


def verdict_word(verdict: str) -> str:
    """A checklist verdict in a coverage cell: a grade's short word, `ok` for conform, a dash when not audited."""
    return {"conform": _("ok"), "not-audited": "—", "": ""}.get(verdict) or grade_word(verdict)


def print_coverage(cov: Coverage) -> None:
    """The clause × audit matrix, the gaps flagged; audits numbered, with a legend, when their ids would not fit."""
    out = _console()
    ids = [a.id for a in cov.audits]
    keys = max(len(r.clause) for r in cov.rows) if cov.rows else 0
    numbered = keys + 2 * TEXT_MIN_WIDTH + sum(len(i) + 1 for i in ids) + GAP * (len(ids) + 3) > out.width
    heads = [f"#{n}" for n in range(1, len(ids) + 1)] if numbered else ids
    if numbered:
        for head, a in zip(heads, cov.audits):
            out.print(f"{head} = {a.id} ({a.start.isoformat()})")
    internal_gap, cycle_gap = _("no internal audit in 12 months"), _("not yet in the certification cycle")
    rows = [[r.clause, r.title, *[verdict_word(r.audits[a]) for a in ids],
             "; ".join(g for g, on in ((internal_gap, r.internal_gap), (cycle_gap, r.cycle_gap)) if on)]
            for r in cov.rows]
    columns = [Column(_("clause")), Column(_("title"), kind=TEXT), *[Column(h) for h in heads],
               Column(_("gaps"), kind=WORDS)]
    print_table(out, fitted_table(_("clause coverage as of {date}").format(date=long_date(cov.as_of)), columns, rows,
                                  width=out.width, drop_empty=(_("gaps"),)))
    internal = [r.clause for r in cov.rows if r.internal_gap]
    line = n_("{covered} of {n} clause covered by internal audits in the last 12 months",
              "{covered} of {n} clauses covered by internal audits in the last 12 months",
              len(cov.rows)).format(covered=len(cov.rows) - len(internal), n=len(cov.rows))
    if internal:
        line += _("; not covered: {clauses}").format(clauses=", ".join(internal))
    out.print(line)


def coverage_csv(cov: Coverage) -> str:
    """The matrix as CSV: clause, title, one column per audit, the two gap flags; text made inert."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["clause", "title", *[a.id for a in cov.audits], "internal_gap", "cycle_gap"])
    for r in cov.rows:
        writer.writerow([inert(v) for v in (r.clause, r.title, *[r.audits[a.id] for a in cov.audits],
                                            r.internal_gap, r.cycle_gap)])
    return buf.getvalue()


def print_scan(report: ScanReport, project: Path, *, dry_run: bool) -> None:
    """What a scan added (a table, by process and list), then the files gone, the strays and the files skipped."""
    out = _console()
    if report.added:
        n = len(report.added)
        title = (n_("{project}: {n} file to add", "{project}: {n} files to add", n) if dry_run else
                 n_("{project}: {n} file added", "{project}: {n} files added", n)).format(project=project, n=n)
        lists = {"documents": _("documents"), "records": _("records")}
        rows: list[list[str]] = []
        for (owner, kind), found in groupby(sorted(report.added, key=lambda f: (f.owner, f.kind)),
                                        key=lambda f: (f.owner, f.kind)):
            rows.append([f"{owner} — {lists.get(kind, kind)}", "", "", ""])
            rows += [[f.entry["path"], f.entry["date"].isoformat(), f.entry["date_from"], f.entry["title"]]
                     for f in found]
        table = fitted_table(title, [Column(_("path"), kind=PATH), Column(_("date")), Column(_("date from")),
                                     Column(_("title"), kind=WORDS)], rows, width=out.width)
        print_table(out, table)
        if any(f.entry["date_from"] in ("file-time", "name-month") for f in report.added):
            out.print(_("check the dates taken from the files' modification time or from a month in their name "
                        "(date_from: file-time, name-month): readiness does not count them until then"))
    for title, problems in ((_("gone:"), report.missing), (_("stray:"), report.stray), (_("copy:"), report.copies)):
        for problem in problems:
            out.print(f"{title} {line(problem)}")
    for problem in report.skipped:
        info(_("skipped: {line}").format(line=line(problem)))
    known = n_("{n} file already listed", "{n} files already listed", report.known).format(n=report.known)
    if dry_run and report.added:
        known += _("; dry run: nothing written")
    elif report.written:
        known += _("; wrote {path}").format(path=project) + _kept_as(project, report.backup)
    else:
        known += _("; nothing to add")
    out.print(known)


def _one_line(text: str) -> str:
    """Free text on one terminal line: its paragraphs and line breaks shown as ' / '."""
    return " / ".join(text.split("\n"))


def print_feedback(fb: Feedback, out_file: Path, lang: str) -> None:
    """The headline, a line per scale question (counts best first, mean), the lists' sizes and the problems, in the
    report's language (its words and its numbers)."""
    from ..jobs.feedback import number

    out = _console()
    out.print(_("{headline}; report: {path}").format(headline=fb.headline(lang), path=out_file))
    for n, q in fb.questions.items():
        best = len(q.counts)
        mean = number(q.mean, lang, "0.00") if q.mean is not None else "—"
        counts = " ".join(number(c, lang).rjust(COUNT_WIDTH) for c in q.counts)
        out.print(_("  Q{n}: {counts}   mean {mean} / {best} ({best} = best)").format(n=n, counts=counts, mean=mean,
                                                                                      best=best))
    out.print(f"  {fb.list_sizes(lang)}")
    for problem in fb.problems:
        out.print(f"  {problem.file}: {_one_line(problem.text(lang, line))}")


def print_readiness(result: Readiness) -> None:
    """Each check (its mark, its id, its message and what to do, wrapped beside them), then the verdict."""
    marks = {"pass": _("ok"), "warn": _("warn"), "fail": _("FAIL")}
    rows = [[marks[c.status], c.id, c.message + (f"\n-> {c.todo}" if c.todo else "")] for c in result.checks]
    out = _console()
    table = fitted_table(None, [Column(""), Column(""), Column("", kind=TEXT)], rows, width=out.width)
    table.show_header = False
    print_table(out, table)
    out.print(result.verdict)
