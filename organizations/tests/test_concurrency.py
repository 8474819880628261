"""Two admins demoting each other at the same moment must not leave the school without an admin (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction

from accounts.factories import UserFactory
from organizations.factories import MembershipFactory, OrganizationFactory
from organizations.models import Membership
from organizations.services import membership_change_role, membership_leave, membership_remove

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def two_admins():
    school = OrganizationFactory()
    alice, dora = UserFactory(), UserFactory()
    a = MembershipFactory(organization=school, user=alice, role="ADMIN")
    d = MembershipFactory(organization=school, user=dora, role="ADMIN")
    return school, (alice, a), (dora, d)


def in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects what each side got
            results[key] = error
        finally:
            connection.close()
    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("who_dora_demotes, refusal", [
    ("alice", "NotAnAdmin"),      # demoting each other: Dora is no longer an admin once Alice's change commits
    ("dora", "LastAdminError"),  # each demoting themselves: Dora is now the last admin
])
def test_second_demotion_waits_for_the_first_and_is_refused(who_dora_demotes, refusal):
    school, (alice, a), (dora, d) = two_admins()
    first_done, release = threading.Event(), threading.Event()
    results = {}
    alice_target = d if who_dora_demotes == "alice" else a
    dora_target = a if who_dora_demotes == "alice" else d

    def alice_demotes_and_holds_the_transaction():
        with transaction.atomic():
            membership_change_role(organization=school, membership_id=alice_target.pk, role="MEMBER", by=alice)
            first_done.set()
            release.wait(10)
        return "ok"

    def dora_demotes():
        return membership_change_role(organization=school, membership_id=dora_target.pk, role="MEMBER", by=dora)

    t1 = in_thread(alice_demotes_and_holds_the_transaction, results, "alice")
    assert first_done.wait(10)
    t2 = in_thread(dora_demotes, results, "dora")
    t2.join(1.0)
    assert t2.is_alive(), "Dora's change must wait for the organization lock held by Alice's transaction"
    release.set()
    t1.join(10), t2.join(10)

    assert results["alice"] == "ok"
    assert type(results["dora"]).__name__ == refusal, results
    assert Membership.objects.active().filter(organization=school, role="ADMIN").count() == 1


@pytest.mark.parametrize("action", ["demote", "remove", "leave"])
def test_simultaneous_admin_losses_always_leave_one_admin(action):
    for _ in range(5):
        school, (alice, a), (dora, d) = two_admins()
        barrier = threading.Barrier(2)
        results = {}

        def act(actor, target_membership):
            def run():
                barrier.wait(5)
                if action == "demote":
                    return membership_change_role(organization=school, membership_id=target_membership.pk,
                                                  role="MEMBER", by=actor)
                if action == "remove":
                    return membership_remove(organization=school, membership_id=target_membership.pk, by=actor)
                return membership_leave(organization=school, user=actor)
            return run

        threads = [in_thread(act(alice, d), results, "alice"), in_thread(act(dora, a), results, "dora")]
        for thread in threads:
            thread.join(15)

        admins = Membership.objects.active().filter(organization=school, role="ADMIN").count()
        assert admins == 1, results
        errors = [r for r in results.values() if isinstance(r, Exception)]
        assert len(errors) == 1, results
        # demote/remove: the loser either hits the last-admin rule or finds itself no longer an admin.
        assert type(errors[0]).__name__ in {"LastAdminError", "NotAnAdmin", "DoesNotExist"}, errors
