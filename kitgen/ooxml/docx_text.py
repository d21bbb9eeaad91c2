"""Finishing a rendered Word package: its text edited paragraph by paragraph (edits that fall across Word's runs),
its proofing language, and its core properties (author, title, language) — all given as plain data."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lxml import etree

from .safety import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
           "dc": "http://purl.org/dc/elements/1.1/"}
T, P, BR, TAB, CR, TXBX = (f"{{{W}}}{n}" for n in ("t", "p", "br", "tab", "cr", "txbxContent"))
LANG, VAL = f"{{{W}}}lang", f"{{{W}}}val"
NO_BREAK_HYPHEN, NO_BREAK_HYPHEN_CHAR = f"{{{W}}}noBreakHyphen", "\u2011"
TEXT_PARTS = ("word/document.xml", "word/header", "word/footer", "word/footnotes.xml", "word/endnotes.xml")

Edit = tuple[int, int, str]
Editor = Callable[[str], Sequence[Edit]]


@dataclass(frozen=True)
class Finish:
    """What to set on a rendered document: `edits` gives the text edits of one paragraph's text (None: none),
    `language` the proofing language ('fr-FR'), `core` the core properties by name (creator, lastModifiedBy,
    title, language, description…)."""

    language: str = ""
    core: dict[str, str] = field(default_factory=dict)
    edits: Editor | None = None


def _own_texts(p: etree._Element) -> list[tuple[etree._Element | None, str]]:
    """The paragraph's text pieces in order: (w:t, its text), or (None, a line break or tab) — without the text of
    paragraphs nested in it (text boxes)."""
    nested = next(p.iter(TXBX), None) is not None  # rare: only text boxes hold paragraphs inside a paragraph
    return [(el, el.text or "") if el.tag == T else (None, "\n") for el in p.iter(T, BR, TAB, CR)
            if not nested or next(el.iterancestors(P)) is p]


def edit_paragraph(p: etree._Element, editor: Editor) -> bool:
    """Apply the edits `editor` gives for the paragraph's whole text to its w:t elements; True when it changed."""
    pieces = _own_texts(p)
    text = "".join(s for _, s in pieces)
    changes = editor(text) if text.strip() else ()
    if not changes:
        return False
    if len(pieces) == 1 and pieces[0][0] is not None:  # one run of text: the edits apply to it as they are
        el = pieces[0][0]
        out, last = [], 0
        for start, end, replacement in sorted(changes):
            out += [text[last:start], replacement]
            last = end
        el.text = "".join(out) + text[last:]
        el.set(XML_SPACE, "preserve")
        return True
    starts, pos = [], 0
    for _, s in pieces:
        starts.append(pos)
        pos += len(s)
    new = [s for _, s in pieces]
    for start, end, replacement in sorted(changes, reverse=True):
        # the piece holding the first character replaced, or for an insertion the piece the character before
        # it belongs to (so that the inserted space takes its formatting)
        anchor = start if end > start else max(start - 1, 0)
        i = next((k for k, (el, piece) in enumerate(pieces)
                  if el is not None and starts[k] <= anchor < starts[k] + len(piece)), None)
        if i is None or end > starts[i] + len(pieces[i][1]):
            continue  # an edit across a line break or a tab: left alone
        local = start - starts[i]
        new[i] = new[i][:local] + replacement + new[i][local + (end - start):]
    for (el, _), text_now in zip(pieces, new):
        if el is not None and el.text != text_now:
            el.text = text_now
            el.set(XML_SPACE, "preserve")
    return True


def no_break_hyphens(t: etree._Element) -> None:
    """A w:t holding no-break hyphens (U+2011) split around Word's own w:noBreakHyphen elements, which Word and
    LibreOffice render with the font's hyphen (a font may lack the U+2011 glyph)."""
    pieces = (t.text or "").split(NO_BREAK_HYPHEN_CHAR)
    t.text = pieces[0]
    t.set(XML_SPACE, "preserve")
    at = t
    for piece in pieces[1:]:
        hyphen = etree.Element(NO_BREAK_HYPHEN)
        at.addnext(hyphen)
        at = etree.Element(T)
        at.text = piece
        at.set(XML_SPACE, "preserve")
        hyphen.addnext(at)


def _edit_root(root: etree._Element, editor: Editor) -> bool:
    changed = False
    for p in root.iter(P):
        changed = edit_paragraph(p, editor) or changed
    if changed:
        for t in [t for t in root.iter(T) if NO_BREAK_HYPHEN_CHAR in (t.text or "")]:
            no_break_hyphens(t)
    return changed


def _set_language_root(root: etree._Element, language: str, default: bool) -> None:
    for el in root.iter(LANG):
        el.set(VAL, language)
    if default:
        rpr = root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
        if rpr is not None and rpr.find(LANG) is None:
            etree.SubElement(rpr, LANG).set(VAL, language)
    for el in root.iter(f"{{{W}}}themeFontLang"):
        el.set(VAL, language)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def edit_text(xml: bytes, editor: Editor) -> bytes:
    """A Word part with every paragraph's text edited by `editor`."""
    root = parse_xml(xml)
    return _serialise(root) if _edit_root(root, editor) else xml


def set_language(xml: bytes, language: str, default: bool = False) -> bytes:
    """A Word part whose language marks (w:lang) all say `language`; with `default` (styles.xml), the document
    defaults get one when they have none."""
    if not default and b"lang" not in xml:
        return xml
    root = parse_xml(xml)
    _set_language_root(root, language, default)
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
    """Apply `finish` to the parts of a Word package, in place (each part parsed and written once)."""
    for name in list(parts):
        if not name.endswith(".xml"):
            continue
        text = name.startswith(TEXT_PARTS) and finish.edits is not None
        language = finish.language and (name.startswith(TEXT_PARTS) or name in ("word/styles.xml",
                                                                                 "word/settings.xml"))
        default = name == "word/styles.xml"
        if not text and not (language and (default or b"lang" in parts[name])):
            continue
        root = parse_xml(parts[name])
        changed = _edit_root(root, finish.edits) if text and finish.edits is not None else False
        if language and (default or b"lang" in parts[name]):
            _set_language_root(root, finish.language, default)
            changed = True
        if changed:
            parts[name] = _serialise(root)
    if finish.core and "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = set_core(parts["docProps/core.xml"], finish.core)
