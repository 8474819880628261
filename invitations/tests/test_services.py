from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.errors import InvalidPassword
from accounts.factories import UserFactory
from accounts.models import User
from invitations import services
from invitations.errors import (
    InvalidEmails,
    InvitationAlreadyUsed,
    InvitationCancelled,
    InvitationExpired,
    InvitationNotFound,
    InvitationNotPending,
    NotASchool,
    OrganizationArchived,
    OrganizationHasNoEmail,
    SchoolAlreadyHasAdmin,
    UnknownUai,
)
from invitations.factories import InvitationFactory
from invitations.models import FirstAdminRequest, Invitation
from invitations.tests.conftest import token_from_email
from organizations.factories import MembershipFactory, OrganizationFactory
from organizations.models import Membership, Organization
from pixorga.tokens import token_digest

pytestmark = pytest.mark.django_db


# --- Sending ---------------------------------------------------------------------------------------------------------

def test_inviting_several_addresses_creates_one_pending_invitation_and_one_email_each(school, alice_admin, send_emails):
    batch = send_emails(services.invitations_send, organization=school, by=alice_admin,
                        emails="Zoe@Ecole.fr; martin@ecole.fr\nzoe@ecole.fr")
    assert [i.email for i in batch.created] == ["zoe@ecole.fr", "martin@ecole.fr"]
    assert batch.resent == [] and batch.already_members == []
    invitations = Invitation.objects.filter(organization=school)
    assert {(i.email, i.status, i.role, i.created_by_id) for i in invitations} == {
        ("zoe@ecole.fr", "PENDING", "", alice_admin.pk), ("martin@ecole.fr", "PENDING", "", alice_admin.pk)}
    assert sorted(m.to[0] for m in mail.outbox) == ["martin@ecole.fr", "zoe@ecole.fr"]


def test_one_invalid_address_sends_nothing_and_names_it(school, alice_admin, send_emails):
    with pytest.raises(InvalidEmails) as error:
        send_emails(services.invitations_send, organization=school, by=alice_admin,
                    emails="ok@ecole.fr, martin@, zoe@ecole")
    assert error.value.invalid == ["martin@", "zoe@ecole"]
    assert "martin@" in error.value.message and "zoe@ecole" in error.value.message
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_active_member_gets_no_invitation(school, alice_admin, bob_member, send_emails):
    batch = send_emails(services.invitations_send, organization=school, by=alice_admin,
                        emails="BOB.MEMBRE@example.net, new@ecole.fr")
    assert batch.already_members == ["bob.membre@example.net"]
    assert [i.email for i in batch.created] == ["new@ecole.fr"]
    assert [m.to for m in mail.outbox] == [["new@ecole.fr"]]


def test_a_former_member_can_be_invited_again(school, alice_admin, send_emails):
    former = UserFactory(email="ancien@ecole.fr")
    MembershipFactory(user=former, organization=school, disabled_at=timezone.now())
    batch = send_emails(services.invitations_send, organization=school, by=alice_admin, emails="ancien@ecole.fr")
    assert [i.email for i in batch.created] == ["ancien@ecole.fr"]


def test_inviting_a_pending_address_resends_the_same_invitation_with_a_new_token_and_date(
        school, alice_admin, send_emails):
    first = send_emails(services.invitations_send, organization=school, by=alice_admin, emails="zoe@ecole.fr").created[0]
    old_token = token_from_email(mail.outbox[0])
    Invitation.objects.filter(pk=first.pk).update(last_sent_at=timezone.now() - timedelta(days=3),
                                                  expires_at=timezone.now() + timedelta(days=2))
    batch = send_emails(services.invitations_send, organization=school, by=alice_admin, emails="zoe@ecole.fr")
    assert batch.created == [] and [i.pk for i in batch.resent] == [first.pk]
    assert Invitation.objects.filter(organization=school).count() == 1
    again = Invitation.objects.get(pk=first.pk)
    assert again.last_sent_at > timezone.now() - timedelta(minutes=1)
    assert again.expires_at > timezone.now() + timedelta(days=29)
    assert again.created_at < again.last_sent_at
    new_token = token_from_email(mail.outbox[1])
    assert new_token != old_token
    with pytest.raises(InvitationNotFound):  # the old link stops working
        services.invitation_get_for_token(token=old_token)
    assert services.invitation_get_for_token(token=new_token).pk == first.pk


