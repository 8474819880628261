"""E-mails and imports travel on separate Celery queues: a long import never delays a password-reset e-mail."""

import pytest

from accounts.tasks import password_reset_email_send_task
from invitations.tasks import invitation_email_send
from pixorga.celery import app
from students.tasks import import_job_process


def queue_of(task) -> str:
    return app.amqp.router.route({}, task.name)["queue"].name


def test_e_mails_go_to_the_default_queue_and_imports_to_their_own():
    assert queue_of(password_reset_email_send_task) == "default"
    assert queue_of(invitation_email_send) == "default"
    assert queue_of(import_job_process) == "imports"
    # A worker started without -Q (make worker, the tests' worker) consumes both.
    assert set(app.amqp.queues) == {"default", "imports"}


@pytest.mark.celery_worker
def test_on_the_broker_an_import_and_an_e_mail_wait_in_different_queues():
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app.connection_for_write() as connection:
            client = connection.default_channel.client
            client.delete("default", "imports")
            import_job_process.delay("00000000-0000-0000-0000-000000000000")
            password_reset_email_send_task.delay(0)
            assert (client.llen("imports"), client.llen("default")) == (1, 1)
            client.delete("default", "imports")
    finally:
        app.conf.task_always_eager = saved
