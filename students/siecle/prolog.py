"""Look at the first bytes of the XML before lxml sees them.

Refusing a DOCTYPE here means entity declarations (XXE, billion laughs) are never even
handed to libxml2; sniffing the first byte gives a clear message for the usual wrong
upload (a CSV); reading the declared encoding tells the parser whether names can have
been garbled by a UTF-8 re-save.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import BinaryIO

from .errors import ADVICE_DAMAGED, ADVICE_NOT_SIECLE, SiecleErrorCode, SiecleFileError

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

NOT_SIECLE = "Ce fichier n'est pas un export SIECLE"
# First bytes of the files uploaded instead of the export (never quoted: their bytes are not text).
_SIGNATURES = (
    (b"GIF87a", "une image"), (b"GIF89a", "une image"), (b"\x89PNG", "une image"), (b"\xff\xd8\xff", "une image"),
    (b"%PDF", "un document PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "un fichier Excel ou Word d'ancien format (.xls, .doc)"),
    (b"{\\rtf", "un document RTF"),
)
_PRINTABLE_LINE = 40  # characters of a text file's first line quoted in the message


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


def invalid_file(reason: str, *, advice: str = ADVICE_NOT_SIECLE) -> SiecleFileError:
    return SiecleFileError(SiecleErrorCode.INVALID_FILE, reason, advice=advice)


def printable(text: str) -> str:
    """``text`` without control or invisible characters (NUL, C1 controls…): safe to store and to show."""
    text = text.replace("\t", " ")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp"))


def _binary_kind(head: bytes) -> str | None:
    """What a file that is not text is, in a few words; None when it looks like text."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    sample = head[:4096]
    if b"\x00" not in sample:
        return None
    # Text saved in UTF-16 without its byte-order mark: every other byte of ASCII text is NUL.
    if sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4:
        return "un texte enregistré en UTF-16 (par un tableur ou un éditeur), pas l'export XML de SIECLE"
    return "un fichier binaire"


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
    if (kind := _binary_kind(head)) is not None and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise invalid_file(f"{NOT_SIECLE} : c'est {kind}.")
    bom, codec = None, "latin-1"  # latin-1 maps bytes 1:1, enough to read ASCII markup
    for mark, name in _BOMS:
        if head.startswith(mark):
            bom, codec = name, name
            break
    text = head[len(_BOMS[0][0]) if bom == "utf-8" else 0 :].decode(codec, errors="ignore")
    if not text.strip():
        raise invalid_file("Le fichier est vide.", advice=ADVICE_DAMAGED)
    found = _DECLARATION.match(text.lstrip("\ufeff"))
    declared = found.group(1).lower() if found else None
    start, stopper = _skip_prolog_markup(text.lstrip("\ufeff"))
    if stopper == "doctype":
        raise SiecleFileError(
            SiecleErrorCode.DTD_FORBIDDEN,
            "Le fichier contient une déclaration DOCTYPE, ce que les exports SIECLE ne contiennent jamais : il a été "
            "modifié ou ne vient pas de SIECLE, et il est refusé par sécurité.",
            advice=ADVICE_NOT_SIECLE,
        )
    if stopper == "text":
        if bom is None:  # no BOM: read as SIECLE writes (ISO-8859-15), which maps every byte
            text = head.decode("iso-8859-15", errors="replace")
        first_line = printable(text.lstrip("\ufeff").lstrip().splitlines()[0])[:_PRINTABLE_LINE].strip()
        raise invalid_file(f"{NOT_SIECLE} : ce n'est pas un fichier XML (il commence par « {first_line} »).")
    if start < 0 and len(head) >= HEAD_BYTES:
        raise invalid_file(f"{NOT_SIECLE} : son début ne ressemble pas à un export SIECLE.")
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

