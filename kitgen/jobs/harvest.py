"""`kitgen harvest`: read filled forms back and merge them into the project file, three-way, losing nobody's edit.

For every group of fields (status and closing date go together): a value the form's copy did not change (the value
it was generated with, or one already harvested from a copy of the same form) is no change; changed only in the
form -> taken; already in the project -> nothing; changed in both -> a conflict, reported, the project's value kept
unless prefer="form". Copies of one form apply oldest to newest (the document's own modified time, then the name).
Never roll back: every group a copy changed (taken, created from a row it added, or agreeing with the project) is
stamped with that copy's own saving time, and a copy saved earlier never replaces it, whatever the field; without a
saving time, kitgen's memory of the values each form's copies already had decides (a value seen before is no news).

Nothing typed is lost: readers name what no field takes (Reading.not_taken); a file counts as harvested, and may be
rebuilt without --force, only when every value typed in it is in the project.

Rows people add get an id at their first harvest and keep it: what was taken from each generated form, and which
added row became which id, is remembered beside the project file (kitgen.project.state), so a later copy of the
form updates the same finding or action. Rows deleted in a form, and entries deleted from the project, are
reported, never deleted. A form changes only what it was generated for.
"""
from __future__ import annotations

import difflib
import gettext
import hashlib
import textwrap
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import ENGLISH, N_, KitgenError, Problem, ProjectFileError, ReadbackError, UnsafeFileError, problem
from ..forms.common import FORMAT_VERSION
from ..forms.reading import Added, Reading, parse_base
from ..forms.registry import form_type
from ..infra.files import find_files, read_whole
from ..infra.safefs import locked
from ..infra.text import fold
from ..project.edit import ProjectEditor
from ..project.load import ProjectFile, validate_edit
from ..project.places import KINDS, Place, entry_ids, entry_place, entry_text, groups, norm, place_key
from ..project.save import save_edits
from ..project.state import ProjectState, Stamp, group_key

Values = tuple[str, ...]
EPOCH = datetime.min.replace(tzinfo=timezone.utc)
NOT_OFFICE = N_("not a .docx or .xlsx file")


@dataclass
class Change:
    """One value the harvest sets (or would set, in a dry run): `target` names it in English ('CA-3.status'), for
    scripts; `place` and `field` let a message name it in the run's language."""

    file: str
    target: str
    old: Any
    new: Any
    place: Place = ()
    field: str = ""


@dataclass
class Conflict:
    """Fields changed both in the form and in the project file (or by another copy) since generation."""

    file: str
    target: str
    base: Any
    form: Any
    project: Any
    kept: str          # "project" or "form"
    other: str = ""    # the copy of the form that set the project's value, when one did
    place: Place = ()
    field: str = ""    # the group's fields, '+'-joined


