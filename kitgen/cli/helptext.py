"""What `--help` adds to click's: each command's summary and examples, and "did you mean" for a mistyped choice (a form
id)."""
from __future__ import annotations

from typing import Any

import click

from .clicklang import LocalisedCommand
from .i18n import _

# what a command list (`kitgen --help`, `kitgen templates --help`) shows of each command: one short line, never cut
SUMMARIES: dict[str, str] = {
    "init": "Write a starter project file, or copy an example project.",
    "validate": "Check a project file; print its summary or its problems.",
    "scan": "Add the files found in the processes' folders to the project.",
    "schema": "Print the JSON Schema of the project file.",
    "build": "Fill the Word and Excel forms from the project.",
    "templates": "List, export and check the Word/Excel templates.",
    "templates list": "List the shipped templates.",
    "templates export": "Copy the shipped templates into a folder, to edit them.",
    "templates check": "Check the templates of a folder.",
    "templates vars": "List the variables a form's template can use, with their values.",
    "harvest": "Read filled forms back into the project.",
    "findings": "List every finding with its status, owner and due date.",
    "coverage": "Show the clauses each audit covered, and the gaps.",
    "readiness": "Say whether the organisation is ready for its next audit.",
    "calendar": "Write the certification cycle's dates as an .ics calendar.",
    "package": "Compile the documentation package for the auditors.",
    "feedback": "Aggregate filled evaluation forms into a report.",
}

# how close a mistyped choice must be to be suggested (difflib's ratio; its own default): `audit-reprot` finds
# `audit-report`, a word unlike every choice finds nothing
CLOSE_ENOUGH = 0.6
EXAMPLES: dict[str, list[str]] = {
    "init": ["kitgen init myproject --lang fr", "kitgen init samples/en --example en"],
    "validate": ["kitgen validate projet.yaml", "kitgen validate projet.yaml --format json"],
    "scan": ["kitgen scan projet.yaml --dry-run", "kitgen scan projet.yaml -j 2"],
    "schema": ["kitgen schema > kitgen.schema.json"],
    "build": ["kitgen build projet.yaml", "kitgen build projet.yaml audit-report --audit AUD-2026-01 --pdf",
              "kitgen build projet.yaml --lang en -o output/en"],
    "harvest": ["kitgen harvest projet.yaml output/action-plan.xlsx", "kitgen harvest projet.yaml returned/ --dry-run",
                "kitgen harvest projet.yaml returned/ --prefer form"],
    "findings": ["kitgen findings projet.yaml --open", "kitgen findings projet.yaml --as-of 2026-11-20 --format csv"],
    "coverage": ["kitgen coverage projet.yaml", "kitgen coverage projet.yaml --format csv > coverage.csv"],
    "readiness": ["kitgen readiness projet.yaml", "kitgen readiness projet.yaml --for stage2 --as-of 2027-02-01"],
    "calendar": ["kitgen calendar projet.yaml", "kitgen calendar projet.yaml -o ~/cycle.ics"],
    "package": ["kitgen package projet.yaml", "kitgen package projet.yaml --lang en -o auditors.zip"],
    "feedback": ["kitgen feedback returned/", "kitgen feedback returned/ --lang en --format json"],
    "templates": ["kitgen templates export mine/", "kitgen templates check mine/",
                  "kitgen templates vars audit-report"],
}


def add_summaries_and_examples(group: click.Group, prefix: str = "") -> None:
    """Give each command under `group` its summary and examples (kept out of the docstrings, which are the help)."""
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        command.short_help = SUMMARIES.get(path, command.short_help)
        if isinstance(command, LocalisedCommand):
            command.examples = EXAMPLES.get(path, ())
        if isinstance(command, click.Group):
            add_summaries_and_examples(command, f"{path} ")


class SuggestingChoice(click.Choice):
    """A click.Choice whose refusal says which choice was probably meant (`audit-reprot` → `audit-report`)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as err:
            import difflib  # only for a mistyped choice: not imported by every run

            close = difflib.get_close_matches(str(value), [str(c) for c in self.choices], n=1, cutoff=CLOSE_ENOUGH)
            if close:
                err.message = _("{message} Did you mean {choice!r}?").format(message=err.message, choice=close[0])
            raise
