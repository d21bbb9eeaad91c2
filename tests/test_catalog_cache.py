"""The French catalogs' cache (kitgen/cli/i18n.py): each .po compiled once and kept beside it, compiled again as soon
as the .po changes (a translator's edit shows on the next run), a damaged or foreign cache file never read as a
catalog, nothing written where Python may not write bytecode; and the catalogs read through it are Babel's."""
from __future__ import annotations

import gettext
import io
import shutil
import sys

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kitgen.cli import i18n


def _first_message(po) -> tuple[str, str]:
    """A translated message of the .po at `po` written on one line: (English msgid, French text)."""
    text = po.read_text(encoding="utf-8")
    with po.open("rb") as f:
        message = next(m for m in read_po(f, locale="fr") if m.id and isinstance(m.id, str) and m.string
                       and f'msgstr "{m.string}"\n' in text)
    return message.id, message.string


def _catalog(mo: bytes) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(mo))


@pytest.fixture
def po(tmp_path, monkeypatch):
    """A copy of the CLI's French .po in a folder of its own, where this test's cache goes."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "cli.po"
    shutil.copy(i18n.LOCALE_DIR / "fr" / "cli.po", path)
    return path


def test_a_catalog_is_compiled_once_and_again_when_its_po_changes(po, monkeypatch):
    msgid, french = _first_message(po)
    assert _catalog(i18n.compiled(po, "fr")).gettext(msgid) == french
    assert (po.parent / i18n.CACHE_DIR / "cli.po.mo").is_file()

    def no_babel(*args, **kwargs):
        raise AssertionError("the .po was parsed again though it had not changed")

    with monkeypatch.context() as patched:   # the second run reads the cache: Babel is not asked
        patched.setattr("babel.messages.pofile.read_po", no_babel)
        assert _catalog(i18n.compiled(po, "fr")).gettext(msgid) == french

    po.write_bytes(po.read_bytes().replace(f'msgstr "{french}"'.encode(), b'msgstr "Texte corrige"', 1))
    assert _catalog(i18n.compiled(po, "fr")).gettext(msgid) == "Texte corrige"   # the edit, not the cache


def test_a_damaged_cache_is_compiled_again_and_replaced(po):
    msgid, french = _first_message(po)
    cached = po.parent / i18n.CACHE_DIR / "cli.po.mo"
    cached.parent.mkdir()
    cached.write_bytes(b"kitgen-compiled-po-1 not a digest\n\x00garbage")
    assert _catalog(i18n.compiled(po, "fr")).gettext(msgid) == french
    assert cached.read_bytes().startswith(i18n.CACHE_MAGIC) and b"garbage" not in cached.read_bytes()
    assert not list(cached.parent.glob("*.tmp"))   # written whole, under its own name


def test_nothing_is_written_where_python_may_not_write_bytecode(po, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    msgid, french = _first_message(po)
    assert _catalog(i18n.compiled(po, "fr")).gettext(msgid) == french
    assert not (po.parent / i18n.CACHE_DIR).exists()


def test_the_french_catalog_is_babels_merge_of_every_po():
    """The messages Babel's Translations gave when each .po was compiled at every run: later files replace earlier
    ones' messages; the French plural rule (0 and 1 singular)."""
    from babel.support import Translations

    merged = None
    for path in sorted((i18n.LOCALE_DIR / "fr").glob("*.po")):
        with path.open("rb") as f:
            mo = io.BytesIO()
            write_mo(mo, read_po(f, locale="fr"))
        part = Translations(io.BytesIO(mo.getvalue()))
        merged = part if merged is None else merged.merge(part)
    ours = i18n.translations("fr")
    header = ""   # the catalogs' header (msgid ""), which carries the time Babel compiled it
    assert {k: v for k, v in ours._catalog.items() if k != header} == \
        {k: v for k, v in merged._catalog.items() if k != header}
    assert len(ours._catalog) > 500
    assert [ours.plural(n) for n in (0, 1, 2)] == [merged.plural(n) for n in (0, 1, 2)]
