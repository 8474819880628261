"""Campaign reads: scoped to members, found by code, listed with filters and participant counts."""

import pytest
from django.http import Http404

from accounts.factories import UserFactory
from campaigns.errors import CampaignNotFound
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from campaigns.selectors.campaigns import (
    campaign_can_edit,
    campaign_for_member,
    campaign_get_by_code,
    campaign_list,
)
from organizations.factories import MembershipFactory
from organizations.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(school, bob_member):
    return CampaignFactory(organization=school, owner=bob_member, code="QWERTY234", name="Rentrée")


def test_members_get_their_schools_campaign(campaign, alice_admin, bob_member):
    assert campaign_for_member(user=alice_admin, campaign_id=campaign.pk) == campaign
    assert campaign_for_member(user=bob_member, campaign_id=campaign.pk).organization.name == "Lycée Pix"


def test_outsiders_and_former_members_get_404_like_for_a_missing_campaign(campaign, charlie_outsider, bob_member,
                                                                          school):
    with pytest.raises(Http404):
        campaign_for_member(user=charlie_outsider, campaign_id=campaign.pk)
    with pytest.raises(Http404):
        campaign_for_member(user=bob_member, campaign_id=campaign.pk + 1000)
    Membership.objects.filter(user=bob_member).update(disabled_at=campaign.created_at)
    with pytest.raises(Http404):
        campaign_for_member(user=bob_member, campaign_id=campaign.pk)


def test_a_member_of_two_schools_gets_one_row(campaign, bob_member, other_school):
    MembershipFactory(user=bob_member, organization=other_school)
    assert campaign_for_member(user=bob_member, campaign_id=campaign.pk) == campaign


def test_only_admins_and_the_owner_can_edit(campaign, alice_admin, bob_member, charlie_outsider, school):
    dana = UserFactory()
    MembershipFactory(user=dana, organization=school)
    assert campaign_can_edit(user=alice_admin, campaign=campaign)
    assert campaign_can_edit(user=bob_member, campaign=campaign)
    assert not campaign_can_edit(user=dana, campaign=campaign)
    assert not campaign_can_edit(user=charlie_outsider, campaign=campaign)


@pytest.mark.parametrize("typed", ["QWERTY234", "qwe-rty 234", " qwerty234 ", "QWE\u2013RTY\u00a0234"])
def test_a_typed_code_is_normalised(campaign, typed):
    assert campaign_get_by_code(code=typed) == campaign


@pytest.mark.parametrize("typed", ["", "QWERTY", "QWERTY235", "QWERTY2340", "OWERTY234", "123456ABC"])
def test_a_malformed_or_unknown_code_is_not_found(campaign, typed):
    with pytest.raises(CampaignNotFound) as error:
        campaign_get_by_code(code=typed)
    assert "ABCDEF234" in error.value.message


def test_list_filters_and_counts_participants(school, other_school, alice_admin, bob_member, django_assert_num_queries):
    mine = CampaignFactory(organization=school, owner=bob_member, name="Maths 2de")
    hers = CampaignFactory(organization=school, owner=alice_admin, name="Français 1re")
    archived = CampaignFactory(organization=school, owner=bob_member, name="Maths 2019",
                               archived_at=mine.created_at)
    CampaignFactory(organization=other_school, name="Maths ailleurs")
    ParticipationFactory.create_batch(2, campaign=mine)
    ParticipationFactory(campaign=mine, is_preview=True)
    ParticipationFactory(campaign=mine, is_current=False)
    ParticipationFactory(campaign=hers, status=Participation.Status.TO_SHARE)

    with django_assert_num_queries(1):
        rows = list(campaign_list(organization=school))
    assert {c.name: c.participants_count for c in rows} == {"Maths 2de": 2, "Français 1re": 1}

    assert list(campaign_list(organization=school, owner_id=bob_member.pk)) == [mine]
    assert list(campaign_list(organization=school, archived=True)) == [archived]
    assert set(campaign_list(organization=school, archived=None)) == {mine, hers, archived}
    assert set(campaign_list(organization=school, archived=None, search="maths")) == {mine, archived}


def test_a_closed_schools_code_is_not_found(campaign, school):
    school.archived_at = campaign.created_at
    school.save()
    with pytest.raises(CampaignNotFound):
        campaign_get_by_code(code="QWERTY234")


def test_an_archived_campaign_is_still_found_by_code(campaign):
    campaign.archived_at = campaign.created_at
    campaign.save()
    assert campaign_get_by_code(code="qwerty234").is_archived
