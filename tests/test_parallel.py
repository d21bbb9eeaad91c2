"""Work mapped over worker processes: results in order, and a worker that dies is one error line, not a traceback."""
from __future__ import annotations

import os

import pytest

from kitgen.errors import KitgenError
from kitgen.infra.parallel import FEW, ordered_map


def die_on_seven(n: int) -> int:
    if n == 7:
        os._exit(9)  # as the kernel's out-of-memory killer leaves a worker
    return n


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_come_in_order_from_workers():
    items = list(range(FEW * 3))
    results = list(ordered_map(square_and_pid, items, processes=2))
    assert [r for r, _ in results] == [n * n for n in items]
    assert os.getpid() not in {pid for _, pid in results}  # the work ran in worker processes, not here


def test_a_few_items_stay_in_this_process():
    assert {pid for _, pid in ordered_map(square_and_pid, list(range(FEW - 1)), processes=2)} == {os.getpid()}


def test_a_worker_that_dies_is_an_error_naming_what_to_do():
    with pytest.raises(KitgenError, match="worker process stopped abruptly.*-j 1"):
        list(ordered_map(die_on_seven, list(range(FEW * 2)), processes=2))


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2,
                    reason="needs CPU affinity and two CPUs")
def test_render_workers_are_one_per_cpu_the_process_may_use():
    from kitgen.infra.limits import run_many

    given = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(given)})     # as taskset or a container's cpuset leaves a process one CPU
        alone = run_many([os.getpid] * 4)
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))   # trimmed by the kernel to what a cpuset allows
        allowed = len(os.sched_getaffinity(0))
        every = run_many([os.getpid] * 4)
    finally:
        os.sched_setaffinity(0, given)
    assert len(set(alone)) == 1, alone            # one worker did the four
    assert len(set(every)) == min(4, allowed), every   # one per CPU it may use, each handed a work at once