def test_resend_bumps_the_date_changes_the_token_and_restarts_delivery_tracking(school, alice_admin, send_emails):
    invitation = InvitationFactory(organization=school, last_sent_at=timezone.now() - timedelta(days=10),
                                   expires_at=timezone.now() - timedelta(days=1),
                                   delivery_status=Invitation.Delivery.SPAM, provider_message_id="abc")
    old_digest = invitation.token_digest
    send_emails(services.invitation_resend, organization=school, invitation_id=invitation.pk, by=alice_admin)
    invitation.refresh_from_db()
    assert invitation.token_digest != old_digest
    assert invitation.last_sent_at > timezone.now() - timedelta(minutes=1)
    assert not invitation.is_expired
    assert invitation.delivery_status == Invitation.Delivery.SENT  # the new e-mail went out
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [invitation.email]


def test_resend_or_cancel_of_another_schools_invitation_is_not_found(school, other_school, alice_admin):
    elsewhere = InvitationFactory(organization=other_school)
    with pytest.raises(InvitationNotFound):
        services.invitation_resend(organization=school, invitation_id=elsewhere.pk, by=alice_admin)
    with pytest.raises(InvitationNotFound):
        services.invitation_cancel(organization=school, invitation_id=elsewhere.pk, by=alice_admin)
    assert Invitation.objects.get(pk=elsewhere.pk).status == Invitation.Status.PENDING


def test_cancel_makes_the_link_useless_and_cannot_be_repeated(school, alice_admin):
    invitation = InvitationFactory(organization=school)
    services.invitation_cancel(organization=school, invitation_id=invitation.pk, by=alice_admin)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.CANCELLED and invitation.cancelled_at is not None
    with pytest.raises(InvitationCancelled):
        services.invitation_accept(token=invitation.raw_token, user=UserFactory())
    with pytest.raises(InvitationNotPending):
        services.invitation_cancel(organization=school, invitation_id=invitation.pk, by=alice_admin)
    with pytest.raises(InvitationNotPending):
        services.invitation_resend(organization=school, invitation_id=invitation.pk, by=alice_admin)


def test_a_cancelled_address_can_be_invited_again(school, alice_admin, send_emails):
    InvitationFactory(organization=school, email="zoe@ecole.fr", status=Invitation.Status.CANCELLED)
    batch = send_emails(services.invitations_send, organization=school, by=alice_admin, emails="zoe@ecole.fr")
    assert len(batch.created) == 1
    assert Invitation.objects.filter(organization=school, email="zoe@ecole.fr").count() == 2


def test_an_archived_organization_sends_no_invitation(school, alice_admin):
    Organization.objects.filter(pk=school.pk).update(archived_at=timezone.now())
    school.refresh_from_db()
    with pytest.raises(OrganizationArchived):
        services.invitations_send(organization=school, by=alice_admin, emails="zoe@ecole.fr")


# --- Acceptance ------------------------------------------------------------------------------------------------------

def test_first_person_to_join_an_empty_organization_becomes_admin(school):
    invitation = InvitationFactory(organization=school)
    user = UserFactory()
    membership = services.invitation_accept(token=invitation.raw_token, user=user)
    assert (membership.user, membership.organization, membership.role) == (user, school, Membership.Role.ADMIN)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == user and invitation.accepted_at is not None


def test_joining_an_organization_that_has_members_makes_a_member(school, alice_admin):
    invitation = InvitationFactory(organization=school)
    membership = services.invitation_accept(token=invitation.raw_token, user=UserFactory())
    assert membership.role == Membership.Role.MEMBER


def test_the_first_admin_invitation_makes_an_admin_even_when_there_are_members(school, bob_member):
    invitation = InvitationFactory(organization=school, role=Membership.Role.ADMIN)
    assert services.invitation_accept(token=invitation.raw_token, user=UserFactory()).role == Membership.Role.ADMIN


