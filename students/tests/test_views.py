import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from students.models import ImportJob, Learner
from students.tests.test_selectors import make_learner

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "siecle"


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """POST a sample to the upload page; the task queued on commit runs (eagerly) as it would after a request."""

    def post(school, sample: str, mode: str = "apply"):
        data = {"file": SimpleUploadedFile(sample, (SAMPLES / sample).read_bytes()), "mode": mode}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("students:import", args=[school.pk]), data)

    return post


def list_url(school, **params) -> str:
    from urllib.parse import urlencode

    return reverse("students:list", args=[school.pk]) + ("?" + urlencode(params, doseq=True) if params else "")


# The students page: who sees it.

def test_admin_sees_the_students_and_the_import_button(client, school, alice_admin):
    make_learner(school, "Dupré", "Zoé", division="6EME1", birthdate=datetime.date(2013, 2, 7))
    client.force_login(alice_admin)
    page = client.get(list_url(school)).content.decode()
    assert "1 élève" in page
    assert "Dupré" in page and "Zoé" in page and "07/02/2013" in page and "6EME1" in page
    assert "Non associé" in page
    assert "Importer (.xml ou .zip)" in page


def test_member_sees_the_students_without_the_import_button(client, school, bob_member):
    make_learner(school, "Dupré", "Zoé", user=bob_member)
    client.force_login(bob_member)
    response = client.get(list_url(school))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dupré" in page and "Associé" in page
    assert "Importer (.xml ou .zip)" not in page


def test_outsider_cannot_see_another_schools_students(client, school, charlie_outsider):
    make_learner(school, "Dupré", "Zoé")
    client.force_login(charlie_outsider)
    assert client.get(list_url(school)).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, school):
    response = client.get(list_url(school))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_empty_school_explains_where_to_find_the_siecle_file(client, school, alice_admin):
    client.force_login(alice_admin)
    page = client.get(list_url(school)).content.decode()
    assert "Aucun élève pour l'instant" in page
    assert "ElevesSansAdresses.xml" in page
    assert "Exploitation &gt; Exports standard &gt; Exports XML génériques &gt; Élèves sans adresses" in page


# Search, filters, sort and pages.

def test_search_finds_names_whatever_the_accents_and_case(client, school, bob_member):
    make_learner(school, "Dupré", "Zoé")
    make_learner(school, "Martin", "Hugo")
    client.force_login(bob_member)
    page = client.get(list_url(school, q="ZOE")).content.decode()
    assert "Dupré" in page and "Martin" not in page
    assert "1 élève</strong> sur 2" in page


def test_a_student_found_by_a_name_not_on_the_list_shows_it(client, school, bob_member):
    jean = make_learner(school, "JEAN", "Camille")
    Learner.objects.filter(pk=jean.pk).update(second_first_name="Léa", search_key="jean camille lea")
    make_learner(school, "LEANDRI", "Hugo")
    client.force_login(bob_member)
    page = client.get(list_url(school, q="lea")).content.decode()
    assert "Camille <span class=\"name-match small\">(2e prénom&nbsp;: <mark>Léa</mark>)</span>" in page
    assert page.count("name-match") == 1  # « LEANDRI » matched by a name on screen: nothing to add


def test_filter_by_several_divisions(client, school, bob_member):
    make_learner(school, "Aubert", "Léa", division="6EME1")
    make_learner(school, "Bernard", "Noé", division="5EME1")
    make_learner(school, "Colin", "Jade", division="4EME1")
    client.force_login(bob_member)
    page = client.get(list_url(school, division=["6EME1", "4EME1"])).content.decode()
    assert "Aubert" in page and "Colin" in page and "Bernard" not in page


def test_filter_linked_or_not(client, school, bob_member):
    make_learner(school, "Aubert", "Léa", user=bob_member)
    make_learner(school, "Bernard", "Noé")
    client.force_login(bob_member)
    linked = client.get(list_url(school, linked="oui")).content.decode()
    not_linked = client.get(list_url(school, linked="non")).content.decode()
    assert "Aubert" in linked and "Bernard" not in linked
    assert "Bernard" in not_linked and "Aubert" not in not_linked


