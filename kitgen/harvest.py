"""`kitgen harvest`: read filled forms back and merge them into the project file, three-way, losing nobody's edit.

For every field: changed only in the form -> taken; changed only in the project file -> kept; changed in both to
different values -> a conflict, reported, project value kept unless prefer="form". Rows added in a form become new
findings (<AUDIT>-F<n>) and actions (CA-<n>) and are recognised on the next harvest by their text, so harvesting the
same file twice changes nothing the second time. Rows deleted in a form are reported, never deleted from the project.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from .errors import KitgenError, ProjectFileError, ReadbackError
from .forms import action_plan, audit_report
from .forms.common import FORMAT_VERSION
from .forms.reading import NewRow, Reading
from .ooxml.files import find_files
from .ooxml.text import fold
from .project.load import ProjectFile, validate_doc
from .project.models import Project
from .project.save import save_project

HARVESTED = ("audit-report", "action-plan")
DATE_FIELDS = {"due", "closed", "eff_date"}


@dataclass
class Change:
    """One value the harvest sets (or would set, in a dry run)."""

    file: str
    target: str
    old: Any
    new: Any


@dataclass
class Conflict:
    """A field changed both in the form and in the project file since generation."""

    file: str
    target: str
    base: Any
    form: Any
    project: Any
    kept: str  # "project" or "form"


@dataclass
class HarvestReport:
    """Everything a harvest did or would do."""

    files: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    written: bool = False
    backup: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form of the report."""
        def plain(v: Any) -> Any:
            return v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Path) else v
        return {
            "files": self.files, "written": self.written, "backup": plain(self.backup),
            "changes": [{k: plain(v) for k, v in c.__dict__.items()} for c in self.changes],
            "conflicts": [{k: plain(v) for k, v in c.__dict__.items()} for c in self.conflicts],
            "added": self.added, "deleted": self.deleted, "skipped": self.skipped, "errors": self.errors,
        }


def norm(value: Any) -> Any:
    """Comparable form of a value: dates as ISO text, None as '', text stripped."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def identify(path: Path, project: Project) -> dict[str, Any]:
    """The identity properties of a kitgen form of this project, or ReadbackError saying why not."""
    from .ooxml.parts import identity_of
    from .ooxml.safety import check_package

    kind = path.suffix.lower().lstrip(".")
    if kind not in ("docx", "xlsx"):
        raise ReadbackError(f"{path}: not a .docx or .xlsx file")
    check_package(path, kind)
    props = identity_of(path)
    form = props.get("kitgen.form")
    if not form:
        raise ReadbackError(f"{path}: not a kitgen form (no kitgen properties); harvest reads only files kitgen built")
    if props.get("kitgen.project") != project.id:
        raise ReadbackError(f"{path}: a form of project {props.get('kitgen.project')!r}, not {project.id!r}")
    fmt = props.get("kitgen.format")
    if isinstance(fmt, (int, float)) and fmt > FORMAT_VERSION:
        raise ReadbackError(f"{path}: made by a newer kitgen (format {fmt}); update kitgen")
    return props


def read_form(path: Path, props: dict[str, Any], project: Project) -> Reading:
    """Read a kitgen form, with the base snapshot it was generated from."""
    if props["kitgen.form"] == "audit-report":
        return audit_report.read(path, project, str(props.get("kitgen.audit", "")))
    return action_plan.read(path, project)


Path_ = tuple[Any, ...]


class DocEditor:
    """Edits project data by path and logs every edit, so that it can be undone or replayed on another document.

    Merging runs on the fast-parsed plain data; only when something changed is the round-trip document parsed
    and the same edits replayed on it, keeping the file's comments and layout.
    """

    def __init__(self, root: Any) -> None:
        self.root = root
        self.ops: list[tuple[str, Path_, Any, Any]] = []   # (op, path, key, value)
        self.undo: list[tuple[Any, Any, bool, Any]] = []   # (container, key, existed, old value)

    @staticmethod
    def node(root: Any, path: Path_) -> Any:
        for part in path:
            root = root[part]
        return root

    def set(self, path: Path_, key: Any, value: Any) -> None:
        node = self.node(self.root, path)
        self.undo.append((node, key, key in node, node.get(key)))
        node[key] = value
        self.ops.append(("set", path, key, copy.deepcopy(value)))  # a copy: the live value may change later

    def delete(self, path: Path_, key: Any) -> None:
        node = self.node(self.root, path)
        if key in node:
            self.undo.append((node, key, True, node[key]))
            del node[key]
            self.ops.append(("delete", path, key, None))

    def append(self, path: Path_, key: str, value: dict[str, Any]) -> Path_:
        """Append `value` to the list at path[key] (created if missing); returns the new item's path."""
        node = self.node(self.root, path)
        if node.get(key) is None:
            self.set(path, key, [])
        items = node[key]
        items.append(value)
        self.undo.append((items, None, False, None))
        self.ops.append(("append", path, key, copy.deepcopy(value)))
        return (*path, key, len(items) - 1)

    def rollback(self, mark: tuple[int, int]) -> None:
        """Undo every edit made since `mark` (from checkpoint())."""
        while len(self.undo) > mark[0]:
            container, key, existed, old = self.undo.pop()
            if key is None:
                container.pop()
            elif existed:
                container[key] = old
            else:
                del container[key]
        del self.ops[mark[1]:]

    def checkpoint(self) -> tuple[int, int]:
        return len(self.undo), len(self.ops)

    def replay(self, doc: Any) -> None:
        """Apply the logged edits to a round-trip document (maps become CommentedMaps, to keep block style)."""
        def rt(value: Any) -> Any:
            if isinstance(value, dict):
                return CommentedMap((k, rt(v)) for k, v in value.items())
            if isinstance(value, list):
                return [rt(v) for v in value]
            return value
        for op, path, key, value in self.ops:
            node = self.node(doc, path)
            if op == "set":
                node[key] = rt(value)
            elif op == "delete":
                node.pop(key, None)
            else:
                node[key].append(rt(value))