@dataclass
class HarvestReport:
    """Everything a harvest did or would do; every file given is in `files`, `skipped` or `errors`. The notes and
    errors are Problems (English msgids and their fields: the CLI says them in the run's language); an entry a note
    is about is its `id` field."""

    files: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    added: list[Problem] = field(default_factory=list)
    deleted: list[Problem] = field(default_factory=list)     # rows gone from a form: kept in the project
    not_taken: list[Problem] = field(default_factory=list)   # typed values no field takes (a cell kitgen works
                                                             # out, a value with no field), each with its cell
    gone: list[Problem] = field(default_factory=list)        # entries gone from the project: the form's rows ignored
    ignored: list[Problem] = field(default_factory=list)     # rows about what the form was not generated for
    older: list[Problem] = field(default_factory=list)       # values of older copies that newer ones superseded
    untrusted: list[Problem] = field(default_factory=list)   # forms whose base kitgen did not write
    skipped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    written: bool = False
    backup: Path | None = None

    @property
    def conflicts_left(self) -> list[Conflict]:
        """Conflicts where the project's value was kept: the user still has to decide."""
        return [c for c in self.conflicts if c.kept == "project"]

    def notes(self) -> list[tuple[str, Problem]]:
        """Every note, with the list it is in (added, deleted, not_taken, gone, ignored, older, untrusted, skipped)."""
        return [(name, p) for name in NOTE_LISTS for p in getattr(self, name)]

    def as_dict(self, catalog: gettext.NullTranslations = ENGLISH,
                show: Callable[[Any], str] = str) -> dict[str, Any]:
        """JSON-friendly form of the report. The note lists scripts already read stay lines of English text; `notes`
        gives each note as an object of its fields (`list` names the list, `entry` the id it is about) and `errors`
        each error, their messages through `catalog`."""
        def plain(v: Any) -> Any:
            return v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Path) else v
        out: dict[str, Any] = {k: plain(v) for k, v in self.__dict__.items() if k not in ("changes", "conflicts")}
        for name in NOTE_LISTS:
            out[name] = [p.render() for p in getattr(self, name)]
        out["changes"] = [{k: plain(v) for k, v in c.__dict__.items()} for c in self.changes]
        out["conflicts"] = [{k: plain(v) for k, v in c.__dict__.items()} for c in self.conflicts]
        out["notes"] = [{**p.as_dict(catalog, show), "list": name, "entry": _entry_id(p)} for name, p in self.notes()]
        out["errors"] = [p.as_dict(catalog, show) for p in self.errors]
        return out


NOTE_LISTS = ("added", "deleted", "not_taken", "gone", "ignored", "older", "untrusted", "skipped")


def _entry_id(note: Problem) -> str | None:
    entry = note.args.get("id")
    return entry if isinstance(entry, str) else None


def label_of(place: Place) -> Problem | str:
    """How messages name a place: 'CA-3' (an entry by its id), or a message of its own ('AUD-2026-01-F2 follow-up by
    PRE-2026', 'AUD-1 coverage of 6.1', 'review 2026-08-20'), said in the run's language inside the message using it."""
    if place[0] == "follow-up":
        return problem(N_("{finding} follow-up by {audit}"), finding=place[1], audit=place[2], code="place")
    if place[0] == "coverage":
        return problem(N_("{audit} coverage of {clause}"), audit=place[1], clause=place[2], code="place")
    if place[0] == "review":
        return problem(N_("review {date}"), date=_day(place[1]), code="place")
    if place[0] == "process":
        return place[1]
    return place[-1]


def _about(place: Place) -> dict[str, Any]:
    """The fields of a note about a place: how it is named (`entry`) and, for an entry, its id."""
    return {"entry": label_of(place), **({"id": place[-1]} if place[0] in KINDS else {})}


# a note for each entry a harvest adds, by its kind (the kind is a word of the sentence); `parent` names what it was
# added to where that says which one it is (an action's finding or review, a document's process)
ADDED = {"finding": N_("new finding {id}: {value}"), "action": N_("new action {id} for {parent}: {value}"),
         "risk": N_("new risk {id}: {value}"), "document": N_("new document {id} in {parent}: {value}"),
         "record": N_("new record {id} in {parent}: {value}"), "party": N_("new party {id}: {value}"),
         "planned-audit": N_("new planned audit {id}: {value}"), "objective": N_("new objective {id}: {value}"),
         "service": N_("new service {id}: {value}"), "approval": N_("new approval {id}: {value}")}
ADDED_OTHER = N_("new {kind} {id}: {value}")   # a kind added to KINDS without its own sentence yet


def _day(key: str) -> date | str:
    """A review's key as the date it is (written out in a message), or as it is."""
    try:
        return date.fromisoformat(key)
    except ValueError:
        return key


def target_of(place: Place, fields: str) -> str:
    """A field as scripts name it, in English: 'CA-3.status', 'AUD-1 coverage of 6.1.verdict+evidence'."""
    return f"{label_of(place)}.{fields}"


# -- reading the files ----------------------------------------------------------------------------------------------

