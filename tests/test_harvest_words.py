"""What a harvest says — its errors and its notes on each row (not taken, deleted, added, skipped) — is said in the
run's language, from the problems' fields: a French and an English harvest of the same edits carry no word of the
other language, and `--format json` gives each error and note as an object whose file, place and value are the
fields the readers set (not words parsed back)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.jobs.build import build
from kitgen.project import load_project

from .helpers import where

# words only one of the two languages writes (the files' own names and what people typed are left out of the lines)
ENGLISH_WORDS = re.compile(r"\b(is|not|no|the|taken|row|table|new|kept|longer|unknown|nothing|file|sheet|of|by|"
                           r"worked|out|typed|cell|reads|same|content|neither|correct|again|harvest it)\b")
FRENCH_WORDS = re.compile(r"\b(est|pas|ligne|tableau|nouveau|nouvelle|repris|gardé|plus|fichier|inconnue?|aucun|"
                          r"dans|cette|même|contenu|calculé|saisi|récoltez|corrigez|ni|rien)\b")
SAMPLE = {"fr": {"project": "projet.yaml", "audit": "AUD-2026-01", "sheet": "Risques", "ref": "Réf.",
                 "level": "Niveau", "likelihood": "Vraisemblance (1-5)", "text": "Risque ou opportunité",
                 "new": "Mutualiser l'astreinte avec un partenaire", "title": "Audit interne, deuxième journée"},
          "en": {"project": "project.yaml", "audit": "IA-2026", "sheet": "Risks", "ref": "Ref.", "level": "Level",
                 "likelihood": "Likelihood (1-5)", "text": "Risk or opportunity",
                 "new": "Share the on-call duty with a partner", "title": "Internal audit, second day"}}


def _harvested(sample_copy, monkeypatch, lang: str, *options: str) -> tuple[int, str, str]:
    """A harvest of edited copies run as a user runs it (names relative to the folder it is run in): a register with
    a worked-out cell typed over, a row deleted and a row added; a copy of it with a value nobody can read; a
    checklist with a title cell typed over and evidence on a row without a verdict; a folder with a stray file and a
    duplicate. (exit code, stdout, stderr)."""
    words = SAMPLE[lang]
    project = sample_copy(lang)
    assert project.name == words["project"]
    build(load_project(project), ["risk-register", "audit-checklist"], out_dir=project.parent / "forms")
    monkeypatch.chdir(project.parent)
    risks = Path("forms/risk-register.xlsx")
    wb = load_workbook(risks)
    ws = wb[words["sheet"]]
    ws[where(risks, words["sheet"], words["ref"], "R-1", words["level"])] = 99
    text_column = next(c.column for c in ws[1] if c.value == words["text"])
    ws.cell(row=ws.max_row + 1, column=text_column, value=words["new"])
    ws.delete_rows(int(where(risks, words["sheet"], words["ref"], "R-2", words["ref"])[1:]))
    wb.save(risks)
    bad = Path("bad.xlsx")
    wb = load_workbook(risks)
    wb[words["sheet"]][where(risks, words["sheet"], words["ref"], "R-3", words["likelihood"])] = 7
    wb.save(bad)
    checklist = Path(f"forms/audit-checklist-{words['audit']}.docx")
    doc = Document(str(checklist))
    doc.tables[0].rows[0].cells[1].text = words["title"]
    rows = next(t for t in doc.tables if t.rows[0].cells[0].text in ("Article", "Clause")).rows
    rows[1].cells[3].text = "PV-12"   # evidence, on a row whose verdict nobody chose
    doc.save(str(checklist))
    for other in Path("forms").glob("audit-checklist-*.docx"):
        if other != checklist:
            other.unlink()
    Path("forms/notes.txt").write_text("—", encoding="utf-8")
    shutil.copy(risks, "forms/risk-register2.xlsx")   # a copy of the same content: skipped (read after the first)
    result = CliRunner().invoke(cli, ["harvest", words["project"], "forms", str(bad), "--dry-run", *options])
    return result.exit_code, result.stdout, result.stderr


def _words(output: str, lang: str) -> list[str]:
    """The output's lines without what is not a word of the language: the English `Error:` prefix scripts look for,
    file names, places in workbooks, ids, what was typed (quoted) and the table's rule."""
    words = SAMPLE[lang]
    out = []
    for line in output.splitlines():
        line = line.removeprefix("Error: ")
        for typed in (words["new"], words["title"]):
            line = line.replace(typed, "")
        line = re.sub(r"[\w./-]+\.(xlsx|docx|txt|yaml)\b|\w+!\w+\d|«[^»]*»|\"[^\"]*\"|'[^']*'|─+", "", line)
        out.append(line)
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_harvest_s_errors_and_notes_are_in_the_run_s_language(sample_copy, monkeypatch, lang):
    code, stdout, stderr = _harvested(sample_copy, monkeypatch, lang)
    assert code == 1, (stdout, stderr)
    lines = _words(stdout + stderr, lang)
    other = ENGLISH_WORDS if lang == "fr" else FRENCH_WORDS
    assert len(lines) >= 8 and not [line for line in lines if other.search(line)], stdout + stderr
    said = stdout + stderr
    if lang == "fr":   # each kind of note, said in French
        assert ("Error: bad.xlsx: Risques!E3: vraisemblance « 7 » : un nombre entier de 1 à 5 est attendu (rien n'a "
                "été repris de ce fichier)\n") in said
        assert "non repris : risk-register.xlsx: Risques!G2: Niveau '99' : calculé par kitgen\n" in said
        assert ("supprimé du formulaire : risk-register.xlsx: R-2 n'est plus dans le formulaire ; gardé dans le "
                "projet\n") in said
        assert ("risk-register.xlsx: Risques!A4: nouveau risque R-4 : Mutualiser l'astreinte avec un "
                "partenaire\n") in said
        assert ("non repris : audit-checklist-AUD-2026-01.docx: tableau 2 ligne 2 (3.1): texte saisi (Preuves "
                "recueillies) sur une ligne sans verdict, non repris ; choisissez le verdict\n") in said
        assert "audit-checklist-AUD-2026-01.docx: tableau 1 ligne 1: « Audit interne, deuxième journée »" in said
        assert "ignoré : forms/notes.txt: ni un fichier .docx ni un fichier .xlsx\n" in said
        assert "ignoré : forms/risk-register2.xlsx: même contenu que forms/risk-register.xlsx\n" in said
    else:
        assert ("Error: bad.xlsx: Risks!E3: likelihood \"7\" is not a whole number from 1 to 5 (nothing taken from "
                "this file)\n") in said
        assert "not taken: risk-register.xlsx: Risks!G2: Level '99': worked out by kitgen\n" in said
        assert "risk-register.xlsx: Risks!A5: new risk R-5: Share the on-call duty with a partner\n" in said
        assert "audit-checklist-IA-2026.docx: table 1 row 1: \"Internal audit, second day\" not taken" in said


