"""ISO/IEC 20000-1 editions as data: clause titles (fr/en), process lists and the cross-edition map."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ruamel.yaml import YAML

FRAMEWORK_IDS = ("iso20000-1:2005", "iso20000-1:2011", "iso20000-1:2018")
CURRENT = "iso20000-1:2018"


@dataclass(frozen=True)
class Documented:
    """A piece of documented information an auditor asks for: its kind (as projects label documents), clause, title."""

    kind: str
    clause: str
    title: dict[str, str]


@dataclass(frozen=True)
class Framework:
    """One edition of ISO/IEC 20000-1: its clauses, processes and where audits and reviews sit."""

    id: str
    edition: int
    title: dict[str, str]
    current: bool                      # certification bodies certify against it
    withdrawn: dict[str, str]          # why not, when it is not current (fr/en)
    preventive_actions: bool
    internal_audit: str
    management_review: str
    clauses: dict[str, dict[str, str]]
    processes: dict[str, str]  # process slug -> clause id
    documented: tuple[Documented, ...] = ()
    examine: tuple[tuple[str, str], ...] = ()  # (topic, clause): where the checklist uses particular project data

    @property
    def prompts(self) -> dict[str, dict[str, dict[str, str]]]:
        """Clause -> language -> {"check": what to look at, "ask": the evidence to ask for}, in kitgen's own words;
        read when first asked for (only the checklist asks, and they are three quarters of an edition's data)."""
        return _prompts(self.edition)

    def withdrawn_warning(self, lang: str) -> str | None:
        """One line saying the edition is withdrawn (None for the current edition)."""
        colon = " : " if lang == "fr" else ": "   # as the French catalog's "{edition} : {why}" that build prints
        return None if self.current else f"{self.title[lang].split(' — ')[0]}{colon}{self.withdrawn[lang]}"

    def requirements(self) -> list[str]:
        """The clauses an audit examines one by one: those without sub-clauses, in the standard's order."""
        ids = list(self.clauses)
        return [c for c in ids if not any(o.startswith(c + ".") for o in ids)]

    def prompt(self, clause: str, lang: str) -> dict[str, str]:
        """What an auditor examines for a clause and the evidence to ask for ({'check', 'ask'}; empty when the
        clause has none)."""
        return self.prompts.get(clause, {}).get(lang, {})

    def clause_process(self, clause: str) -> str | None:
        """The process a clause (or one of its sub-clauses) defines, or None."""
        for slug, c in self.processes.items():
            if clause == c or clause.startswith(c + "."):
                return slug
        return None

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
        current=bool(data.get("current", False)),
        withdrawn=data.get("withdrawn", {}),
        preventive_actions=data["preventive_actions"],
        internal_audit=str(data["internal_audit"]),
        management_review=str(data["management_review"]),
        clauses={str(k): v for k, v in data["clauses"].items()},
        processes={k: str(v) for k, v in data["processes"].items()},
        documented=tuple(Documented(d["kind"], str(d["clause"]), {"fr": d["fr"], "en": d["en"]})
                         for d in data.get("documented", [])),
        examine=tuple((k, str(v)) for k, v in data.get("examine", {}).items()),
    )


@lru_cache(maxsize=None)
def _prompts(edition: int) -> dict[str, dict[str, dict[str, str]]]:
    """What an auditor examines for each clause of an edition (see Framework.prompts)."""
    return {str(k): v for k, v in _read(f"examine-{edition}.yaml").items()}


@lru_cache(maxsize=None)
def title_words() -> dict[str, dict[str, tuple[str, ...]]]:
    """Process slug (and 'sms') -> {language: words of a job title that place someone in it (written folded: no
    case, no accents)}."""
    data = _read("process-words.yaml")
    table = {**data["processes"], "sms": data["sms"]}
    return {slug: {lang: tuple(words) for lang, words in langs.items()} for slug, langs in table.items()}


@lru_cache(maxsize=None)
def document_words() -> tuple[list[tuple[str, tuple[str, ...], tuple[str, ...]]], list[tuple[str, tuple[str, ...]]]]:
    """The words of a file's name that say its kind of documented information: the specific kinds (kind, marks of
    the generic kind, marks of what it is about), then the generic ones (kind, marks), all written folded."""
    data = _read("document-words.yaml")
    specific = [(e["kind"], tuple(e["marks"]), tuple(e["about"])) for e in data["specific"]]
    return specific, [(e["kind"], tuple(e["marks"])) for e in data["generic"]]


@lru_cache(maxsize=None)
def specific_kind_names() -> dict[str, dict[str, Any]]:
    """Specific kind of documented information -> {"fr": name, "en": name, "aliases": other words people type}."""
    return {e["kind"]: {"fr": e["fr"], "en": e["en"], "aliases": tuple(e["aliases"])}
            for e in _read("document-words.yaml")["specific"]}


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


def migration(source: str, slugs: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(process, clause in `source`, clause in the current edition) for every process the cross-edition map knows
    (only `slugs` when given): the clause-by-clause way from a withdrawn edition to the current one."""
    src, dst = str(get_framework(source).edition), str(get_framework(CURRENT).edition)
    return [(slug, eds[src], eds[dst]) for slug, eds in cross_map().items()
            if src in eds and dst in eds and (slugs is None or slug in slugs)]
