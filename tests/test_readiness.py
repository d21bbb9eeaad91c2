"""Readiness as a lead auditor judges it: each variant of the English sample changes exactly the check concerned;
verdicts count; the project is judged as it stood on the date asked."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli
from kitgen.jobs.build import build
from kitgen.jobs.readiness import check_readiness, readiness
from kitgen.project import load_project

from .conftest import SAMPLE_EN, SAMPLE_FR
from .helpers import DAY, edit


def statuses(path, as_of=DAY, **kw):
    return {c.id: c.status for c in readiness(load_project(path).project, as_of, **kw).checks}


def add_audit_text(text: str, block: str) -> str:
    start = text.index("\naudits:")
    end = re.search(r"\n[a-z_]+:", text[start + 1:])
    cut = start + 1 + end.start() if end else len(text)
    return text[:cut].rstrip("\n") + "\n" + block.strip("\n") + "\n\n" + text[cut:]


BASE = statuses(SAMPLE_EN)


def changed(path, **kw) -> dict[str, str]:
    now = statuses(path, **kw)
    return {k: v for k, v in now.items() if BASE.get(k) != v}


def test_english_sample_is_ready_for_stage1():
    result = readiness(load_project(SAMPLE_EN).project, DAY)
    assert result.ready and result.step == "stage1"
    assert {k for k, v in BASE.items() if v != "pass"} == set()


def without_coverage(path):
    text = path.read_text(encoding="utf-8")
    start = text.index("    # The verdict per clause")
    end = text.index("    findings:", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def test_french_sample_on_a_withdrawn_edition_is_never_ready():
    result = readiness(load_project(SAMPLE_FR).project, DAY)
    edition = next(c for c in result.checks if c.id == "edition")
    assert edition.status == "fail" and "retirée" in edition.message and "2013" in edition.message
    assert "slm 6.1 → 8.3.3" in edition.todo and "release 10.1 → 8.5.3" in edition.todo
    assert not result.ready


def test_review_before_the_audit(sample_copy):
    path = sample_copy("en")
    edit(path, "  - date: 2026-10-14", "  - date: 2026-09-01")
    assert changed(path) == {"review-held": "fail"}
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "review-held")
    assert "1 September 2026 came before internal audit IA-2026" in check.message and "§ 9.3" in check.todo


def test_auditor_raising_a_finding_in_her_own_process(sample_copy):
    path = sample_copy("en")
    edit(path, "  supplier:  # 8.3.4\n    owner: bokafor", "  supplier:  # 8.3.4\n    owner: cwright")
    assert changed(path) == {"auditor-independence": "fail"}


def test_auditor_owning_an_audited_process_without_finding(sample_copy):
    path = sample_copy("en")
    edit(path, "  change:  # 8.5.1\n    owner: aturner", "  change:  # 8.5.1\n    owner: cwright")
    assert changed(path) == {"auditor-independence": "fail"}
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "auditor-independence")
    assert check.message == "auditors not independent of what they audited: IA-2026: Chloe Wright audited Change " \
                            "management (owns it)"
    assert "name who audits what in the audit plan (plan: auditor)" in check.todo


def test_service_desk_analyst_rating_incident_management(sample_copy):
    path = sample_copy("en")
    edit(path, "process: incident, interviewees: [aturner], auditor: dpatel",
         "process: incident, interviewees: [aturner]")
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "auditor-independence")
    assert check.status == "fail" and check.message.endswith(
        "IA-2026: Chloe Wright audited Incident management (works in it, by title “Service desk analyst; internal "
        "auditor”)")
    assert changed(path) == {"auditor-independence": "fail"}


def test_auditor_working_in_a_process_or_running_the_sms(sample_copy):
    path = sample_copy("en")
    edit(path, "    title: \"Infrastructure lead\"\n", "    title: \"Infrastructure lead\"\n    works_in: [incident]\n")
    assert changed(path) == {"auditor-independence": "fail"}
    # the service management lead as lead auditor: she runs the SMS, and owns processes she audited
    edit(path, "    works_in: [incident]\n", "")
    edit(path, "    lead_auditor: cwright\n", "    lead_auditor: bokafor\n")
    edit(path, "auditor: cwright}", "auditor: bokafor}", count=5)
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "auditor-independence")
    assert "Ben Okafor audited the SMS itself (runs it, role RGS)" in check.message
    assert "Ben Okafor audited Asset management (owns it)" in check.message


def test_external_consultant_as_auditor_is_fine(sample_copy):
    path = sample_copy("en")
    edit(path, "    lead_auditor: cwright\n", "    lead_auditor: \"Jo Brand (consultant)\"\n    body: oca-cert\n")
    assert changed(path) == {}


def test_internal_audit_sixteen_months_old(sample_copy):
    path = sample_copy("en")
    edit(path, "    start: 2026-09-08\n    end: 2026-09-09\n", "    start: 2025-07-08\n    end: 2025-07-09\n")
    # its clause coverage is too old to count either, and no audit of the last 12 months tells who audited what
    assert changed(path) == {"internal-audit": "fail", "audit-coverage": "fail", "verdict-dates": "warn",
                             "auditor-independence": "fail"}


def test_review_older_than_a_year(sample_copy):
    path = sample_copy("en")
    assert changed(path, as_of=date(2027, 10, 20)).get("review-held") == "fail"


def test_reports_kitgen_built_count_once_issued(sample_copy):
    path = sample_copy("en")
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n", "")
    assert changed(path) == {"internal-audit": "fail"}
    # a blank report kitgen generated does not count; once its issue date is in (signed, harvested), it does
    assert changed(path, built_reports={"IA-2026"}) == {"internal-audit": "fail"}
    edit(path, "    distribution: [aturner, bokafor]\n", "    distribution: [aturner, bokafor]\n    issued: 2026-09-14\n")
    assert changed(path, built_reports={"IA-2026"}) == {}
    assert changed(path, built_reports={"IA-2026"}, as_of=date(2026, 9, 12)).get("internal-audit") == "fail"


def test_a_report_path_must_lead_to_a_signed_report(sample_copy):
    """The report an audit names is looked for beside the project; naming the blank one kitgen built does not make
    it signed."""
    path = sample_copy("en")
    assert changed(path, folder=path.parent) == {}   # the sample's signed report is there
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n", "    report: records/sms/nowhere.pdf\n")
    assert changed(path, folder=path.parent) == {"internal-audit": "fail"}
    edit(path, "    report: records/sms/nowhere.pdf\n", "    report: records/sms/audit-report-IA-2026.docx\n")
    (path.parent / "records" / "sms" / "audit-report-IA-2026.docx").write_bytes(b"blank, as built")
    built = {"built_files": {"audit-report-IA-2026.docx"}, "folder": path.parent}
    assert changed(path, **built) == {"internal-audit": "fail"}
    edit(path, "    distribution: [aturner, bokafor]\n", "    distribution: [aturner, bokafor]\n    issued: 2026-09-14\n")
    assert changed(path, **built) == {}   # signed: its issue date harvested


COVERAGE = "    coverage: {%s}\n"


def test_clause_coverage(sample_copy):
    from kitgen.frameworks import get_framework

    path = sample_copy("en")
    without_coverage(path)   # not recorded: only the findings' clauses are covered
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "audit-coverage")
    assert check.status == "fail" and check.message.startswith(
        "3 of 57 clauses covered by the internal audits of the last 12 months; not covered: 4.1, 4.2")
    clauses = get_framework("iso20000-1:2018").requirements()
    every = ", ".join(f'"{c}": {{verdict: conform, evidence: "Seen"}}' for c in clauses)
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n",
         "    report: records/sms/internal-audit-IA-2026.md\n" + COVERAGE % every)
    assert changed(path) == {}
    # partial, and "Conforms" without evidence: neither counts
    partial = ", ".join(f'"{c}": {{verdict: conform, evidence: "Seen"}}' if not c.startswith("8.7") else
                        f'"{c}": conform' for c in clauses if c != "8.7.1") + ', "8.7.1": not-audited'
    path.write_text(path.read_text(encoding="utf-8").replace(COVERAGE % every, COVERAGE % partial), encoding="utf-8")
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "audit-coverage")
    assert check.status == "fail" and check.message == (
        "52 of 57 clauses covered by the internal audits of the last 12 months; not covered: 8.7.1, 8.7.2, 8.7.3.1, "
        "8.7.3.2, 8.7.3.3; “Conforms” without evidence, not counted: 8.7.2, 8.7.3.1, 8.7.3.2, 8.7.3.3")
    assert "noting the evidence seen for each clause" in check.todo


def test_documents_match_by_their_specific_kind(sample_copy):
    path = sample_copy("en")
    text = path.read_text(encoding="utf-8")
    for name in ("service-management-policy", "sms-plan"):
        start = text.index(f"    - path: documents/sms/{name}.md")
        end = text.index("    - path:", start + 10)
        text = text[:start] + text[end:]
    path.write_text(text, encoding="utf-8")
    # the information security policy (kind: security-policy) and the capacity plan (kind: plan) do not fill them
    assert changed(path) == {"documented": "fail", "audit-coverage": "fail", "verdict-dates": "fail"}
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "documented")
    assert check.message.startswith("documented information missing: Service management policy (§ 5.2); Service "
                                    "management plan (§ 6.3) (a document of a generic kind does not stand in for "
                                    "them: Capacity plan (kind: plan), Availability plan (kind: plan))")
    assert check.todo.endswith("(kind: service-management-policy, sms-plan)")


def test_records_dated_by_file_time_or_name_month_are_shown_not_counted(sample_copy):
    path = sample_copy("en")
    text = path.read_text(encoding="utf-8")
    # the incident records come from a scan that could only read the files' time: all on one day, seven months ago
    start = text.index("      - path: records/incident/")
    end = text.index("  service-request:")
    text = text[:start] + "".join(f"""      - path: records/incident/export-{n}.csv
        title: "Export {n}"
        date: 2026-04-29
        date_from: file-time
