"""django-axes for real: 5 failures for one (e-mail, address) lock it for 15 minutes, on the page and on the API."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db



def attempt(client, email, password, **extra):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, **extra)


def test_six_bad_attempts_lock_the_account_even_for_the_right_password(client, alice_admin):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(6):
        attempt(client, "alice.admin@example.net", "Mauvais2026")

    response = attempt(client, "alice.admin@example.net", DEFAULT_PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in html
    assert "Réessayez dans 15 minutes ou réinitialisez votre mot de passe" in html.replace("réessayez", "Réessayez")
    assert f'href="{reverse("accounts:password_reset")}"' in html
    assert 'name="username"' in html  # still the login page
    assert "_auth_user_id" not in client.session


def test_the_fifth_failure_already_shows_the_lockout(client, alice_admin):
    statuses = [attempt(client, "alice.admin@example.net", "Mauvais2026").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]


def test_changing_the_case_of_the_email_does_not_escape_the_lockout(client, alice_admin):
    for email in ["alice.admin@example.net", "Alice.admin@example.net", "ALICE.ADMIN@example.net",
                  "alice.Admin@example.net", "alice.admin@Example.net", "aLice.admin@example.net"]:
        attempt(client, email, "Mauvais2026")

    assert attempt(client, "Alice.Admin@example.net", DEFAULT_PASSWORD).status_code == 429


def test_another_email_from_the_same_address_is_not_locked(client, alice_admin, bob_member):
    for _ in range(6):
        attempt(client, "alice.admin@example.net", "Mauvais2026")

    response = attempt(client, "bob.membre@example.net", DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob_member.pk)


def test_the_same_email_from_another_address_is_not_locked(client, alice_admin):
    for _ in range(6):
        attempt(client, "alice.admin@example.net", "Mauvais2026", REMOTE_ADDR="203.0.113.7")

    assert attempt(client, "alice.admin@example.net", DEFAULT_PASSWORD, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, alice_admin):
    for _ in range(4):
        attempt(client, "alice.admin@example.net", "Mauvais2026")
    assert attempt(client, "alice.admin@example.net", DEFAULT_PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert attempt(client, "alice.admin@example.net", "Mauvais2026").status_code == 200


def test_the_api_token_endpoint_counts_failures_and_answers_json_429(api_client, alice_admin):
    url = reverse("api-auth-token")
    for _ in range(6):
        api_client.post(url, {"email": "alice.admin@example.net", "password": "Mauvais2026"}, format="json")

    response = api_client.post(url, {"email": "alice.admin@example.net", "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["code"] == "TOO_MANY_ATTEMPTS"
    assert "15 minutes" in response.json()["detail"]


def test_failures_on_the_api_and_the_page_add_up(client, api_client, alice_admin):
    for _ in range(3):
        api_client.post(reverse("api-auth-token"), {"email": "alice.admin@example.net", "password": "x"}, format="json")
    for _ in range(3):
        attempt(client, "alice.admin@example.net", "Mauvais2026")

    assert attempt(client, "alice.admin@example.net", DEFAULT_PASSWORD).status_code == 429
