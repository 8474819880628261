"""Signing up from a reserved campaign (services): the record found first, the account created already linked,
the S51/S52/S61/S62 refusals with the other login masked, the limits without an account."""

import datetime

import pytest
from django.utils import timezone

from accounts.errors import EmailAlreadyUsed, InvalidPassword, TermsNotAccepted
from accounts.factories import UserFactory
from accounts.models import User
from campaigns.errors import (
    CampaignArchived,
    CampaignNotReserved,
    LinkConflict,
    LoginChoiceRequired,
    NoMatchingLearner,
    TooManyAttempts,
)
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, LinkAttempt
from campaigns.services.joining import campaign_join
from campaigns.services.signup import campaign_signup, campaign_signup_check
from organizations.factories import OrganizationFactory
from students.factories import LearnerFactory
from students.models import LearnerLinkEvent

pytestmark = pytest.mark.django_db

BIRTHDATE = datetime.date(2012, 3, 15)
PASSWORD = "Girafe2026"
CLIENT = {"client": "session-a", "address": "address-a"}


@pytest.fixture
def campaign(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin, name="Rentrée 6e")


@pytest.fixture
def lena(school):
    return LearnerFactory(organization=school, first_name="Léna", family_name="Côte", birthdate=BIRTHDATE,
                          division="6EME2", ine="123456789AB")


def check(campaign, *, first_name="lena", last_name="COTE", birthdate=BIRTHDATE, **client):
    return campaign_signup_check(campaign=campaign, first_name=first_name, last_name=last_name, birthdate=birthdate,
                                 **(client or CLIENT))


def signup(campaign, *, first_name="Lena", last_name="Cote", birthdate=BIRTHDATE, password=PASSWORD, email=None,
           username=None, accept_terms=True, **client):
    if email is None and username is None:
        username = True
    return campaign_signup(campaign=campaign, first_name=first_name, last_name=last_name, birthdate=birthdate,
                           password=password, accept_terms=accept_terms, email=email, username=bool(username),
                           **(client or CLIENT))


def student_accounts():
    """Accounts created by the tests' sign-ups (the campaign's owner is a member of the school)."""
    return User.objects.filter(memberships__isnull=True)


def refusal(call) -> LinkConflict:
    with pytest.raises(LinkConflict) as raised:
        call()
    return raised.value


# --- Found first, then created already linked -----------------------------------------------------------------------

def test_the_check_finds_the_record_and_suggests_the_username(campaign, lena):
    found = check(campaign)

    assert found.learner == lena
    assert found.suggested_username == "lena.cote1503"
    assert not student_accounts().exists()
    attempt = LinkAttempt.objects.get()
    assert (attempt.outcome, attempt.user, attempt.client) == ("CHECKED", None, "session-a")


def test_signing_up_with_a_username_creates_the_account_already_linked(campaign, lena):
    outcome = signup(campaign)

    user = student_accounts().get()
    assert outcome.user == user and outcome.login == "lena.cote1503"
    assert (user.username, user.email) == ("lena.cote1503", None)
    assert (user.first_name, user.last_name) == ("Léna", "Côte")  # the record's names, not what was typed
    assert user.check_password(PASSWORD) and user.terms_accepted_at is not None
    lena.refresh_from_db()
    assert lena.user == user and lena.linked_at is not None
    assert LearnerLinkEvent.objects.filter(learner=lena, user=user, action="LINKED").exists()
    assert LinkAttempt.objects.get().outcome == "SIGNED_UP"


def test_signing_up_with_an_email(campaign, lena):
    outcome = signup(campaign, email=" Lena.Cote@Example.net ")

    assert outcome.login == "lena.cote@example.net"
    assert outcome.user.username is None
    lena.refresh_from_db()
    assert lena.user == outcome.user


def test_then_joining_the_campaign_needs_nothing_more(campaign, lena):
    user = signup(campaign).user

    joined = campaign_join(campaign=campaign, user=user, confirm=True)

    assert joined.link == "ALREADY" and joined.participation.learner == lena


def test_another_lena_cote_born_on_the_15th_of_march_gets_other_digits(campaign, school, lena):
    LearnerFactory(organization=school, first_name="Léna", family_name="Côte", birthdate=BIRTHDATE.replace(2011))
    first = signup(campaign)

    second = signup(campaign, birthdate=BIRTHDATE.replace(2011), client="session-b")

    assert first.login == "lena.cote1503"
    assert second.login != "lena.cote1503" and second.login.startswith("lena.cote") and len(second.login) == 13


def test_the_suggestion_already_skips_a_taken_username(campaign, lena):
    UserFactory(email=None, username="lena.cote1503")

    assert check(campaign).suggested_username != "lena.cote1503"


# --- The account's own rules: nothing written, no attempt counted ---------------------------------------------------

def test_a_weak_password_is_refused_before_anything(campaign, lena):
    with pytest.raises(InvalidPassword):
        signup(campaign, password="girafe")

    assert not student_accounts().exists() and not LinkAttempt.objects.exists()


def test_an_email_already_used_is_refused(campaign, lena):
    UserFactory(email="lena.cote@example.net")

    with pytest.raises(EmailAlreadyUsed):
        signup(campaign, email="LENA.cote@example.net")
    lena.refresh_from_db()
    assert lena.user is None


@pytest.mark.parametrize(("email", "username"), [("", False), ("lena@example.net", True)])
def test_exactly_one_way_to_log_in_is_chosen(campaign, lena, email, username):
    with pytest.raises(LoginChoiceRequired):
        campaign_signup(campaign=campaign, first_name="Lena", last_name="Cote", birthdate=BIRTHDATE,
                        password=PASSWORD, accept_terms=True, email=email, username=username, **CLIENT)