""" for n in range(4)) + text[end:]
    path.write_text(text, encoding="utf-8")
    assert changed(path) == {"records-history": "fail", "records-recent": "warn"}
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "records-history")
    assert check.message == ("less than 3 months of dated records (in at least 3 different months): incident; dated "
                             "by the file's time or a month in its name, not counted: 4 (incident 29 April 2026, "
                             "incident 29 April 2026, incident 29 April 2026, incident 29 April 2026)")
    assert check.todo.endswith("check the dates of those not counted (the exact day, then remove date_from)")
    # records dated, but all in one month, are no history either
    text = path.read_text(encoding="utf-8").replace("        date_from: file-time\n", "")
    path.write_text(text.replace("date: 2026-04-29", "date: 2026-11-02"), encoding="utf-8")
    assert changed(path).get("records-history") == "fail"


def test_a_verdict_given_before_its_evidence_existed(sample_copy):
    path = sample_copy("en")
    edit(path, """  - date: 2026-06-16
    participants: [aturner, bokafor]
    minutes: records/sms/management-review-2026-06-16.md
    decisions: "Policy, objectives 2026-2027 and the internal audit programme approved; internal audit in September."
""", "")
    assert changed(path) == {"verdict-dates": "fail", "audit-coverage": "fail"}
    checks = {c.id: c for c in readiness(load_project(path).project, DAY).checks}
    assert checks["verdict-dates"].message == ("verdicts given before their evidence existed: 9.3 “Conforms” on "
                                                 "9 September 2026 (management review: 14 October 2026)")
    assert checks["audit-coverage"].message.endswith("verdict given before its evidence existed, not counted: 9.3")


def test_no_check_passes_on_a_fresh_project(tmp_path):
    from kitgen.project.starter import init_project

    path = init_project(tmp_path / "fresh", lang="en")
    result = readiness(load_project(path).project, DAY)
    passed = [c.id for c in result.checks if c.status == "pass"]
    assert passed == ["edition"], passed   # the edition is a fact of the file; nothing else is there to pass
    checks = {c.id: c for c in result.checks}
    assert checks["scope"].message == "the scope is still the starter's placeholder: “Provision of ... services to " \
                                      "... from ...”"
    assert checks["records-recent"].status == "warn" and "catalogue (none)" in checks["records-recent"].message
    assert checks["major-nc"].message == "no audit has looked for nonconformities yet"


def test_a_not_effective_verdict_reopens_the_finding(sample_copy):
    path = sample_copy("en")
    edit(path, "            status: done\n            closed: 2026-10-20\n",
         "            status: verified\n            closed: 2026-10-20\n"
         "            effectiveness: {date: 2026-10-30, by: bokafor, result: \"Two reviews held\"}\n")
    text = path.read_text(encoding="utf-8").replace("certification:\n  body: oca-cert", """certification:
  body: oca-cert""")
    text = text.replace("        root_cause: \"Supplier reviews never scheduled\"\n", """        root_cause: "Supplier reviews never scheduled"
        follow_ups:
          - {audit: SU-2026, verdict: not-effective, note: "No review since October"}