def test_clicking_a_column_header_sorts_and_a_second_click_reverses(client, school, bob_member):
    make_learner(school, "Aubert", "Léa", birthdate=datetime.date(2013, 1, 1))
    make_learner(school, "Bernard", "Noé", birthdate=datetime.date(2012, 1, 1))
    client.force_login(bob_member)
    by_birthdate = client.get(list_url(school, sort="birthdate")).content.decode()
    assert by_birthdate.index("Bernard") < by_birthdate.index("Aubert")
    assert 'href="?sort=-birthdate"' in by_birthdate  # the next click reverses
    reversed_names = client.get(list_url(school, sort="-name")).content.decode()
    assert reversed_names.index("Bernard") < reversed_names.index("Aubert")


def test_pages_of_fifty_keep_the_filters(client, school, bob_member):
    for number in range(60):
        make_learner(school, f"Élève{number:02d}", "Prénom", division="6EME1")
    make_learner(school, "Autre", "Classe", division="5EME1")
    client.force_login(bob_member)
    first = client.get(list_url(school, division="6EME1", q="eleve")).content.decode()
    assert "60 élèves</strong> sur 61" in first
    assert first.count("<tr>") == 51  # header + 50
    assert 'href="?division=6EME1&amp;q=eleve&amp;page=2"' in first
    second = client.get(list_url(school, division="6EME1", q="eleve", page=2)).content.decode()
    assert second.count("<tr>") == 11 and "Élève59" in second and "Autre" not in second


# The upload page.

def test_admin_sees_the_upload_form(client, school, alice_admin, settings):
    settings.SIECLE_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
    client.force_login(alice_admin)
    page = client.get(reverse("students:import", args=[school.pk])).content.decode()
    assert 'accept=".xml,.zip"' in page
    assert "Vérifier le fichier" in page and ">Importer<" in page
    assert "ElevesSansAdresses.zip, 50 Mo au maximum" in page


def test_member_cannot_import(upload, client, school, bob_member):
    client.force_login(bob_member)
    assert client.get(reverse("students:import", args=[school.pk])).status_code == 403
    assert upload(school, "small-30.zip").status_code == 403
    assert not Learner.objects.exists()


def test_outsider_cannot_import(upload, client, school, charlie_outsider):
    client.force_login(charlie_outsider)
    assert client.get(reverse("students:import", args=[school.pk])).status_code == 404
    assert upload(school, "small-30.zip").status_code == 404


def test_upload_imports_the_students_and_shows_the_report(upload, client, school, alice_admin, bob_member):
    client.force_login(alice_admin)
    response = upload(school, "small-30.zip")
    job = ImportJob.objects.get(organization=school)
    assert response.status_code == 302
    assert response["Location"] == reverse("students:import_status", args=[school.pk, job.pk])
    status_page = client.get(response["Location"]).content.decode()
    assert "Import terminé" in status_page
    assert 'data-category="added"' in status_page and "ajoutés" in status_page
    assert "hx-trigger" not in status_page
    assert Learner.objects.filter(organization=school, disabled_at__isnull=True).count() == 27

    page = client.get(list_url(school)).content.decode()
    assert "27 élèves" in page
    assert "Dernier import le" in page and "par Alice Martin" in page
    client.force_login(bob_member)
    assert "27 élèves" in client.get(list_url(school)).content.decode()


def test_dry_run_changes_nothing_then_importer_applies_it(upload, django_capture_on_commit_callbacks, client, school,
                                                           alice_admin):
    client.force_login(alice_admin)
    response = upload(school, "small-30.xml", mode="check")
    check_job = ImportJob.objects.get(organization=school)
    assert check_job.mode == ImportJob.Mode.CHECK
    assert not Learner.objects.exists()
    status_page = client.get(response["Location"]).content.decode()
    assert "Ce fichier est prêt à être importé" in status_page
    assert "à ajouter" in status_page
    assert reverse("students:import_apply", args=[school.pk, check_job.pk]) in status_page

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(reverse("students:import_apply", args=[school.pk, check_job.pk]))
    assert applied.status_code == 302
    assert Learner.objects.filter(organization=school).count() == 27


