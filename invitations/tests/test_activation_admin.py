"""The organization page of the Django admin (Pix staff): activating a school and sending its first-admin
invitation again (moved from organizations' tests with the admin)."""

import html

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from invitations.models import Invitation
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


FORM = {"name": "Lycée Pix", "type": "SCO", "external_id": "0771234c", "email": "ce.0771234c@ac-pix.fr",
        "is_managing_students": "on", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}


def test_adding_an_organization_in_the_admin_invites_its_first_admin(staff_client):
    response = staff_client.post(reverse("admin:organizations_organization_add"), FORM, follow=True)

    assert response.status_code == 200
    organization = Organization.objects.get()
    assert organization.external_id == "0771234C"
    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role, invitation.status) == ("ce.0771234c@ac-pix.fr", "ADMIN", "PENDING")
    shown = html.unescape(response.content.decode())
    assert "L'invitation du premier administrateur a été envoyée à ce.0771234c@ac-pix.fr." in shown


def test_admin_form_shows_uai_errors_on_the_field(staff_client, school):
    bad = staff_client.post(reverse("admin:organizations_organization_add"), FORM | {"external_id": "123"})
    duplicate = staff_client.post(reverse("admin:organizations_organization_add"), FORM | {"external_id": "0751234a"})

    assert "7 chiffres suivis d" in bad.content.decode()
    assert "Un établissement avec cet UAI existe déjà" in duplicate.content.decode()
    assert Organization.objects.count() == 1
    assert not Invitation.objects.exists()


def test_editing_an_organization_keeps_its_uai_upper_cased_and_sends_nothing(staff_client, school):
    url = reverse("admin:organizations_organization_change", args=[school.pk])
    form = FORM | {"name": "Lycée Pix renommé", "external_id": "0751234a", "email": school.email}

    response = staff_client.post(url, form)

    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.name, school.external_id) == ("Lycée Pix renommé", "0751234A")
    assert not Invitation.objects.exists()


def test_change_page_lists_members_read_only(staff_client, school, alice_admin, bob_member):
    page = staff_client.get(reverse("admin:organizations_organization_change", args=[school.pk])).content.decode()

    assert "alice.admin@example.net" in page and "bob.membre@example.net" in page
    assert 'name="memberships-0-role"' not in page  # roles are managed in Pix Orga, not here


def test_resend_action_re_sends_the_pending_first_admin_invitation(staff_client, school, other_school,
                                                                   charlie_outsider):
    # The school has no admin yet; the other school has Charlie, so nothing is sent there.
    response = staff_client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "resend_first_admin_invitation", "_selected_action": [school.pk, other_school.pk]},
        follow=True,
    )

    shown = response.content.decode()
    assert [(i.organization, i.email, i.role) for i in Invitation.objects.all()] == [
        (school, "ce.0751234a@ac-pix.fr", "ADMIN")
    ]
    assert "Invitation renvoyée pour 1 organisation(s)." in shown
    assert "déjà un administrateur" in shown and "Collège Voisin" in shown
    assert Membership.objects.active().get(user=charlie_outsider, organization=other_school).role == "ADMIN"
