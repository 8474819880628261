"""The pages' small scripts, moved from inline <script> and onsubmit="" to static/js/pixorga.js for the
Content-Security-Policy, still work in a browser (the browser_page fixture fails on any CSP violation)."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services as accounts_services
from accounts.factories import DEFAULT_PASSWORD, UserFactory
from invitations.factories import InvitationFactory
from invitations.models import Invitation
from students.factories import LearnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/pixorga/shots/apisec")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, login: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail ou identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_cancelling_an_invitation_asks_first(browser_page, school, alice_admin):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")
    page = browser_page
    log_in(page, alice_admin.email)
    page.goto(f"/organisations/{school.pk}/equipe")
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Annuler l'invitation de zoe@ecole.fr").click()
    page.wait_for_load_state()
    assert questions == ["Annuler l’invitation de zoe@ecole.fr ? Son lien ne fonctionnera plus."]
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Annuler l'invitation de zoe@ecole.fr").click()
    expect(page.get_by_text("L'invitation de zoe@ecole.fr a été annulée")).to_be_visible()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.CANCELLED


def test_ticking_the_page_box_ticks_every_student_of_the_page(browser_page, school, bob_member):
    for first_name in ("Léna", "Hugo", "Zoé"):
        LearnerFactory(organization=school, first_name=first_name, division="6EME2")
    page = browser_page
    log_in(page, bob_member.email)
    page.goto(f"/organisations/{school.pk}/eleves")

    page.get_by_label("Cocher les élèves de la page").check()

    boxes = page.locator('input[name="learners"][form="selection"]')
    assert boxes.count() == 3
    assert all(boxes.nth(i).is_checked() for i in range(3))


def test_see_what_i_type_on_choosing_ones_password(browser_page, school, bob_member):
    student = UserFactory(email=None, username="lena.cote1503", first_name="Léna", last_name="Côte")
    LearnerFactory(organization=school, user=student, linked_at=timezone.now())
    password = accounts_services.user_one_time_password_set(user=student)
    page = browser_page
    log_in(page, "lena.cote1503", password)
    page.set_viewport_size({"width": 390, "height": 844})

    field = page.get_by_label("Votre nouveau mot de passe")
    field.fill("Girafe2026Bleue")
    assert field.get_attribute("type") == "password"
    page.get_by_label("Voir ce que je tape").check()
    assert field.get_attribute("type") == "text"
    shot(page, "password-choose-phone")


def test_my_api_keys_page_and_the_error_pages(browser_page, alice_admin):
    accounts_services.api_token_create(user=alice_admin, name="script SIECLE")
    accounts_services.api_token_create(user=alice_admin, name="ENT")
    page = browser_page
    log_in(page, alice_admin.email)

    page.get_by_role("link", name="Mes clés d'API").click()
    expect(page.get_by_role("heading", name="Mes clés d'API")).to_be_visible()
    shot(page, "api-keys")
    page.get_by_role("button", name="Révoquer toutes mes clés (2)").click()
    expect(page.get_by_text("Toutes vos clés sont révoquées.")).to_be_visible()

    response = page.goto("/organisations/abc/eleves")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Cette page n'existe pas ou vous n'y avez pas accès")).to_be_visible()
    shot(page, "404")
