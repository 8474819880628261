import base64
import json
from datetime import datetime, timezone as dt_timezone

import pytest
from anymail.signals import AnymailTrackingEvent, EventType, tracking

from invitations.factories import InvitationFactory
from invitations.models import Invitation

pytestmark = pytest.mark.django_db

D = Invitation.Delivery


def send_event(event_type, message_id="msg-1"):
    tracking.send(sender=object, esp_name="Brevo", event=AnymailTrackingEvent(
        event_type=event_type, message_id=message_id, recipient="zoe@ecole.fr",
        timestamp=datetime(2026, 11, 23, 9, 30, tzinfo=dt_timezone.utc),
    ))


@pytest.fixture
def sent(school):
    return InvitationFactory(organization=school, email="zoe@ecole.fr", provider_message_id="msg-1",
                             delivery_status=D.SENT)


@pytest.mark.parametrize("event_type, expected", [
    (EventType.DELIVERED, D.DELIVERED),
    (EventType.BOUNCED, D.BOUNCED),
    (EventType.REJECTED, D.REJECTED),
    (EventType.COMPLAINED, D.SPAM),
    (EventType.DEFERRED, D.DEFERRED),
    (EventType.FAILED, D.FAILED),
    (EventType.SENT, D.SENT),
    (EventType.QUEUED, D.SENT),
])
def test_each_provider_event_sets_the_delivery_status(sent, event_type, expected):
    send_event(event_type)
    sent.refresh_from_db()
    assert sent.delivery_status == expected
    assert sent.delivery_updated_at == datetime(2026, 11, 23, 9, 30, tzinfo=dt_timezone.utc)


def test_a_late_sent_event_never_downgrades_delivered(sent):
    send_event(EventType.DELIVERED)
    send_event(EventType.SENT)
    send_event(EventType.QUEUED)
    send_event(EventType.DEFERRED)
    assert Invitation.objects.get(pk=sent.pk).delivery_status == D.DELIVERED


def test_a_spam_complaint_after_delivery_is_shown(sent):
    send_event(EventType.DELIVERED)
    send_event(EventType.COMPLAINED)
    assert Invitation.objects.get(pk=sent.pk).delivery_status == D.SPAM


def test_opens_clicks_and_unknown_message_ids_change_nothing(sent):
    send_event(EventType.OPENED)
    send_event(EventType.CLICKED)
    send_event(EventType.DELIVERED, message_id="un-autre-message")
    send_event(EventType.DELIVERED, message_id=None)
    assert Invitation.objects.get(pk=sent.pk).delivery_status == D.SENT


def test_events_of_an_earlier_sending_are_ignored_after_a_resend(sent, school, alice_admin):
    from invitations.services import invitation_resend

    invitation_resend(organization=school, invitation_id=sent.pk, by=alice_admin)  # e-mail not yet sent (no commit)
    send_event(EventType.BOUNCED)  # about the previous e-mail
    sent.refresh_from_db()
    assert sent.delivery_status == D.QUEUED and sent.provider_message_id == ""


def test_the_brevo_tracking_webhook_updates_the_invitation(client, settings, sent):
    settings.EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "pixorga:webhook-secret"}
    payload = {"event": "spam", "email": "zoe@ecole.fr", "message-id": "msg-1", "ts_epoch": 1795000000000}
    auth = "Basic " + base64.b64encode(b"pixorga:webhook-secret").decode()
    response = client.post("/anymail/brevo/tracking/", data=json.dumps(payload), content_type="application/json",
                           HTTP_AUTHORIZATION=auth)
    assert response.status_code == 200
    assert Invitation.objects.get(pk=sent.pk).delivery_status == D.SPAM


def test_the_tracking_webhook_refuses_a_caller_without_the_secret(client, settings, sent):
    settings.EMAIL_BACKEND = "anymail.backends.brevo.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "pixorga:webhook-secret"}
    payload = {"event": "delivered", "email": "zoe@ecole.fr", "message-id": "msg-1"}
    auth = "Basic " + base64.b64encode(b"pixorga:devine").decode()
    response = client.post("/anymail/brevo/tracking/", data=json.dumps(payload), content_type="application/json",
                           HTTP_AUTHORIZATION=auth)
    assert response.status_code == 400
    assert Invitation.objects.get(pk=sent.pk).delivery_status == D.SENT
