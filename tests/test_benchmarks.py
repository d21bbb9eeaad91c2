"""The benchmark harness itself: its floors do the same jobs as kitgen (no test times anything)."""
from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from benchmarks.scale import _fill_jobs
from benchmarks.three_years import make_three_years
from kitgen.jobs.build import jobs
from kitgen.project import load_project

from .conftest import ROOT


@pytest.mark.slow
def test_the_build_floor_fills_every_file_build_writes(tmp_path):
    project = make_three_years(tmp_path / "three-years", 300, files=False)
    prepared = pickle.loads(_fill_jobs(project, tmp_path).read_bytes())
    built = [form.template for form, _ in jobs(load_project(project), [], {})]
    assert [job[1].rsplit("/", 1)[-1] for job in prepared] == built
    assert any(job[0] == "xlsx" and job[3] for job in prepared if job[1].endswith("risk-register.xlsx"))
    one_of_each = list({job[1]: job for job in prepared}.values())   # the floor fills each template as it is given
    jobs_file = tmp_path / "one-of-each.pickle"
    jobs_file.write_bytes(pickle.dumps(one_of_each))
    floor = subprocess.run([sys.executable, "-m", "benchmarks.floors", str(project), "fill", str(jobs_file)],
                           cwd=ROOT, capture_output=True, text=True)
    assert floor.returncode == 0, floor.stderr
