"""A Word body flattened in one XSLT pass (libxslt, in C): its paragraphs and table rows in reading order, each cell's
text and checkbox states. For reading thousands of returned forms at the speed of the parser.

Paragraphs and tables are found through block content controls; a table nested in a cell is that cell's text. A
checkbox (content control or legacy field) becomes its state, its glyph is left out of the text; a cell's paragraphs
and line breaks (Shift+Enter) are newlines in its text; deleted text, field codes and tab stops are not text.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..errors import N_
from ..infra.text import remembered_when_short
from .docx_read import MAX_TABLE_ROWS, W14, Cell, W, body
from .package import Package

# Private-use characters mark blocks, cells and boxes in the flat text; in the rare document that holds them (a symbol
# font's glyph pasted in), they are shown as U+FFFD first (see `flatten`).
BLOCK, CELL, BOX = "\ue000", "\ue001", "\ue002"
_MARKER_PREFIX = BLOCK.encode()[:2]  # the UTF-8 of U+E000 to U+E03F starts with these two bytes
_UNMARK = str.maketrans({BLOCK: "\ufffd", CELL: "\ufffd", BOX: "\ufffd"})

_TRUE = "contains('|1|true|on|', concat('|', translate({}, 'TRUEON', 'trueon'), '|'))"
_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:w="{W}" xmlns:w14="{W14}">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/"><xsl:apply-templates select="w:document/w:body/*"/></xsl:template>
  <xsl:template match="w:sdt"><xsl:apply-templates select="w:sdtContent/*"/></xsl:template>
  <xsl:template match="w:p">{BLOCK}P<xsl:apply-templates select="." mode="cell"/></xsl:template>
  <xsl:template match="w:tbl"><xsl:apply-templates select="w:tr | w:sdt/w:sdtContent/w:tr" mode="row"/></xsl:template>
  <xsl:template match="w:tr" mode="row">{BLOCK}R<xsl:apply-templates
      select="w:tc | w:sdt/w:sdtContent/w:tc" mode="tc"/></xsl:template>
  <xsl:template match="w:tc" mode="tc">{CELL}<xsl:apply-templates select="*" mode="cell"/></xsl:template>
  <xsl:template match="*" mode="cell"><xsl:apply-templates select="*" mode="cell"/></xsl:template>
  <xsl:template match="w:p" mode="cell"><xsl:apply-templates select="*" mode="cell"/><xsl:text>&#10;</xsl:text>
  </xsl:template>
  <xsl:template match="w:t" mode="cell"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="w:r/w:tab" mode="cell"><xsl:text>&#9;</xsl:text></xsl:template>
  <xsl:template match="w:r/w:br | w:r/w:cr" mode="cell"><xsl:text>&#10;</xsl:text></xsl:template>
  <xsl:template match="w:pPr | w:rPr | w:tcPr | w:trPr | w:tblPr | w:sdtPr | w:delText | w:instrText" mode="cell"/>
  <xsl:template match="w:sdt[w:sdtPr/w14:checkbox]" mode="cell">{BOX}<xsl:choose>
      <xsl:when test="{_TRUE.format('w:sdtPr/w14:checkbox/w14:checked/@w14:val')}">1</xsl:when>
      <xsl:otherwise>0</xsl:otherwise></xsl:choose></xsl:template>
  <xsl:template match="w:checkBox" mode="cell">{BOX}<xsl:choose>
      <xsl:when test="w:checked and (not(w:checked/@w:val) or {_TRUE.format('w:checked/@w:val')})">1</xsl:when>
      <xsl:when test="not(w:checked) and {_TRUE.format('w:default/@w:val')}">1</xsl:when>
      <xsl:otherwise>0</xsl:otherwise></xsl:choose></xsl:template>
</xsl:stylesheet>"""
_TRANSFORM = etree.XSLT(etree.XML(_XSLT.encode()), access_control=etree.XSLTAccessControl.DENY_ALL)


@dataclass(slots=True)
class Block:
    """A paragraph (one cell) or a table row (its own cells, a merged cell once)."""

    row: bool
    cells: tuple[Cell, ...]


def flatten(package: Package) -> list[Block]:
    """The body's non-empty paragraphs and its rows in reading order; refused (naming the file) when a table is unreasonably long."""
    root = body(package)
    if _MARKER_PREFIX in package.part("word/document.xml"):
        for t in root.iter(f"{{{W}}}t"):
            t.text = (t.text or "").translate(_UNMARK)
    try:
        flat = str(_TRANSFORM(root.getroottree()))
    except etree.XSLTApplyError:
        raise package.refuse(N_("a document nested too deeply to read")) from None
    blocks = []
    for chunk in flat.split(BLOCK)[1:]:
        if chunk[0] == "R":
            blocks.append(Block(True, _row(chunk[1:])))
        elif chunk[1:].strip():  # an empty paragraph is nothing to read
            blocks.append(Block(False, (_cell(chunk[1:]),)))
    if sum(block.row for block in blocks) > MAX_TABLE_ROWS:
        raise package.refuse(N_("more than {limit} table rows; is this a kitgen form?"), limit=MAX_TABLE_ROWS)
    return blocks


@remembered_when_short  # the same rows (a question, its options) recur in every form
def _row(flat: str) -> tuple[Cell, ...]:
    return tuple(_cell(part) for part in flat.split(CELL)[1:])


@remembered_when_short  # the same labels and options recur in every form (cells are immutable)
def _cell(flat: str) -> Cell:
    if BOX not in flat:
        text = flat.strip(" \t\n\r\u00a0")
        return Cell(text)
    pieces = flat.split(BOX)
    boxes = tuple(piece[:1] == "1" for piece in pieces[1:])
    # a box separates words: "☐X Satisfait" typed against the box reads "X Satisfait"
    text = " ".join([pieces[0]] + [piece[1:] for piece in pieces[1:]]).strip(" \t\n\r\u00a0")
    return Cell(text, boxes)