def open_form(path: Path, pf: ProjectFile, data: bytes | None = None) -> Reading:
    """Identify a kitgen form of this project and read it (from `data`, its bytes, when already read);
    ReadbackError (or UnsafeFileError) saying why not."""
    from ..ooxml.package import open_package

    kind = path.suffix.lower().lstrip(".")
    if kind not in ("docx", "xlsx"):
        raise ReadbackError(NOT_OFFICE, path, code="not-office-file")
    project = pf.project
    with open_package(path, kind, data=data) as package:
        props = package.properties()
        form_id = props.get("kitgen.form")
        if not form_id:
            raise ReadbackError(N_("not a kitgen form (no kitgen properties)"), path, code="not-kitgen",
                                hint=N_("harvest reads only files kitgen built"))
        if props.get("kitgen.project") != project.id:
            raise ReadbackError(N_("a form of project {other!r}, not {project!r}"), path,
                                other=props.get("kitgen.project"), project=project.id, code="other-project")
        fmt = props.get("kitgen.format")
        if isinstance(fmt, (int, float)) and fmt > FORMAT_VERSION:
            raise ReadbackError(N_("made by a newer kitgen (format {value})"), path, value=str(fmt),
                                expected=str(FORMAT_VERSION), hint=N_("update kitgen"), code="newer-format")
        try:
            form = form_type(str(form_id))
        except KeyError:
            raise ReadbackError(N_("a kitgen form of an unknown type {value!r}"), path, value=str(form_id),
                                hint=N_("update kitgen"), code="unknown-form") from None
        if not form.harvested:
            raise NotHarvested(N_("kitgen {form} form; harvest reads only forms people fill for the project"), path,
                               form=form.id, hint=form.not_harvested_hint or None)
        key = props.get(f"kitgen.{form.per}")
        reading = Reading(path=path, form=form.id, key=str(key) if key is not None else None, payload=None, base=None,
                          modified=package.modified(), lang=_form_lang(props) or project.language)
        if kind == "docx":
            reading.payload = package.payload()
            reading.base = parse_base(reading.payload)
        form.read(package, project, reading)
    return reading


def _form_lang(props: dict[str, Any]) -> str | None:
    """The language the form was written in (None when its properties lost it: the project's is taken)."""
    lang = props.get("kitgen.lang")
    return lang if lang in ("fr", "en") else None


class NotHarvested(ReadbackError):
    """Raised for a kitgen form that harvest does not read (questionnaire, evaluation form)."""

    code = "not-harvested"


# -- merging --------------------------------------------------------------------------------------------------------

@dataclass
class _Pending:
    """What one file's merge will remember once it is accepted (the project stays valid)."""

    known: dict[tuple[str, str], set[Values]] = field(default_factory=dict)     # (lineage, group) -> values
    latest: dict[tuple[str, str], Values] = field(default_factory=dict)
    rows: dict[tuple[str, str], str] = field(default_factory=dict)              # (lineage, row) -> id
    stamps: dict[str, Stamp] = field(default_factory=dict)
    set_by: dict[str, str] = field(default_factory=dict)                       # group -> file, this run


# An added row is the entry an earlier copy of the form created when their texts match this well (difflib ratio of the
# folded texts): a statement corrected by a few words still matches, another finding does not
SAME_TEXT = 0.8
SAME_ROW_TEXT = 0.3    # enough when the row is the very row that created the entry (rewritten more deeply)
SAME_ROW_BONUS = 0.5   # its own row is preferred over a similar text elsewhere in the table
ADDED_LABEL_WIDTH = 70  # characters of an added entry's text in the report: one terminal line with its file and id
class Merger:
    """Applies readings to the project data, one after the other, recording changes and conflicts. It holds only
    what lasts the whole run; each reading is merged by its own _ReadingMerge."""

    def __init__(self, editor: ProjectEditor, state: ProjectState, prefer: str, report: HarvestReport) -> None:
        self.ed, self.state, self.prefer, self.report = editor, state, prefer, report
        self.set_by: dict[str, str] = {}    # group key -> the file that set it during this run
        self.run_rows: dict[tuple[str, str], str] = {}

    def apply(self, r: Reading, trusted: bool) -> _Pending:
        """Merge one reading (its base trusted or not); returns what to commit once its file is accepted."""
        return _ReadingMerge(self, r, trusted).apply()

    def commit(self, pending: _Pending) -> None:
        """Make an accepted file's memory part of the run (and of the state saved at the end)."""
        for (digest, gkey), values in pending.known.items():
            lineage = self.state.lineage(digest)
            seen = {tuple(v) for v in lineage.known.get(gkey, [])}
            lineage.known[gkey] = [list(v) for v in sorted(seen | values)]
        for (digest, gkey), value in pending.latest.items():
            self.state.lineage(digest).latest[gkey] = list(value)
        for (digest, row), eid in pending.rows.items():
            self.state.lineage(digest).rows[row] = eid
            self.run_rows[(digest, row)] = eid
        self.state.stamps.update(pending.stamps)
        self.set_by.update(pending.set_by)


