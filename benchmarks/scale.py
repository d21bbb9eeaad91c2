"""The three-year project's rows of `make bench`: each kitgen command (as a user runs it: a new process) against the
floor of the same job on the same file — the interpreter starting and ruamel's C-accelerated safe loader reading
the file, plus the bare libraries' own work where the job has some (reading the returned form, listing the folder,
filling the templates). Pairs run interleaved, five times; medians compared as ratios. Peak memory (RSS) at two
sizes shows whether it grows with the records.
"""
from __future__ import annotations

import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.three_years import add_new_files, make_three_years

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
READ_ONLY = 1.5    # interpreter start + the C load of the same file
WRITER = 2.0       # the same floor plus the job's own reading (the form, the folder)
FOLDER = 1.2       # a folder of forms, against the sum of their single harvests
BUILD = 1.5        # the floor plus the bare libraries filling every template
NEW_FILES = 200
COPIES = 20


def _cpu() -> float:
    """CPU seconds used so far by this process and by the children it waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one call."""
    start, cpu = time.perf_counter(), _cpu()
    fn()
    return time.perf_counter() - start, _cpu() - cpu


def pair(name: str, kitgen: Callable[[], object], floor: Callable[[], object], target: float, runs: int,
         setup: Callable[[], object] = lambda: None, floor_note: str = "") -> dict:
    """Medians of `runs` interleaved runs of each side (`setup` before each kitgen run, not timed).

    The target is on wall-clock time, what a user waits; CPU time is reported beside it, as it varies less on a
    machine shared with other work (but counts every worker process's time where kitgen uses two)."""
    setup()
    kitgen()  # warm the page cache and both sides' imports alike
    floor()
    k, f = [], []
    for _ in range(runs):
        setup()
        k.append(_timed(kitgen))
        f.append(_timed(floor))
    ks, fs = statistics.median(t for t, _ in k), statistics.median(t for t, _ in f)
    kc, fc = statistics.median(c for _, c in k), statistics.median(c for _, c in f)
    print(f"  {name:<34} kitgen {ks:6.2f} s  floor {fs:6.2f} s  ratio {ks / fs:4.2f} (CPU {kc / fc:4.2f})  "
          f"target ≤ {target}", flush=True)
    return {"name": name, "kitgen_s": round(ks, 3), "baseline_s": round(fs, 3), "ratio": round(ks / fs, 3),
            "kitgen_cpu_s": round(kc, 3), "baseline_cpu_s": round(fc, 3), "cpu_ratio": round(kc / fc, 3),
            "target": target, "floor": floor_note}


NOT_READY = 3  # readiness's exit code for "not ready": an answer, not a failure


def run(args: list[str]) -> None:
    """Run a command; one that fails (a timing of an error message would mean nothing) stops the bench."""
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, NOT_READY):
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def peak_rss_mb(args: list[str]) -> float:
    """Peak resident memory of one command run alone (its own process, waited for by a fresh parent)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def _edit_plan(src: Path, dst: Path, skip: int) -> str:
    """A copy of the action plan with one more action moved from Open to In progress (the `skip`-th open one), as
    a person edits it in Excel; returns the action's id."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    ws = wb["Actions"]
    header = {c.value: c.column for c in ws[1]}
    opened = [row for row in ws.iter_rows(min_row=2) if row[header["Status"] - 1].value == "Open"]
    row = opened[skip]
    row[header["Status"] - 1].value = "In progress"
    wb.save(dst)
    return str(row[header["Action ID"] - 1].value)


def _fill_jobs(project: Path, out: Path) -> Path:
    """Every file `build` writes, prepared for the bare libraries: each Word form's finished context and template,
    the action plan's and each register's rows by column (kitgen works them out here, outside the timing)."""
    from openpyxl import load_workbook

    from kitgen.forms import action_plan
    from kitgen.forms.sheet import Context, RegisterForm
    from kitgen.frameworks import get_framework
    from kitgen.jobs.build import jobs
    from kitgen.jobs.templates import resolve
    from kitgen.ooxml.xlsx import header_map
    from kitgen.project import load_project

    pf = load_project(project)
    p, lang = pf.project, pf.project.language
    prepared = []
    for form, key in jobs(pf, [], {}):
        template = resolve(form.template, lang)
        if form.template.endswith(".docx"):
            prepared.append(("docx", str(template), form.template_context(p, key, lang)))
        elif isinstance(form, RegisterForm):
            # a register's rows by column; the audit programme (a few rows) fills its sheets its own way, and the
            # floor opens and saves its template
            table = form.tables[0]
            cols = header_map(load_workbook(template)[table.sheet[lang]], table.labels())
            entries = form.rows(Context(p, get_framework(p.framework), lang)) \
                if type(form).rows is not RegisterForm.rows else []
            rows = [{cols[k]: v for k, v in row.cells.items() if k in cols and v not in (None, "")} for row in entries]
            prepared.append(("xlsx", str(template), table.sheet[lang], rows))
        else:
            sheet = action_plan.SHEETS["actions"][lang]
            cols = header_map(load_workbook(template)[sheet], action_plan.header_labels())
            rows = [{cols[k]: v for k, v in row.items() if k in cols} for row in action_plan._rows(p, lang)]
            prepared.append(("xlsx", str(template), sheet, rows))
    path = out / "fill-jobs.pickle"
    with open(path, "wb") as f:
        _ContextPickler(f).dump(prepared)
    return path


class _ContextPickler(pickle.Pickler):
    """Pickles a finished context without kitgen's classes: a list or number that prints in the document's language
    becomes the floor's own, printing the same text."""

    def reducer_override(self, obj: object) -> object:
        from benchmarks.floors import Printed, PrintedNumber, printed
        from kitgen.forms.locale import LocalNumber, ProseList

        if isinstance(obj, ProseList):
            return printed, (Printed, list(obj), str(obj))
        if isinstance(obj, LocalNumber):
            return printed, (PrintedNumber, float(obj), str(obj))
        return NotImplemented


