"""The documentation package's transmittal page (.docx), private to `kitgen package`: organisation, scope, contents,
readiness summary. Not a form: nobody fills it and harvest never reads it."""
from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from ..forms.common import LANGUAGE_TAGS, long_date
from ..forms.typeset import typeset
from ..ooxml.docx_text import drop_word2010_styles, mark_language

BODY_POINTS = 10     # the cover page's text: a compact contents table
FOOTER_POINTS = 8    # the footer on every page, as the forms' printed frame
TEXT = {
    "fr": {"title": "Dossier documentaire pour l'audit de certification", "org": "Organisme", "scope": "Périmètre",
           "standard": "Référentiel", "date": "Date du dossier", "contents": "Contenu du dossier",
           "section": "Dossier", "files": "Fichiers", "readiness": "État de préparation",
           "ready": "Prêt pour la certification", "not_ready": "Pas encore prêt pour la certification",
           "integrity": "Chaque fichier est listé avec son empreinte SHA-256 dans index.xlsx et SHA256SUMS "
                        "(vérification : sha256sum -c SHA256SUMS).", "as_of": "état au", "page": "page", "of": "sur"},
    "en": {"title": "Documentation package for the certification audit", "org": "Organisation", "scope": "Scope",
           "standard": "Standard", "date": "Package date", "contents": "Contents", "section": "Folder",
           "files": "Files", "readiness": "Readiness", "ready": "Ready for certification",
           "not_ready": "Not yet ready for certification",
           "integrity": "Every file is listed with its SHA-256 digest in index.xlsx and SHA256SUMS "
                        "(check: sha256sum -c SHA256SUMS).", "as_of": "as of", "page": "page", "of": "of"},
}


def render(lang: str, org: str, scope: str, standard: str, moment: datetime, contents: list[tuple[str, int]],
           ready: bool, checks: list[Any]) -> bytes:
    """The cover page as .docx bytes (before package normalisation)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    t = {k: typeset(v, lang) for k, v in TEXT[lang].items()}
    org, scope, standard = (typeset(x, lang) for x in (org, scope, standard))
    doc = Document()
    drop_word2010_styles(doc)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(BODY_POINTS)
    doc.core_properties.author = doc.core_properties.last_modified_by = org
    doc.core_properties.title, doc.core_properties.comments = t["title"], ""
    doc.core_properties.language = LANGUAGE_TAGS[lang]
    mark_language(doc.styles.element, LANGUAGE_TAGS[lang], default=True)
    mark_language(doc.settings.element, LANGUAGE_TAGS[lang])  # the theme fonts'
    doc.styles["Footer"].font.size = Pt(FOOTER_POINTS)  # the page numbers' too (fields' runs carry no size)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER  # as the forms' printed frame
    footer.add_run(f"{t['title']} — {org} — version {moment.date().isoformat()} — {t['as_of']} "
                   f"{long_date(moment.date(), lang)} — {t['page']} ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.add_run(f" {t['of']} ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    doc.add_heading(t["title"], 0)
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    for label, value in ((t["org"], org), (t["scope"], scope), (t["standard"], standard),
                         (t["date"], long_date(moment.date(), lang))):
        row = table.add_row().cells
        row[0].text, row[1].text = label, value
        row[0].paragraphs[0].runs[0].bold = True
    doc.add_heading(t["contents"], 1)
    table = doc.add_table(rows=1, cols=2)
    table.style = doc.styles["Table Grid"]
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = t["section"], t["files"]
    for section, count in contents:
        row = table.add_row().cells
        row[0].text, row[1].text = section, str(count)
    doc.add_paragraph(t["integrity"]).runs[0].italic = True
    doc.add_heading(t["readiness"], 1)
    doc.add_paragraph(t["ready"] if ready else t["not_ready"]).runs[0].bold = True
    for c in checks:
        doc.add_paragraph(typeset(f"[{c.status}] {c.message}", lang), style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
