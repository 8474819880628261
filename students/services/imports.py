"""The SIECLE import: store the upload, queue it, and run it (parse, compare, write in one transaction).

Life of a job: queued → running → done | failed. One job in flight per organization (a DB constraint).
The task may be delivered twice or its worker killed: ``import_job_run`` claims the job with a conditional
UPDATE, writes the learners and marks the job done in the same transaction, so a dead worker leaves the
data as it was and the job is either re-run (message redelivered) or failed by ``import_jobs_fail_stale``.

Stored files are personal data of minors: an apply job's file is deleted as soon as it is done (or failed
because of the file); a check job's file is kept for « Importer » at most ``FILE_RETENTION`` (24 h), then
``import_files_purge`` (command ``students_purge_import_files``) deletes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
import unicodedata
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from organizations.models import Organization
from organizations.selectors import membership_get_active
from pixorga.errors import DomainError
from students.errors import (
    EmptyFile,
    FileTooLarge,
    ImportAlreadyRunning,
    ImportConfirmationRequired,
    ImportFileExpired,
    ImportNotApplicable,
    ImportNotRequeueable,
    NotManagingStudents,
)
from students.models import ImportJob
from students.services.learner_sync import (
    LIST_CAP,
    learner_label,
    learners_analyze,
    record_max_lengths,
    sync_plan,
    sync_write,
)
from students.siecle import SiecleFileError, SiecleParseResult, SkipReason, StudentRef, open_upload, parse_siecle
from students.siecle.prolog import printable

logger = logging.getLogger(__name__)

Status = ImportJob.Status
IN_FLIGHT = (Status.QUEUED, Status.RUNNING)

# Task limits (students.tasks): far under the broker's visibility timeout (3600 s), so a message is never
# redelivered while its task still runs; 100,000 students take ~15 s, the limits leave a slow worker room.
IMPORT_SOFT_TIME_LIMIT = 900
IMPORT_TIME_LIMIT = 960
# A job "running" longer than the hard limit has lost its worker (killed, host restarted).
RUNNING_STALE_AFTER = dt.timedelta(seconds=IMPORT_TIME_LIMIT + 60)
# The worker beats every HEARTBEAT_INTERVAL seconds from a thread of its own; a running job whose last beat is
# older than HEARTBEAT_STALE_AFTER has lost its worker (a beat may wait a few seconds on a busy database).
HEARTBEAT_INTERVAL = 10.0
HEARTBEAT_STALE_AFTER = dt.timedelta(seconds=90)
# A job queued this long was never picked up (message lost): the admin may re-queue it.
QUEUED_STALE_AFTER = dt.timedelta(minutes=30)
FILE_RETENTION = dt.timedelta(hours=24)
# An import disabling more than this share of the active students (another school's file, last year's) is only
# applied once the admin confirmed the number.
MASS_DISABLE_SHARE = 1 / 3
ERRORS_CAP = 1000

# Failures that are not the file's fault: the job keeps its file and can be re-queued.
INFRASTRUCTURE_CODES = frozenset({"IMPORT_INTERRUPTED", "IMPORT_TIME_LIMIT", "IMPORT_INTERNAL_ERROR",
                                  "IMPORT_DATABASE_UNAVAILABLE"})
INFRASTRUCTURE_MESSAGES = {
    "IMPORT_INTERRUPTED": "Le traitement de l'import s'est arrêté en cours de route : le serveur qui s'en chargeait "
                          "ne répond plus (redémarrage ou panne). Aucun élève n'a été modifié. Relancez l'import "
                          "avec « Relancer ».",
    "IMPORT_TIME_LIMIT": "Le traitement de l'import a pris trop de temps et a été arrêté. Aucun élève n'a été "
                         "modifié. Relancez l'import avec « Relancer » ; si cela se reproduit, contactez le support.",
    "IMPORT_INTERNAL_ERROR": "Une erreur inattendue a interrompu l'import. Aucun élève n'a été modifié. Relancez "
                             "l'import avec « Relancer » ; si cela se reproduit, contactez le support.",
    "IMPORT_DATABASE_UNAVAILABLE": "La base de données était indisponible pendant l'import. Aucun élève n'a été "
                                   "modifié. Relancez l'import avec « Relancer ».",
}
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


# -- access -------------------------------------------------------------------------------------------------

def _check_can_import(*, user: User, organization: Organization) -> None:
    membership = membership_get_active(user=user, organization=organization)
    if membership is None or not membership.is_admin:
        raise PermissionDenied("L'import des élèves est réservé aux administrateurs de l'organisation.")
    if not organization.is_managing_students:
        raise NotManagingStudents()


def _job_in(*, organization: Organization, job_id) -> ImportJob:
    try:
        return ImportJob.objects.get(organization=organization, pk=uuid.UUID(str(job_id)))
    except (ValueError, ImportJob.DoesNotExist):
        raise Http404 from None


# -- upload and queuing -------------------------------------------------------------------------------------

def _display_name(name: str | None) -> str:
    """The uploaded name for display only (never used as a path)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] or "fichier"


