"""The start of a `kitgen` process, which a user pays on every command: the CPU time of the common commands on the
French example project (--help, --version, validate, findings, readiness, a dry-run harvest of the action plan, a
build of it) against the floor of any click program — the interpreter starting, click imported and a bare group
printing its --help. Pairs run interleaved; medians compared as ratios. CPU, not wall-clock time: a start is short
and the machine shared, and a process's CPU time varies less than the time it waits (`--only startup` runs these
rows alone, in under a minute).
"""
from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9          # interleaved runs of each pair: a start is short, so the medians need a few more than the big jobs
QUICK_RUNS = 3
NOT_READY = 3     # readiness's exit code for "not ready": an answer, not a failure
BARE = ("import click\n@click.group()\ndef cli():\n    'Bare.'\n@cli.command()\ndef hello():\n    'Hello.'\ncli()\n")
# (row, arguments after `kitgen`, target ratio to the floor). Measured on the 2-core development machine after
# issue 30's work (CPU, floor about 45 ms): --help 1.4, --version 1.7, validate 5.2, findings 4.9, readiness 6.3,
# harvest 7.2, build 8.9. Each target leaves about a fifth of room for the machine's noise: a miss is a regression.
# What is left above the floor is mostly libraries every such command needs (pydantic and the project's models,
# ruamel.yaml, Babel's locale data, rich; openpyxl or docxtpl for harvest and build).
COMMANDS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("--help", ("--help",), 1.7),
    ("--version", ("--version",), 2.0),
    ("validate", ("validate", "{project}"), 6.2),
    ("findings", ("findings", "{project}"), 5.9),
    ("readiness", ("readiness", "{project}", "--as-of", "2026-11-29"), 7.5),
    ("harvest --dry-run", ("harvest", "{project}", "{plan}", "--dry-run"), 8.6),
    ("build action-plan", ("build", "{project}", "action-plan", "-o", "{out}", "--force"), 10.7),
)


def cpu_of(args: list[str], cwd: Path) -> float:
    """CPU seconds (user and system) of one run of `args`, waited for; a run that fails stops the bench."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, NOT_READY):
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(work: Path, quick: bool = False) -> list[dict]:
    """The startup rows, on a copy of the French example in `work`."""
    kitgen = str(Path(sys.executable).parent / "kitgen")
    folder = work / "startup"
    shutil.copytree(ROOT / "kitgen" / "data" / "examples" / "fr", folder)
    project, out = folder / "projet.yaml", folder / "output"
    subprocess.run([kitgen, "build", str(project), "action-plan", "-o", str(out)], cwd=folder, capture_output=True,
                   check=True)   # the plan the harvest row reads back
    bare = work / "bare.py"
    bare.write_text(BARE, encoding="utf-8")
    floor = [sys.executable, str(bare), "--help"]
    names = {"project": str(project), "plan": str(out / "action-plan.xlsx"), "out": str(out)}
    runs = QUICK_RUNS if quick else RUNS
    print("startup: CPU of a kitgen process on the French example against a bare click program's --help:",
          flush=True)
    results = []
    for name, args, target in COMMANDS:
        command = [kitgen, *(a.format(**names) for a in args)]
        cpu_of(command, folder)   # the page cache and the bytecode warm for both sides alike
        cpu_of(floor, folder)
        k, f = [], []
        for _ in range(runs):     # interleaved, so that a slow moment of the machine hits both
            k.append(cpu_of(command, folder))
            f.append(cpu_of(floor, folder))
        ks, fs = statistics.median(k), statistics.median(f)
        verdict = "met" if ks / fs <= target else "MISSED"
        print(f"  {'startup ' + name:<34} kitgen {ks * 1000:6.0f} ms CPU   floor {fs * 1000:4.0f} ms   "
              f"ratio {ks / fs:5.2f}   target ≤ {target}  {verdict}", flush=True)
        results.append({"name": f"startup {name}", "kitgen_cpu_s": round(ks, 4), "baseline_cpu_s": round(fs, 4),
                        "ratio": round(ks / fs, 3), "target": target, "floor": "bare click --help (CPU)"})
    return results
