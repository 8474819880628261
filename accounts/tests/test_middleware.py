"""The Pix Orga terms gate: members must accept the current version before using the organization pages."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import User

pytestmark = pytest.mark.django_db

PAGE = "/une-page-de-l-espace?onglet=eleves"  # any HTML page of the organization area (404 once through the gate)


@pytest.fixture
def terms_changed(settings):
    settings.PIX_ORGA_TERMS_VERSION = "2099-01"


def test_member_is_sent_to_the_terms_when_the_version_changes(client, bob_member, terms_changed):
    client.force_login(bob_member)

    response = client.get(PAGE)

    assert response.status_code == 302
    assert response.url == "/cgu?next=%2Fune-page-de-l-espace%3Fonglet%3Deleves"


def test_after_accepting_the_member_goes_back_where_they_were(client, bob_member, terms_changed):
    client.force_login(bob_member)
    terms_url = client.get(PAGE).url

    page = client.get(terms_url)
    assert "Les conditions d'utilisation de Pix Orga ont changé" in page.content.decode()
    response = client.post(terms_url, {"next": PAGE})

    assert response.url == PAGE
    assert client.get(PAGE).status_code == 404  # through the gate: the (made-up) page itself answers


def test_home_is_gated_too(client, alice_admin, terms_changed):
    client.force_login(alice_admin)

    assert client.get("/").url == "/cgu?next=%2F"


def test_member_with_the_current_version_passes(client, bob_member):
    client.force_login(bob_member)

    assert client.get(PAGE).status_code == 404


def test_people_without_an_active_membership_are_not_gated(client, terms_changed):
    newcomer = UserFactory(pix_orga_terms_version="")
    client.force_login(newcomer)

    assert client.get(PAGE).status_code == 404


def test_a_disabled_membership_does_not_count(client, bob_member, terms_changed):
    from django.utils import timezone

    bob_member.memberships.update(disabled_at=timezone.now())
    client.force_login(bob_member)

    assert client.get(PAGE).status_code == 404


def test_anonymous_visitors_are_not_gated(client, terms_changed):
    assert client.get(PAGE).status_code == 404


@pytest.mark.parametrize("path", [
    "/cgu", "/deconnexion", "/connexion", "/inscription", "/mot-de-passe-oublie", "/rejoindre?token=abc",
    "/etablissement/activer", "/static/css/pixorga.css", "/admin/", "/api/v1/me/", "/anymail/x/", "/healthz",
    "/readyz", "/acces-restreint",
])
def test_exempt_pages_are_not_redirected_to_the_terms(client, bob_member, terms_changed, path):
    client.force_login(bob_member)

    response = client.get(path)

    assert not (response.status_code == 302 and response.url.startswith("/cgu")), path


def test_the_api_exposes_acceptance_instead_of_redirecting(client, bob_member, terms_changed):
    client.force_login(bob_member)

    response = client.get(reverse("api-me"))

    assert response.status_code == 200 and response.json()["pix_orga_terms_accepted"] is False


def test_htmx_requests_get_a_client_redirect(client, bob_member, terms_changed):
    client.force_login(bob_member)

    response = client.get("/fragment", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/organisations/1/eleves")

    assert response["HX-Redirect"] == "/cgu?next=%2Forganisations%2F1%2Feleves"


def test_gate_costs_one_query_for_a_member_who_must_accept(client, bob_member, terms_changed,
                                                          django_assert_num_queries):
    client.force_login(bob_member)
    User.objects.filter(pk=bob_member.pk).update(pix_orga_terms_version="")

    with django_assert_num_queries(3):  # session, user, membership check
        client.get(PAGE)
