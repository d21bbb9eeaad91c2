"""Feedback: every respondent counts, every way of filling the form is read, every file is accounted for."""
from __future__ import annotations

import json
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from openpyxl import load_workbook

from kitgen.cli.commands import cli
from kitgen.forms.evaluation_form import read
from kitgen.jobs.feedback import aggregate
from kitgen.jobs.feedback_report import write_report

from .conftest import SAMPLE_EN, SAMPLE_FR
from .evaluation_fill import MARK_WAYS, MARKS, NS, Respondent, build_blanks, corpus, fill, paragraph, run, write
from .helpers import libreoffice_run, needs_soffice, resaving

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def blanks(tmp_path_factory) -> dict[str, Path]:
    return build_blanks(tmp_path_factory.mktemp("blank"), {"fr": SAMPLE_FR, "en": SAMPLE_EN})


@pytest.mark.parametrize("way", ["word", "legacy", "only-left", "only-left-ticked", *MARK_WAYS])
def test_each_way_of_ticking_reads_back(blanks, tmp_path, way):
    # option 2 ("Satisfait") everywhere but Q8: reading by position would say "Très satisfait" when others are deleted
    for how in [f"{way}:{mark}" for mark in MARKS] if way in MARK_WAYS else [way]:
        path = fill(blanks["fr"], tmp_path / "f.docx", {1: [2], 2: [1], 3: [5], 8: [3]}, how=how)
        answers = read(path)
        assert (answers.scales, answers.ambiguous, answers.remarks, answers.unrecognised_marks) == (
            {1: 2, 2: 1, 3: 5, 8: 3}, {}, {}, {}), how


@pytest.mark.parametrize("where", ["cell", "label", "row", "below"])
def test_free_text_wherever_it_was_typed(blanks, tmp_path, where):
    texts = {"superfluous": "L'annexe D", "justification": "Pas de modèle", "location": "section 4.1.3",
             "comments": "Très utile"}
    path = fill(blanks["fr"], tmp_path / "f.docx", {1: [1]}, texts, where={k: where for k in texts},
                name="Léa Roy", email="lea@tpo.example", name_where="label" if where == "label" else "cell")
    answers = read(path)
    assert answers.texts == texts
    assert answers.respondent == "Léa Roy <lea@tpo.example>"


def test_identity_removed_is_recognised_by_its_questions(blanks, tmp_path):
    path = fill(blanks["en"], tmp_path / "f.docx", {1: [1], 8: [2]}, strip_identity=True)
    answers = read(path)
    assert answers.recognised and answers.lang == "en" and answers.scales == {1: 1, 8: 2}
    fb = aggregate([path], processes=1)
    assert fb.forms == 1 and [(p.code, p.set_aside) for p in fb.problems] == [("recognised", False)]


