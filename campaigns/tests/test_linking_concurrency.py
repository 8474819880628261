"""Races on PostgreSQL with real threads and row locks: double clicks, accounts racing for one learner."""

import datetime

import pytest

from accounts.factories import UserFactory
from campaigns.errors import LinkConflict, NoMatchingLearner, TooManyAttempts
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, LinkAttempt, Participation
from campaigns.services.joining import campaign_join
from assessments.services import participation_share
from organizations.factories import OrganizationFactory
from pixorga.testing import run_together
from students.factories import LearnerFactory
from students.models import Learner, LearnerLinkEvent

THREADS = 8
BIRTHDATE = datetime.date(2011, 3, 14)


@pytest.fixture
def setting():
    school = OrganizationFactory(name="Lycée Pix")
    owner = UserFactory()
    campaign = CampaignFactory(organization=school, owner=owner)
    eloise = LearnerFactory(organization=school, first_name="Éloïse", family_name="Dupré", birthdate=BIRTHDATE)
    return school, campaign, eloise


def join(campaign, user, **kwargs):
    return campaign_join(campaign=campaign, user=user, first_name="Eloise", last_name="Dupre",
                         birthdate=BIRTHDATE, confirm=True, **kwargs)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_gives_one_link_and_one_participation(setting):
    school, campaign, eloise = setting
    student = UserFactory()

    results = run_together(lambda i: join(campaign, student).participation.pk, THREADS)

    assert {kind for kind, _ in results} == {"ok"}
    assert len({value for _, value in results}) == 1
    assert Participation.objects.count() == 1
    assert LearnerLinkEvent.objects.count() == 1
    eloise.refresh_from_db()
    assert eloise.user == student


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accounts_racing_for_one_learner_give_exactly_one_link(setting):
    school, campaign, eloise = setting
    accounts = [UserFactory() for _ in range(THREADS)]

    results = run_together(lambda i: join(campaign, accounts[i]).participation.user_id, THREADS)

    winners = [value for kind, value in results if kind == "ok"]
    losers = [value for kind, value in results if kind == "error"]
    assert len(winners) == 1
    assert len(losers) == THREADS - 1 and all(isinstance(e, LinkConflict) and e.code == "R31" for e in losers)
    eloise.refresh_from_db()
    assert eloise.user_id == winners[0]
    assert Participation.objects.get().user_id == winners[0]
    assert LearnerLinkEvent.objects.count() == 1
    assert LinkAttempt.objects.filter(outcome="R31").count() == THREADS - 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_account_racing_for_two_learners_of_one_school_gets_one(setting):
    school, campaign, eloise = setting
    LearnerFactory(organization=school, first_name="Marc", family_name="Dupré", birthdate=BIRTHDATE)
    student = UserFactory()

    results = run_together(
        lambda i: campaign_join(campaign=campaign, user=student, first_name="Eloise" if i % 2 else "Marc",
                                last_name="Dupre", birthdate=BIRTHDATE, confirm=True).learner.pk, THREADS)

    assert Learner.objects.filter(user=student).count() == 1
    errors = [value for kind, value in results if kind == "error"]
    assert errors and all(isinstance(e, LinkConflict) and e.code == "R70" for e in errors)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_never_pass_the_limit(setting):
    school, campaign, eloise = setting
    student = UserFactory()

    results = run_together(lambda i: campaign_join(campaign=campaign, user=student, first_name="Personne",
                                                   last_name="Inconnu", birthdate=BIRTHDATE, confirm=False),
                           count=12)

    kinds = [type(value) for _, value in results]
    assert kinds.count(NoMatchingLearner) == 5
    assert kinds.count(TooManyAttempts) == 7
    assert LinkAttempt.objects.filter(outcome="NO_MATCH").count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_send_shares_once(setting):
    school, campaign, eloise = setting
    Campaign.objects.filter(pk=campaign.pk).update(type="PROFILES_COLLECTION")
    campaign.refresh_from_db()
    student = UserFactory()
    participation = join(campaign, student).participation

    results = run_together(
        lambda i: participation_share(participation_id=participation.pk, user=student).shared_at, THREADS)

    assert [kind for kind, _ in results].count("ok") == 1
    participation.refresh_from_db()
    assert participation.status == "SHARED"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_link_committed_meanwhile_by_another_transaction_gives_r70_not_an_error(setting, caplog):
    """The import pre-links an account (without its lock) while the account joins with another learner's details.

    The join's UPDATE waits on the unique index, then fails when the import commits: the join runs once more,
    finds the account linked in this school and answers R70, with the attempt recorded.
    """
    import threading
    import time

    from django.db import connection, transaction

    school, campaign, eloise = setting
    marc = LearnerFactory(organization=school, first_name="Marc", family_name="Dupré", birthdate=BIRTHDATE)
    student = UserFactory()
    linked_uncommitted = threading.Event()

    def importer():
        try:
            with transaction.atomic():
                Learner.objects.filter(pk=marc.pk).update(user=student)
                linked_uncommitted.set()
                time.sleep(1)  # the join reads no link meanwhile, then waits on the unique index
        finally:
            connection.close()

    thread = threading.Thread(target=importer)
    thread.start()
    assert linked_uncommitted.wait(timeout=10)
    try:
        with pytest.raises(LinkConflict) as refused:
            join(campaign, student)
    finally:
        thread.join(timeout=30)

    assert refused.value.code == "R70"
    assert "a concurrent write won, trying again" in caplog.text  # the race did happen, and was decided again
    assert list(Learner.objects.filter(user=student).values_list("pk", flat=True)) == [marc.pk]
    assert not Participation.objects.exists()
    assert list(LinkAttempt.objects.values_list("outcome", flat=True)) == ["R70"]
