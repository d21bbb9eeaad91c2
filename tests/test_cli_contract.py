"""The CLI contract: one exit-code table for every command (each row a command and a case → its code and the stream it
speaks on), and a closed pipe that ends the run quietly with 0."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli
from kitgen.cli.exitcodes import CONFLICTS_LEFT, DONE, NOT_READY, USAGE, USER_ERROR

from .conftest import SAMPLE_EN, SAMPLE_FR
from .helpers import edit_plan

# an English user's terminal: click's words (Usage:, its usage errors) and the help follow the user's locale
ENGLISH = {"LANG": "en_GB.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
FRENCH = {"LANG": "fr_FR.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}


@dataclass
class Case:
    """A command line (built in a test folder) and what it must give: exit code, and where its first line goes."""

    name: str
    args: Callable[[Path, Callable[..., Path]], list[str]]
    code: int
    stream: str             # "stdout", "stderr": the stream that holds the run's answer
    first: str = ""         # what the stream's first line starts with ("" for any)


def _conflict(tmp: Path, sample_copy: Callable[..., Path]) -> list[str]:
    """The README tour's conflict: CA-2's due date moved both in the plan and in the project file."""
    project = sample_copy("fr")
    out = tmp / "out"
    assert CliRunner().invoke(cli, ["build", str(project), "action-plan", "-o", str(out)]).exit_code == 0
    edit_plan(out / "action-plan.xlsx", out / "action-plan.xlsx", {"CA-2": {"Échéance": "2026-12-20"}})
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("due: 2026-12-15", "due: 2027-01-10", 1), encoding="utf-8")
    return ["harvest", str(project), str(out / "action-plan.xlsx")]


CASES = [
    Case("validate ok", lambda t, s: ["validate", str(SAMPLE_EN)], DONE, "stdout"),
    Case("missing project file", lambda t, s: ["validate", str(t / "nope.yaml")], USER_ERROR, "stderr", "Error: "),
    Case("folder for the project file", lambda t, s: ["validate", str(t)], USER_ERROR, "stderr", "Error: "),
    Case("folder for the project file (findings)", lambda t, s: ["findings", str(t)], USER_ERROR, "stderr",
         "Error: "),
    Case("missing project file (readiness)", lambda t, s: ["readiness", str(t / "x.yaml")], USER_ERROR, "stderr",
         "Error: "),
    Case("folder for the calendar file", lambda t, s: ["calendar", str(SAMPLE_EN), "-o", str(t)], USER_ERROR,
         "stderr", "Error: "),
    Case("folder for the package zip", lambda t, s: ["package", str(SAMPLE_EN), "-o", str(t)], USER_ERROR,
         "stderr", "Error: "),
    Case("file for the output folder", lambda t, s: ["build", str(SAMPLE_EN), "-o", str(SAMPLE_EN)], USER_ERROR,
         "stderr", "Error: "),
    Case("file for the templates folder", lambda t, s: ["templates", "check", str(SAMPLE_EN)], USER_ERROR,
         "stderr", "Error: "),
    Case("feedback: nothing counted", lambda t, s: ["feedback", str(t), "-o", str(t / "r.xlsx")], USER_ERROR,
         "stderr", "Error: aucune fiche d'évaluation comptée"),
    Case("feedback: folder for the report", lambda t, s: ["feedback", str(t), "-o", str(t)], USER_ERROR, "stderr",
         "Error: "),
    Case("unknown option", lambda t, s: ["validate", str(SAMPLE_EN), "--colour"], USAGE, "stderr", "Usage : "),
    Case("unknown form", lambda t, s: ["build", str(SAMPLE_EN), "audit-reprot"], USAGE, "stderr", "Usage : "),
    Case("missing argument", lambda t, s: ["harvest", str(SAMPLE_EN)], USAGE, "stderr", "Usage : "),
    Case("not ready", lambda t, s: ["readiness", str(SAMPLE_FR), "--as-of", "2026-11-29"], NOT_READY, "stdout",
         "ÉCHEC"),
    Case("ready", lambda t, s: ["readiness", str(SAMPLE_EN), "--as-of", "2026-11-29"], DONE, "stdout"),
    Case("conflicts left", _conflict, CONFLICTS_LEFT, "stdout"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_exit_code_table(case: Case, tmp_path: Path, sample_copy: Callable[..., Path]) -> None:
    result = CliRunner(env=FRENCH).invoke(cli, case.args(tmp_path, sample_copy))  # the kit's usual user
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == case.code, (result.stdout, result.stderr)
    text = result.stdout if case.stream == "stdout" else result.stderr
    assert text.strip(), f"nothing on {case.stream}"
    assert text.lstrip().startswith(case.first), text
    if case.code == USER_ERROR:  # one `Error:` line, nothing on stdout but what was done before the error
        assert sum(1 for line in result.stderr.splitlines() if line.startswith("Error: ")) == 1, result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["findings", str(SAMPLE_FR)], ["schema"], ["coverage", str(SAMPLE_EN)]])
def test_closed_pipe_exits_quietly_with_0(args: list[str]) -> None:
    """`kitgen … | head -1`: the reader closes the pipe before kitgen writes; kitgen says nothing and exits 0."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first write: every write meets a broken pipe
    proc = subprocess.run([sys.executable, "-m", "kitgen", *args], stdout=write, stderr=subprocess.PIPE, timeout=60)
    os.close(write)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""


def test_help_shows_the_exit_code_table() -> None:
    text = CliRunner(env=ENGLISH).invoke(cli, ["--help"]).stdout
    assert "Exit codes:" in text
    for code in (DONE, USER_ERROR, USAGE, NOT_READY, CONFLICTS_LEFT):
        assert f"  {code}  " in text


@pytest.mark.parametrize("env, heading", [(ENGLISH, "Examples:"), (FRENCH, "Exemples :")], ids=["en", "fr"])
@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_help_ends_with_examples(command: str, env: dict[str, str | None], heading: str) -> None:
    text = CliRunner(env=env).invoke(cli, [command, "--help"]).stdout
    tail = text.rstrip().split(heading)
    assert len(tail) == 2, text
    examples = [line.strip() for line in tail[1].splitlines() if line.strip()]
    assert 1 <= len(examples) <= 3 and all(e.startswith(f"kitgen {command}") for e in examples), examples
    assert "%Y" not in text  # dates show as DATE, not as a strftime pattern


def test_unknown_form_gets_a_did_you_mean() -> None:
    result = CliRunner(env=ENGLISH).invoke(cli, ["build", str(SAMPLE_EN), "audit-reprot"])
    assert result.exit_code == USAGE and "Did you mean 'audit-report'?" in result.stderr
    result = CliRunner(env=FRENCH).invoke(cli, ["build", str(SAMPLE_EN), "audit-reprot"])
    assert result.exit_code == USAGE and "Vouliez-vous dire 'audit-report' ?" in result.stderr
    result = CliRunner().invoke(cli, ["findings", str(SAMPLE_EN), "--as-o", "2026-01-01"])
    assert result.exit_code == USAGE and "--as-of" in result.stderr
