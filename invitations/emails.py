"""The invitation e-mail: French, plain text and HTML, with an absolute link built from SITE_URL."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from invitations.models import Invitation


def invitation_join_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('invitations:join')}?{urlencode({'token': token})}"


def invitation_message(*, invitation: Invitation, token: str) -> EmailMultiAlternatives:
    with translation.override("fr"):
        context = {
            "organization": invitation.organization,
            # Only the first-admin invitation carries a role up front.
            "is_first_admin": invitation.role == "ADMIN",
            "join_url": invitation_join_url(token),
            "expires_on": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(render_to_string("invitations/email/invitation_subject.txt", context).split())
        text = render_to_string("invitations/email/invitation.txt", context)
        html = render_to_string("invitations/email/invitation.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    # Providers that support it tag the message: handy to filter their logs and webhooks.
    message.tags = ["invitation"]
    return message
