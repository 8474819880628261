"""The participants of a campaign as its page, export and API read them."""

import datetime

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from campaigns.selectors.participations import (
    participation_counts,
    participation_counts_by_division,
    participation_divisions,
    participation_list,
)
from students.factories import LearnerFactory

pytestmark = pytest.mark.django_db

STARTED, TO_SHARE, SHARED = (Participation.Status.STARTED, Participation.Status.TO_SHARE,
                             Participation.Status.SHARED)


def participant(campaign, *, division="6EME1", status=STARTED, **learner):
    shared_at = timezone.now() if status == SHARED else None
    return ParticipationFactory(campaign=campaign, status=status, shared_at=shared_at,
                                learner=LearnerFactory(organization=campaign.organization, division=division, **learner))


@pytest.fixture
def campaign(school):
    return CampaignFactory(organization=school)


def test_previews_and_earlier_sendings_are_never_listed_nor_counted(campaign):
    kept = participant(campaign)
    ParticipationFactory(campaign=campaign, is_preview=True)
    old = participant(campaign, status=SHARED)
    Participation.objects.filter(pk=old.pk).update(is_current=False)

    assert list(participation_list(campaign=campaign)) == [kept]
    assert participation_counts(campaign=campaign).total == 1
    assert [line.total for line in participation_counts_by_division(campaign=campaign)] == [1]


def test_only_this_campaigns_participants(campaign, school):
    mine = participant(campaign)
    participant(CampaignFactory(organization=school))
    participant(CampaignFactory())

    assert list(participation_list(campaign=campaign)) == [mine]


def test_filter_by_one_or_several_divisions(campaign):
    a = participant(campaign, division="6EME1", family_name="Arnaud")
    b = participant(campaign, division="6EME2", family_name="Bernard")
    participant(campaign, division="5EME1", family_name="Carpentier")

    assert list(participation_list(campaign=campaign, divisions=["6EME1"])) == [a]
    assert list(participation_list(campaign=campaign, divisions=["6EME1", "6EME2"])) == [a, b]
    assert participation_counts(campaign=campaign, divisions=["6EME2"]).total == 1


def test_filter_by_status_and_counts_by_status(campaign):
    participant(campaign, status=STARTED)
    shared = participant(campaign, status=SHARED)
    participant(campaign, status=TO_SHARE)
    participant(campaign, status=TO_SHARE)

    assert list(participation_list(campaign=campaign, statuses=[SHARED])) == [shared]
    assert participation_list(campaign=campaign, statuses=["NOPE"]).count() == 4
    counts = participation_counts(campaign=campaign)
    assert counts.total == 4
    assert counts.by_status == {STARTED: 1, TO_SHARE: 2, SHARED: 1}
    assert [row["label"] for row in counts.rows()] == ["En cours", "En attente d'envoi", "Résultats reçus"]


def test_search_ignores_accents_and_case(campaign):
    eloise = participant(campaign, family_name="Lefèvre", first_name="Éloïse")
    participant(campaign, family_name="Martin", first_name="Paul")

    assert list(participation_list(campaign=campaign, search="ELOISE lefevre")) == [eloise]


def test_without_a_learner_the_accounts_names_are_shown_and_searched(campaign):
    user = UserFactory(first_name="Nina", last_name="Zidane")
    participation = ParticipationFactory(campaign=campaign, user=user)

    row = participation_list(campaign=campaign, search="zidane").get()
    assert row == participation
    assert (row.participant_last_name, row.participant_first_name, row.participant_division) == ("Zidane", "Nina", "")


def test_sorted_by_name_with_the_learners_names(campaign):
    participant(campaign, family_name="Zola", first_name="Émile")
    participant(campaign, family_name="Aubert", first_name="Léa")

    assert [p.participant_last_name for p in participation_list(campaign=campaign)] == ["Aubert", "Zola"]


def test_class_by_class_counts_in_natural_order(campaign):
    participant(campaign, division="6EME10", status=SHARED)
    participant(campaign, division="6EME2", status=STARTED)
    participant(campaign, division="6EME2", status=SHARED)
    ParticipationFactory(campaign=campaign)  # no learner: "Sans classe", last

    table = participation_counts_by_division(campaign=campaign)
    assert [line.division for line in table] == ["6EME2", "6EME10", ""]
    assert table[0].counts() == [1, 0, 1]
    assert table[0].total == 2
    assert participation_divisions(campaign=campaign) == ["6EME2", "6EME10"]


def test_list_reads_every_row_in_one_query(campaign, django_assert_num_queries):
    for index in range(5):
        participant(campaign, division=f"6EME{index}")

    with django_assert_num_queries(1):
        rows = list(participation_list(campaign=campaign))
        assert [row.learner.division for row in rows] and [row.user.email for row in rows]


def test_dates_are_the_participations(campaign):
    row = participant(campaign, status=SHARED)
    listed = participation_list(campaign=campaign).get()
    assert listed.created_at == row.created_at
    assert listed.shared_at is not None and listed.shared_at.date() <= datetime.date.today() + datetime.timedelta(1)
