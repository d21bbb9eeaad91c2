"""A short summary of a valid project, for `kitgen validate` and `make demo`."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from ..forms.common import today
from ..frameworks import get_framework
from ..project.models import Project
from ..project.register import finding_rows


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
    audits: list[str]
    open_findings: Counter

    def lines(self) -> list[str]:
        """The summary as plain text lines."""
        out = [f"Organisation: {self.organisation} ({self.headcount} people, {self.sites} site(s))",
               f"Framework:    {self.framework}",
               f"Processes:    {len(self.processes)} described"
               + (f", {len(self.missing_processes)} missing: {', '.join(self.missing_processes)}" if self.missing_processes else "")]
        width = max((len(p.slug) for p in self.processes), default=0)
        for p in self.processes:
            out.append(f"  {p.clause:<7} {p.slug:<{width}}  {p.documents} document(s), {p.records} record(s)  {p.title}")
        out.append(f"Audits:       {len(self.audits)}" + (f" ({'; '.join(self.audits)})" if self.audits else ""))
        total = sum(self.open_findings.values())
        detail = ", ".join(f"{n} {g}" for g, n in sorted(self.open_findings.items()))
        out.append(f"Open findings: {total}" + (f" ({detail})" if total else ""))
        return out


def summarise(project: Project, as_of: date | None = None) -> Summary:
    """Counts and lists that tell at a glance what the project file holds."""
    fw = get_framework(project.framework)
    lang = project.language
    procs = [ProcessLine(slug, fw.processes[slug], fw.process_title(slug, lang), p.owner, len(p.documents), len(p.records))
             for slug, p in project.processes.items() if slug in fw.processes]
    procs.sort(key=lambda p: [int(x) for x in p.clause.split(".")])
    open_ = Counter(r.grade for r in finding_rows(project, as_of or today()) if r.status in ("open", "in-progress"))
    return Summary(
        organisation=project.organisation.legal_name, headcount=project.organisation.headcount,
        sites=len(project.organisation.sites), framework=fw.title[lang], processes=procs,
        missing_processes=[s for s in fw.processes if s not in project.processes],
        audits=[f"{a.id} {a.kind} {a.start.isoformat()}" for a in sorted(project.audits, key=lambda a: a.start)],
        open_findings=open_,
    )
