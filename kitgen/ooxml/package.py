"""An untrusted .docx/.xlsx opened once: checked for type, macros and encryption, its parts inflated in a stream that
stops at the per-part and total caps (declared sizes are never trusted), its XML parsed without DTDs.

Every zip and XML error of the parsing libraries is turned into an UnsafeFileError naming the file here, at the
boundary; what callers do with the values they get is their own business (and their own bugs).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from lxml import etree

from ..errors import N_, UnsafeFileError
from ..infra.files import read_whole
from .parts import PropValue, payload_from, properties_from
from .safety import DTD_REFUSED, parse_xml

MAX_TOTAL_BYTES = 200 * 1024 * 1024   # inflated, every part read from one package
MAX_PART_BYTES = 100 * 1024 * 1024    # inflated, one part
MAX_ENTRIES = 5000    # parts in one package: a form has a few dozen; thousands of entries is a zip bomb's shape
CHUNK = 256 * 1024    # bytes inflated at a time: the caps are checked at least this often
# A DTD comes before the root element: the start of a part is searched for one (the parser refuses one anywhere)
PROLOG_BYTES = 4096
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MODIFIED = "{http://purl.org/dc/terms/}modified"
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError, KeyError)


class Package:
    """A checked OOXML package of one kind ('docx' or 'xlsx'); use as a context manager."""

    def __init__(self, path: Path, kind: str, data: bytes | None = None) -> None:
        self.path, self.kind = path, kind
        self.inflated = 0
        self._parts: dict[str, bytes] = {}
        self._zip = _open_zip(path, kind, data)
        try:
            self._check()
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> Package:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def refuse(self, reason: str, **fields: Any) -> UnsafeFileError:
        """An UnsafeFileError naming this file (for callers to raise); `reason` is an N_() msgid, `fields` its values
        (and the Problem's: place, value, hint…)."""
        return UnsafeFileError(self.path, reason, **{"kind": self.kind, **fields})

    def _check(self) -> None:
        try:
            infos = self._zip.infolist()
        except ZIP_ERRORS:
            raise self.refuse(N_("damaged zip package")) from None
        if len(infos) > MAX_ENTRIES:
            raise self.refuse(N_("too many parts ({count}) for a .{kind}"), count=len(infos))
        self.names = {i.filename for i in infos}
        if any(n.lower().endswith("vbaproject.bin") for n in self.names):
            raise self.refuse(N_("contains macros (vbaProject.bin)"), hint=N_("save it as a macro-free .{kind}"))
        if "[Content_Types].xml" not in self.names:
            raise self.refuse(N_("not a .{kind} file (no [Content_Types].xml)"))
        types = {el.get("ContentType", "") for el in self.xml("[Content_Types].xml")}
        if any("macroEnabled" in t for t in types):
            raise self.refuse(N_("macro-enabled document"), hint=N_("save it as a macro-free .{kind}"))
        if MAIN_TYPES[self.kind] not in types:
            other = next((k for k, t in MAIN_TYPES.items() if t in types), None)
            if other:
                raise self.refuse(N_("a .{other} file, expected a .{kind}"), other=other)
            raise self.refuse(N_("not an Office document kitgen reads, expected a .{kind}"))

    def has(self, name: str) -> bool:
        return name in self.names

    def part(self, name: str) -> bytes:
        """The inflated bytes of a part, read in a stream that stops at the caps whatever the headers declare
        (read once, then kept)."""
        if name in self._parts:
            return self._parts[name]
        try:
            info = self._zip.getinfo(name)
            out = bytearray()
            with self._zip.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    out += chunk
                    self.inflated += len(chunk)
                    if len(out) > MAX_PART_BYTES or self.inflated > MAX_TOTAL_BYTES:
                        raise self.refuse(N_("uncompressed size too large (possible zip bomb)"))
        except UnsafeFileError:
            raise
        except ZIP_ERRORS:
            raise self.refuse(N_("damaged zip package (truncated or corrupt)")) from None
        self._parts[name] = bytes(out)
        return self._parts[name]

    def xml(self, name: str) -> etree._Element:
        """A part parsed without entities, DTDs or network; a damaged part is refused naming the file."""
        data = self.part(name)
        head = data[:PROLOG_BYTES].upper()
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise self.refuse(DTD_REFUSED)
        try:
            return parse_xml(data, self.path)
        except etree.XMLSyntaxError:
            raise self.refuse(N_("damaged document ({part} is not well-formed XML)"), part=name) from None

    def properties(self) -> dict[str, PropValue]:
        """Custom document properties (kitgen's identity), {} when there are none."""
        return properties_from(self.xml("docProps/custom.xml")) if self.has("docProps/custom.xml") else {}

    def payload(self, namespace: str = "urn:kitgen:base") -> str | None:
        """The text of the custom XML part kitgen embedded (LibreOffice may duplicate it: the first wins)."""
        names = sorted((n for n in self.names if n.startswith("customXml/item") and "Props" not in n
                        and n.endswith(".xml")), key=lambda n: (len(n), n))
        return payload_from((self.xml(n) for n in names), namespace)

    def modified(self) -> datetime | None:
        """The document's own last-modified time (core properties), when it has one."""
        if not self.has("docProps/core.xml"):
            return None
        text = self.xml("docProps/core.xml").findtext(MODIFIED)
        return parse_moment(text) if text else None

    def for_library(self) -> BinaryIO:
        """A stored (uncompressed) copy of every part, each read under the caps and DTD-checked, for a library that
        opens the zip itself (openpyxl, python-docx): what it sees is exactly what was checked."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
            for name in sorted(self.names):
                if name.endswith("/"):
                    continue
                data = self.part(name)
                if name.lower().endswith((".xml", ".rels")):
                    head = data[:PROLOG_BYTES].upper()
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise self.refuse(DTD_REFUSED)
                dst.writestr(name, data)
        out.seek(0)
        return out


_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?")


def parse_moment(text: str) -> datetime | None:
    """A W3CDTF time as Office and LibreOffice write it (any fraction of a second, Z or an offset), in UTC when
    it has no zone; None when it is not one."""
    m = _MOMENT.fullmatch(text.strip())
    if not m:
        return None
    day, clock, fraction, zone = m.groups()
    if len(clock) == 5:
        clock += ":00"
    zone = "+00:00" if zone in (None, "Z") else zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
    micro = f".{(fraction or '0')[:6].ljust(6, '0')}"
    try:
        return datetime.fromisoformat(f"{day}T{clock}{micro}{zone}")
    except ValueError:
        return None


def _open_zip(path: Path, kind: str, data: bytes | None = None) -> zipfile.ZipFile:
    if data is None:
        data = read_whole(path)  # a regular file of bounded size: never a pipe waited on
    head = data[:len(OLE2_MAGIC)]
    if head == OLE2_MAGIC:
        raise UnsafeFileError(path, N_("encrypted or legacy Office file (OLE2)"), kind=kind,
                              hint=N_("save it unprotected as .{kind}"))
    if not head:
        raise UnsafeFileError(path, N_("empty file"))
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise UnsafeFileError(path, N_("not a .{kind} file (not a zip package)"), kind=kind,
                              hint=N_("save it as .{kind} and try again")) from None


def open_package(path: Path, kind: str, data: bytes | None = None) -> Package:
    """Open and check `path` (or its bytes, already read) as a .docx or .xlsx; UnsafeFileError naming the file when
    it is not a sane one."""
    return Package(path, kind, data)
