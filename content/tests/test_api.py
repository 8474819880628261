"""The target profiles API: a member sees what the organization may use, an outsider nothing, staff everything."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from content.factories import SkillFactory, TargetProfileFactory, TubeFactory
from content.models import TargetProfile

pytestmark = pytest.mark.django_db
LIST = reverse("api-target-profiles")


def _detail(profile) -> str:
    return reverse("api-target-profile-detail", args=[profile.pk])


@pytest.fixture
def mdp():
    tube = TubeFactory(name="mdp")
    for level in (1, 2, 3):
        SkillFactory(tube=tube, level=level)
    return tube


@pytest.fixture
def profiles(mdp, school, other_school):
    return {
        "public": TargetProfileFactory(name="Public", tubes=[(mdp, 2)]),
        "own": TargetProfileFactory(name="Le nôtre", is_public=False, owner_organization=school, tubes=[(mdp, 3)]),
        "theirs": TargetProfileFactory(name="Le leur", is_public=False, owner_organization=other_school,
                                       tubes=[(mdp, 1)]),
    }


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def test_a_member_lists_the_profiles_of_the_organization_with_their_counts(api_client, bob_member, school, profiles):
    api_client.force_authenticate(bob_member)
    response = api_client.get(LIST, {"organization": school.pk})

    assert response.status_code == 200
    assert sorted((p["name"], p["tubes_count"], p["skills_count"]) for p in response.json()) == [
        ("Le nôtre", 1, 3), ("Public", 1, 2)]
    assert set(response.json()[0]) == {"id", "name", "description", "category", "tubes_count", "skills_count"}


def test_an_outsider_gets_404(api_client, charlie_outsider, school, profiles):
    api_client.force_authenticate(charlie_outsider)
    assert api_client.get(LIST, {"organization": school.pk}).status_code == 404
    response = api_client.get(_detail(profiles["own"]), {"organization": school.pk})
    assert response.status_code == 404


def test_another_schools_profile_looks_like_none(api_client, bob_member, school, profiles):
    api_client.force_authenticate(bob_member)
    response = api_client.get(_detail(profiles["theirs"]), {"organization": school.pk})
    assert response.status_code == 404
    assert response.json()["code"] == "TARGET_PROFILE_NOT_FOUND"


def test_a_member_reads_one_profile(api_client, bob_member, school, profiles):
    api_client.force_authenticate(bob_member)
    response = api_client.get(_detail(profiles["own"]), {"organization": school.pk})
    assert response.status_code == 200
    assert response.json()["skills_count"] == 3
    assert "stages" not in response.json()


def test_the_organization_is_required_with_a_code(api_client, bob_member, profiles):
    api_client.force_authenticate(bob_member)
    response = api_client.get(LIST)
    assert response.status_code == 400
    assert response.json()["code"] == "ORGANIZATION_REQUIRED"
    assert api_client.get(LIST, {"organization": "abc"}).json()["code"] == "VALIDATION_ERROR"


def test_anonymous_gets_401(api_client, school, profiles):
    response = api_client.get(LIST, {"organization": school.pk})
    assert response.status_code == 401
    assert response.json()["code"] == "NOT_AUTHENTICATED"


def test_staff_list_every_profile_and_read_its_parts(api_client, staff, profiles, school):
    api_client.force_authenticate(staff)
    assert len(api_client.get(LIST).json()) == 3
    assert len(api_client.get(LIST, {"organization": school.pk}).json()) == 2

    response = api_client.get(_detail(profiles["theirs"]))
    assert response.status_code == 200
    assert response.json()["tubes"] == [{"tube": "mdp", "competence": "1.1", "title": "Le sujet mdp", "level": 1}]
    assert response.json()["stages"] == [] and response.json()["badges"] == []


def test_staff_create_a_profile(api_client, staff, mdp, school):
    api_client.force_authenticate(staff)
    response = api_client.post(LIST, {
        "name": "Mots de passe", "category": "SUBJECT", "tubes": [{"tube": "mdp", "level": 2}],
        "owner_organization": school.pk,
        "stages": [{"threshold": 0, "title": "Début"}, {"threshold": 50, "title": "Bien"}],
        "badges": [{"key": "pro", "title": "Pro", "criteria": [{"scope": "CAMPAIGN", "threshold": 70}]}],
    }, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["tubes_count"], body["skills_count"], body["owner_organization_id"]) == (1, 2, school.pk)
    assert [stage["threshold"] for stage in body["stages"]] == [0, 50]
    assert body["badges"][0]["criteria"] == [{"scope": "CAMPAIGN", "threshold": 70, "tubes": []}]


def test_an_invalid_profile_says_what_to_change(api_client, staff, mdp):
    api_client.force_authenticate(staff)
    response = api_client.post(LIST, {"name": "P", "tubes": [{"tube": "inconnu", "level": 2}]}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "TARGET_PROFILE_INVALID"
    assert "sujet inconnu « inconnu »" in response.json()["detail"]

    response = api_client.post(LIST, {"name": "P", "tubes": [{"tube": "mdp", "level": 2}]}, format="json")
    assert "public ou appartient à une organisation" in response.json()["detail"]


def test_staff_patch_a_profile(api_client, staff, profiles):
    api_client.force_authenticate(staff)
    response = api_client.patch(_detail(profiles["own"]), {"name": "Renommé", "is_archived": True}, format="json")
    assert response.status_code == 200, response.json()
    profile = TargetProfile.objects.get(pk=profiles["own"].pk)
    assert (profile.name, profile.is_archived, profile.capped_tubes.count()) == ("Renommé", True, 1)


def test_a_bank_profile_cannot_be_patched(api_client, staff, mdp):
    profile = TargetProfileFactory(from_bank=True, tubes=[(mdp, 2)])
    api_client.force_authenticate(staff)
    response = api_client.patch(_detail(profile), {"name": "Autre"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "TARGET_PROFILE_FROM_BANK"


def test_only_staff_write(api_client, alice_admin, school, profiles, mdp):
    api_client.force_authenticate(alice_admin)
    response = api_client.post(LIST, {"name": "P", "tubes": [{"tube": "mdp", "level": 2}],
                                      "owner_organization": school.pk}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "STAFF_ONLY"
    assert api_client.patch(_detail(profiles["own"]), {"name": "X"}, format="json").status_code == 403


def test_the_endpoints_are_in_the_schema_under_parcours(api_client, staff):
    api_client.force_authenticate(staff)
    schema = api_client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/target-profiles/"]["get"]
    assert operation["tags"] == ["parcours"]
    assert "patch" in schema["paths"]["/api/v1/target-profiles/{target_profile_id}/"]
