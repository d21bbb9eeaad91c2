"""`kitgen init`'s starter: it validates as written, and its commented examples (an audit with a finding and its
action, a management review with its action, a risk, a planned audit) validate once uncommented, in both languages
and under every edition."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli
from kitgen.jobs.build import build
from kitgen.project import load_project

EXAMPLE_KEY = re.compile(r"# ([a-z_]+):")   # a commented example starts at its top-level key


def uncommented(text: str) -> tuple[str, list[str]]:
    """The starter with its examples uncommented as the starter says: the "# " taken off each line of an example,
    from its key down to the blank line; and the keys uncommented."""
    lines, keys, inside = [], [], False
    for line in text.splitlines():
        if EXAMPLE_KEY.fullmatch(line):
            inside = True
            keys.append(line[2:-1])
        elif not line.strip():
            inside = False
        lines.append(line[2:] if inside else line)
    return "\n".join(lines) + "\n", keys


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("framework", ["iso20000-1:2005", "iso20000-1:2011", "iso20000-1:2018"])
def test_the_starters_examples_validate_once_uncommented(tmp_path, lang, framework):
    runner = CliRunner()
    folder = tmp_path / "myproject"
    assert runner.invoke(cli, ["init", str(folder), "--lang", lang, "--framework", framework]).exit_code == 0
    [project] = folder.glob("*.yaml")
    written = runner.invoke(cli, ["validate", str(project)])
    assert written.exit_code == 0, written.output

    text, keys = uncommented(project.read_text(encoding="utf-8"))
    assert keys == ["audits", "management_reviews", "risks", "programme"]
    project.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(project)])
    assert result.exit_code == 0, result.output
    p = load_project(project).project
    [audit] = p.audits
    [finding] = audit.findings
    [review] = p.management_reviews
    assert (audit.kind, audit.lead_auditor, finding.grade, finding.process) == ("internal", p.people[0].id, "minor",
                                                                                "incident")
    assert [a.id for a in p.all_actions()] == ["CA-1", "MR-2027-1" if lang == "en" else "RD-2027-1"]
    assert review.actions[0].owner == p.people[0].id and len(p.risks) == len(p.programme) == 1
    assert p.locale_for(lang) == {"fr": "fr-FR", "en": "en-GB"}[lang]


def test_the_uncommented_examples_make_forms(tmp_path):
    """The examples are an audit and a review kitgen works with: the action plan lists both actions."""
    from openpyxl import load_workbook

    runner = CliRunner()
    folder = tmp_path / "myproject"
    runner.invoke(cli, ["init", str(folder), "--lang", "en"])
    project = folder / "project.yaml"
    project.write_text(uncommented(project.read_text(encoding="utf-8"))[0], encoding="utf-8")
    build(load_project(project), ["action-plan"], out_dir=folder / "out")
    ws = load_workbook(folder / "out" / "action-plan.xlsx")["Actions"]
    header = [c.value for c in ws[1]]
    assert sorted(r[header.index("Action ID")] for r in ws.iter_rows(min_row=2, values_only=True)
                  if r[header.index("Action ID")]) == ["CA-1", "MR-2027-1"]


def test_the_starter_names_each_example_blocks_keys_once(tmp_path):
    """An example's key is not also written uncommented (uncommenting it would then repeat a key)."""
    for lang in ("fr", "en"):
        CliRunner().invoke(cli, ["init", str(tmp_path / lang), "--lang", lang])
        text = next((tmp_path / lang).glob("*.yaml")).read_text(encoding="utf-8")
        for key in ("audits", "management_reviews", "risks", "programme"):
            assert not re.search(rf"^{key}:", text, re.M), key
