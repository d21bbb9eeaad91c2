"""The three editions as data: complete process lists, titles in both languages, the cross-edition map."""
from __future__ import annotations

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
