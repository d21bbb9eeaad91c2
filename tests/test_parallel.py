"""Work mapped over worker processes: results in order, and a worker that dies is one error line, not a traceback."""
from __future__ import annotations

import os

import pytest

from kitgen.errors import KitgenError
from kitgen.infra.parallel import FEW, ordered_map


def square(n: int) -> int:
    return n * n


def die_on_seven(n: int) -> int:
    if n == 7:
        os._exit(9)  # as the kernel's out-of-memory killer leaves a worker
    return n


def test_results_come_in_order_from_workers():
    items = list(range(FEW * 3))
    assert list(ordered_map(square, items, processes=2)) == [n * n for n in items]


def test_a_worker_that_dies_is_an_error_naming_what_to_do():
    with pytest.raises(KitgenError, match="worker process stopped abruptly.*-j 1"):
        list(ordered_map(die_on_seven, list(range(FEW * 2)), processes=2))
