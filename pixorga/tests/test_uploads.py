"""Oversized uploads are cut off while they arrive, and the admin still gets the usual French refusal."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from students.models import ImportJob

LYCEE_ZIP = Path(__file__).resolve().parents[2].parent / "shared" / "siecle" / "lycee-2500.zip"
CAP = 64 * 1024


@pytest.fixture
def small_cap(settings):
    settings.FILE_UPLOAD_MAX_BYTES = CAP
    settings.SIECLE_MAX_UPLOAD_BYTES = CAP
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # past it, Django would otherwise write a temporary file


def test_a_file_over_the_cap_is_refused_with_the_limit_and_nothing_is_stored(client, school, alice_admin, small_cap):
    assert LYCEE_ZIP.stat().st_size > 2 * CAP
    client.force_login(alice_admin)
    with LYCEE_ZIP.open("rb") as upload:
        response = client.post(reverse("students:import", args=[school.pk]), {"file": upload, "mode": "apply"})
    assert response.status_code == 413
    assert "taille maximale" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_api_refuses_it_the_same_way(api_client, school, alice_admin, small_cap):
    api_client.force_authenticate(alice_admin)
    with LYCEE_ZIP.open("rb") as upload:
        response = api_client.post(f"/api/v1/organizations/{school.pk}/imports/", {"file": upload},
                                   format="multipart")
    assert response.status_code == 413
    assert response.json()["code"] == "FILE_TOO_LARGE"


def test_the_handler_keeps_no_byte_past_the_cap(rf, settings):
    from pixorga.uploads import OversizedUpload, SizeCappedUploadHandler

    settings.FILE_UPLOAD_MAX_BYTES = 10
    handler = SizeCappedUploadHandler()
    handler.new_file("file", "eleves.zip", "application/zip", None)
    assert handler.receive_data_chunk(b"x" * 8, 0) == b"x" * 8
    assert handler.receive_data_chunk(b"y" * 8, 8) is None  # not handed on to the storing handlers
    upload = handler.file_complete(16)
    assert isinstance(upload, OversizedUpload)
    assert (upload.size, upload.read()) == (16, b"")


def test_a_file_under_the_cap_goes_through(client, school, alice_admin, settings):
    settings.FILE_UPLOAD_MAX_BYTES = settings.SIECLE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    client.force_login(alice_admin)
    upload = SimpleUploadedFile("small.zip", LYCEE_ZIP.with_name("small-30.zip").read_bytes())
    response = client.post(reverse("students:import", args=[school.pk]), {"file": upload, "mode": "check"})
    assert response.status_code == 302
    assert ImportJob.objects.get().file_name == "small.zip"


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    """Python's (and so Django's) temporary files go to a folder of the test's own, to count what is left there."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("path", ["/connexion", "/inscription", "/api/v1/auth/token/"])
def test_an_oversized_upload_with_a_bad_csrf_token_leaves_no_file_on_disk(path, temp_dir, settings, db):
    from django.test import Client

    # Past the memory limit (a temporary file is opened) and past the cap (the storing handlers are cut off).
    settings.FILE_UPLOAD_MAX_BYTES = 4 * 1024 * 1024
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32  # a cookie, so that the CSRF check reads the form to compare its token
    upload = SimpleUploadedFile("gros.bin", b"\0" * (5 * 1024 * 1024))
    response = client.post(path, {"file": upload, "csrfmiddlewaretoken": "b" * 32})

    assert response.status_code in (400, 403, 413)
    assert hasattr(response.wsgi_request, "_files")  # the body was read while answering
    assert list(temp_dir.iterdir()) == []  # the request is still referenced here, as a worker would hold it


def test_an_upload_under_the_cap_leaves_no_file_once_answered(client, temp_dir, settings, db):
    settings.FILE_UPLOAD_MAX_BYTES = 8 * 1024 * 1024
    upload = SimpleUploadedFile("moyen.bin", b"\0" * (3 * 1024 * 1024))  # over the memory limit: a temporary file
    response = client.post("/connexion", {"file": upload})

    assert response.status_code == 200
    assert list(temp_dir.iterdir()) == []


def test_the_probes_55_mb_post_to_the_login_page_leaves_no_file(temp_dir, db):
    """The issue's own figures: 55 MB with a bad CSRF token, anonymous, to /connexion, with the default 50 MiB cap."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    upload = SimpleUploadedFile("gros.bin", b"\0" * (55 * 1000 * 1000))
    response = client.post("/connexion", {"file": upload, "csrfmiddlewaretoken": "b" * 32})

    assert response.status_code == 403
    assert hasattr(response.wsgi_request, "_files")
    assert list(temp_dir.iterdir()) == []
