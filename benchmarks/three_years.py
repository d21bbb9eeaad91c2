"""Generates a three-year project the way a very small firm's file grows: records per process per month, 12 audits
with their findings, actions and follow-ups, monthly management reviews, parties, risks, comments and quoting as a
person writes them. Deterministic: the same arguments give the same bytes.

`python -m benchmarks.three_years FOLDER [RECORDS]` writes one (with its evidence files) for a look.
"""
from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

from kitgen.frameworks import get_framework

FRAMEWORK = "iso20000-1:2018"
FIRST_YEAR = 2024
MONTHS = 36
RECORDS = 15_000
AUDIT_FINDINGS = 300
AUDIT_ACTIONS = 600
# how busy each process is (tickets, changes and requests pile up; the catalogue is reviewed now and then)
WEIGHT = {"incident": 9, "service-request": 8, "change": 5, "problem": 3, "release": 3, "configuration": 3,
          "asset": 2, "capacity": 2, "availability": 2, "security": 3, "slm": 2, "reporting": 2, "supplier": 1,
          "brm": 1, "demand": 1, "budgeting": 1, "continuity": 1, "design-transition": 1, "catalogue": 1}
TITLE = {"incident": "Major incident report", "service-request": "Request fulfilment export", "change": "Change record",
         "problem": "Problem record", "release": "Release note", "configuration": "CMDB audit",
         "asset": "Asset inventory", "capacity": "Capacity report", "availability": "Availability report",
         "security": "Security event log review", "slm": "Service level report", "reporting": "Monthly service report",
         "supplier": "Supplier review minutes", "brm": "Customer review minutes", "demand": "Demand forecast",
         "budgeting": "Budget follow-up", "continuity": "Continuity test report",
         "design-transition": "Service design package", "catalogue": "Catalogue review"}
PEOPLE = [("aturner", "Alice Turner", "Managing director", "D"), ("bokafor", "Ben Okafor", "Service manager", "RGS"),
          ("cwright", "Chloe Wright", "Service desk analyst, internal auditor", "RCF"),
          ("dpatel", "Dev Patel", "Infrastructure lead", ""), ("ejones", "Emma Jones", "Service desk lead", ""),
          ("fmills", "Finn Mills", "Cloud engineer", ""), ("gkhan", "Gita Khan", "Security officer", ""),
          ("hlee", "Harry Lee", "Change manager", ""), ("iross", "Isla Ross", "Account manager", ""),
          ("jdoyle", "Jack Doyle", "Network engineer", ""), ("kbrown", "Kate Brown", "Finance officer", ""),
          ("lshaw", "Liam Shaw", "Service desk analyst", ""), ("mnovak", "Mia Novak", "Service desk analyst", ""),
          ("nreid", "Noah Reid", "Release engineer", ""), ("opryce", "Olivia Pryce", "Problem manager", ""),
          ("pgrant", "Paul Grant", "Cloud engineer", ""), ("qadams", "Quinn Adams", "Data protection officer", "")]
OWNERS = [p[0] for p in PEOPLE if p[0] != "cwright"]  # the internal auditor owns no process, as in the sample
# (id, kind, start, days, lead): two internal audits a year, the certification cycle around them
AUDITS = [("IA-2024-1", "internal", date(2024, 3, 12), 2, "cwright"),
          ("IA-2024-2", "internal", date(2024, 9, 10), 2, "cwright"),
          ("PRE-2024", "pre-audit", date(2024, 10, 15), 1, "Ravi Menon"),
          ("S1-2024", "stage1", date(2024, 11, 19), 1, "oca"),
          ("S2-2025", "stage2", date(2025, 1, 21), 3, "oca"),
          ("IA-2025-1", "internal", date(2025, 4, 8), 2, "cwright"),
          ("IA-2025-2", "internal", date(2025, 9, 9), 2, "cwright"),
          ("SURV-2025", "surveillance", date(2025, 11, 18), 2, "oca"),
          ("IA-2026-1", "internal", date(2026, 3, 10), 2, "cwright"),
          ("IA-2026-2", "internal", date(2026, 6, 9), 2, "cwright"),
          ("IA-2026-3", "internal", date(2026, 9, 8), 2, "cwright"),
          ("SURV-2026", "surveillance", date(2026, 11, 17), 2, "oca")]
