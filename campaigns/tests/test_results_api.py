"""The campaign results API: participants (filtered, paginated) and the CSV export, for each kind of caller."""

import pytest
from django.utils import timezone

from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from students.factories import LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(school, bob_member):
    campaign = CampaignFactory(organization=school, owner=bob_member, external_id_label="Numéro d'élève")
    ParticipationFactory(campaign=campaign, external_id="E1", learner=LearnerFactory(
        organization=school, family_name="Arnaud", first_name="Léa", division="6EME1"))
    ParticipationFactory(campaign=campaign, status=Participation.Status.SHARED, shared_at=timezone.now(),
                         learner=LearnerFactory(organization=school, family_name="Bernard", first_name="Tom",
                                                division="6EME2"))
    ParticipationFactory(campaign=campaign, is_preview=True)
    return campaign


def participations(campaign):
    return f"/api/v1/campaigns/{campaign.pk}/participations/"


def export(campaign):
    return f"/api/v1/campaigns/{campaign.pk}/export/"


def test_member_lists_the_participants_without_previews(api_client, campaign, bob_member):
    api_client.force_authenticate(bob_member)
    response = api_client.get(participations(campaign))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["results"][0]
    assert {key: first[key] for key in ("last_name", "first_name", "division", "status", "external_id",
                                        "shared_at")} == {
        "last_name": "Arnaud", "first_name": "Léa", "division": "6EME1", "status": "STARTED",
        "external_id": "E1", "shared_at": None}
    assert set(first) == {"id", "last_name", "first_name", "division", "status", "created_at", "shared_at",
                          "external_id"}


def test_admin_filters_by_division_status_and_name(api_client, campaign, alice_admin):
    api_client.force_authenticate(alice_admin)
    by_division = api_client.get(participations(campaign), {"division": "6EME2"}).json()
    assert [row["last_name"] for row in by_division["results"]] == ["Bernard"]
    several = api_client.get(f"{participations(campaign)}?division=6EME1&division=6EME2").json()
    assert several["count"] == 2
    by_status = api_client.get(participations(campaign), {"status": "SHARED"}).json()
    assert [row["last_name"] for row in by_status["results"]] == ["Bernard"]
    by_name = api_client.get(participations(campaign), {"search": "LEA"}).json()
    assert [row["last_name"] for row in by_name["results"]] == ["Arnaud"]


def test_unknown_status_is_a_validation_error(api_client, campaign, bob_member):
    api_client.force_authenticate(bob_member)
    response = api_client.get(participations(campaign), {"status": "DONE"})
    assert response.status_code == 400 and response.json()["code"] == "VALIDATION_ERROR"


def test_outsider_gets_404_and_anonymous_401(api_client, campaign, charlie_outsider):
    assert api_client.get(participations(campaign)).status_code == 401
    assert api_client.get(export(campaign)).status_code == 401
    api_client.force_authenticate(charlie_outsider)
    response = api_client.get(participations(campaign))
    assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND"
    assert api_client.get(export(campaign)).status_code == 404


def test_export_is_a_streamed_csv_honouring_the_division_filter(api_client, campaign, bob_member):
    api_client.force_authenticate(bob_member)
    response = api_client.get(export(campaign), {"division": "6EME2"}, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeffNom de l'organisation;ID Campagne;Code;")
    assert ";Classe;Numéro d'élève;% de progression;Date et heure de début;" in lines[0]
    assert len(lines) == 2 and ";Bernard;Tom;6EME2;" in lines[1] and ";Oui;" in lines[1]


def test_export_list_queries_do_not_grow_with_participants(api_client, campaign, bob_member, school,
                                                           django_assert_max_num_queries):
    for _ in range(20):
        ParticipationFactory(campaign=campaign, learner=LearnerFactory(organization=school))
    api_client.force_authenticate(bob_member)
    with django_assert_max_num_queries(6):
        response = api_client.get(participations(campaign))
        assert response.json()["count"] == 22
    with django_assert_max_num_queries(6):
        response = api_client.get(export(campaign))
        assert len(b"".join(response.streaming_content).splitlines()) == 23


def test_schema_documents_both_endpoints(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/campaigns/{campaign_id}/participations/" in schema["paths"]
    export_get = schema["paths"]["/api/v1/campaigns/{campaign_id}/export/"]["get"]
    assert "text/csv" in export_get["responses"]["200"]["content"]
