"""Edits made in place in the project file's text: on every kind of field, against the round trip (the same data,
only the changed lines different), with CRLF and BOM kept, falling back to the round trip where the text cannot
take an edit in place, and on random edits of the samples and of a generated three-year project."""
from __future__ import annotations

import copy
import datetime
import difflib
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.three_years import project_text
from kitgen.project import load_project
from kitgen.project.edit import DataEditor, ProjectEditor
from kitgen.project.fastparse import fast_yaml
from kitgen.project.load import validate_doc
from kitgen.project.models import ACTION_STATUSES
from kitgen.project.patch import _Emitter, patch_text, same
from kitgen.project.save import dump_text, save_edits

from .conftest import SAMPLE_EN, SAMPLE_FR

KINDS = """\
# a comment that must survive
kitgen: 1
id: mini
language: fr
framework: "iso20000-1:2005"
organisation:
  legal_name: 'Mini SAS'   # single quotes
  address: "1 rue A, Paris"
  headcount: 3
scope:
  statement: >
    Support of the managed
    services.
people:
  - id: ana
    name: "Ana"
    roles: [D, RGS]
  - id: bob
    name: Bob
    title: |
      Auditor
      and tester
processes:
  slm:
    owner: ana
audits:
  - id: A1
    kind: internal
    start: 2026-05-01
    end: 2026-05-02
    lead_auditor: bob
    participants: [ana]
    coverage: {"6.1": minor, "6.2": conform}
    findings:
      - id: A1-F1
        clause: "6.1"
        grade: minor
        statement: "No SLA review"  # the auditor's words
        actions:
          - id: CA-1
            description: "Review SLAs"
            owner: ana
            due: 2026-06-30
            status: done
            closed: 2026-06-20

# the end
"""


