"""`make bench`: kitgen against the physical floor of each job (the bare libraries doing the minimum) on a large
generated project, 2,000 returned forms and a 5,000-file tree, then on a three-year project of 15,000 records
(benchmarks/scale.py); prints a table, writes output/benchmarks.json.

Each pair runs in the same process, interleaved, several times; the medians are compared as ratios, and each ratio is
said to meet or miss its target. `--quick` checks the harness on small inputs; `--scale` runs only the three-year rows;
`--only feedback` runs the feedback pairs alone (a small project for the blank forms); `--only startup` the CPU of a
kitgen process's start on common commands (benchmarks/startup.py).
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
TARGETS = {"build": 1.5, "harvest": 2.0, "package": 1.3}


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
    verdict = "met" if ks / bs <= result["target"] else "MISSED"
    print(f"  {name:<34} kitgen {ks:8.3f} s   baseline {bs:8.3f} s   ratio {ks / bs:6.2f}   target ≤ {result['target']}"
          f"  {verdict}", flush=True)
    return result


def peak_mb(*args: str) -> float:
    out = subprocess.run([sys.executable, "-m", "benchmarks.memory", *args], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def feedback_floor(folder: Path) -> int:
    """The physical floor of reading returned forms: one process, each file opened with zipfile, its
    word/document.xml parsed with lxml, every w14:checked and every table cell's text read."""
    import zipfile

    from lxml import etree

    ticked = 0
    for path in sorted(folder.iterdir()):
        with zipfile.ZipFile(path) as zf:
            root = etree.fromstring(zf.read("word/document.xml"))
        ticked += sum(1 for c in root.iter(W14 + "checked") if c.get(W14 + "val") == "1")
        for tc in root.iter(W + "tc"):
            "".join(t.text or "" for t in tc.iter(W + "t"))
    return ticked


def feedback_pairs(forms: Path) -> list[dict]:
    """Feedback on the returned forms in `forms`, with both cores (the default) and in one process (-j 1), each
    against one process doing the floor's work."""
    from kitgen.jobs.feedback import aggregate

    print(f"feedback ({len(list(forms.iterdir())):,} returned forms) against the bare parser's loop:", flush=True)
    # five runs each: on a shared machine the floor itself varies by a quarter from one run to the next
    return [pair("feedback (2 processes)", lambda: aggregate([forms], processes=2), lambda: feedback_floor(forms),
                 runs=5, target=1.0),
            pair("feedback (-j 1)", lambda: aggregate([forms], processes=1), lambda: feedback_floor(forms), runs=5,
                 target=2.0)]


def make_blanks(project: Path, folder: Path) -> dict[str, Path]:
    """The blank evaluation form in each language, built from `project` (found through the registry)."""
    from kitgen.forms.registry import form_types
    from kitgen.jobs.build import build
    from kitgen.project import load_project

    [form] = [f for f in form_types() if f.answered]
    pf = load_project(project)
    for lang in ("fr", "en"):
        build(pf, [form.id], out_dir=folder / f"blank-{lang}", lang=lang)
    return {lang: folder / f"blank-{lang}" / form.file_name(None) for lang in ("fr", "en")}


