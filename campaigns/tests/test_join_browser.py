"""Activation step 5 in a browser: a student of Lycée Pix joins with a code. Screenshots in /tmp/pixorga/shots/join."""

import datetime
from pathlib import Path

import pytest

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from campaigns.factories import CampaignFactory
from campaigns.models import Participation
from students.factories import LearnerFactory
from students.models import Learner

SHOTS = Path("/tmp/pixorga/shots/join")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_student_signs_up_from_the_code_linked_at_once_and_joins_a_second_campaign_without_the_form(
        browser_page, school, alice_admin):
    first = CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée",
                            landing_page_text="Bienvenue en seconde ! Ce parcours dure 30 minutes.")
    second = CampaignFactory(organization=school, owner=alice_admin, title="Collecte de profils",
                             type="PROFILES_COLLECTION")
    eloise = LearnerFactory(organization=school, first_name="Éloïse", family_name="Dupré",
                            birthdate=datetime.date(2010, 9, 5), division="2NDE1")
    LearnerFactory(organization=school, first_name="Éloïse", family_name="Durand",
                   birthdate=datetime.date(2010, 9, 5), division="2NDE2")
    page = browser_page

    page.goto("/campagnes")
    page.get_by_role("heading", name="J'ai un code").wait_for()
    shot(page, "01_code")
    page.get_by_label("Code de la campagne").fill("zzzzzz 999")
    page.get_by_role("button", name="C'est parti").click()
    page.get_by_text("par exemple ABCDEF234").first.wait_for()
    shot(page, "02_wrong_code")
    page.get_by_label("Code de la campagne").fill(f"{first.code[:6].lower()} {first.code[6:]}")
    page.get_by_role("button", name="C'est parti").click()

    page.get_by_role("heading", name="Parcours de rentrée").wait_for()
    assert page.get_by_text("Lycée Pix").first.is_visible()
    shot(page, "03_landing")
    page.get_by_role("link", name="Je commence").click()
    # Who am I first: the record is found before the account exists.
    panel = page.locator("#panel-inscription")
    panel.get_by_label("Prénom").fill("Eloise")
    panel.get_by_label("Nom", exact=True).fill("Dupre")
    panel.get_by_label("JJ").fill("05")
    panel.get_by_label("MM").fill("09")
    panel.get_by_label("AAAA").fill("2010")
    shot(page, "04_signup_who")
    panel.get_by_role("button", name="Continuer").click()

    page.get_by_role("heading", name="Bonjour Éloïse").wait_for()
    page.get_by_label("Mon adresse e-mail").check()
    page.get_by_label("Adresse e-mail", exact=True).fill("eloise.dupre@example.net")
    page.get_by_label("Mot de passe").fill("Pixorga2026x")
    page.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    shot(page, "05_signup_login")
    page.get_by_role("button", name="Je crée mon compte").click()

    page.get_by_role("heading", name="Vous participez à « Parcours de rentrée »").wait_for()
    assert page.get_by_role("button", name="Commencer mon parcours").is_visible()
    shot(page, "06_participation")
    eloise.refresh_from_db()
    assert eloise.user.email == "eloise.dupre@example.net"

    # A second campaign of the same school: no form any more.
    page.goto(f"/campagnes/{second.code}")
    page.get_by_role("button", name="Je commence").click()
    page.get_by_role("heading", name="Envoi de votre profil").wait_for()
    page.get_by_role("button", name="J'envoie mon profil").click()
    page.get_by_text("Votre profil est envoyé").first.wait_for()
    shot(page, "08_second_campaign_shared")
    assert Participation.objects.filter(learner=eloise).count() == 2
    assert Participation.objects.get(campaign=second).status == "SHARED"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_another_account_trying_the_same_learner_gets_the_r31_hint(browser_page, school, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée")
    eloise = LearnerFactory(organization=school, first_name="Éloïse", family_name="Dupré",
                            birthdate=datetime.date(2010, 9, 5), division="2NDE1")
    Learner.objects.filter(pk=eloise.pk).update(user=UserFactory(email="eloise.dupre@example.net"))
    UserFactory(email="quelquun@example.net", first_name="Eloïse", last_name="Dupré")
    page = browser_page

    page.goto(f"/campagnes/{campaign.code}?etape=compte&onglet=connexion")
    panel = page.locator("#panel-connexion")
    panel.get_by_label("Adresse e-mail").fill("quelquun@example.net")
    panel.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    panel.get_by_role("button", name="Je me connecte").click()
    page.get_by_role("heading", name="Qui êtes-vous ?").wait_for()
    page.get_by_label("JJ").fill("5")
    page.get_by_label("MM").fill("9")
    page.get_by_label("AAAA").fill("2010")
    page.get_by_role("button", name="Continuer").click()

    hint = page.get_by_role("alert")
    hint.wait_for()
    assert ("L'élève Éloïse Dupré est déjà associé au compte e***@example.net. Connectez-vous avec ce compte, "
            "ou demandez à un enseignant de dissocier l'élève.") in hint.inner_text()
    shot(page, "09_r31")
    assert not Participation.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_a_student_logging_in_from_a_campaign_is_in_their_own_space(browser_page, school, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/connexion?next=/campagnes/{campaign.code}")
    page.get_by_role("heading", name="Connexion à mon espace").wait_for()
    assert "Pix Orga" not in page.content()
    assert page.title() == "Connexion · Mon espace Pix"
    shot(page, "10_phone_login_from_a_campaign")
