"""``POST /api/v1/organizations/`` (Pix staff): a school activated with its first-admin invitation (moved from
organizations' API tests with the endpoint)."""

import pytest

from accounts.factories import UserFactory
from invitations.models import Invitation
from organizations.models import Organization

pytestmark = pytest.mark.django_db

PAYLOAD = {"name": "Lycée Pix", "type": "SCO", "uai": "0761234b", "email": "ce.0761234b@ac-pix.fr",
           "is_managing_students": True}


# POST /organizations/ (Pix team)

def test_staff_creates_a_school_and_its_first_admin_invitation(api_client):
    staff = UserFactory(is_staff=True)
    api_client.force_authenticate(staff)

    response = api_client.post("/api/v1/organizations/", PAYLOAD, format="json")

    assert response.status_code == 201
    organization = Organization.objects.get()
    assert response.json() == {"id": organization.pk, "name": "Lycée Pix", "type": "SCO", "uai": "0761234B",
                               "is_managing_students": True, "email": "ce.0761234b@ac-pix.fr", "archived_at": None}
    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role, invitation.created_by) == ("ce.0761234b@ac-pix.fr", "ADMIN", staff)


def test_create_refuses_non_staff_and_anonymous(api_client, alice_admin):
    assert api_client.post("/api/v1/organizations/", PAYLOAD, format="json").status_code == 401
    api_client.force_authenticate(alice_admin)

    response = api_client.post("/api/v1/organizations/", PAYLOAD, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    assert not Organization.objects.filter(external_id="0761234B").exists()


def test_create_refuses_a_bad_uai_and_a_duplicate(api_client, school):
    api_client.force_authenticate(UserFactory(is_staff=True))

    bad = api_client.post("/api/v1/organizations/", PAYLOAD | {"uai": "12345"}, format="json")
    duplicate = api_client.post("/api/v1/organizations/", PAYLOAD | {"uai": "0751234a"}, format="json")
    invalid = api_client.post("/api/v1/organizations/", PAYLOAD | {"type": "XXX", "email": "nope"}, format="json")

    assert (bad.status_code, bad.json()["code"]) == (400, "INVALID_UAI")
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "UAI_ALREADY_USED")
    assert (invalid.status_code, invalid.json()["code"]) == (400, "VALIDATION_ERROR")
    assert set(invalid.json()["errors"]) == {"type", "email"}
    assert Organization.objects.count() == 1
