"""Deployment checks of pixorga's own (``manage.py check --deploy``)."""

from django.core.checks import Error, Tags, register

from pixorga.webhooks import email_provider, webhook_secret_set


@register(Tags.security, deploy=True)
def email_webhook_secret_check(app_configs, **kwargs):
    esp = email_provider()
    if esp is None or webhook_secret_set():
        return []
    return [Error(
        f"Le fournisseur d'e-mails « {esp} » est configuré sans ANYMAIL_WEBHOOK_SECRET : son webhook de suivi "
        "(remise des invitations) n'est pas servi.",
        hint="Définissez ANYMAIL_WEBHOOK_SECRET=identifiant:mot-de-passe-long-et-aléatoire et donnez la même paire "
             f"au fournisseur dans l'URL du webhook (https://identifiant:mot-de-passe@…/anymail/{esp}/tracking/).",
        id="pixorga.E001",
    )]
