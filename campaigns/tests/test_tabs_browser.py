"""In a browser: a teacher opens « Résultats » and « Analyse » of an assessment taken by two classes, keeps one
class across the tabs, opens a student's page; every tab is photographed on a desktop and on a phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD
from campaigns.tests.results_helpers import (  # noqa: F401
    assessment_campaign,
    fast_password_hashing,
    profile_with_competences,
    profiles_campaign,
    retake,
    sent_result,
    started,
)
from content.models import TargetProfile
from content.testing import content_bank  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/pixorga/shots/campaign-tabs")
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, email: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


# Levels per tube name for a student who knows the passwords topic well and little else.
STRONG_PASSWORDS = {"motDePasseRobuste": 4, "hameconnage": 2}


@pytest.fixture
def campaign(content_bank, school, bob_member):  # noqa: F811
    profile = TargetProfile.objects.get(key="protection-et-securite")
    campaign = assessment_campaign(organization=school, by=bob_member, target_profile=profile,
                                   name="Sécurité des 2des", multiple_sendings=True)
    first = sent_result(campaign, division="2NDE1", family_name="Arnaud", first_name="Léa", level=1)
    retake(first, level=STRONG_PASSWORDS)
    sent_result(campaign, division="2NDE1", family_name="Bernard", first_name="Tom", level=3)
    sent_result(campaign, division="2NDE1", family_name="Chevalier", first_name="Inès", level=0)
    sent_result(campaign, division="2NDE2", family_name="Dubois", first_name="Hugo", level=4)
    sent_result(campaign, division="2NDE2", family_name="Émery", first_name="Chloé", level=2)
    started(campaign, division="2NDE2", family_name="Fabre", first_name="Nina", answers=3)
    return campaign


def photograph_every_tab(page, base: str, suffix: str, student_url: str) -> None:
    for name, path in (("1-activite", ""), ("2-resultats", "/resultats"), ("3-analyse", "/analyse"),
                       ("4-parametres", "/parametres")):
        page.goto(base + path)
        shot(page, f"{name}-{suffix}")
    page.goto(student_url)
    shot(page, f"5-eleve-{suffix}")


def test_teacher_reads_results_and_analysis_class_by_class(browser_page, school, bob_member, campaign):
    page = browser_page
    page.set_viewport_size(DESKTOP)
    log_in(page, bob_member.email)
    base = f"/organisations/{school.pk}/campagnes/{campaign.pk}"
    page.goto(base)
    tabs = page.get_by_role("navigation", name="Onglets de la campagne")
    expect(tabs.get_by_role("link", name="Activité")).to_have_attribute("aria-current", "page")
    expect(page.locator('[data-stat="participants"]')).to_have_text("6")
    expect(page.locator('[data-stat="shared"]')).to_have_text("5")

    tabs.get_by_role("link", name="Résultats (5)").click()
    expect(page.get_by_text("Palier moyen")).to_be_visible()
    rows = page.locator(".results-table tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Arnaud Léa")
    expect(rows.first).to_contain_text("2NDE1")
    expect(rows.first.locator(".trend")).to_contain_text("En hausse")  # her second sending is better

    tabs.get_by_role("link", name="Analyse").click()
    expect(page.get_by_role("heading", name="Sujets à travailler")).to_be_visible()
    expect(page.locator(".tubes-table tbody tr").first.locator(".reason")).to_contain_text("élève")
    expect(page.get_by_role("heading", name="Comparer les classes")).to_be_visible()
    expect(page.locator(".divisions-table tbody tr")).to_have_count(2)

    page.locator(".analysis-filters").get_by_label("2NDE1").check()
    page.get_by_role("button", name="Analyser ces classes").click()
    expect(page.locator(".division-note")).to_contain_text("2NDE1")
    expect(page.locator(".analysis-scope")).to_contain_text("3 élèves")
    # The class stays chosen from tab to tab.
    tabs.get_by_role("link", name="Résultats (3)").click()
    expect(page.locator(".results-table tbody tr")).to_have_count(3)
    expect(page.locator(".results-table")).not_to_contain_text("Dubois")
    expect(page.get_by_label("2NDE1")).to_be_checked()

    page.get_by_role("link", name="Arnaud Léa").click()
    expect(page.get_by_role("heading", name="Léa Arnaud")).to_be_visible()
    sendings = page.get_by_role("navigation", name="Participations de l'élève")
    expect(sendings.get_by_role("link")).to_have_count(2)
    expect(sendings.locator('[aria-current="page"]')).to_contain_text("Envoi n° 2")
    expect(page.get_by_role("heading", name="Niveaux par sujet")).to_be_visible()
    expect(page.locator(".student-tubes .level-validated").first).to_be_visible()
    student_url = page.url
    sendings.get_by_role("link", name="Envoi n° 1").click()
    expect(page.locator(".sendings [aria-current=page]")).to_contain_text("Envoi n° 1")

    photograph_every_tab(page, base, "1280", student_url)
    page.set_viewport_size(PHONE)
    photograph_every_tab(page, base, "390", student_url)


def test_teacher_reads_the_profiles_received_and_keeps_the_certifiable_ones(browser_page, school, bob_member):
    practice = assessment_campaign(organization=school, by=bob_member, name="Entraînement",
                                   target_profile=profile_with_competences(("1.1", "2.1", "3.1", "4.1", "5.1")))
    strong = sent_result(practice, division="2NDE1", family_name="Garnier", first_name="Jade", level=2)
    collection = profiles_campaign(organization=school, by=bob_member, name="Collecte de décembre")
    sent_result(collection, learner=strong.learner, user=strong.user)
    sent_result(collection, division="2NDE1", family_name="Henry", first_name="Paul")
    sent_result(collection, division="2NDE2", family_name="Idir", first_name="Sami")
    started(collection, division="2NDE2", family_name="Joly", first_name="Lou")
    page = browser_page
    page.set_viewport_size(DESKTOP)
    log_in(page, bob_member.email)
    page.goto(f"/organisations/{school.pk}/campagnes/{collection.pk}/resultats")
    tabs = page.get_by_role("navigation", name="Onglets de la campagne")
    expect(tabs.get_by_role("link", name="Analyse")).to_have_count(0)
    expect(page.locator('[data-stat="shared"]')).to_have_text("3 profils")
    expect(page.locator('[data-stat="certifiable"]')).to_have_text("1 élève sur 3")
    page.get_by_label("Certificabilité").select_option("oui")
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator(".profiles-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Certifiable")
    expect(rows.first).to_contain_text("5 / 16")
    shot(page, "6-profils-1280")
    page.get_by_role("link", name="Garnier Jade").click()
    expect(page.get_by_role("heading", name="Profil envoyé")).to_be_visible()
    expect(page.locator(".pix-score")).to_have_text("40")
    shot(page, "7-profil-eleve-1280")
    page.set_viewport_size(PHONE)
    shot(page, "7-profil-eleve-390")
    page.goto(f"/organisations/{school.pk}/campagnes/{collection.pk}/resultats")
    shot(page, "6-profils-390")
