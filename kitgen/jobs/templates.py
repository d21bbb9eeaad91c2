"""Where templates come from (shipped, or a user's folder falling back to shipped), and exporting them."""
from __future__ import annotations

from pathlib import Path

from ..errors import N_, TemplateError
from ..forms.registry import form_types
from ..infra.safefs import create_new
from ..infra.shipped import shipped

LANGS = ("fr", "en")


def shipped_dir() -> Path:
    """The folder of the shipped templates (kitgen/data/templates)."""
    return shipped("templates")


def resolve(name: str, lang: str, user_dir: Path | None = None) -> Path:
    """The template file `name` in `lang`: the user's (DIR/lang/NAME or DIR/NAME) if present, else the shipped one."""
    if user_dir is not None:
        if not user_dir.is_dir():
            raise TemplateError(N_("templates folder not found"), user_dir, code="not-found")
        for candidate in (user_dir / lang / name, user_dir / name):
            if candidate.is_file():
                return candidate
    path = shipped_dir() / lang / name
    if not path.is_file():
        raise TemplateError(N_("shipped template missing"), path, hint=N_("reinstall kitgen (pip install kitgen)"),
                            code="install")
    return path


def list_templates() -> list[tuple[str, str, Path]]:
    """(form, lang, path) of every shipped template."""
    base = shipped_dir()
    return [(form.id, lang, base / lang / form.template) for form in form_types() for lang in LANGS
            if (base / lang / form.template).is_file()]


def export_templates(dest: Path) -> list[Path]:
    """Copy the shipped templates to DEST/fr and DEST/en, never overwriting anything already there."""
    for _, lang, path in list_templates():
        target = dest / lang / path.name
        if target.exists() or target.is_symlink():
            raise TemplateError(N_("already exists"), target, hint=N_("export into an empty folder"), code="exists")
    written = []
    for _, lang, path in list_templates():
        target = dest / lang / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        create_new(target, path.read_bytes())
        written.append(target)
    return written
