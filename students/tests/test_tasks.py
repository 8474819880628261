"""The import task: its delivery guarantees and what it retries."""

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.db import OperationalError

from students.models import ImportJob
from students.services import import_job_create
from students.tasks import import_job_process
from students.tests.import_helpers import sample_upload


def test_the_task_is_acked_late_and_killed_well_before_redelivery():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]

    assert import_job_process.acks_late is True
    assert import_job_process.reject_on_worker_lost is True
    assert import_job_process.soft_time_limit < import_job_process.time_limit <= visibility / 3
    assert set(import_job_process.autoretry_for) == {OperationalError, __import__("django.db").db.InterfaceError}


def test_a_siecle_error_is_never_retried(alice_admin, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(organization=school, user=alice_admin,
                                uploaded_file=sample_upload("defect-wrong-uai.xml"))

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportJob.Status.FAILED, 1)
    assert job.errors[0]["code"] == "UAI_MISMATCHED"


def test_a_database_hiccup_is_retried_then_the_import_runs(alice_admin, school, monkeypatch):
    from students import tasks

    calls = []
    real = tasks.import_job_run

    def flaky(*, job_id):
        calls.append(job_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        real(job_id=job_id)

    monkeypatch.setattr(tasks, "import_job_run", flaky)
    job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))

    with pytest.raises(Retry):
        import_job_process.apply(args=[str(job.pk)], throw=True)
    import_job_process.apply(args=[str(job.pk)], retries=1, throw=True)  # what the broker delivers next

    job.refresh_from_db()
    assert len(calls) == 2
    assert job.status == ImportJob.Status.DONE


def test_a_database_down_for_good_fails_the_job_for_requeue(alice_admin, school, monkeypatch):
    from students import tasks
    from students.services import import_job_can_requeue

    def claim_then_fail(*, job_id):
        ImportJob.objects.filter(pk=job_id).update(status=ImportJob.Status.RUNNING)
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(tasks, "import_job_run", claim_then_fail)
    job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))

    with pytest.raises(OperationalError):
        import_job_process.apply(args=[str(job.pk)], retries=import_job_process.max_retries, throw=True)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["code"] == "IMPORT_DATABASE_UNAVAILABLE"
    assert import_job_can_requeue(job)
