"""Fill generated evaluation forms every way people do, and a corpus of returned files whose true answers are known.

Ways of ticking: Word's checkbox toggle (w14:checked and the ☒ glyph), legacy FORMCHECKBOX fields, a mark typed beside
the box or after the label (spaced or glued to it), on a new line (Enter or Shift+Enter), a mark typed over the box, and
deleting every other option. Free text goes in the answer cell, after the label in the label cell, in a row added with
Tab, or in a paragraph below the table; in a text, "\n" is a new paragraph (Enter) and BR a line break (Shift+Enter).
"""
from __future__ import annotations

import copy
import random
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14}
SCALE_TABLES = {1: 0, 2: 1, 3: 2, 8: 7}
TEXT_TABLES = {"superfluous": (3, 1), "topic": (4, 1), "justification": (4, 2), "error": (5, 1), "location": (5, 2),
               "comments": (6, 1)}
OPTIONAL_TABLE = 8
LAST_FIELDS = ("superfluous", "justification", "location", "comments")  # text after them (rows, paragraphs) is theirs
MARKS = ["X", "x", "☒", "✓", "✔", "×", "(X)", "(x)", "[x]", "[X]", "X.", "✕", "✖", "■", "●", "✅", "<X>", "« X »",
         "XX", "-X-"]
UNSURE_MARKS = ["*", "Oui"]   # read as no tick for sure: reported for the question, never counted nor a comment
# how a mark is typed in an option's cell: beside the box, after the label (spaced, glued), over the box, before the
# label (glued), on a new paragraph (Enter), after a line break (Shift+Enter)
MARK_WAYS = ("typed", "after", "glued", "over", "before", "newline", "break")
BR = "\u2028"                 # in a text to type: a line break (Shift+Enter), as Word writes <w:br/>
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


