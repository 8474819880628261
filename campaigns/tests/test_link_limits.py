"""Birthdate guessing across accounts: failures limited per school and typed name (and the learner it designates,
whatever the spelling), whatever the account or address; sign-ups throttled per address on every path; a class of
35 behind its school's one address still signs up and joins at once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import User
from campaigns.errors import NoMatchingLearner, TooManyAttempts
from campaigns.factories import CampaignFactory
from campaigns.models import LinkAttempt, Participation
from campaigns.services.joining import campaign_join
from invitations.factories import InvitationFactory
from organizations.factories import OrganizationFactory
from pixorga.testing import run_together
from students.factories import LearnerFactory

BIRTHDATE = datetime.date(2012, 3, 15)
PASSWORD = "Girafe2026"


@pytest.fixture
def campaign(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée")


@pytest.fixture
def lena(school):
    return LearnerFactory(organization=school, first_name="Léna", family_name="Côte", birthdate=BIRTHDATE,
                          division="6EME2")


def wrong_day(n: int) -> datetime.date:
    return BIRTHDATE + datetime.timedelta(days=n + 1)


def link_form(day: datetime.date, first_name="Lena", last_name="Cote") -> dict:
    return {"first_name": first_name, "last_name": last_name, "day": day.day, "month": day.month,
            "year": day.year}


def text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_fresh_accounts_trying_birthdates_one_after_another_never_reach_the_students_name(campaign, lena):
    for n in range(10):  # ten fresh accounts, one wrong birthdate each, each from its own address
        client = Client(REMOTE_ADDR=f"198.51.100.{n}")
        client.force_login(UserFactory())
        refused = client.post(reverse("join:link", args=[campaign.code]), link_form(wrong_day(n)))
        assert refused.status_code == 404 and "Vérifiez vos informations" in text(refused)

    client = Client(REMOTE_ADDR="192.0.2.77")
    client.force_login(UserFactory())
    response = client.post(reverse("join:link", args=[campaign.code]), link_form(BIRTHDATE))  # the right one

    assert response.status_code == 429
    assert "Vous avez fait trop d&#x27;essais. Réessayez dans" in text(response)
    assert "Léna" not in text(response) and "Côte" not in text(response)
    assert LinkAttempt.objects.filter(outcome="RATE_LIMITED").count() == 1
    assert not LinkAttempt.objects.filter(outcome="CHECKED").exists()


@pytest.mark.django_db
def test_spelling_variants_count_against_the_student_they_designate(campaign, lena):
    variants = [("Lena", "Cote"), ("Léna", "Côte"), ("lena", "cotte"), ("Lenna", "Cote"), ("LENA", "COTE-"),
                ("Lena", "Cotes"), ("Léna", "Coté"), ("Lina", "Cote"), ("Lena", "Kote"), ("Leina", "Cote")]
    for n, (first, last) in enumerate(variants):
        with pytest.raises(NoMatchingLearner):
            campaign_join(campaign=campaign, user=UserFactory(), first_name=first, last_name=last,
                          birthdate=wrong_day(n), confirm=False)

    with pytest.raises(TooManyAttempts):
        campaign_join(campaign=campaign, user=UserFactory(), first_name="Lena", last_name="Cote",
                      birthdate=BIRTHDATE, confirm=False)
    assert set(LinkAttempt.objects.filter(outcome="NO_MATCH").values_list("learner", flat=True)) == {lena.pk}


@pytest.mark.django_db
def test_the_limit_is_per_student_another_student_of_the_school_is_not_affected(campaign, lena, school):
    noah = LearnerFactory(organization=school, first_name="Noah", family_name="Martin",
                          birthdate=datetime.date(2012, 6, 1))
    for n in range(10):
        with pytest.raises(NoMatchingLearner):
            campaign_join(campaign=campaign, user=UserFactory(), first_name="Lena", last_name="Cote",
                          birthdate=wrong_day(n), confirm=False)

    outcome = campaign_join(campaign=campaign, user=UserFactory(), first_name="Noah", last_name="Martin",
                            birthdate=noah.birthdate, confirm=False)
    assert outcome.learner == noah


@pytest.mark.django_db
def test_students_without_an_account_rotating_browsers_and_addresses_are_limited_by_name(campaign, lena):
    url = reverse("join:landing", args=[campaign.code])

    def identify(client, day):
        return client.post(url, {"action": "signup_identify", "signup-first_name": "Lena",
                                 "signup-last_name": "Cote", "signup-day": day.day, "signup-month": day.month,
                                 "signup-year": day.year})

    for n in range(10):
        assert identify(Client(REMOTE_ADDR=f"198.51.100.{n}"), wrong_day(n)).status_code == 404
    response = identify(Client(REMOTE_ADDR="192.0.2.1"), BIRTHDATE)
    assert response.status_code == 429 and "Réessayez dans" in text(response)
    assert "Bonjour Léna" not in text(response)


# --- Sign-ups throttled per address, on every path --------------------------------------------------------------

def _signup_inscription(n, school):
    return Client().post(reverse("accounts:signup"), {
        "first_name": "Zoé", "last_name": "Martin", "email": f"zoe{n}@ecole.fr", "password": PASSWORD,
        "accept_terms": "on"}).status_code


def _signup_invitation(n, school):
    invitation = InvitationFactory(organization=school, email=f"prof{n}@ecole.fr")
    return Client().post(reverse("invitations:join"), {
        "token": invitation.raw_token, "action": "signup", "signup-first_name": "Zoé",
        "signup-last_name": "Martin", "signup-email": f"prof{n}@ecole.fr", "signup-password": PASSWORD,
        "signup-accept_terms": "on"}).status_code


def _signup_open_campaign(n, school):
    campaign = CampaignFactory(organization=OrganizationFactory(type="PRO", is_managing_students=False))
    return Client().post(f"/campagnes/{campaign.code}", {
        "action": "signup", "signup-first_name": "Zoé", "signup-last_name": "Martin",
        "signup-email": f"libre{n}@ecole.fr", "signup-password": PASSWORD, "signup-accept_terms": "on"}).status_code


def _signup_reserved_campaign(n, school):
    learner = LearnerFactory(organization=school, first_name="Élève", family_name=f"Numéro{'x' * n}",
                             birthdate=datetime.date(2011, 1, 1 + n))
    campaign = CampaignFactory(organization=school)
    return Client().post(f"/campagnes/{campaign.code}", {
        "action": "signup_create", "signup-first_name": learner.first_name, "signup-last_name": learner.family_name,
        "signup-day": learner.birthdate.day, "signup-month": 1, "signup-year": 2011, "signup-login_kind": "username",
        "signup-password": PASSWORD, "signup-accept_terms": "on"}).status_code


def _signup_api(n, school):
    return APIClient().post(reverse("api-accounts-create"), {
        "first_name": "Zoé", "last_name": "Martin", "email": f"api{n}@ecole.fr", "password": PASSWORD,
        "accept_terms": True}, format="json").status_code


def _signup_api_campaign(n, school):
    learner = LearnerFactory(organization=school, first_name="Api", family_name=f"Eleve{'y' * n}",
                             birthdate=datetime.date(2011, 2, 1 + n))
    campaign = CampaignFactory(organization=school)
    return APIClient().post(f"/api/v1/campaigns/code/{campaign.code}/signup/", {
        "first_name": learner.first_name, "last_name": learner.family_name, "birthdate": str(learner.birthdate),
        "password": PASSWORD, "accept_terms": True, "username": True}, format="json").status_code


PATHS = [_signup_inscription, _signup_invitation, _signup_open_campaign, _signup_reserved_campaign, _signup_api,
         _signup_api_campaign]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.__name__)
def test_every_sign_up_path_creates_an_account_and_counts_against_the_address(settings, school, path):
    settings.LIMIT_SIGNUPS_ADDRESS = "2/hour"
    assert path(1, school) in (201, 302)
    assert path(2, school) in (201, 302)
    assert path(3, school) == 429  # the third account from this address waits


@pytest.mark.django_db
def test_the_sign_up_paths_share_one_count_and_say_when_to_retry(settings, school):
    settings.LIMIT_SIGNUPS_ADDRESS = "6/hour"
    for n, path in enumerate(PATHS):
        assert path(n, school) in (201, 302), path.__name__
    page = Client().post(reverse("accounts:signup"), {
        "first_name": "Zoé", "last_name": "Martin", "email": "zoe.tard@ecole.fr", "password": PASSWORD,
        "accept_terms": "on"})
    assert page.status_code == 429
    assert "Trop de comptes ont été créés depuis cette connexion. Réessayez dans" in text(page)
    api = APIClient().post(reverse("api-accounts-create"), {
        "first_name": "Zoé", "last_name": "Martin", "email": "api.tard@ecole.fr", "password": PASSWORD,
        "accept_terms": True}, format="json")
    assert api.status_code == 429 and api.json()["code"] == "TOO_MANY_REQUESTS" and "Réessayez" in api.json()["detail"]
    # Another address is not affected.
    other = Client(REMOTE_ADDR="198.51.100.200").post(reverse("accounts:signup"), {
        "first_name": "Zoé", "last_name": "Martin", "email": "zoe.ailleurs@ecole.fr", "password": PASSWORD,
        "accept_terms": "on"})
    assert other.status_code == 302


# --- A class of 35 behind one address -----------------------------------------------------------------------------

def _class_of_35(school):
    return [LearnerFactory(organization=school, first_name=f"Élève{chr(65 + n // 26)}{chr(65 + n % 26)}",
                           family_name="Classe", birthdate=datetime.date(2012, 1 + n % 12, 1 + n // 12))
            for n in range(35)]


@pytest.mark.django_db
def test_a_class_of_35_behind_one_address_mistypes_signs_up_and_joins(campaign, school):
    students = _class_of_35(school)
    url = reverse("join:landing", args=[campaign.code])
    for learner in students:
        client = Client()  # every one from 127.0.0.1
        identity = {"signup-first_name": learner.first_name, "signup-last_name": learner.family_name,
                    "signup-day": learner.birthdate.day, "signup-month": learner.birthdate.month,
                    "signup-year": learner.birthdate.year}
        mistyped = client.post(url, {"action": "signup_identify", **identity, "signup-year": 2013})
        assert mistyped.status_code == 404
        created = client.post(url, {"action": "signup_create", **identity, "signup-login_kind": "username",
                                    "signup-password": PASSWORD, "signup-accept_terms": "on"})
        assert created.status_code == 201, text(created)
        started = client.post(url, {"action": "start"})
        assert started.status_code == 302
    assert Participation.objects.filter(campaign=campaign).count() == 35


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_class_of_35_signs_up_through_the_api_at_the_same_instant_from_one_address():
    school = OrganizationFactory(name="Collège Pix")
    campaign = CampaignFactory(organization=school, owner=UserFactory())
    students = _class_of_35(school)

    def sign_up(i):
        learner = students[i]
        return APIClient().post(f"/api/v1/campaigns/code/{campaign.code}/signup/", {
            "first_name": learner.first_name, "last_name": learner.family_name,
            "birthdate": str(learner.birthdate), "password": PASSWORD, "accept_terms": True, "username": True,
        }, format="json").status_code

    results = run_together(sign_up, 35)
    assert [value for _, value in results] == [201] * 35, results
    assert User.objects.filter(username__isnull=False).count() == 35


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_guesses_from_fresh_accounts_never_pass_the_name_limit():
    school = OrganizationFactory(name="Collège Pix")
    campaign = CampaignFactory(organization=school, owner=UserFactory())
    lena = LearnerFactory(organization=school, first_name="Léna", family_name="Côte", birthdate=BIRTHDATE)
    accounts = [UserFactory() for _ in range(16)]

    def guess(i):
        return campaign_join(campaign=campaign, user=accounts[i], first_name="Lena", last_name="Cote",
                             birthdate=wrong_day(i), confirm=False)

    results = run_together(guess, 16)

    errors = [type(value).__name__ for kind, value in results if kind == "error"]
    assert len(errors) == 16
    assert errors.count("NoMatchingLearner") == 10 and errors.count("TooManyAttempts") == 6, errors
    assert LinkAttempt.objects.filter(outcome="NO_MATCH", learner=lena).count() == 10
    with pytest.raises(TooManyAttempts):
        campaign_join(campaign=campaign, user=UserFactory(), first_name="Léna", last_name="Côte",
                      birthdate=BIRTHDATE, confirm=False)