def diff(a: str, b: str) -> list[str]:
    return [line for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def both_ways(path: Path, edit) -> tuple[str, str, str]:
    """(original, edited in place, edited through the round trip) for the same edits."""
    pf = load_project(path)
    editor = ProjectEditor(pf.editable_data())
    edit(editor)
    in_place = patch_text(pf.text, pf.nodes, editor.log.ops, editor.data, pf.indent)
    assert in_place is not None, "the edit fell back to the round trip"
    other = load_project(path)
    editor.log.replay(other.doc)
    return pf.text, in_place, dump_text(other)


def parsed(text: str):
    return fast_yaml().load(text)


CASES = {
    "plain scalar": (lambda e: e.set_field(("action", "CA-1"), "owner", "bob"),
                     ["-            owner: ana", "+            owner: bob"]),
    "double-quoted scalar": (lambda e: e.set_field(("action", "CA-1"), "description", "Review SLAs: monthly"),
                             ['-            description: "Review SLAs"',
                              '+            description: "Review SLAs: monthly"']),
    "single-quoted scalar, comment on the line": (
        lambda e: e.log.set(("organisation",), "legal_name", "Mini SARL"),
        ["-  legal_name: 'Mini SAS'   # single quotes", "+  legal_name: 'Mini SARL'   # single quotes"]),
    "folded scalar": (lambda e: e.log.set(("scope",), "statement", "Support of the services and the desk.\n"),
                      ["-    Support of the managed", "-    services.", "+    Support of the services and the desk."]),
    "literal scalar": (lambda e: e.log.set(("people", 1), "title", "Internal auditor\nand trainer\n"),
                       ["-      Auditor", "-      and tester", "+      Internal auditor", "+      and trainer"]),
    "comment kept after a changed value": (
        lambda e: e.set_field(("finding", "A1-F1"), "statement", "SLA reviews skipped"),
        ['-        statement: "No SLA review"  # the auditor\'s words',
         '+        statement: "SLA reviews skipped"  # the auditor\'s words']),
    "date": (lambda e: e.set_field(("action", "CA-1"), "closed", "2026-06-25"),
             ["-            closed: 2026-06-20", "+            closed: 2026-06-25"]),
    "flow list, an item appended": (lambda e: e.log.append(("audits", 0), "participants", "bob"),
                                    ["-    participants: [ana]", "+    participants: [ana, bob]"]),
    "flow mapping, a value changed and a key added": (
        lambda e: (e.set_field(("coverage", "A1", "6.2"), "verdict", "minor"),
                   e.set_field(("coverage", "A1", "6.3"), "verdict", "conform")),
        ['-    coverage: {"6.1": minor, "6.2": conform}', '+    coverage: {"6.1": minor, "6.2": minor, "6.3": conform}']),
    "a key deleted": (lambda e: (e.set_field(("action", "CA-1"), "status", "in-progress"),
                                 e.set_field(("action", "CA-1"), "closed", None)),
                      ["-            status: done", "-            closed: 2026-06-20", "+            status: in-progress"]),
    "a new mapping": (lambda e: (e.set_field(("action", "CA-1"), "effectiveness.date", "2026-07-30"),
                                 e.set_field(("action", "CA-1"), "effectiveness.by", "bob"),
                                 e.set_field(("action", "CA-1"), "effectiveness.result", "No recurrence")),
                      ["+            effectiveness:", "+              date: 2026-07-30", "+              by: bob",
                       '+              result: No recurrence']),
    "new list items": (lambda e: (e.add("action", ("finding", "A1-F1"), {"description": "Calendar the reviews",
                                                                          "owner": "bob"}),
                                  e.add("finding", ("audit", "A1"), {"clause": "6.2", "grade": "observation",
                                                                     "statement": "Reports: late"})),
                       ["+          - id: CA-2", '+            description: "Calendar the reviews"',
                        "+            owner: bob", "+      - id: A1-F2", '+        clause: "6.2"',
                        "+        grade: observation", '+        statement: "Reports: late"']),
    "a new list under a finding": (lambda e: e.set_field(("follow-up", "A1-F1", "A1"), "verdict", "closed"),
                                   ["+        follow_ups:", "+          - audit: A1", "+            verdict: closed"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_in_place_edit_against_the_round_trip(write, case):
    edit, expected = CASES[case]
    original, in_place, round_trip = both_ways(write(KINDS), edit)
    assert diff(original, in_place) == expected
    assert same(parsed(in_place), parsed(round_trip))  # byte-identical or not, the same data as the round trip
    assert in_place.startswith("# a comment that must survive\n") and in_place.endswith("\n# the end\n")


def test_one_value_is_byte_identical_to_the_round_trip(sample_copy):
    _, in_place, round_trip = both_ways(sample_copy("fr"), lambda e: e.set_field(("action", "CA-2"), "status", "done"))
    assert in_place == round_trip


def test_crlf_bom_and_mode_kept_through_save(tmp_path):
    path = tmp_path / "projet.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + KINDS.replace("\n", "\r\n").encode("utf-8"))
    os.chmod(path, 0o640)
    before = path.read_bytes()
    pf = load_project(path)
    editor = ProjectEditor(pf.editable_data())
    editor.set_field(("action", "CA-1"), "owner", "bob")
    editor.add("action", ("finding", "A1-F1"), {"description": "Second action"})
    assert patch_text(pf.text, pf.nodes, editor.log.ops, editor.data, pf.indent) is not None
    save_edits(pf, editor.log, validate_doc(path, editor.data))
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == after.count(b"\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert diff(before.decode("utf-8-sig"), after.decode("utf-8-sig")) == [
        "-            owner: ana", "+            owner: bob", "+          - id: CA-2",
        '+            description: "Second action"']
    assert path.with_name("projet.yaml.bak").read_bytes() == before
    again = load_project(path)
    assert again.project.audits[0].findings[0].actions[1].description == "Second action"
    # the saved project file is what the next edit starts from, in place again
    editor = ProjectEditor(again.editable_data())
    editor.set_field(("action", "CA-2"), "status", "in-progress")
    assert patch_text(again.text, again.nodes, editor.log.ops, editor.data, again.indent) is not None


FALLBACKS = {
    "a key deleted from a flow mapping": (KINDS, lambda e: e.set_field(("coverage", "A1", "6.2"), "verdict", None),
                                          lambda p: {k: v.verdict for k, v in p.audits[0].coverage.items()}
                                          == {"6.1": "minor"}),
    "an anchored value": (KINDS.replace("    owner: ana\naudits:", "    owner: &boss ana\n  change:\n    owner: *boss\n"
                                        "audits:"),
                          lambda e: e.log.set(("processes", "slm"), "owner", "bob"),
                          lambda p: p.processes["slm"].owner == "bob" and p.processes["change"].owner == "ana"),
    "the first key of a list item deleted": (
        KINDS.replace("    roles: [D, RGS]\n", "    roles: [D, RGS]\n    certificates:\n      - name: Foundation\n"
                      "        date: 2025-01-01\n"),
        lambda e: e.log.delete(("people", 0, "certificates", 0), "name"),
        lambda p: p.people[0].certificates[0].name == "ISO/IEC 20000 Foundation"),
}


@pytest.mark.parametrize("case", list(FALLBACKS))
def test_what_cannot_be_placed_goes_through_the_round_trip(write, case):
    text, edit, holds = FALLBACKS[case]
    path = write(text)
    pf = load_project(path)
    editor = ProjectEditor(pf.editable_data())
    edit(editor)
    assert patch_text(pf.text, pf.nodes, editor.log.ops, editor.data, pf.indent) is None
    save_edits(pf, editor.log, validate_doc(path, editor.data))
    after = path.read_text(encoding="utf-8")
    assert holds(load_project(path).project)
    assert "# a comment that must survive" in after and "# single quotes" in after


def test_a_stretch_that_does_not_parse_back_is_not_written(write, monkeypatch):
    """The guard: each edited stretch is parsed again; emitted text that means something else is refused (the
    round trip takes over), never written."""
    path = write(KINDS)
    pf = load_project(path)
    editor = ProjectEditor(pf.editable_data())
    editor.set_field(("action", "CA-1"), "owner", "bob")
    monkeypatch.setattr(_Emitter, "value", lambda self, value, column: "bobby\n")
    assert patch_text(pf.text, pf.nodes, editor.log.ops, editor.data, pf.indent) is None
    save_edits(pf, editor.log, validate_doc(path, editor.data))
    assert load_project(path).project.audits[0].findings[0].actions[0].owner == "bob"


def test_many_records_appended_in_place(tmp_path):
    """Scan's edit: new records at the end of several processes' lists (which hold comments between items)."""
    path = tmp_path / "project.yaml"
    path.write_text(project_text(records=400)[0], encoding="utf-8")
    pf = load_project(path)
    editor = DataEditor(pf.editable_data())
    for slug in ("incident", "catalogue", "reporting"):
        for i in range(3):
            editor.append(("processes", slug), "records", {"path": f"records/{slug}/new-{i}.csv",
                                                          "title": f"New {slug} export {i}",
                                                          "date": datetime.date(2026, 12, 1 + i)})
    new = patch_text(pf.text, pf.nodes, editor.ops, editor.root, pf.indent)
    assert new is not None and same(parsed(new), editor.root)
    added = diff(pf.text, new)
    assert len(added) == 27 and all(line.startswith("+") for line in added)
    assert '+        title: "New incident export 0"' in added  # quoted as the file quotes titles


def test_a_harvest_writes_in_place(sample_copy, tmp_path, monkeypatch):
    """Harvest's one status changed in an action plan: the project file's one line, and no round trip."""
    from kitgen.jobs.build import build
    from kitgen.jobs.harvest import harvest
    from kitgen.project import save

    from .helpers import edit_plan

    path = sample_copy("en")
    before = path.read_text(encoding="utf-8")
    build(load_project(path), ["action-plan"], out_dir=tmp_path / "out")
    plan = edit_plan(tmp_path / "out" / "action-plan.xlsx", tmp_path / "plan.xlsx", {"CA-1": {"Status": "Verified",
                                                                                            "Effectiveness checked on": "2026-11-30",
                                                                                            "Checked by": "cwright"}},
                     sheet_header="Action ID")

    def no_round_trip(*args, **kwargs):
        raise AssertionError("the edit went through the round trip")
    monkeypatch.setattr(save, "save_project", no_round_trip)
    report = harvest(load_project(path), [plan])
    assert report.written and not report.errors, report
    assert diff(before, path.read_text(encoding="utf-8")) == [
        "-            status: done", "+            status: verified", "+            effectiveness:",
        "+              date: 2026-11-30", "+              by: cwright"]
    assert load_project(path).project.audits[0].findings[0].actions[0].effectiveness.by == "cwright"


# -- random edits --------------------------------------------------------------------------------------------------

TEXTS = st.one_of(st.text(alphabet="abcdeéè XYZ:#'\"-,[]{}&*!|>%@`\n\\0123456789", min_size=1, max_size=30),
                  st.sampled_from(["yes", "no", "1.0", "2026-01-01", "null", "~", "- x", "a: b", "#c", "'q'"]))
DAYS = st.dates(datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))


def _edits(draw, data: dict) -> list[tuple]:
    index = ProjectEditor(data).index   # builds the index, changes nothing: no copy needed
    actions, findings, audits = index.ids("action"), index.ids("finding"), index.ids("audit")
    kinds = st.sampled_from(["status", "text", "date", "clear", "effectiveness", "coverage", "follow-up",
                             "add-action", "add-finding"])
    out = []
    for kind in draw(st.lists(kinds, min_size=1, max_size=5)):
        if kind == "status":
            out.append(("set", ("action", draw(st.sampled_from(actions))), "status", draw(st.sampled_from(ACTION_STATUSES))))
        elif kind == "text":
            place, field = draw(st.sampled_from([(("action", a), "description") for a in actions]
                                                + [(("finding", f), "statement") for f in findings]
                                                + [(("finding", f), "root_cause") for f in findings]))
            out.append(("set", place, field, draw(TEXTS)))
        elif kind == "date":
            out.append(("set", ("action", draw(st.sampled_from(actions))), draw(st.sampled_from(["due", "closed"])),
                        draw(DAYS).isoformat()))
        elif kind == "clear":
            out.append(("set", ("action", draw(st.sampled_from(actions))),
                        draw(st.sampled_from(["closed", "evidence", "owner", "due"])), None))
        elif kind == "effectiveness":
            action = ("action", draw(st.sampled_from(actions)))
            out += [("set", action, "effectiveness.date", draw(DAYS).isoformat()),
                    ("set", action, "effectiveness.result", draw(TEXTS))]
        elif kind == "coverage":
            out.append(("set", ("coverage", draw(st.sampled_from(audits)), draw(st.sampled_from(["6.1", "8.1", "9.9"]))),
                        "verdict", draw(st.sampled_from(["conform", "minor", "major"]))))
        elif kind == "follow-up":
            out.append(("set", ("follow-up", draw(st.sampled_from(findings)), draw(st.sampled_from(audits))),
                        "verdict", draw(st.sampled_from(["closed", "in-progress"]))))
        elif kind == "add-action":
            out.append(("add", "action", ("finding", draw(st.sampled_from(findings))), {"description": draw(TEXTS)}))
        else:
            out.append(("add", "finding", ("audit", draw(st.sampled_from(audits))),
                        {"clause": "8.1", "grade": "minor", "statement": draw(TEXTS)}))
    return out


def _apply(editor: ProjectEditor, edits: list[tuple]) -> None:
    for edit in edits:
        if edit[0] == "set":
            editor.set_field(edit[1], edit[2], edit[3])
        else:
            editor.add(edit[1], edit[2], edit[3])


_LOADED = {}


def _sample(path: Path):
    if path not in _LOADED:
        _LOADED[path] = load_project(path)
    return _LOADED[path]


@pytest.fixture(scope="module")
def three_years(tmp_path_factory) -> Path:
    """A small three-year project as the benchmark generates it (comments inside lists, flow mappings wrapped over
    several lines, folded texts, follow-ups)."""
    path = tmp_path_factory.mktemp("three-years") / "project.yaml"
    path.write_text(project_text(records=300)[0], encoding="utf-8")
    return path


@pytest.mark.slow
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["fr", "en", "three-years"]), st.data())
def test_random_edits_of_the_samples(three_years, which, data):
    pf = _sample({"fr": SAMPLE_FR, "en": SAMPLE_EN, "three-years": three_years}[which])
    editor = ProjectEditor(copy.deepcopy(pf.data))
    _apply(editor, _edits(data.draw, pf.data))
    new = patch_text(pf.text, pf.nodes, editor.log.ops, editor.data, pf.indent)
    assert new is not None, editor.log.ops
    assert same(parsed(new), editor.data)
    # every comment of the file is still there, in the same order
    comments = [line.strip() for line in pf.text.splitlines() if line.strip().startswith("#")]
    assert [line.strip() for line in new.splitlines() if line.strip().startswith("#")] == comments
    # lines that held no edited value are kept as they were
    removed = [line[1:] for line in diff(pf.text, new) if line.startswith("-")]
    assert len(removed) <= sum(1 for op in editor.log.ops if op[0] != "append") * 4


# -- validating an edit ----------------------------------------------------------------------------------------------

def test_an_edit_is_validated_as_the_whole_file_would_be(sample_copy):
    """validate_edit checks again only the parts the edits touched, and finds what validate_doc finds there."""
    from kitgen.errors import ProjectFileError
    from kitgen.project.load import validate_edit

    path = sample_copy("en")
    pf = load_project(path)
    editor = ProjectEditor(pf.editable_data())
    editor.set_field(("action", "CA-1"), "status", "in-progress")
    editor.set_field(("action", "CA-1"), "closed", None)
    project = validate_edit(path, editor.data, pf.project, editor.log.ops)
    assert project.audits[0].findings[0].actions[0].status == "in-progress"
    assert project.model_dump() == validate_doc(path, editor.data).model_dump()
    assert pf.project.audits[0].findings[0].actions[0].status == "done"  # the loaded model is left as it was
    editor.set_field(("action", "CA-1"), "status", "finished")
    editor.set_field(("action", "CA-1"), "owner", "nobody")
    with pytest.raises(ProjectFileError) as err:
        validate_edit(path, editor.data, pf.project, editor.log.ops)
    assert "audits[0].findings[0].actions[0].status: 'finished' is not one of" in str(err.value)
    editor.set_field(("action", "CA-1"), "status", "open")
    with pytest.raises(ProjectFileError, match=r"owner: unknown person 'nobody'"):
        validate_edit(path, editor.data, pf.project, editor.log.ops)
