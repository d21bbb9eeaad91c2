"""The kitgen command line: parse arguments, call one library function, print. Nothing else lives here."""
from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import N_, KitgenError
from ..forms.registry import form_ids
from . import exitcodes, i18n
from .clicklang import VERSION_OPTION_TEXT, LocalisedArgument, LocalisedGroup, lang_defaults, route_click_words
from .helptext import SuggestingChoice, add_summaries_and_examples
from .i18n import _, n_
from .jsonout import META_KEY, document
from .output import NORMAL, QUIET, VERBOSE, closed_pipe, info, progress, set_verbosity
from .paths import FILE, FOLDER
from .problems import error_lines, error_objects, line, objects

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
FRAMEWORKS = ("iso20000-1:2005", "iso20000-1:2011", "iso20000-1:2018")
VALUE_SHOWN = 80   # characters of a template variable's value `templates vars` shows: enough to recognise it
# the system's words for the usual file errors are English (C locale): ours are in the run's language
OS_REASONS = {errno.ENOENT: N_("no such file or folder"), errno.EEXIST: N_("already exists"),
              errno.EACCES: N_("permission denied"), errno.EPERM: N_("permission denied"),
              errno.ENOSPC: N_("no space left on the disk"), errno.EROFS: N_("read-only file system"),
              errno.EISDIR: N_("is a folder, not a file"), errno.ENOTDIR: N_("a part of the path is a file, not a folder")}
project_arg = click.argument("project", type=FILE, metavar="PROJECT", cls=LocalisedArgument)


class KitgenGroup(LocalisedGroup):
    """Turns every KitgenError into one `Error: …` line and its exit code, in one place."""

    show_exit_codes = True  # `kitgen --help` ends with the exit-code table

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KitgenError as err:
            if ctx.meta.get(META_KEY):  # a script asked for JSON: the errors as objects on stdout, as well
                click.echo(document(ctx.meta[META_KEY], {"ok": False, "errors": error_objects(err)}))
            _echo_error(err)
            ctx.exit(err.exit_code)
        except BrokenPipeError:  # the output was piped into a program that stopped reading (head): nothing to say
            closed_pipe()
        except OSError as err:  # disk full, no permission, read-only folder: the user's to fix, not a crash
            where = f"{err.filename}: " if err.filename else ""
            reason = _(OS_REASONS[err.errno]) if err.errno in OS_REASONS else err.strerror or str(err)
            click.echo(f"Error: {where}{reason}; " + _("check the path and its permissions"), err=True)
            ctx.exit(exitcodes.USER_ERROR)