def test_a_member_cannot_open_an_import_nor_apply_a_check(upload, client, school, alice_admin, bob_member):
    client.force_login(alice_admin)
    upload(school, "small-30.xml", mode="check")
    job = ImportJob.objects.get(organization=school)
    client.force_login(bob_member)
    # A report quotes students' INEs: admins only, as in the API.
    assert client.get(reverse("students:import_status", args=[school.pk, job.pk])).status_code == 403
    assert client.get(reverse("students:import_progress", args=[school.pk, job.pk])).status_code == 403
    assert client.post(reverse("students:import_apply", args=[school.pk, job.pk])).status_code == 403
    assert not Learner.objects.exists()


def test_a_member_sees_no_failed_import_nor_its_errors_on_the_students_page(upload, client, school, alice_admin,
                                                                           bob_member):
    make_learner(school, "Dupré", "Zoé")
    client.force_login(alice_admin)
    upload(school, "defect-bad-date.xml")
    job = ImportJob.objects.get(organization=school)
    ine = job.errors[0]["students"][0].split("INE ")[1].rstrip(")")
    admin_page = client.get(list_url(school)).content.decode()
    assert "Le dernier import n'a pas abouti" in admin_page and ine in admin_page

    client.force_login(bob_member)
    page = client.get(list_url(school)).content.decode()
    assert "Dupré" in page
    assert "Le dernier import n'a pas abouti" not in page and ine not in page
    assert reverse("students:import_status", args=[school.pk, job.pk]) not in page


def test_a_member_is_not_shown_an_import_in_flight(client, school, alice_admin, bob_member):
    make_learner(school, "Dupré", "Zoé")
    job = ImportJob.objects.create(organization=school, uploaded_by=alice_admin, file_name="eleves.zip",
                                   status=ImportJob.Status.RUNNING)
    client.force_login(bob_member)
    page = client.get(list_url(school)).content.decode()
    assert "Un import est en cours" not in page
    assert reverse("students:import_status", args=[school.pk, job.pk]) not in page


def test_outsider_cannot_see_an_import_report(upload, client, school, alice_admin, charlie_outsider):
    client.force_login(alice_admin)
    upload(school, "small-30.zip")
    job = ImportJob.objects.get(organization=school)
    client.force_login(charlie_outsider)
    assert client.get(reverse("students:import_status", args=[school.pk, job.pk])).status_code == 404
    assert client.get(reverse("students:import_progress", args=[school.pk, job.pk])).status_code == 404


def test_errors_of_a_bad_file_name_the_student_and_nothing_changes(upload, client, school, alice_admin):
    client.force_login(alice_admin)
    response = upload(school, "defect-bad-date.xml")
    job = ImportJob.objects.get(organization=school)
    assert job.status == ImportJob.Status.FAILED
    student = job.errors[0]["students"][0]
    status_page = client.get(response["Location"]).content.decode()
    assert "aucun élève n'a été modifié" in status_page
    assert student in status_page.replace("&#x27;", "'")
    text = status_page.replace("&#x27;", "'")
    # No code shown to people; the advice that fits a wrong date, once.
    assert 'class="badge">INVALID_BIRTHDATE' not in status_page and ">INVALID_BIRTHDATE<" not in status_page
    assert text.count("Corrigez la date de naissance de l'élève dans SIECLE, puis exportez à nouveau") == 1
    assert "Corrigez dans SIECLE puis exportez à nouveau le fichier" not in text
    assert not Learner.objects.exists()

    list_page = client.get(list_url(school)).content.decode()
    assert "Le dernier import n'a pas abouti" in list_page
    assert student in list_page.replace("&#x27;", "'")


def test_the_encoding_error_says_how_many_students_are_listed_of_how_many(upload, client, school, alice_admin):
    client.force_login(alice_admin)
    response = upload(school, "defect-utf8-mislabelled.xml")
    page = client.get(response["Location"]).content.decode().replace("&#x27;", "'").replace("&quot;", '"')

    assert "33 élèves auraient leur nom mal écrit." in page
    assert "5 élèves listés sur 33 :" in page and "élève(s)" not in page
    assert "«\u00a0CHAMBÉRY\u00a0» deviendrait «\u00a0CHAMBÃRY\u00a0»" in page
    assert not any(0x80 <= ord(ch) <= 0x9F for ch in page)  # no invisible character drawn as an empty box
    assert "Exportez à nouveau le fichier depuis SIECLE et importez-le tel quel" in page
    assert "ENCODING_MISMATCH" not in page.split("<main", 1)[-1].replace('data-code="ENCODING_MISMATCH"', "")