def test_any_account_may_accept_the_invitation_whatever_its_email(school, alice_admin):
    invitation = InvitationFactory(organization=school, email="ce.0751234a@ac-pix.fr")
    someone = UserFactory(email="proviseur.perso@example.net")
    assert services.invitation_accept(token=invitation.raw_token, user=someone).user == someone


def test_a_link_serves_once(school, alice_admin):
    invitation = InvitationFactory(organization=school)
    services.invitation_accept(token=invitation.raw_token, user=UserFactory())
    second = UserFactory()
    with pytest.raises(InvitationAlreadyUsed):
        services.invitation_accept(token=invitation.raw_token, user=second)
    assert not Membership.objects.filter(user=second).exists()


def test_an_expired_invitation_cannot_be_accepted(school):
    invitation = InvitationFactory(organization=school, expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvitationExpired):
        services.invitation_accept(token=invitation.raw_token, user=UserFactory())
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    assert not Membership.objects.filter(organization=school).exists()


SIGN_UP = {"email": "nouveau.prof@example.net", "password": "Rentree2026", "first_name": "Léa", "last_name": "Roux",
           "accept_terms": True}


def test_signing_up_through_the_link_creates_the_account_and_the_membership(school, alice_admin):
    invitation = InvitationFactory(organization=school)
    membership = services.invitation_accept_new_account(token=invitation.raw_token, **SIGN_UP)
    assert membership.user.email == "nouveau.prof@example.net"
    assert (membership.organization, membership.role) == (school, Membership.Role.MEMBER)
    assert Invitation.objects.get(pk=invitation.pk).accepted_by == membership.user


def test_signing_up_through_a_dead_link_leaves_no_account_behind(school):
    expired = InvitationFactory(organization=school, expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvitationExpired):
        services.invitation_accept_new_account(token=expired.raw_token, **SIGN_UP)
    assert not User.objects.filter(email="nouveau.prof@example.net").exists()


def test_a_refused_sign_up_through_the_link_leaves_the_invitation_pending(school):
    invitation = InvitationFactory(organization=school)
    with pytest.raises(InvalidPassword):
        services.invitation_accept_new_account(token=invitation.raw_token, **{**SIGN_UP, "password": "faible"})
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    assert not User.objects.filter(email="nouveau.prof@example.net").exists()


def test_unknown_or_garbled_tokens_are_not_found(school):
    InvitationFactory(organization=school)
    for token in ["", "nimportequoi", "x" * 500]:
        with pytest.raises(InvitationNotFound):
            services.invitation_accept(token=token, user=UserFactory())


def test_an_active_member_accepting_keeps_the_membership(school, alice_admin, bob_member):
    invitation = InvitationFactory(organization=school)
    before = Membership.objects.get(user=bob_member, organization=school)
    membership = services.invitation_accept(token=invitation.raw_token, user=bob_member)
    assert membership.pk == before.pk and membership.role == Membership.Role.MEMBER
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED
    assert Membership.objects.filter(user=bob_member, organization=school).count() == 1


def test_a_member_accepting_an_admin_invitation_is_upgraded(school, alice_admin, bob_member):
    invitation = InvitationFactory(organization=school, role=Membership.Role.ADMIN)
    membership = services.invitation_accept(token=invitation.raw_token, user=bob_member)
    assert membership.role == Membership.Role.ADMIN
    assert Membership.objects.active().get(user=bob_member, organization=school).role == Membership.Role.ADMIN


def test_an_archived_organization_refuses_acceptance(school):
    invitation = InvitationFactory(organization=school)
    Organization.objects.filter(pk=school.pk).update(archived_at=timezone.now())
    with pytest.raises(OrganizationArchived):
        services.invitation_accept(token=invitation.raw_token, user=UserFactory())


# --- First admin -----------------------------------------------------------------------------------------------------

def test_first_admin_invitation_goes_to_the_schools_address_with_the_admin_role(school, send_emails):
    invitation = send_emails(services.invitation_send_first_admin, organization=school)
    assert (invitation.email, invitation.role) == ("ce.0751234a@ac-pix.fr", Membership.Role.ADMIN)
    assert [m.to for m in mail.outbox] == [["ce.0751234a@ac-pix.fr"]]


