"""Look at the first bytes of the XML before lxml sees them.

Refusing a DOCTYPE here means entity declarations (XXE, billion laughs) are never even
handed to libxml2; sniffing the first byte gives a clear message for the usual wrong
upload (a CSV); reading the declared encoding tells the parser whether names can have
been garbled by a UTF-8 re-save.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

from .errors import SiecleErrorCode, SiecleFileError

HEAD_BYTES = 64 * 1024  # the root element of a real export starts within 100 bytes
_DECLARATION = re.compile(r"<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_NAME_START = re.compile(r"[A-Za-z_:\u00c0-\uffff]")
_NAME = re.compile(r"[^\s/>]+")
# Single-byte encodings in which UTF-8 bytes still parse, only garbled.
SINGLE_BYTE_ENCODINGS = frozenset(
    {"iso-8859-15", "iso8859-15", "latin-9", "latin9", "l9", "iso-8859-1", "iso8859-1", "latin-1", "latin1",
     "l1", "windows-1252", "cp1252"}
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))

NOT_XML_HINT = (
    "Exportez depuis SIECLE le fichier ElevesSansAdresses au format XML (ou l'archive zip qui le contient) "
    "et importez-le sans l'ouvrir ni le modifier."
)


@dataclass(frozen=True, slots=True)
class Prolog:
    head: bytes  # the bytes read, to be replayed to the parser
    declared_encoding: str | None  # lower case, as written in the XML declaration
    bom: str | None
    root_tag: str | None  # None when the root element does not start within the head

    @property
    def garbling_possible(self) -> bool:
        """UTF-8 bytes under a single-byte declaration parse into "AÃ¯cha"-like names."""
        return self.bom is None and (self.declared_encoding or "").replace("_", "-") in SINGLE_BYTE_ENCODINGS


def invalid_file(reason: str) -> SiecleFileError:
    return SiecleFileError(SiecleErrorCode.INVALID_FILE, f"{reason} {NOT_XML_HINT}")


def _read_head(stream: BinaryIO) -> bytes:
    chunks, size = [], 0
    while size < HEAD_BYTES:
        chunk = stream.read(HEAD_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _skip_prolog_markup(text: str) -> tuple[int, str | None]:
    """Index where the root element starts (-1 if not within text), and what stopped the scan."""
    pos, end = 0, len(text)
    while pos < end:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if pos >= end:
            return -1, None
        if text.startswith("<?", pos):
            close, closer = text.find("?>", pos + 2), "?>"
        elif text.startswith("<!--", pos):
            close, closer = text.find("-->", pos + 4), "-->"
        elif text.startswith("<!", pos):
            return pos, "doctype" if text[pos + 2 : pos + 9].upper() == "DOCTYPE" else "markup"
        elif text[pos] == "<" and _NAME_START.match(text, pos + 1):
            return pos, None
        else:
            return pos, "text"
        if close < 0:
            return -1, None
        pos = close + len(closer)
    return -1, None


def read_prolog(stream: BinaryIO) -> Prolog:
    """Read the head of `stream` and refuse what must never reach lxml."""
    head = _read_head(stream)
    bom, codec = None, "latin-1"  # latin-1 maps bytes 1:1, enough to read ASCII markup
    for mark, name in _BOMS:
        if head.startswith(mark):
            bom, codec = name, name
            break
    text = head[len(_BOMS[0][0]) if bom == "utf-8" else 0 :].decode(codec, errors="ignore")
    if not text.strip():
        raise invalid_file("Le fichier est vide.")
    found = _DECLARATION.match(text.lstrip("\ufeff"))
    declared = found.group(1).lower() if found else None
    start, stopper = _skip_prolog_markup(text.lstrip("\ufeff"))
    if stopper == "doctype":
        raise SiecleFileError(
            SiecleErrorCode.DTD_FORBIDDEN,
            "Le fichier contient une déclaration DOCTYPE, ce que les exports SIECLE ne contiennent jamais ; "
            "il a été modifié ou ne vient pas de SIECLE et il est refusé par sécurité. " + NOT_XML_HINT,
        )
    if stopper == "text":
        first_line = head.decode("iso-8859-15", errors="replace").lstrip().splitlines()[0][:40]
        raise invalid_file(f"Le fichier n'est pas un fichier XML (il commence par « {first_line} »).")
    if start < 0 and len(head) >= HEAD_BYTES:
        raise invalid_file("Le début du fichier ne ressemble pas à un export SIECLE.")
    # Other oddities (unclosed comment, "<!" markup, no root) are left to lxml, which
    # reports them with their line number.
    root_tag = None
    if start >= 0 and (name := _NAME.match(text.lstrip("\ufeff"), start + 1)):
        root_tag = name.group(0)
    return Prolog(head=head, declared_encoding=declared, bom=bom, root_tag=root_tag)


class ReplayReader:
    """Gives back the head already read, then the rest of the stream."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0 or size >= len(self._head):
                data, self._head = self._head, b""
            else:
                data, self._head = self._head[:size], self._head[size:]
            return data
        return self._stream.read(size)

