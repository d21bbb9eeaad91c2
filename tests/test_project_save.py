"""Saving back: one changed value is a one-line diff, comments survive, writes are atomic and refused when invalid."""
from __future__ import annotations

import difflib

import pytest

from kitgen.errors import ProjectFileError
from kitgen.project import load_project, save_project


def diff(a: str, b: str) -> list[str]:
    return [line for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_one_value_one_line(sample_copy):
    path = sample_copy("fr")
    before = path.read_text(encoding="utf-8")
    pf = load_project(path)
    pf.doc["audits"][0]["findings"][1]["actions"][0]["status"] = "done"
    bak = save_project(pf)
    after = path.read_text(encoding="utf-8")
    assert diff(before, after) == ["-            status: open", "+            status: done"]
    assert "# Le pré-audit par l'organisme de certification." in after
    assert bak is not None and bak.read_text(encoding="utf-8") == before
    assert load_project(path).project.audits[0].findings[1].actions[0].status == "done"
    assert sorted(p.name for p in path.parent.glob(".projet.yaml.*") if p.suffix != ".lock") == []  # no temp file left


def test_unchanged_document_writes_nothing(minimal):
    pf = load_project(minimal)
    mtime = minimal.stat().st_mtime_ns
    assert save_project(pf) is None
    assert minimal.stat().st_mtime_ns == mtime


def test_invalid_edit_refused_file_untouched(minimal):
    before = minimal.read_bytes()
    pf = load_project(minimal)
    pf.doc["audits"][0]["findings"][0]["actions"][0]["owner"] = "nobody"
    with pytest.raises(ProjectFileError) as info:
        save_project(pf)
    assert "edit refused, the file was not changed" in str(info.value)
    assert "unknown person 'nobody'" in str(info.value)
    assert minimal.read_bytes() == before
    assert not minimal.with_name("projet.yaml.bak").exists()


def test_quotes_and_comments_kept_on_new_date(minimal):
    import datetime
    pf = load_project(minimal)
    pf.doc["audits"][0]["findings"][0]["actions"][0]["status"] = "done"
    pf.doc["audits"][0]["findings"][0]["actions"][0]["closed"] = datetime.date(2026, 6, 1)
    save_project(pf)
    text = minimal.read_text(encoding="utf-8")
    assert text.startswith("# a comment that must survive\n")
    assert 'framework: "iso20000-1:2005"' in text
    assert "            closed: 2026-06-01\n" in text


def test_coverage_gains_and_loses_its_evidence_in_the_files_style(minimal):
    """A clause's verdict stays in the short form until evidence comes with it, then is one line; without it again,
    the short form comes back."""
    from kitgen.project import load_project, save_project
    from kitgen.project.edit import ProjectEditor

    minimal.write_text(minimal.read_text(encoding="utf-8").replace(
        "    lead_auditor: bob\n", "    lead_auditor: bob\n    coverage:\n      \"6.1\": conform\n"), encoding="utf-8")
    for evidence, line in (("SLA reviews of May", '      "6.1": {verdict: conform, evidence: SLA reviews of May}\n'),
                           ("", '      "6.1": conform\n')):
        pf = load_project(minimal)
        editor = ProjectEditor(pf.editable_data())
        editor.set_field(("coverage", "A1", "6.1"), "evidence", evidence)
        editor.log.replay(pf.doc)
        save_project(pf)
        assert line in minimal.read_text(encoding="utf-8")
        assert load_project(minimal).project.audit("A1").coverage["6.1"].evidence == evidence


def test_a_save_through_the_round_trip_then_an_edit_in_place_keep_both(sample_copy):
    """The same loaded project saved twice: first through the round-trip document (a text of another length), then
    in place in its text further down: the second save starts from what the first wrote, never from what was
    loaded."""
    from kitgen.project.edit import ProjectEditor
    from kitgen.project.save import save_edits

    path = sample_copy("fr")
    pf = load_project(path)
    pf.doc["audits"][0]["findings"][1]["actions"][0]["status"] = "in-progress"   # was open: the text grows
    save_project(pf)
    assert pf.project.audits[0].findings[1].actions[0].status == "in-progress"   # what the file now says
    last = [a for audit in pf.project.audits for f in audit.findings for a in f.actions][-1]
    editor = ProjectEditor(pf.editable_data())
    editor.set_field(("action", last.id), "description", "Revoir la procédure de sauvegarde.")
    save_edits(pf, editor.log, pf.project)
    again = load_project(path).project
    assert again.audits[0].findings[1].actions[0].status == "in-progress"
    assert [a for audit in again.audits for f in audit.findings for a in f.actions][-1].description == \
        "Revoir la procédure de sauvegarde."
