"""An import that would disable more than a third of the active students is applied only once confirmed."""

import pytest
from django.urls import reverse

from students.errors import ImportConfirmationRequired
from students.models import ImportJob, Learner
from students.services import import_job_apply_checked
from students.tests.import_helpers import student

Status = ImportJob.Status


def active(school):
    return Learner.objects.filter(organization=school, disabled_at__isnull=True)


@pytest.fixture
def school_of_27(run_import, school):
    run_import("small-30.zip")
    assert active(school).count() == 27
    return school


def test_the_check_of_another_schools_file_says_how_many_would_be_disabled_and_importer_needs_the_number(
        run_import, school_of_27, alice_admin, django_capture_on_commit_callbacks):
    check = run_import(students=[student(1), student(2)], mode="check")

    assert (check.report["counts"]["disabled"], check.report["counts"]["active_before"]) == (27, 27)
    with pytest.raises(ImportConfirmationRequired) as refused:
        import_job_apply_checked(organization=school_of_27, job_id=check.pk, user=alice_admin)
    assert (refused.value.code, refused.value.http_status) == ("IMPORT_CONFIRMATION_REQUIRED", 409)
    assert "désactiverait 27 élèves sur 27 actifs" in refused.value.message
    with pytest.raises(ImportConfirmationRequired):
        import_job_apply_checked(organization=school_of_27, job_id=check.pk, user=alice_admin, confirmed_disabled=26)
    assert active(school_of_27).count() == 27

    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_apply_checked(organization=school_of_27, job_id=check.pk, user=alice_admin,
                                       confirmed_disabled=27)
    job.refresh_from_db()
    assert job.status == Status.DONE and job.report["counts"]["disabled"] == 27
    assert active(school_of_27).count() == 2


def test_importer_straight_away_holds_such_a_file_as_a_check_to_confirm(run_import, school_of_27):
    job = run_import(students=[student(1), student(2)])

    assert job.status == Status.DONE and job.mode == ImportJob.Mode.CHECK
    assert job.report["held_for_confirmation"] is True and job.report["applied"] is False
    assert job.file  # kept for « Importer » once confirmed
    assert active(school_of_27).count() == 27


def test_a_third_or_less_is_imported_without_asking(run_import, school):
    run_import(students=[student(1), student(2), student(3)])

    job = run_import(students=[student(1), student(2), student(4)])  # one of three leaves: a third, not more

    assert job.mode == ImportJob.Mode.APPLY and job.report["counts"]["disabled"] == 1
    assert active(school).count() == 3


def test_the_pages_say_it_in_red_and_ask_to_confirm_the_number(run_import, school_of_27, client, alice_admin,
                                                               django_capture_on_commit_callbacks):
    check = run_import(students=[student(1), student(2)], mode="check")
    client.force_login(alice_admin)

    page = client.get(reverse("students:import_status", args=[school_of_27.pk, check.pk])).content.decode()
    assert 'class="alert alert-error mass-disable"' in page
    assert "désactiverait 27\u202félèves sur 27 actifs" in page or "désactiverait 27 élèves sur 27 actifs" in page

    apply_url = reverse("students:import_apply", args=[school_of_27.pk, check.pk])
    confirmation = client.post(apply_url)
    text = confirmation.content.decode()
    assert confirmation.status_code == 200 and "Confirmer l'import" in text.replace("&#x27;", "'")
    assert "Importer et désactiver 27 élèves" in text and 'name="confirmed_disabled" value="27"' in text
    assert active(school_of_27).count() == 27

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(apply_url, {"confirmed_disabled": "27"})
    assert applied.status_code == 302
    assert active(school_of_27).count() == 2
