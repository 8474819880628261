"""Journeys in a real browser, in French: the team page, roles, the last-admin refusal, the switcher, no access."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from invitations.factories import InvitationFactory
from organizations.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/pixorga/shots/organizations")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, email):
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def member_row(page, last_name):
    return page.locator("table.team-table tbody tr").filter(has_text=last_name)


def test_admin_promotes_a_member_then_cannot_demote_themselves_as_last_admin(
    browser_page, school, alice_admin, bob_member
):
    page = browser_page
    # Alice also teaches in another school (a plain member there): the switcher lists it.
    voltaire = OrganizationFactory(name="Lycée Voltaire")
    MembershipFactory(organization=voltaire, role="ADMIN", user__first_name="Victor", user__last_name="Hugo")
    MembershipFactory(user=alice_admin, organization=voltaire)
    MembershipFactory(organization=school, user__first_name="Zoé", user__last_name="Arnaud")
    InvitationFactory(organization=school, email="nouvelle.prof@example.net")

    log_in(page, alice_admin.email)
    expect(page.get_by_role("heading", name="Accueil", exact=True)).to_be_visible()  # the school's home page
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Équipe").click()

    expect(page.get_by_role("heading", name="Équipe", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Équipe", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.locator(".org-switcher")).to_contain_text("MON ORGANISATION")
    expect(page.locator(".org-switcher")).to_contain_text("Lycée Pix")
    expect(page.locator("table.team-table tbody tr td:first-child")).to_have_text(
        [r"Arnaud", r"Durand", r"Martin vous"], use_inner_text=True
    )
    expect(page.get_by_role("link", name="Inviter un membre")).to_be_visible()
    expect(page.get_by_role("cell", name="nouvelle.prof@example.net", exact=True)).to_be_visible()
    shot(page, "team-admin")

    # Promote Bob.
    page.get_by_label("Rôle de Bob Durand").select_option(label="Administrateur")
    page.get_by_role("button", name="Modifier le rôle de Bob Durand").click()
    expect(page.get_by_text("Bob Durand est maintenant administrateur.")).to_be_visible()
    expect(member_row(page, "Durand").locator(".role-badge")).to_have_text("Administrateur")

    # Bob back to Membre: Alice is the only admin again, and tries to step down.
    page.get_by_label("Rôle de Bob Durand").select_option(label="Membre")
    page.get_by_role("button", name="Modifier le rôle de Bob Durand").click()
    expect(member_row(page, "Durand").locator(".role-badge")).to_have_text("Membre")
    # The only admin is not offered a role change nor leaving: the page says why and what to do first.
    expect(page.get_by_label("Rôle de Alice Martin")).to_have_count(0)
    expect(member_row(page, "Martin")).to_contain_text("Personne d'autre n'administre l'organisation")
    expect(page.get_by_role("link", name="Quitter l'organisation")).to_have_count(0)
    expect(page.locator(".leave-card")).to_contain_text("n'a pas d'autre administrateur que vous")
    expect(member_row(page, "Martin").locator(".role-badge")).to_have_text("Administrateur")
    shot(page, "team-last-admin")

    # Switch to the other school.
    page.locator(".org-switcher summary").click()
    expect(page.get_by_role("button", name="Lycée Voltaire")).to_be_visible()
    shot(page, "switcher-open")
    page.get_by_role("button", name="Lycée Voltaire").click()
    expect(page.locator(".org-switcher-current")).to_have_text("Lycée Voltaire")
    expect(page.locator(".org-subtitle")).to_contain_text("Lycée Voltaire")
    expect(page.get_by_role("button", name="Modifier le rôle")).to_have_count(0)  # member there


def test_admin_removes_a_member_after_confirming(browser_page, school, alice_admin, bob_member):
    page = browser_page
    log_in(page, alice_admin.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Équipe").click()

    page.get_by_role("link", name="Supprimer Bob Durand").click()
    expect(page.get_by_role("heading", name="Supprimer Bob Durand de l'équipe ?")).to_be_visible()
    shot(page, "remove-confirm")
    page.get_by_role("button", name="Supprimer de l'équipe").click()

    expect(page.get_by_text("Bob Durand ne fait plus partie de l'organisation.")).to_be_visible()
    expect(member_row(page, "Durand")).to_have_count(0)


def test_member_sees_the_team_without_management_tools_and_can_leave(browser_page, school, alice_admin, bob_member):
    page = browser_page
    log_in(page, bob_member.email)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Équipe").click()

    expect(page.get_by_role("heading", name="Équipe", exact=True)).to_be_visible()
    expect(member_row(page, "Martin").locator(".role-badge")).to_have_text("Administrateur")
    expect(page.get_by_role("button", name="Modifier le rôle")).to_have_count(0)
    expect(page.get_by_role("link", name="Inviter un membre")).to_have_count(0)
    expect(page.get_by_text("Invitations en attente")).to_have_count(0)
    shot(page, "team-member")

    page.get_by_role("link", name="Quitter l'organisation").click()
    page.get_by_role("button", name="Quitter l'organisation").click()

    expect(page.get_by_text("Vous avez quitté l'organisation Lycée Pix.")).to_be_visible()
    expect(page.get_by_role("heading", name="L'accès à Pix Orga est limité aux membres invités")).to_be_visible()


def test_user_without_membership_sees_what_to_do(browser_page, db):
    page = browser_page
    user = UserFactory(email="sans.ecole@example.net")

    log_in(page, user.email)

    expect(page).to_have_url(page.base_url + "/acces-restreint")
    expect(page.get_by_role("heading", name="L'accès à Pix Orga est limité aux membres invités")).to_be_visible()
    expect(page.get_by_text("demandez une invitation à un administrateur")).to_be_visible()
    expect(page.get_by_role("link", name="Activer l'espace de mon établissement")).to_be_visible()
    shot(page, "no-access")
    page.locator("main").get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(page.base_url + "/connexion")
