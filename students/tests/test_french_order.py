"""Names in French order wherever they are listed: « Élèves », its API and its export, the team, a campaign."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.selectors.participations import participation_list
from organizations.factories import MembershipFactory
from organizations.selectors import membership_list_active
from students.tests.test_selectors import make_learner

pytestmark = pytest.mark.django_db

# (family name, first name) as SIECLE gives them, in French order.
FRENCH = [("BŒUF", "Anaïs"), ("BRUN", "Zoé"), ("DUPONT", "Élise"), ("DUPONT", "Zélie"), ("ÉTIENNE", "Lou"),
          ("ZOLA", "Émile")]


@pytest.fixture
def learners(school):
    return [make_learner(school, family, first) for family, first in reversed(FRENCH)]


def test_the_students_page_lists_names_in_french_order(client, alice_admin, school, learners):
    client.force_login(alice_admin)
    page = client.get(reverse("students:list", args=[school.pk])).content.decode()
    for sort in ("name", "-name", "first_name"):
        rows = [(row.family_name, row.first_name) for row in client.get(
            reverse("students:list", args=[school.pk]), {"sort": sort}).context["page"].object_list]
        expected = {"name": FRENCH, "-name": FRENCH[::-1],
                    "first_name": sorted(FRENCH, key=lambda name: ["Anaïs", "Élise", "Émile", "Lou", "Zélie",
                                                                    "Zoé"].index(name[1]))}[sort]
        assert rows == expected, sort


def test_the_api_and_the_export_follow_the_same_order(client, api_client, alice_admin, school, learners):
    api_client.force_authenticate(alice_admin)
    body = api_client.get(reverse("api-students-list", args=[school.pk])).json()
    assert [(row["last_name"], row["first_name"]) for row in body["results"]] == FRENCH

    client.force_login(alice_admin)
    response = client.get(reverse("students:export", args=[school.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")
                                       if response.streaming else response.content.decode("utf-8-sig")),
                           delimiter=";"))
    header, lines = rows[0], rows[1:]
    family, first = header.index("Nom"), header.index("Prénom")
    assert [(line[family], line[first]) for line in lines] == FRENCH


def test_the_team_and_a_campaigns_participants_are_in_french_order(alice_admin, school):
    alice_admin.last_name = "Martin"
    alice_admin.save()
    for last_name in ("Zidane", "Élie", "Bœuf"):
        MembershipFactory(organization=school, user=UserFactory(last_name=last_name, first_name="Sam"))
    team = [membership.user.last_name for membership in membership_list_active(organization=school)]
    assert team == ["Bœuf", "Élie", "Martin", "Zidane"]

    campaign = CampaignFactory(organization=school, owner=alice_admin)
    for learner in [make_learner(school, family, first) for family, first in reversed(FRENCH)]:
        ParticipationFactory(campaign=campaign, learner=learner, user=UserFactory())
    assert [(p.participant_last_name, p.participant_first_name)
            for p in participation_list(campaign=campaign)] == FRENCH
