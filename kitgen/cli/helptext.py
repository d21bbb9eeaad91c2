"""What `--help` adds to click's: each command's examples, and "did you mean" for a mistyped choice (a form id)."""
from __future__ import annotations

import difflib
from typing import Any

import click

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


def add_examples(group: click.Group) -> None:
    """End each command's help with its examples (kept out of the docstrings, which click also shows as summaries)."""
    for name, command in group.commands.items():
        if name in EXAMPLES:
            lines = "\n".join(f"  {example}" for example in EXAMPLES[name])
            command.epilog = f"\b\nExamples:\n{lines}"


class SuggestingChoice(click.Choice):
    """A click.Choice whose refusal says which choice was probably meant (`audit-reprot` → `audit-report`)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as err:
            close = difflib.get_close_matches(str(value), [str(c) for c in self.choices], n=1, cutoff=CLOSE_ENOUGH)
            if close:
                err.message = f"{err.message} Did you mean {close[0]!r}?"
            raise
