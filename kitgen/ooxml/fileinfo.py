"""What a file says about itself, read cheaply and safely: an Office document's core properties (title, dates,
version) and a PDF's information dictionary, each from a capped read of the one part that holds them."""
from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from ..errors import N_, UnsafeFileError
from .package import PROLOG_BYTES, ZIP_ERRORS, parse_moment
from .safety import parse_xml

OFFICE = {".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm"}
CORE_PART = "docProps/core.xml"
_DC, _DCTERMS, _CP = ("http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/",
                      "http://schemas.openxmlformats.org/package/2006/metadata/core-properties")
CORE_TAGS = (f"{{{_DC}}}title", f"{{{_DCTERMS}}}created", f"{{{_DCTERMS}}}modified", f"{{{_CP}}}version")
MAX_CORE_BYTES = 1024 * 1024   # document properties are a few hundred bytes: a megabyte is not properties
PDF_WINDOW = 64 * 1024     # a PDF's info dictionary sits near its start or its end
MAX_PDF_STRING = 2000      # bytes of a PDF's title or date kept: longer than any title; the rest is not read
_PDF_TITLE = re.compile(rb"/Title\s*\(")
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{4})(\d{2})(\d{2})")


@dataclass
class FileInfo:
    """Title, date and version a document carries (each None when it carries none)."""

    title: str | None = None
    day: date | None = None
    version: str | None = None


def office_info(path: str) -> FileInfo:
    """Core properties of a .docx/.xlsx/.pptx; UnsafeFileError naming the file when it is not a sane zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                info = zf.getinfo(CORE_PART)
            except KeyError:
                return FileInfo()
            with zf.open(info) as part:
                data = part.read(MAX_CORE_BYTES + 1)
    except ZIP_ERRORS:
        raise UnsafeFileError(path, N_("not a readable Office document (damaged or not a zip package)")) from None
    if len(data) > MAX_CORE_BYTES or b"<!DOCTYPE" in data[:PROLOG_BYTES].upper():
        raise UnsafeFileError(path, N_("suspicious document properties (too large, or a DTD)"))
    try:
        root = parse_xml(data, path)
    except etree.XMLSyntaxError:
        raise UnsafeFileError(path, N_("damaged document properties")) from None
    found = {child.tag: (child.text or "").strip() for child in root}  # the properties are the root's children
    title, created, modified, version = (found.get(tag, "") for tag in CORE_TAGS)
    moment = parse_moment(created) or parse_moment(modified)
    return FileInfo(title=title or None, day=moment.date() if moment else None, version=version or None)


def _literal(window: bytes, start: int) -> bytes:
    """A PDF literal string's bytes from just after its opening parenthesis (balanced parentheses, escapes)."""
    out, depth, i = bytearray(), 1, start
    while i < len(window) and len(out) < MAX_PDF_STRING:
        c = window[i]
        if c == 0x5C and i + 1 < len(window):  # backslash: the next byte is taken as is
            out.append(window[i + 1])
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                break
        out.append(c)
        i += 1
    return bytes(out)


def _pdf_text(raw: bytes) -> str:
    """A PDF text string: UTF-16 with its byte-order mark, else PDFDocEncoding (read as Latin-1)."""
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    return raw.decode("latin-1")


def pdf_info(path: str) -> FileInfo:
    """Title and creation date from a PDF's information dictionary (read from its first and last 64 KB)."""
    with open(path, "rb") as f:
        head = f.read(PDF_WINDOW)
        size = f.seek(0, 2)
        tail = b""
        if size > PDF_WINDOW:  # a small file was read whole
            f.seek(max(size - PDF_WINDOW, PDF_WINDOW))
            tail = f.read(PDF_WINDOW)
    if not head.startswith(b"%PDF-"):
        raise UnsafeFileError(path, N_("not a PDF file (no %PDF- header)"))
    found = FileInfo()
    for window in (tail, head):
        if found.title is None and (m := _PDF_TITLE.search(window)):
            found.title = " ".join(_pdf_text(_literal(window, m.end())).split()) or None
        if found.day is None and (d := _PDF_DATE.search(window)):
            try:
                found.day = date(int(d.group(2)), int(d.group(3)), int(d.group(4)))
            except ValueError:
                pass
    return found


def file_info(path: str) -> FileInfo:
    """What an Office document or a PDF says about itself; nothing for other files."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in OFFICE:
        return office_info(path)
    if suffix == ".pdf":
        return pdf_info(path)
    return FileInfo()


def modified_day(path: str) -> date:
    """The file's own modification date (what the file system says)."""
    return datetime.fromtimestamp(os.stat(path).st_mtime).date()
