"""kitgen installed as a user installs it: the wheel built from the source, installed into a fresh virtualenv in a
temporary folder, run from another folder (`kitgen init --example`, validate, build, readiness, templates). Fails when
a data file is left out of the wheel, when the build warns (setuptools' "!!" deprecation notices), or when a command
reads anything from the source folder. The README's tour (tests/test_readme_tour.py) runs on such an install too.

How (tests/installed.py), and why this way (measured on the 2-core development machine, loaded): the wheel is built
by the running venv's own pip and setuptools with --no-build-isolation (no download: 3 to 6 s; build isolation
fetches setuptools from the index each time); the virtualenv is made --without-pip (0.4 to 0.7 s, against about
20 s with ensurepip) and the running pip installs the wheel into it with `--python ... --no-deps --no-index` (1 to
3 s, offline); the
dependencies come from the running venv through a .pth line appended after the new venv's own site-packages (a
`--system-site-packages` venv would see the base interpreter's packages, not the dev venv's). So kitgen itself comes
only from the wheel (checked), its dependencies are the tested ones, and nothing is downloaded. A full
`pip install .` into a fresh venv, dependencies included, takes about 20 s and needs the index.
"""
from __future__ import annotations

import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from .installed import LEFT_BESIDE_EXAMPLES, run


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_runs_from_another_folder(installed_kitgen, tmp_path):
    kit = installed_kitgen
    assert "!!" not in kit.build_log and "Deprecat" not in kit.build_log, kit.build_log
    assert "BuildBackendWarning" not in kit.build_log, kit.build_log
    with zipfile.ZipFile(kit.wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    data = kit.source / "kitgen" / "data"
    expected = {f"kitgen/data/{p.relative_to(data).as_posix()}" for p in data.rglob("*") if p.is_file()
                and not p.name.endswith((".kitgen.json", ".lock", ".bak"))}
    assert len(expected) > 150 and expected <= names, sorted(expected - names)[:10]
    assert not {f"kitgen/data/examples/{left}" for left in LEFT_BESIDE_EXAMPLES} & names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    for field in ("License-Expression: MIT", "Requires-Python: >=3.10", "Classifier: Natural Language :: French",
                  "Description-Content-Type: text/markdown", f"Version: {version('kitgen')}"):
        assert field in metadata, field

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = kit.env()
    where = run([str(kit.bin / "python"), "-c", "import kitgen; print(kitgen.__file__)"], work, env)
    assert Path(where.stdout.strip()).is_relative_to(kit.venv), where.stdout + where.stderr

    def kitgen(*args: str, code: int = 0) -> str:
        result = run([str(kit.bin / "kitgen"), *args], work, env)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        return result.stdout

    assert kitgen("--version") == f"kitgen, version {version('kitgen')}\n"
    assert run([str(kit.bin / "python"), "-c", "import kitgen; print(kitgen.__version__)"], work, env).stdout == \
        f"{version('kitgen')}\n"
    assert kitgen("init", "tour-en", "--example", "en").startswith("Wrote tour-en/project.yaml and its ")
    assert kitgen("init", "tour-fr", "--example", "fr").startswith("tour-fr/projet.yaml écrit avec ses ")
    assert kitgen("validate", "tour-en/project.yaml").startswith("tour-en/project.yaml: valid\n")
    assert kitgen("validate", "tour-fr/projet.yaml").startswith("tour-fr/projet.yaml : valide\n")
    assert kitgen("init", "own", "--lang", "en").startswith("Wrote own/project.yaml")  # the shipped starter
    assert kitgen("validate", "own/project.yaml").startswith("own/project.yaml: valid\n")
    wrote = kitgen("build", "tour-en/project.yaml", "-o", "out").splitlines()
    assert "wrote out/action-plan.xlsx" in wrote and "wrote out/evaluation-form.docx" in wrote
    assert all((work / line.removeprefix("wrote ")).is_file() for line in wrote)
    assert kitgen("readiness", "tour-en/project.yaml", "--as-of", "2026-11-29").splitlines()[-1] == \
        "READY for the stage 1 audit as of 29 November 2026"
    kitgen("readiness", "tour-fr/projet.yaml", "--as-of", "2026-11-29", code=3)
    assert f"{kit.site}/kitgen/data/templates/fr/audit-report.docx" in kitgen("templates", "list")
