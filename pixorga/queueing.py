"""Queue a Celery task once the data is committed; when the broker is down, the caller's fallback keeps the work.

The one way e-mails are queued (invitations, password resets): the web request never fails because the broker
does, and what could not be queued is recorded where it can be sent again (an invitation shows « Échec d'envoi »
and is re-sent; a password-reset e-mail waits in ``PendingPasswordResetEmail`` for the retry task).
"""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def broker_errors() -> tuple[type[BaseException], ...]:
    """What publishing raises when the broker is down or unreachable."""
    from kombu.exceptions import OperationalError as KombuOperationalError

    from pixorga.celery import app

    return (KombuOperationalError, ConnectionError, OSError, *app.connection_for_write().connection_errors)


def task_enqueue(task, *args, on_broker_down: Callable[[], None]) -> bool:
    """Send ``task(*args)`` to the broker now, without Celery's publish retries; False (after the fallback) if down.

    Without a broker (embedded default, tests) the task runs here, and its own errors are not taken for a broker's.
    """
    if task.app.conf.task_always_eager:
        task.apply_async(args=args)
        return True
    try:
        task.apply_async(args=args, retry=False)
    except broker_errors() as error:
        logger.warning("task %s: could not be queued (%s)", task.name, type(error).__name__)
        on_broker_down()
        return False
    return True


def task_enqueue_on_commit(task, *args, on_broker_down: Callable[[], None]) -> None:
    """``task_enqueue`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task_enqueue(task, *args, on_broker_down=on_broker_down))
