"""anymail tracking webhook (``/anymail/<esp>/tracking/``) → each invitation's delivery status."""

from anymail.signals import EventType, tracking
from django.dispatch import receiver

from invitations.models import Invitation
from invitations.services import invitation_delivery_track

EVENT_TO_DELIVERY = {
    EventType.QUEUED: Invitation.Delivery.SENT,
    EventType.SENT: Invitation.Delivery.SENT,
    EventType.DELIVERED: Invitation.Delivery.DELIVERED,
    EventType.DEFERRED: Invitation.Delivery.DEFERRED,
    EventType.BOUNCED: Invitation.Delivery.BOUNCED,
    EventType.REJECTED: Invitation.Delivery.REJECTED,
    EventType.COMPLAINED: Invitation.Delivery.SPAM,
    EventType.FAILED: Invitation.Delivery.FAILED,
}


@receiver(tracking, dispatch_uid="invitations_delivery_tracking")
def invitation_tracking_received(sender, event, esp_name, **kwargs):
    delivery_status = EVENT_TO_DELIVERY.get(event.event_type)
    if delivery_status is None or not event.message_id:  # opens, clicks, unknown events: nothing to show
        return
    invitation_delivery_track(message_id=str(event.message_id), delivery_status=delivery_status, at=event.timestamp)
