"""The API keeps the pages' gate: a member of a school who has not accepted the current Pix Orga terms gets
403 PIX_ORGA_TERMS_NOT_ACCEPTED, saying what to do, on every endpoint of the school's data."""

import uuid

import pytest
from django.urls import get_resolver, reverse

from accounts import services
from campaigns.factories import CampaignFactory

NEW_TERMS = "2099-01"


def organization_scoped_paths(**ids) -> list[str]:
    """Every API route that names an organization or a campaign, with these ids filled in."""
    paths = []
    resolver = get_resolver()
    for name, candidates in resolver.reverse_dict.lists():
        if not isinstance(name, str) or not name.startswith("api-"):
            continue
        for _bits, pattern, _defaults, _converters in candidates:
            if "organization_id" in pattern or "campaign_id" in pattern:
                kwargs = {key: value for key, value in ids.items() if f"<{key}>" in pattern or f":{key}>" in pattern
                          or f"(?P<{key}>" in pattern}
                paths.append(reverse(name, kwargs=kwargs))
    return sorted(set(paths))


@pytest.fixture
def scoped_paths(school, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin)
    return organization_scoped_paths(organization_id=school.pk, campaign_id=campaign.pk, learner_id=1,
                                     membership_id=1, invitation_id=1, participation_id=1, job_id=uuid.uuid4())


def test_every_endpoint_of_the_school_refuses_a_member_who_has_not_accepted_the_terms(
        api_client, alice_admin, scoped_paths, settings):
    settings.PIX_ORGA_TERMS_VERSION = NEW_TERMS
    api_client.force_authenticate(alice_admin)
    assert len(scoped_paths) > 25  # students, exports, campaigns, invitations, members…

    for path in scoped_paths:
        response = api_client.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "PIX_ORGA_TERMS_NOT_ACCEPTED", path
        assert "conditions d'utilisation de Pix Orga" in response.json()["detail"]


def test_with_an_api_key_too_then_accepting_opens_the_students(api_client, alice_admin, school, settings):
    _, key = services.api_token_create(user=alice_admin)
    settings.PIX_ORGA_TERMS_VERSION = NEW_TERMS
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    students = reverse("api-students-list", args=[school.pk])
    export = reverse("api-campaign-export", args=[CampaignFactory(organization=school, owner=alice_admin).pk])

    assert api_client.get(students).status_code == 403
    assert api_client.get(export).json()["code"] == "PIX_ORGA_TERMS_NOT_ACCEPTED"
    assert api_client.get(reverse("api-me")).json()["pix_orga_terms_accepted"] is False  # says what stands

    assert api_client.post(reverse("api-me-pix-orga-terms-accept")).status_code == 200
    assert api_client.get(students).status_code == 200
    assert api_client.get(export).status_code == 200


def test_an_account_without_a_school_is_not_asked(api_client, settings, db):
    from accounts.factories import UserFactory

    student = UserFactory(pix_orga_terms_version="")
    settings.PIX_ORGA_TERMS_VERSION = NEW_TERMS
    api_client.force_authenticate(student)

    assert api_client.get(reverse("api-my-profile")).status_code == 200


def test_the_current_terms_accepted_let_everything_through(api_client, bob_member, school):
    api_client.force_authenticate(bob_member)

    assert api_client.get(reverse("api-students-list", args=[school.pk])).status_code == 200
