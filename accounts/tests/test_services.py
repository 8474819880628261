import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import RequestFactory

from accounts import services
from accounts.errors import EmailAlreadyUsed, InvalidEmail, InvalidPassword, NameRequired, TermsNotAccepted
from accounts.factories import UserFactory
from accounts.models import ApiToken, User
from pixorga.tokens import token_digest

pytestmark = pytest.mark.django_db


def test_user_create_stores_email_lower_cased_and_trimmed(signup_data):
    user = services.user_create(**{**signup_data, "email": "  Claire.LEFEVRE@Example.NET "})

    user.refresh_from_db()
    assert user.email == "claire.lefevre@example.net"
    assert user.first_name == "Claire" and user.last_name == "Lefèvre"
    assert user.terms_accepted_at is not None
    assert user.pix_orga_terms_version == ""  # Pix Orga terms are asked when joining a school
    assert user.check_password("Tournesol2026")
    assert user.password.startswith("argon2")


def test_user_create_refuses_an_email_already_used_whatever_its_case(signup_data):
    services.user_create(**signup_data)

    with pytest.raises(EmailAlreadyUsed) as error:
        services.user_create(**{**signup_data, "email": "CLAIRE.Lefevre@example.net"})
    assert error.value.code == "EMAIL_ALREADY_USED" and error.value.http_status == 409
    assert User.objects.count() == 1


def test_user_create_requires_the_terms(signup_data):
    with pytest.raises(TermsNotAccepted):
        services.user_create(**{**signup_data, "accept_terms": False})
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["", "claire", "claire@", "@example.net", "claire lefevre@example.net"])
def test_user_create_refuses_an_invalid_email(signup_data, email):
    with pytest.raises(InvalidEmail):
        services.user_create(**{**signup_data, "email": email})
    assert not User.objects.exists()


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_user_create_requires_both_names(signup_data, field):
    with pytest.raises(NameRequired):
        services.user_create(**{**signup_data, field: "   "})


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Court1a", "trop court"),                                   # 7 characters
        ("tournesol2026", "au moins une majuscule"),                 # no upper-case letter
        ("TOURNESOL2026", "au moins une majuscule"),                 # no lower-case letter
        ("Tournesolbleu", "au moins une majuscule"),                 # no digit
        ("Password1", "trop courant"),                               # in Django's common passwords list
        ("Lefèvre12", "trop semblable"),                             # too close to the last name
    ],
)
def test_user_create_enforces_each_password_rule_with_a_french_message(signup_data, password, expected):
    with pytest.raises(InvalidPassword) as error:
        services.user_create(**{**signup_data, "password": password})

    assert error.value.code == "INVALID_PASSWORD"
    assert any(expected in message for message in error.value.messages), error.value.messages
    assert not User.objects.exists()


def test_user_accept_pix_orga_terms_records_the_current_version():
    user = UserFactory(pix_orga_terms_version="2020-01", pix_orga_terms_accepted_at=None)

    services.user_accept_pix_orga_terms(user=user)

    user.refresh_from_db()
    assert user.pix_orga_terms_version == settings.PIX_ORGA_TERMS_VERSION
    assert user.pix_orga_terms_accepted_at is not None
    assert user.has_accepted_current_pix_orga_terms


def test_api_token_create_keeps_only_the_digest():
    user = UserFactory()

    token, key = services.api_token_create(user=user, name="Script SIECLE")

    stored = ApiToken.objects.get()
    assert stored.pk == token.pk and stored.name == "Script SIECLE"
    assert stored.digest == token_digest(key) and stored.digest != key
    assert stored.prefix == key[:8]
    assert len(key) >= 40


def test_api_token_revoke_deletes_only_the_users_own_key(alice_admin, bob_member):
    alice_token, _ = services.api_token_create(user=alice_admin)

    with pytest.raises(services.ApiTokenNotFound):
        services.api_token_revoke(user=bob_member, token_id=alice_token.pk)
    assert ApiToken.objects.filter(pk=alice_token.pk).exists()

    services.api_token_revoke(user=alice_admin, token_id=alice_token.pk)
    assert not ApiToken.objects.exists()


def test_user_password_set_changes_the_password_and_lifts_a_lockout(django_capture_on_commit_callbacks):
    user = UserFactory(email="dora@example.net")
    request = RequestFactory().post("/connexion", REMOTE_ADDR="10.0.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        authenticate(request=request, username="dora@example.net", password="mauvais")
    assert authenticate(request=request, username="dora@example.net", password="Pixorga2026") is None  # locked

    with django_capture_on_commit_callbacks(execute=True):
        services.user_password_set(user=user, password="NouveauSecret2026")

    assert authenticate(request=request, username="dora@example.net", password="NouveauSecret2026") == user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_signups_with_the_same_email_make_one_account(signup_data, monkeypatch):
    """Both pass the "already used?" check; the case-insensitive unique constraint lets only one through."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    outcomes = []
    original_check = services.email_check_available

    def check_then_wait(*, email):
        original_check(email=email)
        barrier.wait(timeout=10)  # both threads have seen "free" before either inserts

    def sign_up(email):
        try:
            services.user_create(**{**signup_data, "email": email})
            outcomes.append("created")
        except EmailAlreadyUsed:
            outcomes.append("EMAIL_ALREADY_USED")
        finally:
            connection.close()

    monkeypatch.setattr(services, "email_check_available", check_then_wait)
    threads = [threading.Thread(target=sign_up, args=(email,))
               for email in ("claire.lefevre@example.net", "Claire.Lefevre@EXAMPLE.net")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["EMAIL_ALREADY_USED", "created"]
    assert User.objects.filter(email="claire.lefevre@example.net").count() == 1
