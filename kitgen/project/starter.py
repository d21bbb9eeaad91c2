"""`kitgen init`: a commented starter project file that validates as written and with its examples uncommented, or a
copy of an example project."""
from __future__ import annotations

import os
import re
from datetime import date, datetime, time
from pathlib import Path

from ..errors import N_, KitgenError
from ..frameworks import get_framework
from ..infra.safefs import create_new
from ..infra.shipped import shipped
from .load import load_project
from .models import ID_LENGTH
from .schema import schema_text

SCHEMA_FILE = "kitgen.schema.json"
PROJECT_FILE = {"fr": "projet.yaml", "en": "project.yaml"}
EXAMPLE_PROCESS = "incident"   # the process of the starter's example finding (every edition has it)
# what running kitgen on an example leaves beside it (state, locks, backups): never part of a copy
NOT_COPIED = re.compile(r".*\.kitgen\.json|\..*\.lock|.*\.bak|.*\.backup-.*|\.kitgen-written\.json")


def starter_text(lang: str, framework_id: str, project_id: str, file_name: str, today: date | None = None) -> str:
    """The starter project's YAML for this language and framework."""
    fw = get_framework(framework_id)
    owner = "dirigeant" if lang == "fr" else "director"
    since = (today or date.today()).isoformat()
    blocks = []
    for slug, clause in fw.processes.items():
        blocks.append(f"  {slug}:  # {clause} {fw.clause_title(clause, lang)}\n"
                      f"    owner: {owner}\n    since: {since}\n    documents: []\n    records: []")
    text = shipped("starters", f"{lang}.yaml").read_text(encoding="utf-8")
    clause = fw.processes[EXAMPLE_PROCESS]   # the examples' finding: a clause of this edition
    text = re.sub(r'"@CLAUSE@"( +)#',   # its comment stays in line with the others
                  lambda m: f'"{clause}"{" " * (len(m.group(1)) + len("@CLAUSE@") - len(clause))}#', text)
    return (text.replace("@PROCESSES@", "\n".join(blocks)).replace("@FRAMEWORK@", framework_id)
            .replace("@ID@", project_id).replace("@FILE@", file_name).replace("@SCHEMA@", SCHEMA_FILE)
            .replace("@CLAUSE@", clause).replace("@CLAUSE_TITLE@", fw.clause_title(clause, lang))
            .replace("@AUDIT_CLAUSE@", fw.internal_audit).replace("@REVIEW_CLAUSE@", fw.management_review))


def init_project(folder: Path, *, lang: str = "fr", framework: str = "iso20000-1:2018") -> Path:
    """Write a starter project file (and its JSON Schema) in `folder`; never overwrites a project file."""
    name = PROJECT_FILE[lang]
    target = folder / name
    _check_free(folder, [target])
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-._") or "project"
    folder.mkdir(parents=True, exist_ok=True)
    create_new(target, starter_text(lang, framework, slug[:ID_LENGTH], name).encode("utf-8"))
    schema = folder / SCHEMA_FILE
    if not (schema.exists() or schema.is_symlink()):  # lets editors autocomplete the project file offline
        create_new(schema, schema_text().encode("utf-8"))
    load_project(target)  # the starter must validate; a failure here is a bug, shown as such
    return target


def _check_free(folder: Path, targets: list[Path]) -> None:
    """Refuse before writing anything when `folder` is not a folder or one of `targets` is already there."""
    if folder.exists() and not folder.is_dir():
        raise KitgenError(N_("not a folder"), folder, hint=N_("give the folder the project file goes into"),
                          code="is-a-file")
    for target in targets:
        for parent in target.relative_to(folder).parents:
            if (folder / parent).exists() and not (folder / parent).is_dir():
                raise KitgenError(N_("not a folder, where kitgen init puts one"), folder / parent,
                                  hint=N_("choose another folder"), code="is-a-file")
        if target.exists() or target.is_symlink():
            message = (N_("already exists; kitgen init never overwrites a project file") if target.suffix == ".yaml"
                       else N_("already exists; kitgen init never overwrites a file"))
            raise KitgenError(message, target, hint=N_("choose another folder"), code="exists")


def init_example(folder: Path, example: str) -> tuple[Path, int]:
    """Copy the example project `example` (fr, en) into `folder`: its project file, its evidence folders and the
    JSON Schema; returns the project file's path and the number of evidence files. Never overwrites anything.

    The evidence files are dated (modification time) as the project file lists them, so that a scan of the copy
    reads the same dates wherever and whenever kitgen was installed.
    """
    source = shipped("examples", example)
    files = sorted(p for p in source.rglob("*") if p.is_file() and not NOT_COPIED.fullmatch(p.name)
                   and "__pycache__" not in p.parts)
    targets = [folder / p.relative_to(source) for p in files]
    project_file = folder / PROJECT_FILE[example]
    schema = folder / SCHEMA_FILE
    _check_free(folder, [project_file, *targets, schema])
    for src, dst in zip(files, targets):
        dst.parent.mkdir(parents=True, exist_ok=True)
        data = src.read_bytes()
        if dst == project_file:  # the example's schema sits one folder up; the copy's, beside it
            data = data.replace(b"$schema=../" + SCHEMA_FILE.encode(), b"$schema=" + SCHEMA_FILE.encode(), 1)
        create_new(dst, data)
    create_new(schema, schema_text().encode("utf-8"))
    p = load_project(project_file).project
    dated = [(e.path, e.date) for e in p.management_system.documents + p.management_system.records]
    dated += [(e.path, e.date) for proc in p.processes.values() for e in proc.documents + proc.records]
    dated += [(r.minutes, r.date) for r in p.management_reviews if r.minutes]
    dated += [(a.report, a.end or a.start) for a in p.audits if a.report]
    for rel, day in dated:
        path = folder / rel
        if path.is_file():
            moment = datetime.combine(day, time(12, 0)).timestamp()
            os.utime(path, (moment, moment))
    return project_file, len(files) - 1
