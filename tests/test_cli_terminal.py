"""The CLI on a terminal: tables that fit 80 columns (COLUMNS honoured, 80 when piped) without splitting an id, a date
or a number, and one language per run (a French and an English run of every command, checked for the other
language's tell-tale words)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli

WIDTH = 80
LONG_AUDIT = "AUD-2026-ITSM-01"  # 16 characters: its findings' ids are 19 (AUD-2026-ITSM-01-F1)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


ANSI = re.compile(r"\x1b\[[0-9;]*m")
AS_TERMINAL = {"FORCE_COLOR": "1", "NO_COLOR": "1"}  # rich writes as to a terminal (lines wrapped), without colour


def run(*args: object, columns: int | None = WIDTH, **env: str):
    environ = {"COLUMNS": str(columns)} if columns else {"COLUMNS": ""}
    return CliRunner().invoke(cli, [str(a) for a in args], env={**environ, **env})


def terminal(*args: object) -> str:
    """What an 80-column terminal shows of stdout, styles (bold headers) taken out; no colour is asked for."""
    result = run(*args, **AS_TERMINAL)
    assert result.exit_code in (0, 3), result.output
    assert not re.search(r"\x1b\[[0-9;]*3\dm", result.stdout), "a colour despite NO_COLOR"
    return ANSI.sub("", result.stdout)


def _long_ids(sample_copy) -> Path:
    """The French sample whose first internal audit has a long id (so have its findings)."""
    project = sample_copy("fr")
    project.write_text(project.read_text(encoding="utf-8").replace("AUD-2026-01", LONG_AUDIT), encoding="utf-8")
    return project


def _harbour(tmp_path: Path) -> Path:
    """The README's harbour/: the English example with its processes' records lists emptied; `scan` has files to add."""
    from .tour import make_harbour

    make_harbour(tmp_path)
    return tmp_path / "harbour" / "project.yaml"


def _keys(project: Path) -> set[str]:
    """Ids the tables may show: audits', findings', actions' ids of the long-id project."""
    return set(re.findall(rf"{LONG_AUDIT}(?:-F\d+)?|PRE-2026(?:-F\d+)?|CA-\d+", project.read_text(encoding="utf-8")))


@pytest.mark.parametrize("command", [["findings", "--open", "--as-of", "2026-11-20"], ["findings"],
                                     ["coverage", "--as-of", "2026-11-29"], ["readiness", "--as-of", "2026-11-29"]],
                         ids=lambda c: " ".join(c))
def test_tables_fit_80_columns_and_keep_long_ids_whole(sample_copy, command):
    project = _long_ids(sample_copy)
    text = terminal(command[0], project, *command[1:])
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= WIDTH, text
    shown = {k for k in _keys(project) if k in text}
    assert any(k.startswith(f"{LONG_AUDIT}-F") for k in shown) or command[0] != "findings", text
    for line in lines:  # no id cut at the end of a line and carried on the next
        last = line.rstrip().split(" ")[-1] if line.strip() else ""
        assert not (last and any(k.startswith(last) and k != last and len(last) > 3 for k in _keys(project))
                    and not any(last.endswith(k) for k in _keys(project))), f"{last!r} cut in:\n{text}"
    for d in ISO_DATE.findall(Path(project).read_text(encoding="utf-8")):
        if d[:4] in text:  # a date shown is shown whole: never `2026-` at the end of a line
            assert not re.search(rf"{d[:5]}\s*\n", text), text


def test_scan_table_fits_and_keeps_dates_whole(tmp_path):
    project = _harbour(tmp_path)
    text = terminal("scan", project, "--dry-run")
    assert max(len(line.rstrip()) for line in text.splitlines()) <= WIDTH, text
    added = int(re.search(r"(\d+) files to add", text)[1])
    in_date_column = re.findall(r"  (\d{4}-\d{2}-\d{2})  +[a-z][a-z-]*(?:  |\s*$)", text, re.M)
    assert added > 50 and len(in_date_column) == added, text  # every row's date whole, on one line
    assert not re.search(r"\d-\s*\n", text), text  # no path broken inside a file's name (dated names)


def test_templates_list_lines_up_every_form():
    """The language and path columns start at the same place on every line, the longest form id's included."""
    lines = run("templates", "list").stdout.splitlines()
    starts = {re.search(r" (fr|en)  ", line).start() for line in lines}
    assert len(lines) > 20 and len(starts) == 1, lines


def test_width_follows_columns_and_is_80_when_piped(sample_copy):
    project = sample_copy("fr")
    wide = run("findings", project, "--open", "--as-of", "2026-11-20", columns=140).stdout
    piped = run("findings", project, "--open", "--as-of", "2026-11-20", columns=None).stdout
    assert max(len(line.rstrip()) for line in piped.splitlines()) <= WIDTH
    assert len(wide.splitlines()) < len(piped.splitlines())  # owners' names no longer wrapped


