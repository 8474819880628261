import pytest
from django.core import mail
from django.utils import timezone

from accounts.factories import UserFactory
from organizations.errors import InvalidRole, LastAdminError, NotAnAdmin
from organizations.factories import MembershipFactory
from organizations.models import Membership
from organizations.services import (
    membership_change_role,
    membership_grant,
    membership_leave,
    membership_remove,
    organization_create,
)
from organizations.tests.conftest import membership_of

pytestmark = pytest.mark.django_db


def create(**overrides):
    values = {"name": "Lycée Pix", "type": "SCO", "uai": "0751234a", "email": "CE.0751234A@ac-pix.fr",
              "is_managing_students": True}
    return organization_create(**(values | overrides))


# organization_create (the activation, with the first-admin invitation: invitations/tests/test_activation.py)

def test_create_alone_stores_the_organization_and_sends_nothing(django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        organization = create(by=staff)

    organization.refresh_from_db()
    assert (organization.external_id, organization.email, organization.created_by) == (
        "0751234A", "ce.0751234a@ac-pix.fr", staff)
    assert mail.outbox == []


# membership_grant

def test_grant_creates_a_membership(school):
    user = UserFactory()

    membership = membership_grant(organization=school, user=user, role=Membership.Role.MEMBER)

    assert membership_of(user, school) == membership
    assert membership.role == Membership.Role.MEMBER


def test_grant_returns_the_existing_membership_and_upgrades_it_to_admin(school, bob_member):
    existing = membership_of(bob_member, school)

    same = membership_grant(organization=school, user=bob_member, role=Membership.Role.MEMBER)
    upgraded = membership_grant(organization=school, user=bob_member, role=Membership.Role.ADMIN)

    assert same.pk == upgraded.pk == existing.pk
    assert membership_of(bob_member, school).role == Membership.Role.ADMIN
    assert Membership.objects.filter(organization=school, user=bob_member).count() == 1


def test_grant_never_downgrades_an_admin(school, alice_admin):
    membership = membership_grant(organization=school, user=alice_admin, role=Membership.Role.MEMBER)

    assert membership.role == Membership.Role.ADMIN


def test_a_removed_member_can_be_added_again_and_history_is_kept(school, alice_admin, bob_member):
    old = membership_of(bob_member, school)
    membership_remove(organization=school, membership_id=old.pk, by=alice_admin)

    new = membership_grant(organization=school, user=bob_member, role=Membership.Role.MEMBER)

    assert new.pk != old.pk
    old.refresh_from_db()
    assert old.disabled_at is not None and old.disabled_by == alice_admin
    assert Membership.objects.filter(organization=school, user=bob_member).count() == 2
    assert membership_of(bob_member, school) == new


# membership_change_role

def test_admin_promotes_a_member_and_co_admins_are_unlimited(school, alice_admin, bob_member):
    others = [MembershipFactory(organization=school).pk for _ in range(3)]

    for membership_id in [membership_of(bob_member, school).pk, *others]:
        membership_change_role(organization=school, membership_id=membership_id, role="ADMIN", by=alice_admin)

    assert Membership.objects.active().filter(organization=school, role="ADMIN").count() == 5


def test_admin_demotes_another_admin(school, alice_admin, dora_coadmin):
    dora = membership_of(dora_coadmin, school)

    membership_change_role(organization=school, membership_id=dora.pk, role="MEMBER", by=alice_admin)

    dora.refresh_from_db()
    assert dora.role == Membership.Role.MEMBER


def test_admin_may_demote_themselves_when_another_admin_remains(school, alice_admin, dora_coadmin):
    alice = membership_of(alice_admin, school)

    membership_change_role(organization=school, membership_id=alice.pk, role="MEMBER", by=alice_admin)

    alice.refresh_from_db()
    assert alice.role == Membership.Role.MEMBER


def test_last_admin_cannot_demote_themselves(school, alice_admin, bob_member):
    alice = membership_of(alice_admin, school)

    with pytest.raises(LastAdminError) as error:
        membership_change_role(organization=school, membership_id=alice.pk, role="MEMBER", by=alice_admin)

    assert error.value.code == "LAST_ADMIN" and error.value.http_status == 409
    assert "Nommez d'abord un autre administrateur" in error.value.message
    alice.refresh_from_db()
    assert alice.role == Membership.Role.ADMIN


def test_a_disabled_admin_does_not_count_as_an_admin(school, alice_admin):
    MembershipFactory(organization=school, role="ADMIN", disabled_at=timezone.now())
    alice = membership_of(alice_admin, school)

    with pytest.raises(LastAdminError):
        membership_change_role(organization=school, membership_id=alice.pk, role="MEMBER", by=alice_admin)


def test_a_member_cannot_change_roles(school, alice_admin, bob_member):
    bob = membership_of(bob_member, school)

    with pytest.raises(NotAnAdmin):
        membership_change_role(organization=school, membership_id=bob.pk, role="ADMIN", by=bob_member)

    bob.refresh_from_db()
    assert bob.role == Membership.Role.MEMBER


def test_change_role_of_another_schools_membership_is_not_found(school, other_school, alice_admin, charlie_outsider):
    charlie = membership_of(charlie_outsider, other_school)

    with pytest.raises(Membership.DoesNotExist):
        membership_change_role(organization=school, membership_id=charlie.pk, role="MEMBER", by=alice_admin)

    charlie.refresh_from_db()
    assert charlie.role == Membership.Role.ADMIN


def test_change_role_refuses_an_unknown_role(school, alice_admin, bob_member):
    with pytest.raises(InvalidRole):
        membership_change_role(organization=school, membership_id=membership_of(bob_member, school).pk,
                               role="OWNER", by=alice_admin)


# membership_remove

def test_admin_removes_a_member_who_then_loses_access(school, alice_admin, bob_member):
    bob = membership_of(bob_member, school)

    membership_remove(organization=school, membership_id=bob.pk, by=alice_admin)

    bob.refresh_from_db()
    assert bob.disabled_at is not None
    assert bob.disabled_by == alice_admin
    assert not Membership.objects.active().filter(organization=school, user=bob_member).exists()


def test_admin_removes_another_admin(school, alice_admin, dora_coadmin):
    membership_remove(organization=school, membership_id=membership_of(dora_coadmin, school).pk, by=alice_admin)

    assert not Membership.objects.active().filter(organization=school, user=dora_coadmin).exists()


def test_last_admin_cannot_remove_themselves(school, alice_admin, bob_member):
    alice = membership_of(alice_admin, school)

    with pytest.raises(LastAdminError):
        membership_remove(organization=school, membership_id=alice.pk, by=alice_admin)

    alice.refresh_from_db()
    assert alice.disabled_at is None


def test_a_member_cannot_remove_anyone(school, alice_admin, bob_member):
    with pytest.raises(NotAnAdmin):
        membership_remove(organization=school, membership_id=membership_of(alice_admin, school).pk, by=bob_member)

    assert membership_of(alice_admin, school).disabled_at is None


def test_remove_another_schools_membership_is_not_found(school, other_school, alice_admin, charlie_outsider):
    with pytest.raises(Membership.DoesNotExist):
        membership_remove(organization=school, membership_id=membership_of(charlie_outsider, other_school).pk,
                          by=alice_admin)

    assert membership_of(charlie_outsider, other_school).disabled_at is None


def test_removing_an_already_removed_member_is_not_found(school, alice_admin, bob_member):
    bob = membership_of(bob_member, school)
    membership_remove(organization=school, membership_id=bob.pk, by=alice_admin)

    with pytest.raises(Membership.DoesNotExist):
        membership_remove(organization=school, membership_id=bob.pk, by=alice_admin)


# membership_leave

def test_member_leaves(school, alice_admin, bob_member):
    membership_leave(organization=school, user=bob_member)

    bob = Membership.objects.get(organization=school, user=bob_member)
    assert bob.disabled_at is not None and bob.disabled_by == bob_member


def test_admin_leaves_when_another_admin_remains(school, alice_admin, dora_coadmin):
    membership_leave(organization=school, user=alice_admin)

    assert list(Membership.objects.active().filter(organization=school).values_list("user", flat=True)) == [
        dora_coadmin.pk
    ]


def test_last_admin_cannot_leave(school, alice_admin, bob_member):
    with pytest.raises(LastAdminError):
        membership_leave(organization=school, user=alice_admin)

    assert membership_of(alice_admin, school).disabled_at is None


def test_outsider_cannot_leave_an_organization_they_are_not_in(school, charlie_outsider):
    with pytest.raises(Membership.DoesNotExist):
        membership_leave(organization=school, user=charlie_outsider)


def test_last_admin_guard_counts_admins_of_this_organization_only(school, other_school, alice_admin):
    # Alice is also an admin elsewhere: that does not make her any less the school's last admin.
    MembershipFactory(user=alice_admin, organization=other_school, role="ADMIN")

    with pytest.raises(LastAdminError):
        membership_leave(organization=school, user=alice_admin)

    assert membership_of(alice_admin, school).disabled_at is None
