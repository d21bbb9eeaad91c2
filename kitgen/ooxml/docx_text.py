"""Finishing a rendered Word package: Word's own no-break hyphens in its text, its proofing language, and its core
properties (author, title, language) — all given as plain data."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .safety import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
           "dc": "http://purl.org/dc/elements/1.1/"}
LANG, VAL = f"{{{W}}}lang", f"{{{W}}}val"
STYLES = ("word/styles.xml", "word/stylesWithEffects.xml")  # the second: the copy Word 2010 keeps with text effects
TEXT_PARTS = ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml", "word/endnotes.xml")
NO_BREAK_HYPHEN = "\u2011".encode()
# the text of a w:t holding a no-break hyphen: Word and LibreOffice want their own element for it (w:noBreakHyphen,
# drawn with the font's hyphen: a font may lack the U+2011 glyph)
_TEXT_WITH_HYPHEN = re.compile(rb"(<w:t(?:\s[^>]*)?>)([^<]*?" + re.escape(NO_BREAK_HYPHEN) + rb"[^<]*)(</w:t>)")
_HYPHEN_ELEMENT = b'</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'


@dataclass(frozen=True)
class Finish:
    """What to set on a rendered document: `language` the proofing language ('fr-FR'), `core` the core properties
    by name (creator, lastModifiedBy, title, language, description…)."""

    language: str = ""
    core: dict[str, str] = field(default_factory=dict)


def no_break_hyphens(xml: bytes) -> bytes:
    """A Word part whose no-break hyphens (U+2011) in text are Word's w:noBreakHyphen elements, within their run."""
    if NO_BREAK_HYPHEN not in xml:
        return xml
    return _TEXT_WITH_HYPHEN.sub(
        lambda m: m.group(1) + m.group(2).replace(NO_BREAK_HYPHEN, _HYPHEN_ELEMENT) + m.group(3), xml)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def takes_language(name: str) -> bool:
    """Whether the Word part `name` holds language marks (its text's, its styles' defaults, its theme fonts')."""
    return name.endswith(".xml") and (name.startswith(TEXT_PARTS) or name in (*STYLES, "word/settings.xml"))


def mark_language(root: etree._Element, language: str, default: bool = False) -> None:
    """Every language mark (w:lang) of a parsed Word part set to `language`, in place; with `default` (the styles),
    the document defaults get one when they have none."""
    for el in root.iter(LANG):
        el.set(VAL, language)
    if default:
        rpr = root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
        if rpr is not None and rpr.find(LANG) is None:
            etree.SubElement(rpr, LANG).set(VAL, language)
    for el in root.iter(f"{{{W}}}themeFontLang"):
        el.set(VAL, language)


def set_language(xml: bytes, language: str, default: bool = False) -> bytes:
    """A Word part's text whose language marks all say `language` (see mark_language)."""
    if not default and b"lang" not in xml and b"Lang" not in xml:  # w:lang, w:themeFontLang
        return xml
    root = parse_xml(xml)
    mark_language(root, language, default)
    return _serialise(root)


def set_core(xml: bytes, values: dict[str, str]) -> bytes:
    """docProps/core.xml with the properties named in `values` ('creator', 'title', 'language', …) set (an empty
    value clears one)."""
    root = parse_xml(xml)
    for name, value in values.items():
        prefix = "cp" if name in ("lastModifiedBy", "keywords", "category", "revision") else "dc"
        tag = f"{{{CORE_NS[prefix]}}}{name}"
        el = root.find(tag)
        if el is None:
            el = etree.SubElement(root, tag)
        el.text = value
    return _serialise(root)


def finish_parts(parts: dict[str, bytes], finish: Finish) -> None:
    """Apply `finish` to the parts of a Word package, in place, but for its language: the renderer marks that on the
    parts it holds parsed (docx_render), before they are written out."""
    for name in list(parts):
        if name.endswith(".xml") and name.startswith(TEXT_PARTS):
            parts[name] = no_break_hyphens(parts[name])
    if finish.core and "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = set_core(parts["docProps/core.xml"], finish.core)


def drop_word2010_styles(document: Any) -> None:
    """A python-docx document made without Word 2010's copy of its styles (stylesWithEffects.xml): python-docx's
    blank document has one (430 KB, its language marks English) that no later Word nor LibreOffice reads, and that
    each document made from it would parse and zip again."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
