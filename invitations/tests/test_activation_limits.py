"""« Activer l'espace » asked by anyone: an earlier link never stops working, and a school's mailbox is not
flooded (requests limited per school, whatever the address, and per address)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.factories import UserFactory
from invitations import services
from invitations.errors import TooManyActivationRequests
from invitations.models import FirstAdminRequest, Invitation
from invitations.tests.conftest import page_text, token_from_email
from organizations.models import Membership
from pixorga.testing import run_together

URL = reverse("invitations:sco_request")


def open_link(client, token):
    """The e-mail's link, as a browser follows it (the token goes into the session first)."""
    return client.get(f"{reverse('invitations:join')}?token={token}", follow=True)
HEAD = {"first_name": "Claire", "last_name": "Dupont"}


def ask(client, uai="0751234A", address="203.0.113.7"):
    return client.post(URL, {"uai": uai, **HEAD}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_asking_again_never_invalidates_the_link_the_head_received(client, school,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client).status_code == 200
    first = token_from_email(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):  # someone else asks, from another address
        again = ask(client, address="198.51.100.9")
    assert again.status_code == 200
    assert "son lien fonctionne toujours" in page_text(again)
    second = token_from_email(mail.outbox[1])
    assert second != first
    assert Invitation.objects.filter(organization=school).count() == 1

    for token in (first, second):  # both links open the invitation
        page = open_link(client, token)
        assert page.status_code == 200 and "Lycée Pix" in page_text(page)
    head = UserFactory(email="claire.dupont@ac-pix.fr")
    client.force_login(head)
    accepted = client.post(reverse("invitations:join"), {"token": first, "action": "accept"})
    assert accepted.status_code == 302
    assert Membership.objects.get(organization=school, user=head).role == Membership.Role.ADMIN
    # Accepted: the other link is spent too.
    used = open_link(client, second)
    assert used.status_code == 409


@pytest.mark.django_db
def test_an_extra_link_can_be_accepted_with_a_new_account(client, school, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            ask(client)
    second = token_from_email(mail.outbox[1])
    response = client.post(reverse("invitations:join"), {
        "token": second, "action": "signup", "signup-first_name": "Claire", "signup-last_name": "Dupont",
        "signup-email": "claire.dupont@ac-pix.fr", "signup-password": "Girafe2026", "signup-accept_terms": "on",
    })
    assert response.status_code == 302, page_text(response)
    assert Membership.objects.get(organization=school).user.email == "claire.dupont@ac-pix.fr"
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED


@pytest.mark.django_db
def test_an_administrator_or_staff_resending_still_replaces_every_earlier_link(
        client, school, django_capture_on_commit_callbacks):
    for send in (lambda: ask(client), lambda: ask(client),
                 lambda: services.invitation_send_first_admin(organization=school)):  # staff: a fresh link
        with django_capture_on_commit_callbacks(execute=True):
            send()
    old_links = [token_from_email(message) for message in mail.outbox[:2]]
    for token in old_links:
        assert open_link(client, token).status_code == 404
    assert open_link(client, token_from_email(mail.outbox[2])).status_code == 200


@pytest.mark.django_db
def test_a_school_gets_at_most_three_requests_a_day_whatever_the_addresses(client, school,
                                                                          django_capture_on_commit_callbacks):
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert ask(client, address=f"198.51.100.{n}").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        refused = ask(client, address="192.0.2.44")
    assert refused.status_code == 429
    text = page_text(refused)
    assert "déjà été envoyée plusieurs fois" in text and "chacun des liens reçus fonctionne" in text
    assert "refaites la demande dans 24 heures" in text
    assert len(mail.outbox) == 3 and FirstAdminRequest.objects.count() == 3
    # Every link sent still works.
    for message in mail.outbox:
        assert open_link(client, token_from_email(message)).status_code == 200


@pytest.mark.django_db
def test_requests_from_one_address_are_limited_across_schools(client, school, settings):
    settings.LIMIT_ACTIVATION_REQUESTS_ADDRESS = "4/hour"
    for _ in range(4):
        ask(client, uai="0000000Z")
    response = ask(client)
    assert response.status_code == 429
    assert "Trop de demandes depuis votre connexion. Réessayez dans " in page_text(response)
    assert ask(client, address="198.51.100.1").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_for_one_school_send_three_links_that_all_work(school, client):
    from django.test import Client

    def request(i):
        return Client().post(URL, {"uai": "0751234A", **HEAD}, REMOTE_ADDR=f"198.51.100.{i}").status_code

    results = run_together(request, 8)

    statuses = sorted(value for kind, value in results if kind == "ok")
    assert statuses == [200] * 3 + [429] * 5, results
    assert FirstAdminRequest.objects.count() == 3
    assert len(mail.outbox) == 3
    invitation = Invitation.objects.get()
    assert invitation.extra_links.count() in (2, 3)  # the first request may have created the invitation
    for message in mail.outbox:
        assert open_link(client, token_from_email(message)).status_code == 200


@pytest.mark.django_db
def test_the_service_refuses_past_the_schools_limit(school, settings):
    settings.LIMIT_ACTIVATION_REQUESTS_SCHOOL = "2/day"
    for _ in range(2):
        services.invitation_request_sco_first_admin(uai="0751234A", **HEAD)
    with pytest.raises(TooManyActivationRequests) as error:
        services.invitation_request_sco_first_admin(uai="0751234A", **HEAD)
    assert error.value.code == "TOO_MANY_REQUESTS" and error.value.http_status == 429
