"""API keys: ``Authorization: Token <key>``, looked up by SHA-256 digest (the key itself is never stored)."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.models import ApiToken
from accounts.selectors import api_token_expires_at
from pixorga.tokens import token_digest

# Recording every use would mean a write per request; a minute is precise enough to spot a stale key.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKeyExpired(exceptions.AuthenticationFailed):
    """401 API_KEY_EXPIRED: the key is older than API_KEY_MAX_AGE_DAYS."""

    default_detail = "Cette clé d'API a expiré : demandez-en une nouvelle (POST /api/v1/auth/token/)."
    default_code = "API_KEY_EXPIRED"


class HashedTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("En-tête Authorization invalide : « Token <clé> » attendu.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Clé d'API invalide.") from None

        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Clé d'API invalide ou révoquée.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Ce compte est désactivé.")
        now = timezone.now()
        expires_at = api_token_expires_at(token)
        if expires_at is not None and expires_at <= now:
            raise ApiKeyExpired()

        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class HashedTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Clé d'API préfixée par « Token », par exemple : `Token 9aZ…`",
        }