def test_a_truncated_file_is_explained_in_french_with_its_line(upload, client, school, alice_admin):
    client.force_login(alice_admin)
    response = upload(school, "defect-truncated.xml")
    page = client.get(response["Location"]).content.decode().replace("&#x27;", "'")

    assert "Le fichier est abîmé à la ligne 1132" in page
    assert "Couldn't find end of Start Tag" not in page and "détail technique" not in page
    assert "coupé pendant le téléchargement" in page


def test_a_second_upload_while_one_is_in_flight_is_refused(upload, client, school, alice_admin):
    running = ImportJob.objects.create(organization=school, uploaded_by=alice_admin, file_name="eleves.zip",
                                       status=ImportJob.Status.RUNNING)
    client.force_login(alice_admin)
    response = upload(school, "small-30.zip")
    assert response.status_code == 409
    assert "déjà en cours" in response.content.decode()
    assert list(ImportJob.objects.filter(organization=school)) == [running]
    assert not Learner.objects.exists()


def test_progress_polls_while_running_and_stops_when_done(client, school, alice_admin):
    job = ImportJob.objects.create(organization=school, uploaded_by=alice_admin, file_name="eleves.zip",
                                   status=ImportJob.Status.RUNNING, progress_done=45, progress_total=100)
    client.force_login(alice_admin)
    progress_url = reverse("students:import_progress", args=[school.pk, job.pk])
    running = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in running and f'hx-get="{progress_url}"' in running
    assert "Import en cours : 45 %" in running and '<progress max="100" value="45"' in running
    assert "<html" not in running  # a fragment, swapped into the page

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, progress_done=100,
                                                report={"counts": {"students_in_file": 2500, "added": 2500},
                                                        "students": {"added": ["DUPRÉ Zoé (INE 1234567890A)"]},
                                                        "truncated": {}, "applied": True})
    done = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "hx-get" not in done
    assert "Import terminé" in done and "DUPRÉ Zoé" in done


def test_status_page_works_without_javascript(client, school, alice_admin):
    job = ImportJob.objects.create(organization=school, uploaded_by=alice_admin, file_name="eleves.zip",
                                   status=ImportJob.Status.QUEUED)
    client.force_login(alice_admin)
    page = client.get(reverse("students:import_status", args=[school.pk, job.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "Actualiser" in page


def test_an_import_the_broker_never_got_can_be_relaunched_by_an_admin(client, school, alice_admin, bob_member,
                                                                      charlie_outsider,
                                                                      django_capture_on_commit_callbacks):
    from django.utils import timezone

    stuck = ImportJob.objects.create(
        organization=school, uploaded_by=alice_admin, file_name="ElevesSansAdresses.zip",
        file=SimpleUploadedFile("stuck.zip", (SAMPLES / "small-30.zip").read_bytes()),
        file_size=(SAMPLES / "small-30.zip").stat().st_size, enqueue_failed_at=timezone.now(),
    )
    status_url = reverse("students:import_status", args=[school.pk, stuck.pk])
    requeue_url = reverse("students:import_requeue", args=[school.pk, stuck.pk])

    client.force_login(bob_member)
    assert client.get(status_url).status_code == 403
    assert client.post(requeue_url).status_code == 403
    client.force_login(charlie_outsider)
    assert client.post(requeue_url).status_code == 404

    client.force_login(alice_admin)
    admin_page = client.get(status_url).content.decode()
    assert "n'a pas pu démarrer" in admin_page and "hx-trigger" not in admin_page
    assert requeue_url in admin_page and "Relancer" in admin_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(requeue_url)
    assert response.status_code == 302
    assert "Import terminé" in client.get(response["Location"]).content.decode()
    assert Learner.objects.filter(organization=school).count() == 27


def test_a_file_too_large_is_refused_on_the_form_with_the_limit(upload, client, school, alice_admin, settings):
    settings.SIECLE_MAX_UPLOAD_BYTES = 1024 * 1024
    client.force_login(alice_admin)
    response = upload(school, "lycee-2500.xml")
    page = response.content.decode()
    assert response.status_code == 413
    assert "dépasse la taille maximale autorisée" in page
    assert "1 Mo au maximum" in page
    assert not ImportJob.objects.exists()
