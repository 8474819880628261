"""Real Celery workers against Redis and PostgreSQL: an import end to end, and a worker killed mid-import."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from students.models import ImportJob, Learner
from students.services import import_job_create, import_job_requeue, import_jobs_fail_stale
from students.services.imports import HEARTBEAT_STALE_AFTER
from students.tests.import_helpers import SHARED, sample_upload

REPO = Path(__file__).resolve().parents[2]
BIG_FILE = Path("/tmp/pixorga-students-50k.zip")
Status = ImportJob.Status

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float = 60, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def job_state(job_id):
    return ImportJob.objects.values("status", "progress_done", "attempts").get(pk=job_id)


def snapshot(organization):
    return sorted(Learner.objects.filter(organization=organization).values_list(
        "ine", "family_name", "division", "disabled_at", "fingerprint", "updated_at"))


@pytest.fixture(scope="session")
def big_file():
    """50,000 students (5 MB zip): long enough to kill a worker while it writes."""
    if not BIG_FILE.exists():
        subprocess.run([sys.executable, str(SHARED / "tools" / "siecle_gen.py"), "--students", "50000", "--uai",
                        "0751234A", "--seed", "50", "--zip", "--out", str(BIG_FILE)], check=True,
                       stdout=subprocess.DEVNULL)
    return BIG_FILE


def big_upload(path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ElevesSansAdresses.zip", path.read_bytes())


def start_worker_process(name: str, pool: str = "prefork") -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "DJANGO_SETTINGS_MODULE": "pixorga.settings"}
    return subprocess.Popen(
        [str(REPO / ".venv/bin/celery"), "-A", "pixorga", "worker", "-l", "warning", "--pool", pool,
         "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h"],
        cwd=REPO, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in out.split()]


def active_count(school) -> int:
    return Learner.objects.filter(organization=school, disabled_at__isnull=True).count()


def test_a_worker_runs_an_import_end_to_end(celery_worker, school, alice_admin):
    job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))

    wait_for(lambda: job_state(job.pk)["status"] in (Status.DONE, Status.FAILED))

    job.refresh_from_db()
    assert job.status == Status.DONE, job.errors
    assert job.report["counts"]["added"] == 27
    assert Learner.objects.filter(organization=school, disabled_at__isnull=True).count() == 27
    # Deleted just after the commit.
    wait_for(lambda: ImportJob.objects.filter(pk=job.pk, file="").exists(), timeout=5)


def test_a_killed_worker_process_leaves_the_data_and_the_job_is_run_again(school, alice_admin, big_file):
    """The OOM killer takes the pool process mid-write: the message goes back to the queue and runs again."""
    from pixorga.celery import app

    app.control.purge()
    worker = start_worker_process("killchild")
    try:
        first = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("lycee-2500.zip"))
        wait_for(lambda: job_state(first.pk)["status"] == Status.DONE)
        before = snapshot(school)

        job = import_job_create(organization=school, user=alice_admin, uploaded_file=big_upload(big_file),
                                confirmed_disabled=active_count(school))  # another school's file: all leave
        # Progress reaches 80 when the file is read and the writing transaction starts.
        wait_for(lambda: job_state(job.pk)["progress_done"] >= 80, timeout=120, step=0.005)
        for child in children(worker.pid):
            os.kill(child, signal.SIGKILL)

        assert snapshot(school) == before  # the transaction rolled back: nothing half-written
        wait_for(lambda: job_state(job.pk)["status"] in (Status.DONE, Status.FAILED), timeout=180)
        job.refresh_from_db()
        assert job.status == Status.DONE and job.attempts == 2
        assert job.report["counts"]["students_in_file"] == 50_000
        active = Learner.objects.filter(organization=school, disabled_at__isnull=True).count()
        assert active == job.report["counts"]["added"] + job.report["counts"]["updated"] \
            + job.report["counts"]["unchanged"] + job.report["counts"]["reenabled"]
    finally:
        stop(worker)


def test_a_worker_killed_outright_leaves_the_data_and_the_school_can_import_again(school, alice_admin, big_file):
    """The whole worker dies (host restart): data as it was, the job failed by the stale check, then re-queued."""
    from pixorga.celery import app

    app.control.purge()
    worker = start_worker_process("killall")
    try:
        first = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
        wait_for(lambda: job_state(first.pk)["status"] == Status.DONE)
        before = snapshot(school)

        job = import_job_create(organization=school, user=alice_admin, uploaded_file=big_upload(big_file),
                                confirmed_disabled=active_count(school))  # another school's file: all leave
        wait_for(lambda: job_state(job.pk)["progress_done"] >= 80, timeout=120, step=0.005)
        stop(worker)  # SIGKILL to the worker and its pool
    finally:
        stop(worker)

    time.sleep(0.5)
    assert snapshot(school) == before
    assert job_state(job.pk)["status"] == Status.RUNNING
    assert import_jobs_fail_stale(organization=school) == 0  # its last heartbeat is recent
    # The message stays unacked until the broker's visibility timeout; without a heartbeat for 90 s (not the
    # 17 minutes of the hard time limit), the job is failed and the school may import again.
    assert import_jobs_fail_stale(organization=school, now=timezone.now() + HEARTBEAT_STALE_AFTER) == 1
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.errors[0]["code"] == "IMPORT_INTERRUPTED"

    worker = start_worker_process("second")
    try:
        import_job_requeue(organization=school, job_id=job.pk, user=alice_admin)
        wait_for(lambda: job_state(job.pk)["status"] in (Status.DONE, Status.FAILED), timeout=180)
        job.refresh_from_db()
        assert job.status == Status.DONE
        assert job.report["counts"]["disabled"] == 27  # the small school's students are not in the big file
    finally:
        stop(worker)
