"""Campaign management API: members read, ADMINs and owners write, outsiders 404, anonymous 401."""

import pytest

from accounts.factories import UserFactory
from campaigns.codes import campaign_code_is_well_formed
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Campaign
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def list_url(organization):
    return f"/api/v1/organizations/{organization.pk}/campaigns/"


def detail_url(campaign, action=""):
    return f"/api/v1/campaigns/{campaign.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def bobs_campaign(school, bob_member):
    return CampaignFactory(organization=school, owner=bob_member, name="Maths 2de B", code="QWERTY234",
                           title="Parcours", landing_page_text="Bonjour", external_id_label="N° élève")


@pytest.fixture
def dana_member(school):
    user = UserFactory(first_name="Dana", last_name="Roux")
    MembershipFactory(user=user, organization=school)
    return user


def test_anonymous_clients_get_401(api_client, school, bobs_campaign):
    for method, url in (("get", list_url(school)), ("post", list_url(school)), ("get", detail_url(bobs_campaign)),
                        ("patch", detail_url(bobs_campaign)), ("post", detail_url(bobs_campaign, "archive")),
                        ("post", detail_url(bobs_campaign, "unarchive"))):
        response = getattr(api_client, method)(url, {}, format="json")
        assert response.status_code == 401, url
        assert response.json()["code"] == "NOT_AUTHENTICATED"


