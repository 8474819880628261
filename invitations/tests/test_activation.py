"""Activating a school: ``organization_activate`` creates the organization and its first-administrator invitation
(moved from organizations' tests with the service; the admin, the command and the API have their own files)."""

import pytest
from django.core import mail

from accounts.factories import UserFactory
from invitations.models import Invitation
from invitations.services import organization_activate
from organizations.errors import InvalidOrganization, InvalidUai, UaiAlreadyUsed
from organizations.models import Membership, Organization

pytestmark = pytest.mark.django_db


def create(**overrides):
    values = {"name": "Lycée Pix", "type": "SCO", "uai": "0751234a", "email": "CE.0751234A@ac-pix.fr",
              "is_managing_students": True}
    return organization_activate(**(values | overrides))


# organization_activate: the organization and its first-admin invitation, or nothing

def test_create_school_stores_upper_cased_uai_and_invites_its_first_admin(django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        organization = create(by=staff)

    organization.refresh_from_db()
    assert organization.external_id == "0751234A"
    assert organization.email == "ce.0751234a@ac-pix.fr"
    assert organization.is_managing_students is True
    assert organization.created_by == staff
    invitation = Invitation.objects.get(organization=organization)
    assert invitation.email == "ce.0751234a@ac-pix.fr"
    assert invitation.role == Membership.Role.ADMIN
    assert invitation.status == Invitation.Status.PENDING
    assert [m.to for m in mail.outbox] == [["ce.0751234a@ac-pix.fr"]]


@pytest.mark.parametrize("uai", ["", "075123A", "07512345", "0751234AB", "A751234B", "0751 234A"])
def test_create_school_refuses_a_malformed_uai_and_writes_nothing(uai):
    with pytest.raises(InvalidUai) as error:
        create(uai=uai)

    assert "7 chiffres suivis d'une lettre" in error.value.message
    assert error.value.code == "INVALID_UAI"
    assert not Organization.objects.exists()
    assert not Invitation.objects.exists()


def test_create_school_refuses_a_uai_already_used_whatever_its_case():
    create(uai="0751234A")

    with pytest.raises(UaiAlreadyUsed) as error:
        create(uai="0751234a", name="Autre lycée", email="autre@ac-pix.fr")

    assert error.value.http_status == 409
    assert Organization.objects.count() == 1


def test_non_school_organizations_may_share_an_external_id_and_need_no_uai():
    first = create(type="PRO", uai="", email="contact@entreprise.fr", is_managing_students=False)
    second = create(type="SUP", uai="ext-42", email="pix@univ.fr")
    third = create(type="SUP", uai="EXT-42", email="pix2@univ.fr")

    assert first.external_id == ""
    assert second.external_id == third.external_id == "EXT-42"


@pytest.mark.parametrize("overrides, field", [
    ({"name": "  "}, "name"),
    ({"type": "XYZ"}, "type"),
    ({"email": "pas-une-adresse"}, "email"),
    ({"email": ""}, "email"),
])
def test_create_refuses_bad_input_with_the_faulty_field(overrides, field):
    with pytest.raises(InvalidOrganization) as error:
        create(**overrides)

    assert error.value.field == field
    assert not Organization.objects.exists()
