import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.models import User
from invitations.factories import InvitationFactory
from invitations.models import Invitation
from invitations.tests.conftest import page_text
from organizations.factories import MembershipFactory
from organizations.models import Membership

pytestmark = pytest.mark.django_db

JOIN = reverse("invitations:join")


def invite_url(organization):
    return reverse("invitations:invite", args=[organization.pk])


def team_url(organization):
    return reverse("organizations:team", args=[organization.pk])


def snapshot():
    return (list(Invitation.objects.values_list("pk", "status", "token_digest", "accepted_at")),
            list(Membership.objects.values_list("pk", "role", "disabled_at")), User.objects.count())


# --- Invite page -----------------------------------------------------------------------------------------------------

def test_the_invite_page_shows_the_textarea_to_an_admin(client, alice_admin, school):
    client.force_login(alice_admin)
    response = client.get(invite_url(school))
    assert response.status_code == 200
    text = page_text(response)
    assert "Adresses e-mail" in text and "Séparez les adresses par des virgules" in text


def test_admin_invites_and_reads_a_summary_on_the_team_page(client, alice_admin, bob_member, school,
                                                             django_capture_on_commit_callbacks):
    InvitationFactory(organization=school, email="deja.invite@ecole.fr")
    client.force_login(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(school), {
            "emails": "zoe@ecole.fr, Paul@Ecole.fr;\ndeja.invite@ecole.fr bob.membre@example.net"}, follow=True)
    assert response.redirect_chain[-1][0] == team_url(school)
    assert ("2 invitations envoyées, 1 renvoyée ; bob.membre@example.net est déjà membre."
            in page_text(response))
    assert sorted(m.to[0] for m in mail.outbox) == ["deja.invite@ecole.fr", "paul@ecole.fr", "zoe@ecole.fr"]


def test_an_invalid_address_is_named_and_nothing_is_sent(client, alice_admin, school):
    client.force_login(alice_admin)
    response = client.post(invite_url(school), {"emails": "zoe@ecole.fr, martin@ecole"})
    assert response.status_code == 200
    assert "Cette adresse n'est pas valide : martin@ecole." in page_text(response)
    assert not Invitation.objects.exists() and mail.outbox == []


def test_inviting_only_members_warns_that_nothing_was_sent(client, alice_admin, bob_member, school):
    client.force_login(alice_admin)
    response = client.post(invite_url(school), {"emails": "bob.membre@example.net"}, follow=True)
    assert "Bob.membre@example.net est déjà membre. Aucune invitation n'a été envoyée." in page_text(response)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_invite_page_is_for_admins_only(client, method, alice_admin, bob_member, charlie_outsider, school):
    data = {"emails": "zoe@ecole.fr"}
    client.force_login(bob_member)
    assert getattr(client, method)(invite_url(school), data).status_code == 403
    client.force_login(charlie_outsider)
    assert getattr(client, method)(invite_url(school), data).status_code == 404
    client.logout()
    response = getattr(client, method)(invite_url(school), data)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert not Invitation.objects.exists()


# --- Re-send and cancel from the team page ---------------------------------------------------------------------------

def test_the_team_page_lists_pending_invitations_with_their_delivery_status(client, alice_admin, school):
    InvitationFactory(organization=school, email="zoe@ecole.fr", delivery_status=Invitation.Delivery.SPAM)
    InvitationFactory(organization=school, email="paul@ecole.fr", delivery_status=Invitation.Delivery.DELIVERED)
    InvitationFactory(organization=school, email="partie@ecole.fr", status=Invitation.Status.CANCELLED)
    client.force_login(alice_admin)
    text = page_text(client.get(team_url(school)))
    assert "Invitations en attente (2)" in text
    assert "zoe@ecole.fr" in text and "Classée en indésirable" in text and "courriers indésirables" in text
    assert "paul@ecole.fr" in text and "Remise" in text
    assert "partie@ecole.fr" not in text