def test_first_admin_invitation_is_resent_when_already_pending(school, send_emails):
    first = send_emails(services.invitation_send_first_admin, organization=school)
    again = send_emails(services.invitation_send_first_admin, organization=school)
    assert again.pk == first.pk
    assert Invitation.objects.filter(organization=school).count() == 1
    assert len(mail.outbox) == 2 and token_from_email(mail.outbox[0]) != token_from_email(mail.outbox[1])


def test_a_pending_member_invitation_to_the_schools_address_becomes_the_admin_one(school, send_emails):
    pending = InvitationFactory(organization=school, email="ce.0751234a@ac-pix.fr")
    invitation = send_emails(services.invitation_send_first_admin, organization=school)
    assert invitation.pk == pending.pk and invitation.role == Membership.Role.ADMIN


def test_organization_activate_sends_the_first_admin_invitation(db, send_emails):
    organization = send_emails(services.organization_activate, name="Collège Jean Moulin", type="SCO", uai="0751111b",
                               email="ce.0751111b@ac-pix.fr", is_managing_students=True)
    invitation = Invitation.objects.get(organization=organization)
    assert invitation.role == Membership.Role.ADMIN and invitation.email == "ce.0751111b@ac-pix.fr"
    assert mail.outbox[0].subject == "Invitation à rejoindre Collège Jean Moulin sur Pix Orga"


def test_first_admin_needs_an_address(db):
    organization = OrganizationFactory(email="")
    with pytest.raises(OrganizationHasNoEmail):
        services.invitation_send_first_admin(organization=organization)


# --- Self-service request of a school --------------------------------------------------------------------------------

def test_a_school_without_admin_gets_its_first_admin_invitation_and_the_requester_is_recorded(school, send_emails):
    invitation = send_emails(services.invitation_request_sco_first_admin, uai=" 0751234a ",
                             first_name="Claire", last_name="Dupont")
    assert invitation.organization == school and invitation.role == Membership.Role.ADMIN
    assert [m.to for m in mail.outbox] == [["ce.0751234a@ac-pix.fr"]]
    request = FirstAdminRequest.objects.get()
    assert (request.organization, request.invitation, request.first_name, request.last_name) == (
        school, invitation, "Claire", "Dupont")


@pytest.mark.parametrize("change, error", [
    ({"archived_at": timezone.now()}, OrganizationArchived),
    ({"email": ""}, OrganizationHasNoEmail),
])
def test_the_self_service_refuses_archived_schools_and_schools_without_address(school, change, error):
    Organization.objects.filter(pk=school.pk).update(**change)
    with pytest.raises(error):
        services.invitation_request_sco_first_admin(uai="0751234A", first_name="Claire", last_name="Dupont")
    assert not Invitation.objects.exists() and not FirstAdminRequest.objects.exists()


def test_the_self_service_refuses_unknown_uai_and_non_schools(db):
    OrganizationFactory(type=Organization.Type.PRO, external_id="ENTREPRISE1")
    with pytest.raises(UnknownUai):
        services.invitation_request_sco_first_admin(uai="0000000Z", first_name="C", last_name="D")
    with pytest.raises(NotASchool):
        services.invitation_request_sco_first_admin(uai="entreprise1", first_name="C", last_name="D")


def test_the_self_service_refuses_a_school_that_has_an_admin(school, alice_admin):
    with pytest.raises(SchoolAlreadyHasAdmin) as error:
        services.invitation_request_sco_first_admin(uai="0751234A", first_name="C", last_name="D")
    assert error.value.message == "Votre établissement a déjà un administrateur : demandez-lui une invitation."


# --- Tokens ----------------------------------------------------------------------------------------------------------

def test_only_the_token_digest_is_stored(school, alice_admin, send_emails):
    send_emails(services.invitations_send, organization=school, by=alice_admin, emails="zoe@ecole.fr")
    raw = token_from_email(mail.outbox[0])
    row = Invitation.objects.filter(organization=school).values().get()
    assert raw not in [str(value) for value in row.values()]
    assert row["token_digest"] == token_digest(raw)
