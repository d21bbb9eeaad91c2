"""Errors as data: each problem renders one line in the run's language, travels between processes with its fields,
and a project file's errors are in the language the file says it is written in (or the one --lang asks for)."""
from __future__ import annotations

import pickle
import re

from click.testing import CliRunner

from kitgen.cli.commands import cli
from kitgen.errors import N_, ProjectFileError, ReadbackError, problem

from .conftest import MINIMAL

# broken projects: a file's shape (a misspelled key, a word for a number, a wrong date), then its references (an
# unknown person, an end before its start, a duplicate id: checked once the shape is right)
SHAPE = (MINIMAL.replace("  headcount: 3\n", "  headcount: trois\n  sites: 2\n").replace("    due: 2026-06-30\n",
                                                                                        "    due: 2026-02-30\n"))
REFERENCES = (MINIMAL.replace("            owner: ana\n", "            owner: zoe\n")
              .replace("    end: 2026-05-02\n", "    end: 2026-04-02\n").replace("  - id: bob\n", "  - id: ana\n"))
ENGLISH_WORDS = re.compile(r"\b(is|not|unknown|duplicate|before|the|missing|used)\b")
FRENCH_WORDS = re.compile(r"\b(est|pas|inconnue?|double|précède|déjà|vouliez|clé)\b")


def _errors(path, *options: str) -> list[str]:
    result = CliRunner().invoke(cli, ["validate", str(path), *options])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(f"Error: {path}:") for line in lines)
    # the words, without `Error: file:line:col: ` and the YAML path (keys are the file's, not words)
    return [re.sub(r"^Error: [^:]+:\d+:\d+: ([\w.\[\]]+: )?", "", line) for line in lines]


def test_a_project_file_s_errors_are_in_its_language(write):
    for broken, count in ((SHAPE, 3), (REFERENCES, 3)):
        french = _errors(write(broken))
        assert len(french) >= count and not [m for m in french if ENGLISH_WORDS.search(m)], french
        english = _errors(write(broken.replace("language: fr", "language: en")))
        assert len(english) == len(french) and not [m for m in english if FRENCH_WORDS.search(m)], english
        assert _errors(write(broken), "--lang", "en") == english  # --lang wins over the file's language
    assert "'2026-02-30' n'est pas une date valide ; écrivez-la sous la forme YYYY-MM-DD" in _errors(write(SHAPE))
    assert "la fin (2 avril 2026) précède le début (1er mai 2026)" in french  # dates in a sentence written out
    assert "end 2 April 2026 is before start 1 May 2026" in english


def test_a_yaml_syntax_error_is_in_the_language_its_text_says(write):
    broken = MINIMAL.replace("language: fr", "language: en").replace('  legal_name: "Mini SAS"\n',
                                                                     '  legal_name: "Mini SAS\n')
    [message] = _errors(write(broken))
    assert message.startswith("YAML syntax error")
    [message] = _errors(write(broken.replace("language: en", "language: fr")))
    assert message.startswith("erreur de syntaxe YAML")


def test_a_problem_is_one_line_of_its_fields():
    found = problem(N_("{value!r} is not a valid date"), "plan.xlsx", place="Actions!F3", value="31/02/2027",
                    expected="DD/MM/YYYY", hint=N_("write it as {expected}"), code="not-a-date")
    assert found.render() == "plan.xlsx: Actions!F3: '31/02/2027' is not a valid date; write it as DD/MM/YYYY"
    assert found.as_dict()["path"] == "Actions!F3" and found.as_dict()["value"] == "31/02/2027"


def test_errors_travel_between_processes_with_their_fields():
    err = ReadbackError(N_("a form of project {other!r}, not {project!r}"), "f.docx", other="a", project="b",
                        code="other-project")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is ReadbackError and back.problems == err.problems and str(back) == str(err)
    located = ProjectFileError("p.yaml", [problem(N_("required key is missing"), "p.yaml", line=2, column=1,
                                                  place="scope", code="missing-key")])
    back = pickle.loads(pickle.dumps(located))
    assert back.path == located.path and back.problems[0].line == 2 and str(back) == "p.yaml:2:1: scope: required key is missing"