class _ReadingMerge:
    """One reading merged into the project data: the run's shared objects, and this reading's own state."""

    # -- the reading -------------------------------------------------------------------------------------------
    def __init__(self, run: Merger, r: Reading, trusted: bool) -> None:
        # what the run shares (the same objects: the editor, the state, the report, this run's memory)
        self.ed, self.state, self.prefer, self.report = run.ed, run.state, run.prefer, run.report
        self.set_by, self.run_rows = run.set_by, run.run_rows
        # this reading's own
        self.r, self.file, self.pending = r, r.path.name, _Pending()
        self.digest = r.digest if trusted else None
        self.base = (r.base or {}) if trusted else {}
        self.lineage = self.state.lineages.get(self.digest) if self.digest else None

    def apply(self) -> _Pending:
        """Merge the reading into the project data; what the run should remember once the file is accepted."""
        r = self.r
        for place, values in r.values.items():
            if not self.ed.index.exists(place):
                self.report.gone.append(problem(N_("{entry} is no longer in the project; its row in the form is "
                                                   "ignored"), self.file, **_about(place), code="gone-from-project"))
                continue
            self.merge_place(place, values)
        self.add_rows(r.added)
        for place in self.base:
            if place[0] in KINDS and place not in r.values and self.ed.index.exists(place):
                self.report.deleted.append(problem(N_("{entry} is no longer in the form; kept in the project"),
                                                   self.file, **_about(place), code="deleted-in-form"))
        return self.pending

    def merge_place(self, place: Place, values: dict[str, Any]) -> None:
        base_fields = self.base.get(place)
        for group in groups(place[0], list(values)):
            self.merge_group(place, group, values, base_fields)

    def _known(self, gkey: str, base_fields: dict[str, Any] | None, group: tuple[str, ...]) -> tuple[set[Values], Values | None]:
        """Values this form's lineage already had for a group (generated, or harvested in earlier runs), and the
        latest of them."""
        known: set[Values] = set()
        latest: Values | None = None
        if base_fields is not None:
            latest = tuple(norm(base_fields.get(f)) for f in group)
            known.add(latest)
        if self.lineage is not None:
            known |= {tuple(v) for v in self.lineage.known.get(gkey, [])}
            if gkey in self.lineage.latest:
                latest = tuple(self.lineage.latest[gkey])
        if self.digest:
            known |= self.pending.known.get((self.digest, gkey), set())
        return known, latest

    def merge_group(self, place: Place, group: tuple[str, ...], values: dict[str, Any],
                    base_fields: dict[str, Any] | None) -> None:
        form = tuple(norm(values[f]) for f in group)
        current = tuple(self.ed.index.value(place, f) for f in group)
        gkey = group_key(place_key(place), group)
        known, latest = self._known(gkey, base_fields, group)
        if form in known:
            return
        if form == current:
            self.remember(gkey, form)
            self.stamp(gkey, form)  # this copy says so too: an older copy will not roll it back
            return
        if self.superseded(gkey, form, current, place, group):
            return
        if latest is not None and current == latest and gkey not in self.set_by:
            self.take(place, group, values, current, gkey)
            return
        kept = "form" if self.prefer == "form" else "project"
        fields = "+".join(group)
        self.report.conflicts.append(Conflict(self.file, target_of(place, fields),
                                              _show(latest) if latest is not None else "", _show(form), _show(current),
                                              kept, self.set_by.get(gkey, ""), place, fields))
        if kept == "form":
            self.take(place, group, values, current, gkey)

    def superseded(self, gkey: str, form: Values, current: Values, place: Place, group: tuple[str, ...]) -> bool:
        """True (and reported) when a newer copy than this one set the project's value: an older copy never rolls
        back what a newer one took, whatever the field."""
        stamp = self.state.stamps.get(gkey)
        mine = self.r.modified and _utc(self.r.modified)
        if stamp is None or tuple(stamp.value) != current or not (mine and stamp.time):
            return False
        newer = _utc(datetime.fromisoformat(stamp.time))
        if mine >= newer:
            return False
        self.report.older.append(problem(
            N_("{entry}.{fields}: {value} not taken (this copy saved {saved}); {other} (saved {other_saved}), a newer "
               "copy, set {expected}, which stays"), self.file, saved=_when(mine), **_about(place),
            fields="+".join(group), value=_show(form), other=stamp.file, other_saved=_when(newer),
            expected=_show(current), code="older-copy"))
        return True

    def take(self, place: Place, group: tuple[str, ...], values: dict[str, Any], current: Values, gkey: str) -> None:
        for f, old in zip(group, current):
            if norm(values[f]) != old:
                self.ed.set_field(place, f, values[f])
                self.report.changes.append(Change(self.file, target_of(place, f), old, norm(values[f]), place, f))
        form = tuple(norm(values[f]) for f in group)
        self.remember(gkey, form)
        self.stamp(gkey, form, force=True)
        self.pending.set_by[gkey] = self.file

    def stamp(self, gkey: str, form: Values, *, force: bool = False) -> None:
        """Remember that this copy (and when it was saved) stands behind the project's value of a group; a copy
        agreeing with the value stamps it only when newer than the copy that did."""
        mine = self.r.modified and _utc(self.r.modified)
        was = self.pending.stamps.get(gkey) or self.state.stamps.get(gkey)
        if not force and was is not None and was.time and (not mine or _utc(datetime.fromisoformat(was.time)) >= mine):
            return
        self.pending.stamps[gkey] = Stamp(list(form), mine.isoformat() if mine else "", self.file)

    def remember(self, gkey: str, form: Values) -> None:
        if self.digest:
            self.pending.known.setdefault((self.digest, gkey), set()).add(form)
            self.pending.latest[(self.digest, gkey)] = form

    # -- rows people added -------------------------------------------------------------------------------------
    def add_rows(self, added: list[Added]) -> None:
        matched = self.identify(added)
        local: dict[str, str] = {}
        for i, row in enumerate(added):
            parent = row.parent
            if parent[0] == "finding" and parent[1].startswith("@"):
                if parent[1] not in local:
                    continue  # its finding's row was refused: the problem is reported there
                parent = ("finding", local[parent[1]])
            if not self.ed.index.exists(parent):
                self.report.gone.append(problem(N_("{entry} is no longer in the project; row ignored"), self.file,
                                                place=row.where, **_about(parent), code="gone-from-project"))
                continue
            kind = KINDS[row.kind]
            existing = matched.get(i)
            if existing is not None:
                self.merge_place(entry_place(row.kind, parent, existing),
                                 {k: v for k, v in row.fields.items() if k not in kind.fixed})
                new_id = existing
            else:
                place = self.ed.add(row.kind, parent, row.fields, row.wanted_id)
                new_id = place[-1]
                for group in groups(row.kind, [k for k in row.fields if k not in kind.fixed]):
                    gkey, values = group_key(place_key(place), group), tuple(norm(row.fields[f]) for f in group)
                    self.remember(gkey, values)
                    self.stamp(gkey, values, force=True)  # what this copy created, an older copy never rolls back
                short = textwrap.shorten(row.label, ADDED_LABEL_WIDTH, placeholder=" …")
                self.report.added.append(problem(ADDED.get(row.kind, ADDED_OTHER), self.file, place=row.where,
                                                 id=new_id, kind=row.kind, parent=label_of(parent), value=short,
                                                 code="added"))
            if self.digest:
                self.pending.rows[(self.digest, row.row)] = new_id
            if row.local:
                local[row.local] = new_id

    def identify(self, added: list[Added]) -> dict[int, str]:
        """Which added rows are rows already harvested (from an earlier copy of the same form): index -> id.

        Links recorded at earlier harvests come first, confirmed by the text (a row moved in the table is still
        found); without them (no state file), an entry under the same parent with the same text counts.
        """
        links: dict[str, str] = {}
        if self.lineage is not None:
            links.update(self.lineage.rows)
        if self.digest:
            links.update({row: i for (d, row), i in self.run_rows.items() if d == self.digest})
        pairs: list[tuple[float, int, str]] = []
        for i, row in enumerate(added):
            table = row.row.split("#")[0]
            for link_row, eid in links.items():
                if link_row.split("#")[0] != table or not self.ed.index.exists(entry_place(row.kind, row.parent, eid)):
                    continue
                similarity = self.similarity(row, eid)
                same_row = link_row == row.row
                if similarity >= SAME_TEXT or (same_row and similarity >= SAME_ROW_TEXT):
                    pairs.append((similarity + (SAME_ROW_BONUS if same_row else 0), i, eid))
        result: dict[int, str] = {}
        used: set[str] = set()
        for _, i, eid in sorted(pairs, reverse=True):
            if i not in result and eid not in used:
                result[i] = eid
                used.add(eid)
        for i, row in enumerate(added):
            if i in result:
                continue
            same = self.same_text(row, used)
            if same is not None:
                result[i] = same
                used.add(same)
        return result

    def similarity(self, row: Added, eid: str) -> float:
        place, text = entry_place(row.kind, row.parent, eid), KINDS[row.kind].text
        texts = [self.ed.index.text(place)]
        if self.lineage is not None:   # the texts earlier copies gave it
            gkey = group_key(place_key(place), (text,))
            texts += [v[0] for v in self.lineage.known.get(gkey, []) if v]
        return max(difflib.SequenceMatcher(None, fold(row.label), fold(t)).ratio() for t in texts)

    def same_text(self, row: Added, used: set[str]) -> str | None:
        """An entry under the row's parent, not in this form's base, whose text is the row's (no state needed)."""
        if row.parent[0] == "finding" and row.parent[1].startswith("@"):
            return None  # its finding is new in this form: nothing to match
        kind = KINDS[row.kind]
        parent_path = self.ed.index.path(row.parent)
        if parent_path is None:
            return None
        children = self.ed.index.node_or_none((*parent_path, *kind.container)) or []
        given = [str(c.get(kind.id_field)) if c.get(kind.id_field) else None for c in children]
        for child, cid in zip(children, entry_ids(given, kind.prefix)):
            if cid in used or entry_place(row.kind, row.parent, cid) in self.base:
                continue
            if fold(entry_text(row.kind, child)) == fold(row.label):
                return cid
        return None


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _when(moment: datetime) -> str:
    """A copy's saving time for a message: '2026-12-04 09:00 UTC'."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _show(values: Values | None) -> str:
    """A group's values for a message: the non-blank ones, comma-separated."""
    return ", ".join(v for v in values if v) if values else ""