def test_a_harvest_s_json_gives_errors_and_notes_as_objects_of_their_fields(sample_copy, monkeypatch):
    code, stdout, _ = _harvested(sample_copy, monkeypatch, "fr", "--format", "json")
    doc = json.loads(stdout)
    assert code == 1 and doc["schema_version"] == 1 and doc["command"] == "harvest"
    [unreadable] = doc["errors"]
    assert (unreadable["file"], unreadable["path"], unreadable["value"], unreadable["code"]) == (
        "bad.xlsx", "Risques!E3", "7", "not-a-rating")
    assert unreadable["expected"] == "1–5" and unreadable["message"] == (
        "vraisemblance « 7 » : un nombre entier de 1 à 5 est attendu (rien n'a été repris de ce fichier)")
    notes = {(n["list"], n["code"], n["path"]): n for n in doc["notes"]}
    level = notes[("not_taken", "worked-out", "Risques!G2")]
    assert (level["file"], level["value"], level["entry"]) == ("risk-register.xlsx", "99", None)
    added = notes[("added", "added", "Risques!A4")]
    assert (added["entry"], added["value"]) == ("R-4", "Mutualiser l'astreinte avec un partenaire")
    assert added["message"] == "nouveau risque R-4 : Mutualiser l'astreinte avec un partenaire"
    deleted = notes[("deleted", "deleted-in-form", None)]
    assert (deleted["file"], deleted["entry"]) == ("risk-register.xlsx", "R-2")
    assert {n["code"] for n in doc["notes"] if n["list"] == "skipped"} == {"not-office-file", "same-content"}
    word = next(n for n in doc["notes"] if n["file"].startswith("audit-checklist") and n["path"] == "tableau 1 ligne 1")
    assert word["value"] == "Audit interne, deuxième journée" and word["code"] == "not-taken"
    # the lines scripts already read stay English text, rendered from the same problems
    assert doc["deleted"] == ["risk-register.xlsx: R-2 is no longer in the form; kept in the project"]
    assert "forms/notes.txt: not a .docx or .xlsx file" in doc["skipped"]


def test_places_named_with_words_are_named_in_the_run_s_language():
    """A follow-up, a clause's coverage or a review is named by a message of its own, said inside the note."""
    from kitgen.cli import i18n
    from kitgen.cli.problems import line
    from kitgen.errors import N_, problem
    from kitgen.jobs.harvest import label_of

    gone = problem(N_("{entry} is no longer in the project; its row in the form is ignored"), "report.docx",
                   entry=label_of(("follow-up", "AUD-2026-01-F2", "PRE-2026")), code="gone-from-project")
    review = problem(N_("{entry} is no longer in the project; row ignored"), "minutes.docx", place="tableau 3 ligne 2",
                     entry=label_of(("review", "2026-10-14")), code="gone-from-project")
    try:
        i18n.use("fr")
        assert line(gone) == ("report.docx: suivi de AUD-2026-01-F2 par PRE-2026 n'est plus dans le projet ; sa ligne "
                              "du formulaire est ignorée")
        assert line(review) == ("minutes.docx: tableau 3 ligne 2: revue du 14 octobre 2026 n'est plus dans le projet ; "
                                "ligne ignorée")
        i18n.use("en")
        assert line(gone) == ("report.docx: AUD-2026-01-F2 follow-up by PRE-2026 is no longer in the project; its row "
                              "in the form is ignored")
        assert line(review).endswith(": review 14 October 2026 is no longer in the project; row ignored")
    finally:
        i18n.use(None)
    assert str(gone).startswith("report.docx: AUD-2026-01-F2 follow-up by PRE-2026 is")   # scripts' English lines
