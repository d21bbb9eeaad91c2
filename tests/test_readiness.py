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

DAY = date(2026, 11, 29)


def statuses(path, as_of=DAY, **kw):
    return {c.id: c.status for c in readiness(load_project(path).project, as_of, **kw).checks}


def add_audit(path, block: str) -> None:
    """Append an audit (YAML text, two-space indented list item) to the project's audits."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\naudits:")
    end = re.search(r"\n[a-z_]+:", text[start + 1:])
    cut = start + 1 + end.start() if end else len(text)
    path.write_text(text[:cut].rstrip("\n") + "\n" + block.rstrip("\n") + "\n" + text[cut:], encoding="utf-8")


def add_audit_text(text: str, block: str) -> str:
    start = text.index("\naudits:")
    end = re.search(r"\n[a-z_]+:", text[start + 1:])
    cut = start + 1 + end.start() if end else len(text)
    return text[:cut].rstrip("\n") + "\n" + block.strip("\n") + "\n\n" + text[cut:]


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


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
    assert changed(path) == {"management-review": "fail"}
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "management-review")
    assert "2026-09-01 came before internal audit IA-2026" in check.message and "§ 9.3" in check.todo


def test_auditor_raising_a_finding_in_her_own_process(sample_copy):
    path = sample_copy("en")
    edit(path, "  supplier:  # 8.3.4\n    owner: bokafor", "  supplier:  # 8.3.4\n    owner: cwright")
    assert changed(path) == {"auditor-independence": "fail"}


def test_auditor_owning_an_audited_process_without_finding(sample_copy):
    path = sample_copy("en")
    edit(path, "  asset:  # 8.2.5\n    owner: bokafor", "  asset:  # 8.2.5\n    owner: cwright")
    assert changed(path) == {"auditor-independence": "warn"}


def test_external_consultant_as_auditor_is_fine(sample_copy):
    path = sample_copy("en")
    edit(path, "    lead_auditor: cwright\n", "    lead_auditor: \"Jo Brand (consultant)\"\n    body: oca-cert\n")
    assert changed(path) == {}


def test_internal_audit_sixteen_months_old(sample_copy):
    path = sample_copy("en")
    edit(path, "    start: 2026-09-08\n    end: 2026-09-09\n", "    start: 2025-07-08\n    end: 2025-07-09\n")
    # its clause coverage is too old to count either
    assert changed(path) == {"internal-audit": "fail", "audit-coverage": "warn"}


def test_review_older_than_a_year(sample_copy):
    path = sample_copy("en")
    assert changed(path, as_of=date(2027, 10, 20)).get("management-review") == "fail"


def test_reports_kitgen_built_count(sample_copy):
    path = sample_copy("en")
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n", "")
    assert changed(path) == {"internal-audit": "fail"}
    assert changed(path, built_reports={"IA-2026"}) == {}


COVERAGE = "    coverage: {%s}\n"


def test_clause_coverage(sample_copy):
    from kitgen.frameworks import get_framework

    path = sample_copy("en")
    without_coverage(path)
    assert changed(path) == {"audit-coverage": "warn"}   # not recorded: advice to fill the checklist
    clauses = get_framework("iso20000-1:2018").requirements()
    every = ", ".join(f'"{c}": conform' for c in clauses)
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n",
         "    report: records/sms/internal-audit-IA-2026.md\n" + COVERAGE % every)
    assert changed(path) == {}
    partial = ", ".join(f'"{c}": conform' for c in clauses if not c.startswith("8.7"))
    path.write_text(path.read_text(encoding="utf-8").replace(COVERAGE % every, COVERAGE % (partial + ', "8.7.1": not-audited')),
                    encoding="utf-8")
    check = next(c for c in readiness(load_project(path).project, DAY).checks if c.id == "audit-coverage")
    assert check.status == "fail" and "8.7.1, 8.7.2, 8.7.3.1, 8.7.3.2, 8.7.3.3" in check.message


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
    assert not_ready.exit_code == 3 and not_ready.output.endswith("PAS PRÊT pour l'audit d'étape 1 au 2026-11-29\n")
    ready = runner.invoke(cli, ["readiness", str(SAMPLE_EN), "--as-of", "2026-11-29", "--format", "json"])
    assert ready.exit_code == 0
    data = json.loads(ready.output)
    assert data["ready"] is True and data["step"] == "stage1" and {c["id"] for c in data["checks"]} >= {"edition"}
    stage2 = runner.invoke(cli, ["readiness", str(SAMPLE_EN), "--as-of", "2026-11-29", "--for", "stage2"])
    assert stage2.exit_code == 3 and "FAIL  stage1" in stage2.output
    assert runner.invoke(cli, ["readiness", str(tmp_path / "none.yaml")]).exit_code == 1
    assert runner.invoke(cli, ["readiness", str(SAMPLE_FR), "--as-of", "soon"]).exit_code == 2


def test_reports_kitgen_built_count_as_the_audits_report(sample_copy):
    path = sample_copy("en")
    edit(path, "    report: records/sms/internal-audit-IA-2026.md\n", "")
    status = {c.id: (c.status, c.message) for c in check_readiness(load_project(path), DAY).checks}
    assert status["internal-audit"][0] == "fail"
    build(load_project(path), ["audit-report"], out_dir=path.parent / "out")
    status = {c.id: (c.status, c.message) for c in check_readiness(load_project(path), DAY).checks}
    assert status["internal-audit"] == ("pass", "internal audit IA-2026 done on 2026-09-09, report built by kitgen")
