import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from organizations.factories import MembershipFactory, OrganizationFactory
from organizations.selectors import (
    membership_get_active,
    membership_list_active,
    organization_for_admin,
    organization_for_member,
    organizations_for_user,
)

pytestmark = pytest.mark.django_db


def test_member_and_admin_get_their_organization(school, alice_admin, bob_member):
    assert organization_for_member(user=alice_admin, organization_id=school.pk) == school
    assert organization_for_member(user=bob_member, organization_id=school.pk) == school
    assert organization_for_admin(user=alice_admin, organization_id=school.pk) == school


def test_member_is_denied_admin_access(school, bob_member):
    with pytest.raises(PermissionDenied):
        organization_for_admin(user=bob_member, organization_id=school.pk)


@pytest.mark.parametrize("selector", [organization_for_member, organization_for_admin])
def test_outsider_cannot_tell_another_school_from_a_missing_one(selector, school, charlie_outsider):
    with pytest.raises(Http404):
        selector(user=charlie_outsider, organization_id=school.pk)
    with pytest.raises(Http404):
        selector(user=charlie_outsider, organization_id=999_999)
    with pytest.raises(Http404):
        selector(user=AnonymousUser(), organization_id=school.pk)


def test_a_removed_member_is_an_outsider(school, bob_member):
    bob_member.memberships.update(disabled_at=timezone.now())

    with pytest.raises(Http404):
        organization_for_member(user=bob_member, organization_id=school.pk)
    assert membership_get_active(user=bob_member, organization=school) is None


def test_archived_organizations_are_closed_to_their_members(school, alice_admin):
    school.archived_at = timezone.now()
    school.save()

    with pytest.raises(Http404):
        organization_for_member(user=alice_admin, organization_id=school.pk)
    assert list(organizations_for_user(user=alice_admin)) == []


def test_organizations_for_user_lists_active_memberships_by_name(school, other_school, bob_member):
    MembershipFactory(user=bob_member, organization=other_school)
    left = OrganizationFactory(name="Ancien collège")
    MembershipFactory(user=bob_member, organization=left, disabled_at=timezone.now())

    assert list(organizations_for_user(user=bob_member)) == [other_school, school]  # Collège… before Lycée…
    assert list(organizations_for_user(user=AnonymousUser())) == []


def test_membership_get_active_returns_the_role(school, alice_admin, charlie_outsider):
    assert membership_get_active(user=alice_admin, organization=school).role == "ADMIN"
    assert membership_get_active(user=charlie_outsider, organization=school) is None


def test_team_is_sorted_by_last_name_and_excludes_removed_members(school, alice_admin, bob_member):
    MembershipFactory(organization=school, user__last_name="Arnaud", user__first_name="Zoé")
    MembershipFactory(organization=school, user__last_name="Zidane", disabled_at=timezone.now())

    names = [m.user.last_name for m in membership_list_active(organization=school)]

    assert names == ["Arnaud", "Durand", "Martin"]