def _remember_json(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Note in the context shared by the whole run that this command prints JSON (its errors too)."""
    if value == "json":
        ctx.meta[META_KEY] = ctx.command_path.split(" ", 1)[-1]
    return value


def format_option(*choices: str, help: str | None = None) -> Callable[[Any], Any]:
    """`--format table|json[|csv]`: json prints one versioned document (see README, JSON output)."""
    return click.option("--format", "fmt", type=click.Choice(["table", *choices]), default="table",
                        show_default=True, is_eager=True, callback=_remember_json, help=help)


def _echo_error(err: KitgenError) -> None:
    """One `Error: …` line per problem on stderr (the English prefix stays: scripts look for it)."""
    for text in error_lines(err):
        click.echo(f"Error: {text}", err=True)


def _fail_after_json(ctx: click.Context, err: KitgenError) -> None:
    """The JSON (errors included) is printed: the terminal's `Error:` lines, and the error's exit code."""
    _echo_error(err)
    ctx.exit(err.exit_code)


def lang_option(help: str = "Language of what is printed (default: the project's).") -> Callable[[Any], Any]:
    """`--lang fr|en`: one language for everything the run prints."""
    return click.option("--lang", type=click.Choice(i18n.LANGUAGES), callback=i18n.asked, help=help)


def _project_in(pf: Any, lang: str | None) -> Any:
    """The run's language (`--lang`, else the project's) made current; the project read in it (the jobs write their
    messages in the project's language): for the commands that only read the project."""
    if lang and lang != pf.project.language:
        pf.project = pf.project.model_copy(update={"language": lang})
    i18n.use(pf.project.language)
    return pf


@click.group(cls=KitgenGroup, context_settings=CONTEXT)
@click.version_option(package_name="kitgen", help=VERSION_OPTION_TEXT)
@click.option("-q", "--quiet", is_flag=True, help="Print results and errors only: no warnings, no progress.")
@click.option("-v", "--verbose", is_flag=True, help="Also name each file as long work reads or writes it (stderr).")
@click.option("--lang", type=click.Choice(i18n.LANGUAGES),
              help="Language of the help and of what is printed, as a command's own --lang. Help without --lang: "
                   "in the user's locale (LC_ALL, LC_MESSAGES, LANG) if French or English, else in French.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool, lang: str | None) -> None:
    """Fill and read back the Word and Excel forms of an ISO/IEC 20000-1 certification project."""
    if quiet and verbose:
        raise click.UsageError(_("-q and -v contradict each other; give one"))
    set_verbosity(QUIET if quiet else VERBOSE if verbose else NORMAL)
    if lang:
        ctx.default_map = lang_defaults(cli, lang)


@cli.command()
@click.argument("folder", type=FOLDER, default=".", cls=LocalisedArgument)
@click.option("--lang", type=click.Choice(["fr", "en"]), callback=i18n.asked,
              help="Language of the project.  [default: fr]")
@click.option("--framework", type=click.Choice(FRAMEWORKS),
              help="Edition of ISO/IEC 20000-1 (2018 is the current one; 2005 and 2011 are withdrawn).  "
                   "[default: iso20000-1:2018]")
@click.option("--example", type=click.Choice(["fr", "en"]),
              help="Copy an example project instead (fr: 2005 edition, not ready; en: 2018, ready for stage 1), "
                   "with its evidence files, to follow the README's tour.")
@format_option("json")
def init(folder: Path, lang: str | None, framework: str | None, example: str | None, fmt: str) -> None:
    """Write a commented starter project file in FOLDER (or a copy of an example project)."""
    from ..project.starter import init_example, init_project

    if example:
        if lang or framework:
            raise click.UsageError(_("--example copies an example project as it is; drop --lang and --framework"))
        i18n.use(example)
        path, count = init_example(folder, example)
        if fmt == "json":
            click.echo(document("init", {"written": str(path), "evidence_files": count}))
            return
        click.echo(n_("Wrote {path} and its {n} evidence file; try: kitgen validate {path}",
                      "Wrote {path} and its {n} evidence files; try: kitgen validate {path}", count)
                   .format(path=path, n=count))
        return
    i18n.use(lang or i18n.DEFAULT)
    path = init_project(folder, lang=i18n.language(), framework=framework or "iso20000-1:2018")
    if fmt == "json":
        click.echo(document("init", {"written": str(path), "evidence_files": 0}))
        return
    click.echo(_("Wrote {path}; edit it, then run: kitgen validate {path}").format(path=path))


@cli.command()
@project_arg
@format_option("json")
@lang_option()
def validate(project: Path, fmt: str, lang: str | None) -> None:
    """Check PROJECT; print a summary, or every problem as FILE:LINE:COL."""
    from ..frameworks import get_framework
    from ..project import load_project
    from .summary import summarise

    pf = _project_in(load_project(project), lang)
    warning = get_framework(pf.project.framework).withdrawn_warning(pf.project.language)
    if fmt == "json":
        from .jsonout import summary_dict

        click.echo(document("validate", {"file": str(project), "valid": True,
                                         "summary": summary_dict(summarise(pf.project), pf.project),
                                         "warnings": [warning] if warning else []}))
    else:
        click.echo(_("{file}: valid").format(file=project))
        for line in summarise(pf.project).lines():
            click.echo(line)
    if warning:
        info(_("warning: {text}").format(text=warning))


@cli.command()
@project_arg
@click.option("--dry-run", is_flag=True, help="Show what would be added; write nothing.")
@format_option("json")
@click.option("-j", "--processes", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes reading the new files (0: one per core).")
@lang_option()
def scan(project: Path, dry_run: bool, fmt: str, processes: int, lang: str | None) -> None:
    """Add the documents and records found in each process's folders to PROJECT (documents/<process>/,
    records/<process>/ or enregistrements/<process>/); report entries whose file is gone and stray files."""
    from ..jobs.scan import scan as run_scan
    from ..project import load_project
    from .report import print_scan

    pf = load_project(project)
    i18n.use(lang or pf.project.language)
    with progress(_("scanning")) as reporter:
        report = run_scan(pf, dry_run=dry_run, progress=reporter, processes=processes)
    if fmt == "json":
        click.echo(document("scan", report.as_dict(line)))
    else:
        print_scan(report, project, dry_run=dry_run)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the project file."""
    from ..project.schema import schema_text

    click.echo(schema_text(), nl=False)


FORM_CHOICE = SuggestingChoice(form_ids())


@cli.command()
@project_arg
@click.argument("forms", nargs=-1, type=FORM_CHOICE, metavar="[FORM]...", cls=LocalisedArgument)
@click.option("--audit", "audit_id", metavar="ID", help="Only this audit's files (report, checklist).")
@click.option("--review", "review_date", metavar="DATE", help="Only the minutes of the management review of this date.")
@click.option("--lang", type=click.Choice(["fr", "en"]), callback=i18n.asked,
              help="Language of the documents (default: the project's).")
@click.option("-o", "--out", "out_dir", type=FOLDER, default=Path("output"),
              show_default=True, help="Folder to write into.")
@click.option("--templates", "templates_dir", type=FOLDER,
              help="Folder of your own templates (as `kitgen templates export` writes it); missing ones fall back to the shipped.")
@click.option("--template", "template_file", type=FILE,
              help="Fill this Word file of your own (e.g. the certification body's questionnaire, tagged with Jinja).")
@click.option("--force", is_flag=True, help="Overwrite files edited since kitgen wrote them (a backup is kept).")
@click.option("--pdf", is_flag=True, help="Also write a PDF of each file (needs LibreOffice).")
@format_option("json")
def build(project: Path, forms: tuple[str, ...], audit_id: str | None, review_date: str | None, lang: str | None,
          out_dir: Path, templates_dir: Path | None, template_file: Path | None, force: bool, pdf: bool,
          fmt: str) -> None:
    """Fill the templates from PROJECT: every FORM (default: all, every audit and review) into the output folder.

    A file edited since kitgen wrote it is replaced only once its edits are harvested, or with --force.
    """
    from ..jobs.build import build as build_forms
    from ..project import load_project

    pf = load_project(project)
    i18n.use(lang or pf.project.language)
    with progress(_("building")) as reporter:
        result = build_forms(pf, forms, audit=audit_id, review=review_date, lang=lang,
                             out_dir=out_dir, templates=templates_dir, template=template_file, force=force, pdf=pdf,
                             progress=reporter)
    if fmt == "json":
        click.echo(document("build", {"written": result.written, "pdfs": result.pdfs, "backups": result.backups,
                                      "warnings": [line(w) for w in result.warnings]}))
        return
    for path in result.backups:
        click.echo(_("kept backup {path}").format(path=path))
    for path in result.written + result.pdfs:
        click.echo(_("wrote {path}").format(path=path))
    for warning in result.warnings:
        info(_("warning: {text}").format(text=line(warning)))


@cli.group()
def templates() -> None:
    """List, export and check the Word/Excel templates."""


@templates.command("list")
@format_option("json")
def templates_list(fmt: str) -> None:
    """List the shipped templates."""
    from ..jobs.templates import list_templates

    if fmt == "json":
        click.echo(document("templates list", {"templates": [{"form": form, "lang": lang, "path": path}
                                                             for form, lang, path in list_templates()]}))
        return
    templates = list_templates()
    width = max((len(form) for form, _, _ in templates), default=0)   # the longest form id: every line lines up
    for form, lang, path in templates:
        click.echo(f"{form:<{width}} {lang}  {path}")


@templates.command("export")
@click.argument("folder", type=FOLDER, cls=LocalisedArgument)
@lang_option("Language of what is printed (default: the user's locale, else French).")
def templates_export(folder: Path, lang: str | None) -> None:
    """Copy the shipped templates into FOLDER/fr and FOLDER/en, to edit and use with `build --templates FOLDER`."""
    from ..jobs.templates import export_templates

    i18n.use(lang)
    for path in export_templates(folder):
        click.echo(_("wrote {path}").format(path=path))


@templates.command("check")
@click.argument("folder", type=FOLDER, cls=LocalisedArgument)
@format_option("json")
@lang_option("Language of what is printed (default: the user's locale, else French).")
@click.pass_context
def templates_check(ctx: click.Context, folder: Path, fmt: str, lang: str | None) -> None:
    """Check the templates in FOLDER: Jinja syntax, unknown variables, tags that cannot be placed."""
    from ..errors import TemplateError
    from ..jobs.template_check import check_templates

    i18n.use(lang)
    checked, problems = check_templates(folder)
    failed = TemplateError(problems=problems) if problems else None
    if fmt == "json":
        click.echo(document("templates check", {"checked": checked,
                                                "problems": objects(failed.problems) if failed else []}))
        if failed:
            _fail_after_json(ctx, failed)
        return
    if failed:
        raise failed
    click.echo(n_("{n} template checked, no problem found", "{n} templates checked, no problem found",
                  len(checked)).format(n=len(checked)))


@templates.command("vars")
@click.argument("form", type=SuggestingChoice(form_ids(".docx")), metavar="FORM", cls=LocalisedArgument)
@click.option("--project", "project_file", type=FILE,
              help="Show the values of this project (default: the shipped sample).")
@click.option("--lang", type=click.Choice(["fr", "en"]), callback=i18n.asked,
              help="Language of the values.")
def templates_vars(form: str, project_file: Path | None, lang: str | None) -> None:
    """List every variable a FORM template can use, with its value, to tag a Word form of your own."""
    from ..jobs.template_check import sample_project, template_vars
    from ..project import load_project

    project = load_project(project_file).project if project_file else sample_project(lang or "fr")
    for name, value in template_vars(form, project, lang or project.language):
        shown = str(value).replace("\n", " / ")
        click.echo(f"{{{{ {name} }}}}  = {shown[:VALUE_SHOWN]}")


@cli.command()
@project_arg
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), cls=LocalisedArgument)
@click.option("--dry-run", is_flag=True, help="Show the changes; write nothing.")
@click.option("--prefer", type=click.Choice(["project", "form"]), default="project", show_default=True,
              help="Which value wins when a field changed both in the form and in the project file.")
@format_option("json")
@lang_option()
@click.pass_context
def harvest(ctx: click.Context, project: Path, paths: tuple[Path, ...], dry_run: bool, prefer: str, fmt: str,
            lang: str | None) -> None:
    """Read filled forms (files or folders) back into PROJECT.

    Exit 0 when everything merged, 1 when a file could not be read (the others are merged), 4 when conflicts
    are left (a field changed both in a form and in the project: decide, or run again with --prefer form).
    """
    from ..errors import ReadbackError
    from ..jobs.harvest import harvest as run_harvest
    from ..project import load_project
    from .report import print_harvest

    pf = load_project(project)
    i18n.use(lang or pf.project.language)
    with progress(_("reading")) as reporter:
        report = run_harvest(pf, list(paths), dry_run=dry_run, prefer=prefer, progress=reporter)
    failed = ReadbackError(problems=report.errors) if report.errors else None
    if fmt == "json":
        click.echo(document("harvest", report.as_dict(i18n.catalog(), i18n.show)))   # notes and errors as objects
        if failed:
            _fail_after_json(ctx, failed)
    else:
        print_harvest(report, project, dry_run=dry_run)
    if failed:
        raise failed
    ctx.exit(exitcodes.CONFLICTS_LEFT if report.conflicts_left else exitcodes.DONE)


@cli.command()
@project_arg
@click.option("--open", "only_open", is_flag=True, help="Only findings still open or in progress.")
@click.option("--audit", "audit_id", metavar="ID", help="Only this audit's findings.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Date overdue days are counted to (default: today).")
@format_option("json", "csv")
@lang_option()
def findings(project: Path, only_open: bool, audit_id: str | None, as_of: Any, fmt: str, lang: str | None) -> None:
    """Every finding of every round with its derived status, owner, due date and flags.

    In CSV, a text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
    return) is written with a leading apostrophe.
    """
    from ..jobs.findings import select_findings
    from ..project import load_project
    from .report import findings_csv, findings_json, print_findings

    pf = _project_in(load_project(project), lang)
    rows = select_findings(pf, only_open=only_open, audit=audit_id, as_of=as_of.date() if as_of else None)
    if fmt == "json":
        click.echo(findings_json(rows, pf.project))
    elif fmt == "csv":
        click.echo(findings_csv(rows), nl=False)
    else:
        print_findings(rows)


@cli.command()
@project_arg
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="The project as it stood on this date.")
@format_option("json", "csv")
@lang_option()
def coverage(project: Path, as_of: Any, fmt: str, lang: str | None) -> None:
    """Clauses each audit covered (checklist verdicts, else findings), and the gaps: clauses no internal audit
    covered in the last 12 months, clauses the certification body has not covered in the current cycle.

    In CSV, text that a spreadsheet would run as a formula gets a leading apostrophe.
    """
    from ..jobs.coverage import coverage as clause_coverage
    from ..project import load_project
    from .report import coverage_csv, print_coverage

    result = clause_coverage(_project_in(load_project(project), lang).project, as_of.date() if as_of else None)
    if fmt == "json":
        click.echo(document("coverage", result.as_dict()))
    elif fmt == "csv":
        click.echo(coverage_csv(result), nl=False)
    else:
        print_coverage(result)


@cli.command()
@project_arg
@click.option("--for", "step", type=click.Choice(["stage1", "stage2", "surveillance", "recertification"]),
              help="The audit to be ready for (default: the next step: stage 1, stage 2, then the surveillance audits "
                   "and the recertification of the three-year cycle the certification decision opens).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Check as of this date (default: today).")
@format_option("json")
@lang_option()
@click.pass_context
def readiness(ctx: click.Context, project: Path, step: str | None, as_of: Any, fmt: str, lang: str | None) -> None:
    """Is the organisation ready for its next certification audit? Exit 0 ready, 3 not ready."""
    from ..jobs.readiness import check_readiness
    from ..project import load_project

    result = check_readiness(_project_in(load_project(project), lang), as_of.date() if as_of else None, step=step)
    if fmt == "json":
        click.echo(document("readiness", result.as_dict()))
    else:
        from .report import print_readiness

        print_readiness(result)
    ctx.exit(exitcodes.DONE if result.ready else exitcodes.NOT_READY)


@cli.command()
@project_arg
@click.option("-o", "--out", "out_file", type=FILE,
              help="Calendar file to write (default: output/calendar-<id>.ics).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="The project as it stood on this date, planned from then (default: as it is, from today).")
@format_option("json")
@lang_option("Language of the calendar and of what is printed (default: the project's).")
def calendar(project: Path, out_file: Path | None, as_of: Any, fmt: str, lang: str | None) -> None:
    """Write the certification cycle's dates as an .ics calendar, in the project's language."""
    from ..jobs.calendar import write_calendar
    from ..project import load_project

    pf = _project_in(load_project(project), lang)
    path, count = write_calendar(pf.project, out_file or Path("output") / f"calendar-{pf.project.id}.ics",
                                 as_of.date() if as_of else None)
    if fmt == "json":
        click.echo(document("calendar", {"written": path, "events": count}))
        return
    click.echo(n_("wrote {path} ({n} event)", "wrote {path} ({n} events)", count).format(path=path, n=count))


@cli.command()
@project_arg
@click.option("-o", "--out", "out_file", type=FILE,
              help="Zip to write (default: output/package-<id>-<date>.zip).")
@click.option("--lang", type=click.Choice(["fr", "en"]), callback=i18n.asked,
              help="Language of the generated documents.")
@format_option("json")
def package(project: Path, out_file: Path | None, lang: str | None, fmt: str) -> None:
    """Compile the documentation package for the auditors: documents, records, reports, index, checksums."""
    from ..jobs.package import build_package
    from ..project import load_project

    pf = load_project(project)
    i18n.use(lang or pf.project.language)
    with progress(_("packaging")) as reporter:
        path = build_package(pf, out_file, lang=lang, progress=reporter)
    if fmt == "json":
        click.echo(document("package", {"written": path}))
        return
    click.echo(_("wrote {path}").format(path=path))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), cls=LocalisedArgument)
@click.option("-o", "--out", "out_file", type=FILE,
              default=Path("output") / "feedback.xlsx", show_default=True, help="Report workbook to write.")
@format_option("json", help="What to print (the report is written either way).")
@lang_option("Language of the report and of what is printed (default: the language most forms were filled in, "
             "else the user's locale, else French).")
@click.option("-j", "--processes", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: one per core).")
def feedback(paths: tuple[Path, ...], out_file: Path, fmt: str, lang: str | None, processes: int) -> None:
    """Aggregate filled evaluation forms (files or folders) into a report for the kit's authors."""
    from ..jobs.feedback import aggregate
    from ..jobs.feedback_report import write_report
    from .report import print_feedback

    i18n.use(lang)
    with progress(_("reading")) as reporter:
        result = aggregate(list(paths), processes=processes, progress=reporter, skip=out_file)
    if not lang and result.languages:  # the forms' own language, the most frequent (French first on a tie)
        i18n.use(max(sorted(result.languages, key=lambda code: code != "fr"), key=result.languages.__getitem__))
    lang = i18n.language()
    if not result.forms:  # nothing to report on: an error, with every file's reason
        for problem in result.problems:
            click.echo(f"{problem.file}: {problem.text(lang, line)}", err=True)
        raise KitgenError(N_("no evaluation form counted among the files given ({count})"), count=result.files,
                          hint=N_("give the filled evaluation forms (.docx)"), code="nothing-counted")
    write_report(result, out_file, lang, line)
    if fmt == "json":
        click.echo(document("feedback", {"report": out_file, **result.as_dict(lang, line)}))
    else:
        print_feedback(result, out_file, lang)


add_summaries_and_examples(cli)
# from here on, click's own words (Usage:, Options:, its usage errors) in the run's language; the commands above were
# built with its English words, which the help translates when shown
route_click_words()


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="kitgen")
    except BrokenPipeError:  # a write outside the commands (click's own, at exit) into a pipe nobody reads
        closed_pipe()


if __name__ == "__main__":
    main()
