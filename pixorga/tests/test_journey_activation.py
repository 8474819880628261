"""Activation steps 1–3 end to end, in Chromium, as the people of a school live them.

Staff create the school; its head signs up, accepts the first-admin invitation and the Pix Orga terms, invites a
co-administrator, who signs up through the e-mailed link and is then promoted; the used link says so.
"""

import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command

from invitations.models import Invitation
from organizations.models import Membership, Organization

SHOTS = Path("/tmp/pixorga/shots/journeys")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def invitation_path(message, site_url):
    """The link of an invitation e-mail, absolute on SITE_URL, as a path for the live server."""
    link = re.search(r"(\S+/rejoindre\?token=[\w\-]+)", message.body).group(1)
    assert link.startswith(site_url + "/")
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_url(re.compile(r"/connexion"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_school_activates_its_space_and_builds_its_team(browser_page, live_server, settings):
    settings.SITE_URL = live_server.url
    page = browser_page

    # Staff create the school: the first-admin invitation goes to the school's address.
    out = StringIO()
    call_command("create_organization", name="Lycée Pix", type="SCO", uai="0751234a",
                 email="ce.0751234a@ac-pix.fr", managing_students=True, stdout=out)
    school = Organization.objects.get(pk=int(out.getvalue().strip()))
    assert school.external_id == "0751234A"
    [first_admin_mail] = mail.outbox
    assert first_admin_mail.to == ["ce.0751234a@ac-pix.fr"]
    first_admin_link = invitation_path(first_admin_mail, live_server.url)

    # Step 1: the school head creates an account.
    page.goto("/inscription")
    page.get_by_label("Prénom").fill("Claire")
    page.get_by_label("Nom", exact=True).fill("Dupont")
    page.get_by_label("Adresse e-mail").fill("Claire.Dupont@AC-PIX.fr")
    page.get_by_label("Mot de passe").fill("Lycee2026")
    page.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    page.get_by_role("button", name="Créer mon compte").click()
    # Signed up but invited nowhere yet: Pix Orga says what to do.
    page.get_by_text("L'accès à Pix Orga est limité aux membres invités").wait_for()

    # Step 2: she opens the school's invitation while logged in and joins as administrator.
    page.goto(first_admin_link)
    page.get_by_role("heading", name=re.compile("Invitation à rejoindre l'organisation Lycée Pix")).wait_for()
    page.get_by_role("button", name="Rejoindre Lycée Pix avec le compte claire.dupont@ac-pix.fr").click()
    # She accepted the Pix Orga terms when signing up (one checkbox, with a link to read them): no second page.
    page.wait_for_url(re.compile(rf"/organisations/{school.pk}/accueil$"))
    shot(page, "01-home")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Équipe").click()
    assert "Administrateur" in page.locator("tr", has_text="Dupont").inner_text()

    # Step 3: she invites a co-administrator.
    page.get_by_role("link", name="Inviter un membre").first.click()
    page.get_by_label("Adresses e-mail").fill("  Marc.Leroy@ac-pix.fr ")
    page.get_by_role("button", name="Envoyer les invitations").click()
    page.get_by_role("cell", name="marc.leroy@ac-pix.fr", exact=True).wait_for()
    shot(page, "02-team-with-pending-invitation")
    colleague_mail = mail.outbox[-1]
    assert colleague_mail.to == ["marc.leroy@ac-pix.fr"]
    assert "Lycée Pix" in colleague_mail.subject
    colleague_link = invitation_path(colleague_mail, live_server.url)
    log_out(page)

    # The colleague signs up through the link and joins as a member.
    page.goto(colleague_link)
    page.get_by_role("tab", name="Je m'inscris").click()
    signup = page.locator("#panel-inscription")
    assert signup.get_by_label("Adresse e-mail").input_value() == "marc.leroy@ac-pix.fr"
    signup.get_by_label("Prénom").fill("Marc")
    signup.get_by_label("Nom", exact=True).fill("Leroy")
    signup.get_by_label("Mot de passe").fill("Proviseur2026")
    signup.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    signup.get_by_role("button", name="Créer mon compte et rejoindre Lycée Pix").click()
    page.wait_for_url(re.compile(rf"/organisations/{school.pk}/accueil$"))
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Équipe").click()
    assert "Membre" in page.locator("tr", has_text="Leroy").inner_text()
    assert page.get_by_role("link", name="Inviter un membre").count() == 0  # members do not manage the team
    log_out(page)

    # The head promotes him: co-administrators are unlimited.
    page.get_by_label("Adresse e-mail").fill("claire.dupont@ac-pix.fr")
    page.get_by_label("Mot de passe").fill("Lycee2026")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Équipe", exact=True).click()
    page.get_by_label("Rôle de Marc Leroy").select_option(label="Administrateur")
    page.get_by_role("button", name="Modifier le rôle de Marc Leroy").click()
    page.get_by_text("Marc Leroy est maintenant administrateur.").wait_for()
    assert "Administrateur" in page.locator("tr", has_text="Leroy").inner_text()
    shot(page, "03-team-two-admins")
    assert set(Membership.objects.active().filter(organization=school).values_list("user__email", "role")) == {
        ("claire.dupont@ac-pix.fr", "ADMIN"), ("marc.leroy@ac-pix.fr", "ADMIN"),
    }
    assert not Invitation.objects.filter(organization=school, status=Invitation.Status.PENDING).exists()

    # A second click on the used link explains it was already accepted, and whom to contact.
    page.goto(colleague_link)
    page.get_by_role("heading", name="Cette invitation a déjà été acceptée").wait_for()
    assert "Claire Dupont" in page.locator("main").inner_text()
    shot(page, "04-used-link")
    assert Membership.objects.active().filter(organization=school).count() == 2
