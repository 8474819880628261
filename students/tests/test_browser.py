"""Activation step 4 in a browser: import the students from SIECLE, read the report, find them, re-import."""

import copy
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD
from students.models import ImportJob, Learner
from students.services import import_job_create
from students.siecle.samples import build_siecle_xml
from students.tests.import_helpers import sample_upload, student

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "siecle"
SHOTS = Path("/tmp/pixorga/shots/students")
NEW_INE = "0606060606Z"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def one_left_one_arrived(tmp_path) -> tuple[Path, str, str]:
    """small-30.xml where the first imported student left (DATE_SORTIE) and a new one arrived in 6EME1."""
    tree = etree.parse(str(SAMPLES / "small-30.xml"))
    students = tree.find("DONNEES/ELEVES")
    structures = tree.find("DONNEES/STRUCTURES")
    leaver = next(eleve for eleve in students
                  if eleve.find("DATE_SORTIE") is None and (eleve.findtext("ID_NATIONAL") or "").strip())
    date_sortie = etree.Element("DATE_SORTIE")
    date_sortie.text = "15/10/2024"
    leaver.find("DATE_MODIFICATION").addnext(date_sortie)

    newcomer = copy.deepcopy(leaver)
    newcomer.remove(newcomer.find("DATE_SORTIE"))
    newcomer.set("ELEVE_ID", "999001")
    newcomer.set("ELENOET", "9901")
    newcomer.find("ELENOET").text = "9901"
    newcomer.find("ID_NATIONAL").text = NEW_INE
    newcomer.find("NOM_DE_FAMILLE").text = "NOUVELARRIVÉE"
    newcomer.find("PRENOM").text = "Zoé"
    students.append(newcomer)
    newcomer_structures = etree.SubElement(structures, "STRUCTURES_ELEVE", ELEVE_ID="999001", ELENOET="9901")
    structure = etree.SubElement(newcomer_structures, "STRUCTURE")
    etree.SubElement(structure, "CODE_STRUCTURE").text = "6EME1"
    etree.SubElement(structure, "TYPE_STRUCTURE").text = "D"

    path = tmp_path / "ElevesSansAdresses.xml"
    tree.write(str(path), encoding="ISO-8859-15", xml_declaration=True)
    return path, leaver.findtext("NOM_DE_FAMILLE"), leaver.findtext("PRENOM")


def log_in(page, email: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_admin_imports_the_students_finds_them_and_reimports(browser_page, school, alice_admin, tmp_path):
    page = browser_page
    log_in(page, alice_admin.email)
    page.goto(f"/organisations/{school.pk}/eleves")
    expect(page.get_by_text("Aucun élève pour l'instant.")).to_be_visible()
    shot(page, "01-empty-list")

    page.get_by_role("link", name="Importer (.xml ou .zip)").first.click()
    expect(page.get_by_role("heading", name="Importer les élèves depuis SIECLE")).to_be_visible()
    page.get_by_label("Fichier SIECLE").set_input_files(str(SAMPLES / "small-30.zip"))
    shot(page, "02-upload")
    page.get_by_role("button", name="Importer", exact=True).click()

    expect(page.get_by_text("Import terminé.")).to_be_visible()
    report = page.locator(".import-report")
    expect(report.locator('[data-category="added"]')).to_contain_text("27")
    expect(report.locator('[data-category="skipped_left"]')).to_contain_text("2")
    expect(report.locator('[data-category="skipped_ine_pending"]')).to_contain_text("en attente d'INE")
    report.locator('[data-category="skipped_ine_pending"] summary').click()
    shot(page, "03-report")

    page.get_by_role("link", name="Voir les élèves").click()
    expect(page.locator(".learner-count")).to_have_text("27 élèves")
    expect(page.get_by_text("Dernier import le")).to_contain_text("par Alice Martin")
    shot(page, "04-list")

    page.get_by_label("6EME1").check()
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".learner-count")).to_contain_text("sur 27")
    sixth_graders = page.locator(".learner-table tbody tr")
    expect(sixth_graders.first).to_be_visible()
    assert all(row.locator("td").nth(4).inner_text() == "6EME1" for row in sixth_graders.all())
    shot(page, "05-filtered-6EME1")

    # September again: one student left, one arrived.
    second_file, leaver_name, leaver_first_name = one_left_one_arrived(tmp_path)
    page.goto(f"/organisations/{school.pk}/eleves/import")
    page.get_by_label("Fichier SIECLE").set_input_files(str(second_file))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_text("Ce fichier est prêt à être importé.")).to_be_visible()
    expect(page.locator('[data-category="added"]')).to_contain_text("NOUVELARRIVÉE Zoé")
    expect(page.locator('[data-category="disabled"]')).to_contain_text(leaver_name)
    shot(page, "06-check-report")
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("Import terminé.")).to_be_visible()
    expect(page.locator('[data-category="added"]')).to_contain_text("1")
    expect(page.locator('[data-category="disabled"]')).to_contain_text("1")

    page.get_by_role("link", name="Voir les élèves").click()
    expect(page.locator(".learner-count")).to_have_text("27 élèves")
    page.get_by_label("Rechercher un élève").fill("nouvelarrivee zoe")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".learner-table")).to_contain_text("NOUVELARRIVÉE")
    page.get_by_label("Rechercher un élève").fill(f"{leaver_name} {leaver_first_name}")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text("Aucun élève ne correspond à ces filtres.")).to_be_visible()


