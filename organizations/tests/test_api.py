import pytest
from django.utils import timezone

from organizations.models import Membership
from organizations.tests.conftest import membership_of

pytestmark = pytest.mark.django_db

def org_url(organization):
    return f"/api/v1/organizations/{organization.pk}/"


def member_url(organization, membership):
    return f"/api/v1/organizations/{organization.pk}/members/{membership.pk}/"


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
