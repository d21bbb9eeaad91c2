"""Help in the user's language: `--lang` on the command line, else the user's locale, else French; every command's
help (descriptions, options, metavars, examples, exit codes, click's own words) and click's usage errors in it,
readable in 80 columns."""
from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli

WIDTH = 80
ENGLISH_USER = {"LANG": "en_GB.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
FRENCH_USER = {"LANG": "fr_FR.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
NO_LOCALE = {"LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}

# words a help in the other language would show (headings, click's own words, metavars, plain prose)
ENGLISH = re.compile(r"\b(the|of|and|to|with|only|this|default|Show|Fill|Check|Write|List|PROJECT|FOLDER|FILE|FORM|"
                     r"PATHS|COMMAND|Missing|Try)\b|\b(Usage|Options|Commands|Examples|Exit codes):")
FRENCH = re.compile(r"\b(le|la|les|des|du|et|pour|avec|dans|défaut|Afficher|Remplir|Vérifier|Lister|PROJET|DOSSIER|"
                    r"FICHIER|FORMULAIRE|CHEMINS|COMMANDE|Exemples|Commandes|manquant|Essayez)\b|\w :")


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command's words on the command line: (), ('build',), ('templates', 'vars') …"""
    found = [path]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(cli)


def help_of(args: list[str], env: dict[str, str | None]) -> str:
    result = CliRunner(env={**env, "COLUMNS": str(WIDTH)}).invoke(cli, args, prog_name="kitgen")
    assert result.exit_code == 0, result.output
    return result.stdout


def prose(text: str) -> str:
    """The help without what is typed as it is in every language: example command lines, options and their
    choices, paths, ids."""
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("kitgen "))
    text = re.sub(r"(?<!\w)--?[a-zA-Z][\w-]*|\[[\w:.|-]+\]|\S*[/\\]\S*|`[^`]*`", " ", text)
    return re.sub(r"\S+\.(yaml|ics|zip|xlsx|docx)\b|[\w.]+-[\w.-]+", " ", text)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "kitgen")
def test_help_is_in_the_users_language(path):
    french = help_of([*path, "--help"], FRENCH_USER)
    english = help_of([*path, "--help"], ENGLISH_USER)
    assert "Usage :" in french and "Options :" in french and "Afficher cette aide et quitter." in french
    assert "Usage:" in english and "Options:" in english and "Show this message and exit." in english
    wrong = sorted({m.group(0) for m in ENGLISH.finditer(prose(french))})
    assert not wrong, f"English in French help: {wrong}\n{french}"
    wrong = sorted({m.group(0) for m in FRENCH.finditer(prose(english))})
    assert not wrong, f"French in English help: {wrong}\n{english}"
    for text in (french, english):
        too_long = [line for line in text.splitlines() if len(line) > WIDTH]
        assert not too_long, too_long


def test_top_help_lists_every_command_whole_and_ends_with_the_exit_codes():
    french = help_of(["--help"], FRENCH_USER)
    assert "Commandes :" in french and "Codes de sortie :" in french
    assert "  build      Remplir les formulaires Word et Excel à partir du projet." in french
    assert "  4  harvest : conflits restants" in french
    for text in (french, help_of(["--help"], ENGLISH_USER)):
        assert "..." not in text.split("Command", 1)[1], text  # no summary cut short


def test_lang_on_the_command_line_wins_over_the_locale():
    for args in (["build", "--lang", "en", "--help"], ["build", "--lang=en", "--help"],
                 ["--lang", "en", "build", "--help"], ["--lang", "en", "--help"]):
        text = help_of(args, FRENCH_USER)
        assert text.startswith("Usage: kitgen"), (args, text)
    assert help_of(["build", "--lang", "fr", "--help"], ENGLISH_USER).startswith("Usage : kitgen build [OPTIONS] PROJET")
    # the command's own --lang, nearest the command, wins over the one given before it
    assert help_of(["--lang", "fr", "build", "--lang", "en", "--help"], FRENCH_USER).startswith("Usage: kitgen")
    # `--lang` after `--` is not an option
    assert help_of(["build", "--help", "--", "--lang", "en"], FRENCH_USER).startswith("Usage : kitgen")


def test_without_a_french_or_english_locale_help_is_french():
    assert help_of(["build", "--help"], NO_LOCALE).startswith("Usage : kitgen build [OPTIONS] PROJET [FORMULAIRE]...")
    assert help_of(["build", "--help"], {**NO_LOCALE, "LC_ALL": "en_US.UTF-8"}).startswith("Usage: kitgen build")


def test_help_is_worded_anew_on_each_run():
    """click keeps the -h option it makes on first use: its text must not stay in that run's language."""
    for env, words in ((FRENCH_USER, "Afficher cette aide"), (ENGLISH_USER, "Show this message"),
                       (FRENCH_USER, "Afficher cette aide")):
        for path in (["validate"], [], ["templates", "vars"]):
            assert words in help_of([*path, "--help"], env)


@pytest.mark.parametrize("args, french, english", [
    (["build"], "Argument manquant : 'PROJET'.", "Missing argument 'PROJECT'."),
    (["validate", "x.yaml", "--colour"], "Option inconnue : '--colour'.", "No such option '--colour'."),
    (["frob"], "Commande inconnue : 'frob'.", "No such command 'frob'."),
    (["findings", "x.yaml", "--as-of", "2026-13-01"], "Valeur invalide pour '--as-of' : '2026-13-01' ne suit pas",
     "Invalid value for '--as-of': '2026-13-01' does not match"),
    (["scan", "x.yaml", "-j", "deux"], "'deux' n'est pas un nombre valide.", "'deux' is not a valid integer range."),
    (["-q", "-v", "validate", "x.yaml"], "-q et -v se contredisent", "-q and -v contradict each other"),
], ids=["missing argument", "unknown option", "unknown command", "bad date", "bad number", "own usage error"])
def test_usage_errors_are_in_the_users_language(args, french, english):
    fr = CliRunner(env=FRENCH_USER).invoke(cli, args, prog_name="kitgen")
    en = CliRunner(env=ENGLISH_USER).invoke(cli, args, prog_name="kitgen")
    assert fr.exit_code == en.exit_code == 2
    assert french in fr.stderr and "Essayez '" in fr.stderr and fr.stderr.startswith("Usage : kitgen"), fr.stderr
    assert english in en.stderr and "Try '" in en.stderr and en.stderr.startswith("Usage: kitgen"), en.stderr
    # the Error: prefix stays English in both (scripts look for it)
    assert "\nError: " in fr.stderr and "\nError: " in en.stderr


def test_lang_before_the_command_is_the_commands_own(tmp_path):
    from .conftest import SAMPLE_FR

    given_before = CliRunner(env=FRENCH_USER).invoke(cli, ["--lang", "en", "validate", str(SAMPLE_FR)])
    given_after = CliRunner(env=FRENCH_USER).invoke(cli, ["validate", str(SAMPLE_FR), "--lang", "en"])
    assert given_before.exit_code == 0 and given_before.stdout == given_after.stdout
    assert ": valid\n" in given_before.stdout
    nested = CliRunner(env=FRENCH_USER).invoke(cli, ["--lang", "en", "templates", "export", str(tmp_path / "t")])
    assert nested.exit_code == 0 and nested.stdout.startswith("wrote "), nested.output
