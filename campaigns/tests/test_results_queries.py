"""Every tab, the student's page and every results endpoint cost a fixed number of queries, whatever the number of
participants and of competences: the same count with 2 participants on one competence, 30 on one, and 2 on four.

The campaign has stages, a badge and multiple sendings (the most expensive reads), two classes, and one student
who sent twice."""

import pytest
from django.urls import reverse

from campaigns.tests.results_helpers import (  # noqa: F401
    assessment_campaign,
    fast_password_hashing,
    profile_with_competences,
    profiles_campaign,
    retake,
    sent_result,
    started,
)
from content.factories import BadgeCriterionFactory, BadgeFactory, StageFactory

pytestmark = pytest.mark.django_db

# Pages: session, user, campaign, classes, the tab's reads, membership (edit rights), the menu's organization.
PAGES = {"detail": 13, "results": 13, "analysis": 9, "settings": 8, "participant": 11}
# API: user (token), campaign, the endpoint's reads.
ENDPOINTS = {"activity/": 4, "results/": 8, "analysis/": 4, "participations/{pk}/": 5}
SIZES = [(2, 1), (30, 1), (2, 4)]  # (participants, competences)


def campaign_with(school, by, *, participants: int, competences: int):
    codes = ("1.1", "2.1", "3.1", "4.1")[:competences]
    profile = profile_with_competences(codes, levels=2)
    StageFactory(target_profile=profile, threshold=0, title="Premiers pas")
    StageFactory(target_profile=profile, threshold=50, title="Bien parti")
    BadgeCriterionFactory(badge=BadgeFactory(target_profile=profile, key="bravo"), threshold=60)
    campaign = assessment_campaign(organization=school, by=by, target_profile=profile, multiple_sendings=True)
    sent = [sent_result(campaign, division=f"2NDE{index % 2 + 1}", level=index % 3)
            for index in range(participants - 1)]
    retake(sent[0], level=2)
    started(campaign, division="2NDE1", answers=1)
    return campaign, sent[0]


@pytest.mark.parametrize(("participants", "competences"), SIZES)
def test_every_page_costs_the_same_number_of_queries(client, school, bob_member, django_assert_num_queries,
                                                    participants, competences):
    campaign, student = campaign_with(school, bob_member, participants=participants, competences=competences)
    client.force_login(bob_member)
    for name, expected in PAGES.items():
        args = [school.pk, campaign.pk] + ([student.pk] if name == "participant" else [])
        with django_assert_num_queries(expected):
            response = client.get(reverse(f"campaign_results:{name}", args=args), {"division": "2NDE1"})
        assert response.status_code == 200, name


@pytest.mark.parametrize(("participants", "competences"), SIZES)
def test_every_endpoint_costs_the_same_number_of_queries(api_client, school, bob_member, django_assert_num_queries,
                                                        participants, competences):
    campaign, student = campaign_with(school, bob_member, participants=participants, competences=competences)
    api_client.force_authenticate(bob_member)
    for path, expected in ENDPOINTS.items():
        with django_assert_num_queries(expected):
            response = api_client.get(f"/api/v1/campaigns/{campaign.pk}/{path.format(pk=student.pk)}",
                                      {"division": "2NDE1"})
        assert response.status_code == 200, path


def test_a_profiles_collection_costs_no_more(client, api_client, school, bob_member, django_assert_num_queries):
    collection = profiles_campaign(organization=school, by=bob_member, multiple_sendings=True)
    student = sent_result(collection, division="2NDE1")
    for index in range(12):
        sent_result(collection, division=f"2NDE{index % 2 + 1}")
    client.force_login(bob_member)
    for name, expected in (("detail", 13), ("results", 9), ("participant", 10)):
        args = [school.pk, collection.pk] + ([student.pk] if name == "participant" else [])
        with django_assert_num_queries(expected):
            assert client.get(reverse(f"campaign_results:{name}", args=args)).status_code == 200
    api_client.force_authenticate(bob_member)
    with django_assert_num_queries(4):
        assert api_client.get(f"/api/v1/campaigns/{collection.pk}/results/").status_code == 200