class _Merger:
    """Applies one reading to the project data, recording changes and conflicts."""

    def __init__(self, editor: DocEditor, project: Project, reading: Reading, prefer: str, report: HarvestReport) -> None:
        self.ed, self.project, self.reading, self.prefer, self.report = editor, project, reading, prefer, report
        self.file = reading.path.name
        self.findings: dict[str, Path_] = {}
        self.actions: dict[str, Path_] = {}
        self.audits: dict[str, Path_] = {}
        for i, audit in enumerate(editor.root.get("audits") or []):
            self.audits[audit["id"]] = ("audits", i)
            for j, f in enumerate(audit.get("findings") or []):
                self.findings[f["id"]] = ("audits", i, "findings", j)
                for k, a in enumerate(f.get("actions") or []):
                    self.actions[a["id"]] = ("audits", i, "findings", j, "actions", k)
        self.finding_models = {f.id: f for a in project.audits for f in a.findings}
        self.action_models = {x.id: x for f in self.finding_models.values() for x in f.actions}

    def data(self, path: Path_) -> Any:
        return DocEditor.node(self.ed.root, path)

    # -- one field ---------------------------------------------------------------------------------------------
    def field(self, target: str, base: Any, form: Any, current: Any) -> Any | None:
        """The value to set, or None to leave the project as it is."""
        base, form, current = norm(base), norm(form), norm(current)
        if form == base or form == current:
            return None
        if current == base:
            return form
        kept = "form" if self.prefer == "form" else "project"
        self.report.conflicts.append(Conflict(self.file, target, base, form, current, kept))
        return form if kept == "form" else None

    def set(self, path: Path_, key: str, value: Any, target: str, old: Any) -> None:
        if value in ("", None):
            self.ed.delete(path, key)
        else:
            self.ed.set(path, key, date.fromisoformat(value) if key in DATE_FIELDS | {"date"} else value)
        self.report.changes.append(Change(self.file, target, norm(old), norm(value)))

    # -- entities ----------------------------------------------------------------------------------------------
    def finding(self, fid: str, fields: dict[str, Any]) -> None:
        model = self.finding_models[fid]
        base = self.reading.base.get("findings", {}).get(fid)
        if base is None:  # not in the generated file: treat the form as a fresh proposal
            base = {k: getattr(model, k) for k in fields}
        for key, form in fields.items():
            current = getattr(model, key)
            value = self.field(f"{fid}.{key}", base.get(key), form, current)
            if value is not None:
                self.set(self.findings[fid], key, value, f"{fid}.{key}", current)

    def action(self, aid: str, fields: dict[str, Any]) -> None:
        model = self.action_models[aid]
        current_values = action_plan.action_values(model)
        base = self.reading.base.get("actions", {}).get(aid) or current_values
        path = self.actions[aid]
        for key in action_plan.ACTION_FIELDS:
            if key == "description" and not fields.get("kind"):
                continue  # the row's description columns were all emptied: keep the description
            value = self.field(f"{aid}.{key}", base.get(key), fields.get(key), current_values[key])
            if value is None:
                continue
            if key.startswith("eff_"):
                if self.data(path).get("effectiveness") is None:
                    self.ed.set(path, "effectiveness", {})
                self.set((*path, "effectiveness"), {"eff_date": "date", "eff_by": "by", "eff_result": "result"}[key],
                         value, f"{aid}.effectiveness.{key[4:]}", current_values[key])
                if not self.data((*path, "effectiveness")):
                    self.ed.delete(path, "effectiveness")
            else:
                self.set(path, key, value, f"{aid}.{key}", current_values[key])

    def audit_fields(self, audit_id: str, fields: dict[str, str]) -> None:
        model = self.project.audit(audit_id)
        base = self.reading.base.get("audit", {})
        for key, form in fields.items():
            current = getattr(model, key)
            value = self.field(f"{audit_id}.{key}", base.get(key), form, current)
            if value is not None:
                self.set(self.audits[audit_id], key, value, f"{audit_id}.{key}", current)

    def follow_up(self, audit_id: str, fid: str, verdict: str) -> None:
        path = self.findings.get(fid)
        if path is None:
            self.report.errors.append(f"{self.file}: follow-up of unknown finding {fid!r} ignored")
            return
        entries = self.data(path).get("follow_ups") or []
        index = next((i for i, e in enumerate(entries) if e.get("audit") == audit_id), None)
        current = entries[index]["verdict"] if index is not None else ""
        value = self.field(f"{fid}.follow_up[{audit_id}]", self.reading.base.get("follow_up", {}).get(fid, ""),
                           verdict, current)
        if value is None:
            return
        if index is not None:
            self.ed.set((*path, "follow_ups", index), "verdict", value)
        else:
            self.ed.append(path, "follow_ups", {"audit": audit_id, "verdict": value})
        self.report.changes.append(Change(self.file, f"{fid}.follow_up[{audit_id}]", current, value))

    def new_finding(self, row: NewRow) -> str:
        audit_path = self.audits[row.audit or ""]
        base_ids = set(self.reading.base.get("findings", {}))
        for f in self.data(audit_path).get("findings") or []:  # harvested before from this file: same text
            if f["id"] not in base_ids and fold(f.get("statement", "")) == fold(row.fields["statement"]):
                return f["id"]
        fid = row.id if row.id and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", row.id) and row.id not in self.findings \
            else _next_id(list(self.findings), f"{row.audit}-F")
        entry = {"id": fid, **{k: row.fields[k] for k in ("clause", "process", "grade", "statement", "evidence")
                              if row.fields.get(k)}}
        self.findings[fid] = self.ed.append(audit_path, "findings", entry)
        self.report.added.append(f"{self.file}: finding {fid} ({row.where}): {row.fields['statement'][:60]}")
        return fid

    def new_action(self, row: NewRow, finding_id: str) -> None:
        path = self.findings.get(finding_id)
        if path is None:
            self.report.errors.append(f"{row.where}: action for unknown finding {finding_id!r} ignored")
            return
        base_ids = set(self.reading.base.get("actions", {}))
        for a in self.data(path).get("actions") or []:
            if a["id"] not in base_ids and fold(a.get("description", "")) == fold(row.fields["description"]):
                return
        aid = row.id if row.id and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", row.id) and row.id not in self.actions \
            else _next_id(list(self.actions), "CA-")
        f = row.fields
        entry: dict[str, Any] = {"id": aid, "kind": f.get("kind") or "corrective", "description": f["description"]}
        entry.update({k: f[k] for k in ("root_cause", "owner", "due", "status", "evidence", "closed") if f.get(k)})
        if f.get("eff_date") and f.get("eff_by"):
            entry["effectiveness"] = {"date": f["eff_date"], "by": f["eff_by"], "result": f.get("eff_result", "")}
        self.actions[aid] = self.ed.append(path, "actions", entry)
        self.report.added.append(f"{self.file}: action {aid} for {finding_id} ({row.where}): {f['description'][:60]}")

    def run(self) -> None:
        r = self.reading
        for fid, fields in r.findings.items():
            self.finding(fid, fields)
        placeholders: dict[str, str] = {}
        for i, row in enumerate(r.new_findings, start=1):
            placeholders[f"@new{i}"] = self.new_finding(row)
        for aid, fields in r.actions.items():
            self.action(aid, fields)
        for row in r.new_actions:
            self.new_action(row, placeholders.get(row.finding or "", row.finding or ""))
        if r.audit:
            self.audit_fields(r.audit, r.audit_fields)
            for fid, verdict in r.follow_up.items():
                self.follow_up(r.audit, fid, verdict)
        kept = [fid for fid in r.base.get("findings", {}) if fid not in r.findings and fid in self.findings]
        kept += [aid for aid in r.base.get("actions", {}) if aid not in r.actions and aid in self.actions]
        self.report.deleted += [f"{self.file}: {x} is no longer in the form; kept in the project" for x in kept]