""")
    text = add_audit_text(text, """  - id: SU-2026
    kind: internal
    start: 2026-11-20
    lead_auditor: "Jo Brand (consultant)"
    body: oca-cert
    findings: []""")
    path.write_text(text, encoding="utf-8")
    after = statuses(path)
    assert after["minor-actions"] == "fail"   # all its actions are verified: a new one is needed
    from kitgen.project.status import finding_status
    p = load_project(path).project
    assert finding_status(p.audits[0].findings[0], p) == "open"


def test_stage2_profile(sample_copy):
    path = sample_copy("en")
    assert statuses(path, step="stage2")["stage1"] == "fail"
    text = add_audit_text(path.read_text(encoding="utf-8"), """  - id: S1-2027
    kind: stage1
    start: 2026-11-24
    body: oca-cert
    lead_auditor: "Sam Reed (Northern Certification)"
    findings:
      - id: S1-2027-C1
        clause: "7.5.3"
        grade: concern
        statement: "Document version control is manual"
""")
    path.write_text(text, encoding="utf-8")
    result = readiness(load_project(path).project, DAY)
    assert result.step == "stage2"   # the next step, once stage 1 is recorded
    checks = {c.id: c for c in result.checks}
    assert checks["stage1"].status == "pass" and checks["stage1-concerns"].status == "fail"
    assert "S1-2027-C1" in checks["stage1-concerns"].message


def test_stage1_records_concerns_not_nonconformities(sample_copy):
    from kitgen.errors import ProjectFileError

    path = sample_copy("en")
    text = add_audit_text(path.read_text(encoding="utf-8"), """  - id: S1-2027
    kind: stage1
    start: 2026-11-24
    body: oca-cert
    lead_auditor: "Sam Reed"
    findings:
      - {id: S1-2027-F1, clause: "7.5.3", grade: minor, statement: "Manual version control"}""")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProjectFileError, match="a stage 1 audit records areas of concern"):
        load_project(path)


def test_as_of_is_history(sample_copy):
    path = sample_copy("en")
    text = add_audit_text(path.read_text(encoding="utf-8"), """  - id: IA-2027
    kind: internal
    start: 2027-03-10
    lead_auditor: cwright
    findings:
      - {id: IA-2027-F1, clause: "8.6.1", grade: major, statement: "Incidents not classified"}""")
    path.write_text(text, encoding="utf-8")
    assert statuses(path, as_of=date(2026, 12, 1))["major-nc"] == "pass"   # raised in March 2027: not there yet
    assert statuses(path, as_of=date(2027, 3, 20))["major-nc"] == "fail"
    # CA-1 was closed on 2026-10-20: on 2026-10-01 it was still open, and due 2026-10-31
    p = load_project(path).project
    assert statuses(path, as_of=date(2026, 10, 1))["minor-actions"] == "pass"
    from kitgen.project.history import as_of
    then = as_of(p, date(2026, 10, 1))
    assert then.audits[0].findings[0].actions[0].status == "open" and then.audits[0].findings[0].actions[0].closed is None
    assert statuses(path, as_of=date(2026, 11, 5))["overdue-actions"] == "pass"
    assert [a.id for a in then.audits] == ["IA-2026"]


def test_advice_never_blocks(sample_copy):
    path = sample_copy("en")
    edit(path, "    certificates:\n      - {name: \"ISO/IEC 20000 Foundation\", date: 2026-02-10, issuer: fca-apmg}\n", "")
    edit(path, "certification:\n  body: oca-cert\n", "certification:\n")
    assert changed(path) == {"foundation": "warn", "certification-body": "warn"}
    assert readiness(load_project(path).project, DAY).ready


def test_cli_exit_codes_and_json(tmp_path):
    runner = CliRunner()
    not_ready = runner.invoke(cli, ["readiness", str(SAMPLE_FR), "--as-of", "2026-11-29"])
    assert not_ready.exit_code == 3 and not_ready.output.endswith("PAS PRÊT pour l'audit d'étape 1 au 29 novembre 2026\n")
    ready = runner.invoke(cli, ["readiness", str(SAMPLE_EN), "--as-of", "2026-11-29", "--format", "json"])
    assert ready.exit_code == 0
    data = json.loads(ready.output)
    assert data["ready"] is True and data["step"] == "stage1" and {c["id"] for c in data["checks"]} >= {"edition"}
    stage2 = runner.invoke(cli, ["readiness", str(SAMPLE_EN), "--as-of", "2026-11-29", "--for", "stage2"])
    assert stage2.exit_code == 3 and "FAIL  stage1" in stage2.output
    assert runner.invoke(cli, ["readiness", str(tmp_path / "none.yaml")]).exit_code == 1
    assert runner.invoke(cli, ["readiness", str(SAMPLE_FR), "--as-of", "soon"]).exit_code == 2


def test_reports_kitgen_built_count_as_the_audits_report_once_signed(sample_copy):
    from docx import Document

    from kitgen.jobs.harvest import harvest

    path = sample_copy("en")
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n", "")
    status = {c.id: (c.status, c.message) for c in check_readiness(load_project(path), DAY).checks}
    assert status["internal-audit"][0] == "fail"
    build(load_project(path), ["audit-report"], out_dir=path.parent / "out")
    status = {c.id: (c.status, c.message) for c in check_readiness(load_project(path), DAY).checks}
    assert status["internal-audit"] == ("fail", "the report kitgen built for IA-2026 has not come back signed: no "
                                                "issue date recorded")
    report = path.parent / "out" / "audit-report-IA-2026.docx"
    doc = Document(str(report))
    doc.tables[-1].rows[2].cells[1].text = "14 September 2026"
    doc.save(str(report))
    harvest(load_project(path), [report])
    status = {c.id: (c.status, c.message) for c in check_readiness(load_project(path), DAY).checks}
    assert status["internal-audit"] == ("pass", "internal audit IA-2026 done on 9 September 2026, report built by "
                                                "kitgen, issued on 14 September 2026")


STAGE1 = """  - id: S1-2027
    kind: stage1
    start: 2027-01-12
    body: oca-cert
    lead_auditor: "Sam Reed (Northern Certification)"
    findings: []"""


def test_stage2_needs_recent_records_and_corrective_actions_verified_or_under_way(sample_copy):
    path = sample_copy("en")
    path.write_text(add_audit_text(path.read_text(encoding="utf-8"), STAGE1), encoding="utf-8")
    result = readiness(load_project(path).project, date(2027, 2, 1))
    checks = {c.id: c for c in result.checks}
    assert result.step == "stage2" and not result.ready
    # the last records are of 10 November: more than 62 days before stage 2 (a warning before stage 1, a failure now)
    assert checks["records-recent"].status == "fail" and "slm (10 November 2026)" in checks["records-recent"].message
    assert checks["corrective-actions"].status == "fail" and checks["corrective-actions"].message == (
        "corrective actions neither verified effective nor under way with evidence: CA-1 (IA-2026-F1, done, "
        "effectiveness not verified)")
    edit(path, "            status: done\n            closed: 2026-10-20\n",
         "            status: done\n            closed: 2026-10-20\n"
         "            effectiveness: {date: 2026-12-15, by: cwright, result: \"Two quarterly reviews held\"}\n")
    checks = {c.id: c for c in readiness(load_project(path).project, date(2027, 2, 1)).checks}
    assert checks["corrective-actions"].status == "pass"
    # an action still open counts only with its implementation evidence
    edit(path, "            status: done\n            closed: 2026-10-20\n", "            status: in-progress\n")
    edit(path, "            effectiveness: {date: 2026-12-15, by: cwright, result: \"Two quarterly reviews held\"}\n",
         "")
    checks = {c.id: c for c in readiness(load_project(path).project, date(2027, 2, 1)).checks}
    assert checks["corrective-actions"].message.endswith("CA-1 (IA-2026-F1, in-progress, no implementation evidence)")


CYCLE = """  - id: S2-2027
    kind: stage2
    start: 2027-02-09
    end: 2027-02-10
    body: oca-cert
    lead_auditor: "Sam Reed (Northern Certification)"
    findings: []
  - id: SU-2028
    kind: surveillance
    start: 2028-02-21
    body: oca-cert
    lead_auditor: "Sam Reed (Northern Certification)"
    findings: []
  - id: SU-2029
    kind: surveillance
    start: 2029-02-19
    body: oca-cert
    lead_auditor: "Sam Reed (Northern Certification)"
    findings: []
  - id: RC-2030
    kind: recertification
    start: 2030-01-21
    body: oca-cert
    lead_auditor: "Sam Reed (Northern Certification)"
    findings: []"""


def test_the_three_year_cycle_step_by_step(sample_copy):
    path = sample_copy("en")
    text = add_audit_text(path.read_text(encoding="utf-8"), STAGE1 + "\n" + CYCLE)
    text = text.replace("  audit_language: en\n", "  audit_language: en\n  decision: 2027-03-15\n  certificate: "
                        "{number: NC-2027-114, issued: 2027-03-15, expiry: 2030-03-14}\n")
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()

    def at(day: str, *more: str) -> tuple[dict, dict]:
        out = runner.invoke(cli, ["readiness", str(path), "--as-of", day, "--format", "json", *more])
        data = json.loads(out.output)
        assert {"schema_version", "command", "ready", "as_of", "step", "verdict", "checks"} <= set(data)  # what
        # scripts read
        return data, {c["id"]: c for c in data["checks"]}

    data, checks = at("2027-03-01")   # stage 2 held, the body has not decided yet
    assert data["step"] == "surveillance" and checks["cycle"]["message"] == (
        "stage 2 audit S2-2027 held on 10 February 2027, no certification decision recorded")
    data, checks = at("2027-04-01")
    assert data["verdict"].startswith("NOT READY for surveillance audit 1 as of 1 April 2027")
    assert checks["cycle"]["message"] == "certified on 15 March 2027 (certificate NC-2027-114, expires 14 March " \
                                         "2030): surveillance audit 1 due by 15 March 2028"
    assert "stage1" not in checks and "records-history" not in checks and "corrective-actions" in checks
    data, checks = at("2028-03-01")
    assert data["step"] == "surveillance" and "surveillance audit 2 as of" in data["verdict"]
    assert checks["cycle"]["message"].endswith("surveillance audit 2 due by 21 February 2029")
    data, checks = at("2029-03-01")
    assert data["step"] == "recertification" and data["verdict"].startswith("NOT READY for the recertification audit")
    assert checks["cycle"]["message"] == "the certificate expires on 14 March 2030: the recertification audit, and its " \
                                         "decision, must come before"
    assert checks["audit-coverage"]["message"].startswith("no internal audit since the certification decision of "
                                                          "15 March 2027")
    data, checks = at("2030-02-01")   # recertified: a new cycle begins
    assert data["step"] == "surveillance" and checks["cycle"]["message"].endswith("due by 21 January 2031")
    # asked for a step: the surveillance due when it is late, the recertification whatever comes next
    edit(path, "    start: 2028-02-21\n", "    start: 2028-05-02\n")
    data, checks = at("2028-04-01")
    assert checks["cycle"]["status"] == "fail" and checks["cycle"]["message"].startswith(
        "surveillance audit 1 was due by 15 March 2028 (decision of 15 March 2027)")
    data, checks = at("2027-04-01", "--for", "recertification")
    assert data["step"] == "recertification" and checks["cycle"]["status"] == "pass"
    data, checks = at("2026-11-29", "--for", "surveillance")
    assert checks["cycle"]["message"] == "not certified yet: no certification decision recorded"
    assert at("2026-11-29")[0]["step"] == "stage1"


def test_a_french_list_is_separated_as_french_writes_it():
    """« Politique (§ 5.2) ; Plan (§ 6.3) »: the space before a semicolon that the catalogs' own sentences have."""
    check = next(c for c in readiness(load_project(SAMPLE_FR).project, DAY).checks if c.id == "documented")
    assert " ; " in check.message and "); " not in check.message, check.message
