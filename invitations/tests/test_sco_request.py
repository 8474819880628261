import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from invitations.models import FirstAdminRequest, Invitation
from invitations.tests.conftest import page_text
from organizations.factories import OrganizationFactory
from organizations.models import Organization

pytestmark = pytest.mark.django_db

URL = reverse("invitations:sco_request")
HEAD = {"first_name": "Claire", "last_name": "Dupont"}


def ask(client, uai, **extra):
    return client.post(URL, {"uai": uai, **HEAD}, **extra)


def test_the_page_explains_what_it_does(client):
    text = page_text(client.get(URL))
    assert "Activer l'espace Pix Orga de mon établissement" in text and "UAI de l'établissement" in text


def test_a_school_without_admin_receives_its_invitation_at_its_masked_address(
        client, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "0751234a")
    assert response.status_code == 200
    text = page_text(response)
    assert "Invitation envoyée" in text and "ce.0751***a@ac-pix.fr" in text
    assert "ce.0751234a@ac-pix.fr" not in text
    assert [m.to for m in mail.outbox] == [["ce.0751234a@ac-pix.fr"]]
    assert FirstAdminRequest.objects.get().last_name == "Dupont"


def test_the_requesters_name_stays_out_of_the_logs(client, school, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level("DEBUG"), django_capture_on_commit_callbacks(execute=True):
        ask(client, "0751234A")
    assert "Claire" not in caplog.text and "Dupont" not in caplog.text and "ce.0751234a" not in caplog.text


@pytest.mark.parametrize("setup, uai, status, message", [
    (None, "0000000Z", 404, "Aucun établissement ne correspond à cet UAI"),
    ({"archived_at": timezone.now()}, "0751234A", 410, "Cette organisation a été archivée"),
    ({"email": ""}, "0751234A", 400, "Aucune adresse e-mail n'est enregistrée pour cet établissement"),
])
def test_each_refusal_says_why(client, school, setup, uai, status, message):
    if setup:
        Organization.objects.filter(pk=school.pk).update(**setup)
    response = ask(client, uai)
    assert response.status_code == status
    assert message in page_text(response)
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_non_school_is_refused(client):
    OrganizationFactory(type=Organization.Type.SUP, external_id="UNIV-PIX")
    response = ask(client, "univ-pix")
    assert response.status_code == 400
    assert "réservée aux établissements scolaires" in page_text(response)


def test_a_school_that_has_an_admin_sends_the_person_to_that_admin(client, school, alice_admin):
    response = ask(client, "0751234A")
    assert response.status_code == 409
    assert "Votre établissement a déjà un administrateur : demandez-lui une invitation." in page_text(response)
    assert not Invitation.objects.exists()


def test_missing_fields_are_asked_for(client, school):
    response = client.post(URL, {"uai": "", "first_name": "", "last_name": ""})
    text = page_text(response)
    assert "Saisissez l'UAI de votre établissement." in text and "Saisissez votre prénom." in text
    assert not Invitation.objects.exists()


def test_requests_are_rate_limited_per_address(client, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            assert ask(client, "0000000Z", REMOTE_ADDR="203.0.113.7").status_code == 404
        response = ask(client, "0751234A", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Trop de demandes depuis votre connexion. Réessayez dans " in page_text(response)
    assert mail.outbox == []
    # Another address is not affected.
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, "0751234A", REMOTE_ADDR="198.51.100.1").status_code == 200
    assert len(mail.outbox) == 1