def _next_id(existing: list[str], prefix: str) -> str:
    numbers = [int(m.group(1)) for x in existing if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", x))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def harvest(pf: ProjectFile, paths: list[Path], *, dry_run: bool = False, prefer: str = "project") -> HarvestReport:
    """Merge the filled forms at `paths` (files or folders) into the project file; see the module docstring."""
    report = HarvestReport()
    editor = DocEditor(pf.editable_data())
    original = pf.project
    for path, explicit in find_files(paths, (".docx", ".xlsx")):
        try:
            props = identify(path, pf.project)
            if props["kitgen.form"] not in HARVESTED:
                msg = f"{path}: kitgen {props['kitgen.form']} form; harvest reads only audit reports and action plans"
                if props["kitgen.form"] == "evaluation-form":
                    msg += " (use kitgen feedback for evaluation forms)"
                if explicit:
                    raise ReadbackError(msg)
                report.skipped.append(msg)
                continue
            reading = read_form(path, props, pf.project)
        except KitgenError as err:
            report.errors.append(str(err))
            continue
        except Exception as err:  # noqa: BLE001 — untrusted input: a damaged file is refused, never a traceback
            report.errors.append(f"{path}: damaged or unreadable file ({type(err).__name__}); save it again in "
                                 "Word or LibreOffice, or rebuild it")
            continue
        if reading.problems:
            report.errors += [f"{p} (nothing taken from this file)" if i == 0 else p
                              for i, p in enumerate(reading.problems)]
            continue
        mark = editor.checkpoint()
        before = (len(report.changes), len(report.conflicts), len(report.added), len(report.deleted))
        _Merger(editor, pf.project, reading, prefer, report).run()
        if editor.checkpoint() != mark:
            try:
                pf.project = validate_doc(pf.path, editor.root)
            except ProjectFileError as err:
                editor.rollback(mark)
                del report.changes[before[0]:], report.conflicts[before[1]:], report.added[before[2]:]
                del report.deleted[before[3]:]
                report.errors.append(f"{path}: its changes would make the project invalid, nothing taken: "
                                     f"{err.problems[0]}")
                continue
        report.files.append(str(path))
    if dry_run:
        editor.rollback((0, 0))  # a dry run leaves the loaded project as it found it
        pf.project = original
    elif editor.ops:
        editor.replay(pf.doc)
        report.backup = save_project(pf)
        report.written = True
    return report
