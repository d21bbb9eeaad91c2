"""What kitgen remembers beside a project file (`<name>.kitgen.json`): the bases it wrote, the files it harvested,
and what it took from each generated form, so that later copies of a form update rather than duplicate.

Keep it with the project file (copy it, commit it). Without it, forms still harvest, but each is merged as if it
carried no base (every difference is a conflict) and rows added in forms are recognised by their text only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import N_, ProjectFileError
from ..infra.safefs import atomic_write

STATE_FORMAT = 1
MAX_ENTRIES = 5000  # bases and harvested files kept; older ones are forgotten (their forms merge without a base)
MAX_STATE_BYTES = 50 * 1024 * 1024  # MAX_ENTRIES entries take about a megabyte: a larger file is not kitgen's


def state_path(project_path: Path) -> Path:
    """`projet.yaml` -> `projet.kitgen.json`, beside the real file when the project file is a link."""
    real = project_path.resolve()
    return real.with_name(real.stem + ".kitgen.json")

DAMAGED = N_("damaged kitgen state file")
RESTORE = N_("restore it from a copy, or delete it (forms will then merge without their base)")


@dataclass
class Lineage:
    """What was taken from the copies of one generated form (one base), run after run."""

    known: dict[str, list[list[str]]] = field(default_factory=dict)   # group key -> every value seen in a copy
    latest: dict[str, list[str]] = field(default_factory=dict)        # group key -> the value last taken
    rows: dict[str, str] = field(default_factory=dict)                # added row ("findings#2") -> the id it got


@dataclass
class Stamp:
    """Which copy of a form last set a group of fields, and that copy's own modification time."""

    value: list[str]
    time: str
    file: str


@dataclass
class ProjectState:
    """The state file's content; `load` it, change it, `save` it under the project's lock."""

    path: Path
    bases: dict[str, dict[str, str]] = field(default_factory=dict)
    harvested: dict[str, str] = field(default_factory=dict)
    lineages: dict[str, Lineage] = field(default_factory=dict)
    stamps: dict[str, Stamp] = field(default_factory=dict)

    @classmethod
    def load(cls, project_path: Path) -> ProjectState:
        """The state beside `project_path` (empty when there is none yet)."""
        path = state_path(project_path)
        try:
            if path.stat().st_size > MAX_STATE_BYTES:
                raise ProjectFileError(path, message=N_("larger than {expected} MB"), expected=MAX_STATE_BYTES // 2**20,
                                       hint=N_("is it kitgen's?"), code="too-large")
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (ValueError, UnicodeDecodeError):
            raise ProjectFileError(path, message=DAMAGED, hint=RESTORE, code="damaged-state") from None
        if not isinstance(raw, dict) or raw.get("kitgen_state") != STATE_FORMAT:
            raise ProjectFileError(path, message=N_("not a kitgen state file of format {expected}"),
                                   expected=STATE_FORMAT, code="not-a-state-file")
        try:
            return cls(
                path,
                bases=dict(raw.get("bases", {})),
                harvested=dict(raw.get("harvested", {})),
                lineages={k: Lineage(**v) for k, v in raw.get("lineages", {}).items()},
                stamps={k: Stamp(**v) for k, v in raw.get("stamps", {}).items()},
            )
        except TypeError:
            raise ProjectFileError(path, message=DAMAGED, hint=RESTORE, code="damaged-state") from None

    def save(self) -> None:
        """Write the state atomically, forgetting the oldest bases and harvested files beyond the limit."""
        for table in (self.bases, self.harvested):
            for key in list(table)[:-MAX_ENTRIES]:
                del table[key]
        self.lineages = {k: v for k, v in self.lineages.items() if k in self.bases}
        data = {
            "kitgen_state": STATE_FORMAT,
            "note": "kitgen's memory of the forms it generated and harvested; keep it beside the project file",
            "bases": self.bases,
            "harvested": self.harvested,
            "lineages": {k: v.__dict__ for k, v in self.lineages.items()},
            "stamps": {k: v.__dict__ for k, v in self.stamps.items()},
        }
        atomic_write(self.path, (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))

    def remember_base(self, digest: str, form: str, key: str | None, when: str) -> None:
        """Record a base snapshot kitgen wrote into a generated file."""
        self.bases.pop(digest, None)  # re-inserted last: the most recently used bases are kept longest
        self.bases[digest] = {"form": form, "key": key or "", "at": when}

    def lineage(self, digest: str) -> Lineage:
        """The lineage of the form generated with this base (created on first use)."""
        return self.lineages.setdefault(digest, Lineage())


def group_key(place_key: str, fields: tuple[str, ...]) -> str:
    """'action/CA-3' + ('status', 'closed') -> 'action/CA-3|status,closed'."""
    return place_key + "|" + ",".join(fields)
