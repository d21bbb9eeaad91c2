"""A short summary of a valid project, for `kitgen validate` and `make demo`."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..forms.common import today
from ..forms.vocabulary import WORDS
from ..frameworks import get_framework
from ..project.models import Project
from ..project.register import finding_rows
from ..project.status import OPEN_ACTION
from .i18n import _, language, long_date, n_
from .words import grade_word

CLAUSE_WIDTH = 7   # a process's clause number ("8.2.4", "10.1") padded to this width, so that the slugs line up


@dataclass
class ProcessLine:
    slug: str
    clause: str
    title: str
    owner: str
    documents: int
    records: int


@dataclass
class Summary:
    """What `kitgen validate` prints about a valid project."""

    organisation: str
    headcount: int
    sites: int
    framework: str
    processes: list[ProcessLine]
    missing_processes: list[str]
    audits: list[tuple[str, str, date]]   # id, kind, start
    open_findings: Counter

    def lines(self) -> list[str]:
        """The summary as plain text lines, in the run's language."""
        counts = ", ".join([n_("{n} person", "{n} people", self.headcount).format(n=self.headcount),
                            n_("{n} site", "{n} sites", self.sites).format(n=self.sites)])
        described = n_("{n} described", "{n} described", len(self.processes)).format(n=len(self.processes))
        if self.missing_processes:
            described += ", " + n_("{n} missing: {names}", "{n} missing: {names}", len(self.missing_processes)).format(
                n=len(self.missing_processes), names=", ".join(self.missing_processes))
        labels = [_("Organisation:"), _("Framework:"), _("Processes:"), _("Audits:"), _("Open findings:")]
        pad = max(len(label) for label in labels) + 1
        out = [f"{labels[0]:<{pad}}{self.organisation} ({counts})", f"{labels[1]:<{pad}}{self.framework}",
               f"{labels[2]:<{pad}}{described}"]
        width = max((len(p.slug) for p in self.processes), default=0)
        for p in self.processes:
            held = ", ".join([n_("{n} document", "{n} documents", p.documents).format(n=p.documents),
                              n_("{n} record", "{n} records", p.records).format(n=p.records)])
            out.append(f"  {p.clause:<{CLAUSE_WIDTH}} {p.slug:<{width}}  {held}  {p.title}")
        audits = ", ".join(f"{a_id} ({kind_word(kind)}, {long_date(start)})" for a_id, kind, start in self.audits)
        out.append(f"{labels[3]:<{pad}}{len(self.audits)}" + (f" — {audits}" if self.audits else ""))
        total = sum(self.open_findings.values())
        detail = ", ".join(f"{n} {grade_word(g)}" for g, n in sorted(self.open_findings.items()))
        out.append(f"{labels[4]:<{pad}}{total}" + (f" ({detail})" if total else ""))
        return out


def kind_word(kind: str) -> str:
    """An audit's kind as a sentence names it: 'internal audit', 'audit interne'."""
    word = WORDS["audit_kind"][language()].get(kind, kind)
    return word[:1].lower() + word[1:]


def summarise(project: Project, as_of: date | None = None) -> Summary:
    """Counts and lists that tell at a glance what the project file holds."""
    fw = get_framework(project.framework)
    lang = project.language
    procs = [ProcessLine(slug, fw.processes[slug], fw.process_title(slug, lang), p.owner, len(p.documents), len(p.records))
             for slug, p in project.processes.items() if slug in fw.processes]
    procs.sort(key=lambda p: [int(x) for x in p.clause.split(".")])
    open_ = Counter(r.grade for r in finding_rows(project, as_of or today()) if r.status in OPEN_ACTION)
    return Summary(
        organisation=project.organisation.legal_name, headcount=project.organisation.headcount,
        sites=len(project.organisation.sites), framework=fw.title[lang], processes=procs,
        missing_processes=[s for s in fw.processes if s not in project.processes],
        audits=[(a.id, a.kind, a.start) for a in sorted(project.audits, key=lambda a: a.start)],
        open_findings=open_,
    )