def test_outsiders_get_404_everywhere(api_client, charlie_outsider, school, bobs_campaign):
    api_client.force_authenticate(charlie_outsider)
    assert api_client.get(list_url(school)).status_code == 404
    assert api_client.post(list_url(school), {"name": "X", "type": "ASSESSMENT"}, format="json").status_code == 404
    for method, url in (("get", detail_url(bobs_campaign)), ("patch", detail_url(bobs_campaign)),
                        ("post", detail_url(bobs_campaign, "archive")),
                        ("post", detail_url(bobs_campaign, "unarchive"))):
        response = getattr(api_client, method)(url, {"name": "Piratée"}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND", url
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.name == "Maths 2de B" and bobs_campaign.archived_at is None
    assert Campaign.objects.count() == 1


def test_a_member_reads_a_campaign(api_client, dana_member, bob_member, school, bobs_campaign):
    ParticipationFactory.create_batch(2, campaign=bobs_campaign)
    ParticipationFactory(campaign=bobs_campaign, is_preview=True)
    api_client.force_authenticate(dana_member)

    body = api_client.get(detail_url(bobs_campaign)).json()

    assert body == {
        "id": bobs_campaign.pk, "organization_id": school.pk, "name": "Maths 2de B", "type": "ASSESSMENT",
        "code": "QWERTY234", "title": "Parcours", "landing_page_text": "Bonjour", "external_id_label": "N° élève",
        "multiple_sendings": False, "target_profile": None,
        "owner": {"id": bob_member.pk, "first_name": "Bob", "last_name": "Durand"},
        "created_at": body["created_at"], "archived_at": None, "participants_count": 2,
    }


def test_list_filters_mine_archived_and_search(api_client, school, bob_member, alice_admin, bobs_campaign,
                                               other_school):
    hers = CampaignFactory(organization=school, owner=alice_admin, name="Français 1re")
    old = CampaignFactory(organization=school, owner=bob_member, name="Maths 2019",
                          archived_at=bobs_campaign.created_at)
    CampaignFactory(organization=other_school, name="Maths ailleurs")
    api_client.force_authenticate(bob_member)

    def ids(query=""):
        body = api_client.get(list_url(school) + query).json()
        return {row["id"] for row in body["results"]}

    assert ids() == {bobs_campaign.pk, hers.pk}
    assert ids("?mine=1") == {bobs_campaign.pk}
    assert ids("?archived=1") == {old.pk}
    assert ids("?archived=0&search=MATHS") == {bobs_campaign.pk}
    assert ids(f"?owner={alice_admin.pk}") == {hers.pk}
    body = api_client.get(list_url(school) + "?page_size=1").json()
    assert body["count"] == 2 and len(body["results"]) == 1 and body["next"]
    bad = api_client.get(list_url(school) + "?archived=peut-etre")
    assert bad.status_code == 400 and bad.json()["code"] == "VALIDATION_ERROR"


def test_a_member_creates_a_campaign(api_client, bob_member, school):
    api_client.force_authenticate(bob_member)
    response = api_client.post(list_url(school), {"name": "Collecte 3e", "type": "PROFILES_COLLECTION",
                                                  "multiple_sendings": True, "landing_page_text": "Bonjour\n"},
                               format="json")
    assert response.status_code == 201
    body = response.json()
    assert campaign_code_is_well_formed(body["code"])
    assert body["owner"]["id"] == bob_member.pk and body["participants_count"] == 0
    assert Campaign.objects.get(pk=body["id"]).multiple_sendings is True


def test_an_assessment_is_created_with_a_target_profile_and_shows_it(api_client, bob_member, school,
                                                                    target_profile):
    api_client.force_authenticate(bob_member)
    response = api_client.post(list_url(school), {"name": "Rentrée", "type": "ASSESSMENT",
                                                  "target_profile": target_profile.pk, "multiple_sendings": True},
                               format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["target_profile"] == {"id": target_profile.pk, "name": "Rechercher sur le web",
                                      "description": target_profile.description, "category": "TARGETED"}
    assert Campaign.objects.get(pk=body["id"]).campaign_skills.count() == 3


@pytest.mark.parametrize("payload, code", [
    ({"name": "X", "type": "ASSESSMENT"}, "TARGET_PROFILE_REQUIRED"),
    ({"name": "X", "type": "ASSESSMENT", "target_profile": 999999}, "TARGET_PROFILE_REQUIRED"),
    ({"name": "X", "type": "PROFILES_COLLECTION", "target_profile": "PROFILE"}, "TARGET_PROFILE_NOT_ALLOWED"),
    ({"name": "X", "type": "PROFILES_COLLECTION", "landing_page_text": "a" * 5001}, "LANDING_PAGE_TEXT_TOO_LONG"),
    ({"name": "X", "type": "QUIZ"}, "VALIDATION_ERROR"),
    ({"type": "ASSESSMENT"}, "VALIDATION_ERROR"),
    ({"name": "X", "type": "ASSESSMENT", "owner_id": 999999}, "CAMPAIGN_OWNER_NOT_MEMBER"),
])
def test_creation_refusals_say_why(api_client, bob_member, school, target_profile, payload, code):
    if payload.get("target_profile") == "PROFILE":
        payload = {**payload, "target_profile": target_profile.pk}
    api_client.force_authenticate(bob_member)
    response = api_client.post(list_url(school), payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["detail"]
    assert not Campaign.objects.exists()


def test_the_owner_cannot_be_someone_from_another_school(api_client, alice_admin, charlie_outsider, school):
    api_client.force_authenticate(alice_admin)
    response = api_client.post(list_url(school), {"name": "X", "type": "ASSESSMENT",
                                                  "owner_id": charlie_outsider.pk}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "CAMPAIGN_OWNER_NOT_MEMBER"


def test_the_owner_and_an_admin_edit(api_client, bob_member, alice_admin, dana_member, bobs_campaign):
    api_client.force_authenticate(bob_member)
    response = api_client.patch(detail_url(bobs_campaign), {"name": "Maths T1", "owner_id": dana_member.pk},
                                format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Maths T1" and response.json()["owner"]["id"] == dana_member.pk
    assert response.json()["title"] == "Parcours"  # untouched fields stay

    api_client.force_authenticate(alice_admin)
    assert api_client.patch(detail_url(bobs_campaign), {"title": ""}, format="json").json()["title"] == ""


def test_a_member_who_is_not_the_owner_gets_403(api_client, dana_member, bobs_campaign):
    api_client.force_authenticate(dana_member)
    for method, url in (("patch", detail_url(bobs_campaign)), ("post", detail_url(bobs_campaign, "archive")),
                        ("post", detail_url(bobs_campaign, "unarchive"))):
        response = getattr(api_client, method)(url, {"name": "Piratée"}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "NOT_CAMPAIGN_EDITOR", url
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.name == "Maths 2de B"


def test_type_and_code_cannot_be_changed(api_client, bob_member, bobs_campaign):
    api_client.force_authenticate(bob_member)
    response = api_client.patch(detail_url(bobs_campaign), {"type": "PROFILES_COLLECTION", "code": "ABCDEF234"},
                                format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"type", "code"}
    bobs_campaign.refresh_from_db()
    assert (bobs_campaign.type, bobs_campaign.code) == ("ASSESSMENT", "QWERTY234")


def test_archive_and_unarchive(api_client, bob_member, alice_admin, bobs_campaign):
    api_client.force_authenticate(alice_admin)
    body = api_client.post(detail_url(bobs_campaign, "archive")).json()
    assert body["archived_at"] is not None
    edit = api_client.patch(detail_url(bobs_campaign), {"name": "Autre"}, format="json")
    assert edit.status_code == 409 and edit.json()["code"] == "CAMPAIGN_IS_ARCHIVED"

    api_client.force_authenticate(bob_member)
    assert api_client.post(detail_url(bobs_campaign, "unarchive")).json()["archived_at"] is None
    bobs_campaign.refresh_from_db()
    assert bobs_campaign.archived_at is None


def test_the_schema_documents_the_endpoints(api_client):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/organizations/{organization_id}/campaigns/"])
    assert {"get", "patch"} <= set(paths["/api/v1/campaigns/{campaign_id}/"])
    assert "post" in paths["/api/v1/campaigns/{campaign_id}/archive/"]
