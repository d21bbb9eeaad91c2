"""Runs pieces of work (rendering templates that may come from anywhere) in forked child processes under hard
CPU-time, memory and wall-clock limits, so that a hostile template costs a few seconds and leaves the machine unharmed.

A child inherits everything by fork (nothing is pickled on the way in) and does the pieces it is handed one after
the other, each under its own limits; only each result comes back, through a pipe, as soon as it is done. A child
that reached a limit (or died) is replaced by a fresh one for the pieces still to do.
Where fork does not exist (Windows), the work runs in-process, guarded by the sandbox's own caps only.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import N_, Problem, problem

SECONDS = 5.0                       # CPU and wall-clock budget of one piece of work (a real render takes < 1 s)
MEMORY_BYTES = 768 * 1024 * 1024    # address space a child may add to what it inherits
MAX_RESULT_BYTES = 256 * 1024 * 1024  # a rendered form is at most a few MB: a larger result is a runaway template
WALL_GRACE_SECONDS = 2   # the wall clock allows this beyond the CPU budget: a child waiting rather than computing
PIPE_CHUNK = 1 << 20     # bytes read from a child's pipe at once: a rendered form in a few reads
_INDEX = 4           # bytes of a piece's index, parent to child
_LENGTH = 8          # bytes of a result's length, child to parent


def usable_cpus() -> int:
    """The CPUs this process may run on: its affinity (what taskset or a cgroup's cpuset leaves it, as a container
    pinned to CPUs has), not the machine's count, which would start more workers than it can run at once. A CPU
    quota (docker --cpus) is not an affinity: it is not seen here."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


class LimitExceeded(Exception):
    """Raised when the work ran out of time or memory, or its child process died; `what` says which (time, memory,
    recursion, output, killed, signal, exited) and `detail` the signal's name or the exit status."""

    def __init__(self, what: str, detail: str | int | None = None) -> None:
        self.what, self.detail = what, detail
        super().__init__(what if detail is None else f"{what} ({detail})")

    def problem(self, file: Path | str | None = None) -> Problem:
        """What happened to the work on `file` (a template), as one problem the catalogs translate."""
        hint = (N_("close other programs and run again") if self.what == "killed" else
                N_("loops, repetitions or sizes too large") if self.what in TEMPLATE_LIMITS else None)
        return problem(STOPPED[self.what], file, detail=self.detail, code=f"limit-{self.what}", hint=hint)


TEMPLATE_LIMITS = ("time", "memory", "output", "recursion")  # what a template itself may exhaust
STOPPED = {  # why the work stopped, by `what`
    "time": N_("rendering stopped: it used more time than a template may"),
    "memory": N_("rendering stopped: it used more memory than a template may"),
    "output": N_("rendering stopped: it wrote more output than a template may"),
    "recursion": N_("rendering stopped: it nested deeper than a template may"),
    "killed": N_("rendering stopped: its worker process was killed by the system (SIGKILL: the kernel's "
                 "out-of-memory killer, or kill -9)"),
    "signal": N_("rendering stopped: its worker process ended on signal {detail} (a crash in native code)"),
    "exited": N_("rendering stopped: its worker process ended without answering (exit status {detail})"),
}


class ChildFailed(Exception):
    """Raised in the parent when the work raised: `kind` is the exception's class name, `message` its text,
    and `error` the exception itself when it could be sent back."""

    def __init__(self, kind: str, message: str, error: BaseException | None) -> None:
        self.kind, self.message, self.error = kind, message, error
        super().__init__(f"{kind}: {message}")


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def cpu_seconds(seconds: float) -> int:
    """The CPU-time limit set on a child for `seconds` of work (whole seconds, at least one)."""
    return max(int(seconds), 1)


def _cpu_used() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _one(work: Callable[[], Any]) -> tuple[tuple[str, Any], bool]:
    """(what `work` ended with, whether the child must stop: a limit reached leaves it in no state to go on)."""
    try:
        return ("ok", work()), False
    except MemoryError:
        return ("limit", "memory"), True
    except RecursionError:
        return ("limit", "recursion"), True
    except BaseException as err:  # noqa: BLE001 — the parent decides what each kind of failure means
        try:
            pickle.dumps(err)
            sent: BaseException | None = err
        except Exception:  # noqa: BLE001 — an exception that cannot travel is described instead
            sent = None
        return ("error", (type(err).__name__, str(err)[:500], sent)), False


def _cpu_limit(used: float, budget: float) -> int:
    """The CPU time (of the child's whole life) at which a piece started after `used` seconds reaches its limit: its
    budget, within half a second (the limit is in whole seconds)."""
    return int(used + 0.5) + cpu_seconds(budget)


