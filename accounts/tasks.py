from celery import shared_task

from accounts import services


@shared_task(ignore_result=True)
def password_reset_emails_for_address_task(email: str) -> None:
    """« Mot de passe oublié »: the account is looked up here, not in the web request (same answer, same time)."""
    services.password_reset_emails_send_for(email=email)


@shared_task(ignore_result=True)
def password_reset_email_send_task(user_id: int) -> None:
    services.password_reset_email_send(user_id=user_id)


@shared_task(ignore_result=True, name="accounts.password_reset_emails_pending_queue")
def password_reset_emails_pending_queue_task() -> None:
    """Celery beat, every minute: the reset e-mails kept while the broker was down leave now."""
    services.password_reset_emails_pending_queue()
