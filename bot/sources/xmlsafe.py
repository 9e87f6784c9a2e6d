"""Safe XML: entity declarations (billion laughs) and external entities are refused."""

from __future__ import annotations

import gzip
import io
import re
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from bot.errors import SourceError

MAX_UNZIPPED = 50 * 1024 * 1024


_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)


def refuse_entities(body: bytes, where: str) -> None:
    """Refuse any document declaring entities: never expanded, never fetched. The whole
    document is looked through: a megabyte of comment before the DTD hid one."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: read as the parser will
        body = body.decode("utf-16", errors="replace").encode("utf-8")
    if _ENTITY.search(body):
        raise SourceError("refused: the XML declares entities (possible entity expansion "
                          "attack)", where)


def parse_xml(body: bytes, where: str) -> ET.Element:
    """Parse XML with defusedxml; a SourceError for anything unsafe or malformed."""
    refuse_entities(body, where)
    try:
        return DET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise SourceError(f"refused unsafe XML ({type(e).__name__})", where) from None
    except ET.ParseError as e:
        raise SourceError(f"invalid XML ({e})", where) from None


def gunzip(body: bytes, where: str) -> bytes:
    """Decompress a gzipped body, refusing to inflate past MAX_UNZIPPED (zip bombs)."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            data = f.read(MAX_UNZIPPED + 1)
    except (OSError, EOFError) as e:
        raise SourceError(f"broken gzip data ({e})", where) from None
    if len(data) > MAX_UNZIPPED:
        raise SourceError("gzipped document is too large once decompressed", where)
    return data


def local(tag: str) -> str:
    """Tag name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child_text(el: ET.Element, name: str) -> str:
    """Text of the first child named `name` (namespace ignored)."""
    for child in el:
        if local(child.tag) == name:
            return (child.text or "").strip()
    return ""
