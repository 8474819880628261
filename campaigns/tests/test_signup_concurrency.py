"""Signing up from a reserved campaign on PostgreSQL with real threads: the unique username index and the learner's
row lock decide, never a lucky ordering."""

import datetime

import pytest

from accounts.factories import UserFactory
from accounts.models import User
from campaigns.errors import LinkConflict
from campaigns.factories import CampaignFactory
from campaigns.models import LinkAttempt
from campaigns.services.signup import campaign_signup
from organizations.factories import OrganizationFactory
from pixorga.testing import run_together
from students.factories import LearnerFactory
from students.models import Learner, LearnerLinkEvent

PASSWORD = "Girafe2026"


@pytest.fixture
def campaign():
    school = OrganizationFactory(name="Collège Pix")
    return CampaignFactory(organization=school, owner=UserFactory())


def signup(campaign, birthdate, i, **kwargs):
    return campaign_signup(campaign=campaign, first_name="Léna", last_name="Côte", birthdate=birthdate,
                           password=PASSWORD, accept_terms=True, client=f"session-{i}", address="school",
                           **{"username": True, **kwargs})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_sign_ups_with_the_same_suggested_username_get_ten_usernames(campaign):
    # Ten Léna Côte born on a 15th of March (ten years): every one is suggested lena.cote1503.
    birthdates = [datetime.date(2005 + n, 3, 15) for n in range(10)]
    for birthdate in birthdates:
        LearnerFactory(organization=campaign.organization, first_name="Léna", family_name="Côte",
                       birthdate=birthdate)

    results = run_together(lambda i: signup(campaign, birthdates[i], i).login, 10)

    assert [kind for kind, _ in results] == ["ok"] * 10, results
    usernames = [value for _, value in results]
    assert len(set(usernames)) == 10
    assert "lena.cote1503" in usernames
    assert all(name.startswith("lena.cote") and len(name) == 13 for name in usernames)
    assert User.objects.filter(username__in=usernames).count() == 10
    assert Learner.objects.filter(organization=campaign.organization, user__isnull=False).count() == 10
    assert LinkAttempt.objects.filter(outcome="SIGNED_UP").count() == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_browsers_signing_up_for_the_same_record_give_one_account(campaign):
    lena = LearnerFactory(organization=campaign.organization, first_name="Léna", family_name="Côte",
                          birthdate=datetime.date(2012, 3, 15))

    results = run_together(lambda i: signup(campaign, lena.birthdate, i).user.pk, 6)

    winners = [value for kind, value in results if kind == "ok"]
    losers = [value for kind, value in results if kind == "error"]
    assert len(winners) == 1
    assert len(losers) == 5 and all(isinstance(e, LinkConflict) and e.code == "S52" for e in losers)
    lena.refresh_from_db()
    assert lena.user_id == winners[0]
    assert User.objects.filter(username__startswith="lena.cote").count() == 1
    assert LearnerLinkEvent.objects.filter(learner=lena).count() == 1
    assert LinkAttempt.objects.filter(outcome="S52").count() == 5
