"""Journeys in a real browser, in French, clicking what a person clicks. Screenshots: /tmp/pixorga/shots/accounts/."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD
from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/pixorga/shots/accounts")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_a_person_signs_up_logs_out_and_logs_in_again(browser_page):
    page = browser_page
    page.goto("/inscription")
    expect(page.get_by_role("heading", name="Créer votre compte Pix Orga")).to_be_visible()
    expect(page.get_by_text("8 caractères minimum, dont une majuscule, une minuscule et un chiffre")).to_be_visible()
    shot(page, "signup")

    page.get_by_label("Prénom").fill("Claire")
    page.get_by_label("Nom", exact=True).fill("Lefèvre")
    page.get_by_label("Adresse e-mail").fill("Claire.Lefevre@Example.net")
    page.get_by_label("Mot de passe").fill("tournesol")
    page.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_text("Le mot de passe doit contenir au moins une majuscule, une minuscule et un chiffre.")).to_be_visible()
    expect(page.get_by_label("Prénom")).to_have_value("Claire")  # what was typed is kept
    shot(page, "signup-weak-password")
    assert not User.objects.exists()

    page.get_by_label("Mot de passe").fill("Tournesol2026")
    page.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_text("Bienvenue Claire, votre compte est créé.")).to_be_visible()
    expect(page.get_by_text("Claire Lefèvre")).to_be_visible()
    assert User.objects.get().email == "claire.lefevre@example.net"

    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté. À bientôt !")).to_be_visible()
    expect(page.get_by_role("heading", name="Connexion", exact=True)).to_be_visible()
    shot(page, "login")

    page.get_by_label("Adresse e-mail").fill("claire.lefevre@example.net")
    page.get_by_label("Mot de passe").fill("Tournesol2026")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("banner").get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_text("Claire Lefèvre")).to_be_visible()


def test_too_many_wrong_passwords_lock_the_login_with_a_clear_message(browser_page, alice_admin):
    page = browser_page
    page.goto("/connexion")
    for _ in range(5):
        page.get_by_label("Adresse e-mail").fill("alice.admin@example.net")
        page.get_by_label("Mot de passe").fill("Mauvais2026")
        page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_text("Connexion temporairement bloquée.")).to_be_visible()
    expect(page.get_by_text("réessayez dans 15 minutes ou réinitialisez votre mot de passe", exact=False)).to_be_visible()
    expect(page.get_by_label("Adresse e-mail")).to_have_value("alice.admin@example.net")
    shot(page, "lockout")

    page.get_by_label("Adresse e-mail").fill("alice.admin@example.net")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Connexion temporairement bloquée.")).to_be_visible()

    page.get_by_role("link", name="Réinitialiser mon mot de passe").click()
    expect(page.get_by_role("heading", name="Mot de passe oublié")).to_be_visible()


def test_a_member_accepts_new_pix_orga_terms_and_goes_on(browser_page, bob_member, settings):
    settings.PIX_ORGA_TERMS_VERSION = "2099-01"
    page = browser_page
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill("bob.membre@example.net")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Conditions d'utilisation de Pix Orga")).to_be_visible()
    expect(page.get_by_text("Les conditions d'utilisation de Pix Orga ont changé.", exact=False)).to_be_visible()
    assert "/cgu?next=" in page.url
    shot(page, "cgu")

    page.get_by_role("button", name="J'accepte les conditions d'utilisation").click()

    expect(page.get_by_text("Merci, vous avez accepté les conditions d'utilisation de Pix Orga.")).to_be_visible()
    assert "/cgu" not in page.url
    bob_member.refresh_from_db()
    assert bob_member.pix_orga_terms_version == "2099-01"
