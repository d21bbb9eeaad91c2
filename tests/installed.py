"""kitgen as a user installs it, for the tests that run it so: the wheel built from a copy of the source and
installed into a fresh virtualenv in a temporary folder (see tests/test_install.py's docstring for how and why)."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

from .conftest import ROOT

SHIPPED_SOURCE = ("pyproject.toml", "README.md", "LICENSE")  # what the build reads beside kitgen/
LEFT_BESIDE_EXAMPLES = ("fr/projet.kitgen.json", "fr/.projet.yaml.lock", "fr/projet.yaml.bak")  # by `make demo`
MIN_SETUPTOOLS = 77  # pyproject's build-system floor
TIMEOUT = 300  # seconds for one step (a build takes a few)
NICENESS = 10  # these long runs yield the CPU to the suite's other tests, some of which bound their own time


def lower_priority() -> None:
    """Run a child at a lower CPU priority (its kitgen fans out into worker processes of its own)."""
    os.nice(NICENESS)


@dataclass
class Installed:
    """A fresh virtualenv holding kitgen's wheel, its dependencies those of the running venv."""

    source: Path      # the source copy the wheel was built from
    wheel: Path
    build_log: str
    venv: Path
    site: Path        # the venv's site-packages

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def env(self) -> dict[str, str]:
        """The environment a user of this venv has: its bin first on PATH, nothing pointing at the source."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        return env


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=lower_priority)


def _source_copy(dest: Path) -> Path:
    """The files a source distribution holds, as a fresh checkout has them, plus what `make demo` leaves beside
    the examples (which the wheel must leave out)."""
    dest.mkdir()
    for name in SHIPPED_SOURCE:
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "kitgen", dest / "kitgen", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.kitgen.json", ".*.lock", "*.bak"))
    for left in LEFT_BESIDE_EXAMPLES:
        (dest / "kitgen" / "data" / "examples" / left).write_text("{}")
    return dest


def install(folder: Path) -> Installed:
    """Build kitgen's wheel and install it into a fresh virtualenv under `folder` (offline: see test_install)."""
    if int(version("setuptools").split(".")[0]) < MIN_SETUPTOOLS:
        pytest.fail(f"the running venv's setuptools is older than {MIN_SETUPTOOLS}: run `make .venv/.installed` "
                    "(the test extra installs it)")
    folder.mkdir(exist_ok=True)
    source = _source_copy(folder / "kitgen-source")
    dist = folder / "dist"
    built = run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation", "--no-cache-dir",
                 "--wheel-dir", str(dist), str(source)], folder)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = dist.glob("kitgen-*.whl")
    venv = folder / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)], folder)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                     "--no-index", "--no-cache-dir", "--no-compile", str(wheel)], folder)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    folder).stdout.strip())
    # after the venv's own site-packages: kitgen from the wheel, its dependencies from the running venv
    (site / "zz-kitgen-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return Installed(source, wheel, built.stdout + built.stderr, venv, site)


def shared_install(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """One install for the whole run, shared by the tests that use it (test_install, the README's tour) even when
    pytest-xdist runs them in different workers: the first to ask builds it under a lock in the run's temporary
    root, the others wait for it and reuse it (a build and install costs several seconds of CPU; both tests only
    read the install)."""
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker's basetemp is <run root>/popen-gwN; the run root is shared by the workers of this run
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder, done = root / "kitgen-installed", root / "kitgen-installed.json"
    with open(root / "kitgen-installed.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            kit = install(folder)
            done.write_text(json.dumps({"source": str(kit.source), "wheel": str(kit.wheel), "build_log": kit.build_log,
                                        "venv": str(kit.venv), "site": str(kit.site)}))
    saved = json.loads(done.read_text())
    return Installed(Path(saved["source"]), Path(saved["wheel"]), saved["build_log"], Path(saved["venv"]),
                     Path(saved["site"]))
