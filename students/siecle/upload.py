"""Turn an uploaded file (plain XML or a zip holding it) into a binary stream of the XML.

Nothing here trusts the file name or the zip headers: a zip is recognised by its first
bytes, its declared sizes are checked before extraction, and the bytes actually inflated
are counted while streaming so that a lying header cannot let a zip bomb through.
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
import zlib
from typing import BinaryIO

from .errors import ADVICE_DAMAGED, ADVICE_NOT_SIECLE, ADVICE_TOO_LARGE, ADVICE_ZIP, SiecleErrorCode, SiecleFileError

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 50 * MB
# A 100,000-student export is ~195 MB; SIECLE files are far smaller (one school).
DEFAULT_MAX_XML_BYTES = 300 * MB
# A local file header, or the end record of an empty archive.
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_LISTED_NAMES = 10  # how many member names an INVALID_ZIP message shows


def _mb(size: int) -> str:
    return f"{size / MB:.0f} Mo" if size >= MB else f"{size / 1024:.0f} Ko"


def _too_large(limit: int, what: str) -> SiecleFileError:
    return SiecleFileError(
        SiecleErrorCode.FILE_TOO_LARGE, f"{what} dépasse la taille maximale autorisée ({_mb(limit)}).",
        advice=ADVICE_TOO_LARGE,
    )


def _invalid_zip(reason: str, advice: str = ADVICE_ZIP) -> SiecleFileError:
    return SiecleFileError(SiecleErrorCode.INVALID_ZIP, reason, advice=advice)


# Members that say what an archive really is: an office document is a zip of XML files too.
_OFFICE_MEMBERS = ("[Content_Types].xml", "mimetype")


def _upload_size(upload: BinaryIO) -> int | None:
    """Size of a seekable upload (Django's UploadedFile has `.size`), None if unknown."""
    size = getattr(upload, "size", None)
    if isinstance(size, int):
        return size
    try:
        here = upload.tell()
        end = upload.seek(0, os.SEEK_END)
        upload.seek(here)
        return end
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def _seekable_copy(upload: BinaryIO, max_upload_bytes: int) -> BinaryIO:
    """Copy a non-seekable stream to a spooled file, stopping as soon as it is too large."""
    copy = tempfile.SpooledTemporaryFile(max_size=8 * MB)
    copied = 0
    while chunk := upload.read(1024 * 1024):
        copied += len(chunk)
        if copied > max_upload_bytes:
            copy.close()
            raise _too_large(max_upload_bytes, "Le fichier")
        copy.write(chunk)
    copy.seek(0)
    return copy  # type: ignore[return-value]


def _is_ignored_member(info: zipfile.ZipInfo) -> bool:
    """Folders and the litter macOS or editors add next to the real file."""
    name = info.filename
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return info.is_dir() or name.startswith("__MACOSX/") or "/__MACOSX/" in name or base.startswith(".")


def _names(infos: list[zipfile.ZipInfo]) -> str:
    names = [f"« {info.filename} »" for info in infos[:_LISTED_NAMES]]
    more = len(infos) - _LISTED_NAMES
    return ", ".join(names) + ((" et un autre" if more == 1 else f" et {more} autres") if more > 0 else "")


class _CappedMemberReader(io.RawIOBase):
    """Reads a zip member, refusing to inflate more than allowed, and owns the archive."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_xml_bytes: int) -> None:
        super().__init__()
        self._archive = archive
        self._member = archive.open(info)
        # zipfile already stops at the declared size; counting here keeps us safe even if it did not.
        self._limit = min(info.file_size, max_xml_bytes)
        self._max_xml_bytes = max_xml_bytes
        self._inflated = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = 1024 * 1024  # never inflate the whole member at once
        try:
            data = self._member.read(min(size, self._limit - self._inflated + 1))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            # Raised mid-stream: bad CRC (a lying size), corrupt data, unsupported method.
            raise _invalid_zip("L'archive est endommagée.", ADVICE_DAMAGED) from exc
        self._inflated += len(data)
        if self._inflated > self._limit:
            if self._inflated > self._max_xml_bytes:
                raise _too_large(self._max_xml_bytes, "Le fichier XML contenu dans l'archive")
            raise _invalid_zip("L'archive est endommagée (le fichier contenu est plus grand qu'annoncé).",
                               ADVICE_DAMAGED)
        return data

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._member.close()
            self._archive.close()
        super().close()


def _open_zip_member(upload: BinaryIO, max_xml_bytes: int) -> BinaryIO:
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _invalid_zip("Le fichier est une archive zip illisible : elle est sans doute incomplète ou abîmée.",
                           ADVICE_DAMAGED) from exc
    try:
        infos = [info for info in archive.infolist() if not _is_ignored_member(info)]
        if any(info.filename in _OFFICE_MEMBERS for info in infos):
            raise SiecleFileError(
                SiecleErrorCode.INVALID_FILE,
                "Ce fichier n'est pas un export SIECLE : c'est un document de tableur ou de traitement de texte "
                "(.xlsx, .ods, .docx…).", advice=ADVICE_NOT_SIECLE)
        xml_members = [info for info in infos if info.filename.lower().endswith(".xml")]
        if not xml_members:
            found = f"elle contient : {_names(infos)}." if infos else "elle est vide."
            raise _invalid_zip(f"L'archive ne contient aucun fichier XML ; {found}")
        if len(xml_members) > 1:
            raise _invalid_zip(
                f"L'archive doit contenir un seul fichier XML, elle en contient {len(xml_members)} : "
                f"{_names(xml_members)}."
            )
        info = xml_members[0]
        if info.flag_bits & 0x1:
            raise _invalid_zip("L'archive est protégée par un mot de passe.")
        if info.file_size > max_xml_bytes:
            raise _too_large(max_xml_bytes, f"Le fichier « {info.filename} » contenu dans l'archive")
        try:
            return _CappedMemberReader(archive, info, max_xml_bytes)  # type: ignore[return-value]
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
            raise _invalid_zip(f"Le fichier « {info.filename} » ne peut pas être extrait de l'archive.",
                               ADVICE_DAMAGED) from exc
    except BaseException:
        archive.close()
        raise


def open_upload(
    upload: BinaryIO,
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    max_xml_bytes: int = DEFAULT_MAX_XML_BYTES,
) -> BinaryIO:
    """Return a binary stream of the SIECLE XML held by `upload` (an XML file or a zip).

    `upload` is any binary file object (Django's UploadedFile, `open(path, "rb")`) and
    stays owned by the caller; close the returned stream when done (it is a context
    manager). Whether the content is XML is left to the parser, which gives
    INVALID_FILE for anything else. Raises SiecleFileError (FILE_TOO_LARGE, INVALID_ZIP,
    INVALID_FILE for an empty upload).
    """
    size = _upload_size(upload)
    if size is None:
        upload = _seekable_copy(upload, max_upload_bytes)
        size = _upload_size(upload) or 0
    elif size > max_upload_bytes:
        raise _too_large(max_upload_bytes, "Le fichier")
    if size == 0:
        raise SiecleFileError(SiecleErrorCode.INVALID_FILE, "Le fichier est vide.", advice=ADVICE_DAMAGED)
    upload.seek(0)
    magic = upload.read(4)
    upload.seek(0)
    if magic in ZIP_MAGICS:
        return _open_zip_member(upload, max_xml_bytes)
    # Not a zip: the parser streams it and decides whether it is XML. Closing the
    # returned wrapper must not close the caller's upload.
    return _Unowned(upload)  # type: ignore[return-value]


class _Unowned(io.RawIOBase):
    """A read-only view whose close() leaves the underlying (caller-owned) file open."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self._raw = raw

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._raw.read(size)

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
