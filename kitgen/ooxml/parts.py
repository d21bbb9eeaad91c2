"""Package-level parts: custom document properties and an embedded custom XML payload, read and written in the zip."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from typing import Iterable, Union

from lxml import etree

from .docx_text import Finish, finish_parts
from .safety import parse_xml

PropValue = Union[str, int, float, bool]
Parts = dict[str, bytes]   # a package's parts by their names in the zip
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CUSTOM_XML_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
CORE_PART = "docProps/core.xml"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def escape(text: str) -> str:
    """`text` as XML character data: &, > and < as entities, as xml.sax.saxutils.escape writes it (whose import
    pulls in urllib.request and ssl: some 7 ms of every run that opens a form)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _custom_xml(props: dict[str, PropValue]) -> bytes:
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">']
    for pid, (name, value) in enumerate(props.items(), start=2):
        if isinstance(value, bool):
            vt = f"<vt:bool>{'true' if value else 'false'}</vt:bool>"
        elif isinstance(value, int):
            vt = f"<vt:i4>{value}</vt:i4>"
        elif isinstance(value, float):
            vt = f"<vt:r8>{value}</vt:r8>"
        else:
            vt = f"<vt:lpwstr>{escape(str(value))}</vt:lpwstr>"
        attribute = escape(name).replace('"', "&quot;")
        out.append(f'<property fmtid="{FMTID}" pid="{pid}" name="{attribute}">{vt}</property>')
    out.append("</Properties>")
    return "".join(out).encode("utf-8")


def _add_override(types: bytes, part: str, content_type: str) -> bytes:
    root = parse_xml(types)
    for el in root.findall(f"{{{CT_NS}}}Override"):
        if el.get("PartName") == part:
            root.remove(el)
    etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=part, ContentType=content_type)
    if not any(el.get("Extension") == "xml" for el in root.findall(f"{{{CT_NS}}}Default")):
        etree.SubElement(root, f"{{{CT_NS}}}Default", Extension="xml", ContentType="application/xml")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_rel(rels: bytes, rel_type: str, target: str) -> bytes:
    root = parse_xml(rels)
    for el in list(root):
        if el.get("Type") == rel_type and el.get("Target") == target:
            root.remove(el)
    ids = {el.get("Id") for el in root}
    n = 1
    while f"rIdKitgen{n}" in ids:
        n += 1
    etree.SubElement(root, f"{{{REL_NS}}}Relationship", Id=f"rIdKitgen{n}", Type=rel_type, Target=target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_identity(parts: Parts, props: dict[str, PropValue], moment: datetime, payload: str | None = None,
                 namespace: str = "urn:kitgen:base", main_part: str = "word/document.xml",
                 finish: Finish | None = None) -> bytes:
    """The package of `parts` (changed in place) with custom properties `props` set and, if given, `payload` as a
    custom XML part and `finish` applied (no-break hyphens, core properties; the renderer marks the language), zipped.

    The custom XML part hangs off `main_part` (as Word expects) and holds `payload` as text in a root element
    of `namespace`; both survive Word and LibreOffice re-saves. The result is normalised (see normalize_package).
    """
    if finish is not None:
        finish_parts(parts, finish)
    parts["docProps/custom.xml"] = _custom_xml(props)
    parts["[Content_Types].xml"] = _add_override(parts["[Content_Types].xml"], "/docProps/custom.xml",
                                                 "application/vnd.openxmlformats-officedocument.custom-properties+xml")
    parts["_rels/.rels"] = _add_rel(parts["_rels/.rels"], CUSTOM_PROPS_REL, "docProps/custom.xml")
    if payload is not None:
        n = 1
        while f"customXml/item{n}.xml" in parts:
            n += 1
        parts[f"customXml/item{n}.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?>\n<kitgen xmlns="{namespace}">'
                                          f"{escape(payload)}</kitgen>").encode("utf-8")
        parts[f"customXml/itemProps{n}.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem '
            f'ds:itemID="{{6C1B3D5A-0000-4000-8000-{n:012d}}}" '
            'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
            f'<ds:schemaRefs><ds:schemaRef ds:uri="{namespace}"/></ds:schemaRefs></ds:datastoreItem>').encode("utf-8")
        parts[f"customXml/_rels/item{n}.xml.rels"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{REL_NS}">'
            f'<Relationship Id="rId1" Type="{CUSTOM_XML_PROPS_REL}" Target="itemProps{n}.xml"/></Relationships>').encode()
        parts["[Content_Types].xml"] = _add_override(
            parts["[Content_Types].xml"], f"/customXml/itemProps{n}.xml",
            "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
        folder, name = main_part.rsplit("/", 1)
        rels_name = f"{folder}/_rels/{name}.rels"
        parts[rels_name] = _add_rel(parts[rels_name], CUSTOM_XML_REL, f"../customXml/item{n}.xml")
    return _write_parts(parts, moment)


def _vt_value(el: etree._Element) -> PropValue:
    tag = etree.QName(el).localname
    text = el.text or ""
    if tag in ("i1", "i2", "i4", "i8", "int", "uint", "ui1", "ui2", "ui4", "ui8"):
        return int(text)
    if tag in ("r4", "r8", "decimal"):
        value = float(text)
        return int(value) if value.is_integer() else value
    if tag == "bool":
        return text.strip().lower() in ("1", "true")
    return text


def properties_from(root: etree._Element) -> dict[str, PropValue]:
    """Custom document properties from docProps/custom.xml; numbers LibreOffice turned into floats come back as ints."""
    props: dict[str, PropValue] = {}
    for prop in root:
        if len(prop):
            try:
                props[prop.get("name", "")] = _vt_value(prop[0])
            except ValueError:
                props[prop.get("name", "")] = prop[0].text or ""
    return props


def payload_from(roots: Iterable[etree._Element], namespace: str = "urn:kitgen:base") -> str | None:
    """Text of the first custom XML part whose root is in `namespace`, or None."""
    for root in roots:
        if etree.QName(root).namespace == namespace:
            return root.text or ""
    return None


def normalize_package(data: bytes, moment: datetime) -> bytes:
    """The package with its creation/modification dates set to `moment` and fixed zip timestamps and order.

    Generators stamp the wall clock into core.xml and every zip entry; this makes the same inputs give the
    same bytes, which the documentation package needs.
    """
    return _write_parts(_read_parts(data), moment)


def _read_parts(data: bytes) -> Parts:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return {name: src.read(name) for name in src.namelist()}


def stored(parts: Parts) -> bytes:
    """`parts` zipped as they are, uncompressed: a package to read again in this process (compressing is most of
    the cost of zipping, and only the file written needs it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for name, content in parts.items():
            dst.writestr(name, content)
    return out.getvalue()


def _write_parts(parts: Parts, moment: datetime) -> bytes:
    """Zip `parts` in a fixed order with fixed timestamps, core.xml's creation dates set to `moment`."""
    stamp = moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        # [Content_Types].xml first, as Office writes it
        for name in sorted(parts, key=lambda n: (n != "[Content_Types].xml", n)):
            content = parts[name]
            if name == CORE_PART:
                root = parse_xml(content)
                for el in root:
                    if etree.QName(el).localname in ("created", "modified"):
                        el.text = stamp
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, content)
    return out.getvalue()
