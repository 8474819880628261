"""Helpers of the import tests: uploads of the sample files and of small built exports."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from students.siecle.samples import SampleStudent, build_siecle_xml

# CI checks the repo out with shared/ beside it.
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLES = SHARED / "siecle"


def sample_upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), content_type="application/octet-stream")


def xml_upload(students: list[SampleStudent], *, name: str = "ElevesSansAdresses.xml", **options) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, build_siecle_xml(students, **options), content_type="text/xml")


def student(n: int, **fields) -> SampleStudent:
    """A valid student numbered ``n`` (INE, SIECLE id and names derived from it)."""
    values = {"ine": f"{n:010d}A", "family_name": f"NOM{n}", "first_name": f"Prénom{n}"}
    values.update(fields)
    return SampleStudent(eleve_id=f"{n:06d}", **values)
