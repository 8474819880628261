"""Reads about the signed-in person, always scoped to that person."""

from django.conf import settings

import datetime

from accounts.models import ApiToken, User


def user_has_active_membership(*, user: User) -> bool:
    return user.memberships.filter(disabled_at__isnull=True).exists()


def user_must_accept_pix_orga_terms(*, user) -> bool:
    """A member of a school who has not accepted the current Pix Orga terms: the pages send them to /cgu, the API
    answers 403 PIX_ORGA_TERMS_NOT_ACCEPTED. No query once the current version is accepted."""
    if user is None or not user.is_authenticated:
        return False
    if user.pix_orga_terms_version == settings.PIX_ORGA_TERMS_VERSION:
        return False
    return user_has_active_membership(user=user)


def api_token_expires_at(token: ApiToken) -> datetime.datetime | None:
    """When a key stops working: ``API_KEY_MAX_AGE_DAYS`` after its creation, or never (the setting at 0)."""
    days = settings.API_KEY_MAX_AGE_DAYS
    return token.created_at + datetime.timedelta(days=days) if days else None


def api_tokens_for_user(*, user: User) -> list[ApiToken]:
    """The person's own API keys, newest first, each with ``expires_at``."""
    tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))
    for token in tokens:
        token.expires_at = api_token_expires_at(token)
    return tokens
