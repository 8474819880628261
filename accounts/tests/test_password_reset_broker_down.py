"""Broker down: « Mot de passe oublié » answers the same for a known and an unknown address, and the e-mail is kept
for later (sent once the broker is back); invitations keep their « Échec d'envoi » through the same queueing."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import PendingPasswordResetEmail
from accounts.services import password_reset_emails_pending_queue
from invitations.models import Invitation
from invitations.services import invitations_send
from pixorga.testing import broker_unreachable


@pytest.fixture
def broker_down():
    with broker_unreachable() as down:
        yield down


def test_known_and_unknown_addresses_get_the_same_answer_with_the_broker_down(client, alice_admin, broker_down,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("accounts:password_reset"), {"email": "alice.admin@example.net"})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("accounts:password_reset"), {"email": "personne@example.net"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url) == (
        302, reverse("accounts:password_reset_done"))
    assert list(PendingPasswordResetEmail.objects.values_list("user_id", flat=True)) == [alice_admin.pk]
    assert mail.outbox == []


def test_the_kept_email_leaves_once_the_broker_is_back(client, alice_admin, broker_down,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "alice.admin@example.net"})
        client.post(reverse("accounts:password_reset"), {"email": "alice.admin@example.net"})
    assert PendingPasswordResetEmail.objects.count() == 1  # one e-mail, however many requests

    assert password_reset_emails_pending_queue() == 0  # still down: kept
    assert PendingPasswordResetEmail.objects.count() == 1

    broker_down.app.conf.task_always_eager = True  # the broker is back (tests run tasks eagerly)
    assert password_reset_emails_pending_queue() == 1

    assert PendingPasswordResetEmail.objects.count() == 0
    assert [message.to for message in mail.outbox] == [["alice.admin@example.net"]]
    assert "/mot-de-passe/" in mail.outbox[0].body


def test_an_invitation_queued_with_the_broker_down_shows_a_failure_to_retry(school, alice_admin, broker_down,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = invitations_send(organization=school, emails="nouveau@example.net", by=alice_admin)

    invitation = Invitation.objects.get(pk=batch.created[0].pk)
    assert invitation.delivery_status == Invitation.Delivery.FAILED
    assert mail.outbox == []
