"""click in the run's language: help texts (descriptions, option helps, metavars, examples, exit codes) translated
when they are shown — the language is known only once the command line is read, long after import — and click's own
words (Usage:, Options:, its usage errors) through the same catalog. The help's language: `--lang` on the command
line, else the user's locale, else French."""
from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Sequence
from typing import Any

import click

from . import exitcodes, i18n
from .i18n import _

# click's modules whose words a kitgen user can meet (the ones `import click` loads): help, usage errors, prompts
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")
HELP_OPTION_TEXT = "Show this message and exit."  # click's own msgid for -h/--help
VERSION_OPTION_TEXT = "Show the version and exit."  # click's own msgid for --version
LANG_OPTION = "--lang"
END_OF_OPTIONS = "--"


def route_click_words() -> None:
    """Point click's `_` and `ngettext` at the run's catalog. click translates with the stdlib's global gettext,
    which reads compiled .mo files of the system in the environment's language and has no way to be handed a catalog
    (pallets/click#2706); kitgen ships .po files and the run's language may come from `--lang`."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = i18n._  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.n_  # type: ignore[attr-defined]


def asked_language(args: Sequence[str]) -> str | None:
    """The language the command line asks for with `--lang X` or `--lang=X` (the last one, nearest the command;
    none after `--`), read before click parses anything: `--help` is shown while parsing, maybe before `--lang`."""
    asked = None
    for i, arg in enumerate(args):
        if arg == END_OF_OPTIONS:
            break
        if arg == LANG_OPTION and i + 1 < len(args):
            asked = args[i + 1]
        elif arg.startswith(LANG_OPTION + "="):
            asked = arg.partition("=")[2]
    return asked


def help_msgid(text: str) -> str:
    """A help text as the catalog knows it: dedented, each paragraph on one line (click rewraps paragraphs anyway),
    so that rewrapping the source does not change the key; a `\\b` paragraph (kept as written) is left alone."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(line.strip() for line in p.splitlines())
                       for p in paragraphs)


def translated(text: str | None) -> str:
    """A help text in the run's language ('' for none)."""
    return _(help_msgid(text)) if text else ""


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.?!])\s", text, maxsplit=1)[0]


class LocalisedFormatter(click.HelpFormatter):
    """click's formatter, headings written the language's way ('Options:' / 'Options :')."""

    def write_heading(self, heading: str) -> None:
        line = _("{heading}:").format(heading=heading)  # not in an f-string: Babel's extraction would miss it
        self.write(f"{'':>{self.current_indent}}{line}\n")


class LocalisedContext(click.Context):
    formatter_class = LocalisedFormatter


class LocalisedArgument(click.Argument):
    """An argument whose metavar (PROJECT / PROJET) is in the run's language, in the usage line and in click's
    errors about it ('Missing argument …')."""

    def make_metavar(self, ctx: click.Context) -> str:
        return _(super().make_metavar(ctx))


class LocalisedCommand(click.Command):
    """A command whose help is translated when shown: its description and summary, its options' helps and metavars,
    its examples; click's headings and defaults come through its own (routed) words."""

    context_class = LocalisedContext
    examples: Sequence[str] = ()  # command lines the help ends with (helptext.EXAMPLES)
    show_exit_codes = False  # the help ends with the exit-code table (`kitgen --help`)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The summary the parent's command list shows: whole, never cut with '...' (the list wraps it)."""
        return translated(self.short_help) or _first_sentence(translated(self.help))

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = translated(self.help)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [_(piece) for piece in super().collect_usage_pieces(ctx)]  # [OPTIONS], COMMAND [ARGS]...

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:  # click keeps it, worded in the language of its first use: word it when shown
            option.help = HELP_OPTION_TEXT
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [row for param in self.get_params(ctx) if isinstance(param, click.Option)
                for row in [_option_row(param, ctx)] if row]
        if rows:
            with formatter.section(_("Options")):
                formatter.write_dl(rows)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = translated(self.epilog)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)
        if self.examples:
            with formatter.section(_("Examples")):
                formatter.write_text("\b\n" + "\n".join(self.examples))  # \b: one command per line, never rewrapped
        if self.show_exit_codes:
            with formatter.section(_("Exit codes")):
                formatter.write_dl([(str(code), _(meaning)) for code, meaning in exitcodes.TABLE])


def _option_row(option: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """click's help row of `option` ('-o, --out FOLDER', 'Folder to write into.  [default: output]') with its help
    and its metavar translated; the bracketed extras are click's own words, already in the run's language."""
    row = option.get_help_record(ctx)
    if row is None:
        return None
    spec, text = row
    if option.help:  # click writes the help first, then its extras
        text = translated(option.help) + text.removeprefix(option.help)
    metavar = option.make_metavar(ctx)
    if not (option.is_flag or option.count) and spec.endswith(" " + metavar):
        spec = spec.removesuffix(metavar) + _(metavar)
    return spec, text


class LocalisedGroup(LocalisedCommand, click.Group):
    """A group whose help is translated when shown (its commands' summaries too); its commands and groups are
    localised as well. At the top of the command line, it sets the run's language before parsing: `--help` is
    answered while parsing."""

    command_class = LocalisedCommand

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:  # a new run: nothing asked yet (a --lang option's callback says so once parsed) …
            i18n.use(None)
            i18n.use(asked_language(args))  # … but until a command knows better, --lang, else the locale, else French
        return super().parse_args(ctx, args)


LocalisedGroup.group_class = LocalisedGroup


def lang_defaults(group: click.Group, lang: str) -> dict[str, Any]:
    """A default map giving `lang` to every command's `--lang` under `group`: `kitgen --lang en CMD` is
    `kitgen CMD --lang en`."""
    defaults: dict[str, Any] = {}
    for name, command in group.commands.items():
        entry: dict[str, Any] = {"lang": lang} if any(p.name == "lang" for p in command.params) else {}
        if isinstance(command, click.Group):
            entry.update(lang_defaults(command, lang))
        defaults[name] = entry
    return defaults
