from urllib.parse import urlsplit

import pytest
from django.core import mail

from invitations import services
from invitations.models import Invitation
from invitations.tests.conftest import page_text, token_from_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(settings, school, alice_admin, send_emails):
    settings.SITE_URL = "https://orga.pix-ecoles.fr"
    send_emails(services.invitations_send, organization=school, by=alice_admin, emails="zoe.prof@ecole.fr")
    return Invitation.objects.get(organization=school, email="zoe.prof@ecole.fr")


def test_the_email_is_in_french_to_the_invited_address(invited):
    message = mail.outbox[0]
    assert message.to == ["zoe.prof@ecole.fr"]
    assert message.subject == "Invitation à rejoindre Lycée Pix sur Pix Orga"
    assert "Nous vous invitons à rejoindre l'espace Pix Orga de l'organisation Lycée Pix." in message.body
    assert "Qu'est-ce que Pix Orga ?" in message.body


def test_the_email_has_a_plain_text_and_an_html_version_with_the_same_link(invited):
    message = mail.outbox[0]
    token = token_from_email(message)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = f"https://orga.pix-ecoles.fr/rejoindre?token={token}"
    assert link in message.body and link in html
    assert "Lycée Pix" in html and "Accepter l'invitation" in html


def test_the_email_says_until_when_the_link_is_valid(invited):
    from django.utils import timezone
    from django.utils.formats import date_format

    expected = date_format(timezone.localtime(invited.expires_at), "j F Y")
    assert f"valable jusqu'au {expected}" in mail.outbox[0].body
    assert any(month in expected for month in ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                                               "août", "septembre", "octobre", "novembre", "décembre"])


def test_the_link_of_the_email_opens_the_invitation(invited, client):
    link = next(word for word in mail.outbox[0].body.split() if word.startswith("https://orga.pix-ecoles.fr/"))
    url = urlsplit(link)
    response = client.get(f"{url.path}?{url.query}", follow=True)
    assert response.status_code == 200
    assert "Invitation à rejoindre l'organisation Lycée Pix" in page_text(response)


def test_the_raw_token_is_never_stored(invited):
    token = token_from_email(mail.outbox[0])
    for row in Invitation.objects.values():
        assert token not in " ".join(str(value) for value in row.values())


def test_the_first_admin_email_says_the_person_will_administer_the_school(school, send_emails):
    send_emails(services.invitation_send_first_admin, organization=school)
    assert "en devenir l'administrateur ou l'administratrice" in mail.outbox[0].body
