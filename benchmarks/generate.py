"""Generates the large project the benchmarks run on: 20 audits, 1,000 findings, 2,000 actions, 1,300 records."""
from __future__ import annotations

import os
import random
import zipfile
from datetime import date, timedelta
from pathlib import Path

from ruamel.yaml import YAML

from kitgen.frameworks import get_framework

PEOPLE = [("ana", "Ana Lopez"), ("bob", "Bob Martin"), ("cyr", "Cyril Dubois"), ("dee", "Dee Smith"),
          ("eve", "Ève Moreau")]
STATUSES = ["open", "in-progress", "done", "verified"]


def make_project(folder: Path, *, audits: int = 20, findings_per_audit: int = 50, actions_per_finding: int = 2,
                 records_per_process: int = 100, record_bytes: int = 200_000, seed: int = 7) -> Path:
    """Write a large, valid 2005-edition project with its evidence files into `folder`; return the project file."""
    rnd = random.Random(seed)
    fw = get_framework("iso20000-1:2005")
    clauses = [c for c in fw.clauses if "." in c]
    folder.mkdir(parents=True, exist_ok=True)
    processes = {}
    for slug in fw.processes:
        docs = folder / "documents" / slug
        recs = folder / "records" / slug
        docs.mkdir(parents=True, exist_ok=True)
        recs.mkdir(parents=True, exist_ok=True)
        (docs / f"{slug}-procedure.md").write_text(f"# {slug} procedure\n" + "Step.\n" * 200, encoding="utf-8")
        records = []
        for i in range(records_per_process):
            day = date(2025, 1, 1) + timedelta(days=i * 3)
            if i % 2:  # scans: incompressible, as PDFs are
                name = f"{slug}-{i:03d}.pdf"
                (recs / name).write_bytes(b"%PDF-1.4\n" + os.urandom(record_bytes))
            else:
                name = f"{slug}-{i:03d}.csv"
                line = f"{day};ticket-{i};{slug};resolved within target;ok\n"
                (recs / name).write_text(line * (record_bytes // len(line)), encoding="utf-8")
            records.append({"path": f"records/{slug}/{name}", "title": f"{slug} record {i}", "date": day})
        processes[slug] = {"owner": PEOPLE[len(processes) % 5][0], "since": date(2024, 12, 1),
                           "documents": [{"path": f"documents/{slug}/{slug}-procedure.md", "title": f"{slug} procedure",
                                          "date": date(2024, 12, 1), "version": "1.0", "kind": "procedure"}],
                           "records": records}
    audit_list, action_no = [], 0
    for a in range(audits):
        start = date(2025, 1, 6) + timedelta(days=a * 14)
        findings = []
        for f in range(findings_per_audit):
            actions = []
            for _ in range(actions_per_finding):
                action_no += 1
                status = rnd.choice(STATUSES)
                act = {"id": f"CA-{action_no}", "kind": rnd.choice(["correction", "corrective", "preventive"]),
                       "description": f"Action {action_no}: fix the cause found in finding {f + 1}",
                       "owner": rnd.choice(PEOPLE)[0], "due": start + timedelta(days=rnd.randint(10, 200)),
                       "status": status}
                if status in ("done", "verified"):
                    act["closed"] = start + timedelta(days=rnd.randint(2, 9))
                if status == "verified":
                    act["effectiveness"] = {"date": act["closed"] + timedelta(days=30), "by": "eve",
                                            "result": "No recurrence in the month's tickets"}
                actions.append(act)
            findings.append({"id": f"A{a + 1:02d}-F{f + 1}", "clause": rnd.choice(clauses),
                             "grade": rnd.choice(["major", "minor", "minor", "observation", "improvement"]),
                             "statement": f"Statement of finding {f + 1} of audit {a + 1}: a requirement is not met.",
                             "evidence": f"Ticket sample {rnd.randint(1000, 9999)}", "actions": actions})
        audit_list.append({"id": f"A{a + 1:02d}", "kind": "internal" if a % 4 else "pre-audit", "start": start,
                           "end": start + timedelta(days=1), "lead_auditor": "ana", "findings": findings})
    project = {
        "kitgen": 1, "id": "bench", "language": "fr", "framework": "iso20000-1:2005",
        "organisation": {"legal_name": "Bench SAS", "address": "1 rue du Test, Paris", "headcount": 20},
        "scope": {"statement": "Managed services for benchmarking"},
        "people": [{"id": pid, "name": name, "roles": ["RGS"]} for pid, name in PEOPLE],
        "processes": processes, "audits": audit_list,
        "kit": {"title": "Trousse de déploiement", "version": "1.0", "feedback_to": ["kit@example.org"]},
    }
    path = folder / "projet.yaml"
    yaml = YAML()
    yaml.width = 4096
    with open(path, "w", encoding="utf-8") as f:
        yaml.dump(project, f)
    return path


def make_forms(blanks: dict[str, Path], folder: Path, count: int, seed: int = 11) -> list[Path]:
    """`count` returned evaluation forms filled every way people do (tests/evaluation_fill.py's corpus)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.evaluation_fill import corpus, write

    folder.mkdir(parents=True, exist_ok=True)
    return [write(blanks, folder, r) for r in corpus(count, seed)]


def make_tree(folder: Path, count: int, seed: int = 3) -> None:
    """`count` files in a generated project's process folders (documents/<process>/batch-NN): half Word, Excel and PDF files with properties, half
    CSV and text exports; no two alike, as in a real tree."""
    from datetime import datetime

    from docx import Document
    from openpyxl import Workbook

    rnd = random.Random(seed)
    doc, wb = Document(), Workbook()
    doc.core_properties.title, doc.core_properties.created = "Weekly review", datetime(2026, 3, 2, 9)
    wb.properties.title, wb.properties.created = "Capacity dashboard", datetime(2026, 3, 2, 9)
    samples = {".docx": folder / "sample.docx", ".xlsx": folder / "sample.xlsx"}
    doc.save(str(samples[".docx"]))
    wb.save(samples[".xlsx"])
    slugs = sorted(p.name for p in (folder / "documents").iterdir() if p.is_dir())
    for i in range(count):
        target = folder / "documents" / slugs[i % len(slugs)] / f"batch-{i // 500:02d}"
        target.mkdir(exist_ok=True)
        kind = [".docx", ".xlsx", ".pdf", ".csv", ".txt", ".csv"][i % 6]
        name = target / f"evidence-{i:05d}-2026-{rnd.randint(1, 12):02d}{kind}" if i % 3 else target / f"evidence-{i:05d}{kind}"
        if kind in samples:
            name.write_bytes(samples[kind].read_bytes())
            with zipfile.ZipFile(name, "a") as zf:  # each file its own (scan sets byte-identical copies aside)
                zf.comment = f"evidence {i}".encode()
        elif kind == ".pdf":
            name.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + os.urandom(4000)
                             + b"\n2 0 obj << /Title (Scan) /CreationDate (D:20260302120000Z) >> endobj\n"
                             + b"trailer << /Root 1 0 R /Info 2 0 R >>\n%%EOF\n")
        else:
            name.write_text("ticket;date;status\n" * 20 + f"#{i}\n", encoding="utf-8")
    for sample in samples.values():
        sample.unlink()
