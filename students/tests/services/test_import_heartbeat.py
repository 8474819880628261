"""A dead import is seen within a minute or two (a heartbeat), and a live one keeps beating while it writes."""

import datetime as dt
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from students.models import ImportJob, Learner
from students.services import imports
from students.services.imports import HEARTBEAT_STALE_AFTER, import_job_run, import_jobs_fail_stale
from students.tests.import_helpers import SAMPLES

Status = ImportJob.Status


def stored_job(school, user, sample="small-30.zip", **fields):
    data = (SAMPLES / sample).read_bytes()
    return ImportJob.objects.create(organization=school, uploaded_by=user, file_name=sample, file_size=len(data),
                                    file=SimpleUploadedFile(sample, data), **fields)


@pytest.mark.django_db
def test_an_import_whose_worker_stopped_beating_two_minutes_ago_is_shown_dead_with_relancer(client, school,
                                                                                          alice_admin):
    two_minutes_ago = timezone.now() - dt.timedelta(minutes=2)
    job = stored_job(school, alice_admin, status=Status.RUNNING, attempts=1, started_at=two_minutes_ago,
                     heartbeat_at=two_minutes_ago, progress_done=80, progress_total=100)
    client.force_login(alice_admin)

    page = client.get(reverse("students:import_status", args=[school.pk, job.pk])).content.decode()

    assert "l'import continue" not in page and "hx-trigger" not in page
    assert "le serveur qui s&#x27;en chargeait ne répond plus" in page
    assert reverse("students:import_requeue", args=[school.pk, job.pk]) in page
    # The school is free again: another upload is accepted.
    assert "Un import est déjà en cours" not in client.get(reverse("students:import", args=[school.pk])).content.decode()


@pytest.mark.django_db
def test_an_import_that_beat_a_few_seconds_ago_is_still_running(client, school, alice_admin):
    job = stored_job(school, alice_admin, status=Status.RUNNING, attempts=1,
                     started_at=timezone.now() - dt.timedelta(minutes=10),
                     heartbeat_at=timezone.now() - dt.timedelta(seconds=15), progress_done=80, progress_total=100)
    client.force_login(alice_admin)

    page = client.get(reverse("students:import_status", args=[school.pk, job.pk])).content.decode()

    assert "import continue" in page and 'hx-trigger="every 1s"' in page
    assert ImportJob.objects.get(pk=job.pk).status == Status.RUNNING


def _slow_write(monkeypatch, seconds: float):
    real = imports.sync_write

    def slow(**kwargs):
        real(**kwargs)
        time.sleep(seconds)  # a big school's write, inside the import's transaction

    monkeypatch.setattr(imports, "sync_write", slow)


def _run_in_a_thread(job_id) -> threading.Thread:
    def run():
        try:
            import_job_run(job_id=job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_until_writing(job_id, thread):
    deadline = time.monotonic() + 30
    while ImportJob.objects.get(pk=job_id).progress_done < 80:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_goes_on_while_the_import_writes_in_its_transaction(monkeypatch, school, alice_admin):
    monkeypatch.setattr(imports, "HEARTBEAT_INTERVAL", 0.2)
    _slow_write(monkeypatch, 2.0)
    job = stored_job(school, alice_admin)

    thread = _run_in_a_thread(job.pk)
    _wait_until_writing(job.pk, thread)
    beats = set()
    while thread.is_alive():
        state = ImportJob.objects.values("heartbeat_at", "status").get(pk=job.pk)
        if state["status"] == Status.RUNNING:
            beats.add(state["heartbeat_at"])
        time.sleep(0.05)
    thread.join()

    assert len(beats) >= 4  # seen from another connection while the learners were not committed yet
    job.refresh_from_db()
    assert job.status == Status.DONE and Learner.objects.filter(organization=school).count() == 27


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_failed_as_dead_that_finishes_after_all_rolls_its_import_back(monkeypatch, school, alice_admin):
    monkeypatch.setattr(imports, "HEARTBEAT_INTERVAL", 3600)  # it stops beating (a stalled host)
    _slow_write(monkeypatch, 1.5)
    job = stored_job(school, alice_admin)

    thread = _run_in_a_thread(job.pk)
    _wait_until_writing(job.pk, thread)
    started = time.monotonic()
    failed = import_jobs_fail_stale(organization=school, now=timezone.now() + HEARTBEAT_STALE_AFTER)
    waited = time.monotonic() - started
    thread.join()

    assert failed == 1 and waited < 1  # the page that detects it does not wait for the worker's transaction
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.errors[0]["code"] == "IMPORT_INTERRUPTED"
    assert not Learner.objects.filter(organization=school).exists()  # its writes rolled back, as it says
