"""Students API: imports and the list, as an admin, a member, an outsider and anonymous."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.factories import UserFactory
from pixorga.collation import french_sort_key
from students.models import ImportJob, Learner
from students.tests.import_helpers import sample_upload, student, xml_upload


def imports_url(school):
    return reverse("api-students-imports", args=[school.pk])


def post_file(api_client, school, upload, **data):
    return api_client.post(imports_url(school), {"file": upload, **data}, format="multipart")


@pytest.fixture
def imported(school, alice_admin, api_client, django_capture_on_commit_callbacks):
    api_client.force_authenticate(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(api_client, school, sample_upload("small-30.zip"))
    api_client.force_authenticate(None)
    return ImportJob.objects.get(pk=response.json()["id"])


def test_admin_uploads_a_file_and_follows_the_import(api_client, alice_admin, school,
                                                     django_capture_on_commit_callbacks):
    api_client.force_authenticate(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(api_client, school, sample_upload("small-30.zip"))

    assert response.status_code == 202
    body = response.json()
    assert {"id", "status", "mode", "file_name", "progress", "created_at"} <= body.keys()
    assert (body["mode"], body["file_name"]) == ("apply", "small-30.zip")

    detail = api_client.get(reverse("api-students-import", args=[school.pk, body["id"]])).json()
    assert detail["status"] == "done"
    assert detail["progress"] == {"done": 100, "total": 100}
    assert detail["report"]["counts"]["added"] == 27
    assert detail["errors"] == [] and detail["finished_at"]


def test_a_refused_file_gives_its_errors(api_client, alice_admin, school, django_capture_on_commit_callbacks):
    api_client.force_authenticate(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = post_file(api_client, school, sample_upload("defect-duplicate-ine.xml")).json()["id"]

    detail = api_client.get(reverse("api-students-import", args=[school.pk, job_id])).json()

    assert detail["status"] == "failed"
    assert detail["errors"][0]["code"] == "INE_UNIQUE"
    assert len(detail["errors"][0]["students"]) == 2
    assert not Learner.objects.exists()


def test_check_then_apply(api_client, alice_admin, school, django_capture_on_commit_callbacks):
    api_client.force_authenticate(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        check = post_file(api_client, school, sample_upload("small-30.zip"), mode="check").json()
    assert not Learner.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(reverse("api-students-import-apply", args=[school.pk, check["id"]]))

    assert response.status_code == 202
    assert response.json()["mode"] == "apply" and response.json()["id"] != check["id"]
    assert Learner.objects.filter(organization=school).count() == 27


def test_a_second_upload_while_one_is_in_flight_gets_409(api_client, alice_admin, school):
    api_client.force_authenticate(alice_admin)
    assert post_file(api_client, school, sample_upload("small-30.zip")).status_code == 202

    response = post_file(api_client, school, sample_upload("small-30.zip"))

    assert response.status_code == 409
    assert response.json()["code"] == "IMPORT_ALREADY_RUNNING"
    assert "déjà en cours" in response.json()["detail"]


def test_a_file_too_large_gets_413(api_client, alice_admin, school, settings):
    settings.SIECLE_MAX_UPLOAD_BYTES = 1024
    api_client.force_authenticate(alice_admin)

    response = post_file(api_client, school, sample_upload("small-30.xml"))

    assert response.status_code == 413
    assert response.json()["code"] == "FILE_TOO_LARGE"


def test_no_file_and_empty_file_get_400(api_client, alice_admin, school):
    api_client.force_authenticate(alice_admin)

    assert api_client.post(imports_url(school), {}, format="multipart").status_code == 400
    response = post_file(api_client, school, SimpleUploadedFile("vide.xml", b""))
    assert (response.status_code, response.json()["code"]) == (400, "FILE_EMPTY")


def test_a_school_not_managing_students_gets_403(api_client, alice_admin, school):
    school.is_managing_students = False
    school.save()
    api_client.force_authenticate(alice_admin)

    response = post_file(api_client, school, sample_upload("small-30.zip"))

    assert (response.status_code, response.json()["code"]) == (403, "NOT_MANAGING_STUDENTS")


def test_member_cannot_import_nor_read_an_import(api_client, bob_member, school, imported):
    api_client.force_authenticate(bob_member)

    assert post_file(api_client, school, sample_upload("small-30.zip")).status_code == 403
    assert api_client.get(reverse("api-students-import", args=[school.pk, imported.pk])).status_code == 403
    assert api_client.post(reverse("api-students-import-apply", args=[school.pk, imported.pk])).status_code == 403
    assert ImportJob.objects.count() == 1


def test_outsider_gets_404_everywhere(api_client, charlie_outsider, school, imported):
    api_client.force_authenticate(charlie_outsider)

    assert post_file(api_client, school, sample_upload("small-30.zip")).status_code == 404
    assert api_client.get(reverse("api-students-import", args=[school.pk, imported.pk])).status_code == 404
    assert api_client.post(reverse("api-students-import-apply", args=[school.pk, imported.pk])).status_code == 404
    assert api_client.get(reverse("api-students-list", args=[school.pk])).status_code == 404


def test_an_admin_cannot_read_another_schools_import_through_their_own_school(api_client, charlie_outsider,
                                                                               other_school, imported):
    api_client.force_authenticate(charlie_outsider)

    response = api_client.get(reverse("api-students-import", args=[other_school.pk, imported.pk]))

    assert response.status_code == 404


def test_anonymous_gets_401(api_client, school, imported):
    assert post_file(api_client, school, sample_upload("small-30.zip")).status_code == 401
    assert api_client.get(reverse("api-students-import", args=[school.pk, imported.pk])).status_code == 401
    assert api_client.get(reverse("api-students-list", args=[school.pk])).status_code == 401


def test_member_lists_the_students_without_their_ine(api_client, bob_member, school, imported):
    api_client.force_authenticate(bob_member)

    body = api_client.get(reverse("api-students-list", args=[school.pk])).json()

    assert body["count"] == 27 and len(body["results"]) == 27
    first = body["results"][0]
    assert set(first) == {"id", "last_name", "usage_name", "first_name", "birthdate", "division", "linked",
                          "account", "participation_count", "certifiability"}
    assert (first["linked"], first["account"], first["participation_count"]) == (False, None, 0)
    assert first["certifiability"] == {"status": "UNKNOWN", "date": None, "source": None}
    names = [(row["last_name"], row["first_name"]) for row in body["results"]]
    assert names == sorted(names, key=lambda name: (french_sort_key(name[0]), french_sort_key(name[1])))


def test_student_list_filters_search_and_pages(api_client, alice_admin, school, django_capture_on_commit_callbacks):
    api_client.force_authenticate(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        post_file(api_client, school, xml_upload([
            student(1, family_name="DUPONT", first_name="Élodie"),
            student(2, family_name="MARTIN", structures=(("5EME1", "D"),)),
            student(3, family_name="LEGRAND", structures=(("4EME1", "D"),)),
        ]))
    Learner.objects.filter(family_name="LEGRAND").update(user=UserFactory())
    url = reverse("api-students-list", args=[school.pk])

    def names(**params):
        return [row["last_name"] for row in api_client.get(url, params).json()["results"]]

    assert names(search="elodie") == ["DUPONT"]
    assert names(division=["5EME1", "4EME1"]) == ["LEGRAND", "MARTIN"]
    assert names(linked="true") == ["LEGRAND"]
    assert names(linked="false") == ["DUPONT", "MARTIN"]
    assert names(ordering="-name") == ["MARTIN", "LEGRAND", "DUPONT"]
    page = api_client.get(url, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert api_client.get(url, {"ordering": "ine"}).status_code == 400


def test_left_students_are_not_listed(api_client, alice_admin, school, django_capture_on_commit_callbacks):
    api_client.force_authenticate(alice_admin)
    for students, confirmed in (([student(1), student(2)], 0), ([student(1)], 1)):
        with django_capture_on_commit_callbacks(execute=True):
            post_file(api_client, school, xml_upload(students), confirmed_disabled=confirmed)

    body = api_client.get(reverse("api-students-list", args=[school.pk])).json()

    assert [row["last_name"] for row in body["results"]] == ["NOM1"]


def test_an_import_error_reads_what_is_wrong_and_what_to_do(api_client, alice_admin, school,
                                                             django_capture_on_commit_callbacks):
    api_client.force_authenticate(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        created = post_file(api_client, school, sample_upload("defect-utf8-mislabelled.xml")).json()

    body = api_client.get(reverse("api-students-import", args=[school.pk, created["id"]])).json()

    [error] = body["errors"]
    assert error["code"] == "ENCODING_MISMATCH"
    assert error["detail"].endswith("33 élèves auraient leur nom mal écrit.")
    assert error["advice"].startswith("Exportez à nouveau le fichier depuis SIECLE")
    assert (len(error["students"]), error["students_total"]) == (5, 33)


def test_the_api_applies_a_check_disabling_most_students_only_with_the_number(api_client, alice_admin, school,
                                                                            imported,
                                                                            django_capture_on_commit_callbacks):
    api_client.force_authenticate(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        check = post_file(api_client, school, xml_upload([student(1)]), mode="check").json()
    apply_url = reverse("api-students-import-apply", args=[school.pk, check["id"]])

    refused = api_client.post(apply_url)
    assert (refused.status_code, refused.json()["code"]) == (409, "IMPORT_CONFIRMATION_REQUIRED")
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api_client.post(apply_url, {"confirmed_disabled": 27}, format="json")
    assert accepted.status_code == 202
    assert Learner.objects.filter(organization=school, disabled_at__isnull=True).count() == 1