def _stored_name(uploaded_file) -> str:
    uploaded_file.seek(0)
    magic = uploaded_file.read(4)
    uploaded_file.seek(0)
    return f"{uuid.uuid4().hex}{'.zip' if magic in _ZIP_MAGICS else '.xml'}"


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError as KombuOperationalError

    from pixorga.celery import app

    return (KombuOperationalError, ConnectionError, OSError, *app.connection_for_write().connection_errors)


def _enqueue(job: ImportJob) -> None:
    """Queue the task; if the broker is down, record it on the job (kept queued, « Relancer » re-queues)."""
    from students.tasks import import_job_process

    try:
        import_job_process.apply_async(args=[str(job.pk)], retry=False)
    except _broker_errors() as exc:
        logger.warning("import %s: could not be queued (%s)", job.pk, type(exc).__name__)
        now = timezone.now()
        ImportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(enqueue_failed_at=now)
        job.enqueue_failed_at = now


def _insert_and_queue(job: ImportJob) -> ImportJob:
    try:
        with transaction.atomic():
            job.save(force_insert=True)
            # robust: in eager mode the import runs here, and nothing it raises may undo the upload.
            transaction.on_commit(lambda: _enqueue(job), robust=True)
    except IntegrityError:
        raise ImportAlreadyRunning() from None
    return job


def _refuse_if_in_flight(organization: Organization) -> None:
    import_jobs_fail_stale(organization=organization)
    if ImportJob.objects.filter(organization=organization, status__in=IN_FLIGHT).exists():
        raise ImportAlreadyRunning()


def import_job_create(*, organization: Organization, user: User, uploaded_file,
                      mode: str = ImportJob.Mode.APPLY, confirmed_disabled: int = 0) -> ImportJob:
    """Store the upload and queue its import (``mode`` "check": a dry run that changes nothing).

    An import that would disable more than a third of the active students, and more than ``confirmed_disabled``,
    is not applied: the job ends as the check of its file, to be confirmed (``import_job_apply_checked``).
    """
    _check_can_import(user=user, organization=organization)
    if mode not in ImportJob.Mode.values:
        raise DomainError("Le mode d'import doit être « check » ou « apply ».", code="INVALID_MODE")
    limit = settings.SIECLE_MAX_UPLOAD_BYTES
    size = uploaded_file.size
    if size > limit:
        raise FileTooLarge(limit)
    if not size:
        raise EmptyFile()
    _refuse_if_in_flight(organization)
    job = ImportJob(organization=organization, uploaded_by=user, mode=mode,
                    file_name=_display_name(uploaded_file.name), file_size=size,
                    confirmed_disabled=max(confirmed_disabled, 0))
    job.file.save(_stored_name(uploaded_file), uploaded_file, save=False)
    try:
        return _insert_and_queue(job)
    except ImportAlreadyRunning:
        job.file.delete(save=False)  # another upload won the race: keep no copy
        raise


