import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import User

pytestmark = pytest.mark.django_db

HOME = "/"


def signup_post(data, **extra):
    return {**data, "accept_terms": "on" if data["accept_terms"] else "", **extra}


# --- Sign up ----------------------------------------------------------------------------------------------------------

def test_signup_page_explains_the_password_rule_and_links_to_login(client):
    response = client.get(reverse("accounts:signup"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "8 caractères minimum, dont une majuscule, une minuscule et un chiffre" in html
    assert "J&#x27;ai lu et j&#x27;accepte les conditions d&#x27;utilisation de Pix Orga" in html
    assert f'href="{reverse("accounts:login")}"' in html


def test_signup_creates_the_account_logs_in_and_lands_home(client, signup_data):
    response = client.post(reverse("accounts:signup"), signup_post(signup_data))

    assert response.status_code == 302 and response.url == HOME
    user = User.objects.get(email="claire.lefevre@example.net")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_follows_a_safe_next(client, signup_data):
    response = client.post(reverse("accounts:signup") + "?next=/rejoindre%3Ftoken%3Dabc", signup_post(signup_data))

    assert response.url == "/rejoindre?token=abc"


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "\\\\evil.example"])
def test_signup_ignores_a_next_pointing_elsewhere(client, signup_data, evil):
    response = client.post(reverse("accounts:signup"), signup_post(signup_data, next=evil))

    assert response.status_code == 302 and response.url == HOME