def main_feedback(quick: bool = False) -> None:
    """Only the feedback pairs and feedback's peak memory: what a change to feedback needs measured."""
    from benchmarks.generate import make_forms, make_project

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="kitgen-bench-"))
    try:
        tiny = make_project(work / "tiny", audits=1, findings_per_audit=1, records_per_process=0, record_bytes=10)
        forms = make_forms(make_blanks(tiny, work), work / "forms", 300 if quick else 2000)
        (work / "forms-200").mkdir()
        for f in forms[:200]:
            shutil.copy(f, work / "forms-200" / f.name)
        results = feedback_pairs(work / "forms")
        memory = {"small": peak_mb("feedback", str(work / "forms-200"), "1"),
                  "full": peak_mb("feedback", str(work / "forms"), "1")}
        print(f"  feedback peak memory {memory['small']:7.1f} MB (200 forms)  {memory['full']:7.1f} MB "
              f"({len(forms):,} forms)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    missed = [r["name"] for r in results if r["ratio"] > r["target"]]
    print(f"\nfeedback measured in {time.perf_counter() - started:.0f} s; "
          + ("every ratio within its target" if not missed else f"targets missed: {', '.join(missed)}"))


def main_startup(quick: bool = False) -> None:
    """Only the startup rows (benchmarks/startup.py): what a change to what a command imports needs measured."""
    from benchmarks import startup

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="kitgen-bench-"))
    try:
        results = startup.main(work, quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    missed = [r["name"] for r in results if r["ratio"] > r["target"]]
    print(f"\nstartup measured in {time.perf_counter() - started:.0f} s; "
          + ("every ratio within its target" if not missed else f"targets missed: {', '.join(missed)}"))


def scan_floor(folder: Path) -> int:
    """The physical floor of an inventory: os.scandir over the tree, each Office document's core properties part
    parsed and each PDF's first 64 KB read (where its information dictionary is), in one process."""
    import os
    import zipfile

    from lxml import etree

    seen, stack = 0, [folder]
    while stack:
        for entry in os.scandir(stack.pop()):
            if entry.is_dir():
                stack.append(Path(entry.path))
            elif entry.name.endswith((".docx", ".xlsx")):
                with zipfile.ZipFile(entry.path) as zf:
                    etree.fromstring(zf.read("docProps/core.xml"))
                seen += 1
            elif entry.name.endswith(".pdf"):
                with open(entry.path, "rb") as f:
                    f.read(64 * 1024)
                seen += 1
            else:
                seen += 1
    return seen


def main(quick: bool = False, only_scale: bool = False) -> None:
    """Every pair at full size; `quick` (python -m benchmarks --quick) checks the harness itself on small inputs;
    `only_scale` runs the three-year project's rows alone."""
    from docx import Document
    from docxtpl import DocxTemplate
    from openpyxl import load_workbook

    from benchmarks import scale, startup
    from benchmarks.generate import make_forms, make_project, make_tree
    from kitgen.forms import action_plan
    from kitgen.forms.registry import form_type
    from kitgen.forms.sheet import Context
    from kitgen.frameworks import get_framework
    from kitgen.jobs.build import build
    from kitgen.jobs.harvest import harvest
    from kitgen.jobs.package import build_package
    from kitgen.jobs.scan import collect, scan
    from kitgen.jobs.templates import resolve
    from kitgen.project import load_project

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="kitgen-bench-"))
    results: list[dict] = []
    memory: dict[str, dict[str, float]] = {}
    try:
        if only_scale:
            results += scale.main(work, quick)
            _write(results, started)
            return
        print(f"generating the large project in {work} …", flush=True)
        size = 20_000 if quick else 800_000
        project = make_project(work / "big", record_bytes=size)      # about 1 GB of evidence
        small = make_project(work / "small", records_per_process=50, record_bytes=size)
        pf = load_project(project)
        p = pf.project
        print(f"  {len(p.audits)} audits, {sum(len(a.findings) for a in p.audits)} findings, "
              f"{sum(len(f.actions) for a in p.audits for f in a.findings)} actions, "
              f"{sum(len(x.records) for x in p.processes.values())} record files", flush=True)
        out = work / "out"
        forms = make_forms(make_blanks(project, work), work / "forms", 300 if quick else 2000)
        (work / "forms-200").mkdir()
        for f in forms[:200]:
            shutil.copy(f, work / "forms-200" / f.name)
        print(f"  {len(forms)} returned evaluation forms, filled every way people do", flush=True)

        print("build (20 audit reports + the action plan):", flush=True)
        raw = work / "raw"
        raw.mkdir()
        report_form = form_type("audit-report")

        def raw_build() -> None:
            for audit in p.audits:
                tpl = DocxTemplate(str(resolve(report_form.template, "fr")))
                tpl.render(report_form.template_context(p, audit.id, "fr"), autoescape=True)
                tpl.save(str(raw / f"audit-report-{audit.id}.docx"))
            wb = load_workbook(resolve(action_plan.FORM.template, "fr"))
            ws = wb.worksheets[0]
            keys = [k for k, *_ in action_plan.COLUMNS]
            for r, values in enumerate(action_plan._rows(p, "fr"), start=2):
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
                    for _ in wb.worksheets[0].iter_rows(values_only=True):
                        pass
                    wb.close()

        results.append(pair("harvest", lambda: harvest(load_project(project), files, dry_run=True), raw_harvest, runs=3))

        results += feedback_pairs(work / "forms")

        print("scan (5,000 files, half Word/Excel/PDF with properties) against os.scandir + core properties:",
              flush=True)
        tree = make_project(work / "tree", audits=1, findings_per_audit=1, records_per_process=0, record_bytes=10)
        make_tree(tree.parent, 500 if quick else 5000)
        tree_pf = load_project(tree)
        results.append(pair("scan", lambda: collect(tree_pf), lambda: scan_floor(tree.parent / "documents"), runs=5,
                            target=1.5))

        print("build the register of documented information (the tree's files, scanned into the project) against "
              "openpyxl writing its cells:", flush=True)
        scan(tree_pf)
        scanned = load_project(tree)
        register = form_type("document-register")
        ctx = Context(scanned.project, get_framework(scanned.project.framework), "fr")
        print(f"  {register.count(ctx)} documents and records", flush=True)

        def raw_register() -> None:
            wb = load_workbook(resolve(register.template, "fr"))
            ws = wb.worksheets[0]
            keys = [c.key for c in register.tables[0].columns]
            for r, row in enumerate(register.rows(ctx), start=2):
                for c, key in enumerate(keys, start=1):
                    ws.cell(row=r, column=c).value = row.cells.get(key)
            wb.save(raw / "document-register.xlsx")

        results.append(pair("build document register", lambda: build(scanned, ["document-register"], out_dir=out,
                                                                      force=True), raw_register, runs=3))

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

        results += startup.main(work, quick)

        print("peak memory (MB), small and full size:", flush=True)
        half_files = files[:10] + [out / "action-plan.xlsx"]
        memory["harvest"] = {"small": peak_mb("harvest", str(project), *map(str, half_files)),
                             "full": peak_mb("harvest", str(project), *map(str, files))}
        memory["feedback"] = {"small": peak_mb("feedback", str(work / "forms-200"), "1"),
                              "full": peak_mb("feedback", str(work / "forms"), "1")}
        memory["package"] = {"small": peak_mb("package", str(small), str(work / "m1.zip")),
                             "full": peak_mb("package", str(project), str(work / "m2.zip"))}
        for name, m in memory.items():
            print(f"  {name:<10} {m['small']:7.1f} MB (small)  {m['full']:7.1f} MB (full)  "
                  f"growth ×{m['full'] / m['small']:.2f}", flush=True)
        for r in results:
            name = r["name"].split(" ")[0]
            if name in memory:
                r["peak_mb"] = memory[name]
        results += scale.main(work, quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _write(results, started)


def _write(results: list[dict], started: float) -> None:
    (ROOT / "output").mkdir(exist_ok=True)
    (ROOT / "output" / "benchmarks.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    missed = [r["name"] for r in results if "ratio" in r and r["ratio"] > r["target"]]
    print(f"\nwrote output/benchmarks.json in {time.perf_counter() - started:.0f} s; "
          + ("every ratio within its target" if not missed else f"targets missed: {', '.join(missed)}"))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    args = sys.argv[1:]
    only = args[args.index("--only") + 1] if "--only" in args[:-1] else None
    if only not in (None, "feedback", "startup"):
        raise SystemExit(f"--only {only}: only the feedback pairs or the startup rows run alone")
    if only == "feedback":
        main_feedback(quick="--quick" in args)
    elif only == "startup":
        main_startup(quick="--quick" in args)
    else:
        main(quick="--quick" in args, only_scale="--scale" in args)
