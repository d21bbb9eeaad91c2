"""Adding a form is one module plus one registry line: a form written in a temporary module (outside the source
tree), with its own template in a templates folder, is built and harvested by the verbs through the registry alone."""
from __future__ import annotations

import shutil

from openpyxl import load_workbook

import kitgen.forms
from kitgen.forms import registry
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.jobs.templates import resolve
from kitgen.project import load_project

# a new kind of register: the supplier register's columns under its own id, name and template
MODULE = '''"""A vendor register: a form added by a test, outside kitgen's source tree."""
from kitgen.forms.supplier_register import SupplierRegister


class VendorRegister(SupplierRegister):
    """Vendors, as the supplier register lists them."""

    id = "vendor-register"
    template = "vendor-register.xlsx"
    names = {"fr": "Registre des vendeurs", "en": "Register of vendors"}


FORM = VendorRegister()
'''


def test_a_form_in_a_new_module_and_one_registry_line_builds_and_harvests(sample_copy, tmp_path, monkeypatch):
    extra = tmp_path / "extra_forms"
    extra.mkdir()
    (extra / "vendor_register.py").write_text(MODULE, encoding="utf-8")
    monkeypatch.setattr(kitgen.forms, "__path__", [*kitgen.forms.__path__, str(extra)])   # the module, found
    monkeypatch.setattr(registry, "REGISTRY", (*registry.REGISTRY,
                                               registry.FormLine("vendor-register", "vendor_register", ".xlsx")))
    templates = tmp_path / "templates" / "fr"
    templates.mkdir(parents=True)
    shutil.copyfile(resolve("supplier-register.xlsx", "fr"), templates / "vendor-register.xlsx")

    assert "vendor-register" in registry.form_ids(".xlsx")
    project = sample_copy("fr")
    out = tmp_path / "out"
    built = build(load_project(project), ["vendor-register"], out_dir=out, templates=templates.parent)
    assert [p.name for p in built.written] == ["vendor-register.xlsx"]
    everything = build(load_project(project), out_dir=tmp_path / "all", templates=templates.parent)
    assert "vendor-register.xlsx" in {p.name for p in everything.written}   # building all forms includes it

    plan = out / "vendor-register.xlsx"
    wb = load_workbook(plan)
    ws = wb["Fournisseurs"]
    col = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=col["Réf."]).value == "ft-datacentre")
    ws.cell(row=row, column=col["Dernière revue"]).value = "3 décembre 2026"
    wb.save(plan)
    result = harvest(load_project(project), [plan])
    assert result.errors == [] and result.files == [str(plan)], (result.errors, result.files)
    assert [(c.new, "ft-datacentre" in c.target) for c in result.changes] == [("2026-12-03", True)], result.changes
    assert str(load_project(project).project.party("ft-datacentre").reviewed) == "2026-12-03"
    again = harvest(load_project(project), [plan])   # the same copy again: nothing left to take
    assert (again.changes, again.added, again.conflicts, again.errors) == ([], [], [], [])