def test_signup_with_a_weak_password_shows_the_rule_and_creates_nothing(client, signup_data):
    response = client.post(reverse("accounts:signup"), signup_post({**signup_data, "password": "tournesol"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Le mot de passe doit contenir au moins une majuscule, une minuscule et un chiffre." in html
    assert not User.objects.exists()


def test_signup_without_accepting_the_terms_says_so(client, signup_data):
    response = client.post(reverse("accounts:signup"), signup_post({**signup_data, "accept_terms": False}))

    assert "Vous devez accepter les conditions d&#x27;utilisation de Pix" in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_an_email_already_used_offers_login_and_reset(client, signup_data, alice_admin):
    response = client.post(reverse("accounts:signup"),
                           signup_post({**signup_data, "email": "ALICE.Admin@example.net"}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail." in html
    assert f'href="{reverse("accounts:password_reset")}"' in html
    assert "Alice" not in html  # nothing more is revealed about the account
    assert User.objects.filter(email__iexact="alice.admin@example.net").count() == 1


# --- Log in / out -----------------------------------------------------------------------------------------------------

def test_login_with_a_mixed_case_email(client, alice_admin):
    response = client.post(reverse("accounts:login"), {"username": "  Alice.ADMIN@Example.net", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302 and response.url == HOME
    assert client.session["_auth_user_id"] == str(alice_admin.pk)


def test_login_with_a_wrong_password_says_what_to_do(client, alice_admin):
    response = client.post(reverse("accounts:login"), {"username": "alice.admin@example.net", "password": "Mauvais2026"})

    assert response.status_code == 200
    assert "L&#x27;adresse e-mail, l&#x27;identifiant ou le mot de passe est incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_keeps_next_in_the_form_and_links(client):
    response = client.get(reverse("accounts:login") + "?next=/organisations/3/equipe")

    html = response.content.decode()
    assert '<input type="hidden" name="next" value="/organisations/3/equipe">' in html
    assert reverse("accounts:signup") + "?next=/organisations/3/equipe" in html
    assert "Mot de passe oublié ?" in html


def test_login_follows_a_safe_next_and_ignores_an_external_one(client, alice_admin):
    credentials = {"username": "alice.admin@example.net", "password": DEFAULT_PASSWORD}
    assert client.post(reverse("accounts:login") + "?next=/organisations/3/equipe", credentials).url == "/organisations/3/equipe"
    client.logout()
    assert client.post(reverse("accounts:login") + "?next=https://evil.example/", credentials).url == HOME


def test_logout_needs_a_post_and_ends_the_session(client, alice_admin):
    client.force_login(alice_admin)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"), follow=True)

    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "Vous êtes déconnecté." in response.content.decode()


# --- Password reset ---------------------------------------------------------------------------------------------------

def test_password_reset_end_to_end_through_the_emailed_link(client, alice_admin, settings,
                                                            django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://orga.pix.example"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": "Alice.Admin@example.net"},
                               HTTP_HOST="localhost")
    assert response.url == reverse("accounts:password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice.admin@example.net"]
    assert message.subject == "Réinitialisation de votre mot de passe Pix Orga"
    assert "Bonjour Alice," in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = re.search(r"https://orga\.pix\.example(/mot-de-passe/\S+)", message.body).group(1)
    assert link in html

    page = client.get(link, follow=True)  # Django swaps the token for a session one, then shows the form
    assert "Choisissez un nouveau mot de passe" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": "Girafe2026Bleue", "new_password2": "Girafe2026Bleue"}, follow=True)
    assert "Votre nouveau mot de passe est enregistré." in done.content.decode()

    alice_admin.refresh_from_db()
    assert alice_admin.check_password("Girafe2026Bleue")
    assert client.post(reverse("accounts:login"), {"username": "alice.admin@example.net",
                                                   "password": "Girafe2026Bleue"}).url == HOME
    # The link works once.
    client.logout()
    assert "Ce lien n'est plus valable" in client.get(link, follow=True).content.decode()


def test_password_reset_ignores_the_host_header_for_the_link(client, alice_admin, settings,
                                                           django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://orga.pix.example"
    settings.ALLOWED_HOSTS = ["*"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "alice.admin@example.net"}, HTTP_HOST="attacker.example")

    assert "attacker.example" not in mail.outbox[0].body
    assert "attacker.example" not in mail.outbox[0].alternatives[0][0]


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client, alice_admin,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": "personne@example.net"})

    assert response.url == reverse("accounts:password_reset_done")
    # The address is queued as a known one would be (same answer, same time): the worker finds no account.
    assert len(callbacks) == 1 and mail.outbox == []


def test_password_reset_refuses_a_weak_new_password(client, alice_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "alice.admin@example.net"})
    link = re.search(r"(/mot-de-passe/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url

    response = client.post(form_url, {"new_password1": "girafe", "new_password2": "girafe"})

    assert "Le mot de passe doit contenir au moins une majuscule" in response.content.decode()
    alice_admin.refresh_from_db()
    assert alice_admin.check_password(DEFAULT_PASSWORD)


# --- Pix Orga terms page ----------------------------------------------------------------------------------------------

def test_anyone_may_read_the_terms_but_only_a_logged_in_person_accepts_them(client):
    response = client.get(reverse("accounts:terms"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "RGPD" in html and "Vous les acceptez en créant votre compte." in html
    assert "<form method=\"post\"" not in html.split("terms-text")[1]
    accepted = client.post(reverse("accounts:terms"))
    assert accepted.status_code == 302 and accepted.url.startswith(reverse("accounts:login"))


def test_signing_up_accepts_the_pix_orga_terms_once_with_a_link_to_read_them(client):
    form = client.get(reverse("accounts:signup")).content.decode()
    assert "J&#x27;ai lu et j&#x27;accepte les conditions d&#x27;utilisation de Pix Orga" in form
    assert f'href="{reverse("accounts:terms")}" target="_blank"' in form

    client.post(reverse("accounts:signup"), {"first_name": "Claire", "last_name": "Dupont", "email": "c@example.net",
                                             "password": "Moulin2026", "accept_terms": "on"})

    user = User.objects.get(email="c@example.net")
    assert user.pix_orga_terms_version == settings.PIX_ORGA_TERMS_VERSION and user.pix_orga_terms_accepted_at


def test_accepting_the_terms_records_the_version_and_follows_next(client, bob_member):
    User.objects.filter(pk=bob_member.pk).update(pix_orga_terms_version="")
    client.force_login(bob_member)

    page = client.get(reverse("accounts:terms") + "?next=/organisations/1/equipe")
    assert "RGPD" in page.content.decode()
    assert "J'accepte les conditions d'utilisation" in page.content.decode()

    response = client.post(reverse("accounts:terms"), {"next": "/organisations/1/equipe"})

    assert response.url == "/organisations/1/equipe"
    bob_member.refresh_from_db()
    assert bob_member.pix_orga_terms_version == settings.PIX_ORGA_TERMS_VERSION


def test_accepting_the_terms_ignores_an_external_next(client, bob_member):
    client.force_login(bob_member)

    assert client.post(reverse("accounts:terms"), {"next": "https://evil.example/"}).url == HOME


# --- Admin ------------------------------------------------------------------------------------------------------------

def test_admin_lists_and_searches_users_without_showing_password_hashes(client):
    staff = UserFactory(email="support@pix.example", is_staff=True, is_superuser=True)
    target = UserFactory(email="eve.recherche@example.net", last_name="Recherche")
    client.force_login(staff)

    listing = client.get(reverse("admin:accounts_user_changelist") + "?q=recherche")
    assert "eve.recherche@example.net" in listing.content.decode()
    detail = client.get(reverse("admin:accounts_user_change", args=[target.pk])).content.decode()
    assert target.password not in detail


def test_password_reset_emails_are_limited_per_address(client, alice_admin, django_capture_on_commit_callbacks):
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_reset"), {"email": "alice.admin@example.net"})
        assert response.url == reverse("accounts:password_reset_done")  # the page never tells

    assert len(mail.outbox) == 3
