"""Concurrent clicks and double submissions, on PostgreSQL with real threads and row locks."""

import pytest

from accounts.factories import UserFactory
from invitations import services
from invitations.errors import InvitationAlreadyUsed
from invitations.factories import InvitationFactory
from invitations.models import Invitation
from organizations.factories import MembershipFactory, OrganizationFactory
from organizations.models import Membership
from pixorga.testing import run_together

THREADS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_clicks_on_one_link_make_exactly_one_membership():
    school = OrganizationFactory()
    invitation = InvitationFactory(organization=school)
    zoe, paul = UserFactory(), UserFactory()

    results = run_together(lambda i: services.invitation_accept(token=invitation.raw_token,
                                                                user=zoe if i % 2 else paul).pk, THREADS)

    successes = [value for kind, value in results if kind == "ok"]
    failures = [value for kind, value in results if kind == "error"]
    assert len(successes) == 1
    assert len(failures) == THREADS - 1 and all(isinstance(e, InvitationAlreadyUsed) for e in failures)
    memberships = Membership.objects.filter(organization=school)
    assert memberships.count() == 1 and memberships.get().pk == successes[0]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_by_id == memberships.get().user_id
    assert memberships.get().role == Membership.Role.ADMIN  # the first to join an empty organization


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_invitations_of_one_address_leave_one_pending_invitation():
    school = OrganizationFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)

    results = run_together(
        lambda i: services.invitations_send(organization=school, emails="zoe@ecole.fr", by=admin), THREADS)

    assert all(kind == "ok" for kind, _ in results), results
    assert sum(len(batch.created) for _, batch in results) == 1
    assert sum(len(batch.resent) for _, batch in results) == THREADS - 1
    assert Invitation.objects.filter(organization=school, email="zoe@ecole.fr").count() == 1
