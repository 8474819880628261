"""Signing up from a reserved campaign's page: who am I first, then « Mon identifiant » or « Mon adresse e-mail »."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import User
from campaigns.factories import CampaignFactory
from campaigns.models import LinkAttempt, Participation
from organizations.factories import OrganizationFactory
from students.factories import LearnerFactory
from students.models import Learner

pytestmark = pytest.mark.django_db

BIRTHDATE = datetime.date(2012, 3, 15)
PASSWORD = "Girafe2026"
IDENTITY = {"signup-first_name": "Lena", "signup-last_name": "Cote", "signup-day": "15", "signup-month": "3",
            "signup-year": "2012"}


@pytest.fixture
def campaign(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée")


@pytest.fixture
def lena(school):
    return LearnerFactory(organization=school, first_name="Léna", family_name="Côte", birthdate=BIRTHDATE,
                          division="6EME2", ine="123456789AB")


def landing(campaign) -> str:
    return reverse("join:landing", args=[campaign.code])


def identify(client, campaign, **extra):
    return client.post(landing(campaign), {"action": "signup_identify", **IDENTITY, **extra})


def create(client, campaign, **extra):
    data = {"action": "signup_create", **IDENTITY, "signup-login_kind": "username", "signup-password": PASSWORD,
            "signup-accept_terms": "on", **extra}
    return client.post(landing(campaign), data)


def text(response) -> str:
    return response.content.decode()


def test_on_a_reserved_campaign_the_sign_up_tab_asks_who_you_are_first(client, campaign):
    page = text(client.get(landing(campaign) + "?etape=compte"))

    panel = page[page.index('id="panel-inscription"'):page.index('id="panel-connexion"')]
    assert 'name="signup-first_name"' in panel and 'name="signup-day"' in panel
    assert 'name="signup-email"' not in panel and 'name="signup-password"' not in panel
    assert "comme votre établissement vous connaît" in panel
    assert "Adresse e-mail ou identifiant" in page  # the log-in tab


def test_once_found_the_student_chooses_how_to_log_in_with_the_username_shown(client, campaign, lena):
    response = identify(client, campaign)

    page = text(response)
    assert response.status_code == 200
    assert "Bonjour Léna, nous avons retrouvé votre fiche" in page
    assert "Mon identifiant" in page and "Mon adresse e-mail" in page
    assert "lena.cote1503" in page
    assert 'name="signup-password"' in page and 'name="signup-email"' in page
    assert 'type="hidden" name="signup-year" value="2012"' in page  # what was typed goes on in the form only
    assert not User.objects.filter(memberships__isnull=True).exists()
    assert LinkAttempt.objects.get().outcome == "CHECKED"


def test_with_mon_identifiant_the_account_is_created_linked_and_the_username_shown(client, campaign, lena):
    response = create(client, campaign)

    assert response.status_code == 201
    page = text(response)
    assert "votre compte est créé" in page and "lena.cote1503" in page and "Notez-le bien" in page
    user = User.objects.get(username="lena.cote1503")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Learner.objects.get(pk=lena.pk).user == user

    started = client.post(landing(campaign), {"action": "start"})
    participation = Participation.objects.get(user=user)
    assert started.url == reverse("learner:participation", args=[participation.pk])
    assert participation.learner_id == lena.pk


def test_with_mon_adresse_e_mail_the_participation_starts_at_once(client, campaign, lena):
    response = create(client, campaign, **{"signup-login_kind": "email", "signup-email": "Lena@Example.net"})

    user = User.objects.get(email="lena@example.net")
    participation = Participation.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == reverse("learner:participation", args=[participation.pk])
    assert user.username is None and participation.learner_id == lena.pk


def test_mon_adresse_e_mail_without_an_address_says_what_to_do(client, campaign, lena):
    response = create(client, campaign, **{"signup-login_kind": "email"})

    assert response.status_code == 400
    assert "Indiquez votre adresse e-mail, ou choisissez « Mon identifiant »." in text(response)
    assert not User.objects.filter(memberships__isnull=True).exists()


def test_a_weak_password_keeps_the_student_on_the_second_step(client, campaign, lena):
    response = create(client, campaign, **{"signup-password": "girafe"})

    page = text(response)
    assert response.status_code == 400
    assert "au moins une majuscule, une minuscule et un chiffre" in page
    assert "Bonjour Léna" in page and "lena.cote1503" in page
    assert not User.objects.filter(memberships__isnull=True).exists()


def test_a_record_not_found_is_said_on_the_first_step(client, campaign, lena):
    response = identify(client, campaign, **{"signup-year": "2011"})

    page = text(response)
    assert response.status_code == 404
    assert "Vérifiez vos informations (prénom, nom et date de naissance) ou contactez un enseignant." in page
    assert 'value="Lena"' in page  # typed details kept
    assert LinkAttempt.objects.get().outcome == "NO_MATCH"


def test_s52_says_to_log_in_with_the_masked_username(client, campaign, lena):
    accounts_user = UserFactory(email=None, username="lena.cote1503")
    Learner.objects.filter(pk=lena.pk).update(user=accounts_user, linked_at=timezone.now())

    response = identify(client, campaign)

    page = text(response)
    assert response.status_code == 409
    assert "Vous avez déjà un compte Pix dans cet établissement : l&#x27;identifiant l***.c***1503." in page
    assert "Demandez à votre enseignant de le réinitialiser." in page
    assert "Je me connecte avec ce compte" in page
    assert "S52" not in page and "Code :" not in page  # the reference code stays in the API and the logs
    assert "lena.cote1503" not in page


def test_the_sixth_failure_of_a_browser_is_refused(client, campaign, lena):
    for _ in range(5):
        identify(client, campaign, **{"signup-year": "2010"})

    response = identify(client, campaign)

    assert response.status_code == 429 and "Vous avez fait trop d&#x27;essais" in text(response)


def test_a_campaign_that_is_not_reserved_keeps_the_e_mail_sign_up(client, alice_admin):
    workshop = OrganizationFactory(is_managing_students=False)
    campaign = CampaignFactory(organization=workshop, owner=alice_admin)

    page = text(client.get(landing(campaign) + "?etape=compte"))
    response = client.post(landing(campaign), {"action": "signup_identify", **IDENTITY})

    assert 'name="signup-email"' in page and 'name="signup-day"' not in page
    assert response.status_code == 200 and not LinkAttempt.objects.exists()


def test_logging_in_with_the_username_on_the_campaign_page_joins(client, campaign, lena):
    user = UserFactory(email=None, username="lena.cote1503")
    Learner.objects.filter(pk=lena.pk).update(user=user, linked_at=timezone.now())

    response = client.post(landing(campaign), {"action": "login", "username": "Lena.Cote1503",
                                               "password": DEFAULT_PASSWORD})

    participation = Participation.objects.get(user=user)
    assert response.url == reverse("learner:participation", args=[participation.pk])


def test_a_one_time_password_on_the_campaign_page_asks_for_a_new_one_first(client, campaign, lena):
    user = UserFactory(email=None, username="lena.cote1503")
    Learner.objects.filter(pk=lena.pk).update(user=user, linked_at=timezone.now())
    one_time = accounts.user_one_time_password_set(user=user)

    response = client.post(landing(campaign), {"action": "login", "username": "lena.cote1503",
                                               "password": one_time}, follow=True)

    assert response.redirect_chain[-1][0] == (reverse("accounts:password_choose") + "?next="
                                              + landing(campaign).replace("/", "%2F"))
    assert not Participation.objects.exists()  # nothing else before the new password
    chosen = client.post(response.redirect_chain[-1][0],
                         {"new_password1": PASSWORD, "new_password2": PASSWORD, "next": landing(campaign)})
    assert chosen.url == landing(campaign)
    assert "Je commence" in text(client.get(chosen.url))


def test_the_pages_show_the_username_of_a_logged_in_student_without_email(client, campaign, lena):
    user = UserFactory(email=None, username="lena.cote1503")
    client.force_login(user)

    landing_page = text(client.get(landing(campaign)))
    confirm_page = text(client.post(reverse("join:link", args=[campaign.code]),
                                    {"first_name": "Lena", "last_name": "Cote", "day": "15", "month": "3",
                                     "year": "2012"}))

    assert "Vous utilisez le compte lena.cote1503." in landing_page
    assert "Le compte <strong>lena.cote1503</strong> va être associé à l'élève" in confirm_page
    assert "None" not in landing_page and "None" not in confirm_page
