"""Checks a .docx/.xlsx before any parser sees it: a real OOXML zip of the right type, sane sizes, no macros, not encrypted."""
from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from ..errors import UnsafeFileError

MAX_TOTAL_BYTES = 200 * 1024 * 1024   # uncompressed, whole package
MAX_PART_BYTES = 100 * 1024 * 1024    # uncompressed, one part
MAX_RATIO = 150                       # uncompressed / compressed, per part larger than 1 MB
MAX_ENTRIES = 5000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, source: Path | str = "XML part") -> etree._Element:
    """Parse an XML part without entities, DTDs or network access; a part declaring a DTD is refused.

    Office never writes DOCTYPE declarations: one in a part is an XXE or billion-laughs attempt.
    """
    root = etree.fromstring(data, _PARSER)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeFileError(source, "XML with a DTD (entity declarations) refused: possible XXE or billion-laughs attack")
    return root


def check_package(path: Path, kind: str) -> None:
    """Raise UnsafeFileError naming `path` unless it is a sane, macro-free, unencrypted OOXML package of `kind`."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise UnsafeFileError(path, f"cannot read ({e.strerror})") from None
    if head == OLE2_MAGIC:
        raise UnsafeFileError(path, "encrypted or legacy Office file (OLE2); save it unprotected as ." + kind)
    if not head:
        raise UnsafeFileError(path, "empty file")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsafeFileError(path, f"not a .{kind} file (not a zip package); save it as .{kind} and try again") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise UnsafeFileError(path, f"too many parts ({len(infos)}) for a .{kind}")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
                raise UnsafeFileError(path, "uncompressed size too large (possible zip bomb)")
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise UnsafeFileError(path, "suspicious compression ratio (possible zip bomb)")
            if info.filename.lower().endswith("vbaproject.bin"):
                raise UnsafeFileError(path, "contains macros (vbaProject.bin); save it as a macro-free ." + kind)
        try:
            types = zf.read("[Content_Types].xml")
        except KeyError:
            raise UnsafeFileError(path, f"not a .{kind} file (no [Content_Types].xml)") from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise UnsafeFileError(path, "damaged zip package") from None
        try:
            root = parse_xml(types, path)
        except etree.XMLSyntaxError:
            raise UnsafeFileError(path, "damaged package ([Content_Types].xml is not XML)") from None
        content_types = {el.get("ContentType", "") for el in root}
        if any("macroEnabled" in t for t in content_types):
            raise UnsafeFileError(path, f"macro-enabled document; save it as a macro-free .{kind}")
        if MAIN_TYPES[kind] not in content_types:
            other = next((k for k, t in MAIN_TYPES.items() if t in content_types), None)
            what = f"a .{other} file" if other else "not an Office document kitgen reads"
            raise UnsafeFileError(path, f"{what}, expected a .{kind}")
        for info in infos:  # a DTD must come before the root element: the head of each part tells
            if info.filename.lower().endswith((".xml", ".rels")) and info.file_size:
                try:
                    with zf.open(info) as part:
                        head = part.read(4096).upper()
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                    raise UnsafeFileError(path, "damaged zip package (truncated or corrupt)") from None
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise UnsafeFileError(path, "XML with a DTD (entity declarations) refused: possible XXE or "
                                                "billion-laughs attack")
        try:
            bad = zf.testzip()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            bad = "?"
        if bad:
            raise UnsafeFileError(path, "damaged zip package (truncated or corrupt)")
