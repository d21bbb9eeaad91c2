"""The README's tour, run: every ```console block's commands, in order, in one empty folder, compared with the output
the README shows, so that the README cannot drift from the code.

What runs: each `$ ` line, through bash (pipes and `echo $?` work as typed; `$?` is the previous command's exit
code; at a lower CPU priority, see tests/installed.py), with `kitgen` installed from its wheel into a fresh virtualenv (tests/installed.py: the README's commands work
from an installed kitgen, not only from the source folder), from an empty folder where the tour's first commands
(`kitgen init … --example …`) make the projects. Files the tour uses beyond those are made just before the command
that first uses them, the way the README says they were made (tests/tour.py: the plan edited with openpyxl,
broken.yaml, fini.xlsx, harbour/, returned/).

What is compared: what a terminal shows — stdout and stderr together, in order — as lines (blank lines left out),
with
- each line's leading and trailing spaces dropped and runs of spaces made one: alignment and the widths of rich
  tables are not compared (a table's column widths follow rows the README may leave out); a table row compares as
  its cells' texts, a table rule as its kind and number of columns;
- the folder's absolute path dropped (`/tmp/…/tour/samples` reads `samples`);
- dates compared as printed: the tour gives `--as-of` wherever the output would follow today's date, so the same
  lines come out any day; today's own date is shown `<today>` in the real output, so that a command starting to
  print it shows in the diff as such (give it `--as-of`, or write `<today>` in the README).
A line that is exactly `…` in the README stands for any number of lines left out; a README line ending with ` …`
stands for a line that begins with what precedes it. On a mismatch the test shows, for every block that drifted,
the README block and the real output side by side as a unified diff (README lines `-`, real output `+`).
"""
from __future__ import annotations

import difflib
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from .conftest import ROOT
from .installed import lower_priority
from .tour import BEFORE

OMITTED = "…"
RULE_CHARS = "━─┏┓┗┛┡┩└┘┳┻╇┴┬┼╋┃│ "
COMMAND_TIMEOUT = 300  # seconds; one command of the tour takes a few


@dataclass
class Block:
    """One ```console block of the README: its commands, each with the output the README shows."""

    line: int                                   # where the block starts in README.md
    steps: list[tuple[str, list[str]]]


def console_blocks(readme: str) -> list[Block]:
    """The README's ```console blocks, each as (command, expected output lines) steps."""
    blocks: list[Block] = []
    lines = readme.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            block = Block(i + 1, [])
            i += 1
            while lines[i].strip() != "```":
                if lines[i].startswith("$ "):
                    block.steps.append((lines[i][2:], []))
                elif block.steps:
                    block.steps[-1][1].append(lines[i])
                i += 1
            blocks.append(block)
        i += 1
    return blocks


def normalise(line: str, folder: Path) -> str:
    """A line as compared: see the module docstring."""
    line = line.replace(f"{folder}/", "").replace(str(folder), ".").replace(date.today().isoformat(), "<today>")
    stripped = line.strip()
    if stripped and all(c in RULE_CHARS for c in stripped):  # a table's rule: its kind and its number of columns
        return re.sub(r"([━─])+", r"\1", stripped.replace(" ", ""))
    if stripped[:1] in "│┃":  # a table row: its cells
        return " │ ".join(" ".join(cell.split()) for cell in re.split("[│┃]", stripped.strip("│┃")))
    return " ".join(stripped.split())


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether `actual` is `expected` where each `…` line stands for any run of lines and a line ending with ` …`
    for a line that begins so."""
    def same(want: str, got: str) -> bool:
        return want == got or (want.endswith(f" {OMITTED}") and got.startswith(want[:-1].rstrip()))

    def match(e: int, a: int) -> bool:
        if e == len(expected):
            return a == len(actual)
        if expected[e] == OMITTED:
            return any(match(e + 1, k) for k in range(a, len(actual) + 1))
        return a < len(actual) and same(expected[e], actual[a]) and match(e + 1, a + 1)
    return match(0, 0)


def run_tour(folder: Path, bin_dir: Path) -> list[str]:
    """Run every block in `folder` with the `kitgen` of `bin_dir`; the diffs of the blocks whose output is not the
    README's."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONUNBUFFERED="1", LC_ALL="C.UTF-8", TZ="UTC")
    before = dict(BEFORE)
    drift: list[str] = []
    code = 0
    for block in console_blocks((ROOT / "README.md").read_text(encoding="utf-8")):
        expected: list[str] = []
        actual: list[str] = []
        for command, shown in block.steps:
            if command in before:
                before.pop(command)(folder)
            done = subprocess.run(["bash", "-c", f"(exit {code}); {command}"], cwd=folder, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=COMMAND_TIMEOUT,
                                  preexec_fn=lower_priority)
            code = done.returncode
            expected += [f"$ {command}", *(normalise(x, folder) for x in shown if x.strip())]
            actual += [f"$ {command}", *(normalise(x, folder) for x in done.stdout.splitlines() if x.strip())]
        if not matches(expected, actual):
            drift.append("\n".join(difflib.unified_diff(expected, actual, f"README.md, block at line {block.line}",
                                                        "real output", lineterm="", n=len(expected) + len(actual))))
    assert not before, f"tour steps whose command is no longer in the README: {sorted(before)}"
    return drift


@pytest.mark.slow
def test_readme_tour_runs_as_written(installed_kitgen, tmp_path):
    kit = installed_kitgen
    folder = tmp_path / "tour"
    folder.mkdir()
    drift = run_tour(folder, kit.bin)
    assert not drift, "the README's tour no longer shows what kitgen prints:\n\n" + "\n\n".join(drift)


def test_the_comparison_sees_drift_and_forgives_only_widths_and_omissions():
    folder = Path("/tmp/x/tour")
    table = ["┏━━━━━┳━━━━━━┓", "┃ id  ┃ due  ┃", "┡━━━━━╇━━━━━━┩", "│ A-1 │ 2026 │",
             "│ B-22 │ 2027 │", "└─────┴──────┘"]
    wider = [line.replace("━", "━━").replace("─", "──").replace(" │", "   │") for line in table]
    assert [normalise(x, folder) for x in table] == [normalise(x, folder) for x in wider]
    assert normalise("wrote /tmp/x/tour/output/a.docx", folder) == "wrote output/a.docx"
    assert matches(["a", OMITTED, "d"], ["a", "b", "c", "d"]) and matches(["a", OMITTED], ["a"])
    assert matches(["-> slm 6.1 → 8.3.3, …"], ["-> slm 6.1 → 8.3.3, reporting 6.2 → 9.4"])
    assert not matches(["a", OMITTED, "d"], ["a", "b", "c", "d", "e"])
    assert not matches(["│ A-1 │ 2026 │"], [normalise("│ A-1 │ 2027 │", folder)])
    assert not matches(["3 conflict(s) left"], ["2 conflict(s) left"])
