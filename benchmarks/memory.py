"""Peak memory of one kitgen operation, run alone in this process: `python -m benchmarks.memory OP ARGS…`."""
from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    op, *args = argv
    if op == "harvest":
        from kitgen.jobs.harvest import harvest
        from kitgen.project import load_project

        harvest(load_project(args[0]), [Path(a) for a in args[1:]], dry_run=True)
    elif op == "feedback":
        from kitgen.jobs.feedback import aggregate

        aggregate([Path(args[0])], processes=int(args[1]))
    elif op == "package":
        from kitgen.jobs.package import build_package
        from kitgen.project import load_project

        build_package(load_project(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown operation {op}")
    # VmHWM: this process's peak resident memory (ru_maxrss would carry the parent's peak across exec)
    status = Path("/proc/self/status").read_text()
    hwm_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    print(hwm_kb / 1024)


if __name__ == "__main__":
    main(sys.argv[1:])
