import logging
import smtplib

from anymail.exceptions import AnymailError
from celery import shared_task

from invitations import services

logger = logging.getLogger(__name__)

# Provider errors worth retrying: SMTP failures, network errors, any anymail API/transport error.
PROVIDER_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, AnymailError)


@shared_task(
    bind=True,
    autoretry_for=PROVIDER_ERRORS,
    retry_backoff=30,        # 30 s, 60 s, 120 s, 240 s, 480 s (with jitter)
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=5,
)
def invitation_email_send(self, invitation_id: int, token: str) -> bool:
    """Send one invitation e-mail. ``token`` is the raw link token (only its digest is stored): never log it."""
    try:
        return services.invitation_email_deliver(invitation_id=invitation_id, token=token)
    except PROVIDER_ERRORS as exc:
        logger.warning("invitation %s: provider error %s (attempt %s)", invitation_id, type(exc).__name__,
                       self.request.retries + 1)
        if self.request.retries >= self.max_retries:
            services.invitation_email_failed(invitation_id=invitation_id, token=token)
        raise
