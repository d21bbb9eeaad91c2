"""Shared fixtures: the samples, a small valid project text, and helpers to write broken variants."""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import fcntl
import fnmatch
import gc
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Tests build from a private copy of the samples: kitgen keeps its state file beside a project it builds, and the
# repository's samples stay as committed.
_COPY = Path(tempfile.mkdtemp(prefix="kitgen-test-samples-"))
# what kitgen leaves beside a project it builds or harvests from: the state (memory of the forms built) and the lock;
# `make demo` leaves them beside the repository's samples, and the tests start without them (nor backups)
BESIDE_PROJECT = ("*.kitgen.json", ".*.lock")
shutil.copytree(ROOT / "samples", _COPY / "samples", ignore=shutil.ignore_patterns(*BESIDE_PROJECT, "*.bak"))
atexit.register(shutil.rmtree, _COPY, True)
SAMPLE_FR = _COPY / "samples" / "fr" / "projet.yaml"
# A folder for what the processes of one run share outside pytest's temporary root (the LibreOffice profile of
# tests/helpers.py): made by the first process, pytest's own; pytest-xdist's workers inherit it through the environment
RUN_FOLDER = "KITGEN_TEST_RUN_FOLDER"
if RUN_FOLDER not in os.environ:
    os.environ[RUN_FOLDER] = tempfile.mkdtemp(prefix="kitgen-test-run-")
    atexit.register(shutil.rmtree, os.environ[RUN_FOLDER], True)
SAMPLE_EN = _COPY / "samples" / "en" / "project.yaml"
# pytest-xdist's `-n auto` runs one test process per CPU: each is held to a CPU of its own, so that kitgen's render
# workers (one per CPU the process may use) are not also one per CPU of the machine in each test process — as many
# forks again of a large process, on cores the other test processes keep busy anyway
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and hasattr(os, "sched_setaffinity"):
    _CPUS = sorted(os.sched_getaffinity(0))
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0")) >= len(_CPUS) > 1:
        os.sched_setaffinity(0, {_CPUS[int(_WORKER[2:]) % len(_CPUS)]})

MINIMAL = """\
# a comment that must survive
kitgen: 1
id: mini
language: fr
framework: "iso20000-1:2005"
organisation:
  legal_name: "Mini SAS"
  address: "1 rue A, Paris"
  headcount: 3
scope:
  statement: "Support"
people:
  - id: ana
    name: "Ana"
    roles: [D, RGS]
  - id: bob
    name: "Bob"
processes:
  slm:
    owner: ana
audits:
  - id: A1
    kind: internal
    start: 2026-05-01
    end: 2026-05-02
    lead_auditor: bob
    findings:
      - id: A1-F1
        clause: "6.1"
        grade: minor
        statement: "No SLA review"
        actions:
          - id: CA-1
            description: "Review SLAs"
            owner: ana
            due: 2026-06-30
            status: open
"""

# MINIMAL's finding closed and verified, then found again on the same clause by a later audit
RECURRING = MINIMAL.replace("""            status: open
""", """            status: verified
            closed: 2026-06-01
            effectiveness: {date: 2026-06-15, by: bob, result: "SLA reviews held"}
  - id: A2
    kind: internal
    start: 2026-09-01
    lead_auditor: bob
    findings:
      - id: A2-F1
        clause: "6.1"
        grade: minor
        statement: "SLA reviews missed again"
        actions:
          - id: CA-2
            description: "Calendar the reviews"
            owner: ana
            due: 2026-09-30
""")


