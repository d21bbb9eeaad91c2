"""Where an organisation stands in the certification cycle on a date: initial certification (stage 1, stage 2),
then the three-year cycle that the certification decision opens (ISO/IEC 17021-1 §9.6: surveillance audits at least
once a calendar year, the first within twelve months of the decision; recertification before the certificate
expires)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from .models import Audit, Project

CERTIFICATE_YEARS = 3        # a certificate's validity (ISO/IEC 17021-1 §9.6.1)
SURVEILLANCES_PER_CYCLE = 2  # surveillance audits between the decision and the recertification


def done(audit: Audit, day: date) -> bool:
    """True when the audit had ended on `day`."""
    return (audit.end or audit.start) <= day


@dataclass
class Cycle:
    """The next certification step on a date and what dates it."""

    step: str                          # stage1 | stage2 | surveillance | recertification
    decision: date | None = None       # the certification decision that opened the current cycle
    expiry: date | None = None         # when the certificate expires
    number: int = 0                    # which surveillance audit of the cycle comes next (1 or 2)
    due: date | None = None            # the latest date of the next audit (None: not known yet)
    stage2: Audit | None = None        # the stage 2 audit awaiting its decision, when there is no decision


def cycle(project: Project, day: date) -> Cycle:
    """The next step of the project as it stood on `day` (a project given as of that day)."""
    cert = project.certification
    decision = cert.decision or (cert.certificate.issued if cert.certificate else None)
    if decision is not None and decision > day:
        decision = None
    audits = sorted((a for a in project.audits if done(a, day)), key=lambda a: a.end or a.start)
    if decision is None:
        stage2 = [a for a in audits if a.kind == "stage2"]
        if stage2:
            return Cycle("surveillance", number=1, stage2=stage2[-1])
        return Cycle("stage2" if any(a.kind == "stage1" for a in audits) else "stage1")
    expiry = cert.certificate.expiry if cert.certificate and cert.certificate.issued >= decision else \
        decision + relativedelta(years=CERTIFICATE_YEARS)
    interval = relativedelta(months=cert.surveillance_interval_months)
    since = [a for a in audits if a.start >= decision and a.kind in ("surveillance", "recertification")]
    renewed = [a for a in since if a.kind == "recertification"]
    if renewed:  # recertified: a new cycle, its decision not recorded yet; the next surveillance counts from the audit
        last = renewed[-1].end or renewed[-1].start
        return Cycle("surveillance", decision, last + relativedelta(years=CERTIFICATE_YEARS), 1, last + interval)
    surveillances = [a for a in since if a.kind == "surveillance"]
    if len(surveillances) >= SURVEILLANCES_PER_CYCLE:
        return Cycle("recertification", decision, expiry, due=expiry)
    anchor = surveillances[-1].start if surveillances else decision
    return Cycle("surveillance", decision, expiry, len(surveillances) + 1, anchor + interval)
