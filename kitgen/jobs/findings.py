"""`kitgen findings`: the nonconformity register's rows as the project stood on a date, filtered."""
from __future__ import annotations

from datetime import date

from ..errors import N_, KitgenError
from ..forms.common import today
from ..project.history import as_of as project_as_of
from ..project.load import ProjectFile
from ..project.register import FindingRow, finding_rows
from ..project.status import OPEN_ACTION


def select_findings(pf: ProjectFile, *, only_open: bool = False, audit: str | None = None,
                    as_of: date | None = None) -> list[FindingRow]:
    """The `findings` command's rows as of a date (default today): optionally only open ones, or one audit's."""
    if audit and pf.project.audit(audit) is None:
        known = ", ".join(a.id for a in pf.project.audits)  # the same words as a build for an unknown audit
        if not known:
            raise KitgenError(N_("no audit {value!r}: the project file has none"), pf.path, value=audit,
                              code="no-audit")
        raise KitgenError(N_("no audit {value!r} (audits: {expected})"), pf.path, value=audit, expected=known,
                          code="no-audit")
    day = as_of or today()
    rows = finding_rows(project_as_of(pf.project, day), day)
    if audit:
        rows = [r for r in rows if r.audit == audit]
    if only_open:
        rows = [r for r in rows if r.status in OPEN_ACTION]
    return rows
