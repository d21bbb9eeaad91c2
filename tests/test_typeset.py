"""The typesetting layer: French no-break spaces before « : ; ? ! », inside « », in numbers and dates, no-break
hyphens in ids; applied to every value a template receives and to the templates' own words; Word's own no-break
hyphens; read back as the plain text it was generated from."""
from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from kitgen.forms.common import date_range, long_date
from kitgen.forms.locale import localize
from kitgen.forms.typeset import NBHY, NBSP, NNBSP, apply, edits, typeset
from kitgen.jobs.build import build
from kitgen.jobs.harvest import harvest
from kitgen.ooxml.docx_read import paragraph_text
from kitgen.ooxml.docx_text import no_break_hyphens, set_core, set_language
from kitgen.project import load_project
from kitgen.project.places import norm

from .helpers import docx_text, edit, libreoffice_resave_all, needs_soffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize("text,expected", [
    # a normal no-break space before the colon, a narrow one before ; ? !
    ("Constat : aucun test", f"Constat{NBSP}: aucun test"),
    ("Constat: aucun test", f"Constat{NBSP}: aucun test"),
    ("services ; Politique", f"services{NNBSP}; Politique"),
    ("services; Politique", f"services{NNBSP}; Politique"),
    ("Est-elle logique et facile à suivre ?", f"Est-elle logique et facile à suivre{NNBSP}?"),
    ("Est-elle logique ?!", f"Est-elle logique{NNBSP}?!"),
    ("Attention !", f"Attention{NNBSP}!"),
    ("(Veuillez préciser) ?", f"(Veuillez préciser){NNBSP}?"),
    ("Remarques :", f"Remarques{NBSP}:"),
    # guillemets hold their words with no-break spaces, whether the typist left a space or not
    ("section « Objectifs » vide", f"section «{NBSP}Objectifs{NBSP}» vide"),
    ("section «Objectifs» vide", f"section «{NBSP}Objectifs{NBSP}» vide"),
    # numbers: thousands, percent, euro; a day and its month stay together
    ("SAS au capital de 50 000 €", f"SAS au capital de 50{NNBSP}000{NNBSP}€"),
    ("respectés à 98 %.", f"respectés à 98{NNBSP}%."),
    ("le 7 octobre 2026", f"le 7{NBSP}octobre 2026"),
    ("du 1er mai 2026", f"du 1er{NBSP}mai 2026"),
    # already right: unchanged (the layer is idempotent)
    (f"Constat{NBSP}: fin{NNBSP}; «{NBSP}a{NBSP}»", f"Constat{NBSP}: fin{NNBSP}; «{NBSP}a{NBSP}»"),
    # a wrong no-break space is made right
    (f"fin{NBSP}; suite", f"fin{NNBSP}; suite"),
])
def test_french_punctuation(text, expected):
    assert typeset(text, "fr") == expected
    assert typeset(expected, "fr") == expected  # once is enough


@pytest.mark.parametrize("text", [
    "https://boreale.example", "ISO/CEI 20000-1:2005", "réunion à 9:00", "a;b", "mailto:x@y.fr",
    "C:\\dossier", "8.3.4.1", "ratio 3:2", "", "   ", ":", "?", "Texte  : deux espaces voulus",
])
def test_french_rules_leave_what_is_not_prose_alone(text):
    assert typeset(text, "fr").replace(NBHY, "-") == text


def test_english_text_keeps_its_punctuation_but_ids_hold_together():
    text = "Nonconformities recorded: IA-2026-F1; check causes? Yes! 98 % — see 2026-10-31"
    assert typeset(text, "en") == text.replace("IA-2026-F1", f"IA{NBHY}2026{NBHY}F1").replace(
        "2026-10-31", f"2026{NBHY}10{NBHY}31")


@pytest.mark.parametrize("text,ids", [
    ("AUD-2026-01-F1 et CA-3", ["AUD-2026-01-F1", "CA-3"]),
    ("CHG-0412 et CHG-0437 (août 2026)", ["CHG-0412", "CHG-0437"]),
    ("échéance 2026-10-31", ["2026-10-31"]),
    ("4 avenue Alsace-Lorraine, 38000 Grenoble", []),   # a compound word may break at its hyphen
    ("Est-elle logique", []),
])
def test_ids_get_no_break_hyphens(text, ids):
    out = typeset(text, "en")
    assert [w for w in out.split() if NBHY in w] == [i.replace("-", NBHY) for i in ids]
    assert out.replace(NBHY, "-") == text


def test_no_ids_where_people_filter_and_search():
    assert typeset("AUD-2026-01 — Audit interne", "fr", ids=False) == "AUD-2026-01 — Audit interne"


def test_edits_are_positions_that_apply_to_the_text():
    text = "Preuves: tickets; « voir »"
    changes = edits(text, "fr")
    assert apply(text, changes) == typeset(text, "fr")
    assert all(a[1] <= b[0] for a, b in zip(changes, changes[1:]))  # in order, never overlapping