def test_admin_resends_an_invitation(client, alice_admin, school, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(organization=school, last_sent_at=timezone.now() - timedelta(days=5))
    client.force_login(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitations:resend", args=[school.pk, invitation.pk]), follow=True)
    assert f"L'invitation a été renvoyée à {invitation.email}." in page_text(response)
    invitation.refresh_from_db()
    assert invitation.last_sent_at > timezone.now() - timedelta(minutes=1)
    assert [m.to for m in mail.outbox] == [[invitation.email]]


def test_admin_cancels_an_invitation(client, alice_admin, school):
    invitation = InvitationFactory(organization=school)
    client.force_login(alice_admin)
    response = client.post(reverse("invitations:cancel", args=[school.pk, invitation.pk]), follow=True)
    assert f"L'invitation de {invitation.email} a été annulée" in page_text(response)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.CANCELLED


@pytest.mark.parametrize("name", ["invitations:resend", "invitations:cancel"])
def test_resend_and_cancel_are_for_admins_of_that_school(client, name, alice_admin, bob_member, charlie_outsider,
                                                          school, other_school):
    invitation = InvitationFactory(organization=school)
    digest = invitation.token_digest
    url = reverse(name, args=[school.pk, invitation.pk])
    client.force_login(bob_member)
    assert client.post(url).status_code == 403
    client.force_login(charlie_outsider)
    assert client.post(url).status_code == 404
    # An admin of the other school cannot reach it through their own organization either.
    assert client.post(reverse(name, args=[other_school.pk, invitation.pk]), follow=True).status_code == 200
    client.logout()
    assert client.post(url).status_code == 302
    assert client.get(reverse(name, args=[school.pk, invitation.pk])).status_code in (302, 405)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING and invitation.token_digest == digest


# --- The join link ---------------------------------------------------------------------------------------------------

def test_opening_the_link_shows_the_invitation_and_changes_nothing(client, school, alice_admin):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")
    visitor = UserFactory()
    before = snapshot()
    response = client.get(JOIN, {"token": invitation.raw_token}, follow=True)
    assert response.status_code == 200
    text = page_text(response)
    assert "Invitation à rejoindre l'organisation Lycée Pix" in text
    assert "Je m'inscris" in text and "J'ai déjà un compte" in text
    assert response.context["signup_form"]["email"].value() == "zoe@ecole.fr"
    client.force_login(visitor)
    client.get(JOIN, {"token": invitation.raw_token}, follow=True)  # a logged-in visit, too, changes nothing
    assert snapshot() == before


def test_signing_up_through_the_link_creates_the_account_and_joins(client, school, alice_admin):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")
    response = client.post(JOIN, {
        "token": invitation.raw_token, "action": "signup", "signup-first_name": "Zoé", "signup-last_name": "Lefèvre",
        "signup-email": "zoe@ecole.fr", "signup-password": "Pixorga2026!", "signup-accept_terms": "on",
    })
    user = User.objects.get(email="zoe@ecole.fr")
    assert Membership.objects.active().get(user=user, organization=school).role == Membership.Role.MEMBER
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == user
    # New account: the Pix Orga terms were accepted with the sign-up's checkbox; straight to the school's home page.
    assert response.status_code == 302
    assert response.url == reverse("campaigns:home", args=[school.pk])
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_sign_up_with_errors_creates_nothing_and_shows_them(client, school):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")
    response = client.post(JOIN, {
        "token": invitation.raw_token, "action": "signup", "signup-first_name": "Zoé", "signup-last_name": "Lefèvre",
        "signup-email": "zoe@ecole.fr", "signup-password": "court",
    })
    assert response.status_code == 200
    assert response.context["tab"] == "inscription" and response.context["signup_form"].errors
    assert not User.objects.filter(email="zoe@ecole.fr").exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_signing_up_on_an_expired_link_creates_no_account(client, school):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(JOIN, {
        "token": invitation.raw_token, "action": "signup", "signup-first_name": "Zoé", "signup-last_name": "Lefèvre",
        "signup-email": "zoe@ecole.fr", "signup-password": "Pixorga2026!", "signup-accept_terms": "on",
    })
    assert response.status_code == 410
    assert not User.objects.filter(email="zoe@ecole.fr").exists()


def test_logging_in_through_the_link_joins_with_any_account(client, school, alice_admin):
    invitation = InvitationFactory(organization=school, email="ce.0751234a@ac-pix.fr")
    dana = UserFactory(email="dana@example.net", first_name="Dana")
    response = client.post(JOIN, {"token": invitation.raw_token, "action": "login",
                                  "username": "Dana@Example.net", "password": DEFAULT_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("campaigns:home", args=[school.pk])
    assert "Vous avez rejoint Lycée Pix." in page_text(response)
    assert Membership.objects.active().filter(user=dana, organization=school).exists()


def test_a_wrong_password_keeps_the_invitation_and_shows_the_login_tab(client, school):
    invitation = InvitationFactory(organization=school)
    UserFactory(email="dana@example.net")
    response = client.post(JOIN, {"token": invitation.raw_token, "action": "login",
                                  "username": "dana@example.net", "password": "mauvais"})
    assert response.status_code == 200 and response.context["tab"] == "connexion"
    assert "L'adresse e-mail, l'identifiant ou le mot de passe est incorrect" in page_text(response)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_a_logged_in_person_joins_with_one_click(client, school, alice_admin):
    invitation = InvitationFactory(organization=school)
    dana = UserFactory(email="dana@example.net")
    client.force_login(dana)
    text = page_text(client.get(JOIN, {"token": invitation.raw_token}, follow=True))
    assert "Rejoindre Lycée Pix avec le compte dana@example.net" in text
    assert "Ce n'est pas vous ? Se déconnecter" in text
    response = client.post(JOIN, {"token": invitation.raw_token, "action": "accept"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("campaigns:home", args=[school.pk])
    assert "Vous avez rejoint Lycée Pix." in page_text(response)
    assert Membership.objects.active().get(user=dana, organization=school).role == Membership.Role.MEMBER


def test_an_existing_member_is_told_and_keeps_the_membership(client, school, alice_admin, bob_member):
    invitation = InvitationFactory(organization=school)
    client.force_login(bob_member)
    response = client.post(JOIN, {"token": invitation.raw_token, "action": "accept"}, follow=True)
    assert "Vous faites déjà partie de Lycée Pix (membre)" in page_text(response)
    assert Membership.objects.active().get(user=bob_member, organization=school).role == Membership.Role.MEMBER


def test_a_used_link_says_so_and_names_the_admins_without_their_emails(client, school, alice_admin):
    invitation = InvitationFactory(organization=school)
    client.force_login(UserFactory())
    client.post(JOIN, {"token": invitation.raw_token, "action": "accept"})
    client.logout()
    response = client.get(JOIN, {"token": invitation.raw_token}, follow=True)
    assert response.status_code == 409
    text = page_text(response)
    assert "Cette invitation a déjà été acceptée" in text and "Alice Martin" in text
    assert "alice.admin@example.net" not in text


def test_a_cancelled_link_says_how_to_get_a_new_one(client, school, alice_admin):
    invitation = InvitationFactory(organization=school, status=Invitation.Status.CANCELLED)
    response = client.get(JOIN, {"token": invitation.raw_token}, follow=True)
    text = page_text(response)
    assert response.status_code == 409
    assert "Cette invitation a été annulée" in text and "demandez une nouvelle invitation à un administrateur" in text


def test_a_cancelled_first_admin_link_points_to_the_self_service_page(client, school):
    invitation = InvitationFactory(organization=school, role="ADMIN", status=Invitation.Status.CANCELLED)
    response = client.get(JOIN, {"token": invitation.raw_token}, follow=True)
    assert "Activer l'espace Pix Orga de mon établissement" in page_text(response)
    assert reverse("invitations:sco_request").encode() in response.content


def test_an_expired_link_says_so(client, school, alice_admin):
    invitation = InvitationFactory(organization=school, expires_at=timezone.now() - timedelta(days=1))
    response = client.get(JOIN, {"token": invitation.raw_token}, follow=True)
    assert response.status_code == 410
    text = page_text(response)
    assert "Cette invitation a expiré" in text and "renvoyer" in text
    response = client.post(JOIN, {"token": invitation.raw_token, "action": "accept"})
    assert response.status_code == 410


@pytest.mark.parametrize("query", [{}, {"token": ""}, {"token": "abc"}, {"token": "%00" * 300}])
def test_an_unknown_or_garbled_token_gets_a_french_404(client, query):
    response = client.get(JOIN, query, follow=True)
    assert response.status_code == 404
    assert "Ce lien d'invitation n'est pas valide" in page_text(response)


def test_a_resent_invitations_old_link_no_longer_works(client, school, alice_admin):
    from invitations.services import invitation_resend

    invitation = InvitationFactory(organization=school)
    invitation_resend(organization=school, invitation_id=invitation.pk, by=alice_admin)
    response = client.get(JOIN, {"token": invitation.raw_token}, follow=True)
    assert response.status_code == 404
    assert "seul le lien du dernier e-mail fonctionne" in page_text(response)


# --- The token leaves the URL ---------------------------------------------------------------------------------------

def test_the_links_token_is_swapped_into_the_session_and_leaves_the_url(client, school):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")

    response = client.get(JOIN, {"token": invitation.raw_token, "onglet": "connexion"})

    assert response.status_code == 302
    assert response.url == f"{JOIN}?onglet=connexion"  # nothing of the token in the address any more
    assert response["Referrer-Policy"] == "no-referrer"
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200 and "Invitation à rejoindre l'organisation Lycée Pix" in html
    assert f"?token={invitation.raw_token}" not in html and "token=" not in page.wsgi_request.get_full_path()
    assert "no-store" in page["Cache-Control"]


def test_signing_up_from_the_swapped_link_joins_the_school(client, school):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")
    client.get(JOIN, {"token": invitation.raw_token})
    page = client.get(JOIN)
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)

    response = client.post(JOIN, {"token": token, "action": "signup", "signup-first_name": "Zoé",
                                  "signup-last_name": "Blanc", "signup-email": "zoe@ecole.fr",
                                  "signup-password": "Girafe2026Bleue", "signup-accept_terms": "on"})

    assert response.status_code == 302
    assert Membership.objects.filter(organization=school, user__email="zoe@ecole.fr").exists()
    assert "invitation_token" not in client.session


def test_logging_out_on_the_join_page_keeps_the_invitation_open(client, school, charlie_outsider):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")
    client.force_login(charlie_outsider)
    client.get(JOIN, {"token": invitation.raw_token})

    response = client.post(reverse("accounts:logout"), {"next": JOIN}, follow=True)

    assert "_auth_user_id" not in client.session
    assert "Invitation à rejoindre l'organisation Lycée Pix" in page_text(response)


def test_signing_up_through_the_link_asks_for_the_terms_once(client, school):
    from accounts.models import User
    from django.conf import settings

    raw = InvitationFactory(organization=school, email="claire@example.net").raw_token
    join = client.get(f"{reverse('invitations:join')}?token={raw}", follow=True).content.decode()
    assert "conditions d&#x27;utilisation de Pix Orga" in join and f'href="{reverse("accounts:terms")}"' in join
    token = re.search(r'name="token" value="([^"]+)"', join).group(1)

    response = client.post(reverse("invitations:join"), {
        "token": token, "action": "signup", "signup-first_name": "Claire", "signup-last_name": "Dupont",
        "signup-email": "claire@example.net", "signup-password": "Moulin2026", "signup-accept_terms": "on"})

    assert response.url == reverse("campaigns:home", args=[school.pk])  # no second acceptance on /cgu
    assert User.objects.get(email="claire@example.net").pix_orga_terms_version == settings.PIX_ORGA_TERMS_VERSION