def _corpus_folder(blanks: dict[str, Path], folder: Path) -> tuple[list[Respondent], dict[str, str]]:
    """120 generated respondents (every way of ticking and typing, each several times: corpus()) plus the files people
    also send back; returns the counted respondents and the expected problem code of every other file."""
    people = corpus(120)
    for r in people:
        write(blanks, folder, r)
    # one person sends a corrected form: the later one counts, whatever the file names say
    first = Respondent("a-corrected.docx", ticks={1: [4], 2: [4], 3: [4], 8: [4]}, name="Jo", email="Jo@TPO.example",
                       modified="2026-11-03T09:00:00Z")
    second = Respondent("z-first.docx", ticks={1: [5], 2: [5], 3: [5], 8: [5]}, name="Jo", email="jo@tpo.example",
                        modified="2026-11-01T09:00:00Z")
    for r in (first, second):
        write(blanks, folder, r)
    shutil.copyfile(folder / "form-0007.docx", folder / "form-0007 (copie).docx")   # the same file sent twice
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n%fake\n")
    (folder / "libre.odt").write_bytes(b"PK\x03\x04 odt")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    (folder / "notes.txt").write_text("Q1 : très satisfait", encoding="utf-8")
    (folder / "moved.docx").symlink_to(folder / "deleted.docx")   # a link left behind by a moved file
    (folder / "sub").mkdir()
    (folder / "sub" / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    shutil.copyfile(ROOT / "kitgen/data/templates/fr/audit-report.docx", folder / "sub" / "report.docx")
    shutil.copyfile(blanks["fr"], folder / "sub" / "blank.docx")
    expected = {"z-first.docx": "resent", "form-0007 (copie).docx": "identical", "scan.pdf": "not-docx",
                "libre.odt": "not-docx", "old.doc": "not-docx", "notes.txt": "not-docx", "sub/broken.docx": "unreadable",
                "sub/report.docx": "not-form", "sub/blank.docx": "blank", "moved.docx": "unreadable"}
    return [*people, first], expected


def test_every_respondent_counts_and_every_file_is_accounted_for(blanks, tmp_path):
    folder = tmp_path / "returned"
    folder.mkdir()
    counted, set_aside = _corpus_folder(blanks, folder)
    answer_sets = Counter(tuple(sorted(r.answers().items())) for r in counted if not r.email)
    assert max(answer_sets.values()) >= 3  # identical anonymous answers are in the corpus, and must all count

    fb = aggregate([folder], processes=2)
    assert (fb.files, fb.forms, fb.set_aside) == (len(counted) + len(set_aside), len(counted), len(set_aside))
    for n in (1, 2, 3, 8):
        truth = Counter(r.answers()[n] for r in counted if n in r.answers())
        assert fb.questions[n].counts == [truth[i] for i in range(1, 6)], n
    assert fb.languages == dict(Counter(r.lang for r in counted))

    problems = Counter((p.file, p.code) for p in fb.problems)
    expected = Counter({(f, code): 1 for f, code in set_aside.items()})
    for r in counted:
        expected.update({(r.file, "ambiguous"): len(r.ambiguous())} if r.ambiguous() else {})
        expected.update({(r.file, "recognised"): 1} if r.strip_identity else {})
    assert problems == expected
    resent = next(p for p in fb.problems if p.code == "resent")
    assert resent.text("fr") == ("renvoyé par jo@tpo.example : seule la version la plus récente (a-corrected.docx) "
                                 "est comptée")

    def texts(key: str, question: str) -> set[tuple[str, str, str, str]]:
        return {(question, r.read_texts()[key], r.file, " ".join(x for x in (r.name, f"<{r.email}>" if r.email else "")
                                                                  if x))
                for r in counted if key in r.texts}
    assert any("\n" in text for r in counted for text in r.read_texts().values())   # paragraphs and line breaks typed
    assert {(x["question"], x["text"], x["file"], x["respondent"]) for x in fb.lists["comments"]} == \
        texts("comments", "7")
    assert {(x["question"], x["text"], x["file"], x["respondent"]) for x in fb.lists["superfluous"]} == \
        texts("superfluous", "4")
    missing = {(x["file"], x["topic"], x["justification"]) for x in fb.lists["missing"]}
    assert missing == {(r.file, r.read_texts().get("topic", ""), r.read_texts().get("justification", ""))
                       for r in counted if "topic" in r.texts or "justification" in r.texts}
    errors = Counter((x["file"], x["error"], x["location"]) for x in fb.lists["errors"])
    expected_errors: Counter = Counter()
    for r in counted:   # errors on several lines, each with its location (the corpus types one per error), or none
        error, location = r.read_texts().get("error", ""), r.read_texts().get("location", "")
        if error or location:
            lines = error.split("\n")
            places = location.split("\n") if location else [""] * len(lines)
            expected_errors.update((r.file, e, p) for e, p in zip(lines, places, strict=True))
    assert errors == expected_errors
    assert sum(errors.values()) > len({f for f, _, _ in errors})   # some form gave several error rows
    assert aggregate([folder], processes=1).as_dict() == fb.as_dict()

    # the second round: the same folder again gives the same answer; a newer copy replaces the older one
    write(blanks, folder, Respondent("zz-third.docx", ticks={1: [1]}, email="jo@tpo.example",
                                     modified="2026-11-05T09:00:00Z"))
    again = aggregate([folder], processes=1)   # serial and parallel give the same (above): no second worker pool
    assert again.forms == fb.forms and again.questions[1].counts[0] == fb.questions[1].counts[0] + 1
    assert {p.file for p in again.problems if p.code == "resent"} == {"z-first.docx", "a-corrected.docx"}


def test_same_time_resent_keeps_the_last_file_name(blanks, tmp_path):
    for name, option in (("b.docx", 2), ("a.docx", 1)):
        write(blanks, tmp_path, Respondent(name, ticks={1: [option]}, email="lea@x.example",
                                           modified="2026-11-01T09:00:00Z"))
    write(blanks, tmp_path, Respondent("c.docx", ticks={1: [2]}, name="Lea"))   # same answers, no e-mail: counts
    fb = aggregate([tmp_path], processes=1)
    assert fb.questions[1].counts == [0, 2, 0, 0, 0]
    assert [(p.file, p.code) for p in fb.problems] == [("a.docx", "resent")]


def test_files_of_the_same_name_from_two_folders_are_two_forms(blanks, tmp_path):
    for folder, option, modified in (("mail", 1, "2026-11-01T09:00:00Z"), ("downloads", 3, "2026-11-02T09:00:00Z")):
        (tmp_path / folder).mkdir()
        write(blanks, tmp_path / folder, Respondent("formulaire.docx", ticks={1: [option]}, email="lea@x.example",
                                                    modified=modified))
    fb = aggregate([tmp_path / "mail" / "formulaire.docx", tmp_path / "downloads" / "formulaire.docx"], processes=1)
    assert fb.questions[1].counts == [0, 0, 1, 0, 0] and [p.code for p in fb.problems] == ["resent"]


def test_cli_json_is_complete(blanks, tmp_path):
    write(blanks, tmp_path, Respondent("one.docx", lang="en", ticks={1: [1], 2: [1], 3: [1], 8: [1]},
                                       texts={"topic": "Examples", "justification": "None exist", "error": "Typo",
                                              "location": "Table 8", "comments": "Great"},
                                       name="Sam", email="sam@x.example"))
    write(blanks, tmp_path, Respondent("two.docx", lang="en", ticks={1: [2, 3], 2: [1], 8: [2]}, how="after:X."))
    (tmp_path / "three.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "out" / "feedback.xlsx"
    result = CliRunner().invoke(cli, ["feedback", str(tmp_path), "-o", str(out), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["files"], data["forms"], data["set_aside"]) == (3, 2, 1)
    q1 = data["questions"]["1"]
    assert q1["counts"] == [1, 0, 0, 0, 0] and q1["total"] == 1 and q1["mean"] == 5.0
    assert q1["scale"] == "1 = Very dissatisfied, 5 = Very satisfied" and q1["options"][0] == "Very satisfied"
    assert data["questions"]["8"]["percentages"] == [50.0, 50.0, 0.0, 0.0, 0.0]
    who = {"respondent": "Sam <sam@x.example>", "file": "one.docx"}
    assert data["missing"] == [{"question": "5", "topic": "Examples", "justification": "None exist", **who}]
    assert data["errors"] == [{"question": "6", "error": "Typo", "location": "Table 8", **who}]
    assert data["comments"] == [{"question": "7", "text": "Great", **who}]
    assert {(p["file"], p["code"], p["set_aside"]) for p in data["problems"]} == {
        ("three.pdf", "not-docx", True), ("two.docx", "ambiguous", False)}
    table = CliRunner().invoke(cli, ["feedback", str(tmp_path), "-o", str(out), "--lang", "fr"])
    assert table.output.startswith("2 formulaires comptés sur 3 fichiers ; 1 mis de côté (voir Problèmes) ; rapport : ")
    assert "two.docx: question 1 : 2 options cochées" in table.output


def test_report_reads_at_a_glance_in_both_languages(blanks, tmp_path):
    write(blanks, tmp_path, Respondent("long.docx", ticks={1: [2], 2: [1], 3: [1], 8: [1]},
                                       texts={"comments": "Très long commentaire. " * 220}))
    (tmp_path / "x.txt").write_text("?")
    fb = aggregate([tmp_path], processes=1)
    for lang, sheets, mean, problem in (
            ("fr", ["Synthèse", "Rubriques superflues", "Rubriques manquantes", "Erreurs", "Commentaires", "Problèmes"],
             "Moyenne (1 = Très insatisfait, 5 = Très satisfait)", "pas un fichier .docx (.txt)"),
            ("en", ["Summary", "Superfluous topics", "Missing topics", "Errors", "Comments", "Problems"],
             "Mean (1 = Very dissatisfied, 5 = Very satisfied)", "not a .docx file (.txt)")):
        out = write_report(fb, tmp_path / lang / "feedback.xlsx", lang)
        wb = load_workbook(out)
        assert wb.sheetnames == sheets
        summary = wb[sheets[0]]
        assert summary["A2"].value == fb.headline(lang)
        cells = [c.value for row in summary.iter_rows() for c in row if c.value is not None]
        assert mean in cells and "Q1" not in cells
        charts = summary._charts
        assert len(charts) == 2  # satisfaction, recommendation: never one legend for both scales
        colours = [s.graphicalProperties.solidFill.srgbClr for s in charts[0].series]
        assert colours == ["1A9850", "91CF60", "BDBDBD", "FC8D59", "D73027"]  # best (green) to worst (red)
        assert all(s.dLbls.showVal for s in charts[0].series)
        assert summary.page_setup.fitToHeight == 1 and summary.page_setup.orientation == "landscape"
        comments = wb[sheets[4]]
        assert comments.row_dimensions[2].height > 300 and comments.print_title_rows == "$1:$1"
        problems = wb[sheets[5]]
        assert problems["A2"].value == "x.txt" and problem in problems["B2"].value


def test_missing_path_is_an_error(tmp_path):
    result = CliRunner().invoke(cli, ["feedback", str(tmp_path / "nope")])
    # no project, no --lang, no locale in the test's environment: French
    assert result.exit_code == 1 and result.stderr == f"Error: {tmp_path / 'nope'}: fichier ou dossier introuvable ; " \
                                                      "vérifiez le chemin\n"


def test_write_report_empty(tmp_path):
    write_report(aggregate([tmp_path], processes=1), tmp_path / "r.xlsx")
    summary = load_workbook(tmp_path / "r.xlsx")["Synthèse"]
    assert summary["A2"].value == "0 formulaire compté sur 0 fichier ; 0 mis de côté (voir Problèmes)"


@needs_soffice
def test_forms_filled_and_saved_in_libreoffice(blanks, tmp_path):
    filled = [fill(blanks["fr"], tmp_path / f"f{i}.docx", {1: [i], 2: [1], 3: [1], 8: [i]}, how=how,
                   texts={"comments": f"Commentaire {i}"}, where={"comments": "below"})
              for i, how in ((1, "word"), (2, "legacy"), (3, "over:X"))]
    # what LibreOffice does, in one run: forms ticked in Word re-saved; a blank form where the person typed in
    # Writer X after "Satisfait" (Q1, B2), after "Très satisfait" (Q2, A2) …, and a remark in its cell
    resave = resaving(filled, tmp_path / "lo")
    resaved = [tmp_path / "lo" / p.name for p in filled]
    typed = shutil.copyfile(blanks["fr"], tmp_path / "lo" / "typed.docx")
    typing = [("TYPE", table, cell, text) for table, cell, text in ((0, "B2", " X"), (1, "A2", " (x)"),
                                                                    (2, "E2", " ✓"), (7, "B2", " X."),
                                                                    (6, "B2", "Merci pour la trousse"))]
    libreoffice_run([*resave, ("OPEN", typed), *typing, ("SAVE", typed)])
    fb = aggregate([tmp_path / "lo"], processes=1)
    assert [p.code for p in fb.problems] == [] and fb.forms == 4
    assert fb.questions[1].counts == [1, 2, 1, 0, 0] and fb.questions[2].counts == [4, 0, 0, 0, 0]
    assert fb.questions[3].counts == [3, 0, 0, 0, 1] and fb.questions[8].counts == [1, 2, 1, 0, 0]
    assert sorted(c["text"] for c in fb.lists["comments"]) == ["Commentaire 1", "Commentaire 2", "Commentaire 3",
                                                        "Merci pour la trousse"]
    assert {c["file"] for c in fb.lists["comments"]} == {typed.name} | {p.name for p in resaved}


@needs_soffice
@pytest.mark.slow   # printed through LibreOffice, as the samples' forms are (see SLOW_FIXTURES in conftest.py)
def test_report_prints_summary_on_one_page(blanks, tmp_path):
    import subprocess

    from kitgen.infra.office import convert

    (tmp_path / "forms").mkdir()
    for r in corpus(40, seed=5):
        write(blanks, tmp_path / "forms", r)
    fb = aggregate([tmp_path / "forms"], processes=1)
    reports = {lang: write_report(fb, tmp_path / f"feedback-{lang}.xlsx", lang) for lang in ("fr", "en")}
    pdfs = dict(zip(reports, convert(list(reports.values()), "pdf", tmp_path / "pdf")))  # one LibreOffice call
    for lang, pdf in pdfs.items():
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")
        first = pages[0]
        assert fb.headline(lang).split(";")[0] in " ".join(first.split())
        assert ("Recommandation" if lang == "fr" else "Recommendation") in first
        # each list sheet prints whole columns side by side, not one column per page
        assert len([p for p in pages if p.strip()]) <= 8, len(pages)


def test_a_bombed_evaluation_form_is_set_aside_while_inflating(blanks, tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(blanks["fr"]) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED,
                                                                compresslevel=1) as zf:  # fastest: a bomb all the same
        for name in src.namelist():
            if name != "word/document.xml":
                zf.writestr(name, src.read(name))
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(110):  # 110 MB of spaces: past the 100 MB a part may inflate to
                part.write(b" " * (1024 * 1024))
    fb = aggregate([tmp_path], processes=1)
    [problem] = fb.problems
    assert problem.code == "unreadable" and "zip bomb" in problem.text("fr") and fb.set_aside == 1


def test_text_beside_the_options_is_kept_and_an_unknown_tick_never_guessed(blanks, tmp_path):
    path = fill(blanks["fr"], tmp_path / "f.docx", {1: [1], 2: [2]})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    tables = root.findall(".//w:body/w:tbl", NS)
    tables[0].addnext(paragraph("Le contenu est dense mais complet"))     # a remark under question 1
    cell = tables[1].findall("w:tr", NS)[1].findall("w:tc", NS)[1]        # question 2's "Satisfait", ticked …
    for t in cell.findall(".//w:p/w:r/w:t", NS):
        t.text = " Plutôt satisfait"                                          # … relabelled by the person
    cell.find("w:p", NS).append(run(""))
    parts["word/document.xml"] = etree.tostring(root)
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    fb = aggregate([path], processes=1)
    assert fb.questions[1].counts == [1, 0, 0, 0, 0] and fb.questions[2].total == 0
    assert [(c["question"], c["text"]) for c in fb.lists["comments"]] == [("1", "Le contenu est dense mais complet")]
    [problem] = fb.problems
    assert problem.text("en") == ("question 2: a tick beside a text that is no option (\u201cPlutôt satisfait\u201d), "
                                  "that answer is not counted")


def test_long_text_typed_after_a_question_and_beside_an_option(blanks, tmp_path):
    # texts longer than the labels the reader remembers between forms are read the same way, only not remembered
    long = "Très complet, " * 40
    path = fill(blanks["fr"], tmp_path / "f.docx", {1: [1]})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    question = next(t for t in root.iter(f"{{{NS['w']}}}t") if (t.text or "").startswith("7. "))
    question.text += " " + long                                           # typed after question 7's wording
    tables = root.findall(".//w:body/w:tbl", NS)
    option = tables[1].findall("w:tr", NS)[1].findall("w:tc", NS)[1]      # question 2's "Satisfait" …
    option.find("w:p", NS).append(run(" X " + long))                       # … marked, with a long text beside it
    parts["word/document.xml"] = etree.tostring(root)
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    answers = read(path)
    assert answers.texts["comments"] == long.strip() and answers.scales == {1: 1}
    assert answers.unrecognised[2].endswith(long.strip())


def test_the_form_added_up_is_named_only_by_its_module_and_its_registry_line():
    from kitgen.jobs.feedback import answered_form

    package = ROOT / "kitgen"
    spelled = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                     if f'"{answered_form().id}"' in p.read_text(encoding="utf-8"))
    assert spelled == ["forms/evaluation_form.py", "forms/registry.py"]
