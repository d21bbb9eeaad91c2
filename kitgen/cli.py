"""The kitgen command line: parse arguments, call one library function, print. Nothing else lives here."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .errors import KitgenError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FRAMEWORKS = ("iso20000-1:2005", "iso20000-1:2011", "iso20000-1:2018")
project_arg = click.argument("project", type=click.Path(path_type=Path, dir_okay=False))


class KitgenGroup(click.Group):
    """Turns every KitgenError into one `Error: …` line and its exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KitgenError as err:
            click.echo(f"Error: {err}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=KitgenGroup, context_settings=CONTEXT)
@click.version_option(package_name="kitgen")
def cli() -> None:
    """Fill and read back the Word and Excel forms of an ISO/IEC 20000-1 certification project."""


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True, help="Language of the project.")
@click.option("--framework", type=click.Choice(FRAMEWORKS), default="iso20000-1:2005", show_default=True)
def init(folder: Path, lang: str, framework: str) -> None:
    """Write a commented starter project file in FOLDER."""
    from .project.starter import init_project

    path = init_project(folder, lang=lang, framework=framework)
    click.echo(f"Wrote {path}; edit it, then run: kitgen validate {path}")


@cli.command()
@project_arg
def validate(project: Path) -> None:
    """Check PROJECT; print a summary, or every problem as FILE:LINE:COL."""
    from .project import load_project
    from .summary import summarise

    pf = load_project(project)
    click.echo(f"{project}: valid")
    for line in summarise(pf.project).lines():
        click.echo(line)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the project file."""
    from .project.schema import schema_text

    click.echo(schema_text(), nl=False)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kitgen")


if __name__ == "__main__":
    sys.exit(main())
