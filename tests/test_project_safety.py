"""The project file and every path kitgen writes: no lost update, no write through a planted link, bytes kept,
bounded YAML, inert CSV."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitgen.cli.commands import cli
from kitgen.errors import KitgenError, ProjectFileError
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.jobs.package import build_package
from kitgen.project import load_project

from .conftest import MINIMAL
from .helpers import edit_plan

ROOT = Path(__file__).resolve().parent.parent
HARVEST = """
import sys, time
from pathlib import Path
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project
pf = load_project(Path(sys.argv[1]))
time.sleep(float(sys.argv[3]))  # both have loaded the project before either writes
try:
    r = harvest(pf, [Path(sys.argv[2])])
    print("wrote" if r.written else "nothing")
except Exception as e:
    print("refused", e)
"""


def plan_edits(project: Path, tmp: Path) -> tuple[Path, Path]:
    out = tmp / "out"
    build(load_project(project), ["action-plan"], out_dir=out)
    a = edit_plan(out / "action-plan.xlsx", tmp / "a.xlsx", {"CA-3": {"Statut": "En cours"}})
    b = edit_plan(out / "action-plan.xlsx", tmp / "b.xlsx", {"CA-5": {"Statut": "En cours"}})
    return a, b


def test_two_concurrent_harvests_lose_nothing(sample_copy, tmp_path):
    project = sample_copy("fr")
    a, b = plan_edits(project, tmp_path)
    procs = [subprocess.Popen([sys.executable, "-c", HARVEST, str(project), str(form), "0.8"], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True) for form in (a, b)]
    outputs = sorted(proc.communicate()[0].strip() for proc in procs)
    # one wrote; the other found the file changed since it loaded it and wrote nothing: its update is not lost
    # silently, it says to run again
    assert outputs[1] == "wrote" and outputs[0].startswith("refused") and "run the command again" in outputs[0]
    statuses = {x.id: x.status for x in load_project(project).project.all_actions()}
    assert sorted([statuses["CA-3"], statuses["CA-5"]]) == ["in-progress", "open"]
    harvest(load_project(project), [a, b])  # running it again takes the rest
    statuses = {x.id: x.status for x in load_project(project).project.all_actions()}
    assert statuses["CA-3"] == statuses["CA-5"] == "in-progress"


def test_a_hand_edit_during_a_harvest_is_kept(sample_copy, tmp_path):
    project = sample_copy("fr")
    a, _ = plan_edits(project, tmp_path)
    pf = load_project(project)
    project.write_text(project.read_text(encoding="utf-8").replace("Infogérance Boréale SAS", "Boréale SAS", 1),
                       encoding="utf-8")  # someone saves the file in an editor meanwhile
    with pytest.raises(ProjectFileError, match="changed by someone else since kitgen read it"):
        harvest(pf, [a])
    assert "Boréale SAS" in project.read_text(encoding="utf-8")


def test_lock_is_held_during_a_harvest(sample_copy, tmp_path, monkeypatch):
    from kitgen.infra import safefs

    project = sample_copy("fr")
    a, _ = plan_edits(project, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; "
                               "from kitgen.infra.safefs import locked\nwith locked(Path(sys.argv[1])):\n"
                               " print('held', flush=True); sys.stdin.readline()", str(project.resolve())],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:  # the holder keeps the lock until told to let go, however long the harvest below takes to try
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(safefs, "LOCK_WAIT_SECONDS", 0.5)
        with pytest.raises(KitgenError, match="busy: another kitgen command is writing it"):
            harvest(load_project(project), [a])
    finally:
        holder.communicate("release\n", timeout=60)


def test_symlinked_project_is_updated_at_its_target(sample_copy, tmp_path):
    project = sample_copy("fr")
    a, _ = plan_edits(project, tmp_path)
    link = tmp_path / "link.yaml"
    link.symlink_to(project)
    harvest(load_project(link), [a])
    assert link.is_symlink() and os.readlink(link) == str(project)
    assert "status: in-progress" in project.read_text(encoding="utf-8")


def test_planted_links_are_replaced_never_followed(sample_copy, tmp_path):
    project = sample_copy("fr")
    a, _ = plan_edits(project, tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    bak = project.with_name(project.name + ".bak")
    bak.symlink_to(outside)
    harvest(load_project(project), [a])
    assert outside.read_text(encoding="utf-8") == "precious" and not bak.is_symlink()
    # build's outputs and package's zip
    out = tmp_path / "o"
    out.mkdir()
    (out / "questionnaire.docx").symlink_to(outside)
    with pytest.raises(KitgenError):   # a link where a file was expected is not kitgen's file: refused
        build(load_project(project), ["questionnaire"], out_dir=out)
    build(load_project(project), ["questionnaire"], out_dir=out, force=True)
    assert outside.read_text(encoding="utf-8") == "precious" and not (out / "questionnaire.docx").is_symlink()
    zip_path = tmp_path / "p.zip"
    zip_path.symlink_to(outside)
    build_package(load_project(project), zip_path)
    assert outside.read_text(encoding="utf-8") == "precious" and zipfile.is_zipfile(zip_path)


def test_init_and_export_never_create_at_a_dangling_link(tmp_path):
    target = tmp_path / "elsewhere.yaml"
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "projet.yaml").symlink_to(target)
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 1 and "existe déjà" in result.stderr and not target.exists()
    (tmp_path / "t" / "fr").mkdir(parents=True)
    (tmp_path / "t" / "fr" / "audit-report.docx").symlink_to(tmp_path / "nowhere.docx")
    result = CliRunner().invoke(cli, ["templates", "export", str(tmp_path / "t")])
    assert result.exit_code == 1 and not (tmp_path / "nowhere.docx").exists()


def test_evidence_swapped_for_a_link_never_gets_in(sample_copy, tmp_path, monkeypatch):
    from kitgen.jobs import package as package_module

    project = sample_copy("fr")
    secret = tmp_path / "secret.txt"
    secret.write_text("HOST SECRET", encoding="utf-8")
    victim = project.parent / "documents" / "slm" / next(os.listdir(project.parent / "documents" / "slm").__iter__())
    real_write = package_module._write

    def swap_then_write(zf, entry):  # the file is swapped for a link after it was vetted, before it is read
        if entry.source == victim.resolve():
            victim.unlink()
            victim.symlink_to(secret)
        return real_write(zf, entry)

    monkeypatch.setattr(package_module, "_write", swap_then_write)
    with pytest.raises(KitgenError, match="changed while packaging"):
        build_package(load_project(project), tmp_path / "p.zip")
    assert not (tmp_path / "p.zip").exists()


def add_record(project: Path, name: str) -> None:
    import datetime

    from kitgen.project import save_project

    (project.parent / "enregistrements" / "slm" / name).write_text("x", encoding="utf-8")
    pf = load_project(project)
    pf.doc["processes"]["slm"]["records"].append({"path": f"enregistrements/slm/{name}", "title": "Odd",
                                                 "date": datetime.date(2026, 10, 1)})
    save_project(pf)


def test_names_with_control_characters_and_backslashes(sample_copy, tmp_path):
    project = sample_copy("fr")
    add_record(project, "back\\slash.txt")
    zip_path = build_package(load_project(project), tmp_path / "p.zip")
    check = tmp_path / "check"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(check)
    result = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=check, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    add_record(project, "new\nline.txt")
    with pytest.raises(KitgenError, match="a control character in its name"):
        build_package(load_project(project), tmp_path / "q.zip")


@pytest.mark.parametrize("newline,bom", [("\r\n", False), ("\n", True), ("\r\n", True)])
def test_line_endings_bom_final_newline_and_mode_kept(sample_copy, tmp_path, newline, bom):
    project = sample_copy("fr")
    text = project.read_text(encoding="utf-8").rstrip("\n")  # no final newline either
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")
    project.write_bytes(raw)
    os.chmod(project, 0o640)
    a, _ = plan_edits(project, tmp_path)
    harvest(load_project(project), [a])
    after = project.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") == bom and not after.endswith(b"\n")
    before_lines, after_lines = raw.split(b"\n"), after.split(b"\n")
    assert len(before_lines) == len(after_lines)
    changed = [(x, y) for x, y in zip(before_lines, after_lines) if x != y]
    assert changed == [(b"            status: open" + newline[:-1].encode(),
                        b"            status: in-progress" + newline[:-1].encode())]
    assert stat.S_IMODE(os.stat(project).st_mode) == 0o640


def test_read_only_project_is_not_rewritten(sample_copy, tmp_path):
    project = sample_copy("fr")
    a, _ = plan_edits(project, tmp_path)
    os.chmod(project, 0o444)  # the mode bits decide, even for root
    before = project.read_bytes()
    with pytest.raises(ProjectFileError, match="is read-only; nothing written"):
        harvest(load_project(project), [a])
    assert project.read_bytes() == before


BOMBS = {
    "aliases": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(12)),
    "deep-flow": "kitgen: 1\nx: " + "[" * 1000 + "]" * 1000 + "\n",
    "deep-block": "kitgen: 1\n" + "".join("  " * i + f"k{i}:\n" for i in range(1000)),
    "big-int": "kitgen: 1\nid: x\norganisation:\n  headcount: " + "9" * 5000 + "\n",
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_yaml_bombs_refused_fast_in_bounded_memory(tmp_path, name):
    path = tmp_path / "projet.yaml"
    path.write_text(BOMBS[name], encoding="utf-8")
    code = f"""
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
from click.testing import CliRunner
from kitgen.cli.commands import cli
start = time.perf_counter()
r = CliRunner().invoke(cli, ["validate", {str(path)!r}])
print(r.exit_code, round(time.perf_counter() - start, 2), repr(r.stderr))
status = open("/proc/self/status").read()
print(int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:"))) // 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    first, peak = out.stdout.strip().splitlines()
    code_, seconds, stderr = first.split(" ", 2)
    assert code_ == "1" and float(seconds) < 2 and int(peak) < 300, out.stdout + out.stderr
    message = eval(stderr)  # noqa: S307 — repr of a string we printed ourselves
    assert message.startswith(f"Error: {path}:") and message.count("\n") == 1 and "Traceback" not in message


@pytest.mark.parametrize("escape,code", [("\\0", "U+0000"), ("\\v", "U+000B"), ("\\uFFFE", "U+FFFE")])
def test_unstorable_values_refused_with_their_line(write, escape, code):
    path = write(MINIMAL.replace('statement: "No SLA review"', f'statement: "No SLA {escape}review"'))
    with pytest.raises(ProjectFileError) as info:
        load_project(path)
    assert str(info.value) == (f"{path}:31:20: audits[0].findings[0].statement: a character Word and Excel cannot "
                               f"store ({code}); remove it")


def test_csv_is_inert(write):
    path = write(MINIMAL.replace('statement: "No SLA review"', 'statement: "=HYPERLINK(\\"http://x\\")"'))
    result = CliRunner().invoke(cli, ["findings", str(path), "--format", "csv"])
    assert result.exit_code == 0
    assert "'=HYPERLINK" in result.output
    help_text = CliRunner().invoke(cli, ["findings", "--lang", "en", "--help"]).output
    assert "formula" in help_text
