"""`--format json` on every command that reports: each document validated against the schema shipped for it, with
`schema_version`, errors as located objects and people by id plus display name."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker

from kitgen.cli.commands import cli
from kitgen.cli.jsonout import SCHEMA_VERSION, schema_path
from kitgen.cli.schemas import COMMANDS, schema_text

from .conftest import SAMPLE_EN, SAMPLE_FR
from .evaluation_fill import fill
from .helpers import edit_plan


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A copy of the English sample with its action plan and evaluation form built (one build for the module)."""
    root = tmp_path_factory.mktemp("json")
    shutil.copytree(SAMPLE_EN.parent, root / "en", ignore=shutil.ignore_patterns("*.kitgen.json", ".*.lock"))
    project = root / "en" / SAMPLE_EN.name
    built = CliRunner().invoke(cli, ["build", str(project), "action-plan", "evaluation-form", "-o", str(root / "out")])
    assert built.exit_code == 0, built.output
    (root / "forms").mkdir()
    fill(root / "out" / "evaluation-form.docx", root / "forms" / "one.docx", {1: [1], 2: [2]})
    edit_plan(root / "out" / "action-plan.xlsx", root / "plan.xlsx", {"CA-1": {"Status": "fini"}},
              sheet_header="Action ID")
    shutil.copytree(root / "en", root / "en-scan", ignore=shutil.ignore_patterns("*.kitgen.json", ".*.lock"))
    return root


def _runs(root: Path) -> list[tuple[str, list[str], int]]:
    """(command, arguments, exit code) for every command that reports, on real files."""
    project = str(root / "en" / SAMPLE_EN.name)
    return [
        ("init", ["init", str(root / "new"), "--lang", "en"], 0),
        ("validate", ["validate", project], 0),
        ("validate", ["validate", str(root / "missing.yaml")], 1),
        ("scan", ["scan", str(root / "en-scan" / SAMPLE_EN.name), "--dry-run"], 0),
        ("build", ["build", project, "action-plan", "-o", str(root / "out2")], 0),
        ("templates list", ["templates", "list"], 0),
        ("templates check", ["templates", "check", str(root / "out")], 0),
        ("harvest", ["harvest", project, str(root / "out" / "action-plan.xlsx"), "--dry-run"], 0),
        ("harvest", ["harvest", project, str(root / "plan.xlsx"), "--dry-run"], 1),
        ("findings", ["findings", project, "--as-of", "2026-11-29"], 0),
        ("findings", ["findings", str(SAMPLE_FR), "--as-of", "2026-11-29"], 0),
        ("coverage", ["coverage", project, "--as-of", "2026-11-29"], 0),
        ("readiness", ["readiness", project, "--as-of", "2026-11-29"], 0),
        ("readiness", ["readiness", str(SAMPLE_FR), "--as-of", "2026-11-29"], 3),
        ("calendar", ["calendar", project, "-o", str(root / "c.ics"), "--as-of", "2026-11-29"], 0),
        ("package", ["package", project, "-o", str(root / "p.zip")], 0),
        ("feedback", ["feedback", str(root / "forms"), "-o", str(root / "fb.xlsx")], 0),
        ("feedback", ["feedback", str(root / "c.ics"), "-o", str(root / "fb2.xlsx")], 1),
    ]


def test_every_command_json_validates_against_its_shipped_schema(work: Path) -> None:
    seen = set()
    for command, args, code in _runs(work):
        result = CliRunner().invoke(cli, [*args, "--format", "json"])
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        doc = json.loads(result.stdout)
        assert doc["schema_version"] == SCHEMA_VERSION and doc["command"] == command
        schema = json.loads(schema_path(command).read_text(encoding="utf-8"))
        errors = sorted(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(doc), key=str)
        assert not errors, (args, [e.message for e in errors[:3]])
        if code == 1:  # errors as objects, and still the terminal's one line
            assert doc["errors"] and all(set(e) == {"file", "line", "column", "path", "code", "value", "expected", "message"}
                                         for e in doc["errors"])
            assert [line for line in result.stderr.splitlines() if line.startswith("Error: ")], result.stderr
        seen.add(command)
    assert seen == set(COMMANDS)


def test_errors_are_located_objects(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(SAMPLE_FR.read_text(encoding="utf-8").replace("headcount:", "headcont:", 1), encoding="utf-8")
    doc = json.loads(CliRunner().invoke(cli, ["validate", str(broken), "--format", "json"]).stdout)
    first = doc["errors"][0]
    assert (first["file"], first["path"], first["code"]) == (str(broken), "organisation.headcont", "unknown-key")
    assert isinstance(first["line"], int) and isinstance(first["column"], int)
    assert (first["value"], first["expected"]) == ("headcont", "headcount")  # the fields, not words parsed
    assert first["message"] == "clé inconnue 'headcont' ; vouliez-vous dire 'headcount' ?"  # the project is French


def test_readback_error_names_its_cell(work: Path) -> None:
    result = CliRunner().invoke(cli, ["harvest", str(work / "en" / SAMPLE_EN.name), str(work / "plan.xlsx"),
                                      "--dry-run", "--format", "json"])
    [error] = json.loads(result.stdout)["errors"]
    assert Path(error["file"]).name == "plan.xlsx" and "!" in error["path"] and "fini" in error["message"]
    assert (error["code"], error["value"]) == ("unknown-word", "fini")   # the fields, not words parsed


def test_people_by_id_and_name() -> None:
    doc = json.loads(CliRunner().invoke(cli, ["findings", str(SAMPLE_FR), "--as-of", "2026-11-29", "--open",
                                              "--format", "json"]).stdout)
    owners = {o["id"]: o["name"] for f in doc["findings"] for o in f["owners"]}
    assert owners and all(i != n and " " in n for i, n in owners.items()), owners


def test_shipped_schemas_are_the_generated_ones() -> None:
    for command in COMMANDS:
        assert schema_path(command).read_text(encoding="utf-8") == schema_text(command), command
