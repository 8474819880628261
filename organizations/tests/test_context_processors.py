import pytest
from django.test import RequestFactory
from django.urls import resolve

from organizations.context_processors import current_organization
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def request_for(user, path="/", session=None):
    request = RequestFactory().get(path)
    request.user = user
    request.session = session or {}
    request.resolver_match = resolve(path)
    return request


@pytest.fixture
def bob_in_two_schools(school, other_school, bob_member):
    MembershipFactory(user=bob_member, organization=other_school)
    return bob_member


def test_the_organization_of_the_url_is_current(school, other_school, bob_in_two_schools):
    context = current_organization(request_for(bob_in_two_schools, f"/organisations/{school.pk}/equipe",
                                               {"current_organization_id": other_school.pk}))

    assert context["current_organization"] == school
    assert context["current_membership"].role == "MEMBER"
    assert [m.organization for m in context["other_memberships"]] == [other_school]


def test_outside_an_organization_url_the_switchers_choice_is_current(school, other_school, bob_in_two_schools):
    context = current_organization(request_for(bob_in_two_schools, "/", {"current_organization_id": school.pk}))

    assert context["current_organization"] == school


def test_an_organization_url_of_another_school_does_not_become_current(school, other_school, bob_member):
    context = current_organization(request_for(bob_member, f"/organisations/{other_school.pk}/equipe"))

    assert context["current_organization"] == school


def test_without_a_choice_the_first_organization_by_name_is_current(school, other_school, bob_in_two_schools):
    context = current_organization(request_for(bob_in_two_schools, "/", {"current_organization_id": 999_999}))

    assert context["current_organization"] == other_school  # "Collège Voisin" before "Lycée Pix"


def test_no_membership_means_no_current_organization(charlie_outsider, other_school):
    charlie_outsider.memberships.update(disabled_at="2026-01-01T00:00:00Z")

    assert current_organization(request_for(charlie_outsider))["current_organization"] is None


def test_one_query_per_request_however_often_templates_ask(bob_in_two_schools, django_assert_num_queries):
    request = request_for(bob_in_two_schools)

    with django_assert_num_queries(1):
        for _ in range(3):
            current_organization(request)
