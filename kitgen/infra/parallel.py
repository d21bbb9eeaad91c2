"""One function mapped over many files in worker processes, results in input order; one process for a few."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from ..errors import KitgenError

T = TypeVar("T")
R = TypeVar("R")
FEW = 64  # below this, starting workers costs more than it saves
CHUNKS_PER_WORKER = 4  # about this many chunks per worker: one slow file does not leave the other workers idle
MAX_CHUNK = 64         # items per chunk at most: enough to amortise the pipe; more would only delay the first results


def ordered_map(fn: Callable[[T], R], items: list[T], processes: int = 0) -> Iterator[R]:
    """fn(item) for every item, in order, in `processes` workers (0: one per core). `fn` must be a module-level
    function; each worker returns only its small result, so memory stays flat however many files."""
    processes = processes or os.cpu_count() or 1
    if processes <= 1 or len(items) < FEW:
        yield from map(fn, items)
        return
    try:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            # chunks big enough to amortise the pipe, small enough for both workers to finish together
            chunk = max(1, min(MAX_CHUNK, len(items) // (processes * CHUNKS_PER_WORKER)))
            yield from pool.map(fn, items, chunksize=chunk)
    except BrokenProcessPool:
        raise KitgenError("a worker process stopped abruptly (out of memory, or killed); nothing was written: run "
                          "again, with -j 1 to read in one process") from None
