from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.factories import UserFactory
from invitations.factories import InvitationFactory
from invitations.models import Invitation
from organizations.models import Membership

pytestmark = pytest.mark.django_db


def list_url(organization):
    return f"/api/v1/organizations/{organization.pk}/invitations/"


def detail_url(organization, invitation):
    return f"/api/v1/organizations/{organization.pk}/invitations/{invitation.pk}/"


# --- Admin endpoints -------------------------------------------------------------------------------------------------

def test_admin_lists_pending_invitations(api_client, alice_admin, school, other_school):
    pending = InvitationFactory(organization=school, email="zoe@ecole.fr")
    InvitationFactory(organization=school, status=Invitation.Status.CANCELLED)
    InvitationFactory(organization=other_school)
    api_client.force_authenticate(alice_admin)
    response = api_client.get(list_url(school))
    assert response.status_code == 200
    assert response.json() == [{
        "id": pending.pk, "email": "zoe@ecole.fr", "role": "", "status": "PENDING",
        "last_sent_at": response.json()[0]["last_sent_at"], "expires_at": response.json()[0]["expires_at"],
        "delivery_status": "QUEUED",
    }]


def test_admin_invites_by_api_and_gets_created_resent_and_members(
        api_client, alice_admin, bob_member, school, django_capture_on_commit_callbacks):
    InvitationFactory(organization=school, email="deja@ecole.fr")
    api_client.force_authenticate(alice_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(list_url(school), {"emails": "a@x.fr, B@y.fr; deja@ecole.fr bob.membre@example.net"},
                                   format="json")
    assert response.status_code == 201
    body = response.json()
    assert [i["email"] for i in body["created"]] == ["a@x.fr", "b@y.fr"]
    assert [i["email"] for i in body["resent"]] == ["deja@ecole.fr"]
    assert body["already_members"] == ["bob.membre@example.net"]
    assert set(body["created"][0]) == {"id", "email", "role", "status", "last_sent_at", "expires_at",
                                       "delivery_status"}
    assert len(mail.outbox) == 3


def test_invalid_addresses_are_listed_and_nothing_is_sent(api_client, alice_admin, school):
    api_client.force_authenticate(alice_admin)
    response = api_client.post(list_url(school), {"emails": "a@x.fr, pas-bon, b@"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_EMAILS"
    assert response.json()["invalid_emails"] == ["pas-bon", "b@"]
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_missing_emails_field_is_a_validation_error(api_client, alice_admin, school):
    api_client.force_authenticate(alice_admin)
    response = api_client.post(list_url(school), {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "VALIDATION_ERROR"


def test_admin_resends_by_api(api_client, alice_admin, school):
    invitation = InvitationFactory(organization=school, last_sent_at=timezone.now() - timedelta(days=4))
    api_client.force_authenticate(alice_admin)
    response = api_client.post(detail_url(school, invitation) + "resend/")
    assert response.status_code == 200 and response.json()["id"] == invitation.pk
    invitation_after = Invitation.objects.get(pk=invitation.pk)
    assert invitation_after.token_digest != invitation.token_digest
    assert invitation_after.last_sent_at > invitation.last_sent_at


def test_admin_cancels_by_api(api_client, alice_admin, school):
    invitation = InvitationFactory(organization=school)
    api_client.force_authenticate(alice_admin)
    assert api_client.delete(detail_url(school, invitation)).status_code == 204
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.CANCELLED
    response = api_client.delete(detail_url(school, invitation))
    assert (response.status_code, response.json()["code"]) == (409, "INVITATION_NOT_PENDING")
    response = api_client.post(detail_url(school, invitation) + "resend/")
    assert (response.status_code, response.json()["code"]) == (409, "INVITATION_NOT_PENDING")


def test_an_invitation_of_another_school_is_not_found_through_ones_own(api_client, alice_admin, school, other_school):
    elsewhere = InvitationFactory(organization=other_school)
    api_client.force_authenticate(alice_admin)
    assert api_client.delete(detail_url(school, elsewhere)).status_code == 404
    assert api_client.post(detail_url(school, elsewhere) + "resend/").status_code == 404
    assert Invitation.objects.get(pk=elsewhere.pk).status == Invitation.Status.PENDING


@pytest.mark.parametrize("call", [
    lambda c, o, i: c.get(list_url(o)),
    lambda c, o, i: c.post(list_url(o), {"emails": "a@x.fr"}, format="json"),
    lambda c, o, i: c.post(detail_url(o, i) + "resend/"),
    lambda c, o, i: c.delete(detail_url(o, i)),
])
def test_admin_endpoints_refuse_members_outsiders_and_anonymous(api_client, call, alice_admin, bob_member,
                                                               charlie_outsider, school):
    invitation = InvitationFactory(organization=school)
    api_client.force_authenticate(bob_member)
    assert call(api_client, school, invitation).status_code == 403
    api_client.force_authenticate(charlie_outsider)
    assert call(api_client, school, invitation).status_code == 404
    api_client.force_authenticate(None)
    assert call(api_client, school, invitation).status_code == 401
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert Invitation.objects.get().token_digest == invitation.token_digest


# --- The link's token ------------------------------------------------------------------------------------------------

def test_anyone_holding_the_link_sees_the_organization_but_not_the_email(api_client, school):
    invitation = InvitationFactory(organization=school, email="zoe@ecole.fr")
    response = api_client.get(f"/api/v1/invitations/{invitation.raw_token}/")
    assert response.status_code == 200
    assert response.json() == {"organization": {"name": "Lycée Pix"}, "status": "PENDING", "expired": False}
    assert "zoe" not in response.content.decode()


def test_lookup_says_when_expired_and_404s_unknown_tokens(api_client, school):
    invitation = InvitationFactory(organization=school, expires_at=timezone.now() - timedelta(minutes=1))
    assert api_client.get(f"/api/v1/invitations/{invitation.raw_token}/").json()["expired"] is True
    response = api_client.get("/api/v1/invitations/inconnu/")
    assert (response.status_code, response.json()["code"]) == (404, "INVITATION_NOT_FOUND")


def test_lookup_is_throttled(api_client, monkeypatch, school):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES",
                        {**ScopedRateThrottle.THROTTLE_RATES, "invitation_lookup": "3/min"})
    codes = [api_client.get("/api/v1/invitations/inconnu/").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert api_client.get("/api/v1/invitations/inconnu/").json()["code"] == "TOO_MANY_REQUESTS"


def test_accepting_by_api_joins_the_organization(api_client, school, alice_admin):
    invitation = InvitationFactory(organization=school)
    dana = UserFactory()
    api_client.force_authenticate(dana)
    response = api_client.post(f"/api/v1/invitations/{invitation.raw_token}/accept/")
    assert response.status_code == 200
    assert response.json() == {"organization": {"id": school.pk, "name": "Lycée Pix"}, "role": "MEMBER"}
    assert Membership.objects.active().filter(user=dana, organization=school).exists()


def test_accepting_by_api_reports_each_unusable_state(api_client, school):
    api_client.force_authenticate(UserFactory())
    used = InvitationFactory(organization=school, status=Invitation.Status.ACCEPTED, accepted_at=timezone.now())
    cancelled = InvitationFactory(organization=school, status=Invitation.Status.CANCELLED)
    expired = InvitationFactory(organization=school, expires_at=timezone.now() - timedelta(days=1))
    for token, status, code in [
        (used.raw_token, 409, "INVITATION_ALREADY_USED"),
        (cancelled.raw_token, 409, "INVITATION_CANCELLED"),
        (expired.raw_token, 410, "INVITATION_EXPIRED"),
        ("inconnu", 404, "INVITATION_NOT_FOUND"),
    ]:
        response = api_client.post(f"/api/v1/invitations/{token}/accept/")
        assert (response.status_code, response.json()["code"]) == (status, code)
    assert not Membership.objects.filter(organization=school).exists()


def test_accepting_needs_an_account(api_client, school):
    invitation = InvitationFactory(organization=school)
    response = api_client.post(f"/api/v1/invitations/{invitation.raw_token}/accept/")
    assert response.status_code == 401
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING


def test_the_api_schema_documents_every_invitation_endpoint_without_warnings(capsys):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/organizations/{organization_id}/invitations/"])
    assert "delete" in paths["/api/v1/organizations/{organization_id}/invitations/{invitation_id}/"]
    assert "post" in paths["/api/v1/organizations/{organization_id}/invitations/{invitation_id}/resend/"]
    assert "get" in paths["/api/v1/invitations/{token}/"]
    assert set(paths["/api/v1/invitations/{token}/accept/"]["post"]["responses"]) >= {"200", "401", "404", "409",
                                                                                      "410"}
    captured = capsys.readouterr()
    assert "invitations" not in (captured.err + captured.out).lower()