def test_progress_bar_updates_by_itself_until_the_report(browser_page, school, alice_admin):
    # A worker's view of the job is simulated by updating the row; the page must follow without a reload.
    job = ImportJob.objects.create(organization=school, uploaded_by=alice_admin, file_name="ElevesSansAdresses.zip",
                                   status=ImportJob.Status.RUNNING, progress_done=45, progress_total=100)
    page = browser_page
    log_in(page, alice_admin.email)
    page.goto(f"/organisations/{school.pk}/eleves/imports/{job.pk}")
    expect(page.get_by_text("Import en cours : 45 %")).to_be_visible()
    shot(page, "07-progress")
    page.evaluate("window.notReloaded = true")

    ImportJob.objects.filter(pk=job.pk).update(progress_done=80)
    expect(page.get_by_text("Import en cours : 80 %")).to_be_visible()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, progress_done=100,
        report={"counts": {"students_in_file": 2500, "added": 2331, "skipped_left": 142, "divisions": 78},
                "students": {"added": ["DUPRÉ Zoé (INE 0606060606Z)"]}, "truncated": {"added": 2331},
                "applied": True},
    )
    expect(page.get_by_text("Import terminé.")).to_be_visible()
    expect(page.locator('[data-category="added"]')).to_contain_text("2\u202f331")
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("[hx-trigger]").count() == 0  # polling stopped


def test_a_file_with_errors_is_explained(browser_page, school, alice_admin):
    page = browser_page
    log_in(page, alice_admin.email)
    page.goto(f"/organisations/{school.pk}/eleves/import")
    page.get_by_label("Fichier SIECLE").set_input_files(str(SAMPLES / "defect-bad-date.xml"))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("aucun élève n'a été modifié")).to_be_visible()
    expect(page.locator(".import-advice")).to_contain_text("Corrigez la date de naissance de l'élève dans SIECLE")
    job = ImportJob.objects.get(organization=school)
    expect(page.locator(".import-errors")).to_contain_text(job.errors[0]["students"][0])
    shot(page, "08-error-report")
    page.goto(f"/organisations/{school.pk}/eleves")
    expect(page.get_by_text("Le dernier import n'a pas abouti")).to_be_visible()
    shot(page, "09-list-after-failed-import")


def test_a_file_that_would_disable_most_students_asks_for_a_confirmation_naming_the_number(browser_page, school,
                                                                                          alice_admin, tmp_path):
    import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    active = Learner.objects.filter(organization=school, disabled_at__isnull=True)
    assert active.count() == 27
    other_file = tmp_path / "ElevesSansAdresses.xml"  # another school's: none of our 27 students
    other_file.write_bytes(build_siecle_xml([student(1), student(2)]))

    page = browser_page
    log_in(page, alice_admin.email)
    page.goto(f"/organisations/{school.pk}/eleves/import")
    page.get_by_label("Fichier SIECLE").set_input_files(str(other_file))
    page.get_by_role("button", name="Vérifier le fichier").click()
    warning = page.locator(".mass-disable")
    expect(warning).to_contain_text("désactiverait 27 élèves sur 27 actifs")
    said = warning.locator("strong")
    assert said.evaluate("e => getComputedStyle(e).color") != said.evaluate(
        "e => getComputedStyle(document.body).color")  # in red, not the body's colour
    shot(page, "10-check-disables-all")

    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("heading", name="Confirmer l'import")).to_be_visible()
    expect(page.get_by_text("Cet import va désactiver 27 élèves sur 27 actifs")).to_be_visible()
    shot(page, "11-confirm-disable")
    page.get_by_role("link", name="Annuler").click()
    expect(warning).to_be_visible()
    assert active.count() == 27

    page.get_by_role("button", name="Importer", exact=True).click()
    page.get_by_role("button", name="Importer et désactiver 27 élèves").click()
    expect(page.get_by_text("Import terminé.")).to_be_visible()
    expect(page.locator('[data-category="disabled"]')).to_contain_text("27")
    assert active.count() == 2


def test_a_resaved_file_is_explained_in_two_sentences_with_readable_examples(browser_page, school, alice_admin):
    page = browser_page
    log_in(page, alice_admin.email)
    page.goto(f"/organisations/{school.pk}/eleves/import")
    page.get_by_label("Fichier SIECLE").set_input_files(str(SAMPLES / "defect-utf8-mislabelled.xml"))
    page.get_by_role("button", name="Vérifier le fichier").click()
    errors = page.locator(".import-errors")
    expect(errors).to_contain_text("33 élèves auraient leur nom mal écrit.")
    expect(errors).to_contain_text("5 élèves listés sur 33 :")
    expect(errors).to_contain_text("«\u00a0CHAMBÉRY\u00a0» deviendrait «\u00a0CHAMBÃRY\u00a0»")
    expect(page.locator(".import-advice")).to_contain_text("importez-le tel quel, sans l'ouvrir")
    assert "ENCODING_MISMATCH" not in errors.inner_text()
    shot(page, "12-encoding-error")