def disables_many(*, disabled: int, active: int) -> bool:
    return active > 0 and disabled > active * MASS_DISABLE_SHARE


def import_report_disables_many(report: dict | None) -> tuple[int, int] | None:
    """(disabled, active before) when a check's report disables more than a third of the active students."""
    counts = (report or {}).get("counts", {})
    disabled, active = counts.get("disabled", 0), counts.get("active_before", 0)
    return (disabled, active) if disables_many(disabled=disabled, active=active) else None


def import_job_apply_checked(*, organization: Organization, job_id, user: User,
                             confirmed_disabled: int = 0) -> ImportJob:
    """« Importer » after « Vérifier le fichier »: an apply job on the check job's stored file.

    When the check disables more than a third of the active students, ``confirmed_disabled`` must name at least
    that number (else ImportConfirmationRequired); the run checks again against the students as they are then.
    """
    _check_can_import(user=user, organization=organization)
    check = _job_in(organization=organization, job_id=job_id)
    if check.mode != ImportJob.Mode.CHECK or check.status != Status.DONE:
        raise ImportNotApplicable()
    many = import_report_disables_many(check.report)
    if many is not None and confirmed_disabled < many[0]:
        raise ImportConfirmationRequired(disabled=many[0], active=many[1])
    already = (ImportJob.objects.filter(source_job=check).exclude(status=Status.FAILED)
               .order_by("-created_at").first())
    if already is not None:  # a double click, or applied already: the same job
        return already
    if not check.file or (check.finished_at and check.finished_at < timezone.now() - FILE_RETENTION):
        raise ImportFileExpired()
    _refuse_if_in_flight(organization)
    job = ImportJob(organization=organization, uploaded_by=user, mode=ImportJob.Mode.APPLY, file=check.file.name,
                    file_name=check.file_name, file_size=check.file_size, source_job=check,
                    confirmed_disabled=confirmed_disabled)
    return _insert_and_queue(job)


def import_job_queuing_failed(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """True when a queued job will not start by itself (broker was down, or its message was lost)."""
    if job.status != Status.QUEUED:
        return False
    now = now or timezone.now()
    return job.enqueue_failed_at is not None or job.created_at < now - QUEUED_STALE_AFTER


def import_job_can_requeue(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    if import_job_queuing_failed(job, now=now):
        return True
    return (job.status == Status.FAILED and bool(job.file)
            and any(error.get("code") in INFRASTRUCTURE_CODES for error in job.errors or []))


def import_job_requeue(*, organization: Organization, job_id, user: User) -> ImportJob:
    """« Relancer »: queue again a job the broker never got, or one that failed for a technical reason."""
    _check_can_import(user=user, organization=organization)
    job = _job_in(organization=organization, job_id=job_id)
    if not import_job_can_requeue(job):
        raise ImportNotRequeueable()
    with transaction.atomic():
        try:
            with transaction.atomic():
                taken = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                    status=Status.QUEUED, enqueue_failed_at=None, errors=[], report={}, progress_done=0,
                    progress_total=0, started_at=None, heartbeat_at=None, finished_at=None,
                )
        except IntegrityError:
            raise ImportAlreadyRunning() from None
        if not taken:
            raise ImportNotRequeueable()
        job.refresh_from_db()
        transaction.on_commit(lambda: _enqueue(job), robust=True)
    return job


# -- the run --------------------------------------------------------------------------------------------------

def _claim(job_id) -> int | None:
    """Mark the job running; its attempt number, or None when it is over (a duplicate delivery)."""
    with transaction.atomic():
        now = timezone.now()
        taken = ImportJob.objects.filter(pk=job_id, status__in=IN_FLIGHT).update(
            status=Status.RUNNING, started_at=now, heartbeat_at=now, finished_at=None, attempts=F("attempts") + 1,
            progress_done=0, progress_total=100, enqueue_failed_at=None,
        )
        if not taken:
            return None
        return ImportJob.objects.values_list("attempts", flat=True).get(pk=job_id)


def _set_progress(job_id, attempt: int, done: int) -> None:
    ImportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=attempt).update(
        progress_done=done, heartbeat_at=timezone.now())