def main(work: Path, quick: bool = False) -> list[dict]:
    """The three-year rows (a tenth of the records with `quick`), with peak memory on the rows it was taken for."""
    from kitgen.jobs.build import build
    from kitgen.jobs.harvest import harvest
    from kitgen.project import load_project

    records = 1_500 if quick else 15_000
    runs = 2 if quick else RUNS
    kitgen = str(Path(sys.executable).parent / "kitgen")
    py = sys.executable
    print(f"three-year project ({records:,} records, 12 audits, 300 findings, 600 actions, 36 reviews):", flush=True)
    folder = work / "three-years"
    project = make_three_years(folder, records)
    size = project.stat().st_size
    print(f"  {project.stat().st_size / 2**20:.1f} MB of YAML, {sum(1 for _ in project.open()):,} lines", flush=True)
    floor = [py, "-m", "benchmarks.floors", str(project)]
    results: list[dict] = []

    print("read-only commands (floor: interpreter + C load of the file):", flush=True)
    for command in (["validate"], ["readiness"], ["findings"], ["coverage"]):
        results.append(pair(command[0], lambda c=command: run([kitgen, *c, str(project)]), lambda: run(floor),
                            READ_ONLY, runs, floor_note="C load"))

    out = work / "three-years-out"
    print("build, every form (floor: C load + docxtpl/openpyxl filling each template with its finished context):",
          flush=True)
    jobs_file = _fill_jobs(project, work)
    results.append(pair("build (all forms)", lambda: run([kitgen, "build", str(project), "-o", str(out), "--force"]),
                        lambda: run([*floor, "fill", str(jobs_file)]), BUILD, runs, floor_note="C load + fills"))

    plan = out / "action-plan.xlsx"
    copies = work / "plan-copies"
    copies.mkdir()
    changed = [_edit_plan(plan, copies / f"action-plan-{i + 1:02d}.xlsx", i) for i in range(COPIES)]
    state = project.with_name(project.stem + ".kitgen.json")
    kept = {p: p.read_bytes() for p in (project, state)}

    def restore() -> None:
        for path, data in kept.items():
            path.write_bytes(data)
        project.with_name(project.name + ".bak").unlink(missing_ok=True)

    one = copies / "action-plan-01.xlsx"
    print(f"harvest, one action plan with one status changed ({changed[0]}; floor: C load + openpyxl reading it):",
          flush=True)
    results.append(pair("harvest (one form, one change)", lambda: run([kitgen, "harvest", str(project), str(one)]),
                        lambda: run([*floor, "read", str(one)]), WRITER, runs, restore, "C load + form read"))
    restore()
    assert harvest(load_project(project), [one]).written, "the single harvest changed nothing"

    print(f"harvest, a folder of {COPIES} copies each with another change, against the sum of their single harvests "
          "(in process):", flush=True)

    def singles() -> None:
        for copy in sorted(copies.iterdir()):
            restore()
            harvest(load_project(project), [copy])

    def whole_folder() -> None:
        report = harvest(load_project(project), [copies])
        assert len(report.changes) == COPIES, report.changes

    results.append(pair(f"harvest (folder of {COPIES})", whole_folder, singles, FOLDER, runs, restore,
                        f"sum of {COPIES} single harvests"))
    restore()

    print(f"scan, {records:,} files listed and {NEW_FILES} new (floor: C load + os.scandir + reading the new files):",
          flush=True)
    new = add_new_files(folder, NEW_FILES)
    new_list = work / "new-files.txt"
    new_list.write_text("\n".join(map(str, new)), encoding="utf-8")
    results.append(pair("scan", lambda: run([kitgen, "scan", str(project)]),
                        lambda: run([*floor, "walk", str(folder), str(new_list)]), WRITER, runs, restore,
                        "C load + walk + new files read"))
    restore()
    for path in new:
        path.unlink()

    print("peak memory (MB) at a third of the records and at all of them:", flush=True)
    third = make_three_years(work / "third", records // 3, files=False)
    build(load_project(third), ["action-plan"], out_dir=work / "third-out")
    third_copy = work / "third-plan.xlsx"
    _edit_plan(work / "third-out" / "action-plan.xlsx", third_copy, 0)
    memory = {}
    for name, small, full in (
            ("floor", [*floor[:3], str(third)], floor),
            ("validate", [kitgen, "validate", str(third)], [kitgen, "validate", str(project)]),
            ("harvest", [kitgen, "harvest", str(third), str(third_copy)], [kitgen, "harvest", str(project), str(one)])):
        restore()
        memory[name] = {"small": peak_rss_mb(small), "full": peak_rss_mb(full)}
        m = memory[name]
        print(f"  {name:<10} {m['small']:7.1f} MB ({records // 3:,} records)  {m['full']:7.1f} MB ({records:,})  "
              f"growth ×{m['full'] / m['small']:.2f}", flush=True)
    restore()
    measured = {"validate": "validate", "harvest (one form, one change)": "harvest"}
    for r in results:
        r["project_bytes"] = size
        if r["name"] in measured:
            r["peak_mb"] = memory[measured[r["name"]]]
    results.append({"name": "C load (floor)", "peak_mb": memory["floor"], "project_bytes": size})
    return results


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(ROOT))
    where = Path(tempfile.mkdtemp(prefix="kitgen-scale-"))
    try:
        main(where, quick="--quick" in sys.argv[1:])
    finally:
        shutil.rmtree(where, ignore_errors=True)