def _listing(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under `folder` with its size, modification time and mode: cheap enough to take after each test
    (scandir: a third of the cost of os.walk, lstat and relpath)."""
    out = {}
    folders = [(str(folder), "")]
    while folders:
        path, prefix = folders.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    st = entry.stat(follow_symlinks=False)
                    out[prefix + entry.name] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return out


_PRISTINE = _listing(_COPY)


@pytest.fixture(autouse=True)
def _shared_samples_stay_pristine():
    """Tests may read SAMPLE_FR / SAMPLE_EN and build from them (into their own tmp_path); what a build leaves beside
    the project (state, lock) is removed after each test, so no test sees another's memory; a test that changed
    anything else in the shared copy fails: it should work on its own copy (fixture `sample_copy`)."""
    yield
    now = _listing(_COPY)
    if now == _PRISTINE:
        return
    left = {name for name in set(now) - set(_PRISTINE)
            if any(fnmatch.fnmatch(os.path.basename(name), pattern) for pattern in BESIDE_PROJECT)}
    for name in left:
        (_COPY / name).unlink()
    changed = sorted(name for name in set(now) | set(_PRISTINE)
                     if name not in left and now.get(name) != _PRISTINE.get(name))
    if changed:
        for name in changed:  # put the shared copy back for the next tests, then say which test changed it
            if name in _PRISTINE:
                shutil.copy2(ROOT / name, _COPY / name)
            else:
                (_COPY / name).unlink()
        pytest.fail(f"this test changed the shared samples ({changed[:5]}): work on a copy (fixture sample_copy), "
                    "and replace a copy's evidence file rather than write into it (it is linked to the shared one)")


# Python's cyclic garbage collector, as the tests use it: a full collection walks every object of the process, and
# a test process holds the modules of the whole suite, its fixtures' data and kitgen's (the random-edit test spent
# half its time collecting). After collection the objects loaded so far are frozen (never walked again, nor touched
# in the render workers kitgen forks), and collections run after this many new container objects (700 by default:
# a project parsed made thousands of collections). Memory stays bounded: reference counting still frees nearly all.
GC_FIRST_GENERATION = 10_000
GC_OLDER_GENERATIONS = 20   # collections of the younger generation before the next older one is collected


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what collection loaded and collect cyclic garbage less often (see GC_FIRST_GENERATION)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_FIRST_GENERATION, GC_OLDER_GENERATIONS, GC_OLDER_GENERATIONS)


# kitgen renders in processes forked from the test process, and a fork copies the page tables of everything the
# parent holds and then pays a page fault for each page either side writes: about 40 ms of system time per fork at
# 300 MB. C libraries (lxml under python-docx and openpyxl) leave what they freed in glibc's heap, where it counts
# in the process's size: reading every sample document once grew a test process from 130 to 420 MB for the rest of
# the run. After a test that grew the process by this much, glibc gives back what it holds unused.
TRIM_AFTER_GROWTH_MB = 16
_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if ctypes.util.find_library("c") else None
_trimmed_at_mb = 0


def _resident_mb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Give glibc's unused heap back after a test that grew the process (see TRIM_AFTER_GROWTH_MB)."""
    global _trimmed_at_mb
    if _LIBC is None or not hasattr(_LIBC, "malloc_trim") or not os.path.exists("/proc/self/statm"):
        return
    if _resident_mb() - _trimmed_at_mb > TRIM_AFTER_GROWTH_MB:
        _LIBC.malloc_trim(0)
        _trimmed_at_mb = _resident_mb()


# What makes a test slow whatever else it does: the wheel installed into a fresh virtualenv (several seconds, and the
# README's tour then runs some twenty kitgen processes on it), and every form of both samples printed through
# LibreOffice (about 10 s of its CPU). `make test` leaves slow tests out; `make test-slow` and .ci/run run them.
SLOW_FIXTURES = {"installed_kitgen", "printed_samples"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests using a fixture of SLOW_FIXTURES are marked `slow`. Modules holding a slow test run first (whole, so
    that their module fixtures are made once): under `-n auto` the longest tests then overlap the many short ones
    instead of finishing alone. Tests marked `soffice` skip, saying why, where LibreOffice is missing."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    sizes = Counter(item.module.__name__ for item in items if item.module is not None)
    slow = {item.module.__name__ for item in items if "slow" in item.keywords and item.module is not None}
    # stable; among the slow modules, the smallest first: there the slow test is most of the module's time
    items.sort(key=lambda item: (0, sizes[item.module.__name__]) if item.module is not None
               and item.module.__name__ in slow else (1, 0))
    if shutil.which("soffice") is not None:
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) is not installed; .ci/run installs it")
    for item in items:
        if "soffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A small valid French project file."""
    p = tmp_path / "projet.yaml"
    p.write_text(MINIMAL, encoding="utf-8")
    return p


@pytest.fixture
def write(tmp_path: Path):
    """Write `text` as a project file and return its path."""
    def _write(text: str, name: str = "projet.yaml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p
    return _write


@pytest.fixture
def sample_copy(tmp_path: Path):
    """A copy of a sample folder (project file plus evidence) of the test's own, that it may change: copied from the
    shared copy (made once per test process, kept pristine between tests) into the test's tmp_path."""
    def _copy(lang: str = "fr") -> Path:
        src = (SAMPLE_FR if lang == "fr" else SAMPLE_EN).parent
        dst = tmp_path / f"sample-{lang}"
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.kitgen.json", ".*.lock"),
                        copy_function=_evidence_linked)
        return dst / (SAMPLE_FR.name if lang == "fr" else SAMPLE_EN.name)
    return _copy


def _evidence_linked(src: str, dst: str) -> None:
    """A sample's project file copied; its evidence files (a hundred, which tests read, never change) linked to the
    shared copy's, a tenth of the cost of copying them. A test that changes one in place changes the shared copy,
    which the check after each test reports (kitgen itself replaces the files it writes, never writes into them)."""
    if src.endswith(".yaml"):
        shutil.copy2(src, dst)
        return
    try:
        os.link(src, dst)
    except OSError:  # another file system
        shutil.copy2(src, dst)


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Any]) -> Any:
    """make(folder)'s result (JSON), made by the first test process of the run that asks for it, under a lock in the
    run's temporary root, and read back by the others (pytest-xdist's workers are separate processes: each would
    make it again)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # a worker's basetemp is <root>/popen-gwN
    done = root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            (root / name).mkdir(exist_ok=True)
            done.write_text(json.dumps(make(root / name)))
    return json.loads(done.read_text())


@pytest.fixture(scope="session")
def printed_samples(tmp_path_factory) -> dict[str, Any]:
    """Every form of each sample built in its own language with --pdf (LibreOffice prints them, where it is
    installed), once for the run: language -> the build's result (the files, their PDFs beside them). Shared by the
    tests of several modules: read it, never change it (copy a file to edit it)."""
    from kitgen.jobs.build import BuildResult, build
    from kitgen.project import load_project

    def make(folder: Path) -> dict[str, dict[str, list[str]]]:
        out = {}
        for lang, sample in (("fr", SAMPLE_FR), ("en", SAMPLE_EN)):
            result = build(load_project(sample), out_dir=folder / lang, pdf=shutil.which("soffice") is not None)
            out[lang] = {"written": [str(p) for p in result.written], "pdfs": [str(p) for p in result.pdfs]}
        return out

    return {lang: BuildResult(written=[Path(p) for p in made["written"]], pdfs=[Path(p) for p in made["pdfs"]])
            for lang, made in once_per_run(tmp_path_factory, "printed-samples", make).items()}


@pytest.fixture(scope="session")
def installed_kitgen(tmp_path_factory):
    """kitgen's wheel installed into a fresh virtualenv, once for the run (tests/installed.py: shared_install)."""
    from .installed import shared_install

    return shared_install(tmp_path_factory)
