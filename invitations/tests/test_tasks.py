import smtplib

import pytest
from anymail.exceptions import AnymailAPIError
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from invitations import services
from invitations.factories import InvitationFactory
from invitations.models import Invitation
from invitations.tasks import invitation_email_send

pytestmark = pytest.mark.django_db

ATTEMPTS = []


class ProviderDownBackend(BaseEmailBackend):
    """The provider refuses every message."""

    def send_messages(self, email_messages):
        ATTEMPTS.append(len(email_messages))
        raise smtplib.SMTPServerDisconnected("connexion perdue")


class FlakyBackend(LocmemBackend):
    """Fails twice (as an anymail API error), then delivers to mail.outbox."""

    def send_messages(self, messages):
        ATTEMPTS.append(len(messages))
        if len(ATTEMPTS) <= 2:
            raise AnymailAPIError("503 du fournisseur")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _reset_attempts():
    ATTEMPTS.clear()


@pytest.fixture
def retries_as_in_production():
    """Eager tasks retry in place (no waiting) only when errors are not propagated to the caller, as on a worker."""
    from pixorga.celery import app

    app.conf.task_eager_propagates = False  # restored by the root conftest's _celery_eager


def test_a_provider_error_is_retried_then_marked_failed_after_the_last_retry(settings, school, retries_as_in_production):
    settings.EMAIL_BACKEND = "invitations.tests.test_tasks.ProviderDownBackend"
    invitation = InvitationFactory(organization=school)
    invitation_email_send.delay(invitation.pk, invitation.raw_token)
    assert len(ATTEMPTS) == 1 + invitation_email_send.max_retries == 6
    invitation.refresh_from_db()
    assert invitation.delivery_status == Invitation.Delivery.FAILED
    assert invitation.status == Invitation.Status.PENDING


def test_a_transient_provider_error_is_retried_until_sent(settings, school, retries_as_in_production):
    settings.EMAIL_BACKEND = "invitations.tests.test_tasks.FlakyBackend"
    invitation = InvitationFactory(organization=school)
    invitation_email_send.delay(invitation.pk, invitation.raw_token)
    assert len(ATTEMPTS) == 3
    assert [m.to for m in mail.outbox] == [[invitation.email]]
    invitation.refresh_from_db()
    assert invitation.delivery_status == Invitation.Delivery.SENT


def test_the_task_does_nothing_when_the_invitation_was_resent_meanwhile(school, alice_admin):
    invitation = InvitationFactory(organization=school)
    stale_token = invitation.raw_token
    services.invitation_resend(organization=school, invitation_id=invitation.pk, by=alice_admin)  # not committed
    assert invitation_email_send.delay(invitation.pk, stale_token).get() is False
    assert mail.outbox == []


def test_the_task_does_nothing_when_the_invitation_was_cancelled(school, alice_admin):
    invitation = InvitationFactory(organization=school)
    services.invitation_cancel(organization=school, invitation_id=invitation.pk, by=alice_admin)
    assert invitation_email_send.delay(invitation.pk, invitation.raw_token).get() is False
    assert mail.outbox == []
    assert Invitation.objects.get(pk=invitation.pk).delivery_status == Invitation.Delivery.QUEUED


def test_the_providers_message_id_is_recorded_with_anymail(settings, school):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    invitation = InvitationFactory(organization=school)
    assert invitation_email_send.delay(invitation.pk, invitation.raw_token).get() is True
    invitation.refresh_from_db()
    assert invitation.provider_message_id == str(mail.outbox[0].anymail_status.message_id)
    assert invitation.delivery_status == Invitation.Delivery.SENT


def test_the_task_never_logs_the_token(settings, school, caplog, retries_as_in_production):
    settings.EMAIL_BACKEND = "invitations.tests.test_tasks.ProviderDownBackend"
    invitation = InvitationFactory(organization=school)
    with caplog.at_level("DEBUG"):
        invitation_email_send.delay(invitation.pk, invitation.raw_token)
    assert caplog.records
    assert invitation.raw_token not in caplog.text and invitation.email not in caplog.text
