"""`kitgen build`: fill the templates from the project file, never overwriting a file someone edited since.

A file may be replaced without --force when it is exactly what kitgen wrote there, or when its edits have all been
harvested into the project. kitgen notes what it is about to write before it writes it, so that an interrupted
build (even kill -9) never leaves the next build refusing kitgen's own files.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from ..errors import N_, KitgenError, OverwriteRefused, Problem, problem
from ..forms.common import generated_at
from ..forms.kind import FormType, Rendered, render_all
from ..forms.reading import base_digest
from ..forms.registry import form_ids, form_type
from ..frameworks import get_framework
from ..infra.safefs import atomic_write, locked, read_no_follow, writable_folder, write_backup
from ..project.load import ProjectFile
from ..project.state import ProjectState
from .templates import resolve

LEDGER = ".kitgen-written.json"
LEDGER_KEEP = 20  # digests remembered per file name


@dataclass
class BuildResult:
    """What a build wrote."""

    written: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Ledger:
    """What kitgen wrote in a folder (file name -> the digests of its versions), so edited files are never
    overwritten. Each entry is saved before the file it describes is written."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LEDGER
        try:
            raw = json.loads(read_no_follow(self.path).decode("utf-8"))
        except (OSError, ValueError):
            raw = {}
        self.entries: dict[str, list[str]] = {
            k: ([v] if isinstance(v, str) else [x for x in v if isinstance(x, str)])
            for k, v in (raw.items() if isinstance(raw, dict) else ()) if isinstance(v, (str, list))}

    def knows(self, name: str, digest: str) -> bool:
        return digest in self.entries.get(name, [])

    def record(self, name: str, digest: str) -> None:
        """Remember `digest` for `name` and save the ledger at once."""
        versions = [d for d in self.entries.get(name, []) if d != digest] + [digest]
        self.entries[name] = versions[-LEDGER_KEEP:]
        atomic_write(self.path, json.dumps(self.entries, indent=1, sort_keys=True).encode())


def write_output(path: Path, data: bytes, ledger: Ledger, harvested: dict[str, str], *, force: bool,
                 result: BuildResult) -> None:
    """Write a generated file, refusing to replace one edited since kitgen wrote it (and not harvested since)
    unless `force`, which keeps a backup first."""
    if path.exists() or path.is_symlink():
        try:
            current = sha256(read_no_follow(path))
        except OSError:
            current = ""  # a link or something unreadable at that name: not kitgen's file
        if not (ledger.knows(path.name, current) or current in harvested):
            if not force:
                raise OverwriteRefused(path)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            backup = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
            if not path.is_symlink():
                write_backup(path, backup)
                result.backups.append(backup)
    ledger.record(path.name, sha256(data))
    atomic_write(path, data)
    result.written.append(path)


def _located(warning: Problem | str, name: str) -> Problem:
    """A form's warning about the file `name` it was built into (a line a form still writes as text is kept as is)."""
    if isinstance(warning, Problem):
        return replace(warning, file=warning.file or name)
    return problem(warning.replace("{", "{{").replace("}", "}}"), name, code="form")


def jobs(pf: ProjectFile, forms: Sequence[str], chosen: dict[str, str | None]) -> list[tuple[FormType, str | None]]:
    """(form, key) of every file to build: each form named (default: all), for each audit/review (or the chosen)."""
    out: list[tuple[FormType, str | None]] = []
    for form_id in forms or form_ids():
        form = form_type(form_id)
        pick = chosen.get(form.per)
        if not forms and form.per in ("audit", "review") and pick is None and not form.keys_available(pf.project):
            continue  # building everything: a form of audits is simply skipped while there is none
        out += [(form, key) for key in form.keys(pf.project, pick, pf.path)]
    return out


def build(pf: ProjectFile, forms: Sequence[str] = (), *, audit: str | None = None, review: str | None = None,
          lang: str | None = None, out_dir: Path = Path("output"), templates: Path | None = None,
          template: Path | None = None, force: bool = False, pdf: bool = False,
          progress: Callable[..., None] | None = None) -> BuildResult:
    """Generate `forms` (default: all, every audit and review) into `out_dir`; returns what was written.

    `template` fills one Word file of the user's own (e.g. a certification body's questionnaire with Jinja tags)
    for the single form named; the result is named `<form>-<template name>.docx`.
    """
    lang = lang or pf.project.language
    todo = jobs(pf, forms, {"audit": audit, "review": review})
    if template is not None:
        if len(forms) != 1 or not form_type(forms[0]).template.endswith(".docx") or len(todo) != 1:
            raise KitgenError(N_("--template fills one Word form: name exactly one FORM (and --audit or --review for "
                                 "a form made per audit or per review)"), code="usage")
        if not template.is_file():
            raise KitgenError(N_("template file not found"), template, code="not-found")
    result = BuildResult()
    framework = get_framework(pf.project.framework)
    if not framework.current:  # the edition's name and why, from the framework's data, in the documents' language
        result.warnings.append(problem(N_("{edition}: {why}"), edition=framework.title[lang].split(" — ")[0],
                                       why=framework.withdrawn[lang], code="withdrawn-edition"))
    sources = [template or resolve(form.template, lang, templates) for form, _ in todo]
    if progress:
        progress("", 0, len(todo))  # how many files: a count, no words
    outputs = render_all([(form, pf.project, key, lang, source) for (form, key), source in zip(todo, sources)])
    rendered: list[tuple[FormType, str | None, Rendered]] = []
    for (form, key), out in zip(todo, outputs):
        if template is not None:
            out.name = f"{form.id}-{template.stem}.docx"
        rendered.append((form, key, out))
        result.warnings += [_located(w, out.name) for w in form.warnings(pf.project, key, lang)]
    out_dir.mkdir(parents=True, exist_ok=True)
    if not writable_folder(out_dir):
        raise KitgenError(N_("not a writable folder"), out_dir, hint=N_("choose another one (-o) or make it writable"),
                          code="not-writable")
    if writable_folder(pf.path.resolve().parent):
        with locked(pf.path.resolve(), shown=pf.path):  # remember every base before any file carrying it exists
            state = ProjectState.load(pf.path)
            for form, key, out in rendered:
                if out.payload is not None:
                    state.remember_base(base_digest(out.payload), form.id, key, generated_at())
            state.save()
    else:  # a project one may read, not change (a shared folder, a read-only checkout): its forms are to read
        state = ProjectState.load(pf.path)
        if any(out.payload is not None for _, _, out in rendered):  # only forms people fill carry a base
            result.warnings.append(problem(
                N_("its folder is read-only, so kitgen cannot remember the forms built from it: harvested into it "
                   "later, every value changed in them would count as a conflict"), pf.path,
                hint=N_("build the forms people will fill from a writable copy"), code="read-only-project"))
    ledger = Ledger(out_dir)
    for _, _, out in rendered:
        write_output(out_dir / out.name, out.data, ledger, state.harvested, force=force, result=result)
    if pdf and result.written:
        from ..infra.office import convert

        result.pdfs = convert(result.written, "pdf", out_dir)
    return result
