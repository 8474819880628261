"""The e-mail provider's delivery-tracking webhook: only the configured provider's, and only with its secret.

anymail's own URLs mount every provider's webhooks, and a webhook without ``ANYMAIL_WEBHOOK_SECRET`` accepts anyone
(with a warning). Here ``/anymail/<esp>/tracking/`` answers only for the provider of ``EMAIL_BACKEND``, once the
secret is set; any other is a 404. ``manage.py check --deploy`` fails when a provider lacks the secret (checks.py).
"""

from anymail import urls as anymail_urls
from django.conf import settings
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt

ANYMAIL_BACKENDS = "anymail.backends."
# Backends of anymail that send nothing anywhere: no provider calls back.
NOT_PROVIDERS = {"console", "test"}

TRACKING_VIEWS = {
    pattern.name.removesuffix("_tracking_webhook"): pattern.callback
    for pattern in anymail_urls.urlpatterns
    if pattern.name and pattern.name.endswith("_tracking_webhook")
}


def email_provider() -> str | None:
    """The anymail provider that sends the e-mails (``brevo`` for ``anymail.backends.brevo.EmailBackend``), or None."""
    backend = settings.EMAIL_BACKEND or ""
    if not backend.startswith(ANYMAIL_BACKENDS):
        return None
    esp = backend[len(ANYMAIL_BACKENDS):].split(".", 1)[0]
    return None if esp in NOT_PROVIDERS else esp


def webhook_secret_set() -> bool:
    return bool(getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"))


@csrf_exempt  # the provider authenticates with the basic-auth secret, checked by anymail's view
def tracking(request, esp: str):
    view = TRACKING_VIEWS.get(esp)
    if view is None or esp != email_provider() or not webhook_secret_set():
        raise Http404("no tracking webhook for this provider")
    return view(request)