def test_first_of_the_month_is_1er_in_french():
    assert long_date(date(2026, 5, 1), "fr") == "1er mai 2026"
    assert long_date(date(2026, 5, 11), "fr") == "11 mai 2026"
    assert long_date(date(2026, 5, 1), "en") == "1 May 2026"
    assert date_range(date(2026, 10, 1), date(2026, 10, 2), "fr") == "1er–2 octobre 2026"
    assert date_range(date(2026, 9, 1), date(2026, 10, 2), "fr") == "1er septembre – 2 octobre 2026"


def test_ids_become_words_no_break_hyphens_within_their_run():
    xml = (f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>la CA{NBHY}3 et '
           f'AUD{NBHY}2026{NBHY}01</w:t></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p></w:body>'
           '</w:document>').encode()
    root = etree.fromstring(no_break_hyphens(xml))
    run = root.find(f".//{{{W}}}r")
    assert [etree.QName(el).localname for el in run] == ["rPr", "t", "noBreakHyphen", "t", "noBreakHyphen", "t",
                                                        "noBreakHyphen", "t"]  # the run and its formatting kept
    assert paragraph_text(root.find(f".//{{{W}}}p")) == "la CA-3 et AUD-2026-01"  # read back plain
    assert no_break_hyphens(b"<w:t>CA-3</w:t>") == b"<w:t>CA-3</w:t>"


def test_context_values_are_typeset_for_the_documents_language():
    context = localize({"a": "Preuves: CA-3; voir «x»", "n": 11.5, "items": ["Constat: un", "deux"]}, "fr")
    assert context["a"] == f"Preuves{NBSP}: CA{NBHY}3{NNBSP}; voir «{NBSP}x{NBSP}»"
    assert str(context["n"]) == "11,5" and str(context["items"]) == f"Constat{NBSP}: un et deux"
    assert localize({"a": "Evidence: CA-3; see"}, "en")["a"] == f"Evidence: CA{NBHY}3; see"


def test_what_is_read_back_compares_equal_to_what_was_generated():
    """A finding written 'Preuves: tickets;fin' comes back from a typeset document as 'Preuves : tickets ;fin':
    the same value for the merge, so that harvesting an untouched form changes nothing."""
    for original in ("Preuves: tickets; voir «annexe»", "98% des tickets", "SAS au capital de 50 000 €"):
        shown = typeset(original, "fr")
        read = shown.replace(NBSP, " ").replace(NNBSP, " ").replace(NBHY, "-")
        assert norm(read) == norm(original), original
    assert norm("fin ; suite") != norm("fin ; autre suite")  # a real edit still shows


def test_language_and_core_properties_are_set():
    styles = (f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-US" '
              'w:eastAsia="en-US"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>').encode()
    root = etree.fromstring(set_language(styles, "fr-FR", default=True))
    assert [el.get(f"{{{W}}}val") for el in root.iter(f"{{{W}}}lang")] == ["fr-FR"]
    bare = f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault></w:docDefaults></w:styles>'
    root = etree.fromstring(set_language(bare.encode(), "en-GB", default=True))
    assert [el.get(f"{{{W}}}val") for el in root.iter(f"{{{W}}}lang")] == ["en-GB"]
    core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>python-docx</dc:creator></cp:coreProperties>')
    root = etree.fromstring(set_core(core.encode(), {"creator": "Infogérance Boréale SAS", "lastModifiedBy": "X"}))
    assert [el.text for el in root] == ["Infogérance Boréale SAS", "X"]


@needs_soffice
def test_typeset_forms_harvested_untouched_change_nothing_even_through_libreoffice(sample_copy, tmp_path):
    """French text the project wrote without no-break spaces (and ids, dates, percents) comes back from the typeset
    report and action plan — as generated, then re-saved by LibreOffice — equal: harvesting changes nothing, and a
    second harvest neither."""
    path = sample_copy("fr")
    edit(path, 'statement: "Le plan de continuité n\'a jamais été testé."',
         'statement: "Constat: jamais testé; voir «annexe» et CHG-0412 (98% des cas, le 1 mai 2026) ?"')
    build(load_project(path), ["audit-report", "action-plan"], audit="AUD-2026-01", out_dir=tmp_path / "o")
    report, plan = tmp_path / "o" / "audit-report-AUD-2026-01.docx", tmp_path / "o" / "action-plan.xlsx"
    raw = docx_text(report, raw=True)  # python-docx reads Word's no-break hyphens as hyphens
    assert f"Constat{NBSP}: jamais testé{NNBSP}; voir «{NBSP}annexe{NBSP}» et CHG-0412 (98{NNBSP}%" in raw
    resaved = libreoffice_resave_all([report, plan], tmp_path / "lo")
    for files in ([report, plan], resaved):
        result = harvest(load_project(path), files)
        assert result.changes == result.conflicts == result.added == result.errors == [], (files, result.changes)
    before = path.read_text(encoding="utf-8")
    assert 'statement: "Constat: jamais testé; voir «annexe» et CHG-0412' in before  # the typist's text, as typed