# -- the command ----------------------------------------------------------------------------------------------------

def _order(reading: Reading) -> tuple[datetime, str]:
    moment = reading.modified or EPOCH
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment, reading.path.name


def _read_all(pf: ProjectFile, found: Iterable[tuple[Path, bool]], report: HarvestReport,
              progress: Callable[..., None] | None = None) -> list[tuple[Reading, str]]:
    readings: list[tuple[Reading, str]] = []
    seen: dict[str, Path] = {}
    files = list(found)
    for done, (path, explicit) in enumerate(files, start=1):
        if progress:
            progress(path.name, done, len(files))
        if path.suffix.lower() not in (".docx", ".xlsx"):
            (report.errors if explicit else report.skipped).append(problem(NOT_OFFICE, path, code="not-office-file"))
            continue
        try:
            data = read_whole(path)  # read once: the digest is of what is read
        except UnsafeFileError as err:
            report.errors += [replace(p, hint=p.hint or N_("check the file")) for p in err.problems]
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            report.skipped.append(problem(N_("same content as {other}"), path, other=str(seen[digest]),
                                          code="same-content"))
            continue
        seen[digest] = path
        try:
            reading = open_form(path, pf, data)
        except NotHarvested as err:
            (report.errors if explicit else report.skipped).extend(err.problems)
            continue
        except KitgenError as err:
            report.errors += err.problems
            continue
        if reading.problems:
            report.errors += [_nothing_taken(reading.problems[0]), *reading.problems[1:]]
            continue
        readings.append((reading, digest))
    readings.sort(key=lambda x: _order(x[0]))
    return readings


