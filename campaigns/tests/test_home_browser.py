"""A school head's first logins: « Accueil » says where the school stands and what to do next, then follows it."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Participation
from students.factories import LearnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/pixorga/shots/campaigns")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, email: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_a_head_lands_on_the_home_page_and_follows_the_next_step(browser_page, school, alice_admin):
    page = browser_page
    log_in(page, alice_admin.email)

    expect(page.get_by_role("heading", name="Accueil", exact=True)).to_be_visible()
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation.get_by_role("link", name="Accueil")).to_have_attribute("aria-current", "page")
    next_step = page.locator(".home-next")
    expect(next_step).to_contain_text("Personne d'autre ne fait encore partie de l'équipe")
    expect(page.locator(".home-figures")).to_contain_text("1 membre")
    expect(page.locator(".home-figures")).to_contain_text("Aucun import SIECLE pour l'instant")
    shot(page, "home-new-school")

    next_step.get_by_role("link", name="Inviter un membre").click()
    expect(page.get_by_role("heading", name="Inviter des membres")).to_be_visible()


def test_a_school_with_results_is_sent_to_them(browser_page, school, alice_admin, bob_member):
    for index in range(3):
        LearnerFactory(organization=school, ine=f"12345678{index}AB")
    campaign = CampaignFactory(organization=school, owner=alice_admin, name="Rentrée 2de")
    ParticipationFactory(campaign=campaign)
    ParticipationFactory(campaign=campaign, status=Participation.Status.SHARED, shared_at=timezone.now())
    page = browser_page
    log_in(page, alice_admin.email)

    expect(page.locator(".home-next")).to_contain_text("Des résultats sont arrivés")
    expect(page.locator(".home-figures")).to_contain_text("3 élèves")
    expect(page.locator(".home-figures")).to_contain_text("2 participations en tout")
    shot(page, "home-with-results")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "home-with-results-phone")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.locator(".home-next").get_by_role("link", name="Voir les derniers résultats").click()
    expect(page.get_by_role("heading", name="Rentrée 2de")).to_be_visible()
