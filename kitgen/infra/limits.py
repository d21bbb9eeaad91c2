"""Runs a piece of work (rendering a template that may come from anywhere) in a forked child process under hard
CPU-time, memory and wall-clock limits, so that a hostile template costs a few seconds and leaves the machine unharmed.

The child inherits everything by fork (nothing is pickled on the way in); only the result comes back through a pipe.
Where fork does not exist (Windows), the work runs in-process, guarded by the sandbox's own caps only.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import N_, Problem, problem

SECONDS = 5.0                       # CPU and wall-clock budget of one piece of work (a real render takes < 1 s)
MEMORY_BYTES = 768 * 1024 * 1024    # address space the child may add to what it inherits
MAX_RESULT_BYTES = 256 * 1024 * 1024  # a rendered form is at most a few MB: a larger result is a runaway template
WALL_GRACE_SECONDS = 2   # the wall clock allows this beyond the CPU budget: a child waiting rather than computing
PIPE_CHUNK = 1 << 20     # bytes read from a child's pipe at once: a rendered form in a few reads


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


def _child(work: Callable[[], Any], out: int, seconds: float, memory: int) -> None:
    import resource

    try:
        cpu = cpu_seconds(seconds)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        current = _address_space()
        if current:
            resource.setrlimit(resource.RLIMIT_AS, (current + memory, current + memory))
        result: tuple[str, Any] = ("ok", work())
    except MemoryError:
        result = ("limit", "memory")
    except RecursionError:
        result = ("limit", "recursion")
    except BaseException as err:  # noqa: BLE001 — the parent decides what each kind of failure means
        try:
            pickle.dumps(err)
            sent: BaseException | None = err
        except Exception:  # noqa: BLE001 — an exception that cannot travel is described instead
            sent = None
        result = ("error", (type(err).__name__, str(err)[:500], sent))
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as err:  # noqa: BLE001
        data = pickle.dumps(("error", (type(err).__name__, "result could not be sent back", None)))
    view = memoryview(data)
    while view:
        written = os.write(out, view)
        view = view[written:]
    os.close(out)


class _Child:
    """A forked child working on one piece of work, and what it has sent back so far."""

    def __init__(self, work: Callable[[], Any], seconds: float, memory: int) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            os.close(read_end)
            try:
                _child(work, write_end, seconds, memory)
            finally:
                os._exit(0)
        os.close(write_end)
        self.pid, self.fd = pid, read_end
        self.chunks: list[bytes] = []
        self.size = 0
        self.deadline = time.monotonic() + seconds + WALL_GRACE_SECONDS
        self.seconds = seconds
        self.failure: str | None = None
        self.status = 0
        self.cpu_used = 0.0

    def read(self) -> bool:
        """Read what is available; True once the child has finished sending."""
        chunk = os.read(self.fd, PIPE_CHUNK)
        if not chunk:
            return True
        self.size += len(chunk)
        if self.size > MAX_RESULT_BYTES:
            self.stop("output")
            return True
        self.chunks.append(chunk)
        return False

    def stop(self, why: str) -> None:
        self.failure = why
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def finish(self) -> None:
        os.close(self.fd)
        _, self.status, usage = os.wait4(self.pid, 0)
        self.cpu_used = usage.ru_utime + usage.ru_stime

    def result(self) -> Any:
        if self.failure:
            raise LimitExceeded(self.failure)
        if os.WIFSIGNALED(self.status):
            signum = os.WTERMSIG(self.status)
            # kitgen's own kills set `failure` first. A SIGKILL is the CPU limit's hard stop when the child used its
            # CPU time, else the kernel's out-of-memory killer (or someone's kill -9): said as such, not guessed
            if signum == signal.SIGXCPU or (signum == signal.SIGKILL and self.cpu_used >= cpu_seconds(self.seconds)):
                raise LimitExceeded("time")
            if signum == signal.SIGKILL:
                raise LimitExceeded("killed")
            raise LimitExceeded("signal", signal_name(signum))
        if not self.chunks:  # the child ended without a word (os._exit in the work, or native code quitting)
            raise LimitExceeded("exited", os.waitstatus_to_exitcode(self.status))
        kind, value = pickle.loads(b"".join(self.chunks))
        if kind == "ok":
            return value
        if kind == "limit":
            raise LimitExceeded(value)
        name, message, error = value
        raise ChildFailed(name, message, error)


def signal_name(signum: int) -> str:
    """SIGSEGV, SIGABRT…, or the number of a signal Python has no name for."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


def run_many(works: list[Callable[[], Any]], *, seconds: float | None = None, memory: int | None = None,
             parallel: int | None = None, sizes: list[int] | None = None) -> list[Any | BaseException]:
    """Each work's result (or the LimitExceeded / ChildFailed it ended with), computed in child processes under
    limits, `parallel` at a time (default: one per core). A work made of several pieces (`sizes`: how many each)
    has the time of that many."""
    seconds = SECONDS if seconds is None else seconds
    memory = MEMORY_BYTES if memory is None else memory
    if not hasattr(os, "fork"):
        out: list[Any | BaseException] = []
        for work in works:
            try:
                out.append(work())
            except MemoryError:
                out.append(LimitExceeded("memory"))
            except Exception as err:  # noqa: BLE001 — handed back like a child's failure
                out.append(ChildFailed(type(err).__name__, str(err), err))
        return out
    parallel = max(1, parallel or os.cpu_count() or 1)
    results: list[Any | BaseException] = [None] * len(works)
    waiting = list(enumerate(works))
    running: dict[int, tuple[int, _Child]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < parallel:
                index, work = waiting.pop(0)
                child = _Child(work, seconds * (sizes[index] if sizes else 1), memory)
                running[child.fd] = (index, child)
            now = time.monotonic()
            for fd, (index, child) in list(running.items()):
                if now >= child.deadline and not child.failure:
                    child.stop("time")
            timeout = max(0.0, min(c.deadline for _, c in running.values()) - now)
            ready, _, _ = select.select(list(running), [], [], timeout)
            for fd in ready:
                index, child = running[fd]
                if child.read():
                    del running[fd]
                    child.finish()
                    try:
                        results[index] = child.result()
                    except (LimitExceeded, ChildFailed) as err:
                        results[index] = err
    finally:
        for _, child in running.values():
            child.stop("time")
            child.finish()
    return results


def run_limited(work: Callable[[], Any], *, seconds: float | None = None, memory: int | None = None) -> Any:
    """`work()`'s result, computed in a child process under limits.

    Raises LimitExceeded when it ran out of CPU time, wall-clock time or memory, and ChildFailed when it raised.
    """
    [result] = run_many([work], seconds=seconds, memory=memory, parallel=1)
    if isinstance(result, BaseException):
        raise result
    return result
