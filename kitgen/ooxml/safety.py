"""Parsing XML that comes from untrusted files: no entities, no DTDs, no network."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..errors import N_, UnsafeFileError

DTD_REFUSED = N_("XML with a DTD (entity declarations) refused: possible XXE or billion-laughs attack")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, source: Path | str = "XML part") -> etree._Element:
    """Parse an XML part without entities, DTDs or network access; a part declaring a DTD is refused.

    Office never writes DOCTYPE declarations: one in a part is an XXE or billion-laughs attempt.
    Raises lxml's XMLSyntaxError for malformed XML (callers at the package boundary turn it into a refusal).
    """
    root = etree.fromstring(data, _PARSER)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeFileError(source, DTD_REFUSED)
    return root
