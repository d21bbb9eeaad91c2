"""The three editions as data: complete process lists, titles in both languages, the cross-edition map."""
from __future__ import annotations

import difflib
import re

import pytest

from kitgen.frameworks import FRAMEWORK_IDS, cross_map, get_framework, map_clause


def test_2005_has_the_13_processes_of_the_kit():
    fw = get_framework("iso20000-1:2005")
    assert sorted(fw.processes.values(), key=lambda c: [int(x) for x in c.split(".")]) == [
        "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "7.2", "7.3", "8.2", "8.3", "9.1", "9.2", "10.1"]
    assert {c.split(".")[0] for c in fw.clauses} == {str(n) for n in range(3, 11)}
    assert fw.clause_title("8.2", "fr") == "Gestion des incidents"


@pytest.mark.parametrize("fid", FRAMEWORK_IDS)
def test_every_clause_has_both_titles_and_processes_exist(fid):
    fw = get_framework(fid)
    for clause, titles in fw.clauses.items():
        assert titles["fr"].strip() and titles["en"].strip(), clause
    for clause in fw.processes.values():
        assert clause in fw.clauses
    assert fw.internal_audit in fw.clauses and fw.management_review in fw.clauses


def test_preventive_actions_only_before_2018():
    assert [get_framework(f).preventive_actions for f in FRAMEWORK_IDS] == [True, True, False]


def test_cross_map_points_at_real_clauses():
    for slug, editions in cross_map().items():
        for year, clause in editions.items():
            assert clause in get_framework(f"iso20000-1:{year}").clauses, (slug, year, clause)
    assert map_clause("10.1", "iso20000-1:2005", "iso20000-1:2018") == "8.5.3"
    assert map_clause("7.3", "iso20000-1:2005", "iso20000-1:2011") == "7.2"


# What the checklist said on every row it had nothing particular for, before each clause had its own prompt
GENERIC = ("Interview top management and the service management lead; ask for the evidence.",
           "Interroger la direction et le responsable de la gestion des services ; demander les preuves.")
# two prompts closer than this (difflib's ratio of their words) say the same thing with a few words changed; the
# closest two of an edition today are at 0.46
TOO_SIMILAR = 0.7
WORD = re.compile(r"\w+|[^\w\s]")


@pytest.mark.parametrize("fid", FRAMEWORK_IDS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_clause_has_its_own_prompt_naming_the_evidence(fid, lang):
    fw = get_framework(fid)
    prompts = {c: fw.prompt(c, lang) for c in fw.requirements()}
    assert set(fw.prompts) == set(fw.requirements())  # a prompt per clause an audit examines, none for others
    for clause, p in prompts.items():
        assert len(p["check"]) >= 60 and len(p["ask"]) >= 20, clause  # what to look at, and the evidence to ask for
        assert not any(g.rstrip(".") in p["check"] for g in GENERIC), clause
    checks = [p["check"] for p in prompts.values()]
    asks = [p["ask"] for p in prompts.values()]
    assert len(set(checks)) == len(checks) and len(set(asks)) == len(asks)  # no two clauses share a text
    words = {clause: WORD.findall(p["check"]) for clause, p in prompts.items()}   # words: a tenth of comparing letters
    close = [(a, b) for a in words for b in words if a < b
             and difflib.SequenceMatcher(None, words[a], words[b]).ratio() >= TOO_SIMILAR]
    assert close == []  # none generic: no prompt is another with a few words changed


def test_no_two_clauses_of_any_edition_share_a_prompt():
    texts = [get_framework(f).prompt(c, lang)[k] for f in FRAMEWORK_IDS for c in get_framework(f).requirements()
             for lang in ("fr", "en") for k in ("check", "ask")]
    assert len(set(texts)) == len(texts)


def test_amendment_1_asks_about_climate_change_in_4_1_and_4_2():
    fw = get_framework("iso20000-1:2018")
    for clause in ("4.1", "4.2"):
        assert "changement climatique" in fw.prompt(clause, "fr")["check"]
        assert "climate change" in fw.prompt(clause, "en")["check"]
    assert "1:2024" in fw.prompt("4.1", "en")["check"]
    assert not any("climat" in get_framework(f).prompt(c, "fr")["check"] for f in FRAMEWORK_IDS[:2]
                   for c in get_framework(f).requirements())  # the amendment is the 2018 edition's
