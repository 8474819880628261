"""« Élèves » as campaigns completes it: each student's participations (the column, the CSV, the API), kept after
« Dissocier », and a learner linked again by joining a campaign. The unlinking itself: students/tests/test_links.py."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from campaigns.services.linking import learner_link
from students.factories import LearnerFactory
from students.models import LearnerLinkEvent
from students.services.links import learner_unlink

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    return UserFactory(email="jeanne.dupont@example.net", first_name="Jeanne", last_name="Dupont")


@pytest.fixture
def linked(school, student):
    learner = LearnerFactory(organization=school, family_name="Dupont", first_name="Jeanne", division="6EME1")
    learner_link(learner=learner, user=student)
    ParticipationFactory(campaign=CampaignFactory(organization=school), learner=learner, user=student)
    return learner


def unlink_url(learner):
    return reverse("students:unlink", args=[learner.organization_id, learner.pk])


def api_url(learner):
    return f"/api/v1/organizations/{learner.organization_id}/students/{learner.pk}/unlink/"


def test_participations_stay_after_unlinking(school, alice_admin, linked, student):
    learner_unlink(organization=school, learner_id=linked.pk, by=alice_admin)
    participation = Participation.objects.get(learner=linked)
    assert participation.user_id == student.pk


def test_the_learner_can_be_linked_again_later(school, alice_admin, linked):
    learner_unlink(organization=school, learner_id=linked.pk, by=alice_admin)
    right_account = UserFactory()
    learner_link(learner=linked, user=right_account)

    linked.refresh_from_db()
    assert linked.user_id == right_account.pk
    assert list(LearnerLinkEvent.objects.filter(learner=linked).order_by("pk").values_list("action", flat=True)) == [
        "LINKED", "UNLINKED", "LINKED"]


def test_api_admin_unlinks(api_client, school, alice_admin, linked):
    api_client.force_authenticate(alice_admin)
    response = api_client.post(api_url(linked))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["linked"], body["account"], body["participation_count"]) == (linked.pk, False, None, 1)
    assert api_client.post(api_url(linked)).json()["code"] == "LEARNER_NOT_LINKED"
    assert api_client.post(api_url(linked)).status_code == 409


def test_api_list_shows_the_masked_login_and_the_participations(api_client, school, bob_member, linked):
    ParticipationFactory(campaign=CampaignFactory(organization=school), learner=linked, user=linked.user)
    ParticipationFactory(campaign=CampaignFactory(organization=school), learner=linked, user=linked.user,
                         is_current=False)  # an earlier sending: not counted
    LearnerFactory(organization=school, family_name="Zidane", first_name="Enzo")
    api_client.force_authenticate(bob_member)

    body = api_client.get(f"/api/v1/organizations/{school.pk}/students/").json()

    rows = {row["last_name"]: row for row in body["results"]}
    assert (rows["Dupont"]["linked"], rows["Dupont"]["account"], rows["Dupont"]["participation_count"]) == (
        True, "j***@example.net", 2)
    assert (rows["Zidane"]["linked"], rows["Zidane"]["account"], rows["Zidane"]["participation_count"]) == (
        False, None, 0)
    assert "jeanne.dupont@example.net" not in str(body)


def test_list_shows_the_masked_login_the_participations_and_dissocier_for_admins(client, school, alice_admin,
                                                                                 bob_member, linked):
    ParticipationFactory(campaign=CampaignFactory(organization=school), learner=linked, user=linked.user)
    ParticipationFactory(campaign=CampaignFactory(organization=school), learner=linked, user=linked.user,
                         is_current=False)  # an earlier sending: not counted
    client.force_login(alice_admin)
    response = client.get(reverse("students:list", args=[school.pk]))
    page = response.content.decode()
    assert "j***@example.net" in page and "jeanne.dupont@example.net" not in page
    assert unlink_url(linked) in page and "Dissocier" in page
    row = response.context["page"].object_list[0]
    assert row.participation_count == 2

    client.force_login(bob_member)
    page = client.get(reverse("students:list", args=[school.pk])).content.decode()
    assert "j***@example.net" in page and unlink_url(linked) not in page


def test_list_queries_do_not_grow_with_the_rows(client, school, alice_admin, django_assert_max_num_queries):
    campaign = CampaignFactory(organization=school)
    for index in range(30):
        user = UserFactory()
        learner = LearnerFactory(organization=school, user=user)
        ParticipationFactory(campaign=campaign, learner=learner, user=user)
    client.force_login(alice_admin)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("students:list", args=[school.pk]))
    assert response.content.decode().count("Dissocier<span") == 30
