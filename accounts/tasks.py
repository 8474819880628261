from celery import shared_task

from accounts import services


@shared_task(ignore_result=True)
def password_reset_email_send_task(user_id: int) -> None:
    services.password_reset_email_send(user_id=user_id)
