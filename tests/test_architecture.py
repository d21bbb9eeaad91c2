"""The layers of kitgen/ as import rules: arrows point down only (cli -> jobs -> forms via the registry -> ooxml, infra).

Each rule names what a layer may import from kitgen; everything may read the project, the frameworks and the errors.
"""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kitgen"
SHARED = {"errors", "project", "frameworks"}
# what each layer may import (top-level names under kitgen), besides itself
ALLOWED = {
    "infra": {"errors"},
    "ooxml": {"errors", "infra"},
    "frameworks": {"errors"},
    "project": {"errors", "frameworks", "infra"},
    "forms": SHARED | {"ooxml", "infra"},
    "jobs": SHARED | {"forms", "ooxml", "infra"},
    "cli": SHARED | {"jobs", "forms", "infra"},
}
# the forms' shared kit, which jobs may use; every other module of kitgen/forms is a form, reached only through the
# registry
FORM_KIT = {"registry", "kind", "common", "reading", "values", "vocabulary", "locale", "typeset", "survey"}


def imports(path: Path, root: Path = PACKAGE) -> list[str]:
    """Every kitgen module `path` (a file under `root`, the kitgen folder) imports, as dotted names under kitgen
    ('jobs.build', 'forms.kind')."""
    package = path.relative_to(root.parent).with_suffix("").parts[:-1]
    out = []
    for node in import_nodes(path.read_text(encoding="utf-8")):
        if isinstance(node, ast.ImportFrom):
            target = list(package[: len(package) - (node.level - 1)]) if node.level else []
            target += node.module.split(".") if node.module else []
            # `from ..forms import cover` imports the module forms.cover: name it, not its package
            names = [".".join(target + [a.name]) for a in node.names if is_module(target + [a.name], root)]
            names = names or [".".join(target)]
        else:
            names = [a.name for a in node.names]
        out += [n.split(".", 1)[1] for n in names if n.startswith("kitgen.")]
    return out


@cache
def import_nodes(source: str) -> tuple[ast.Import | ast.ImportFrom, ...]:
    """The import statements of a module's source, anywhere in it (lazy imports included), parsed once per run: the
    rules below each read every module."""
    return tuple(node for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.Import, ast.ImportFrom)))


def is_module(dotted: list[str], root: Path = PACKAGE) -> bool:
    """True when kitgen has a module or package of that dotted name."""
    where = root.parent.joinpath(*dotted)
    return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if len(p.relative_to(PACKAGE).parts) > 1)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    layer = path.relative_to(PACKAGE).parts[0]
    allowed = ALLOWED.get(layer)
    if allowed is None:
        pytest.skip(f"{layer}: data, not code")
    wrong = [m for m in imports(path) if m.split(".")[0] not in allowed | {layer}]
    assert wrong == [], f"kitgen/{layer} may import only {sorted(allowed)} from kitgen"


# registry bypasses that remain to be removed (issue 30): strict, so each turns red once it is mended
BYPASSES: set[str] = set()   # verbs that still import a form module (none: keep it so)


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="registry bypass to remove"))
    if str(p.relative_to(PACKAGE)) in BYPASSES else p
    for p in modules() if p.relative_to(PACKAGE).parts[0] in ("jobs", "cli")], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_verbs_reach_forms_only_through_the_registry(path: Path) -> None:
    forms = [m for m in imports(path) if m.startswith("forms.") and m.split(".")[1] not in FORM_KIT]
    assert forms == [], "a verb imports a form module: go through kitgen.forms.registry"


def test_nothing_imports_the_command_line() -> None:
    users = [str(p.relative_to(PACKAGE)) for p in [*modules(), PACKAGE / "__init__.py"]
             if p.relative_to(PACKAGE).parts[0] != "cli" and any(m.startswith("cli") for m in imports(p))]
    assert users == []


def test_the_rules_see_a_broken_import(tmp_path: Path) -> None:
    """The parser of imports itself: planted upward imports are seen, a form module named as a module."""
    root = tmp_path / "kitgen"
    for name in ("infra/planted.py", "jobs/build.py", "forms/kind.py", "forms/cover.py", "cli/__init__.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("", encoding="utf-8")
    planted = root / "infra" / "planted.py"
    planted.write_text("from ..jobs import build\nfrom ..forms.kind import FormType\nimport kitgen.cli\n"
                       "from ..forms import cover\n", encoding="utf-8")
    assert imports(planted, root) == ["jobs.build", "forms.kind", "cli", "forms.cover"]


# the SMS's documents (issue 27) were added as one module and one registry line each: no verb may name them
SMS_DOCUMENTS = ("scope-statement", "policy-objectives", "sms-plan", "service-catalogue")


@pytest.mark.parametrize("form_id", SMS_DOCUMENTS)
def test_no_verb_names_the_sms_documents(form_id: str) -> None:
    from kitgen.forms.registry import REGISTRY, form_type

    line = next(x for x in REGISTRY if x.id == form_id)
    assert form_type(form_id).id == form_id
    from kitgen.project.models import DOCUMENT_KINDS

    # the id, or its module's name; an id that is also a kind of documented information ('sms-plan': scan guesses
    # it from a file's name) is looked for as the module only
    names = (line.module,) if form_id in DOCUMENT_KINDS else (form_id, line.module)
    verbs = [p for p in modules() if p.relative_to(PACKAGE).parts[0] in ("jobs", "cli")]
    naming = [str(p.relative_to(PACKAGE)) for p in verbs if any(n in p.read_text(encoding="utf-8") for n in names)]
    assert naming == [], f"a verb names the form {form_id}: it must reach it through kitgen.forms.registry only"


def test_no_import_cycles() -> None:
    """No module imports, even lazily, a module that imports it back (feedback and its report once did)."""
    def dotted(path: Path) -> str:
        return ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
    graph = {dotted(p): set(imports(p)) for p in modules()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo += graph.get(name, ())
        return False
    assert sorted(name for name, deps in graph.items() if any(reaches(dep, name) for dep in deps)) == []


def test_no_test_module_imports_another() -> None:
    """Helpers shared by test modules live in tests/helpers.py (or conftest, tour, installed …): importing a test
    module runs its module-level setup again and ties its tests' fate to another file's."""
    tests = Path(__file__).resolve().parent
    wrong = []
    for path in sorted(tests.glob("*.py")):
        for node in import_nodes(path.read_text(encoding="utf-8")):
            if isinstance(node, ast.ImportFrom):   # `from .test_x import f` and `from . import test_x`
                names = [node.module or "", *(a.name for a in node.names)]
            else:
                names = [a.name for a in node.names]
            wrong += [f"{path.name}: {n}" for n in names if n.split(".")[-1].startswith("test_")]
    assert wrong == []
