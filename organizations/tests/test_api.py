import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from invitations.models import Invitation
from organizations.models import Membership, Organization
from organizations.tests.conftest import membership_of

pytestmark = pytest.mark.django_db

PAYLOAD = {"name": "Lycée Pix", "type": "SCO", "uai": "0761234b", "email": "ce.0761234b@ac-pix.fr",
           "is_managing_students": True}


def org_url(organization):
    return f"/api/v1/organizations/{organization.pk}/"


def member_url(organization, membership):
    return f"/api/v1/organizations/{organization.pk}/members/{membership.pk}/"


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


# GET /organizations/{id}/

def test_admin_reads_the_organization_with_its_contact_email(api_client, school, alice_admin):
    api_client.force_authenticate(alice_admin)

    response = api_client.get(org_url(school))

    assert response.status_code == 200
    assert response.json() == {"id": school.pk, "name": "Lycée Pix", "type": "SCO", "uai": "0751234A",
                               "is_managing_students": True, "email": "ce.0751234a@ac-pix.fr", "archived_at": None}


def test_member_reads_the_organization_without_its_contact_email(api_client, school, bob_member):
    api_client.force_authenticate(bob_member)

    response = api_client.get(org_url(school))

    assert response.status_code == 200
    assert response.json()["name"] == "Lycée Pix" and response.json()["email"] is None


def test_outsider_and_unknown_ids_are_404_anonymous_401(api_client, school, charlie_outsider):
    assert api_client.get(org_url(school)).status_code == 401
    api_client.force_authenticate(charlie_outsider)

    assert api_client.get(org_url(school)).json() == {"code": "NOT_FOUND", "detail": "Introuvable."}
    assert api_client.get("/api/v1/organizations/999999/").status_code == 404


# GET /organizations/{id}/members/

def test_members_are_listed_by_last_name(api_client, school, alice_admin, bob_member):
    api_client.force_authenticate(bob_member)

    response = api_client.get(f"{org_url(school)}members/")

    assert response.status_code == 200
    alice, bob = membership_of(alice_admin, school), membership_of(bob_member, school)
    body = response.json()
    assert [m["id"] for m in body] == [bob.pk, alice.pk]  # Durand, Martin
    assert body[1]["user"] == {"id": alice_admin.pk, "first_name": "Alice", "last_name": "Martin",
                               "email": "alice.admin@example.net"}
    assert body[1]["role"] == "ADMIN" and body[0]["role"] == "MEMBER"
    assert body[0]["created_at"]


def test_removed_members_are_not_listed(api_client, school, alice_admin, bob_member):
    membership_of(bob_member, school).__class__.objects.filter(user=bob_member).update(disabled_at=timezone.now())
    api_client.force_authenticate(alice_admin)

    assert [m["user"]["id"] for m in api_client.get(f"{org_url(school)}members/").json()] == [alice_admin.pk]


# PATCH / DELETE /organizations/{id}/members/{membership_id}/

def test_admin_changes_a_role(api_client, school, alice_admin, bob_member):
    api_client.force_authenticate(alice_admin)
    bob = membership_of(bob_member, school)

    response = api_client.patch(member_url(school, bob), {"role": "ADMIN"}, format="json")

    assert response.status_code == 200
    assert response.json()["role"] == "ADMIN" and response.json()["user"]["id"] == bob_member.pk
    bob.refresh_from_db()
    assert bob.role == "ADMIN"


def test_role_change_errors(api_client, school, other_school, alice_admin, bob_member, charlie_outsider):
    alice, bob = membership_of(alice_admin, school), membership_of(bob_member, school)
    charlie = membership_of(charlie_outsider, other_school)
    api_client.force_authenticate(alice_admin)

    last_admin = api_client.patch(member_url(school, alice), {"role": "MEMBER"}, format="json")
    bad_role = api_client.patch(member_url(school, bob), {"role": "OWNER"}, format="json")
    foreign = api_client.patch(member_url(school, charlie), {"role": "MEMBER"}, format="json")

    assert last_admin.status_code == 409
    assert last_admin.json() == {
        "code": "LAST_ADMIN",
        "detail": "L'organisation doit garder au moins un administrateur. Nommez d'abord un autre administrateur.",
    }
    assert (bad_role.status_code, bad_role.json()["code"]) == (400, "VALIDATION_ERROR")
    assert foreign.status_code == 404
    api_client.force_authenticate(bob_member)
    assert api_client.patch(member_url(school, bob), {"role": "ADMIN"}, format="json").status_code == 403
    alice.refresh_from_db(), bob.refresh_from_db(), charlie.refresh_from_db()
    assert (alice.role, bob.role, charlie.role) == ("ADMIN", "MEMBER", "ADMIN")


def test_admin_removes_a_member(api_client, school, alice_admin, bob_member):
    api_client.force_authenticate(alice_admin)
    bob = membership_of(bob_member, school)

    response = api_client.delete(member_url(school, bob))

    assert response.status_code == 204
    bob.refresh_from_db()
    assert bob.disabled_at is not None and bob.disabled_by == alice_admin
    assert api_client.delete(member_url(school, bob)).status_code == 404  # already gone


def test_last_admin_cannot_be_removed(api_client, school, alice_admin):
    api_client.force_authenticate(alice_admin)

    response = api_client.delete(member_url(school, membership_of(alice_admin, school)))

    assert (response.status_code, response.json()["code"]) == (409, "LAST_ADMIN")


# POST /organizations/{id}/leave/

def test_member_leaves(api_client, school, alice_admin, bob_member):
    api_client.force_authenticate(bob_member)

    assert api_client.post(f"{org_url(school)}leave/").status_code == 204
    assert not Membership.objects.active().filter(user=bob_member).exists()
    assert api_client.get(org_url(school)).status_code == 404


def test_last_admin_cannot_leave(api_client, school, alice_admin, bob_member):
    api_client.force_authenticate(alice_admin)

    response = api_client.post(f"{org_url(school)}leave/")

    assert (response.status_code, response.json()["code"]) == (409, "LAST_ADMIN")
    assert membership_of(alice_admin, school).disabled_at is None


def test_api_schema_documents_the_organization_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = schema["paths"]
    assert set(paths["/api/v1/organizations/"]) == {"post"}
    assert "409" in paths["/api/v1/organizations/{organization_id}/members/{membership_id}/"]["patch"]["responses"]
    assert "204" in paths["/api/v1/organizations/{organization_id}/leave/"]["post"]["responses"]