def _nothing_taken(first: Problem) -> Problem:
    """A refused file's first problem, saying on its own line that nothing is taken from the file (its fields kept)."""
    said = replace(first, file=None, place=None, line=None, column=None)
    return replace(first, message=N_("{problem} (nothing taken from this file)"), hint=None, args={"problem": said})


def harvest(pf: ProjectFile, paths: list[Path], *, dry_run: bool = False, prefer: str = "project",
            progress: Callable[..., None] | None = None) -> HarvestReport:
    """Merge the filled forms at `paths` (files or folders) into the project file; see the module docstring.
    `progress(name, done, total)` is called as each file is read. `pf` stays as the caller loaded it (load the file
    again to see the harvest's result)."""
    pf = pf.working_copy()
    report = HarvestReport()
    found = find_files(paths, None)
    with nullcontext() if dry_run else locked(pf.path.resolve(), shown=pf.path):  # a dry run takes no lock
        state = ProjectState.load(pf.path)
        readings = _read_all(pf, found, report, progress)
        editor = ProjectEditor(pf.editable_data())
        merger = Merger(editor, state, prefer, report)
        merged: list[str] = []
        for reading, sha in readings:
            trusted = reading.digest is not None and reading.digest in state.bases
            if not trusted:
                report.untrusted.append(problem(N_("its embedded base is not one kitgen wrote (edited, or built "
                                                   "elsewhere): merged as if it had none, every difference is a "
                                                   "conflict"), reading.name, code="untrusted-base"))
            mark = editor.log.checkpoint()
            before = {k: len(v) for k, v in report.__dict__.items() if isinstance(v, list)}
            pending = merger.apply(reading, trusted)
            try:
                if editor.log.checkpoint() != mark:
                    pf.project = validate_edit(pf.path, editor.data, pf.project, editor.log.ops)
            except ProjectFileError as err:
                editor.log.rollback(mark)
                editor.reindex()
                for name, size in before.items():
                    del getattr(report, name)[size:]
                report.errors.append(problem(N_("its changes would make the project invalid, nothing taken: "
                                                "{problem}"), reading.path, problem=err.problems[0],
                                             code="invalid-result"))
                continue
            merger.commit(pending)
            report.files.append(str(reading.path))
            report.ignored += reading.ignored
            report.not_taken += reading.not_taken
            # a file whose every typed value is in the project may be rebuilt without --force; one with a value
            # left out (a conflict kept the project's, a newer copy's stays, a cell no field takes, a row about
            # something else) or whose base kitgen cannot vouch for may not
            left_out = (any(c.file == reading.path.name and c.kept == "project" for c in report.conflicts)
                        or len(report.older) > before["older"] or reading.not_taken or reading.ignored)
            if trusted and not left_out:
                merged.append(sha)
        if dry_run:   # the working copy's edits are dropped with it
            return report
        if editor.log.ops:
            report.backup = save_edits(pf, editor.log, pf.project)
            report.written = True
        for sha in merged:
            state.harvested.pop(sha, None)
            state.harvested[sha] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        state.save()
    return report

