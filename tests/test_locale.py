"""Dates in the order of the project's locale (`locale: fr-FR | fr-CA | en-GB | en-US`): numeric dates typed in a
returned form are read in that order, one impossible in it is refused naming its cell, and the dates kitgen writes
print in it."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kitgen.forms.values import ValueProblem, date_order, parse_date
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.project import load_project

from .helpers import TODAY, edit_plan, libreoffice_fill, needs_soffice, plan_letter, where


def with_locale(project: Path, locale: str) -> Path:
    """The project file with a `locale` key under its language."""
    text = project.read_text(encoding="utf-8")
    lang = "en" if "\nlanguage: en\n" in text else "fr"
    project.write_text(text.replace(f"\nlanguage: {lang}\n", f"\nlanguage: {lang}\nlocale: {locale}\n", 1),
                       encoding="utf-8")
    return project


def action(project: Path, action_id: str):
    return next(a for a in load_project(project).project.all_actions() if a.id == action_id)


# -- reading a typed date ---------------------------------------------------------------------------------------------

def test_each_locale_has_its_order_from_babel():
    assert {loc: date_order(loc) for loc in ("fr-FR", "fr-CA", "en-GB", "en-US")} == \
        {"fr-FR": "dmy", "fr-CA": "ymd", "en-GB": "dmy", "en-US": "mdy"}


@pytest.mark.parametrize("locale,text,expected", [
    ("fr-FR", "01/05/2027", date(2027, 5, 1)), ("en-GB", "01/05/2027", date(2027, 5, 1)),
    ("en-US", "01/05/2027", date(2027, 1, 5)), ("en-US", "1/5/2027", date(2027, 1, 5)),
    ("en-US", "12/31/2026", date(2026, 12, 31)), ("fr-FR", "31.12.2026", date(2026, 12, 31)),
    # fr-CA writes the year first: a year-last date is read when only one order makes a date
    ("fr-CA", "31/12/2026", date(2026, 12, 31)), ("fr-CA", "12/31/2026", date(2026, 12, 31)),
    ("fr-CA", "05/05/2027", date(2027, 5, 5)),
    # an ISO date, words and a spreadsheet's real date cell mean the same in every locale
    *[(loc, "2027-01-05", date(2027, 1, 5)) for loc in ("fr-FR", "fr-CA", "en-GB", "en-US")],
    ("en-US", "5 January 2027", date(2027, 1, 5)), ("fr-FR", "January 5, 2027", date(2027, 1, 5)),
    ("en-US", datetime(2027, 1, 13), date(2027, 1, 13)), ("en-US", 46400, date(2027, 1, 13)),
])
def test_numeric_dates_are_read_in_the_locales_order(locale, text, expected):
    assert parse_date(text, locale) == expected


@pytest.mark.parametrize("locale,text,why", [
    ("en-US", "13/01/2027", 'day first, where en-US puts the month first, in "13/01/2027"; write it as '
                            "2026-06-30 or 06/30/2026"),
    ("en-US", "31/12/2026", "day first, where en-US puts the month first"),
    ("fr-FR", "01/13/2027", 'month first \\(as in the US\\), where fr-FR puts the day first, in "01/13/2027"; '
                            "write it as 2026-06-30 or 30/06/2026"),
    ("en-GB", "12/31/2026", "month first \\(as in the US\\), where en-GB puts the day first"),
    ("fr-CA", "01/05/2027", 'day and month cannot be told apart \\(fr-CA writes the year first\\) in "01/05/2027"; '
                            "write it as 2026-06-30$"),
    ("en-US", "02/30/2027", 'impossible date "02/30/2027"'),
    ("en-US", "01/05/27", "two-digit year"),
])
def test_a_date_impossible_in_the_locales_order_is_refused(locale, text, why):
    with pytest.raises(ValueProblem, match=why):
        parse_date(text, locale)


# -- the project file -------------------------------------------------------------------------------------------------

def test_the_locale_defaults_from_the_language(sample_copy):
    assert load_project(sample_copy("fr")).project.locale_for("fr") == "fr-FR"
    en = sample_copy("en")
    assert load_project(en).project.locale_for("en") == "en-GB"
    us = load_project(with_locale(en, "en-US")).project
    assert (us.locale_for("en"), us.locale_for("fr")) == ("en-US", "fr-FR")   # a French form: the French way


@pytest.mark.parametrize("locale,message", [
    ("en-CA", "locale: 'en-CA' is not one of 'fr-FR', 'fr-CA', 'en-GB', 'en-US'"),
    ("en-US", "locale: locale en-US is not of the project's language (fr); use fr-FR/fr-CA, or change language"),
])
def test_a_bad_locale_is_located(sample_copy, locale, message):
    from kitgen.errors import ProjectFileError

    project = with_locale(sample_copy("fr"), locale)
    line = project.read_text(encoding="utf-8").splitlines().index(f"locale: {locale}") + 1
    with pytest.raises(ProjectFileError) as err:
        load_project(project)
    assert f"{project.name}:{line}:9: {message}" in str(err.value)


# -- forms ------------------------------------------------------------------------------------------------------------

def test_us_dates_typed_in_the_action_plan_across_rounds(sample_copy):
    project = with_locale(sample_copy("en"), "en-US")
    out = project.parent / "out"
    build(load_project(project), ["action-plan"], out_dir=out)
    plan = out / "action-plan.xlsx"
    due = plan_letter(plan, "Due date")
    ws = load_workbook(plan)["Actions"]
    assert (ws[f"{due}2"].value.date(), ws[f"{due}2"].number_format) == (date(2026, 10, 31), "m/d/yyyy")

    # the impossible one: refused naming its cell, nothing taken from the file
    wrong = edit_plan(plan, out / "wrong.xlsx", {"CA-1": {"Due date": "13/01/2027"}}, sheet_header="Action ID")
    before = project.read_bytes()
    refused = harvest(load_project(project), [wrong])
    assert [str(e) for e in refused.errors] == [
        f'wrong.xlsx: Actions!{due}2: day first, where en-US puts the month first, in "13/01/2027"; write it as '
        '2026-06-30 or 06/30/2026 (nothing taken from this file)']
    assert (refused.errors[0].code, refused.errors[0].value, refused.errors[0].place) == (
        "not-a-date", "13/01/2027", f"Actions!{due}2")
    assert project.read_bytes() == before
    wrong.unlink()

    # typed month first, as in the US; a real date cell stays the date it is
    edit_plan(plan, plan, {"CA-1": {"Due date": "01/05/2027", "Closure date": datetime(2027, 1, 13)}},
              sheet_header="Action ID")
    first = harvest(load_project(project), [plan])
    assert first.errors == [] and first.conflicts == [], (first.errors, first.conflicts)
    taken = action(project, "CA-1")
    assert (taken.due, taken.closed) == (date(2027, 1, 5), date(2027, 1, 13))
    second = harvest(load_project(project), [plan])
    assert (second.changes, second.added, second.conflicts, second.errors) == ([], [], [], [])

    rebuilt = build(load_project(project), ["action-plan"], out_dir=out)   # harvested: no --force needed
    assert rebuilt.written and rebuilt.backups == []
    ws = load_workbook(plan)["Actions"]
    closed = plan_letter(plan, "Closure date")
    assert (ws[f"{due}2"].value.date(), ws[f"{due}2"].number_format) == (date(2027, 1, 5), "m/d/yyyy")
    assert (ws[f"{closed}2"].value.date(), ws[f"{closed}2"].number_format) == (date(2027, 1, 13), "m/d/yyyy")
    third = harvest(load_project(project), [plan])
    assert (third.changes, third.added, third.conflicts, third.errors) == ([], [], [], [])


def test_a_french_form_of_a_us_project_is_read_the_french_way(sample_copy):
    project = with_locale(sample_copy("en"), "en-US")
    out = project.parent / "out"
    build(load_project(project), ["action-plan"], lang="fr", out_dir=out)
    plan = out / "action-plan.xlsx"
    due = plan_letter(plan, "Échéance")
    assert load_workbook(plan)["Actions"][f"{due}2"].number_format == "dd/mm/yyyy"
    edit_plan(plan, plan, {"CA-1": {"Échéance": "01/05/2027"}})
    report = harvest(load_project(project), [plan])
    assert report.errors == [], report.errors
    assert action(project, "CA-1").due == date(2027, 5, 1)


@needs_soffice
def test_us_and_french_dates_typed_in_calc(sample_copy, monkeypatch):
    """A French action plan (fr-FR) and a US risk register (en-US), typed in LibreOffice Calc in one run."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY)
    fr_project = sample_copy("fr")
    us_project = with_locale(sample_copy("en"), "en-US")
    build(load_project(fr_project), ["action-plan"], out_dir=fr_project.parent / "out")
    build(load_project(us_project), ["risk-register"], out_dir=us_project.parent / "out")
    plan = fr_project.parent / "out" / "action-plan.xlsx"
    risks = us_project.parent / "out" / "risk-register.xlsx"
    assert load_workbook(risks)["Risks"][where(risks, "Risks", "Ref.", "R-1", "Due date")].number_format == "m/d/yyyy"
    due = plan_letter(plan, "Échéance")
    ca3 = next(c.row for c in load_workbook(plan)["Actions"]["B"] if c.value == "CA-3")
    libreoffice_fill({
        plan: [("S", "Actions", f"{due}{ca3}", "01/05/2027")],
        risks: [("S", "Risks", where(risks, "Risks", "Ref.", "R-2", "Due date"), "01/05/2027"),
                ("S", "Risks", where(risks, "Risks", "Ref.", "R-3", "Reviewed on"), "12/1/2026")],
    })
    for project, path in ((fr_project, plan), (us_project, risks)):
        first = harvest(load_project(project), [path])
        assert first.errors == [] and first.conflicts == [], (first.errors, first.conflicts)
    assert action(fr_project, "CA-3").due == date(2027, 5, 1)
    us = {r.id: r for r in load_project(us_project).project.risks}
    assert (us["R-2"].due, us["R-3"].reviewed) == (date(2027, 1, 5), date(2026, 12, 1))
    assert us["R-1"].due == date(2026, 9, 30)   # a date cell Calc saved stays the date it was

    for project, form, path in ((fr_project, "action-plan", plan), (us_project, "risk-register", risks)):
        again = harvest(load_project(project), [path])
        assert (again.changes, again.added, again.conflicts, again.errors) == ([], [], [], [])
        rebuilt = build(load_project(project), [form], out_dir=path.parent)
        assert rebuilt.written and rebuilt.backups == []
        after = harvest(load_project(project), [path])
        assert (after.changes, after.added, after.conflicts, after.errors) == ([], [], [], [])
    ws = load_workbook(risks)["Risks"]
    cell = ws[where(risks, "Risks", "Ref.", "R-2", "Due date")]
    assert (cell.value.date(), cell.number_format) == (date(2027, 1, 5), "m/d/yyyy")