def _serve(works: list[Callable[[], Any]], budgets: list[float], tasks: int, out: int, memory: int) -> None:
    """The child: do each piece the parent hands over (its index), under a CPU limit of its own budget beyond what
    the child used so far, and send its result back at once, until the parent hands over no more."""
    import resource

    current = _address_space()
    if current:
        resource.setrlimit(resource.RLIMIT_AS, (current + memory, current + memory))
    # the hard limit only ever stops a child that outlived every budget: each piece's own is the soft limit, which a
    # process may move up to the hard one (SIGXCPU, which ends the child, when it is reached)
    hard = sum(cpu_seconds(b) + 1 for b in budgets) + 1
    used = 0.0
    while len(handed := os.read(tasks, _INDEX)) == _INDEX:
        index = int.from_bytes(handed, "big")
        resource.setrlimit(resource.RLIMIT_CPU, (_cpu_limit(used, budgets[index]), hard))
        result, stop = _one(works[index])
        used = _cpu_used()
        try:
            data = pickle.dumps((*result, used), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as err:  # noqa: BLE001
            data = pickle.dumps(("error", (type(err).__name__, "result could not be sent back", None), used))
        view = memoryview(len(data).to_bytes(_LENGTH, "big") + data)
        while view:
            written = os.write(out, view)
            view = view[written:]
        if stop:
            break
    os.close(out)


class _Worker:
    """A forked child doing pieces of work in turn, the one it is doing, and what it has sent back so far."""

    def __init__(self, works: list[Callable[[], Any]], budgets: list[float], memory: int, others: list[int]) -> None:
        tasks_read, tasks_write = os.pipe()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            # the pipes of the other children too (else a child would keep another's task pipe open for ever)
            for fd in (tasks_write, read_end, *others):
                os.close(fd)
            try:
                _serve(works, budgets, tasks_read, write_end, memory)
            finally:
                os._exit(0)
        os.close(tasks_read)
        os.close(write_end)
        self.pid, self.fd, self.tasks = pid, read_end, tasks_write
        self.budgets = budgets
        self.buffer = bytearray()
        self.doing: int | None = None      # the index of the piece handed over and not answered yet
        self.used = 0.0                    # the child's CPU time when it answered the last piece
        self.cpu_limit = 0                 # the CPU time at which the piece it is doing reaches its limit
        self.deadline = 0.0
        self.failure: str | None = None
        self.status = 0
        self.cpu_used = 0.0

    def hand(self, index: int) -> None:
        """Give the child a piece to do, with its limits (as the child works them out)."""
        self.doing = index
        self.cpu_limit = _cpu_limit(self.used, self.budgets[index])
        self.deadline = time.monotonic() + self.budgets[index] + WALL_GRACE_SECONDS
        os.write(self.tasks, index.to_bytes(_INDEX, "big"))

    def done_handing(self) -> None:
        """No more pieces: the child finishes when it reads that (and is stopped if it has not soon after)."""
        if self.tasks >= 0:
            os.close(self.tasks)
            self.tasks = -1
            self.deadline = time.monotonic() + WALL_GRACE_SECONDS

    def read(self) -> tuple[list[tuple[int, Any]], bool]:
        """(the pieces answered in what is available, as (index, result)), and whether the child has stopped sending."""
        chunk = os.read(self.fd, PIPE_CHUNK)
        if not chunk:
            return [], True
        self.buffer += chunk
        answered = []
        while len(self.buffer) >= _LENGTH:
            size = int.from_bytes(self.buffer[:_LENGTH], "big")
            if size > MAX_RESULT_BYTES:
                self.stop("output")
                return answered, True
            if len(self.buffer) < _LENGTH + size:
                break
            kind, value, self.used = pickle.loads(bytes(self.buffer[_LENGTH:_LENGTH + size]))
            del self.buffer[:_LENGTH + size]
            index, self.doing = self.doing, None
            if index is not None:   # a child sends one result for each piece handed over, and nothing else
                answered.append((index, _outcome(kind, value)))
        return answered, False

    def stop(self, why: str) -> None:
        self.failure = why
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def finish(self) -> None:
        self.done_handing()
        os.close(self.fd)
        _, self.status, usage = os.wait4(self.pid, 0)
        self.cpu_used = usage.ru_utime + usage.ru_stime

    def ended_with(self) -> LimitExceeded:
        """What stopped the piece it was doing when the child stopped without answering it."""
        if self.failure:
            return LimitExceeded(self.failure)
        if os.WIFSIGNALED(self.status):
            signum = os.WTERMSIG(self.status)
            # kitgen's own kills set `failure` first. A SIGKILL is the CPU limit's hard stop when the child used its
            # CPU time, else the kernel's out-of-memory killer (or someone's kill -9): said as such, not guessed
            if signum == signal.SIGXCPU or (signum == signal.SIGKILL and self.cpu_used >= self.cpu_limit):
                return LimitExceeded("time")
            if signum == signal.SIGKILL:
                return LimitExceeded("killed")
            return LimitExceeded("signal", signal_name(signum))
        # the child ended without a word (os._exit in the work, or native code quitting)
        return LimitExceeded("exited", os.waitstatus_to_exitcode(self.status))


def signal_name(signum: int) -> str:
    """SIGSEGV, SIGABRT…, or the number of a signal Python has no name for."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


def _outcome(kind: str, value: Any) -> Any:
    """A piece's result as run_many hands it back: its value, or the LimitExceeded / ChildFailed it ended with."""
    if kind == "ok":
        return value
    if kind == "limit":
        return LimitExceeded(value)
    name, message, error = value
    return ChildFailed(name, message, error)


def run_many(works: list[Callable[[], Any]], *, seconds: float | None = None, memory: int | None = None,
             parallel: int | None = None, stop_after: Callable[[Any], bool] | None = None) -> list[Any | BaseException]:
    """Each work's result (or the LimitExceeded / ChildFailed it ended with), computed in child processes under
    limits, `parallel` children at a time (default: one per CPU the process may use), each doing the works it is
    handed in turn, each work with its own `seconds` of CPU and wall-clock time and the child's `memory`.

    With `stop_after`, a result it says yes to (a failure) makes the works after that one unneeded: they are not
    started, those running are stopped, and their results stay None; the works before it are still all done (the
    caller reports the first failure in order, which may be an earlier one still running)."""
    seconds = SECONDS if seconds is None else seconds
    memory = MEMORY_BYTES if memory is None else memory
    if not hasattr(os, "fork"):
        out: list[Any | BaseException] = [None] * len(works)
        for index, work in enumerate(works):
            try:
                out[index] = work()
            except MemoryError:
                out[index] = LimitExceeded("memory")
            except Exception as err:  # noqa: BLE001 — handed back like a child's failure
                out[index] = ChildFailed(type(err).__name__, str(err), err)
            if stop_after is not None and stop_after(out[index]):
                break
        return out
    budgets = [seconds] * len(works)
    parallel = max(1, parallel or usable_cpus())
    results: list[Any | BaseException] = [None] * len(works)
    waiting = deque(range(len(works)))
    running: dict[int, _Worker] = {}
    cut = len(works)   # the works from this index on are not needed any more (see stop_after)

    def record(index: int, result: Any) -> None:
        nonlocal waiting, cut
        if index >= cut:
            return
        results[index] = result
        if stop_after is not None and stop_after(result):
            cut = index
            waiting = deque(i for i in waiting if i < cut)
            for other in running.values():
                if other.doing is not None and other.doing > cut and not other.failure:
                    other.stop("cancelled")

    try:
        while waiting or running:
            while waiting and len(running) < parallel:  # a child for each core, or to replace one that stopped
                worker = _Worker(works, budgets, memory, [fd for w in running.values() for fd in (w.fd, w.tasks)
                                                          if fd >= 0])
                worker.hand(waiting.popleft())
                running[worker.fd] = worker
            now = time.monotonic()
            for worker in running.values():
                if now >= worker.deadline and not worker.failure:
                    worker.stop("time")
            timeout = max(0.0, min(w.deadline for w in running.values()) - now)
            ready, _, _ = select.select(list(running), [], [], timeout)
            for fd in ready:
                worker = running[fd]
                answered, ended = worker.read()
                for index, result in answered:
                    record(index, result)
                if not ended and worker.doing is None:
                    if waiting and not any(isinstance(r, LimitExceeded) for _, r in answered):
                        worker.hand(waiting.popleft())
                    else:
                        worker.done_handing()   # nothing left for it (or it stopped at a limit): it finishes
                if ended:
                    del running[fd]
                    worker.finish()
                    if worker.doing is not None:
                        record(worker.doing, worker.ended_with())
    finally:
        for worker in running.values():
            worker.stop("time")
            worker.finish()
    return results


def run_limited(work: Callable[[], Any], *, seconds: float | None = None, memory: int | None = None) -> Any:
    """`work()`'s result, computed in a child process under limits.

    Raises LimitExceeded when it ran out of CPU time, wall-clock time or memory, and ChildFailed when it raised.
    """
    [result] = run_many([work], seconds=seconds, memory=memory, parallel=1)
    if isinstance(result, BaseException):
        raise result
    return result