@dataclass
class Respondent:
    """One returned form: what was ticked (question -> options, 1 = best), typed, and how."""

    file: str
    lang: str = "fr"
    ticks: dict[int, list[int]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    name: str = ""
    email: str = ""
    how: str = "word"        # word | legacy | <one of MARK_WAYS>:<mark> | only-left | only-left-ticked
    where: dict[str, str] = field(default_factory=dict)   # text key -> cell | label | row | below
    name_where: str = "cell"                              # cell | label
    strip_identity: bool = False
    modified: str = ""       # the document's last-modified time (core properties), e.g. 2026-11-02T10:00:00Z

    def answers(self) -> dict[int, int]:
        """The answers that count: one option per question (deleting all others counts the one left)."""
        return {n: ticks[0] for n, ticks in self.ticks.items() if len(ticks) == 1}

    def ambiguous(self) -> dict[int, int]:
        return {n: len(ticks) for n, ticks in self.ticks.items() if len(ticks) > 1}

    def read_texts(self) -> dict[str, str]:
        """The texts as kitgen reads them: paragraphs and line breaks alike on their own lines."""
        return {key: text.replace(BR, "\n") for key, text in self.texts.items()}


def run(text: str) -> etree._Element:
    """A run of text; each BR in it is a line break (<w:br/>), as Word writes Shift+Enter."""
    r = etree.Element(f"{{{W}}}r")
    for i, piece in enumerate(text.split(BR)):
        if i:
            etree.SubElement(r, f"{{{W}}}br")
        t = etree.SubElement(r, f"{{{W}}}t")
        t.text = piece
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def paragraph(text: str) -> etree._Element:
    p = etree.Element(f"{{{W}}}p")
    p.append(run(text))
    return p


def type_into(p: etree._Element, text: str) -> None:
    """Type `text` at the end of paragraph `p`: each "\n" starts a new paragraph after it (Enter), as Word does."""
    first, *more = text.split("\n")
    p.append(run(first))
    for line in more:
        new = paragraph(line)
        p.addnext(new)
        p = new


def _legacy_checkbox(checked: bool) -> list[etree._Element]:
    begin = etree.fromstring(
        f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{"<w:checked/>" if checked else ""}</w:checkBox>'
        '</w:ffData></w:fldChar></w:r>')
    instr = etree.fromstring(f'<w:r xmlns:w="{W}"><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>')
    end = etree.fromstring(f'<w:r xmlns:w="{W}"><w:fldChar w:fldCharType="end"/></w:r>')
    return [begin, instr, end]


def _tick_word(sdt: etree._Element) -> None:
    sdt.find(".//w14:checked", NS).set(f"{{{W14}}}val", "1")
    sdt.find(".//w:sdtContent//w:t", NS).text = "☒"


def _tick(row: etree._Element, ticks: list[int], how: str) -> None:
    """Tick the options `ticks` (1 = first) of a scale table's option row, the way `how` says."""
    cells = row.findall("w:tc", NS)
    if how.startswith("only-left"):
        [keep] = ticks
        for option, tc in enumerate(cells, start=1):
            if option != keep:
                row.remove(tc)
        if how == "only-left-ticked":
            _tick_word(cells[keep - 1].find(".//w:sdt", NS))
        return
    for option, tc in enumerate(cells, start=1):
        sdt = tc.find(".//w:sdt", NS)
        on = option in ticks
        p = sdt.getparent()
        if how == "word" and on:
            _tick_word(sdt)
        elif how == "legacy":
            index = list(p).index(sdt)
            p.remove(sdt)
            for k, field_run in enumerate(_legacy_checkbox(on)):
                p.insert(index + k, field_run)
        elif how.startswith("typed:") and on:       # ☐ X Satisfait
            p.insert(list(p).index(sdt) + 1, run(" " + how.split(":", 1)[1]))
        elif how.startswith("after:") and on:       # ☐ Satisfait X
            p.append(run(" " + how.split(":", 1)[1]))
        elif how.startswith("over:") and on:        # the box selected and a mark typed over it: X Satisfait
            index = list(p).index(sdt)
            p.remove(sdt)
            p.insert(index, run(how.split(":", 1)[1]))
        elif how.startswith("glued:") and on:       # ☐ SatisfaitX
            p.append(run(how.split(":", 1)[1]))
        elif how.startswith("before:") and on:      # ☐ XSatisfait
            label = p.findall("w:r/w:t", NS)[-1]
            label.text = how.split(":", 1)[1] + label.text.lstrip()
        elif how.startswith("newline:") and on:     # Enter after the label, the mark alone on a new paragraph
            p.addnext(paragraph(how.split(":", 1)[1]))
        elif how.startswith("break:") and on:       # Shift+Enter after the label, then the mark
            p.append(run(BR + how.split(":", 1)[1]))


def _type_text(tables: list[etree._Element], key: str, text: str, where: str) -> None:
    t_index, row_index = TEXT_TABLES[key]
    table = tables[t_index]
    rows = table.findall("w:tr", NS)
    if where == "cell":
        type_into(rows[row_index].findall("w:tc", NS)[1].find("w:p", NS), text)
    elif where == "label":                          # "Remarques : texte" typed in the label cell
        type_into(rows[row_index].findall("w:tc", NS)[0].find("w:p", NS), " " + text)
    elif where == "row":                            # Tab in the last cell adds a row; text typed in its first cell
        new = copy.deepcopy(rows[-1])
        for t in new.iter(f"{{{W}}}t"):
            t.text = ""
        type_into(new.findall("w:tc", NS)[0].find("w:p", NS), text)
        rows[-1].addnext(new)
    elif where == "below":                          # paragraphs typed under the table
        below = paragraph("")
        table.addnext(below)
        type_into(below, text)
    else:
        raise ValueError(where)


def fill(src: Path, dst: Path, scales: dict[int, list[int]], texts: dict[str, str] | None = None,
         how: str | dict[int, str] = "word", name: str = "", email: str = "", where: dict[str, str] | None = None,
         name_where: str = "cell", strip_identity: bool = False, modified: str = "") -> Path:
    """Copy `src` to `dst`, ticking per scale question the options listed (1 = first) and typing texts, as `how` (one
    way for all, or per question) and `where` say; `strip_identity` removes the custom properties as Word's Document
    Inspector does."""
    shutil.copyfile(src, dst)
    with zipfile.ZipFile(dst) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    tables = root.findall(".//w:body/w:tbl", NS)
    for question, ticks in scales.items():
        _tick(tables[SCALE_TABLES[question]].findall("w:tr", NS)[1], ticks,
              how if isinstance(how, str) else how.get(question, "word"))
    for key, text in (texts or {}).items():
        _type_text(tables, key, text, (where or {}).get(key, "cell"))
    for row, value in zip(tables[OPTIONAL_TABLE].findall("w:tr", NS), (name, email)):
        if value:
            cell = row.findall("w:tc", NS)[0 if name_where == "label" else 1]
            cell.find("w:p", NS).append(run(" " + value if name_where == "label" else value))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if strip_identity:
        _strip_identity(parts)
    if modified:
        core = parts["docProps/core.xml"].decode()
        start, end = core.index("<dcterms:modified"), core.index("</dcterms:modified>")
        parts["docProps/core.xml"] = (core[:start] + '<dcterms:modified xsi:type="dcterms:W3CDTF">' + modified
                                      + core[end:]).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return dst


def edit_body(path: Path, edit: Callable[[list[etree._Element]], None]) -> Path:
    """Change a form's body in place as a person would: `edit` gets its top-level tables, in order."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    edit(root.findall(".//w:body/w:tbl", NS))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return path


def option_cell(tables: list[etree._Element], question: int, option: int) -> etree._Element:
    """The cell of option `option` (1 = first) of scale question `question`."""
    return tables[SCALE_TABLES[question]].findall("w:tr", NS)[1].findall("w:tc", NS)[option - 1]


def build_blanks(folder: Path, samples: dict[str, Path]) -> dict[str, Path]:
    """The blank evaluation form of each language's sample project (lang -> file), built into `folder`."""
    from kitgen.jobs.build import build
    from kitgen.project import load_project

    for lang, sample in samples.items():
        build(load_project(sample), ["evaluation-form"], out_dir=folder / lang)
    return {lang: folder / lang / "evaluation-form.docx" for lang in samples}


def _strip_identity(parts: dict[str, bytes]) -> None:
    """What Word's Document Inspector does to custom properties: the part, its relationship and its content type go."""
    del parts["docProps/custom.xml"]
    rels = etree.fromstring(parts["_rels/.rels"])
    for rel in list(rels):
        if rel.get("Type") == CUSTOM_REL:
            rels.remove(rel)
    parts["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    for override in list(types):
        if override.get("PartName") == "/docProps/custom.xml":
            types.remove(override)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)


def write(blanks: dict[str, Path], folder: Path, r: Respondent) -> Path:
    """The respondent's form, filled from the blank of their language."""
    return fill(blanks[r.lang], folder / r.file, r.ticks, r.texts, how=r.how, name=r.name, email=r.email,
                where=r.where, name_where=r.name_where, strip_identity=r.strip_identity, modified=r.modified)


# Most people tick the two most positive options: identical anonymous answers are common and all count.
_WEIGHTS = [45, 35, 10, 6, 4]
_HOWS = ["word"] * 6 + ["legacy", "only-left", "only-left-ticked"] + ["mark"] * 6   # a mark: any of MARKS, any way
_TEXTS = {
    "fr": {"superfluous": "L'annexe D fait double emploi", "topic": "Exemples de revue de direction",
           "justification": "Les TPO n'ont pas de modèle", "error": "Coquille dans la figure 3",
           "location": "section 4.1.3", "comments": "Trousse très utile, merci."},
    "en": {"superfluous": "Annex D repeats section 4", "topic": "Management review examples",
           "justification": "VSEs have no model", "error": "Typo in figure 3", "location": "section 4.1.3",
           "comments": "A very useful kit, thanks."},
}
# a second paragraph (Enter) or line (Shift+Enter) some people type
_MORE = {"fr": {"error": "Le tableau 4 n'a pas de titre", "location": "tableau 4", "other": "- point 2 : à détailler"},
         "en": {"error": "Table 4 has no title", "location": "table 4", "other": "- point 2: to detail"}}


def corpus(count: int, seed: int = 13) -> list[Respondent]:
    """`count` respondents with realistic answers, every way of ticking and typing, some anonymous, some named."""
    rng = random.Random(seed)
    people = []
    for i in range(count):
        lang = "fr" if rng.random() < 0.7 else "en"
        ticks = {n: rng.choices(range(1, 6), _WEIGHTS) for n in (1, 2, 3, 8)}
        how = rng.choice(_HOWS)
        if how == "mark":
            how = f"{rng.choice(MARK_WAYS)}:{rng.choice(MARKS)}"
        if not how.startswith("only-left") and rng.random() < 0.03:
            ticks[rng.choice([1, 2, 3, 8])] = [1, 2]        # two options ticked
        if rng.random() < 0.05:
            del ticks[rng.choice(list(ticks))]              # a question left unanswered
        texts, where = {}, {}
        for key, text in _TEXTS[lang].items():
            if rng.random() < 0.15:
                texts[key] = f"{text} ({i})"
                where[key] = rng.choice(["cell", "cell", "label"] + (["row", "below"] if key in LAST_FIELDS else []))
                if key != "location" and rng.random() < 0.3:
                    texts[key] += rng.choice(["\n", BR]) + _MORE[lang].get(key, _MORE[lang]["other"])
        if "\n" in texts.get("error", "").replace(BR, "\n") and "location" in texts:   # one location per error
            texts["location"] += "\n" + _MORE[lang]["location"]
        named = rng.random() < 0.3
        people.append(Respondent(
            file=f"form-{i:04d}.docx", lang=lang, ticks=ticks, texts=texts, how=how, where=where,
            name=f"Personne {i}" if named else "", email=f"p{i}@tpo.example" if named and rng.random() < 0.8 else "",
            name_where=rng.choice(["cell", "label"]), strip_identity=rng.random() < 0.05))
    return people
