"""`kitgen init`: a commented starter project file that validates as written."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..errors import KitgenError
from ..frameworks import get_framework
from ..infra.safefs import create_new
from ..infra.shipped import shipped
from .load import load_project
from .schema import schema_text

SCHEMA_FILE = "kitgen.schema.json"


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
    return (text.replace("@PROCESSES@", "\n".join(blocks)).replace("@FRAMEWORK@", framework_id)
            .replace("@ID@", project_id).replace("@FILE@", file_name).replace("@SCHEMA@", SCHEMA_FILE))


def init_project(folder: Path, *, lang: str = "fr", framework: str = "iso20000-1:2018") -> Path:
    """Write a starter project file (and its JSON Schema) in `folder`; never overwrites a project file."""
    name = "projet.yaml" if lang == "fr" else "project.yaml"
    target = folder / name
    if target.exists() or target.is_symlink():
        raise KitgenError(f"{target}: already exists; kitgen init never overwrites a project file (choose another folder)")
    if folder.exists() and not folder.is_dir():
        raise KitgenError(f"{folder}: not a folder; give the folder the project file goes into")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", folder.resolve().name).strip("-._") or "project"
    folder.mkdir(parents=True, exist_ok=True)
    create_new(target, starter_text(lang, framework, slug[:64], name).encode("utf-8"))
    schema = folder / SCHEMA_FILE
    if not (schema.exists() or schema.is_symlink()):  # lets editors autocomplete the project file offline
        create_new(schema, schema_text().encode("utf-8"))
    load_project(target)  # the starter must validate; a failure here is a bug, shown as such
    return target
