"""Loading: valid samples, and the exact located error line for each kind of broken file."""
from __future__ import annotations

import pytest

from kitgen.errors import ProjectFileError
from kitgen.project import load_project

from .conftest import MINIMAL, SAMPLE_EN, SAMPLE_FR


def problems(write, text: str) -> list[str]:
    path = write(text)
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    return [str(p).replace(str(path), "F") for p in info.value.problems]


def test_samples_validate():
    fr = load_project(SAMPLE_FR).project
    en = load_project(SAMPLE_EN).project
    assert fr.language == "fr" and fr.framework == "iso20000-1:2005" and len(fr.processes) == 13
    assert en.language == "en" and en.framework == "iso20000-1:2018"
    grades = {f.grade for a in fr.audits for f in a.findings}
    assert grades == {"major", "minor", "observation", "improvement", "strength"}
    assert {a.kind for a in fr.audits} >= {"internal", "pre-audit"}


def test_minimal_validates(minimal):
    assert load_project(minimal).project.audits[0].findings[0].actions[0].owner == "ana"


@pytest.mark.parametrize("old,new,expected", [
    ("  headcount: 3\n", "  headcount: 3\n  headcont: 4\n",
     ["F:10:3: organisation.headcont: unknown key 'headcont'; did you mean 'headcount'?"]),
    # a misspelled required key: one line, the "did you mean" (not a second "required key is missing" for it)
    ("  headcount: 3\n", "  headcont: 3\n",
     ["F:9:3: organisation.headcont: unknown key 'headcont'; did you mean 'headcount'?"]),
    ("  headcount: 3\n", "  headcount: many\n",
     ["F:9:14: organisation.headcount: 'many' is not a whole number"]),
    ("    due: 2026-06-30\n", "    due: 2026-02-30\n",
     ["F:36:18: audits[0].findings[0].actions[0].due: '2026-02-30' is not a valid date; write it as YYYY-MM-DD"]),
    ('        clause: "6.1"\n', '        clause: "6.9"\n',
     ["F:29:17: audits[0].findings[0].clause: unknown clause '6.9' for iso20000-1:2005"]),
    ("            owner: ana\n", "            owner: zoe\n",
     ["F:35:20: audits[0].findings[0].actions[0].owner: unknown person 'zoe' (people: ana, bob)"]),
    ("  - id: bob\n", "  - id: ana\n",
     ["F:16:9: people[1].id: duplicate person id 'ana' (first used at item 1)",
      "F:26:19: audits[0].lead_auditor: unknown person 'bob' (people: ana)"]),
    ("    end: 2026-05-02\n", "    end: 2026-04-02\n",
     ["F:25:10: audits[0].end: end 2026-04-02 is before start 2026-05-01"]),
    ("language: fr\n", "language: de\n", ["F:4:11: language: 'de' is not one of 'fr', 'en'"]),
    ("    kind: internal\n", "    kind: mock\n",
     ["F:23:11: audits[0].kind: 'mock' is not one of 'internal', 'pre-audit', 'stage1', 'stage2', 'surveillance', "
      "'recertification', 'special'"]),
    ("  slm:\n", "  6.1:\n", ["F:19:3: processes.6.1: unknown process '6.1' for iso20000-1:2005; clause 6.1 is the process 'slm'"]),
    ("scope:\n  statement: \"Support\"\n", "", ["F:2:1: scope: required key is missing"]),
    ("            status: open\n", "            status: done\n            closed: 2026-04-01\n",
     ["F:38:21: audits[0].findings[0].actions[0].closed: closed 2026-04-01 is before the action was opened (2026-05-02)"]),
    ("            status: open\n", "            status: in-progress\n            closed: 2026-06-01\n",
     ["F:38:21: audits[0].findings[0].actions[0].closed: a closing date on an action still 'in-progress'; set its "
      "status (done, verified, cancelled) or remove the date"]),
    ("            status: open\n", "            status: verified\n",
     ["F:37:21: audits[0].findings[0].actions[0].status: verified, but no effectiveness check is recorded; add "
      "effectiveness (date, by, result), or set the status to done"]),
])
def test_located_errors(write, old, new, expected):
    assert old in MINIMAL
    assert problems(write, MINIMAL.replace(old, new, 1)) == expected


def test_yaml_syntax_error_is_located(write):
    text = MINIMAL.replace('  legal_name: "Mini SAS"\n', '  legal_name: "Mini SAS\n')
    [line] = problems(write, text)
    assert line.startswith("F:") and "YAML syntax error" in line


