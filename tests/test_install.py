"""kitgen installed as a user installs it: the wheel built from the source, installed into a fresh virtualenv in a
temporary folder, run from another folder. Fails when a data file is left out of the wheel, when the build warns
(setuptools' "!!" deprecation notices), or when a command reads anything from the source folder.

How, and why this way (measured on the 2-core development machine, loaded): the wheel is built by the running venv's
own pip and setuptools with --no-build-isolation (no download: 3 to 6 s; build isolation fetches setuptools from the
index each time); the virtualenv is made --without-pip (0.4 to 0.7 s, against about 20 s with ensurepip) and the
running pip installs the wheel into it with `--python ... --no-deps --no-index` (1 to 3 s, offline); the
dependencies come from the running venv through a .pth line appended after the new venv's own site-packages (a
`--system-site-packages` venv would see the base interpreter's packages, not the dev venv's). So kitgen itself comes
only from the wheel (checked), its dependencies are the tested ones, and nothing is downloaded. A full
`pip install .` into a fresh venv, dependencies included, takes about 20 s and needs the index.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from .conftest import ROOT

SHIPPED_SOURCE = ("pyproject.toml", "README.md", "LICENSE")  # what the build reads beside kitgen/
LEFT_BESIDE_EXAMPLES = ("fr/projet.kitgen.json", "fr/.projet.yaml.lock", "fr/projet.yaml.bak")  # by `make demo`
MIN_SETUPTOOLS = (77,)  # pyproject's build-system floor


def _source_copy(dest: Path) -> Path:
    """The files a source distribution holds, as a fresh checkout has them, plus what `make demo` leaves beside
    the examples (which the wheel must leave out)."""
    for name in SHIPPED_SOURCE:
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "kitgen", dest / "kitgen", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.kitgen.json", ".*.lock", "*.bak"))
    for left in LEFT_BESIDE_EXAMPLES:
        (dest / "kitgen" / "data" / "examples" / left).write_text("{}")
    return dest


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_wheel_installed_in_a_fresh_venv_runs_the_tour_from_another_folder(tmp_path):
    if tuple(int(x) for x in version("setuptools").split(".")[:1]) < MIN_SETUPTOOLS:
        pytest.fail("the running venv's setuptools is older than 77: run `make .venv/.installed` (the test extra "
                    "installs it)")
    source = tmp_path / "kitgen-source"
    source.mkdir()
    _source_copy(source)
    dist = tmp_path / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation", "--no-cache-dir",
                  "--wheel-dir", str(dist), str(source)], tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    log = built.stdout + built.stderr
    assert "!!" not in log and "Deprecat" not in log and "BuildBackendWarning" not in log, log

    [wheel] = dist.glob("kitgen-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    data = source / "kitgen" / "data"
    expected = {f"kitgen/data/{p.relative_to(data).as_posix()}" for p in data.rglob("*") if p.is_file()
                and not p.name.endswith((".kitgen.json", ".lock", ".bak"))}
    assert len(expected) > 150 and expected <= names, sorted(expected - names)[:10]
    assert not {f"kitgen/data/examples/{left}" for left in LEFT_BESIDE_EXAMPLES} & names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    for field in ("License-Expression: MIT", "Requires-Python: >=3.10", "Classifier: Natural Language :: French",
                  "Description-Content-Type: text/markdown", f"Version: {version('kitgen')}"):
        assert field in metadata, field

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path).returncode == 0
    python = venv / "bin" / "python"
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                      "--no-index", "--no-cache-dir", "--no-compile", str(wheel)], tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     tmp_path).stdout.strip())
    (site / "zz-kitgen-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = _run([str(python), "-c", "import kitgen; print(kitgen.__file__)"], work, env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    def kitgen(*args: str, code: int = 0) -> str:
        result = _run([str(venv / "bin" / "kitgen"), *args], work, env)
        assert result.returncode == code, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        return result.stdout

    assert kitgen("--version") == f"kitgen, version {version('kitgen')}\n"
    assert kitgen("init", "tour-en", "--example", "en").startswith("Wrote tour-en/project.yaml and its ")
    assert kitgen("init", "tour-fr", "--example", "fr").startswith("Wrote tour-fr/projet.yaml and its ")
    assert kitgen("validate", "tour-en/project.yaml").startswith("tour-en/project.yaml: valid\n")
    assert kitgen("validate", "tour-fr/projet.yaml").startswith("tour-fr/projet.yaml: valid\n")
    wrote = kitgen("build", "tour-en/project.yaml", "-o", "out").splitlines()
    assert "wrote out/action-plan.xlsx" in wrote and "wrote out/evaluation-form.docx" in wrote
    assert all((work / line.removeprefix("wrote ")).is_file() for line in wrote)
    assert kitgen("readiness", "tour-en/project.yaml", "--as-of", "2026-11-29").splitlines()[-1] == \
        "READY for the stage 1 audit as of 2026-11-29"
    kitgen("readiness", "tour-fr/projet.yaml", "--as-of", "2026-11-29", code=3)
    assert f"{site}/kitgen/data/templates/fr/audit-report.docx" in kitgen("templates", "list")
    kitgen("templates", "export", "mine")
    assert kitgen("templates", "check", "mine").endswith("template(s) checked, no problem found\n")
