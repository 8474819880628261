"""With a real worker on the Redis broker, an invitation e-mail queued by the web process gets sent."""

import time

import pytest
from django.core import mail

from invitations.models import Invitation
from invitations.services import invitations_send


def wait_for(condition, *, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_invitation_email_is_sent_by_the_worker(celery_worker, school, alice_admin):
    mail.outbox.clear()

    batch = invitations_send(organization=school, emails="nouvelle.prof@example.net", by=alice_admin)

    invitation = batch.created[0]
    assert wait_for(lambda: Invitation.objects.get(pk=invitation.pk).delivery_status == Invitation.Delivery.SENT)
    assert [message.to for message in mail.outbox] == [["nouvelle.prof@example.net"]]
    assert "/rejoindre?token=" in mail.outbox[0].body
    assert school.name in mail.outbox[0].body
