"""One function mapped over many files in worker processes, results in input order; one process for a few."""
from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ..errors import N_, KitgenError
from .limits import signal_name, usable_cpus

T = TypeVar("T")
R = TypeVar("R")
FEW = 64  # below this, starting workers costs more than it saves
CHUNKS_PER_WORKER = 4  # about this many chunks per worker: one slow file does not leave the other workers idle
MAX_CHUNK = 64         # items per chunk at most: enough to amortise the pipe; more would only delay the first results
ONE_PROCESS = N_("run again; with -j 1 the files are read in one process")


def ordered_map(fn: Callable[[T], R], items: list[T], processes: int = 0) -> Iterator[R]:
    """fn(item) for every item, in order, in `processes` workers (0: one per core). `fn` must be a module-level
    function; each worker returns only its small result, so memory stays flat however many files."""
    processes = processes or usable_cpus()
    if processes <= 1 or len(items) < FEW:
        yield from map(fn, items)
        return
    workers: dict[Any, Any] = {}
    try:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            # the pool's own table of its worker processes (it drops it on shutdown): their exit codes say how the
            # one that broke the pool ended
            workers = getattr(pool, "_processes", workers)
            # chunks big enough to amortise the pipe, small enough for both workers to finish together
            chunk = max(1, min(MAX_CHUNK, len(items) // (processes * CHUNKS_PER_WORKER)))
            yield from pool.map(fn, items, chunksize=chunk)
    except BrokenProcessPool:
        raise worker_died([getattr(p, "exitcode", None) for p in list(workers.values())]) from None


def worker_died(exit_codes: list[int | None]) -> KitgenError:
    """The error of a pool one of whose workers ended abruptly, saying how, from the workers' exit codes (a
    negative code is the signal that ended it; the pool itself ends the others with SIGTERM)."""
    signals = [-code for code in exit_codes if code is not None and code < 0 and -code != signal.SIGTERM]
    statuses = [code for code in exit_codes if code]
    if signal.SIGKILL in signals:
        return KitgenError(N_("a worker process was killed by the system (SIGKILL: the kernel's out-of-memory "
                              "killer, or kill -9); nothing was written"), hint=ONE_PROCESS, code="worker-killed")
    if signals:
        return KitgenError(N_("a worker process ended on signal {detail}; nothing was written"), hint=ONE_PROCESS,
                           detail=signal_name(signals[0]), code="worker-killed")
    if any(code > 0 for code in statuses):
        return KitgenError(N_("a worker process stopped abruptly (exit status {detail}); nothing was written"),
                           hint=ONE_PROCESS, detail=next(code for code in statuses if code > 0),
                           code="worker-killed")
    return KitgenError(N_("a worker process stopped abruptly; nothing was written"), hint=ONE_PROCESS,
                       code="worker-killed")