EXTERNAL = ("pre-audit", "stage1", "stage2", "surveillance")
VERDICTS = ["conform"] * 12 + ["minor", "observation", "improvement", "strength"]


def q(text: str) -> str:
    """Text as a person quotes it in the sample: in double quotes (the generated texts hold no quote or backslash)."""
    return f'"{text}"'


def _shares(total: int, weights: list[int]) -> list[int]:
    """`total` cut in proportion to `weights`, summing exactly to `total`."""
    raw = [total * w / sum(weights) for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: out[i] - raw[i])[:total - sum(out)]:
        out[i] += 1
    return out


class _Writer:
    """The project file's lines, with the files its records name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.files: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)


def _head(w: _Writer, rnd: random.Random) -> None:
    w.add("# yaml-language-server: $schema=../kitgen.schema.json",
          "# Harbour Desk's project file after three years: certified in 2025, two surveillance audits since.",
          "kitgen: 1", "id: harbourdesk", "language: en", f'framework: "{FRAMEWORK}"', "",
          "organisation:", f"  legal_name: {q('Harbour Desk Ltd')}", f"  legal_status: {q('Private limited company')}",
          f"  address: {q('3 Quay Street, Bristol BS1 4DB, United Kingdom')}", f"  headcount: {len(PEOPLE) + 3}",
          f"  effective_headcount: {len(PEOPLE) + 1}",
          f"  sector: {q('IT service desk and cloud operations for charities')}", "  contact: aturner",
          '  consultant: ""   # none', '  group: ""        # independent company',
          f"  shifts: {q('On-call rota for the managed cloud, evenings and weekends (three people)')}",
          f"  remote_work: {q('Service desk staff work from home two days a week; no work at customer sites')}",
          "  legal_obligations:", f"    - {q('UK GDPR: processor of personal data for the charities served')}",
          f"    - {q('Service agreements with each customer, with service level commitments')}",
          "  sites:", f"    - name: {q('Head office')}", f"      address: {q('3 Quay Street, Bristol BS1 4DB')}",
          f"      headcount: {len(PEOPLE) + 3}", f"      activity: {q('Service desk, cloud operations, management')}",
          "")
    clients = [f"cl-{n:02d}" for n in range(1, 31)]
    w.add("scope:", "  statement: >-", "    Provision of service desk and managed cloud operations to charities in the",
          "    United Kingdom from the Bristol office.", "  services:",
          "    - id: desk", f"      name: {q('Service desk')}", f"      customers: [{', '.join(clients[:20])}]",
          "    - id: cloud", f"      name: {q('Managed cloud operations')}", f"      customers: [{', '.join(clients[12:])}]",
          '  locations: ["Bristol"]', "  outsourced:", "    - process: capacity", "      party: ft-cloud",
          f"      description: {q('Infrastructure capacity provided by the public cloud provider')}",
          f"      control: {q('Contract with capacity commitments; monthly usage report; quarterly supplier review')}",
          "")
    w.add("people:")
    for pid, name, title, role in PEOPLE:
        w.add(f"  - id: {pid}", f"    name: {q(name)}", f"    title: {q(title)}",
              f'    email: "{pid}@harbourdesk.example"')
        if role:
            w.add(f"    roles: [{role}]")
        if role == "RCF":
            w.add("    certificates:",
                  '      - {name: "ISO/IEC 20000 Foundation", date: 2023-11-10, issuer: fca-apmg}')
    w.add("", "parties:")
    for i, cid in enumerate(clients):
        w.add(f'  - {{id: {cid}, kind: CL, name: "Charity client {i + 1}", email: "it@client{i + 1}.example"}}')
    for i in range(1, 11):
        w.add(f'  - {{id: f-{i:02d}, kind: F, name: "Supplier {i}"}}')
    w.add('  - {id: ft-cloud, kind: FT, name: "Nimbus Cloud Hosting"}',
          '  - {id: ft-telco, kind: FT, name: "Severn Telecom"}',
          '  - {id: fca-apmg, kind: FCA, name: "APMG-accredited training provider"}',
          '  - {id: oca, kind: OCA, name: "Northern Certification Ltd"}', "")
    w.add("management_system:", "  documents:")
    for stem, title, kind, version in (("service-management-policy", "Service management policy", "policy", "2.1"),
                                       ("sms-plan", "Service management plan", "plan", "3.0"),
                                       ("risk-register", "Risks and opportunities register", "risks", "2.4"),
                                       ("objectives", "Service management objectives", "objectives", "3.0"),
                                       ("scope", "Scope of the SMS", "scope", "1.2")):
        path = f"documents/sms/{stem}.md"
        w.files.append(path)
        w.add(f"    - path: {path}", f"      title: {q(title)}", "      date: 2024-01-15",
              f'      version: "{version}"', f"      kind: {kind}")
    w.add("")


def _processes(w: _Writer, rnd: random.Random, records: int) -> None:
    fw = get_framework(FRAMEWORK)
    slugs = list(fw.processes)
    per_process = _shares(records, [WEIGHT[s] for s in slugs])
    w.add("processes:")
    for n, (slug, count) in enumerate(zip(slugs, per_process)):
        w.add(f"  {slug}:  # {fw.processes[slug]}", f"    owner: {OWNERS[n % len(OWNERS)]}", "    since: 2023-12-01",
              "    documents:")
        kind = "plan" if slug in ("capacity", "availability", "continuity") else "policy" if slug == "security" \
            else "procedure"
        path = f"documents/{slug}/{slug}-{kind}.md"
        w.files.append(path)
        w.add(f"      - path: {path}", f"        title: {q(f'{TITLE[slug].split()[0]} {kind}')}",
              "        date: 2023-12-01", f'        version: "{1 + n % 3}.{rnd.randint(0, 4)}"', f"        kind: {kind}")
        w.add("    records:")
        for month, in_month in enumerate(_shares(count, [1] * MONTHS)):
            year, mon = FIRST_YEAR + month // 12, month % 12 + 1
            if month % 12 == 0 and in_month:
                w.add(f"      # {year}")
            for k in range(in_month):
                day = date(year, mon, 1 + (k * 27) // max(in_month, 1))
                ext = ("pdf", "csv", "txt", "md")[(k + n) % 4]
                path = f"records/{slug}/{year}/{slug}-{day.isoformat()}-{k + 1:03d}.{ext}"
                w.files.append(path)
                w.add(f"      - path: {path}", f"        title: {q(f'{TITLE[slug]} {year}-{mon:02d} no. {k + 1}')}",
                      f"        date: {day.isoformat()}")
                if k % 7 == 3:
                    w.add(f'        version: "1.{k % 4}"')
                if k % 5 == 1:
                    w.add("        date_from: name")
    w.add("")


def _reviews(w: _Writer, rnd: random.Random) -> None:
    w.add("management_reviews:", "  # Monthly service reviews; the yearly one (December) considers the audits (§9.3).")
    for month in range(MONTHS):
        year, mon = FIRST_YEAR + month // 12, month % 12 + 1
        day = date(year, mon, 5)
        people = ["aturner", "bokafor"] + rnd.sample(OWNERS[2:], 2)
        path = f"records/sms/{year}/management-review-{day.isoformat()}.md"
        w.files.append(path)
        w.add(f"  - date: {day.isoformat()}", f"    participants: [{', '.join(people)}]", f"    minutes: {path}",
              f"    decisions: {q(f'Service levels for {year}-{mon:02d} reviewed; {rnd.randint(1, 4)} decisions recorded')}")
        if mon == 12:
            w.add("    improvements: >", "      Yearly review: audit results, customer feedback and the objectives'",
                  f"      results for {year} considered; the SMS plan is updated for {year + 1}.",
                  f"    resources: {q('One more cloud engineer from the spring')}")
    w.add("")


def _finding_counts(rnd: random.Random) -> list[list[int]]:
    """Actions per finding for each audit: 300 findings and 600 actions in all, more at the larger audits."""
    per_audit = _shares(AUDIT_FINDINGS, [3 if kind == "internal" else 2 for _, kind, *_ in AUDITS])
    counts = [[rnd.choice((1, 2, 2, 3)) for _ in range(n)] for n in per_audit]
    total = sum(map(sum, counts))
    flat = [(a, f) for a, fs in enumerate(counts) for f in range(len(fs))]
    rnd.shuffle(flat)
    i = 0
    while total != AUDIT_ACTIONS:  # nudge one finding's count at a time, keeping each between 0 and 3
        a, f = flat[i % len(flat)]
        step = 1 if total < AUDIT_ACTIONS else -1
        if 0 <= counts[a][f] + step <= 3:
            counts[a][f] += step
            total += step
        i += 1
    return counts


def _audits(w: _Writer, rnd: random.Random) -> None:
    fw = get_framework(FRAMEWORK)
    clauses = fw.requirements()
    counts = _finding_counts(rnd)
    action_no = 0
    w.add("audits:")
    for number, ((aid, kind, start, days, lead), actions_per) in enumerate(zip(AUDITS, counts)):
        end = start + timedelta(days=days - 1)
        w.add(f"  - id: {aid}", f"    kind: {kind}", f"    title: {q(f'{kind.title()} audit {aid}')}",
              f"    start: {start.isoformat()}")
        if days > 1:
            w.add(f"    end: {end.isoformat()}")
        if kind in EXTERNAL:
            w.add("    body: oca", f"    lead_auditor: {q('Ravi Menon')}")
        else:
            w.add(f"    lead_auditor: {lead}")
        w.add(f"    location: {q('Bristol')}", "    participants: [aturner, bokafor]",
              f"    objectives: [{q('Confirm the SMS meets ISO/IEC 20000-1:2018')}]",
              f"    scope: {q('All SMS processes and both services')}",
              f"    conclusion: {q('The SMS is effectively implemented; findings below.')}",
              f"    conformity: {q('Largely conforming')}")
        if end < date(2026, 11, 1):
            report = f"records/sms/{start.year}/audit-report-{aid}.md"
            w.files.append(report)
            w.add(f"    report: {report}")
        verdicts = {c: rnd.choice(VERDICTS) for c in clauses}
        if kind == "internal" and number % 2 == 0:  # the checklist's verdicts, wrapped as the sample has them
            items = [f'"{c}": {v}' for c, v in verdicts.items()]
            w.add("    # The verdict per clause, harvested from the audit checklist.")
            line = "    coverage: {"
            for i, item in enumerate(items):
                piece = item + ("}" if i == len(items) - 1 else ", ")
                if len(line) + len(piece) > 118:
                    w.add(line.rstrip())
                    line = " " * 15
                line += piece
            w.add(line)
        elif kind == "internal":
            w.add("    coverage:")
            w.add(*(f'      "{c}": {v}' for c, v in verdicts.items()))
        w.add("    findings:")
        for n, n_actions in enumerate(actions_per, start=1):
            fid = f"{aid}-F{n}"
            grade = rnd.choice(("concern", "observation", "improvement") if kind == "stage1"
                               else ("major", "minor", "minor", "minor", "observation", "improvement"))
            if n_actions == 0:
                grade = "strength" if kind != "stage1" else "observation"
            clause = rnd.choice(clauses)
            w.add(f"      - id: {fid}", f'        clause: "{clause}"')
            process = fw.clause_process(clause)
            if process:
                w.add(f"        process: {process}")
            w.add(f"        grade: {grade}",
                  f"        statement: {q(f'Clause {clause}: the requirement is not fully met ({aid}, no. {n}).')}",
                  f"        evidence: {q(f'Sampled records {rnd.randint(100, 999)} to {rnd.randint(1000, 9999)}')}")
            if grade in ("major", "minor"):
                w.add(f"        root_cause: {q('The step is not in the procedure')}  # agreed with the owner")
            statuses = []
            if n_actions:
                w.add("        actions:")
            for k in range(n_actions):
                action_no += 1
                due = end + timedelta(days=rnd.randint(20, 120))
                age = (date(2026, 12, 1) - end).days
                status = rnd.choice(("verified", "verified", "done", "cancelled") if age > 400 else
                                    ("done", "verified", "in-progress") if age > 120 else ("open", "in-progress"))
                w.add(f"          - id: CA-{action_no}",
                      f"            kind: {('correction', 'corrective', 'improvement')[k % 3]}",
                      f"            description: {q(f'Fix the cause of {fid} (step {k + 1})')}",
                      f"            owner: {rnd.choice(OWNERS)}", f"            due: {due.isoformat()}",
                      f"            status: {status}")
                statuses.append(status)
                if status in ("done", "verified", "cancelled"):
                    closed = end + timedelta(days=rnd.randint(5, 60))
                    w.add(f"            closed: {closed.isoformat()}")
                if status == "verified":
                    check = closed + timedelta(days=30)
                    w.add(f"            effectiveness: {{date: {check.isoformat()}, by: cwright, "
                          f"result: {q('No recurrence in the sampled tickets')}}}")
            if grade in ("major", "minor") and number + 1 < len(AUDITS):  # the next audit looks at it again
                settled = all(s in ("verified", "done", "cancelled") for s in statuses)
                w.add("        follow_ups:", f"          - audit: {AUDITS[number + 1][0]}",
                      f"            verdict: {'closed' if settled else 'in-progress'}")
    w.add("")


def _tail(w: _Writer, rnd: random.Random) -> None:
    w.add("objectives:")
    for year in range(FIRST_YEAR, FIRST_YEAR + 3):
        for text, target in (("First-contact resolution above 70 %", "70 %"),
                             ("Managed cloud availability above 99.8 %", "99.8 %"),
                             ("Customer satisfaction above 4 / 5", "4 / 5"),
                             ("Changes without incident above 95 %", "95 %")):
            w.add(f'  - {{text: "{text} ({year})", target: "{target}", result: "met", measured: {year}-12-31}}')
    w.add("risks:")
    for i in range(60):
        kind = "opportunity" if i % 5 == 4 else "risk"
        w.add(f'  - {{kind: {kind}, text: "Risk register entry {i + 1}", treatment: "Treatment plan {i + 1}", '
              f"owner: {rnd.choice(OWNERS)}}}")
    w.add("satisfaction:")
    for quarter in range(12):
        day = date(FIRST_YEAR + quarter // 4, quarter % 4 * 3 + 3, 28)
        w.add(f'  - {{date: {day.isoformat()}, summary: "Customer survey: 4.{rnd.randint(0, 8)} / 5", '
              f"party: cl-{rnd.randint(1, 30):02d}}}")
    w.add("", "certification:", "  body: oca", '  transfer_from: ""   # a first certification', "  pre_audit: true",
          "  desired_stage1: 2024-11-19", "  desired_stage2: 2025-01-21", "  audit_language: en",
          "  decision: 2025-02-20", "  certificate:", '    number: "NCL-20000-0412"', "    issued: 2025-02-20",
          "    expiry: 2028-02-19", "",
          "kit:", f"  title: {q('Deployment package: Preparing for ISO/IEC 20000 certification')}", '  version: "1.0"',
          '  authors: ["Samia Kabli", "Claude Y. Laporte"]', '  feedback_to: ["claude.y.laporte@etsmtl.ca"]')


def project_text(records: int = RECORDS, seed: int = 31) -> tuple[str, list[str]]:
    """The project file's text and the relative paths of the evidence files it names."""
    rnd = random.Random(seed)
    w = _Writer()
    _head(w, rnd)
    _processes(w, rnd, records)
    _reviews(w, rnd)
    _audits(w, rnd)
    _tail(w, rnd)
    return "\n".join(w.lines) + "\n", w.files


def make_three_years(folder: Path, records: int = RECORDS, *, files: bool = True, seed: int = 31) -> Path:
    """Write the project file (and, with `files`, a small file for each document and record it names) into
    `folder`; return the project file's path."""
    text, paths = project_text(records, seed)
    folder.mkdir(parents=True, exist_ok=True)
    project = folder / "project.yaml"
    project.write_text(text, encoding="utf-8")
    if files:
        for rel in paths:
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            body = f"{rel};done\n".encode()
            target.write_bytes(b"%PDF-1.4\n%" + body + b"%%EOF\n" if rel.endswith(".pdf") else body)
    return project


def add_new_files(folder: Path, count: int) -> list[Path]:
    """`count` new record files across the processes' folders, as a month of work leaves them (for scan)."""
    slugs = list(get_framework(FRAMEWORK).processes)
    out = []
    for i in range(count):
        slug = slugs[i % len(slugs)]
        target = folder / "records" / slug / "2026" / f"{slug}-2026-12-{1 + i % 6:02d}-new-{i:03d}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("ticket;date;status\n" * 5, encoding="utf-8")
        out.append(target)
    return out


if __name__ == "__main__":
    where = make_three_years(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else RECORDS)
    print(where)
