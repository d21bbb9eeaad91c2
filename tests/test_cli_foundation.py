"""CLI: exit codes and exact error lines for init, validate and schema."""
from __future__ import annotations

import json

from click.testing import CliRunner

from kitgen.cli.commands import cli

from .conftest import MINIMAL, ROOT, SAMPLE_FR


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_validate_sample_prints_summary():
    result = run("validate", str(SAMPLE_FR))
    assert result.exit_code == 0, result.output
    assert "Organisme :        Infogérance Boréale SAS (12 personnes, 2 sites)" in result.output  # in its language
    assert "  10.1    release        1 document, 4 enregistrements  Gestion des mises en production" in result.output
    assert "Constats ouverts : 3 (1 NC maj, 2 NC min)" in result.output


def test_validate_reports_every_error_first_line_prefixed(write):
    path = write(MINIMAL.replace("headcount: 3", "headcount: x").replace("owner: ana\naudits", "owner: zed\naudits"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [
        f"Error: {path}:9:14: organisation.headcount: 'x' n'est pas un nombre entier"]  # the file says it is French
    path = write(MINIMAL.replace("language: fr", "language: es").replace("kind: internal", "kind: x"))
    lines = run("validate", str(path)).stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"Error: {path}:4:11: language:") and lines[1].startswith(f"Error: {path}:23:11:")


def test_validate_missing_file(tmp_path):
    result = run("validate", str(tmp_path / "x.yaml"))
    assert result.exit_code == 1
    # no project to say its language: the user's locale, else French
    assert result.stderr == f"Error: {tmp_path / 'x.yaml'}: fichier introuvable ; créez-en un avec `kitgen init`\n"
    english = run("validate", str(tmp_path / "x.yaml"), "--lang", "en")
    assert english.stderr == f"Error: {tmp_path / 'x.yaml'}: no such file; create one with `kitgen init`\n"


def test_usage_error_exits_2():
    assert run("validate").exit_code == 2
    assert run("init", "--lang", "de").exit_code == 2


def test_init_then_validate_then_refuse(tmp_path):
    for lang, fid in (("fr", "iso20000-1:2005"), ("en", "iso20000-1:2018"), ("fr", "iso20000-1:2011")):
        folder = tmp_path / f"{lang}-{fid[-4:]}"
        result = run("init", str(folder), "--lang", lang, "--framework", fid)
        assert result.exit_code == 0, result.output
        path = folder / ("projet.yaml" if lang == "fr" else "project.yaml")
        assert run("validate", str(path)).exit_code == 0
        assert (folder / "kitgen.schema.json").exists()
    again = run("init", str(tmp_path / "fr-2005"))
    assert again.exit_code == 1
    assert again.stderr == (f"Error: {tmp_path / 'fr-2005' / 'projet.yaml'}: existe déjà ; "
                            "kitgen init n'écrase jamais un fichier de projet ; choisissez un autre dossier\n")


def test_init_example_copies_a_sample_that_validates_and_scans_as_shipped(tmp_path, monkeypatch):
    import os
    import shutil
    from datetime import date

    import kitgen.project.starter
    from kitgen.infra.shipped import shipped
    from kitgen.jobs.scan import collect
    from kitgen.project import load_project

    examples = tmp_path / "shipped"  # the shipped examples, with what a build of them leaves beside them
    shutil.copytree(shipped("examples"), examples)
    for left in (".project.yaml.lock", "project.kitgen.json", "project.yaml.bak"):
        (examples / "en" / left).write_text("{}")
    monkeypatch.setattr(kitgen.project.starter, "shipped", lambda *parts: examples.joinpath(*parts[1:]))
    for lang, name in (("fr", "projet.yaml"), ("en", "project.yaml")):
        result = run("init", str(tmp_path / lang), "--example", lang)
        assert result.exit_code == 0, result.output
        path = tmp_path / lang / name
        source = examples / lang
        copied = sorted(str(p.relative_to(tmp_path / lang)) for p in (tmp_path / lang).rglob("*") if p.is_file())
        shipped_files = sorted(str(p.relative_to(source)) for p in source.rglob("*") if p.is_file()
                               and not p.name.endswith((".kitgen.json", ".lock", ".bak")))
        assert copied == sorted([*shipped_files, "kitgen.schema.json"])
        n = len(shipped_files) - 1
        assert result.output == (f"{path} écrit avec ses {n} fichiers de preuve ; essayez : kitgen validate {path}\n"
                                 if lang == "fr" else
                                 f"Wrote {path} and its {n} evidence files; try: kitgen validate {path}\n")
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=kitgen.schema.json\n")
        assert run("validate", str(path)).exit_code == 0
        pf = load_project(path)
        first = next(iter(pf.project.processes.values())).records[0]
        assert date.fromtimestamp(os.stat(path.parent / first.path).st_mtime) == first.date  # dated as listed
        assert collect(pf).added == []  # a scan of the copy finds what the project lists, nothing else
    again = run("init", str(tmp_path / "en"), "--example", "en")
    assert again.exit_code == 1
    assert again.stderr == (f"Error: {tmp_path / 'en' / 'project.yaml'}: already exists; kitgen init never "
                            "overwrites a project file; choose another folder\n")
    (tmp_path / "other" / "records").mkdir(parents=True)
    (tmp_path / "other" / "records" / "sms").write_text("mine")  # a file where the example has a folder
    clash = run("init", str(tmp_path / "other"), "--example", "en")
    assert clash.exit_code == 1 and not (tmp_path / "other" / "project.yaml").exists()
    assert run("init", str(tmp_path / "x"), "--example", "en", "--lang", "fr").exit_code == 2


def test_schema_is_json_and_samples_point_at_a_current_copy():
    result = run("schema")
    schema = json.loads(result.output)
    assert "organisation" in schema["properties"] and schema["additionalProperties"] is False
    shipped = SAMPLE_FR.parent.parent / "kitgen.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema, "regenerate: kitgen schema > samples/kitgen.schema.json"
    assert SAMPLE_FR.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../kitgen.schema.json")


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, name


def test_cli_does_not_import_heavy_libraries():
    for path in (ROOT / "kitgen" / "cli").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for lib in ("docxtpl", "docx", "openpyxl"):
            assert f"import {lib}" not in source and f"from {lib}" not in source, path


def test_help_imports_no_office_library():
    import subprocess
    import sys
    code = ("import sys, kitgen.cli.commands\n"
            "try:\n    kitgen.cli.commands.cli(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('docxtpl', 'docx', 'openpyxl', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_readme_library_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(SAMPLE_FR.parent.parent.parent)  # beside the copy of samples/: the README's paths work
    snippet = snippet.replace('Path("output")', f'Path({str(tmp_path)!r})').replace(
        'Path("output/audit-report', f'Path({str(tmp_path)!r} + "/audit-report')
    exec(compile(snippet, "README.md", "exec"), {})
    assert (tmp_path / "audit-report-AUD-2026-01.docx").exists()


def test_os_errors_are_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run("calendar", str(SAMPLE_FR), "-o", str(locked / "sub" / "c.ics"))
        if result.exit_code == 0:  # running as root: permissions do not apply; use a path under a file instead
            result = run("calendar", str(SAMPLE_FR), "-o", str(SAMPLE_FR / "c.ics"))
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        assert "vérifiez le chemin et ses droits d'accès" in result.stderr  # the sample is French
        assert "File exists" not in result.stderr and "Permission denied" not in result.stderr
    finally:
        locked.chmod(0o700)


def test_audit_report_without_audits(write, tmp_path):
    path = write(MINIMAL.split("audits:")[0])
    result = run("build", str(path), "audit-report", "-o", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {path}: aucun audit pour lequel générer audit-report ; ajoutez-en un sous "
                             "audits (voir les exemples)\n")   # a French project
    assert run("build", str(path), "-o", str(tmp_path / "o")).exit_code == 0  # every other form still builds
