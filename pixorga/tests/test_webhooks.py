"""Only the configured e-mail provider's tracking webhook answers, and only once its secret is set."""

import base64
import json

import pytest

from invitations.factories import InvitationFactory
from invitations.models import Invitation
from pixorga.tests.test_deploy import manage, production_env

BREVO = "anymail.backends.brevo.EmailBackend"
SECRET = "pixorga:webhook-secret"
AUTH = "Basic " + base64.b64encode(SECRET.encode()).decode()


@pytest.fixture
def sent(school):
    return InvitationFactory(organization=school, email="zoe@ecole.fr",
                             provider_message_id="msg-1", delivery_status=Invitation.Delivery.SENT)


def post(client, esp, payload=None, auth=AUTH):
    return client.post(f"/anymail/{esp}/tracking/", data=json.dumps(payload or {}), content_type="application/json",
                       HTTP_AUTHORIZATION=auth)


def test_without_a_provider_no_webhook_answers(client, settings, db):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}  # the default console backend: nobody calls back
    for esp in ("brevo", "mailgun", "sendgrid", "postmark", "amazon_ses"):
        assert post(client, esp).status_code == 404, esp


def test_only_the_configured_providers_webhook_answers(client, settings, sent):
    settings.EMAIL_BACKEND = BREVO
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    for esp in ("mailgun", "sendgrid", "postmark", "mailjet", "sparkpost", "inconnu"):
        assert post(client, esp).status_code == 404, esp
    payload = {"event": "delivered", "email": "zoe@ecole.fr", "message-id": "msg-1", "ts_epoch": 1795000000000}
    assert post(client, "brevo", payload).status_code == 200
    assert Invitation.objects.get(pk=sent.pk).delivery_status == Invitation.Delivery.DELIVERED


def test_the_providers_webhook_is_not_served_without_its_secret(client, settings, sent):
    settings.EMAIL_BACKEND = BREVO
    settings.ANYMAIL = {"BREVO_API_KEY": "xkeysib-test"}
    payload = {"event": "hard_bounce", "email": "zoe@ecole.fr", "message-id": "msg-1"}
    assert post(client, "brevo", payload, auth="").status_code == 404
    assert Invitation.objects.get(pk=sent.pk).delivery_status == Invitation.Delivery.SENT


def test_inbound_webhooks_are_not_mounted(client, settings, db):
    settings.EMAIL_BACKEND = BREVO
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    assert client.post("/anymail/brevo/inbound/", data="{}", content_type="application/json",
                       HTTP_AUTHORIZATION=AUTH).status_code == 404


def test_check_deploy_fails_when_a_provider_has_no_webhook_secret():
    env = production_env(EMAIL_BACKEND=BREVO, ANYMAIL_BREVO_API_KEY="xkeysib-test")
    env.pop("ANYMAIL_WEBHOOK_SECRET", None)

    result = manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "pixorga.E001" in result.stderr + result.stdout
    assert "ANYMAIL_WEBHOOK_SECRET" in result.stderr + result.stdout


def test_check_deploy_passes_with_a_provider_and_its_secret():
    env = production_env(EMAIL_BACKEND=BREVO, ANYMAIL_BREVO_API_KEY="xkeysib-test",
                         ANYMAIL_WEBHOOK_SECRET="pixorga:" + "s" * 40)

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
