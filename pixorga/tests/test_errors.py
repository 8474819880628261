"""Under /api/ every failure answers {"code", "detail"} (never a crash, never HTML); elsewhere French error pages."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pixorga.tests.test_uploads import temp_dir  # noqa: F401  (fixture)

DEEP = "[" * 2000


def assert_api_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["detail"], body
    return body


# --- Deeply nested JSON ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [DEEP, DEEP + "]" * 2000, '{"a":' * 2000 + "1" + "}" * 2000])
def test_deeply_nested_json_is_a_400_not_a_crash(api_client, db, body):
    response = api_client.post(reverse("api-auth-token"), data=body, content_type="application/json")
    detail = assert_api_error(response, 400, "PARSE_ERROR")["detail"]
    assert "JSON" in detail and "parse error" not in detail  # French, not DRF's English


def test_deeply_nested_json_to_an_authenticated_endpoint(api_client, alice_admin, school):
    api_client.force_authenticate(alice_admin)
    response = api_client.post(f"/api/v1/organizations/{school.pk}/campaigns/", data=DEEP,
                               content_type="application/json")
    assert_api_error(response, 400, "PARSE_ERROR")


# --- Body cap ---------------------------------------------------------------------------------------------------------

def test_a_json_body_over_the_forms_cap_is_refused_with_413(api_client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    body = json.dumps({"login": "a@example.net", "password": "x" * 5000})
    response = api_client.post(reverse("api-auth-token"), data=body, content_type="application/json")
    assert "4 Ko" in assert_api_error(response, 413, "REQUEST_TOO_LARGE")["detail"]
    assert not hasattr(response.wsgi_request, "_body")  # refused before anything read it


def test_an_upload_over_the_cap_is_refused_before_it_is_read(api_client, alice_admin, school, settings,
                                                             temp_dir):  # noqa: F811
    settings.FILE_UPLOAD_MAX_BYTES = 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    api_client.force_authenticate(alice_admin)
    upload = SimpleUploadedFile("eleves.zip", b"\0" * (2 * 1024 * 1024))
    response = api_client.post(f"/api/v1/organizations/{school.pk}/imports/", {"file": upload}, format="multipart")
    assert_api_error(response, 413, "REQUEST_TOO_LARGE")
    assert not hasattr(response.wsgi_request, "_files")  # never parsed
    assert list(temp_dir.iterdir()) == []


def test_a_body_under_the_cap_goes_through(api_client, alice_admin, db):
    response = api_client.post(reverse("api-auth-token"), {"login": "alice.admin@example.net", "password": "faux"},
                               format="json")
    assert_api_error(response, 401, "INVALID_CREDENTIALS")


# --- JSON errors everywhere under /api/ ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/api/v1/organizations/abc/students/",
    "/api/v1/campaigns/1.5/",
    "/api/v1/organizations/%20/",
    "/api/v1/nexiste-pas/",
    "/api/nexiste-pas",
])
def test_an_unknown_or_non_integer_id_is_a_json_404(api_client, alice_admin, path):
    api_client.force_authenticate(alice_admin)
    assert_api_error(api_client.get(path), 404, "NOT_FOUND")


def test_a_wrong_method_is_a_json_405(api_client, alice_admin):
    api_client.force_authenticate(alice_admin)
    response = api_client.put(reverse("api-me"), {}, format="json")
    assert_api_error(response, 405, "METHOD_NOT_ALLOWED")


@pytest.mark.urls("pixorga.tests.urls_errors")
def test_a_crash_under_the_api_is_a_json_500(db):
    response = Client(raise_request_exception=False).get("/api/v1/test-boom/")
    body = assert_api_error(response, 500, "SERVER_ERROR")
    assert "boom" not in json.dumps(body)


@pytest.mark.urls("pixorga.tests.urls_errors")
def test_a_permission_denied_under_the_api_is_a_json_403(db):
    assert_api_error(Client().get("/api/v1/test-interdit/"), 403, "FORBIDDEN")


# --- French pages elsewhere -------------------------------------------------------------------------------------------

def test_an_unknown_page_is_the_french_404_page(client, alice_admin):
    client.force_login(alice_admin)
    response = client.get("/organisations/abc/eleves")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Cette page n'existe pas ou vous n'y avez pas accès" in page
    assert "Revenir à l'accueil" in page and 'class="topbar"' in page


@pytest.mark.urls("pixorga.tests.urls_errors")
def test_a_crash_on_a_page_is_the_french_500_page(db):
    response = Client(raise_request_exception=False).get("/test-boom")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Une erreur inattendue s'est produite" in page and "Réessayez" in page
    assert "boom" not in page and "Traceback" not in page


@pytest.mark.urls("pixorga.tests.urls_errors")
def test_a_refusal_on_a_page_is_the_french_403_page(client, bob_member):
    client.force_login(bob_member)
    response = client.get("/test-interdit")
    assert response.status_code == 403
    assert "Vous n'avez pas accès à cette page" in response.content.decode()


def test_a_stale_form_token_is_the_french_403_page(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y",
                                                        "csrfmiddlewaretoken": "b" * 32})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Le formulaire a expiré" in page and "CSRF" not in page
