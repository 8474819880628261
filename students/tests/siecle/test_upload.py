"""open_upload: the zip or XML sent by the admin becomes one stream of XML, or a clear refusal."""
from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest

from students.siecle import SiecleErrorCode, SiecleFileError, open_upload, parse_siecle, parse_siecle_upload
from students.siecle.samples import SampleStudent, build_siecle_xml
from students.siecle.upload import _CappedMemberReader

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / ".." / "shared" / "siecle"
UAI = "0751234A"
Code = SiecleErrorCode
XML = build_siecle_xml([SampleStudent("1", ine="1111111111A"), SampleStudent("2", ine="2222222222B")])


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read_all(upload, **limits) -> bytes:
    with open_upload(upload, **limits) as xml:
        return b"".join(iter(lambda: xml.read(65536), b""))


def refusal(upload, **limits) -> SiecleFileError:
    with pytest.raises(SiecleFileError) as caught:
        read_all(upload, **limits)
    return caught.value


class DjangoLikeUpload(io.BytesIO):
    """What Django's InMemoryUploadedFile looks like to open_upload: a size and a (lying) name."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


class NotSeekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._data.readinto(buffer)


def set_declared_size(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size in the local header and the central directory (a lying zip)."""
    data = bytearray(data)
    struct.pack_into("<I", data, 22, size)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, size)
    return bytes(data)


# -- plain XML ---------------------------------------------------------------------------------


def test_plain_xml_is_streamed_as_is_and_the_upload_stays_open():
    upload = io.BytesIO(XML)
    assert read_all(upload) == XML
    assert not upload.closed


def test_the_zip_sample_holds_the_xml_sample():
    with open(SAMPLES / "small-30.zip", "rb") as upload:
        assert read_all(upload) == (SAMPLES / "small-30.xml").read_bytes()


def test_a_zip_is_recognised_by_its_content_not_its_name():
    assert read_all(DjangoLikeUpload(make_zip({"ElevesSansAdresses.xml": XML}), "eleves.xml")) == XML
    assert read_all(DjangoLikeUpload(XML, "ElevesSansAdresses.zip")) == XML


def test_empty_upload_is_invalid():
    assert refusal(io.BytesIO(b"")).code == Code.INVALID_FILE


def test_something_neither_xml_nor_zip_is_invalid():
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    with pytest.raises(SiecleFileError) as caught:
        parse_siecle_upload(io.BytesIO(png), expected_uai=UAI)
    assert caught.value.code == Code.INVALID_FILE


# -- size caps ---------------------------------------------------------------------------------


def test_upload_over_the_cap_is_too_large():
    error = refusal(io.BytesIO(XML), max_upload_bytes=len(XML) - 1)
    assert error.code == Code.FILE_TOO_LARGE
    assert read_all(io.BytesIO(XML), max_upload_bytes=len(XML)) == XML


def test_django_upload_size_is_used_without_reading():
    upload = DjangoLikeUpload(XML, "eleves.xml")
    upload.size = 10**9
    assert refusal(upload).code == Code.FILE_TOO_LARGE
    assert upload.tell() == 0


def test_a_non_seekable_stream_is_capped_while_copied():
    assert refusal(NotSeekable(XML), max_upload_bytes=100).code == Code.FILE_TOO_LARGE
    assert read_all(NotSeekable(make_zip({"e.xml": XML}))) == XML


def test_declared_uncompressed_size_over_the_cap_is_refused_before_extraction():
    data = make_zip({"ElevesSansAdresses.xml": XML})
    error = refusal(io.BytesIO(data), max_xml_bytes=len(XML) - 1)
    assert error.code == Code.FILE_TOO_LARGE and "ElevesSansAdresses.xml" in error.detail


