import pytest
from django.urls import include, path, reverse

from accounts.factories import DEFAULT_PASSWORD
from accounts.models import ApiToken, User
from pixorga.tokens import token_digest

pytestmark = pytest.mark.django_db


# --- POST /api/v1/auth/token/ -----------------------------------------------------------------------------------------

def test_token_for_the_right_credentials_with_any_email_case(api_client, alice_admin):
    response = api_client.post(reverse("api-auth-token"),
                               {"email": "Alice.Admin@Example.net", "password": DEFAULT_PASSWORD, "name": "Script"},
                               format="json")

    assert response.status_code == 201
    key = response.json()["token"]
    token = ApiToken.objects.get(user=alice_admin)
    assert token.digest == token_digest(key) and token.name == "Script"
    assert api_client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


@pytest.mark.parametrize(("email", "password"), [
    ("alice.admin@example.net", "Mauvais2026"),
    ("personne@example.net", DEFAULT_PASSWORD),
])
def test_token_for_wrong_credentials_is_refused_without_saying_which(api_client, alice_admin, email, password):
    response = api_client.post(reverse("api-auth-token"), {"email": email, "password": password}, format="json")

    assert response.status_code == 401
    assert response.json() == {"code": "INVALID_CREDENTIALS",
                               "detail": "L'adresse e-mail, l'identifiant ou le mot de passe est incorrect."}
    assert not ApiToken.objects.exists()


def test_token_for_a_deactivated_account_is_refused(api_client, alice_admin):
    User.objects.filter(pk=alice_admin.pk).update(is_active=False)

    response = api_client.post(reverse("api-auth-token"),
                               {"email": "alice.admin@example.net", "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 401 and response.json()["code"] == "INVALID_CREDENTIALS"


def test_token_request_with_missing_fields_is_a_validation_error(api_client):
    without_password = api_client.post(reverse("api-auth-token"), {"login": "lena.cote1503"}, format="json")
    without_login = api_client.post(reverse("api-auth-token"), {"password": DEFAULT_PASSWORD}, format="json")

    assert without_password.status_code == 400 and without_password.json()["code"] == "VALIDATION_ERROR"
    assert set(without_password.json()["errors"]) == {"password"}
    assert without_login.status_code == 400
    assert without_login.json()["errors"] == {"login": ["Indiquez l'adresse e-mail ou l'identifiant du compte."]}


def test_token_requests_are_throttled(api_client):
    for _ in range(20):
        assert api_client.post(reverse("api-auth-token"), {}, format="json").status_code == 400

    response = api_client.post(reverse("api-auth-token"), {}, format="json")

    assert response.status_code == 429 and response.json()["code"] == "TOO_MANY_REQUESTS"


# --- POST /api/v1/accounts/ -------------------------------------------------------------------------------------------

def test_signup_through_the_api(api_client, signup_data):
    response = api_client.post(reverse("api-accounts-create"), {**signup_data, "email": "Claire.Lefevre@Example.net"},
                               format="json")

    assert response.status_code == 201
    user = User.objects.get()
    assert response.json() == {"id": user.pk, "email": "claire.lefevre@example.net", "username": None,
                               "first_name": "Claire", "last_name": "Lefèvre"}
    assert user.check_password(signup_data["password"]) and user.terms_accepted_at is not None


def test_signup_through_the_api_lists_each_password_problem(api_client, signup_data):
    response = api_client.post(reverse("api-accounts-create"), {**signup_data, "password": "court"}, format="json")

    body = response.json()
    assert response.status_code == 400 and body["code"] == "VALIDATION_ERROR"
    assert any("trop court" in m for m in body["errors"]["password"])
    assert any("majuscule" in m for m in body["errors"]["password"])
    assert not User.objects.exists()


def test_signup_through_the_api_requires_the_terms(api_client, signup_data):
    response = api_client.post(reverse("api-accounts-create"), {**signup_data, "accept_terms": False}, format="json")

    assert response.status_code == 400 and "accept_terms" in response.json()["errors"]
    assert not User.objects.exists()


def test_signup_through_the_api_with_missing_fields(api_client):
    response = api_client.post(reverse("api-accounts-create"), {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"first_name", "last_name", "email", "password", "accept_terms"}


def test_signup_through_the_api_with_an_email_already_used(api_client, signup_data, alice_admin):
    response = api_client.post(reverse("api-accounts-create"), {**signup_data, "email": "ALICE.admin@example.net"},
                               format="json")

    assert response.status_code == 409 and response.json()["code"] == "EMAIL_ALREADY_USED"
    assert User.objects.filter(email="alice.admin@example.net").count() == 1


def test_signup_through_the_api_is_throttled(api_client):
    for _ in range(300):  # THROTTLE_SIGNUP: requests, whatever they give (accounts made: LIMIT_SIGNUPS_ADDRESS)
        api_client.post(reverse("api-accounts-create"), {}, format="json")

    assert api_client.post(reverse("api-accounts-create"), {}, format="json").status_code == 429


def test_signup_through_the_api_ignores_a_session_and_needs_no_csrf(signup_data, alice_admin):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice_admin)

    assert client.post(reverse("api-accounts-create"), signup_data, format="json").status_code == 201


# --- POST /api/v1/me/pix-orga-terms/accept/ ---------------------------------------------------------------------------

def test_accepting_the_terms_through_the_api(api_client, bob_member, settings):
    settings.PIX_ORGA_TERMS_VERSION = "2099-01"
    api_client.force_authenticate(bob_member)

    response = api_client.post(reverse("api-me-pix-orga-terms-accept"))

    assert response.status_code == 200
    assert response.json() == {"pix_orga_terms_accepted": True, "pix_orga_terms_version": "2099-01"}
    bob_member.refresh_from_db()
    assert bob_member.pix_orga_terms_version == "2099-01"
    assert api_client.get(reverse("api-me")).json()["pix_orga_terms_accepted"] is True


def test_accepting_the_terms_needs_authentication(api_client):
    assert api_client.post(reverse("api-me-pix-orga-terms-accept")).status_code == 401


def test_me_endpoints_refuse_other_methods(api_client, alice_admin):
    api_client.force_authenticate(alice_admin)

    assert api_client.delete(reverse("api-me")).status_code == 405
    assert api_client.get(reverse("api-me-pix-orga-terms-accept")).status_code == 405


# --- OpenAPI ----------------------------------------------------------------------------------------------------------

def test_the_schema_documents_the_accounts_endpoints_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("accounts.api_urls"))])
    schema = generator.get_schema(request=None, public=True)

    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    paths = schema["paths"]
    assert set(paths["/api/v1/auth/token/"]["post"]["responses"]) == {"201", "400", "401", "429"}
    assert not paths["/api/v1/auth/token/"]["post"].get("security")  # no key needed to get a key
    assert set(paths["/api/v1/accounts/"]["post"]["responses"]) == {"201", "400", "409", "429"}
    assert paths["/api/v1/me/pix-orga-terms/accept/"]["post"]["security"][0] == {"tokenAuth": []}
    assert "tokenAuth" in schema["components"]["securitySchemes"]
