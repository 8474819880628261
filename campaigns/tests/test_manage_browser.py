"""Campaign management in a browser: a teacher creates a campaign and finds it; an admin archives it."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD
from campaigns.models import Campaign

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


def log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()


def test_a_teacher_creates_a_campaign_and_an_admin_archives_it(browser_page, school, alice_admin, bob_member,
                                                               target_profile):
    page = browser_page
    log_in(page, bob_member.email)

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Campagnes").click()
    expect(page.get_by_role("heading", name="Vous n'avez pas encore de campagne.")).to_be_visible()
    shot(page, "01-empty-list")
    page.get_by_role("link", name="Créer une campagne").first.click()

    expect(page.get_by_role("heading", name="Créer une campagne")).to_be_visible()
    page.get_by_label("Nom de la campagne").fill("Rentrée 2de B")
    page.get_by_label("Collecte de profils").check()
    expect(page.get_by_label("Parcours (pour une évaluation)")).to_be_hidden()  # a profiles collection has none
    page.get_by_label("Évaluation", exact=True).check()
    page.get_by_label("Parcours (pour une évaluation)").select_option(label="Rechercher sur le web (3 acquis)")
    page.get_by_label("Titre du parcours (facultatif)").fill("Parcours de rentrée")
    page.get_by_label("Texte de la page d'accueil (facultatif)").fill("Bienvenue en 2de B !")
    expect(page.get_by_text("20 / 5 000 caractères")).to_be_visible()
    expect(page.get_by_text("N'utilisez pas d'identifiant sensible (INE, numéro de sécurité sociale…).")).to_be_visible()
    expect(page.get_by_label("Propriétaire")).to_have_value(str(bob_member.pk))
    shot(page, "02-create-form")
    page.get_by_role("button", name="Créer la campagne").click()

    campaign = Campaign.objects.get(name="Rentrée 2de B")
    expect(page.get_by_text(f"Campagne créée : code {campaign.code}")).to_be_visible()
    assert campaign.target_profile == target_profile and campaign.campaign_skills.count() == 3
    shot(page, "03-created")

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Campagnes").click()
    expect(page.get_by_role("link", name="Mes campagnes")).to_have_attribute("aria-selected", "true")
    row = page.get_by_role("row").filter(has_text="Rentrée 2de B")
    expect(row).to_contain_text(campaign.code)
    expect(row).to_contain_text("Évaluation")
    shot(page, "04-mes-campagnes")
    log_out(page)

    log_in(page, alice_admin.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Campagnes").click()
    expect(page.get_by_text("Rentrée 2de B")).to_have_count(0)  # not Alice's: not in "Mes campagnes"
    page.get_by_role("link", name="Toutes les campagnes").click()
    row = page.get_by_role("row").filter(has_text="Rentrée 2de B")
    expect(row).to_contain_text("Bob Durand")
    shot(page, "05-toutes-les-campagnes")
    row.get_by_role("button", name="Archiver").click()

    expect(page.get_by_text("La campagne « Rentrée 2de B » est archivée")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Rentrée 2de B")).to_have_count(0)
    page.get_by_label("État").select_option(label="Campagnes archivées")
    page.get_by_role("button", name="Filtrer").click()
    row = page.get_by_role("row").filter(has_text="Rentrée 2de B")
    expect(row).to_contain_text("Archivée")
    expect(row.get_by_role("button", name="Désarchiver")).to_be_visible()
    shot(page, "06-archived")
    campaign.refresh_from_db()
    assert campaign.archived_by == alice_admin


def test_the_owner_fixes_a_mistake_and_hands_the_campaign_over(browser_page, school, alice_admin, bob_member):
    from campaigns.factories import CampaignFactory

    campaign = CampaignFactory(organization=school, owner=bob_member, creator=bob_member, name="Rentrée 2de C")
    page = browser_page
    log_in(page, bob_member.email)
    page.goto(f"/organisations/{school.pk}/campagnes")
    page.get_by_role("row").filter(has_text="Rentrée 2de C").get_by_role("link", name="Modifier").click()

    expect(page.get_by_role("heading", name="Modifier la campagne")).to_be_visible()
    expect(page.get_by_text("Le type ne se modifie pas après la création.")).to_be_visible()
    page.get_by_label("Nom de la campagne").fill("")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Donnez un nom à la campagne.")).to_be_visible()
    shot(page, "07-edit-error")

    page.get_by_label("Nom de la campagne").fill("Rentrée 2de C – 2026")
    page.get_by_label("Propriétaire").select_option(label="Alice Martin")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La campagne « Rentrée 2de C – 2026 » a été modifiée.")).to_be_visible()
    shot(page, "08-edited")

    campaign.refresh_from_db()
    assert campaign.name == "Rentrée 2de C – 2026" and campaign.owner == alice_admin
    # No longer the owner and not an admin: Bob can no longer edit it.
    page.goto(f"/organisations/{school.pk}/campagnes?tab=toutes")
    expect(page.get_by_role("row").filter(has_text="Rentrée 2de C").get_by_role("link", name="Modifier")).to_have_count(0)