def test_a_zip_bomb_with_a_lying_header_is_stopped_early():
    bomb = set_declared_size(make_zip({"ElevesSansAdresses.xml": b"<" + b" " * 20_000_000}), 5_000)
    assert len(bomb) < 100_000
    started = time.perf_counter()
    with pytest.raises(SiecleFileError) as caught:
        parse_siecle_upload(io.BytesIO(bomb), expected_uai=UAI, max_xml_bytes=10_000)
    assert caught.value.code in (Code.INVALID_ZIP, Code.FILE_TOO_LARGE)
    assert time.perf_counter() - started < 2


class FakeArchive:
    """A member that yields more than its header says, as a broken zip library might."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.closed = False

    def open(self, info):
        return io.BytesIO(self.data)

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize(
    ("declared", "max_xml_bytes", "code"),
    [(1_000, 10**6, Code.INVALID_ZIP), (10**6, 5_000, Code.FILE_TOO_LARGE)],
)
def test_inflated_bytes_are_counted_whatever_the_header_says(declared, max_xml_bytes, code):
    info = zipfile.ZipInfo("e.xml")
    info.file_size = declared
    archive = FakeArchive(b"x" * 50_000)
    reader = _CappedMemberReader(archive, info, max_xml_bytes)  # type: ignore[arg-type]
    with pytest.raises(SiecleFileError) as caught:
        while reader.read(4096):
            pass
    assert caught.value.code == code
    reader.close()
    assert archive.closed


# -- zip contents ------------------------------------------------------------------------------


def test_mac_litter_dot_files_and_folders_are_ignored():
    data = make_zip({
        "export/": b"",
        "export/ElevesSansAdresses.XML": XML,
        "__MACOSX/export/._ElevesSansAdresses.XML": b"\x00\x05\x16\x07",
        ".DS_Store": b"\x00",
        "export/.~lock.ElevesSansAdresses.xml#": b"x",
        "export/._ElevesSansAdresses.xml": b"\x00",
    })
    assert read_all(io.BytesIO(data)) == XML


def test_a_zip_without_xml_says_what_it_holds():
    error = refusal(io.BytesIO(make_zip({"eleves.csv": b"a;b", "lisez-moi.txt": b"x"})))
    assert error.code == Code.INVALID_ZIP
    assert "eleves.csv" in error.detail and "lisez-moi.txt" in error.detail


def test_an_empty_zip_is_invalid():
    error = refusal(io.BytesIO(make_zip({})))
    assert error.code == Code.INVALID_ZIP and "vide" in error.detail


def test_a_zip_with_several_xml_files_lists_them():
    error = refusal(io.BytesIO(make_zip({"ElevesSansAdresses.xml": XML, "Nomenclature.xml": XML})))
    assert error.code == Code.INVALID_ZIP
    assert "2" in error.detail and "ElevesSansAdresses.xml" in error.detail and "Nomenclature.xml" in error.detail


def test_a_corrupt_zip_is_invalid_zip():
    assert refusal(io.BytesIO(b"PK\x03\x04" + bytes(300))).code == Code.INVALID_ZIP


def test_corrupt_member_data_is_invalid_zip():
    data = bytearray(make_zip({"e.xml": XML}))
    start = 30 + len("e.xml")
    data[start + 10 : start + 60] = bytes(50)
    assert refusal(io.BytesIO(bytes(data))).code == Code.INVALID_ZIP


def test_a_password_protected_zip_is_invalid_zip():
    data = bytearray(make_zip({"e.xml": XML}))
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # "encrypted" flag, as a protected archive carries it
    data[6] |= 0x1
    error = refusal(io.BytesIO(bytes(data)))
    assert error.code == Code.INVALID_ZIP and "mot de passe" in error.detail


def test_closing_the_stream_of_a_zip_closes_the_archive_but_not_the_upload():
    upload = io.BytesIO(make_zip({"e.xml": XML}))
    with open_upload(upload) as xml:
        result = parse_siecle(xml, expected_uai=UAI)
    assert len(result.learners) == 2 and xml.closed and not upload.closed
