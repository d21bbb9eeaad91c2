"""The certification cycle's calendar, read back with icalendar: the project's language, planned audits and reviews,
recorded ones replacing planned ones, surveillance and recertification, the majors' limit, where each comes from."""
from __future__ import annotations

from datetime import date

from click.testing import CliRunner
from icalendar import Calendar

from kitgen.cli.commands import cli
from kitgen.jobs.calendar import calendar_ics
from kitgen.project import load_project

from .conftest import SAMPLE_FR
from .helpers import add_audit, edit

DAY = date(2026, 11, 29)


def read(path, as_of=None) -> dict[str, tuple[date, str, str]]:
    cal = Calendar.from_ical(calendar_ics(load_project(path).project, as_of))
    return {str(e["uid"]).removesuffix("@kitgen"): (e.decoded("dtstart"), str(e["summary"]), str(e["description"]))
            for e in cal.walk("VEVENT")}


def test_french_project_french_calendar():
    events = read(SAMPLE_FR, DAY)
    assert events["boreale-action-CA-3"][1].startswith("Échéance CA-3 : ")
    assert events["boreale-stage1"][1] == "Audit d'étape 1 (date souhaitée)"
    assert events["boreale-internal-1"] == (date(2027, 10, 7), "Audit interne (prévu)",
                                           "Prévu 12 mois après 7 octobre 2026 "
                                           "(certification.internal_audit_interval_months).")
    review = events["boreale-review-1"]
    assert review[0] == date(2027, 11, 7) and "Reportée après l'audit interne prévu le 7 octobre 2027" in review[2]
    assert "boreale-action-CA-1" not in events  # verified: nothing is due
    assert all(description for _, _, description in events.values())


def test_desired_dates_give_way_to_recorded_audits(sample_copy):
    path = sample_copy("en")
    assert {"harbourdesk-stage1", "harbourdesk-stage2"} <= set(read(path))
    add_audit(path, """  - id: S1-2027
    kind: stage1
    start: 2027-01-12
    body: oca-cert
    lead_auditor: "Sam Reed"
""")
    events = read(path)
    assert "harbourdesk-stage1" not in events and "harbourdesk-stage2" in events
    assert events["harbourdesk-audit-S1-2027"][1] == "Stage 1 audit — S1-2027"
    assert "Recorded in the project file (audits: S1-2027)" in events["harbourdesk-audit-S1-2027"][2]


def test_surveillance_recertification_and_expiry(sample_copy):
    path = sample_copy("en")
    edit(path, "  audit_language: en\n", "  audit_language: en\n  decision: 2027-03-01\n")
    events = read(path)
    first = events["harbourdesk-surveillance-1"]
    assert first[0] == date(2028, 3, 1) and first[1].startswith("Surveillance audit 1 (planned) — at the latest 12")
    assert events["harbourdesk-surveillance-2"][0] == date(2029, 3, 1)
    assert events["harbourdesk-recertification"][0] == date(2029, 12, 1)
    assert events["harbourdesk-expiry"][0] == date(2030, 3, 1)
    edit(path, "  decision: 2027-03-01\n", "  decision: 2027-03-01\n  surveillance_interval_months: 6\n")
    six = read(path)
    assert [six[f"harbourdesk-surveillance-{n}"][0] for n in (1, 2, 3)] == [date(2027, 9, 1), date(2028, 3, 1),
                                                                           date(2028, 9, 1)]
    # a recorded surveillance audit replaces the planned one; the next is planned from it
    add_audit(path, """  - id: SV-2027
    kind: surveillance
    start: 2027-10-04
    body: oca-cert
    lead_auditor: "Sam Reed"
""")
    after = read(path)
    assert "harbourdesk-surveillance-1" not in after and after["harbourdesk-audit-SV-2027"][0] == date(2027, 10, 4)
    assert after["harbourdesk-surveillance-2"][0] == date(2028, 4, 4)


def test_planned_internal_audits_and_reviews_before_certification(sample_copy):
    path = sample_copy("en")
    events = read(path)
    # the programme's internal audit takes the place of the one the interval calls for (2027-09-09)
    assert "harbourdesk-internal-1" not in events
    assert events["harbourdesk-programme-IA-2027"][:2] == (date(2027, 9, 7), "Internal audit (programmed) — IA-2027")
    assert events["harbourdesk-internal-2"][0] == date(2028, 9, 9)
    assert events["harbourdesk-review-1"][0] == date(2027, 10, 14)
    # a project with no audit or review yet still gets them planned, ahead of stage 1
    text = path.read_text(encoding="utf-8")
    start, end = text.index("\nmanagement_reviews:"), text.index("\nobjectives:")
    path.write_text(text[:start] + "\nmanagement_reviews: []\naudits: []\n" + text[end:], encoding="utf-8")
    empty = read(path, DAY)
    assert empty["harbourdesk-internal-1"][0] == date(2026, 12, 29)   # no later than two months before stage 1...
    assert empty["harbourdesk-review-1"][0] == date(2027, 1, 29)       # ...and its review a month after it


def test_majors_limit_event(sample_copy):
    path = sample_copy("fr")
    edit(path, "    kind: pre-audit\n", "    kind: stage2\n")
    edit(path, "        grade: minor\n        statement: \"Le plan de formation",
         "        grade: major\n        statement: \"Le plan de formation")
    events = read(path)
    assert events["boreale-major-limit"][0] == date(2027, 5, 17)
    assert "PRE-2026-F1" in events["boreale-major-limit"][2]


def test_as_of(sample_copy):
    path = sample_copy("fr")
    assert "boreale-audit-PRE-2026" not in read(path, date(2026, 11, 1))   # not yet held on that date
    assert "boreale-audit-PRE-2026" in read(path, date(2026, 11, 20))


def test_cli_and_reminders(tmp_path):
    result = CliRunner().invoke(cli, ["calendar", str(SAMPLE_FR), "-o", str(tmp_path / "c.ics"), "--as-of", "2026-11-29"])
    assert result.exit_code == 0 and result.output.startswith(f"écrit : {tmp_path / 'c.ics'} (")
    cal = Calendar.from_ical((tmp_path / "c.ics").read_bytes())
    assert str(cal["x-wr-calname"]) == "Infogérance Boréale SAS — ISO/CEI 20000"
    alarm = next(iter(cal.walk("VALARM")))
    assert alarm.decoded("trigger").days == -7