class _Heartbeat:
    """Beats for a running job from a thread with its own database connection, so that it keeps beating while
    the import's transaction is open (its writes are not visible until the commit)."""

    def __init__(self, job_id, attempt: int) -> None:
        self._job_id, self._attempt = job_id, attempt
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"import-heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> "_Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=HEARTBEAT_INTERVAL + 5)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_INTERVAL):
                try:
                    ImportJob.objects.filter(pk=self._job_id, status=Status.RUNNING, attempts=self._attempt).update(
                        heartbeat_at=timezone.now())
                except Exception as error:  # a missed beat is not fatal; several in a row make the job look dead
                    logger.warning("import %s: heartbeat not written (%s)", self._job_id, type(error).__name__)
        finally:
            connection.close()  # this thread's own connection


class _ProgressReader:
    """Reads the XML stream and reports how far into the uploaded file it is (0-1), a few times only."""

    STEP = 0.05

    def __init__(self, xml, upload, size: int, report) -> None:
        self._xml, self._upload, self._size, self._report = xml, upload, max(size, 1), report
        self._last = 0.0

    def read(self, size: int = -1) -> bytes:
        data = self._xml.read(size)
        position = self._upload.tell() / self._size
        if position - self._last >= self.STEP:
            self._last = position
            self._report(min(position, 1.0))
        return data


PARSE_SHARE = 80  # of the 100 progress points; comparing and writing take the rest


def _parse(job: ImportJob, attempt: int) -> SiecleParseResult:
    report = lambda share: _set_progress(job.pk, attempt, int(share * PARSE_SHARE))  # noqa: E731
    with job.file.storage.open(job.file.name, "rb") as upload:
        with open_upload(upload, max_upload_bytes=settings.SIECLE_MAX_UPLOAD_BYTES) as xml:
            return parse_siecle(_ProgressReader(xml, upload, job.file_size or upload.size, report),
                                expected_uai=job.organization.uai, max_lengths=record_max_lengths())


def _labels(refs, cap: int = LIST_CAP) -> list[str]:
    return [learner_label(ref.family_name, ref.first_name, None) for ref in refs[:cap]]


def _error(code: str, detail: str, refs: tuple[StudentRef, ...] = (), *, advice: str = "",
           notes: tuple[str, ...] = (), total: int | None = None) -> dict:
    """A stored error: clean text only (a binary file's bytes never reach the database nor the page)."""
    labels = [ref.label + (f" : {notes[index]}" if index < len(notes) else "") for index, ref in enumerate(refs)]
    return {"code": str(code), "detail": printable(detail), "advice": printable(advice),
            "students": [printable(label) for label in labels[:LIST_CAP]],
            "students_total": max(total if total is not None else 0, len(refs))}


def _report(result: SiecleParseResult, plan, *, applied: bool, started: float) -> dict:
    skipped = {f"skipped_{reason.lower()}": result.skipped.get(reason, []) for reason in SkipReason}
    counts = {"students_in_file": result.students_in_file, **plan.counts, "active_before": plan.active_before,
              **{key: len(refs) for key, refs in skipped.items()}, "divisions": len(result.divisions),
              "prelinked": plan.prelinked}
    students = {**plan.labels, **{key: _labels(refs) for key, refs in skipped.items()}}
    truncated = {key: counts[key] for key in students if counts[key] > len(students[key])}
    return {"counts": counts, "students": students, "truncated": truncated, "applied": applied,
            "duration_ms": int((time.monotonic() - started) * 1000)}