def test_quiet_hides_warnings_verbose_names_files(sample_copy, tmp_path):
    project = sample_copy("fr")  # the 2005 edition: validate warns that it is withdrawn
    assert "attention" in run("validate", project).stderr
    quiet = run("-q", "validate", project)
    assert quiet.exit_code == 0 and quiet.stderr == "" and "valide" in quiet.stdout
    verbose = run("-v", "package", sample_copy("en"), "-o", tmp_path / "p.zip")
    assert verbose.exit_code == 0, verbose.output
    assert "packaging: " in verbose.stderr and "/SHA256SUMS" not in verbose.stdout
    assert re.search(r"packaging: \d+/\d+ ", verbose.stderr), verbose.stderr
    assert run("-q", "-v", "validate", project).exit_code == 2


# English words that must not appear in a French run, French words that must not appear in an English run
ENGLISH = re.compile(r"\b(the|wrote|valid|findings?|clauses?|people|records?|overdue|files?|nothing|report|mean|"
                     r"best|owner|grade|status|due|gaps|title|kept|warning|template|events?|described|document)\b|"
                     r"\(s\)", re.I)
FRENCH = re.compile(r"\b(écrit|constats?|articles?|personnes|enregistrements?|valide|fichiers?|rien|rapport|moyenne|"
                    r"pilote|gravité|statut|échéance|lacunes|titre|gardée|attention|modèles?|événements?|décrits?|"
                    r"le|la|les|des|du|au)\b|\(s\)", re.I)


def _every_command(project: Path, tmp: Path, forms: Path) -> list[list[object]]:
    out = tmp / "out"
    return [["validate", project], ["scan", project, "--dry-run"], ["build", project, "action-plan", "-o", out],
            ["harvest", project, out / "action-plan.xlsx", "--dry-run"], ["findings", project, "--as-of", "2026-11-20"],
            ["coverage", project, "--as-of", "2026-11-29"], ["readiness", project, "--as-of", "2026-11-29"],
            ["calendar", project, "-o", tmp / "c.ics", "--as-of", "2026-11-29"],
            ["package", project, "-o", tmp / "p.zip"], ["feedback", forms, "-o", tmp / "f.xlsx"],
            ["templates", "export", tmp / "mine"],
            ["templates", "check", tmp / "mine" / "fr"]]   # what it says, in one language's templates (half the work)


