"""What people type is bounded and cleaned on every path: passwords capped at one length (sign-up, reset, choosing
one's own after a one-time password, the API), invisible characters (zero-width, bidirectional controls) stripped
from names (sign-up, invitation sign-up, campaign sign-up and « Qui êtes-vous ? »), full-width campaign codes read."""

import datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import User
from accounts.services import user_one_time_password_set
from accounts.validators import PASSWORD_MAX_LENGTH
from campaigns.codes import campaign_code_normalize
from campaigns.factories import CampaignFactory
from campaigns.models import Participation
from invitations.factories import InvitationFactory
from pixorga.text import name_clean
from students.factories import LearnerFactory

TOO_LONG = "Aa1" + "x" * (PASSWORD_MAX_LENGTH - 2)  # 129 characters, otherwise a good password
LONGEST = "Aa1" + "x" * (PASSWORD_MAX_LENGTH - 3)   # 128
CAP_MESSAGE = f"Le mot de passe ne doit pas dépasser {PASSWORD_MAX_LENGTH} caractères."
ZW_NAME = "L\u200be\u200d\u0301a\u202e\u2066"       # « Léa » with a zero-width space and joiner, RLO, LRI
BIRTHDATE = datetime.date(2011, 3, 14)


def text(response) -> str:
    return response.content.decode()


def test_name_clean_strips_invisible_characters_and_composes():
    assert name_clean(ZW_NAME) == "Léa"
    assert name_clean("  Jean\u00ad-\u200fPierre \ufeff ") == "Jean-Pierre"
    assert name_clean("D'Artagnan\u2069  du   Pont") == "D'Artagnan du Pont"


@pytest.mark.django_db
def test_sign_up_refuses_a_password_past_the_cap_and_takes_the_longest(client):
    form = {"first_name": "Léa", "last_name": "Cote", "email": "lea@example.net", "accept_terms": "on"}

    refused = client.post(reverse("accounts:signup"), {**form, "password": TOO_LONG})
    assert refused.status_code == 200 and not User.objects.exists()
    assert "128 caractères" in text(refused)

    client.post(reverse("accounts:signup"), {**form, "password": LONGEST})
    assert User.objects.get().check_password(LONGEST)


@pytest.mark.django_db
def test_api_sign_up_and_token_refuse_a_password_past_the_cap(api_client, alice_admin):
    signup = api_client.post(reverse("api-accounts-create"), {
        "email": "lea@example.net", "password": TOO_LONG, "first_name": "Léa", "last_name": "Cote",
        "accept_terms": True}, format="json")
    assert signup.status_code == 400 and signup.json()["code"] == "VALIDATION_ERROR"
    assert "password" in signup.json()["errors"]
    assert not User.objects.filter(email="lea@example.net").exists()

    token = api_client.post(reverse("api-auth-token"), {"login": alice_admin.email, "password": "A1" + "a" * 5000},
                            format="json")
    assert token.status_code == 400


def test_the_reset_link_refuses_a_password_past_the_cap(client, alice_admin):
    uid = urlsafe_base64_encode(force_bytes(alice_admin.pk))
    token = default_token_generator.make_token(alice_admin)
    form_url = client.get(reverse("accounts:password_reset_confirm", args=[uid, token])).url

    refused = client.post(form_url, {"new_password1": TOO_LONG, "new_password2": TOO_LONG})

    assert CAP_MESSAGE in text(refused)
    alice_admin.refresh_from_db()
    assert alice_admin.check_password(DEFAULT_PASSWORD)


def test_choosing_ones_own_after_a_one_time_password_is_capped_too(client, api_client, school):
    student = UserFactory(email=None, username="lena.cote1503")
    one_time = user_one_time_password_set(user=student)
    client.post(reverse("accounts:login"), {"username": "lena.cote1503", "password": one_time})

    refused = client.post(reverse("accounts:password_choose"), {"new_password1": TOO_LONG, "new_password2": TOO_LONG})
    assert refused.status_code == 400 and CAP_MESSAGE in text(refused)

    api_client.force_authenticate(student)
    api = api_client.post(reverse("api-me-password"), {"password": TOO_LONG}, format="json")
    assert api.status_code == 400
    student.refresh_from_db()
    assert student.must_change_password and student.check_password(one_time)


@pytest.mark.django_db
def test_names_are_stored_without_invisible_characters_at_sign_up(client, api_client):
    client.post(reverse("accounts:signup"), {"first_name": ZW_NAME, "last_name": "Co\u200bte\u202e",
                                             "email": "lea@example.net", "password": "Girafe2026", "accept_terms": "on"})
    api_client.post(reverse("api-accounts-create"), {
        "email": "lea2@example.net", "password": "Girafe2026", "first_name": ZW_NAME, "last_name": "\u2067Cote",
        "accept_terms": True}, format="json")

    assert sorted(User.objects.values_list("first_name", "last_name")) == [("Léa", "Cote"), ("Léa", "Cote")]


def test_names_are_cleaned_at_an_invitation_sign_up(client, school):
    raw = InvitationFactory(organization=school, email="prof@example.net").raw_token

    client.post(f"{reverse('invitations:join')}?token={raw}", {
        "token": raw, "action": "signup", "signup-first_name": ZW_NAME, "signup-last_name": "Mar\u200ctin",
        "signup-email": "prof@example.net", "signup-password": "Girafe2026", "signup-accept_terms": "on"})

    assert User.objects.filter(email="prof@example.net").values_list("first_name", "last_name").get() == (
        "Léa", "Martin")


def test_typed_details_with_invisible_characters_still_find_the_student(client, school, alice_admin):
    lea = LearnerFactory(organization=school, first_name="Léa", family_name="Cote", birthdate=BIRTHDATE)
    campaign = CampaignFactory(organization=school, owner=alice_admin)
    student = UserFactory(email="lea@example.net", first_name="Lea", last_name="Cote")
    client.force_login(student)
    typed = {"first_name": ZW_NAME, "last_name": "\u202eCote\u200b", "day": "14", "month": "3", "year": "2011"}

    client.post(reverse("join:confirm", args=[campaign.code]), typed)

    assert Participation.objects.get().learner_id == lea.pk


@pytest.mark.parametrize("typed", ["ＱＷＥＲＴＹ２３４", "ｑｗｅ－ｒｔｙ　２３４", "QWERTY２３４"])
def test_full_width_campaign_codes_are_read_as_plain_ones(typed):
    assert campaign_code_normalize(typed) == "QWERTY234"


def test_a_full_width_code_leads_to_the_campaign(client, school, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin)
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in campaign.code)

    response = client.post(reverse("join:code"), {"code": full_width})

    assert response.status_code == 302 and response.url == reverse("join:landing", args=[campaign.code])
