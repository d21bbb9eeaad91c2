"""kitgen installed as a user installs it: the wheel built from the source, installed into a fresh virtualenv in a
temporary folder, run from another folder (`kitgen --version`, the shipped starter, templates). Fails when a data file
is left out of the wheel, when the build warns (setuptools' "!!" deprecation notices), or when a command reads anything
from the source folder. The README's tour (tests/test_readme_tour.py) runs every other command on the same install:
the examples, validate, build, harvest, readiness, scan, package, feedback, templates export and check.

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

    def kitgen(*args: str) -> str:
        result = run([str(kit.bin / "kitgen"), *args], work, env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        return result.stdout

    assert kitgen("--version") == f"kitgen, version {version('kitgen')}\n"
    assert run([str(kit.bin / "python"), "-c", "import kitgen; print(kitgen.__version__)"], work, env).stdout == \
        f"{version('kitgen')}\n"
    # the examples, build, harvest, readiness, package, feedback and templates: the README's tour, on this install
    assert kitgen("init", "own", "--lang", "en").startswith("Wrote own/project.yaml")  # the shipped starter
    assert kitgen("validate", "own/project.yaml").startswith("own/project.yaml: valid\n")
    assert f"{kit.site}/kitgen/data/templates/fr/audit-report.docx" in kitgen("templates", "list")
