"""Deployment checks of pixorga's own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from pixorga.ratelimit import rates_parse
from pixorga.webhooks import email_provider, webhook_secret_set


@register(Tags.security)
def rate_limits_check(app_configs, **kwargs):
    """Every ``LIMIT_…`` setting reads as rates (``30/10min``, ``5/15min,20/day``): a mistyped one is reported when
    the server starts (``migrate``, ``check``, ``runserver``), not by the first request that counts."""
    errors = []
    for name in sorted({name for name in dir(settings) if name.startswith("LIMIT_")}):
        try:
            rates_parse(getattr(settings, name))
        except ValueError:
            errors.append(Error(
                f"{name} = « {getattr(settings, name)} » n'est pas une limite lisible.",
                hint="Écrivez un nombre par durée, par exemple 30/10min, 60/hour ou 5/15min,20/day "
                     "(unités : s, min, hour, day ; un nombre d'au moins 1).",
                id="pixorga.E002",
            ))
    return errors


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