def _finish_failed(job_id, attempt: int | None, errors: list[dict], *, started: float | None = None,
                   keep_file: bool = False) -> None:
    total = len(errors)
    report = {"applied": False, "errors_total": total}
    if started is not None:
        report["duration_ms"] = int((time.monotonic() - started) * 1000)
    jobs = ImportJob.objects.filter(pk=job_id, status=Status.RUNNING)
    if attempt is not None:
        jobs = jobs.filter(attempts=attempt)
    if jobs.update(status=Status.FAILED, errors=errors[:ERRORS_CAP], report=report, finished_at=timezone.now(),
                   progress_done=100) and not keep_file:
        # The file cannot be imported as it is: the admin exports again; keep no copy of it.
        _delete_file(job_id)


def import_job_fail(*, job_id, code: str) -> None:
    """Mark a running job failed for a technical reason (its file is kept for « Relancer »)."""
    _finish_failed(job_id, None, [{"code": code, "detail": INFRASTRUCTURE_MESSAGES[code], "students": []}],
                   keep_file=True)


def _analyze_quietly() -> None:
    try:
        learners_analyze()
    except Exception:  # statistics are an optimisation: the import itself is committed and done
        logger.exception("learners statistics not refreshed")


def _delete_file(job_id) -> None:
    name = ImportJob.objects.filter(pk=job_id).values_list("file", flat=True).first()
    if not name:
        return
    # A check job and the apply job made from it share the file.
    if ImportJob.objects.filter(file=name, status__in=IN_FLIGHT).exclude(pk=job_id).exists():
        return
    ImportJob.objects.filter(file=name).update(file="")
    ImportJob._meta.get_field("file").storage.delete(name)


def import_job_run(*, job_id) -> None:
    """Run an import job (the task's body). Safe to call twice: a finished job is left alone."""
    attempt = _claim(job_id)
    if attempt is None:
        logger.info("import %s: already finished, nothing to do", job_id)
        return
    started = time.monotonic()
    try:
        with _Heartbeat(job_id, attempt):
            _run(job_id, attempt, started)
    except _TakenOver:
        logger.info("import %s: taken over by another attempt or failed meanwhile, rolled back", job_id)
    except (OperationalError, InterfaceError, SoftTimeLimitExceeded):
        raise  # the task retries or marks the job failed
    except Exception:
        logger.exception("import %s: unexpected error", job_id)
        _finish_failed(job_id, attempt, [{"code": "IMPORT_INTERNAL_ERROR", "students": [],
                                          "detail": INFRASTRUCTURE_MESSAGES["IMPORT_INTERNAL_ERROR"]}],
                       started=started, keep_file=True)


class _TakenOver(Exception):
    """Raised inside the import's transaction to roll it back: the job is no longer this attempt's."""


