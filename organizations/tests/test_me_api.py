"""``GET /api/v1/me/``: the signed-in person's account (accounts' part) and their organizations (moved from
accounts' tests: organizations serves the endpoint, accounts knows nothing of memberships)."""

import pytest
from django.urls import include, path, reverse
from django.utils import timezone

from accounts import services
from accounts.factories import UserFactory
from organizations.factories import MembershipFactory, OrganizationFactory
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db


# --- GET /api/v1/me/ --------------------------------------------------------------------------------------------------

def test_me_describes_the_admin_and_their_school(api_client, alice_admin, school, charlie_outsider):
    api_client.force_authenticate(alice_admin)

    response = api_client.get(reverse("api-me"))

    assert response.status_code == 200
    assert response.json() == {
        "id": alice_admin.pk, "email": "alice.admin@example.net", "username": None, "first_name": "Alice",
        "last_name": "Martin", "pix_orga_terms_accepted": True, "must_change_password": False,
        "memberships": [{"organization": {"id": school.pk, "name": "Lycée Pix", "type": "SCO", "uai": "0751234A"},
                         "role": "ADMIN"}],
    }


def test_me_for_a_member_shows_only_their_own_memberships(api_client, bob_member, alice_admin, charlie_outsider,
                                                          school):
    api_client.force_authenticate(bob_member)

    memberships = api_client.get(reverse("api-me")).json()["memberships"]

    assert memberships == [{"organization": {"id": school.pk, "name": "Lycée Pix", "type": "SCO", "uai": "0751234A"},
                            "role": "MEMBER"}]


def test_me_for_the_outsider_does_not_show_the_other_school(api_client, charlie_outsider, alice_admin, school):
    api_client.force_authenticate(charlie_outsider)

    names = [m["organization"]["name"] for m in api_client.get(reverse("api-me")).json()["memberships"]]

    assert names == ["Collège Voisin"]


def test_me_leaves_out_disabled_memberships_and_archived_organizations(api_client, bob_member, school):
    archived = OrganizationFactory(name="Ancien collège", archived_at=timezone.now())
    MembershipFactory(user=bob_member, organization=archived)
    left = OrganizationFactory(name="Collège quitté")
    MembershipFactory(user=bob_member, organization=left, disabled_at=timezone.now())
    company = OrganizationFactory(name="Entreprise", type=Organization.Type.PRO, external_id="PRO-42")
    MembershipFactory(user=bob_member, organization=company, role=Membership.Role.ADMIN)
    api_client.force_authenticate(bob_member)

    memberships = api_client.get(reverse("api-me")).json()["memberships"]

    assert [(m["organization"]["name"], m["organization"]["uai"], m["role"]) for m in memberships] == [
        ("Entreprise", "", "ADMIN"), ("Lycée Pix", "0751234A", "MEMBER"),
    ]


def test_me_reads_all_memberships_in_one_query(api_client, django_assert_max_num_queries):
    user = UserFactory()
    for _ in range(15):
        MembershipFactory(user=user)
    _, key = services.api_token_create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api_client.get(reverse("api-me"))  # records the first use

    with django_assert_max_num_queries(2):  # the key with its user, then the memberships with organizations
        response = api_client.get(reverse("api-me"))
    assert len(response.json()["memberships"]) == 15


def test_me_shows_that_new_terms_are_not_accepted_yet(api_client, bob_member, settings):
    settings.PIX_ORGA_TERMS_VERSION = "2099-01"
    api_client.force_authenticate(bob_member)

    assert api_client.get(reverse("api-me")).json()["pix_orga_terms_accepted"] is False


def test_me_needs_authentication(api_client):
    response = api_client.get(reverse("api-me"))

    assert response.status_code == 401 and response.json()["code"] == "NOT_AUTHENTICATED"


def test_the_schema_documents_me_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("organizations.api_urls"))])
    schema = generator.get_schema(request=None, public=True)

    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    paths = schema["paths"]
    assert paths["/api/v1/me/"]["get"]["security"][0] == {"tokenAuth": []}
    assert set(paths["/api/v1/me/"]["get"]["responses"]) == {"200", "401"}
