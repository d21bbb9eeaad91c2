"""What a form type is: the one interface every form module implements (FormType), and the Word-form defaults.

A form module defines `FORM = SomeForm()`; kitgen.forms.registry lists it. Build, harvest, package and templates
talk to forms only through this interface.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from ..errors import KitgenError, TemplateError
from ..project.models import Project
from ..project.places import Place
from .common import identity, now
from .reading import Reading, base_payload


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
    not_harvested_hint: str = ""  # what to use instead, said when someone harvests it

    # -- which files --------------------------------------------------------------------------------------------
    def keys(self, project: Project, chosen: str | None = None, source: Path | str = "") -> list[str | None]:
        """The files to build: one per audit / review (only `chosen` when given), else one."""
        if self.per == "audit":
            known, what, section = [a.id for a in project.audits], "audit", "audits"
        elif self.per == "review":
            known = [r.date.isoformat() for r in project.management_reviews]
            what, section = "management review", "management_reviews"
        else:
            return [None]
        if chosen is not None:
            if chosen not in known:
                raise KitgenError(f"{source}: no {what} {chosen!r} ({what}s: {', '.join(known) or 'none'})")
            return [chosen]
        if not known:
            raise KitgenError(f"{source}: no {what} to build the {self.id} for; add one under {section} (see the samples)")
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
        raise KitgenError(f"form {self.id!r} has no Word template")

    def template_context(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        """The context as templates receive it: lists print as prose ('a, b et c'), numbers by locale."""
        from .locale import localize

        context: dict[str, Any] = localize(self.context(project, key, lang), lang)
        return context

    def base(self, project: Project, key: str | None) -> dict[Place, dict[str, Any]] | None:
        """The values the file is generated from, by place, for the three-way merge (None: not read back)."""
        return None

    def properties(self, project: Project, key: str | None, lang: str) -> dict[str, Any]:
        """The identity stamped on the file."""
        return identity(self.id, project, lang, self.per, key)

    def render(self, project: Project, key: str | None, lang: str, template: Path) -> Rendered:
        """The generated file, from `template` (a Word template by default); a form read back carries its base,
        with what each table cell shows (so that harvest sees typing no reader takes)."""
        from ..ooxml.docx_read import read_tables
        from ..ooxml.docx_render import render_docx
        from ..ooxml.package import open_package
        from .typed import SHOWN, shown_cells

        base = self.base(project, key)
        payloads: list[str] = []

        def payload(data: bytes) -> str:
            with open_package(Path(self.file_name(key)), "docx", data=data) as package:
                tables = read_tables(package)
            payloads.append(base_payload({**base, SHOWN: shown_cells(tables)}))  # type: ignore[dict-item]
            return payloads[0]
        data = render_docx(template, self.template_context(project, key, lang), self.properties(project, key, lang),
                           payload if base is not None else None, now(),
                           lambda data: self.finish(data, project, key, lang))
        return Rendered(self.file_name(key), data, payloads[0] if payloads else None)

    def finish(self, data: bytes, project: Project, key: str | None, lang: str) -> bytes:
        """The rendered document as the form wants it (e.g. its drop-downs restricted); as rendered by default."""
        return data

    def warnings(self, project: Project, key: str | None, lang: str) -> list[str]:
        """One line each for what the generated file leaves to complete (printed by build)."""
        return []

    def check_template(self, path: Path, project: Project, lang: str) -> list[str]:
        """Problems of a user's template for this form (`kitgen templates check`)."""
        from ..ooxml.docx_render import check_docx_template

        return check_docx_template(path, self.template_context(project, self.example_key(project), lang))

    # -- reading back ---------------------------------------------------------------------------------------------
    def read(self, package: Any, project: Project, reading: Reading) -> None:
        """Fill `reading` from an opened, checked package (only for harvested forms)."""
        raise KitgenError(f"{reading.path}: kitgen {self.id} forms are not read back by harvest")


def render_all(jobs: list[tuple[FormType, Project, str | None, str, Path]]) -> list[Rendered]:
    """Each (form, project, key, lang, template) rendered in worker processes under CPU, memory and output limits
    (templates may come from anywhere), in parallel; the first failure is raised, naming its template."""
    from ..infra.limits import ChildFailed, LimitExceeded, run_many

    def work(form: FormType, project: Project, key: str | None, lang: str, template: Path) -> Any:
        return lambda: form.render(project, key, lang, template)

    results = run_many([work(*job) for job in jobs])
    out: list[Rendered] = []
    for (_, _, _, _, template), result in zip(jobs, results):
        if isinstance(result, LimitExceeded):
            raise TemplateError(f"rendering stopped: it used more {result.what} than a template may "
                                "(loops, repetitions or sizes too large)", template.name)
        if isinstance(result, ChildFailed):
            if isinstance(result.error, KitgenError):
                raise result.error
            raise RuntimeError(f"kitgen failed rendering {template}: {result.kind}: {result.message}")
        out.append(cast(Rendered, result))
    return out