def _run(job_id, attempt: int, started: float) -> None:
    job = ImportJob.objects.select_related("organization").get(pk=job_id)
    if not job.file:
        _finish_failed(job_id, attempt, [{
            "code": "IMPORT_FILE_EXPIRED", "students": [], "detail": ImportFileExpired.default_message}])
        return
    try:
        result = _parse(job, attempt)
    except SiecleFileError as error:
        logger.info("import %s: file refused (%s)", job_id, error.code)
        _finish_failed(job_id, attempt, [_error(error.code, error.detail, error.students, advice=error.advice,
                                                notes=error.notes, total=error.students_total)], started=started)
        return
    if not result.ok:
        logger.info("import %s: %s error(s) in the file", job_id, len(result.errors))
        _finish_failed(job_id, attempt, [_error(issue.code, issue.detail, issue.students, advice=issue.advice)
                                         for issue in result.errors], started=started)
        return
    _set_progress(job_id, attempt, PARSE_SHARE)
    apply = job.mode == ImportJob.Mode.APPLY
    with transaction.atomic():
        # No lock on the job while writing (the heartbeat updates it meanwhile): the final conditional UPDATE
        # decides, and rolls everything back if a duplicate delivery claimed the job or it was failed as dead.
        if not ImportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=attempt).exists():
            raise _TakenOver()
        now = timezone.now()
        plan = sync_plan(organization=job.organization, learners=result.learners, now=now)
        held = apply and disables_many(disabled=plan.counts["disabled"], active=plan.active_before) \
            and job.confirmed_disabled < plan.counts["disabled"]
        if held:
            # Not applied: the job becomes the check of its file, whose « Importer » asks to confirm the number.
            apply = False
            logger.info("import %s: would disable %s of %s, held for confirmation", job_id, plan.counts["disabled"],
                        plan.active_before)
        if apply:
            sync_write(organization=job.organization, plan=plan, now=now)
        report = _report(result, plan, applied=apply, started=started)
        if held:
            report["held_for_confirmation"] = True
        plan_wrote = bool(plan.rows or plan.disable_pks)
        del plan, result
        finished = ImportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=attempt).update(
            status=Status.DONE, report=report, errors=[], finished_at=timezone.now(), progress_done=100,
            **({"mode": ImportJob.Mode.CHECK} if held else {}))
        if not finished:
            raise _TakenOver()
        if apply:
            transaction.on_commit(lambda: _delete_file(job_id))
            if plan_wrote:
                transaction.on_commit(_analyze_quietly)
    logger.info("import %s: done in %s ms", job_id, report["duration_ms"])


# -- housekeeping -------------------------------------------------------------------------------------------

def _stale_jobs(now: dt.datetime):
    return ImportJob.objects.filter(
        Q(heartbeat_at__lt=now - HEARTBEAT_STALE_AFTER)
        | Q(heartbeat_at__isnull=True, started_at__lt=now - RUNNING_STALE_AFTER),
        status=Status.RUNNING,
    )


def import_jobs_fail_stale(*, organization: Organization | None = None, now: dt.datetime | None = None) -> int:
    """Fail jobs whose worker died (no heartbeat for HEARTBEAT_STALE_AFTER), so a school is never locked out.

    A worker only slow to beat that finishes afterwards finds its job failed and rolls its writes back.
    """
    now = now or timezone.now()
    jobs = _stale_jobs(now)
    if organization is not None:
        jobs = jobs.filter(organization=organization)
    count = 0
    for job_id in jobs.values_list("pk", flat=True):
        logger.warning("import %s: worker lost, marked failed", job_id)
        failed = _stale_jobs(now).filter(pk=job_id).update(
            status=Status.FAILED, finished_at=timezone.now(), progress_done=100,
            report={"applied": False, "errors_total": 1},
            errors=[{"code": "IMPORT_INTERRUPTED", "students": [], "advice": "",
                     "detail": INFRASTRUCTURE_MESSAGES["IMPORT_INTERRUPTED"]}])
        count += failed
    return count


def import_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete stored files no longer needed: finished jobs' files after 24 h, and jobs stuck queued for 24 h."""
    now = now or timezone.now()
    old = now - FILE_RETENTION
    import_jobs_fail_stale(now=now)
    for job_id in ImportJob.objects.filter(status=Status.QUEUED, created_at__lt=old).values_list("pk", flat=True):
        ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.FAILED, finished_at=now,
            errors=[{"code": "IMPORT_EXPIRED", "students": [],
                     "detail": "Cet import n'a pas pu être traité à temps et son fichier a été supprimé. "
                               "Importez à nouveau le fichier exporté de SIECLE."}])
    purged = 0
    finished = ImportJob.objects.filter(status__in=(Status.DONE, Status.FAILED), finished_at__lt=old).exclude(file="")
    for job_id in finished.values_list("pk", flat=True):
        _delete_file(job_id)
        purged += 1
    return purged
