"""Celery tasks of the students app: they take ids and call a service."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from students.services.imports import IMPORT_SOFT_TIME_LIMIT, IMPORT_TIME_LIMIT, import_job_fail, import_job_run

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    # Acked once done: a worker killed mid-import leaves the message to be delivered again (the import's
    # transaction rolled back, and import_job_run re-runs a job left "running").
    acks_late=True,
    reject_on_worker_lost=True,
    # Far under the broker's visibility timeout (3600 s): a running task is never delivered a second time.
    # 100,000 students take ~15 s; the soft limit leaves 60 s to mark the job failed before the hard kill.
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
    # Only the database being briefly unreachable is worth retrying; a SIECLE error fails the job at once.
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=10,
    retry_backoff_max=120,
    retry_jitter=True,
)
def import_job_process(self, job_id: str) -> None:
    try:
        import_job_run(job_id=job_id)
    except SoftTimeLimitExceeded:
        logger.error("import %s: soft time limit exceeded", job_id)
        import_job_fail(job_id=job_id, code="IMPORT_TIME_LIMIT")
    except (OperationalError, InterfaceError):
        if self.request.retries >= self.max_retries:
            logger.error("import %s: database unavailable, giving up", job_id)
            try:
                import_job_fail(job_id=job_id, code="IMPORT_DATABASE_UNAVAILABLE")
            except (OperationalError, InterfaceError):
                pass  # still down: import_jobs_fail_stale fails the job later
        raise
