"""Security headers: a Content-Security-Policy without inline scripts on every page, no-store on whatever may show
personal data, the Referrer-Policy; and templates that need no inline script, style or event attribute."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/connexion", "/inscription", "/campagnes", "/etablissement/activer",
                                  "/nexiste-pas", "/api/v1/me/", "/api/docs/"])
def test_every_answer_carries_the_policy(client, db, path):
    response = client.get(path)
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"] and directives["form-action"] == ["'self'"]
    if path != "/api/docs/":  # Swagger UI alone draws with inline styles
        assert directives["style-src"] == ["'self'"]


def test_the_policy_built_once_is_the_librarys_and_follows_the_settings(client, db, settings):
    from csp.utils import build_policy

    first, again = client.get("/connexion"), client.get("/api/v1/me/")
    assert first["Content-Security-Policy"] == again["Content-Security-Policy"] == build_policy()
    assert "unsafe-inline" in client.get("/api/docs/")["Content-Security-Policy"]  # a per-view change still applies

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/connexion")["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    report_only = client.get("/connexion")["Content-Security-Policy-Report-Only"]
    assert report_only == build_policy(report_only=True) and "img-src 'self'" in report_only


def test_pages_of_a_logged_in_member_are_never_stored(client, alice_admin, school):
    client.force_login(alice_admin)
    for path in [reverse("organizations:team", args=[school.pk]), reverse("students:list", args=[school.pk]),
                 reverse("accounts:api_keys")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path


def test_api_answers_are_never_stored(api_client, alice_admin, school):
    assert "no-store" in api_client.get("/api/v1/me/")["Cache-Control"]  # even a 401
    api_client.force_authenticate(alice_admin)
    assert "no-store" in api_client.get(f"/api/v1/organizations/{school.pk}/students/")["Cache-Control"]


def test_static_files_keep_their_cache(client, settings, db):
    settings.WHITENOISE_USE_FINDERS = True
    from django.test import Client

    response = Client().get("/static/js/pixorga.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_referrer_policy_is_set(client, db):
    assert client.get("/connexion")["Referrer-Policy"] == "same-origin"


def page_templates():
    return [path for path in TEMPLATES.rglob("*.html") if "email" not in path.parts]


def test_no_template_has_an_inline_script_style_or_event_attribute():
    offenders = []
    for path in page_templates():
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=\"", r"<style\b", r"\son[a-z]+=\""):
            offenders += [f"{path.relative_to(TEMPLATES)}: {match}" for match in re.findall(pattern, text)]
    assert offenders == []


def test_the_api_speaks_french_without_the_pages_locale_and_messages(client, db):
    """Locale and messages serve the pages only (an API request skips them): the API still answers in French,
    whatever language the client asks for, and the pages still get both."""
    response = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 401
    assert response.json()["detail"] == "Informations d'authentification non fournies."
    assert "Content-Language" not in response

    page = client.get("/connexion", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert page["Content-Language"] == "fr"
    assert hasattr(page.wsgi_request, "_messages")
