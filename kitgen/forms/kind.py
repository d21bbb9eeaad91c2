"""What a form type is: the one interface every form module implements (FormType), and the Word-form defaults.

A form module defines `FORM = SomeForm()`; kitgen.forms.registry lists it. Build, harvest, package, templates and
feedback talk to forms only through this interface.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..errors import N_, KitgenError, Problem, TemplateError
from ..project.models import Project
from ..project.places import Place
from .common import LANGUAGE_TAGS, identity, load_locale_data, long_date, now, today
from .reading import Reading, base_payload

# What every page says of the document's version and dates; when it was generated only when that is another day
PAGE_LINE = {"fr": ("version {version} — état au {as_of}", " (généré le {generated})"),
             "en": ("version {version} — as of {as_of}", " (generated on {generated})")}
if TYPE_CHECKING:
    from .survey import Answers, Survey


@dataclass
class Rendered:
    """One generated file: its name, its bytes, and the base snapshot embedded in it (None for forms not read back)."""

    name: str
    data: bytes
    payload: str | None = None


class FormType:
    """A document type kitgen generates (and, when `harvested`, reads back)."""

    id: str = ""
    template: str = ""          # file name under templates/<lang>/
    per: str = "project"        # project | audit | review | kit: what one file is made for
    harvested: bool = False     # read back by `kitgen harvest`
    packaged: bool = False      # part of the documentation package for the auditors
    record: bool = False        # once built, it stands as its audit's report or its review's minutes
    not_harvested_hint: str = ""  # what to use instead, said when someone harvests it (an English msgid: N_)
    covers: tuple[str, ...] = ()  # kinds of documented information it stands for once approved (readiness)
    package_folder: str = "audits"  # where the documentation package puts it
    answered: bool = False      # copies come back filled and `kitgen feedback` adds them up (see survey.py)

    # -- which files --------------------------------------------------------------------------------------------
    def keys(self, project: Project, chosen: str | None = None, source: Path | str = "") -> list[str | None]:
        """The files to build: one per audit / review (only `chosen` when given), else one."""
        if self.per == "audit":
            known, section = [a.id for a in project.audits], "audits"
        elif self.per == "review":
            known, section = [r.date.isoformat() for r in project.management_reviews], "management_reviews"
        else:
            return [None]
        messages = NO_SUCH[self.per]
        if chosen is not None:
            if chosen not in known:
                raise KitgenError(messages["other" if known else "empty"], source or None, value=chosen,
                                  expected=", ".join(known), code="unknown-key")
            return [chosen]
        if not known:
            raise KitgenError(messages["none"], source or None, form=self.id, section=section, code="missing-key",
                              hint=N_("add one under {section} (see the samples)"))
        return list(known)

    def keys_available(self, project: Project) -> bool:
        """False for a form made per audit (or per review) while the project has none."""
        if self.per == "audit":
            return bool(project.audits)
        if self.per == "review":
            return bool(project.management_reviews)
        return True

    def example_key(self, project: Project) -> str | None:
        """The first file this form would be built for (the first audit, the first review…), or None."""
        try:
            return self.keys(project)[0]
        except KitgenError:
            return None

    def approved_on(self, project: Project) -> date | None:
        """The day the project records the document as approved (None: not approved, or not a document that is)."""
        return None

    def in_package(self, project: Project) -> bool:
        """Whether the documentation package includes it (the SMS's documents: once approved)."""
        return True

    def file_name(self, key: str | None) -> str:
        """The generated file's name."""
        suffix = Path(self.template).suffix
        return f"{self.id}-{key}{suffix}" if key else f"{self.id}{suffix}"

    def title(self, project: Project, key: str | None, lang: str) -> str:
        """How the documentation package's index names the file."""
        return self.file_name(key)

    # -- generating -----------------------------------------------------------------------------------------------
    def context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        """Everything the form's Word template may use (plain data only: the sandbox allows nothing else)."""
        raise KitgenError(N_("form {form!r} has no Word template"), form=self.id, code="template")

    def edition(self, project: Project, key: str | None) -> tuple[str, date]:
        """The document's version and the date its content stands as of. By default a living document (a register,
        an application): versioned by the day it is generated, as of that day; a kit's form carries the kit's
        version."""
        day = today()
        if self.per == "kit" and project.kit is not None:
            return project.kit.version, day
        return day.isoformat(), day

    def page(self, project: Project, key: str | None, lang: str) -> dict[str, str]:
        """What every printed page shows (the footer): title, organisation, version, the date the content stands
        as of, and when the file was generated."""
        version, as_of = self.edition(project, key)
        page = {"title": self.title(project, key, lang), "org": project.organisation.legal_name, "version": version,
                "as_of": long_date(as_of, lang), "generated": long_date(today(), lang)}
        line, generated = PAGE_LINE[lang]
        page["line"] = line.format(**page) + (generated.format(**page) if as_of != today() else "")
        return page

    def template_context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        """The context as templates receive it (with `page`, what each page's footer shows): texts typeset for
        `lang` (French no-break spaces, ids that never break), lists that print as prose ('a, b et c'), numbers by
        locale."""
        from .locale import localize

        context: dict[str, Any] = localize({**self.context(project, key, lang),
                                            "page": self.page(project, key, lang)}, lang)
        return context

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]] | None:
        """The values the file is generated from, by place, for the three-way merge (None: not read back)."""
        return None

    def properties(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        """The identity stamped on the file."""
        return identity(self.id, project, lang, self.per, key)

    def author(self, project: Project) -> str:
        """Who the file's core properties name as its author: the project's organisation."""
        return project.organisation.legal_name

    def core(self, project: Project, key: str | None, lang: str) -> dict[str, str]:
        """The file's core properties: author (never the library that wrote it), title, language."""
        author = self.author(project)
        return {"creator": author, "lastModifiedBy": author, "title": self.title(project, key, lang),
                "language": LANGUAGE_TAGS[lang], "description": ""}

    def render(self, project: Project, key: str | None, lang: str, template: Path) -> Rendered:
        """The generated file, from `template` (a Word template by default), its proofing language and core
        properties set; a form read back carries its base, with what each table cell shows (so that harvest sees
        typing no reader takes)."""
        from ..ooxml.docx_read import read_tables
        from ..ooxml.docx_render import render_docx
        from ..ooxml.docx_text import Finish
        from ..ooxml.package import open_package
        from .typed import SHOWN, shown_cells

        base = self.base(project, key)
        payloads: list[str] = []

        def payload(data: bytes) -> str:
            with open_package(Path(self.file_name(key)), "docx", data=data) as package:
                tables = read_tables(package)
            payloads.append(base_payload({**base, SHOWN: shown_cells(tables)}))  # type: ignore[dict-item]
            return payloads[0]
        finish = Finish(language=LANGUAGE_TAGS[lang], core=self.core(project, key, lang))
        data = render_docx(template, self.template_context(project, key, lang), self.properties(project, key, lang),
                           payload if base is not None else None, now(), finish,
                           adjust=lambda parts: self.adjust(parts, project, key, lang))
        return Rendered(self.file_name(key), data, payloads[0] if payloads else None)

    def adjust(self, parts: dict[str, bytes], project: Project, key: str | None, lang: str) -> None:
        """The rendered document's parts changed in place as the form wants them (e.g. its drop-downs restricted);
        as rendered by default."""

    def render_seconds(self, project: Project) -> float | None:
        """The time rendering may take (None: the limit every template gets; a register of thousands of rows needs
        more, and runs no template code)."""
        return None

    def warnings(self, project: Project, key: str | None, lang: str) -> list[str]:
        """One line each for what the generated file leaves to complete (printed by build)."""
        return []

    def check_template(self, path: Path, project: Project, lang: str) -> list[Problem]:
        """Problems of a user's template for this form (`kitgen templates check`)."""
        from ..ooxml.docx_render import check_docx_template

        return check_docx_template(path, self.template_context(project, self.example_key(project), lang))

    # -- reading back ---------------------------------------------------------------------------------------------
    def read(self, package: Any, project: Project, reading: Reading) -> None:
        """Fill `reading` from an opened, checked package (only for harvested forms)."""
        raise KitgenError(N_("kitgen {form} forms are not read back by harvest"), reading.path, form=self.id,
                          code="not-harvested")

    # -- answers added up (only for `answered` forms) ---------------------------------------------------------------
    def survey(self) -> Survey:
        """Its scale questions and options, and the lists its free text is gathered in."""
        raise KitgenError(N_("kitgen {form} forms are not added up by feedback"), form=self.id, code="not-answered")

    def answers(self, path: Path) -> Answers:
        """One returned copy read by meaning; NotAnswerable (survey.py) when it is not one, UnsafeFileError when it is
        not a sane file."""
        raise KitgenError(N_("kitgen {form} forms are not added up by feedback"), path, form=self.id,
                          code="not-answered")


# by what a form is made for: an id the project does not have ("other": it has others; "empty": none), and nothing
# to build the form for
NO_SUCH = {"audit": {"other": N_("no audit {value!r} (audits: {expected})"),
                     "empty": N_("no audit {value!r}: the project file has none"),
                     "none": N_("no audit to build the {form} for")},
           "review": {"other": N_("no management review {value!r} (management reviews: {expected})"),
                      "empty": N_("no management review {value!r}: the project file has none"),
                      "none": N_("no management review to build the {form} for")}}

# What rendering a file of each type imports: loaded once before the workers fork, each inherits it (a worker
# importing them again took longer than rendering a form)
RENDER_MODULES = {".docx": ("docxtpl", "kitgen.ooxml.docx_render", "kitgen.infra.sandbox"),
                  ".xlsx": ("openpyxl", "kitgen.ooxml.xlsx", "kitgen.ooxml.parts")}
def load_before_fork(suffixes: set[str], langs: set[str]) -> None:
    """Import what rendering files of these types needs and read Babel's data for these languages, in this process:
    the render workers forked next inherit both instead of each loading them again."""
    from importlib import import_module

    for suffix in suffixes:
        for module in RENDER_MODULES.get(suffix, ()):
            import_module(module)
    for lang in langs:
        load_locale_data(lang)


# kitgen's own Word templates this process has had rendered, and those it has compiled itself (see compile_again)
_rendered_here: set[Path] = set()
_compiled_here: set[Path] = set()


def compile_again(templates: set[Path]) -> None:
    """kitgen's own Word templates that this process has had rendered before, compiled here before the workers fork:
    each worker would compile them again, a third of filling a form. The first time, the workers compile them (a
    single build gains nothing from compiling in one process what the workers compile side by side)."""
    from ..infra.shipped import shipped
    from ..ooxml.docx_render import compile_parts

    own = shipped("templates").resolve()
    for template in templates:
        path = template.resolve()
        if path.suffix != ".docx" or not path.is_relative_to(own) or path in _compiled_here:
            continue
        if path in _rendered_here:
            compile_parts(path)
            _compiled_here.add(path)
        _rendered_here.add(path)


def _render_one(form: FormType, project: Project, key: str | None, lang: str, template: Path) -> tuple[str, Any]:
    """("ok", the Rendered file), or what stopped it: ("error", its KitgenError) or ("failed", what)."""
    import pickle

    try:
        return "ok", form.render(project, key, lang, template)
    except KitgenError as err:
        try:
            pickle.dumps(err)
            return "error", err
        except Exception:  # noqa: BLE001 — an error that cannot travel is described instead
            return "failed", f"{type(err).__name__}: {str(err)[:500]}"
    except (MemoryError, RecursionError):
        raise  # the worker reports them as a limit reached
    except Exception as err:  # noqa: BLE001 — handed back like a worker's failure
        return "failed", f"{type(err).__name__}: {str(err)[:500]}"


def _failed(result: Any) -> bool:
    """Whether a render worker's result (see _render_one) is a failure."""
    return isinstance(result, BaseException) or result[0] != "ok"


def render_all(jobs: list[tuple[FormType, Project, str | None, str, Path]]) -> list[Rendered]:
    """Each (form, project, key, lang, template) rendered in worker processes under CPU, memory and output limits
    (templates may come from anywhere), each file with its own, in parallel (a worker renders the files it is handed
    in turn: one fork per core, not per file); the first failure is raised, naming its template."""
    from ..infra.limits import ChildFailed, LimitExceeded, run_many

    load_before_fork({Path(form.template).suffix for form, *_ in jobs}, {job[3] for job in jobs})
    compile_again({job[4] for job in jobs})
    budgets = [s for form, project, *_ in jobs if (s := form.render_seconds(project)) is not None]
    # the first failure in file order stops the build: the files after it are not rendered (a template running away
    # on every audit stops the build after one file's budget, not after each file's)
    results = run_many([lambda job=job: _render_one(*job) for job in jobs], seconds=max(budgets) if budgets else None,
                       stop_after=_failed)
    out: list[Rendered] = []
    for index, (_, _, _, _, template) in enumerate(jobs):
        result = results[index]
        if isinstance(result, LimitExceeded):
            raise TemplateError(problems=[result.problem(template.name)])
        if isinstance(result, ChildFailed):
            if isinstance(result.error, KitgenError):
                raise result.error
            failure = f"{result.kind}: {result.message}"
        else:
            kind, value = result
            if kind == "error":
                raise value
            if kind == "ok":
                out.append(cast(Rendered, value))
                continue
            failure = value
        # not a mistake kitgen names: still the template's (a docxtpl construct it cannot place) or kitgen's own
        raise TemplateError(N_("rendering failed ({detail})"), template.name, detail=failure,
                            hint=N_("check the template with `kitgen templates check`"))
    return out
