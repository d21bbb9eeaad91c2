"""Shared fixtures: the samples, a small valid project text, and helpers to write broken variants."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Tests build from a private copy of the samples: kitgen keeps its state file beside a project it builds, and the
# repository's samples stay as committed.
_COPY = Path(tempfile.mkdtemp(prefix="kitgen-test-samples-"))
shutil.copytree(ROOT / "samples", _COPY / "samples")
atexit.register(shutil.rmtree, _COPY, True)
SAMPLE_FR = _COPY / "samples" / "fr" / "projet.yaml"
SAMPLE_EN = _COPY / "samples" / "en" / "project.yaml"

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `soffice` skip, saying why, where LibreOffice is missing."""
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
    """A copy of a sample folder (project file plus evidence) that a test may change, as a fresh checkout has it:
    without the state and lock files that other tests' builds leave beside the shared copy."""
    def _copy(lang: str = "fr") -> Path:
        src = (SAMPLE_FR if lang == "fr" else SAMPLE_EN).parent
        dst = tmp_path / f"sample-{lang}"
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.kitgen.json", ".*.lock"))
        return dst / (SAMPLE_FR.name if lang == "fr" else SAMPLE_EN.name)
    return _copy
