"""API keys: ``Authorization: Token <key>``, looked up by SHA-256 digest (the key itself is never stored)."""

import functools
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.models import ApiToken, User
from accounts.selectors import api_token_expires_at
from pixorga.sql import column_converters, instance_from_row
from pixorga.sql import execute as sql_execute
from pixorga.tokens import token_digest

# Recording every use would mean a write per request; a minute is precise enough to spot a stale key.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKeyExpired(exceptions.AuthenticationFailed):
    """401 API_KEY_EXPIRED: the key is older than API_KEY_MAX_AGE_DAYS."""

    default_detail = "Cette clé d'API a expiré : demandez-en une nouvelle (POST /api/v1/auth/token/)."
    default_code = "API_KEY_EXPIRED"


@functools.cache
def _token_query() -> tuple[str, tuple, tuple]:
    """The key and its account in one statement written in SQL, and how to turn each column into its value.

    Every API request runs it (a whole school answering its tests): the ORM's compilation of the same query, with
    the account's thirty-odd columns, cost more than the database's work."""
    quote = connection.ops.quote_name
    token_fields, user_fields = tuple(ApiToken._meta.concrete_fields), tuple(User._meta.concrete_fields)
    columns = ", ".join([*(f"t.{quote(f.column)}" for f in token_fields), *(f"u.{quote(f.column)}" for f in user_fields)])
    sql = (f"SELECT {columns} FROM {quote(ApiToken._meta.db_table)} t "
           f"JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = t.{quote('user_id')} "
           f"WHERE t.{quote('digest')} = %s")
    return sql, column_converters(ApiToken, token_fields), column_converters(User, user_fields)


def _token_with_user(digest: str) -> ApiToken | None:
    sql, token_converters, user_converters = _token_query()
    with connection.cursor() as cursor:
        sql_execute(cursor, sql, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(token_converters)
    token = instance_from_row(ApiToken, row[:split], token_converters)
    token.user = instance_from_row(User, row[split:], user_converters)
    return token


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

        token = _token_with_user(token_digest(key))
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
