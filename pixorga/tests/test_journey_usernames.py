"""Students without an e-mail, in Chromium: signing up with « Mon identifiant » from a campaign code, a teacher
resetting a class's passwords (the file downloaded), a student logging in with a one-time password.

The student pages are driven at phone size (390×844) and checked to fit it; screenshots in
/tmp/pixorga/shots/usernames.
"""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.models import User
from campaigns.factories import CampaignFactory
from campaigns.models import Participation
from organizations.factories import MembershipFactory
from students.factories import LearnerFactory
from students.models import Learner, LearnerAccountEvent

SHOTS = Path("/tmp/pixorga/shots/usernames")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TEACHER_PASSWORD = "Tableau2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    if page.viewport_size == PHONE:
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, login: str, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail ou identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url("**/campagnes**" if "/campagnes" in page.url else "**/connexion**")


def test_a_student_without_email_signs_up_with_a_username_logs_out_and_logs_in_with_it(browser_page, school,
                                                                                       alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée 6e")
    lena = LearnerFactory(organization=school, first_name="Léna", family_name="Côte",
                          birthdate=datetime.date(2013, 3, 15), division="6EME2")
    page = browser_page
    page.set_viewport_size(PHONE)

    page.goto("/campagnes")
    page.get_by_label("Code de la campagne").fill(campaign.code.lower())
    page.get_by_role("button", name="C'est parti").click()
    page.get_by_role("link", name="Je commence").click()
    panel = page.locator("#panel-inscription")
    expect(panel.get_by_text("D'abord, dites-nous qui vous êtes")).to_be_visible()
    panel.get_by_label("Prénom").fill("lena")
    panel.get_by_label("Nom", exact=True).fill("COTE")
    panel.get_by_label("JJ").fill("15")
    panel.get_by_label("MM").fill("03")
    panel.get_by_label("AAAA").fill("2013")
    shot(page, "01_student_who_are_you")
    panel.get_by_role("button", name="Continuer").click()

    page.get_by_role("heading", name="Bonjour Léna").wait_for()
    expect(page.get_by_label("Mon identifiant")).to_be_checked()
    expect(page.get_by_test_id("suggested-username")).to_have_text("lena.cote1503")
    expect(page.get_by_label("Adresse e-mail", exact=True)).to_be_hidden()  # only for « Mon adresse e-mail »
    page.get_by_label("Mot de passe").fill("Girafe2026")
    page.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    shot(page, "02_student_choose_login")
    page.get_by_role("button", name="Je crée mon compte").click()

    page.get_by_role("heading", name="votre compte est créé").wait_for()
    expect(page.get_by_test_id("username")).to_have_text("lena.cote1503")
    shot(page, "03_student_account_created")
    user = User.objects.get(username="lena.cote1503")
    assert user.email is None and Learner.objects.get(pk=lena.pk).user == user
    page.get_by_role("button", name="Je commence").click()
    page.get_by_role("heading", name="Vous participez à « Parcours de rentrée 6e »").wait_for()
    assert Participation.objects.get(user=user).learner_id == lena.pk

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.get_by_role("heading", name="J'ai un code").wait_for()
    log_in(page, "Lena.Cote1503", "Girafe2026")
    page.get_by_role("heading", name="Mes parcours").wait_for()
    expect(page.get_by_text("Parcours de rentrée 6e")).to_be_visible()
    shot(page, "04_student_back_with_username")


def test_a_teacher_resets_a_class_and_a_student_logs_in_with_the_one_time_password(browser_page, school):
    teacher = UserFactory(email="prof.principal@example.net", first_name="Paul", last_name="Lambert",
                          password=TEACHER_PASSWORD)
    MembershipFactory(user=teacher, organization=school)
    lena = LearnerFactory(organization=school, first_name="Léna", family_name="Côte",
                          birthdate=datetime.date(2013, 3, 15), division="6EME2",
                          user=UserFactory(email=None, username="lena.cote1503", first_name="Léna", last_name="Côte"))
    LearnerFactory(organization=school, first_name="Hugo", family_name="Roy", birthdate=datetime.date(2013, 1, 5),
                   division="6EME2", user=UserFactory(email="hugo.roy@example.net"))
    LearnerFactory(organization=school, first_name="Zoé", family_name="Adam", division="6EME2")
    LearnerFactory(organization=school, first_name="Inès", family_name="Bernard", division="5EME1",
                   user=UserFactory(email=None, username="ines.bernard0101"))
    page = browser_page
    page.set_viewport_size(DESKTOP)

    # The teacher filters the class, sees how each student logs in, resets the class, gets the file.
    log_in(page, "prof.principal@example.net", TEACHER_PASSWORD)
    page.goto(f"/organisations/{school.pk}/eleves")
    row = page.get_by_role("row").filter(has_text="Côte")
    expect(row).to_contain_text("lena.cote1503")
    expect(page.get_by_role("row").filter(has_text="Roy")).to_contain_text("h***@example.net")
    page.get_by_label("6EME2", exact=True).check()
    page.get_by_role("button", name="Filtrer").click()
    shot(page, "10_teacher_students_of_the_class")
    page.get_by_role("link", name="Réinitialiser les mots de passe de la classe 6EME2").click()
    expect(page.get_by_text("2 élèves recevront")).to_be_visible()
    expect(page.get_by_text("Adam Zoé")).to_be_visible()
    shot(page, "11_teacher_confirm_reset")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Réinitialiser et télécharger le fichier").click()
    download = download_info.value
    assert re.fullmatch(r"\d{8}_\d{4}_mots_de_passe\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Classe", "Nom", "Prénom", "Identifiant", "Mot de passe"]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Côte", "Roy", "Adam"}
    assert by_name["Roy"][3] == "hugo.roy0501" and by_name["Adam"][3] == ""
    one_time = by_name["Côte"][4]
    assert re.fullmatch(r"[a-hj-km-np-z]{6}\d{2}", one_time)
    assert LearnerAccountEvent.objects.filter(by=teacher, learner=lena, action="PASSWORD_RESET").exists()
    assert User.objects.get(username="ines.bernard0101").must_change_password is False  # another class

    # « Gérer le compte » of one student: a new password, shown once.
    page.goto(f"/organisations/{school.pk}/eleves?division=6EME2")
    page.get_by_role("link", name="Gérer le compte de Léna Côte").click()
    expect(page.get_by_text("lena.cote1503").first).to_be_visible()
    shot(page, "12_teacher_manage_account")
    page.get_by_role("button", name="Réinitialiser le mot de passe").click()
    shown = page.get_by_test_id("password").inner_text()
    assert shown != one_time and re.fullmatch(r"[a-hj-km-np-z]{6}\d{2}", shown)
    shot(page, "13_teacher_password_shown_once")
    page.get_by_role("button", name="Se déconnecter").click()

    # The student logs in with the one-time password and must choose their own before anything else.
    page.set_viewport_size(PHONE)
    log_in(page, "lena.cote1503", shown)
    page.get_by_role("heading", name="Choisissez votre mot de passe").wait_for()
    expect(page.get_by_text("lena.cote1503")).to_be_visible()
    shot(page, "20_student_choose_password")
    page.goto("/mes-parcours")  # anything else first is not possible
    page.get_by_role("heading", name="Choisissez votre mot de passe").wait_for()
    page.get_by_label("Votre nouveau mot de passe").fill("girafe")
    page.get_by_label("Tapez-le une deuxième fois").fill("girafe")
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(page.get_by_text("au moins une majuscule, une minuscule et un chiffre").first).to_be_visible()
    shot(page, "21_student_password_too_weak")
    page.get_by_label("Votre nouveau mot de passe").fill("Girafe2026")
    page.get_by_label("Tapez-le une deuxième fois").fill("Girafe2026")
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    page.get_by_role("heading", name="Mes parcours").wait_for()
    expect(page.get_by_text("votre mot de passe est enregistré")).to_be_visible()
    shot(page, "22_student_password_chosen")
    user = User.objects.get(username="lena.cote1503")
    assert not user.must_change_password and user.check_password("Girafe2026")
