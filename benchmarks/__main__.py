"""`make bench`: kitgen vs the raw libraries on a large generated project; prints a table, writes output/benchmarks.json.

Each pair runs in the same process, one after the other, several times; the medians are compared as ratios.
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"build": 1.5, "harvest": 2.0, "feedback": 1.5, "package": 1.3, "startup": 2.0}


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pair(name: str, kitgen: Callable[[], object], baseline: Callable[[], object], runs: int,
         target: float | None = None) -> dict:
    kitgen()  # warm caches (imports, the OS page cache) for both sides alike
    baseline()
    k, b = [], []
    for _ in range(runs):  # interleaved, so that a slow moment of the machine hits both
        k.append(median_time(kitgen, 1))
        b.append(median_time(baseline, 1))
    ks, bs = statistics.median(k), statistics.median(b)
    result = {"name": name, "kitgen_s": round(ks, 4), "baseline_s": round(bs, 4), "ratio": round(ks / bs, 3),
              "target": target if target is not None else TARGETS.get(name.split(" ")[0])}
    print(f"  {name:<34} kitgen {ks:8.3f} s   baseline {bs:8.3f} s   ratio {ks / bs:6.2f}   target ≤ {result['target']}",
          flush=True)
    return result


def peak_mb(*args: str) -> float:
    out = subprocess.run([sys.executable, "-m", "benchmarks.memory", *args], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from docx import Document
    from docxtpl import DocxTemplate
    from openpyxl import load_workbook

    from benchmarks.generate import make_forms, make_project
    from kitgen.build import build, template_context
    from kitgen.feedback import aggregate
    from kitgen.forms import action_plan
    from kitgen.harvest import harvest
    from kitgen.package import build_package
    from kitgen.project import load_project
    from kitgen.templates import resolve
    from kitgen.tracking import finding_rows

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="kitgen-bench-"))
    results: list[dict] = []
    memory: dict[str, dict[str, float]] = {}
    try:
        print(f"generating the large project in {work} …", flush=True)
        project = make_project(work / "big", record_bytes=800_000)      # about 1 GB of evidence
        small = make_project(work / "small", records_per_process=50, record_bytes=800_000)
        pf = load_project(project)
        p = pf.project
        print(f"  {len(p.audits)} audits, {sum(len(a.findings) for a in p.audits)} findings, "
              f"{sum(len(f.actions) for a in p.audits for f in a.findings)} actions, "
              f"{sum(len(x.records) for x in p.processes.values())} record files", flush=True)
        out = work / "out"
        build(pf, ["evaluation-form"], out_dir=out)
        forms = make_forms(out / "evaluation-form.docx", work / "forms", 1000)
        for f in forms[:500]:
            (work / "forms-half").mkdir(exist_ok=True)
            shutil.copy(f, work / "forms-half" / f.name)
        print(f"  {len(forms)} filled evaluation forms", flush=True)

        print("build (20 audit reports + the action plan):", flush=True)
        raw = work / "raw"
        raw.mkdir()

        def raw_build() -> None:
            for audit in p.audits:
                tpl = DocxTemplate(str(resolve("audit-report", "fr")))
                tpl.render(template_context(p, "audit-report", "fr", audit.id), autoescape=True)
                tpl.save(str(raw / f"audit-report-{audit.id}.docx"))
            wb = load_workbook(resolve("action-plan", "fr"))
            ws = wb["Actions"]
            tracked = {r.id: r for r in finding_rows(p)}
            keys = [k for k, *_ in action_plan.COLUMNS]
            for r, values in enumerate(action_plan._rows(p, "fr", tracked), start=2):
                for c, key in enumerate(keys, start=1):
                    ws.cell(row=r, column=c).value = values.get(key)
            wb.save(raw / "action-plan.xlsx")

        results.append(pair("build", lambda: build(pf, ["audit-report", "action-plan"], out_dir=out, force=True),
                            raw_build, runs=3))

        print("harvest (20 audit reports + the action plan, dry run):", flush=True)
        files = sorted(out.glob("audit-report-*.docx")) + [out / "action-plan.xlsx"]

        def raw_harvest() -> None:
            for path in files:
                if path.suffix == ".docx":
                    for table in Document(str(path)).tables:
                        for row in table.rows:
                            [c.text for c in row.cells]
                else:
                    wb = load_workbook(path, read_only=True, data_only=True)
                    for _ in wb["Actions"].iter_rows(values_only=True):
                        pass
                    wb.close()

        results.append(pair("harvest", lambda: harvest(load_project(project), files, dry_run=True), raw_harvest, runs=3))

        print("feedback (1,000 evaluation forms):", flush=True)

        def raw_feedback() -> None:
            for path in forms:
                for table in Document(str(path)).tables:
                    for row in table.rows:
                        [c.text for c in row.cells]

        results.append(pair("feedback", lambda: aggregate([work / "forms"], processes=2), raw_feedback, runs=3))
        one = median_time(lambda: aggregate([work / "forms"], processes=1), 3)
        two = results[-1]["kitgen_s"]
        results.append({"name": "feedback 1 vs 2 processes", "kitgen_s": round(two, 4), "baseline_s": round(one, 4),
                        "ratio": round(two / one, 3), "target": 1.0})
        print(f"  feedback speed-up on 2 processes: {one / two:.2f}x ({one:.2f} s → {two:.2f} s)", flush=True)

        print("package (1,300 records, about 1 GB, half of it incompressible scans):", flush=True)
        folder = project.parent
        targets = [str(Path(r.path)) for x in p.processes.values() for r in x.records + x.documents]

        def raw_package() -> None:
            with open(work / "SUMS", "w") as sums:
                subprocess.run(["sha256sum", *targets], cwd=folder, stdout=sums, check=True)
            (work / "raw.zip").unlink(missing_ok=True)
            subprocess.run(["zip", "-q", "-r", str(work / "raw.zip"), "documents", "records"], cwd=folder, check=True)

        results.append(pair("package", lambda: build_package(load_project(project), work / "pkg.zip"), raw_package,
                            runs=3))

        print("startup (--help):", flush=True)
        bare = work / "bare.py"
        bare.write_text("import click\n@click.group()\ndef cli():\n    'Bare.'\n@cli.command()\ndef hello():\n"
                        "    'Hello.'\ncli()\n", encoding="utf-8")
        kitgen_bin = str(Path(sys.executable).parent / "kitgen")
        results.append(pair("startup", lambda: subprocess.run([kitgen_bin, "--help"], capture_output=True, check=True),
                            lambda: subprocess.run([sys.executable, str(bare), "--help"], capture_output=True,
                                                   check=True), runs=10))

        print("peak memory (MB), half and full size:", flush=True)
        half_files = files[:10] + [out / "action-plan.xlsx"]
        memory["harvest"] = {"half": peak_mb("harvest", str(project), *map(str, half_files)),
                             "full": peak_mb("harvest", str(project), *map(str, files))}
        memory["feedback"] = {"half": peak_mb("feedback", str(work / "forms-half"), "1"),
                              "full": peak_mb("feedback", str(work / "forms"), "1")}
        memory["package"] = {"half": peak_mb("package", str(small), str(work / "m1.zip")),
                             "full": peak_mb("package", str(project), str(work / "m2.zip"))}
        for name, m in memory.items():
            print(f"  {name:<10} {m['half']:7.1f} MB (half)  {m['full']:7.1f} MB (full)  growth ×{m['full'] / m['half']:.2f}",
                  flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for r in results:
        if r["name"] in memory:
            r["peak_mb"] = memory[r["name"]]
    (ROOT / "output").mkdir(exist_ok=True)
    (ROOT / "output" / "benchmarks.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    missed = [r["name"] for r in results if r["ratio"] > r["target"]]
    print(f"\nwrote output/benchmarks.json in {time.perf_counter() - started:.0f} s; "
          + ("every ratio within its target" if not missed else f"targets missed: {', '.join(missed)}"))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
