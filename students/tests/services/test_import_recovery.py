"""When things go wrong around an import: broker down, dead worker, leftover files."""

import datetime as dt

import pytest
from django.utils import timezone

from pixorga.celery import app
from students.errors import QUEUE_UNAVAILABLE_MESSAGE
from students.models import ImportJob, Learner
from students.selectors.imports import import_job_in_flight, import_job_last
from students.services import (
    import_files_purge,
    import_job_can_requeue,
    import_job_create,
    import_job_queuing_failed,
    import_job_requeue,
)
from students.services.imports import RUNNING_STALE_AFTER
from students.tests.import_helpers import sample_upload

Status = ImportJob.Status


@pytest.fixture
def broker_down():
    """The Celery app publishes to a broker nobody listens on (eager off), then gets its own back."""
    saved = (app.conf.get("broker_write_url"), app.conf.task_always_eager)
    # The write URL: Celery prefers the CELERY_BROKER_URL environment variable (set in CI) to broker_url.
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.broker_write_url, app.conf.task_always_eager = saved
    app._pool = None
    app.amqp._producer_pool = None


def test_broker_down_at_upload_keeps_the_job_and_says_what_to_do(broker_down, alice_admin, school,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))

    assert job.enqueue_failed_at is not None  # the caller knows at once
    stored = ImportJob.objects.get(pk=job.pk)
    assert stored.status == Status.QUEUED and stored.enqueue_failed_at is not None
    assert stored.file.storage.exists(stored.file.name)
    assert import_job_queuing_failed(stored) and import_job_can_requeue(stored)
    assert "Relancer" in QUEUE_UNAVAILABLE_MESSAGE


def test_requeue_once_the_broker_is_back_runs_the_import(alice_admin, school, django_capture_on_commit_callbacks,
                                                         broker_down):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    app.conf.task_always_eager = True  # the broker is back (tests run tasks eagerly)

    with django_capture_on_commit_callbacks(execute=True):
        import_job_requeue(organization=school, job_id=job.pk, user=alice_admin)

    job.refresh_from_db()
    assert job.status == Status.DONE and job.enqueue_failed_at is None
    assert Learner.objects.filter(organization=school).count() == 27


def test_a_job_queued_normally_cannot_be_requeued(alice_admin, school):
    job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))

    with pytest.raises(Exception) as error:
        import_job_requeue(organization=school, job_id=job.pk, user=alice_admin)
    assert error.value.code == "IMPORT_NOT_REQUEUEABLE"


def test_a_job_whose_worker_died_is_failed_and_frees_the_school(alice_admin, school,
                                                                 django_capture_on_commit_callbacks):
    job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, attempts=1, started_at=timezone.now() - RUNNING_STALE_AFTER - dt.timedelta(seconds=1))

    assert import_job_in_flight(organization=school) is None

    job.refresh_from_db()
    assert job.status == Status.FAILED and job.errors[0]["code"] == "IMPORT_INTERRUPTED"
    assert "Aucun élève n'a été modifié" in job.errors[0]["detail"]
    assert import_job_last(organization=school) == job
    assert import_job_can_requeue(job)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_requeue(organization=school, job_id=job.pk, user=alice_admin)
    job.refresh_from_db()
    assert job.status == Status.DONE


def test_a_job_running_for_a_short_while_is_left_alone(alice_admin, school):
    job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, attempts=1, started_at=timezone.now())

    assert import_job_in_flight(organization=school) == job


def test_a_check_file_is_purged_after_24_hours(run_import, alice_admin, school):
    check = run_import("small-30.zip", mode="check")
    storage, name = check.file.storage, check.file.name

    assert import_files_purge() == 0
    assert storage.exists(name)
    assert import_files_purge(now=timezone.now() + dt.timedelta(hours=25)) == 1
    check.refresh_from_db()
    assert check.file.name == "" and not storage.exists(name)

    from students.services import import_job_apply_checked
    with pytest.raises(Exception) as error:
        import_job_apply_checked(organization=school, job_id=check.pk, user=alice_admin)
    assert (error.value.code, error.value.http_status) == ("IMPORT_FILE_EXPIRED", 410)


def test_purge_fails_jobs_stuck_queued_for_a_day_and_deletes_their_file(broker_down, alice_admin, school,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    storage, name = job.file.storage, job.file.name

    import_files_purge(now=timezone.now() + dt.timedelta(hours=25))
    import_files_purge(now=timezone.now() + dt.timedelta(hours=50))

    job.refresh_from_db()
    assert job.status == Status.FAILED and job.errors[0]["code"] == "IMPORT_EXPIRED"
    assert not storage.exists(name)