def test_preventive_refused_under_2018(write):
    text = (MINIMAL.replace('"iso20000-1:2005"', '"iso20000-1:2018"').replace("  slm:\n", "  incident:\n")
            .replace('clause: "6.1"', 'clause: "8.6.1"').replace("            description:", "            kind: preventive\n            description:"))
    assert problems(write, text) == [
        "F:34:19: audits[0].findings[0].actions[0].kind: no preventive actions under iso20000-1:2018: it handles risk "
        "in clause 6.1 (actions to address risks and opportunities); use 'corrective' or 'improvement'"]


def test_all_problems_reported_at_once(write):
    text = MINIMAL.replace("headcount: 3", "headcount: x").replace("language: fr", "language: xx")
    assert len(problems(write, text)) == 2


def test_missing_and_non_mapping_files(tmp_path, write):
    with pytest.raises(ProjectFileError, match="no such file; create one with `kitgen init`"):
        load_project(tmp_path / "nope.yaml")
    assert problems(write, "- just\n- a list\n") == ["F:1:1: (top): a project file is a YAML mapping; see `kitgen init`"]


def test_coverage_in_the_short_form_and_with_its_evidence(write):
    text = MINIMAL.replace("    lead_auditor: bob\n", "    lead_auditor: bob\n    coverage:\n      \"6.1\": minor\n"
                           "      \"6.2\": {verdict: conform, evidence: \"Monthly reports\"}\n")
    audit = load_project(write(text)).project.audit("A1")
    assert (audit.verdict("6.1"), audit.coverage["6.1"].evidence) == ("minor", "")
    assert (audit.verdict("6.2"), audit.coverage["6.2"].evidence) == ("conform", "Monthly reports")
    assert problems(write, text.replace('{verdict: conform, evidence: "Monthly reports"}', "{verdict: fine}")) == [
        "F:29:24: audits[0].coverage.6.2.verdict: 'fine' is not one of 'conform', 'major', 'minor', 'concern', "
        "'observation', 'improvement', 'strength', 'not-audited'"]
    assert problems(write, text.replace('"6.1": minor', '"6.1": fine'))[0].startswith(
        "F:28:14: audits[0].coverage.6.1.verdict: 'fine' is not one of 'conform'")
    assert problems(write, text.replace("evidence:", "evidenc:"))[0].startswith(
        "F:29:33: audits[0].coverage.6.2.evidenc: unknown key 'evidenc'; did you mean 'evidence'?")


# What the C parser's plain data is checked against: every kind of scalar YAML resolves, merge keys, aliases (a
# recursive one too), keys that are not text, a key given twice, explicit and unknown tags, a YAML 1.1 document
YAML_CASES = [
    "a: 1\nb: 0o17\nc: 0x1F\nd: 1_000\ne: 1.5\nf: .inf\nh: ~\ni: null\nj:\nk: true\nl: yes\nm: No\nn: 2026-05-01\n"
    "o: 2026-05-01T10:00:00Z\np: '2026-05-01'\nq: !!str 12\nr: [1, 'x', {s: t}]\nu: 1e3\nv: +12\nw: 12:30\n",
    "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  z: 3\nlist: &l [a, b]\nagain: *l\n",
    "6.1: x\n'6.2': y\n", "a: 1\na: 2\n", "? [a, b]\n: c\n", "x: !!set {a, b}\n", "x: !!binary aGVsbG8=\n",
    "", "# only a comment\n", "- a\n- b\n", "just text", "%YAML 1.1\n---\na: yes\nb: 0o7\nc: 010\n",
    "a: 2026-02-30\n", "a: !custom x\n", "a: &x [*x]\n", "'': empty key\nnull: n\n~: t\n",
]


@pytest.mark.parametrize("text", [*YAML_CASES, SAMPLE_FR, SAMPLE_EN], ids=range(len(YAML_CASES) + 2))
def test_plain_data_is_what_ruamels_constructor_builds(text):
    from ruamel.yaml import YAML

    from kitgen.project.fastparse import fast_yaml, plain_data

    text = text.read_text(encoding="utf-8") if not isinstance(text, str) else text

    def outcome(load):
        try:
            return "built", repr(load())
        except Exception as err:  # noqa: BLE001 — what each raises is compared too
            return "raised", type(err).__name__

    def ours():
        yaml = fast_yaml()
        return plain_data(yaml.compose(text), yaml)

    assert outcome(ours) == outcome(lambda: YAML(typ="safe", pure=False).load(text))
