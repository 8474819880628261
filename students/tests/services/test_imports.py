"""The SIECLE import service: every re-import rule, on SQLite and on PostgreSQL (same assertions)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.factories import UserFactory
from organizations.factories import MembershipFactory, OrganizationFactory
from organizations.models import Membership
from students.models import ImportJob, Learner
from students.names import name_search_key
from students.services import import_job_apply_checked, import_job_create, import_job_run
from students.services import learner_sync
from students.tests.import_helpers import sample_upload, student, xml_upload

Status = ImportJob.Status


def active(organization):
    return Learner.objects.filter(organization=organization, disabled_at__isnull=True)


def snapshot(organization):
    """Every column an import may touch, per INE."""
    return {row["ine"]: row for row in Learner.objects.filter(organization=organization).values()}


def test_small_file_imports_27_learners_in_4_divisions(run_import, school):
    job = run_import("small-30.zip")

    assert job.status == Status.DONE
    assert job.errors == []
    counts = job.report["counts"]
    assert counts == {**counts, "students_in_file": 30, "added": 27, "updated": 0, "unchanged": 0, "disabled": 0,
                      "reenabled": 0, "skipped_left": 2, "skipped_ine_pending": 1, "skipped_no_division": 0,
                      "divisions": 4}
    assert job.report["applied"] is True
    assert len(job.report["students"]["added"]) == 27
    assert len(job.report["students"]["skipped_left"]) == 2
    assert job.report["truncated"] == {}
    assert active(school).count() == 27
    assert set(active(school).values_list("division", flat=True)) == {"6EME1", "5EME1", "4EME1", "3EME1"}
    learner = active(school).first()
    assert learner.search_key == name_search_key(learner.family_name, learner.usage_name, learner.first_name,
                                                 learner.second_first_name, learner.third_first_name)
    assert f"{learner.family_name} {learner.first_name} ({learner.division})" in job.report["students"]["added"]
    assert (job.progress_done, job.progress_total) == (100, 100)
    assert job.started_at and job.finished_at and job.report["duration_ms"] >= 0


def test_the_uploaded_file_is_deleted_once_applied(run_import, school, settings):
    job = run_import("small-30.zip")

    assert job.file.name == ""
    assert not list((settings.MEDIA_ROOT / "imports").rglob("*.*"))


def test_lycee_file_imports_2331_learners(run_import, school):
    job = run_import("lycee-2500.zip")

    counts = job.report["counts"]
    # 17 students have no INE, one of whom left: counted once, as left.
    assert (counts["added"], counts["divisions"], counts["skipped_left"], counts["skipped_ine_pending"],
            counts["skipped_no_division"]) == (2331, 78, 142, 16, 11)
    assert active(school).count() == 2331


def test_importing_the_same_file_again_changes_nothing(run_import, school):
    run_import("lycee-2500.zip")
    before = snapshot(school)

    job = run_import("lycee-2500.zip")

    assert job.report["counts"]["unchanged"] == 2331
    assert [job.report["counts"][key] for key in ("added", "updated", "disabled", "reenabled")] == [0, 0, 0, 0]
    assert snapshot(school) == before  # not even updated_at moved


def test_reimport_updates_disables_and_reenables_on_the_same_row(run_import, school):
    run_import(students=[student(1), student(2), student(3)])
    left = Learner.objects.get(organization=school, ine=student(3).ine)

    job = run_import(students=[student(1), student(2, structures=(("5EME2", "D"),)), student(4)])

    counts = job.report["counts"]
    assert (counts["added"], counts["updated"], counts["unchanged"], counts["disabled"]) == (1, 1, 1, 1)
    assert job.report["students"]["disabled"] == ["NOM3 Prénom3 (6EME1)"]
    assert job.report["students"]["updated"] == ["NOM2 Prénom2 (5EME2)"]
    assert Learner.objects.get(organization=school, ine=student(2).ine).division == "5EME2"
    left.refresh_from_db()
    assert left.disabled_at is not None

    job = run_import(students=[student(1), student(2, structures=(("5EME2", "D"),)), student(3)])

    assert job.report["counts"]["reenabled"] == 1
    assert job.report["counts"]["disabled"] == 1  # student 4 left in turn
    back = Learner.objects.get(organization=school, ine=student(3).ine)
    assert back.pk == left.pk and back.disabled_at is None


def test_a_linked_account_stays_linked_through_updates_and_departures(run_import, school):
    run_import(students=[student(1), student(2)])
    account = UserFactory()
    Learner.objects.filter(organization=school, ine=student(1).ine).update(user=account, linked_at=timezone.now())

    run_import(students=[student(1, family_name="NOUVEAU"), student(2)])
    assert Learner.objects.get(organization=school, user=account).family_name == "NOUVEAU"

    run_import(students=[student(2)], confirmed_disabled=1)  # one of two: confirmed
    gone = Learner.objects.get(organization=school, user=account)
    assert gone.disabled_at is not None

    run_import(students=[student(1), student(2)])
    assert Learner.objects.get(organization=school, ine=student(1).ine).user == account


def test_a_student_who_changed_school_is_prelinked_to_their_account(run_import, school, other_school):
    account, homonym, already_here = UserFactory(), UserFactory(), UserFactory()
    # Their records at the former school, linked to accounts.
    for n, user, birthdate in ((1, account, dt.date(2012, 3, 14)), (2, homonym, dt.date(2011, 1, 1)),
                               (3, already_here, dt.date(2012, 3, 14))):
        Learner.objects.create(organization=other_school, ine=student(n).ine, family_name="X", first_name="Y",
                               birthdate=birthdate, user=user, linked_at=timezone.now())
    Learner.objects.create(organization=school, ine="9999999999Z", family_name="Z", first_name="Z",
                           birthdate=dt.date(2012, 1, 1), user=already_here)

    job = run_import(students=[student(1), student(2), student(3), student(9999999999)], confirmed_disabled=1)

    assert Learner.objects.get(organization=school, ine=student(1).ine).user == account
    assert Learner.objects.get(organization=school, ine=student(1).ine).linked_at is not None
    assert Learner.objects.get(organization=school, ine=student(2).ine).user is None  # other birthdate
    assert Learner.objects.get(organization=school, ine=student(3).ine).user is None  # account has a record here
    assert job.report["counts"]["prelinked"] == 1
    # The former school's record is untouched.
    assert Learner.objects.get(organization=other_school, ine=student(1).ine).user == account


def test_an_unlinked_learner_already_imported_is_prelinked_at_the_next_import(run_import, school, other_school):
    run_import(students=[student(1)])
    account = UserFactory()
    Learner.objects.create(organization=other_school, ine=student(1).ine, family_name="X", first_name="Y",
                           birthdate=dt.date(2012, 3, 14), user=account)

    job = run_import(students=[student(1)])

    assert job.report["counts"]["updated"] == 1
    assert Learner.objects.get(organization=school, ine=student(1).ine).user == account
    assert run_import(students=[student(1)]).report["counts"]["unchanged"] == 1


@pytest.mark.parametrize("defect, code", [
    ("defect-duplicate-ine.xml", "INE_UNIQUE"),
    ("defect-missing-ine.xml", "INE_REQUIRED"),
    ("defect-bad-date.xml", "INVALID_BIRTHDATE"),
    ("defect-wrong-uai.xml", "UAI_MISMATCHED"),
    ("defect-truncated.xml", "INVALID_FILE"),
    ("defect-not-xml.xml", "INVALID_FILE"),
    ("defect-xxe.xml", "DTD_FORBIDDEN"),
    ("defect-utf8-mislabelled.xml", "ENCODING_MISMATCH"),
    ("defect-empty.xml", "EMPTY"),
])
def test_a_file_with_errors_changes_nothing_and_lists_the_errors(run_import, school, defect, code, settings):
    run_import("small-30.zip")
    before = snapshot(school)

    job = run_import(defect)

    assert job.status == Status.FAILED
    assert code in {error["code"] for error in job.errors}
    assert all(error["detail"] for error in job.errors)
    assert job.report["applied"] is False
    assert snapshot(school) == before
    assert job.file.name == ""  # a refused file is not kept


def test_every_student_error_is_listed_with_the_students_concerned(run_import, school):
    job = run_import(students=[student(1, sex_code=None), student(2, birthdate="31/02/2012"),
                               student(3), student(4, ine="0000000003A")])

    codes = sorted(error["code"] for error in job.errors)
    assert codes == ["INE_UNIQUE", "INVALID_BIRTHDATE", "SEX_CODE_REQUIRED"]
    duplicate = next(error for error in job.errors if error["code"] == "INE_UNIQUE")
    assert len(duplicate["students"]) == 2
    assert not Learner.objects.filter(organization=school).exists()


def test_the_check_mode_reports_without_changing_anything(run_import, school):
    run_import(students=[student(1), student(2)])
    before = snapshot(school)

    check = run_import(students=[student(1, family_name="AUTRE"), student(3)], mode="check")

    assert check.status == Status.DONE and check.report["applied"] is False
    counts = check.report["counts"]
    assert (counts["added"], counts["updated"], counts["disabled"]) == (1, 1, 1)
    assert snapshot(school) == before
    assert check.file.name  # kept for « Importer »


def test_applying_a_check_reuses_its_file_and_gives_the_same_report(run_import, school, alice_admin,
                                                                     django_capture_on_commit_callbacks):
    check = run_import("small-30.zip", mode="check")
    stored = check.file.name

    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_apply_checked(organization=school, job_id=check.pk, user=alice_admin)
    job.refresh_from_db()

    assert job.mode == ImportJob.Mode.APPLY and job.source_job == check
    assert job.status == Status.DONE
    assert job.report["counts"] == check.report["counts"]
    assert active(school).count() == 27
    check.refresh_from_db()
    assert check.file.name == "" and job.file.name == ""
    assert not check.file.storage.exists(stored)
    # A second click gives the same job, not a second import.
    assert import_job_apply_checked(organization=school, job_id=check.pk, user=alice_admin) == job


def test_an_apply_job_cannot_be_applied_again(run_import, school, alice_admin):
    job = run_import("small-30.zip")

    with pytest.raises(Exception) as error:
        import_job_apply_checked(organization=school, job_id=job.pk, user=alice_admin)
    assert error.value.code == "IMPORT_NOT_APPLICABLE"


def test_report_lists_are_capped_and_say_so(run_import, school, monkeypatch):
    monkeypatch.setattr(learner_sync, "LIST_CAP", 5)
    monkeypatch.setattr("students.services.imports.LIST_CAP", 5)

    job = run_import("small-30.zip")

    assert len(job.report["students"]["added"]) == 5
    assert job.report["truncated"] == {"added": 27}


def test_progress_moves_while_the_file_is_read(run_import, school, monkeypatch):
    from students.services import imports

    seen = []
    original = imports._set_progress
    monkeypatch.setattr(imports, "_set_progress", lambda job_id, attempt, done: (seen.append(done),
                                                                                   original(job_id, attempt, done)))
    job = run_import("lycee-2500.xml")

    assert job.progress_done == 100
    assert len(seen) >= 5 and seen == sorted(seen) and seen[-1] == imports.PARSE_SHARE


def test_only_an_admin_may_import(school, bob_member, charlie_outsider):
    for user in (bob_member, charlie_outsider):
        with pytest.raises(PermissionDenied):
            import_job_create(organization=school, user=user, uploaded_file=sample_upload("small-30.zip"))
    assert not ImportJob.objects.exists()


def test_an_organization_not_managing_students_cannot_import(alice_admin, school):
    school.is_managing_students = False
    school.save()

    with pytest.raises(Exception) as error:
        import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    assert (error.value.code, error.value.http_status) == ("NOT_MANAGING_STUDENTS", 403)


def test_a_file_over_the_size_cap_is_refused_before_being_stored(alice_admin, school, settings):
    settings.SIECLE_MAX_UPLOAD_BYTES = 1000

    with pytest.raises(Exception) as error:
        import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.xml"))
    assert error.value.code == "FILE_TOO_LARGE" and "Mo" in error.value.message
    assert not ImportJob.objects.exists()


def test_the_stored_file_name_is_never_the_uploaded_one(alice_admin, school):
    upload = sample_upload("small-30.zip")
    upload.name = "../../etc/passwd\x00.zip"

    job = import_job_create(organization=school, user=alice_admin, uploaded_file=upload)

    assert job.file_name == "passwd.zip"
    assert job.file.name.startswith("imports/") and "passwd" not in job.file.name and ".." not in job.file.name


def test_a_second_import_is_refused_while_one_is_in_flight(alice_admin, school, monkeypatch):
    first = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    assert first.status == Status.QUEUED  # its task waits for the commit

    with pytest.raises(Exception) as error:
        import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    assert (error.value.code, error.value.http_status) == ("IMPORT_ALREADY_RUNNING", 409)

    # Two uploads at once both pass the first check: the database constraint refuses the second.
    monkeypatch.setattr("students.services.imports._refuse_if_in_flight", lambda organization: None)
    with pytest.raises(Exception) as error:
        import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    assert error.value.code == "IMPORT_ALREADY_RUNNING"
    assert ImportJob.objects.count() == 1
    assert len(list(first.file.storage.listdir(first.file.name.rsplit("/", 1)[0])[1])) == 1


def test_another_school_may_import_at_the_same_time(alice_admin, school, other_school, charlie_outsider):
    import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    other_school.external_id = "0759999Z"
    job = import_job_create(organization=other_school, user=charlie_outsider,
                            uploaded_file=sample_upload("small-30.zip"))
    assert job.status == Status.QUEUED


def test_running_a_finished_job_again_does_nothing(run_import, school):
    job = run_import("small-30.zip")
    before = snapshot(school)

    import_job_run(job_id=job.pk)

    refreshed = ImportJob.objects.get(pk=job.pk)
    assert (refreshed.status, refreshed.attempts, refreshed.report) == (Status.DONE, 1, job.report)
    assert snapshot(school) == before


def test_a_job_left_running_by_a_dead_worker_is_run_again(alice_admin, school):
    job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, attempts=1, started_at=timezone.now())

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 2)
    assert active(school).count() == 27


def test_both_write_paths_give_the_same_rows(run_import, school, alice_admin, monkeypatch):
    """The fast path of the current database and the ORM path, on the same sequence of imports."""
    other = OrganizationFactory(external_id="0750001B")
    MembershipFactory(user=alice_admin, organization=other, role=Membership.Role.ADMIN)
    steps = [[student(1), student(2), student(3)], [student(1, first_name="Zoé"), student(4)],
             [student(1), student(3), student(4)]]

    def rows(organization):
        return {row.pop("ine"): row for row in Learner.objects.filter(organization=organization).values(
            "ine", *[f for f in learner_sync.SIECLE_FIELDS if f != "ine"], "search_key", "fingerprint",
            "user_id", "disabled_at")}

    reports = {}
    for name, organization in (("fast", school), ("orm", other)):
        if name == "orm":
            monkeypatch.setattr(learner_sync, "_write_postgresql", learner_sync._write_orm)
        for number, students in enumerate(steps):
            job = run_import(students=students, organization=organization, uai=organization.external_id)
            reports[name, number] = job.report["counts"]
    fast, orm = rows(school), rows(other)
    for row in (*fast.values(), *orm.values()):
        row["disabled"] = row.pop("disabled_at") is not None
    assert fast == orm
    assert all(reports["fast", n] == reports["orm", n] for n in range(3))


@pytest.mark.postgres
def test_an_applied_import_refreshes_the_planner_statistics_of_the_learners(run_import, school, other_school):
    """Right after a school's first import, campaign joins must find learners through (organization, birthdate)."""
    from django.db import connection

    from students.factories import LearnerFactory

    LearnerFactory.create_batch(137, organization=other_school)

    def estimated_rows() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Learner._meta.db_table])
            return cursor.fetchone()[0]

    run_import("lycee-2500.zip")

    assert estimated_rows() == 137 + 2331  # every row counted: ANALYZE ran after the import, not a stale figure
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN SELECT id FROM {Learner._meta.db_table} "
                       "WHERE organization_id = %s AND birthdate = %s AND disabled_at IS NULL",
                       [school.pk, dt.date(2011, 3, 14)])
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "learner_org_birthdate" in plan