def test_the_terms_must_be_accepted(campaign, lena):
    with pytest.raises(TermsNotAccepted):
        signup(campaign, accept_terms=False)
    assert not student_accounts().exists()


# --- Refusals: the same matching, and the student who already has an account ----------------------------------------

def test_wrong_details_are_no_match_and_counted(campaign, lena):
    with pytest.raises(NoMatchingLearner):
        signup(campaign, birthdate=BIRTHDATE.replace(2011))

    assert not student_accounts().exists()
    assert LinkAttempt.objects.get().outcome == "NO_MATCH"


def test_s51_the_record_already_has_an_email_account_in_this_school(campaign, lena):
    LearnerFactory._meta.model.objects.filter(pk=lena.pk).update(
        user=UserFactory(email="lena.cote@example.net"), linked_at=timezone.now())

    error = refusal(lambda: check(campaign))

    assert (error.code, error.http_status, error.login) == ("S51", 409, "l***@example.net")
    assert "l'adresse e-mail l***@example.net" in error.message
    assert "Connectez-vous avec ce compte" in error.message
    assert LinkAttempt.objects.get().outcome == "S51"


def test_s52_the_record_already_has_a_username_account_in_this_school(campaign, lena):
    signup(campaign)

    error = refusal(lambda: signup(campaign, client="session-b", address="address-b"))

    assert (error.code, error.login) == ("S52", "l***.c***1503")
    assert error.message == (
        "Vous avez déjà un compte Pix dans cet établissement : l'identifiant l***.c***1503. Connectez-vous avec "
        "cet identifiant (« J'ai déjà un compte »). Mot de passe oublié ? Demandez à votre enseignant de le "
        "réinitialiser.")
    assert student_accounts().count() == 1


def test_s61_the_same_ine_has_an_email_account_in_another_school(campaign, lena, other_school):
    LearnerFactory(organization=other_school, ine=lena.ine, birthdate=BIRTHDATE,
                   user=UserFactory(email="jules.verne@example.net"), linked_at=timezone.now())

    error = refusal(lambda: signup(campaign))

    assert (error.code, error.login) == ("S61", "j***@example.net")
    assert "utilisé dans un autre établissement : l'adresse e-mail j***@example.net" in error.message
    assert student_accounts().count() == 1
    lena.refresh_from_db()
    assert lena.user is None


def test_s62_the_same_ine_has_a_username_account_in_another_school(campaign, lena, other_school):
    LearnerFactory(organization=other_school, ine=lena.ine, birthdate=BIRTHDATE,
                   user=UserFactory(email=None, username="lena.cote1503"), linked_at=timezone.now())

    error = refusal(lambda: check(campaign))

    assert (error.code, error.login) == ("S62", "l***.c***1503")
    assert "l'identifiant l***.c***1503" in error.message


def test_after_s62_logging_in_with_that_account_links_it_here_automatically(campaign, lena, other_school):
    account = UserFactory(email=None, username="lena.cote1503")
    LearnerFactory(organization=other_school, ine=lena.ine, birthdate=BIRTHDATE, user=account,
                   linked_at=timezone.now())

    joined = campaign_join(campaign=campaign, user=account, confirm=True)

    assert joined.link == "AUTO_LINKED" and joined.learner == lena


def test_a_campaign_of_an_organization_not_managing_students_has_no_signup(alice_admin):
    workshop = OrganizationFactory(is_managing_students=False)
    campaign = CampaignFactory(organization=workshop, owner=alice_admin)

    with pytest.raises(CampaignNotReserved):
        signup(campaign)


def test_an_archived_campaign_has_no_signup(campaign, lena):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())
    campaign.refresh_from_db()

    with pytest.raises(CampaignArchived):
        signup(campaign)


# --- Limits without an account ----------------------------------------------------------------------------------------

def test_the_sixth_failure_of_a_session_in_fifteen_minutes_is_refused(campaign, lena):
    for _ in range(5):
        with pytest.raises(NoMatchingLearner):
            check(campaign, birthdate=BIRTHDATE.replace(2010))

    with pytest.raises(TooManyAttempts) as error:
        check(campaign)  # even the right details
    assert "Réessayez dans 15 minutes" in error.value.message
    assert LinkAttempt.objects.filter(outcome="RATE_LIMITED").count() == 1


def test_another_session_from_the_same_address_still_signs_up(campaign, lena):
    for _ in range(5):
        with pytest.raises(NoMatchingLearner):
            check(campaign, birthdate=BIRTHDATE.replace(2010))

    assert signup(campaign, client="session-b").login == "lena.cote1503"


def test_an_address_is_stopped_after_sixty_failures_in_an_hour_whatever_the_sessions(campaign, lena):
    for n in range(60):  # sixty names (one name alone stops at LIMIT_LINK_FAILURES_NAME)
        with pytest.raises(NoMatchingLearner):
            check(campaign, first_name=f"Inconnu{n}", birthdate=BIRTHDATE.replace(2010), client=f"session-{n}",
                  address="school-address")

    with pytest.raises(TooManyAttempts):
        check(campaign, client="a-new-session", address="school-address")
    assert check(campaign, client="a-new-session", address="another-address").learner == lena


def test_attempts_never_store_what_was_typed(campaign, lena):
    with pytest.raises(NoMatchingLearner):
        check(campaign, first_name="Zoé", birthdate=BIRTHDATE.replace(2010))

    row = LinkAttempt.objects.values().get()
    assert "Zoé" not in str(row) and "2010" not in str({k: v for k, v in row.items() if k != "created_at"})