def _data_words(project: Path) -> set[str]:
    """Words of the project's own data (names, titles, statements): what the user typed is not the CLI's language."""
    return {w.lower() for w in re.findall(r"\w+", project.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_language_per_run(sample_copy, tmp_path, lang):
    from .helpers import one_filled_form

    project = sample_copy(lang)
    forms = one_filled_form(project, tmp_path / "forms")
    other = ENGLISH if lang == "fr" else FRENCH
    typed = _data_words(project)
    for args in [["init", tmp_path / "new", "--lang", lang], *_every_command(project, tmp_path, forms)]:
        if args[0] == "templates":
            args = [*args, "--lang", lang]
        if args[0] == "feedback":
            args = [*args, "--lang", lang]
        result = run(*args)
        assert result.exit_code in (0, 3), (args, result.output)
        text = "\n".join(line for line in (result.stdout + result.stderr).splitlines())
        text = re.sub(r"\S*[/\\]\S*|\S+\.(docx|xlsx|yaml|zip|ics)\b", " ", text)  # paths are names, not words
        text = re.sub(r"[\w.]+-[\w.-]+", " ", text)  # nor are ids and codes: records-history, date_from: file-time
        wrong = {m.group(0) for m in other.finditer(text) if m.group(0).lower() not in typed}
        assert not wrong, f"kitgen {' '.join(map(str, args))} ({lang}): {sorted(wrong)} in\n{text}"


def test_numbers_and_plurals_follow_the_language(sample_copy, tmp_path):
    from .helpers import one_filled_form

    project = sample_copy("fr")
    forms = one_filled_form(project, tmp_path / "forms")
    fr = run("feedback", forms, "-o", tmp_path / "f.xlsx").stdout  # the form's language: French
    en = run("feedback", forms, "-o", tmp_path / "f.xlsx", "--lang", "en").stdout
    assert "moyenne 5,00 / 5" in fr and "mean 5.00 / 5" in en
    assert "0 rubrique superflue," in fr and "0 superfluous topics," in en  # French: 0 is singular
    assert "(s)" not in fr + en
    summary = run("validate", project).stdout
    assert "(12 personnes, 2 sites)" in summary and "6 octobre 2026" in summary


def _help_texts() -> set[str]:
    """Every help text of the command tree as the catalog knows it: descriptions, summaries, option helps, metavars
    and usage pieces (a choice's values are typed as they are: not translated), and the exit-code table."""
    import click

    from kitgen.cli import exitcodes, i18n
    from kitgen.cli.clicklang import HELP_OPTION_TEXT, help_msgid

    def tree(command: click.Command) -> list[click.Command]:
        subs = command.commands.values() if isinstance(command, click.Group) else []
        return [command, *(c for sub in subs for c in tree(sub))]

    texts = {meaning for _code, meaning in exitcodes.TABLE} | {HELP_OPTION_TEXT}
    was = i18n.language()
    i18n.use("en")  # metavars and usage pieces as the code spells them
    try:
        for command in tree(cli):
            ctx = click.Context(command)
            texts |= {help_msgid(text) for text in (command.help, command.short_help, command.epilog) if text}
            texts |= set(command.collect_usage_pieces(ctx))  # [OPTIONS], PROJECT, COMMAND [ARGS]...
            for param in command.params:
                if param.help:
                    texts.add(help_msgid(param.help))
                flag = isinstance(param, click.Option) and (param.is_flag or param.count)
                if not flag and not (param.metavar is None and isinstance(param.type, click.Choice)):
                    texts.add(param.make_metavar(ctx))
    finally:
        i18n.use(was)
    return texts


def _click_words() -> set[str]:
    """click's own words a kitgen user can meet (the modules kitgen routes through its catalog)."""
    import importlib

    from babel.messages.extract import extract_from_file

    from kitgen.cli.clicklang import CLICK_MODULES

    words = {"required"}  # click translates it from a variable (`[required]` after an option's help): not extracted
    for name in CLICK_MODULES:
        source = importlib.import_module(f"click.{name}").__file__
        words |= {m[1] if isinstance(m[1], str) else m[1][0]
                  for m in extract_from_file("python", source, keywords={"_": None, "ngettext": (1, 2)})}
    return words


def _french_catalog() -> list:
    from babel.messages.pofile import read_po

    from kitgen.cli.i18n import LOCALE_DIR

    messages = []
    for path in (LOCALE_DIR / "fr").glob("*.po"):
        with path.open("rb") as po:
            messages += [m for m in read_po(po, locale="fr") if m.id]
    return messages


def test_every_message_of_the_command_line_is_in_the_french_catalog():
    """What the CLI prints (`_()`, `n_()`), every help text of its commands, and click's own words."""
    from babel.messages.extract import extract_from_dir

    package = Path(__file__).resolve().parent.parent / "kitgen" / "cli"
    used = {m[2] if isinstance(m[2], str) else m[2][0]
            for m in extract_from_dir(package, keywords={"_": None, "n_": (1, 2)})}
    helps, words = _help_texts(), _click_words()
    assert len(helps) > 80 and len(words) > 50
    used |= helps | words
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in _french_catalog() if m.string and not m.fuzzy}
    assert len(used) > 200 and used <= translated, sorted(used - translated)


def test_french_catalog_names_only_its_english_placeholders():
    """A `{name}` the English does not pass would stop the run with a KeyError when the message is printed."""
    placeholder = re.compile(r"\{(\w*)[^{}]*\}|%\((\w+)\)")

    def names(texts) -> set[str]:
        return {a or b for text in texts for a, b in placeholder.findall(text)}

    wrong = {}
    for message in _french_catalog():
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        french = [message.string] if isinstance(message.string, str) else list(message.string)
        if not names(french) <= names(english):
            wrong[english[0]] = sorted(names(french) - names(english))
    assert not wrong, wrong


def test_every_message_below_the_command_line_is_in_the_french_catalog():
    """Errors and problems raised by jobs, forms, project, ooxml and infra mark their English msgids with N_(); each
    has a French translation, with the same {fields}."""
    import re

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    from kitgen.cli.i18n import LOCALE_DIR

    package = Path(__file__).resolve().parent.parent / "kitgen"
    used = {m[2] for m in extract_from_dir(package, keywords={"N_": None})}
    translated: dict[str, str] = {}
    for path in (LOCALE_DIR / "fr").glob("*.po"):
        with path.open("rb") as po:
            translated |= {m.id: m.string for m in read_po(po, locale="fr") if isinstance(m.id, str) and m.string}
    assert used and used <= set(translated), sorted(used - set(translated))
    fields = re.compile(r"\{(\w+)")
    wrong = [m for m in used if set(fields.findall(m)) != set(fields.findall(translated[m]))]
    assert not wrong, wrong
