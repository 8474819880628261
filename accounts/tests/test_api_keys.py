"""API keys die with the password that got them (change, reset by e-mail, one-time passwords of « Gérer le compte »,
the admin); a person lists and revokes their own keys (page and API); an optional lifetime."""

import datetime
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.factories import UserFactory
from accounts.models import ApiToken
from students.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def key_for(user, name="script") -> str:
    return services.api_token_create(user=user, name=name)[1]


def works(api_client, key) -> bool:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    status = api_client.get(reverse("api-me")).status_code
    api_client.credentials()
    return status == 200


@pytest.fixture
def lena(school):
    user = UserFactory(email=None, username="lena.cote1503", first_name="Léna", last_name="Côte")
    return LearnerFactory(organization=school, first_name="Léna", family_name="Côte",
                          birthdate=datetime.date(2012, 3, 15), division="6EME2", user=user, linked_at=timezone.now())


# --- Revoked on every password change or reset ---------------------------------------------------------------------

def test_a_reset_through_the_emailed_link_revokes_every_key(client, api_client, alice_admin,
                                                            django_capture_on_commit_callbacks):
    keys = [key_for(alice_admin), key_for(alice_admin, "ENT")]
    other = key_for(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "alice.admin@example.net"})
    link = re.search(r"https?://[^/\s]+(/mot-de-passe/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    client.post(form_url, {"new_password1": "Girafe2026Bleue", "new_password2": "Girafe2026Bleue"})

    assert not any(works(api_client, key) for key in keys)
    assert not ApiToken.objects.filter(user=alice_admin).exists()
    assert works(api_client, other)  # someone else's keys stay


def test_a_teachers_reset_of_a_students_password_revokes_the_students_keys(client, api_client, school, bob_member,
                                                                           lena):
    key = key_for(lena.user)
    client.force_login(bob_member)

    response = client.post(reverse("students:account", args=[school.pk, lena.pk]), {"action": "password"})

    assert response.status_code == 200
    assert not works(api_client, key)


def test_a_class_reset_revokes_every_students_keys(api_client, school, bob_member, lena):
    hugo = LearnerFactory(organization=school, division="6EME2", user=UserFactory(email="hugo@example.net"),
                          linked_at=timezone.now())
    keys = [key_for(lena.user), key_for(hugo.user)]
    teachers_key = key_for(bob_member)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {teachers_key}")

    response = api_client.post(f"/api/v1/organizations/{school.pk}/students/password-reset/",
                               {"division": "6EME2"}, format="json")

    assert response.status_code == 200
    assert not any(works(api_client, key) for key in keys)
    assert works(api_client, teachers_key)


def test_adding_a_username_with_a_one_time_password_revokes_the_keys(api_client, school, bob_member):
    hugo = LearnerFactory(organization=school, first_name="Hugo", family_name="Roy",
                          birthdate=datetime.date(2012, 1, 5), user=UserFactory(email="hugo@example.net"),
                          linked_at=timezone.now())
    key = key_for(hugo.user)
    api_client.force_authenticate(bob_member)

    assert api_client.post(f"/api/v1/organizations/{school.pk}/students/{hugo.pk}/account/username/").status_code == 201
    api_client.force_authenticate(None)
    assert not works(api_client, key)


def test_choosing_ones_password_through_the_api_keeps_only_the_key_that_did_it(api_client, school, bob_member, lena):
    api_client.force_authenticate(bob_member)
    one_time = api_client.post(f"/api/v1/organizations/{school.pk}/students/{lena.pk}/account/password-reset/")
    api_client.force_authenticate(None)
    first = api_client.post(reverse("api-auth-token"), {"login": "lena.cote1503",
                                                        "password": one_time.json()["password"]}, format="json")
    second = api_client.post(reverse("api-auth-token"), {"login": "lena.cote1503",
                                                         "password": one_time.json()["password"]}, format="json")
    key, other = first.json()["token"], second.json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    chosen = api_client.post(reverse("api-me-password"), {"password": "Girafe2026Bleue"}, format="json")
    assert chosen.status_code == 204

    assert works(api_client, key)  # the student goes on with the key that chose the password
    assert not works(api_client, other)


def test_choosing_ones_password_on_the_page_revokes_the_keys(client, api_client, school, bob_member, lena):
    key = key_for(lena.user)
    user = lena.user
    user.must_change_password = True
    user.save()
    client.force_login(user)

    client.post(reverse("accounts:password_choose"), {"new_password1": "Girafe2026Bleue",
                                                      "new_password2": "Girafe2026Bleue"})

    user.refresh_from_db()
    assert user.check_password("Girafe2026Bleue")
    assert not works(api_client, key)


def test_staff_changing_a_password_in_the_admin_revokes_the_keys(client, api_client, alice_admin):
    key = key_for(alice_admin)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(reverse("admin:auth_user_password_change", args=[alice_admin.pk]),
                           {"password1": "Girafe2026Bleue", "password2": "Girafe2026Bleue",
                            "usable_password": "true"})

    assert response.status_code == 302
    assert not works(api_client, key)


# --- Listing and revoking one's own keys: the API ------------------------------------------------------------------

def test_the_api_lists_my_keys_without_the_keys_themselves(api_client, alice_admin, bob_member):
    key = key_for(alice_admin, "script SIECLE")
    key_for(alice_admin, "ENT")
    key_for(bob_member)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    listed = api_client.get(reverse("api-me-api-keys")).json()

    assert [k["name"] for k in listed] == ["ENT", "script SIECLE"]
    assert [k["current"] for k in listed] == [False, True]
    assert listed[1]["prefix"] == key[:8] and listed[1]["expires_at"] is None
    assert key not in str(listed)


def test_the_api_revokes_one_of_my_keys_and_not_someone_elses(api_client, alice_admin, bob_member):
    mine, spare = key_for(alice_admin), key_for(alice_admin, "ENT")
    bobs = key_for(bob_member)
    spare_id = ApiToken.objects.get(name="ENT").pk
    bobs_id = ApiToken.objects.get(user=bob_member).pk
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {mine}")

    assert api_client.delete(reverse("api-me-api-key", args=[spare_id])).status_code == 204
    refused = api_client.delete(reverse("api-me-api-key", args=[bobs_id]))

    assert (refused.status_code, refused.json()["code"]) == (404, "NOT_FOUND")
    assert not works(api_client, spare)
    assert works(api_client, bobs) and works(api_client, mine)


def test_listing_keys_needs_authentication(api_client):
    assert api_client.get(reverse("api-me-api-keys")).status_code == 401


# --- The page under the account settings ---------------------------------------------------------------------------

def test_the_page_lists_my_keys_and_revokes_one(client, api_client, alice_admin, bob_member):
    key = key_for(alice_admin, "script SIECLE")
    bobs = key_for(bob_member, "clé de Bob")
    client.force_login(alice_admin)

    page = client.get(reverse("accounts:api_keys"))
    html = page.content.decode()
    assert "Mes clés d'API" in html and f"{key[:8]}…" in html and "script SIECLE" in html
    assert "clé de Bob" not in html and key not in html
    assert "no-store" in page["Cache-Control"]

    token_id = ApiToken.objects.get(user=alice_admin).pk
    done = client.post(reverse("accounts:api_key_revoke", args=[token_id]), follow=True)
    assert "La clé est révoquée" in done.content.decode()
    assert "Vous n'avez aucune clé d'API." in done.content.decode()
    assert not works(api_client, key)

    # Bob's key cannot be revoked from Alice's session.
    client.post(reverse("accounts:api_key_revoke", args=[ApiToken.objects.get(user=bob_member).pk]))
    assert works(api_client, bobs)


def test_the_page_revokes_all_my_keys(client, api_client, alice_admin):
    keys = [key_for(alice_admin), key_for(alice_admin, "ENT")]
    client.force_login(alice_admin)

    assert "Révoquer toutes mes clés (2)" in client.get(reverse("accounts:api_keys")).content.decode()
    done = client.post(reverse("accounts:api_keys_revoke_all"), follow=True)

    assert "Toutes vos clés sont révoquées." in done.content.decode()
    assert not any(works(api_client, key) for key in keys)


def test_the_page_needs_a_login_and_not_the_schools_terms(client, alice_admin, settings):
    assert client.get(reverse("accounts:api_keys")).status_code == 302
    settings.PIX_ORGA_TERMS_VERSION = "2099-01"
    client.force_login(alice_admin)
    assert client.get(reverse("accounts:api_keys")).status_code == 200


# --- Optional lifetime ----------------------------------------------------------------------------------------------

def test_keys_never_expire_by_default(api_client, alice_admin):
    key = key_for(alice_admin)
    ApiToken.objects.update(created_at=timezone.now() - timedelta(days=3650))

    assert works(api_client, key)


def test_a_key_older_than_the_max_age_is_refused(api_client, alice_admin, settings):
    settings.API_KEY_MAX_AGE_DAYS = 30
    old, recent = key_for(alice_admin, "vieille"), key_for(alice_admin, "récente")
    ApiToken.objects.filter(name="vieille").update(created_at=timezone.now() - timedelta(days=30, minutes=1))
    ApiToken.objects.filter(name="récente").update(created_at=timezone.now() - timedelta(days=29))

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    response = api_client.get(reverse("api-me"))
    assert response.status_code == 401
    assert response.json()["code"] == "API_KEY_EXPIRED" and "a expiré" in response.json()["detail"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {recent}")
    listed = api_client.get(reverse("api-me-api-keys")).json()
    assert [k["name"] for k in listed] == ["récente", "vieille"]
    assert listed[0]["expires_at"] is not None


def test_manage_py_changepassword_revokes_the_keys_and_an_aborted_change_keeps_them(api_client, alice_admin,
                                                                                  monkeypatch):
    from django.core.management import CommandError, call_command

    from django.contrib.auth.management.commands.changepassword import Command

    key = key_for(alice_admin)
    typed = iter(["Tout-autre-mot-2026", "Pas le meme mot 2026"] * 3)
    monkeypatch.setattr(Command, "_get_pass", lambda self, prompt="": next(typed))
    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", alice_admin.email, stdout=io.StringIO())
    assert works(api_client, key)  # nothing changed, nothing revoked

    typed = iter(["Tout-autre-mot-2026"] * 2)
    call_command("changepassword", alice_admin.email, stdout=io.StringIO())

    alice_admin.refresh_from_db()
    assert alice_admin.check_password("Tout-autre-mot-2026")
    assert not works(api_client, key) and not ApiToken.objects.filter(user=alice_admin).exists()
