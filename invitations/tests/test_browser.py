"""A school head activates the school's space from the e-mail, and what admins see. Screenshots in /tmp/pixorga/shots."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail

SHOTS = Path("/tmp/pixorga/shots/invitations")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def link_of(message, site_url):
    link = re.search(r"(https?://\S+/rejoindre\?token=[\w\-]+)", message.body).group(1)
    assert link.startswith(site_url)
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_school_head_activates_the_space_from_the_email(browser_page, live_server, settings):
    from invitations.services import organization_activate

    settings.SITE_URL = live_server.url
    organization_activate(name="Collège Jean Moulin", type="SCO", uai="0751111B", email="ce.0751111b@ac-pix.fr",
                        is_managing_students=True)
    message = mail.outbox[-1]
    assert message.to == ["ce.0751111b@ac-pix.fr"]
    # The e-mail, as the school head sees it.
    SHOTS.mkdir(parents=True, exist_ok=True)
    html = message.alternatives[0][0]
    (SHOTS / "email.html").write_text(html, encoding="utf-8")
    page = browser_page
    page.set_content(html)
    shot(page, "email")
    page.get_by_role("link", name="Accepter l'invitation").wait_for()

    path = link_of(message, live_server.url)
    page.goto(path)
    page.get_by_role("heading", name="Invitation à rejoindre l'organisation Collège Jean Moulin").wait_for()
    page.get_by_role("tab", name="J'ai déjà un compte").click()
    page.locator("#panel-connexion").get_by_label("Mot de passe").wait_for()
    shot(page, "join_login_tab")
    page.get_by_role("tab", name="Je m'inscris").click()
    signup = page.locator("#panel-inscription")
    assert signup.get_by_label("Adresse e-mail").input_value() == "ce.0751111b@ac-pix.fr"
    shot(page, "join_signup_tab")

    signup.get_by_label("Prénom").fill("Claire")
    signup.get_by_label("Nom", exact=True).fill("Dupont")
    signup.get_by_label("Adresse e-mail").fill("claire.dupont@ac-pix.fr")
    signup.get_by_label("Mot de passe").fill("Moulin2026!")
    signup.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    signup.get_by_role("button", name="Créer mon compte et rejoindre Collège Jean Moulin").click()

    # One acceptance of the terms (the sign-up's checkbox): straight to the school's home page.
    page.wait_for_url(re.compile(r"/organisations/\d+/accueil$"))
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Équipe").click()
    page.get_by_role("heading", name="Équipe").wait_for()
    body = page.locator("main").inner_text()
    assert "Dupont" in body and "Administrateur" in body
    shot(page, "team_after_joining")

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.goto(path)
    page.get_by_role("heading", name="Cette invitation a déjà été acceptée").wait_for()
    assert "Claire Dupont" in page.locator("main").inner_text()
    assert "claire.dupont@ac-pix.fr" not in page.content()
    shot(page, "join_used")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_invites_colleagues_and_sees_their_delivery(browser_page, live_server, settings):
    from accounts.factories import DEFAULT_PASSWORD, UserFactory
    from invitations.factories import InvitationFactory
    from invitations.models import Invitation
    from organizations.factories import MembershipFactory, OrganizationFactory
    from organizations.models import Membership

    school = OrganizationFactory(name="Lycée Pix", external_id="0751234A")
    admin = UserFactory(email="alice.admin@example.net", first_name="Alice", last_name="Martin")
    MembershipFactory(user=admin, organization=school, role=Membership.Role.ADMIN)
    InvitationFactory(organization=school, email="zoe.prof@ecole.fr", delivery_status=Invitation.Delivery.SPAM)
    InvitationFactory(organization=school, email="paul.prof@ecole.fr", delivery_status=Invitation.Delivery.DELIVERED)

    page = browser_page
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill("alice.admin@example.net")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/organisations/{school.pk}/equipe")
    page.get_by_role("link", name="Inviter un membre").first.click()
    page.get_by_label("Adresses e-mail").fill("lea@ecole.fr, martin@ecole")
    page.get_by_role("button", name="Envoyer les invitations").click()
    page.get_by_text("Cette adresse n'est pas valide : martin@ecole.").wait_for()
    shot(page, "invite_invalid_address")

    page.get_by_label("Adresses e-mail").fill("lea@ecole.fr; martin@ecole.fr\nzoe.prof@ecole.fr")
    page.get_by_role("button", name="Envoyer les invitations").click()
    page.get_by_text("2 invitations envoyées, 1 renvoyée.").wait_for()
    section = page.locator(".team-invitations")
    assert "lea@ecole.fr" in section.inner_text() and "martin@ecole.fr" in section.inner_text()
    Invitation.objects.filter(email="zoe.prof@ecole.fr").update(delivery_status=Invitation.Delivery.SPAM)
    page.reload()
    assert "Classée en indésirable" in section.inner_text() and "Remise" in section.inner_text()
    shot(page, "team_invitations")
