"""Activation step 5 end to end, in Chromium: a teacher's campaign, a student of the imported school joins it.

The school's students come from a real SIECLE import (small-30.zip); the student types their first name without its
accent, is linked to their record, appears in the participants of their class, and joins the next campaign without
the form.
"""

import re
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from campaigns.models import Campaign, Participation
from organizations.factories import MembershipFactory
from students.models import ImportJob, Learner
from students.services import import_job_create
from students.tests.import_helpers import sample_upload

SHOTS = Path("/tmp/pixorga/shots/journeys")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def log_in(page, email, password=DEFAULT_PASSWORD):
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").first.click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_student_of_the_imported_school_joins_the_teachers_campaign(browser_page, school, alice_admin,
                                                                     target_profile):
    # The school's students, imported from SIECLE (27 importable in small-30.zip).
    job = import_job_create(organization=school, user=alice_admin, uploaded_file=sample_upload("small-30.zip"))
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
    accented = [learner for learner in Learner.objects.filter(organization=school, disabled_at=None)
                if without_accents(learner.first_name) != learner.first_name]
    assert accented, "small-30 has students with accented first names"
    student = accented[0]
    teacher = UserFactory(email="prof.maths@example.net", first_name="Paul", last_name="Lambert")
    MembershipFactory(user=teacher, organization=school)
    page = browser_page

    # A teacher creates the campaign and gets its code.
    log_in(page, "prof.maths@example.net")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Campagnes").click()
    page.get_by_role("link", name="Créer une campagne").first.click()
    page.get_by_label("Nom de la campagne").fill("Rentrée numérique")
    page.get_by_role("radio", name="Évaluation").check()
    page.get_by_label("Parcours (pour une évaluation)").select_option(label="Rechercher sur le web (3 acquis)")
    page.get_by_label("Titre du parcours (facultatif)").fill("Parcours de rentrée")
    page.get_by_role("button", name="Créer la campagne").click()
    campaign = Campaign.objects.get(name="Rentrée numérique")
    expect(page.get_by_text(f"Campagne créée : code {campaign.code}")).to_be_visible()
    log_out(page)

    # The student types the code, is found in the school's records with the accent typed differently, and signs
    # up: the account is created linked.
    page.goto("/campagnes")
    page.get_by_label("Code de la campagne").fill(f"{campaign.code[:3].lower()}-{campaign.code[3:]}")
    page.get_by_role("button", name="C'est parti").click()
    page.get_by_role("heading", name="Parcours de rentrée").wait_for()
    page.get_by_role("link", name="Je commence").click()
    signup = page.locator("#panel-inscription")
    signup.get_by_label("Prénom").fill(without_accents(student.first_name).lower())
    signup.get_by_label("Nom", exact=True).fill(student.family_name.upper())
    signup.get_by_label("JJ").fill(f"{student.birthdate.day:02d}")
    signup.get_by_label("MM").fill(f"{student.birthdate.month:02d}")
    signup.get_by_label("AAAA").fill(str(student.birthdate.year))
    signup.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name=f"Bonjour {student.first_name}").wait_for()
    page.get_by_label("Mon adresse e-mail").check()
    page.get_by_label("Adresse e-mail", exact=True).fill("eleve.rentree@example.net")
    page.get_by_label("Mot de passe").fill("Cartable2026")
    page.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    page.get_by_role("button", name="Je crée mon compte").click()
    page.get_by_role("heading", name="Vous participez à « Parcours de rentrée »").wait_for()
    student.refresh_from_db()
    assert student.user.email == "eleve.rentree@example.net"
    log_out(page)

    # The teacher sees the student among the participants of their class.
    log_in(page, "prof.maths@example.net")
    page.goto(f"/organisations/{school.pk}/campagnes/{campaign.pk}")
    page.get_by_label(student.division, exact=True).check()
    page.get_by_role("button", name="Filtrer").click()
    row = page.get_by_role("row").filter(has_text=student.family_name)
    expect(row).to_contain_text(student.division)
    expect(row).to_contain_text("En cours")
    shot(page, "05-participant-in-division")
    log_out(page)

    # The next campaign of the school: the student joins without the form.
    second = Campaign.objects.create(organization=school, name="Collecte", type=Campaign.Type.PROFILES_COLLECTION,
                                     code="QWERTY234", owner=teacher, creator=teacher, title="Mon profil")
    log_in(page, "eleve.rentree@example.net", "Cartable2026")
    page.goto(f"/campagnes/{second.code}")
    page.get_by_role("button", name="Je commence").click()
    page.get_by_role("heading", name=re.compile("Envoi de votre profil")).wait_for()
    assert Participation.objects.filter(learner=student, is_preview=False).count() == 2
