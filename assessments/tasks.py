"""Celery tasks of the assessments app: they call a service."""

import datetime
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from assessments.services.certifiability import certifiability_compute

logger = logging.getLogger(__name__)

# The beat entry runs it every day at 21:00 (Paris): the accounts used since the same time the day before.
NIGHTLY_PERIOD = datetime.timedelta(hours=24)


@shared_task(
    name="assessments.certifiability_compute_nightly",
    # Safe to run twice: a second run writes the same profiles with a newer date.
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=60,
    retry_jitter=True,
)
def certifiability_compute_nightly() -> dict:
    now = timezone.now()
    run = certifiability_compute(since=now - NIGHTLY_PERIOD, now=now)
    return {"learners": run.learners, "accounts": run.accounts, "written": run.written, "seconds": run.seconds}
