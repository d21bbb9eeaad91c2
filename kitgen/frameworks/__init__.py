"""ISO/IEC 20000-1 editions as data: clause titles (fr/en), process lists and the cross-edition map."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ruamel.yaml import YAML

FRAMEWORK_IDS = ("iso20000-1:2005", "iso20000-1:2011", "iso20000-1:2018")


@dataclass(frozen=True)
class Framework:
    """One edition of ISO/IEC 20000-1: its clauses, processes and where audits and reviews sit."""

    id: str
    edition: int
    title: dict[str, str]
    preventive_actions: bool
    internal_audit: str
    management_review: str
    clauses: dict[str, dict[str, str]]
    processes: dict[str, str]  # process slug -> clause id

    def clause_title(self, clause: str, lang: str) -> str:
        """The clause's title in `lang`, or '' for an unknown clause."""
        return self.clauses.get(clause, {}).get(lang, "")

    def process_title(self, slug: str, lang: str) -> str:
        """A process's name in `lang`: the title of the clause that defines it."""
        return self.clause_title(self.processes[slug], lang)


def _read(name: str) -> dict:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return YAML(typ="safe").load(text)


@lru_cache(maxsize=None)
def get_framework(framework_id: str) -> Framework:
    """The framework with this id (e.g. 'iso20000-1:2005'); KeyError for an unknown id."""
    if framework_id not in FRAMEWORK_IDS:
        raise KeyError(framework_id)
    data = _read(framework_id.replace(":", "-") + ".yaml")
    return Framework(
        id=data["id"],
        edition=data["edition"],
        title=data["title"],
        preventive_actions=data["preventive_actions"],
        internal_audit=str(data["internal_audit"]),
        management_review=str(data["management_review"]),
        clauses={str(k): v for k, v in data["clauses"].items()},
        processes={k: str(v) for k, v in data["processes"].items()},
    )


@lru_cache(maxsize=None)
def cross_map() -> dict[str, dict[str, str]]:
    """Process slug -> {edition year: clause} across the three editions."""
    return {slug: {str(k): str(v) for k, v in eds.items()} for slug, eds in _read("crossmap.yaml")["processes"].items()}


def map_clause(clause: str, source: str, target: str) -> str | None:
    """The clause of `target` that holds the process `clause` covers in `source`, or None if no process maps."""
    src, dst = get_framework(source).edition, get_framework(target).edition
    for eds in cross_map().values():
        if eds.get(str(src)) == clause:
            return eds.get(str(dst))
    return None
