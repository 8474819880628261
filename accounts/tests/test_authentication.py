"""API keys: hashed at rest, ``Authorization: Token <key>``, revocable, last use recorded at most once a minute."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def me(api_client, key):
    return api_client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {key}")


def test_a_valid_key_authenticates_its_owner(api_client, alice_admin):
    _, key = services.api_token_create(user=alice_admin)

    response = me(api_client, key)

    assert response.status_code == 200 and response.json()["email"] == "alice.admin@example.net"


def test_the_raw_key_is_nowhere_in_the_database(alice_admin):
    _, key = services.api_token_create(user=alice_admin, name="Script")

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608 - test introspection
            for row in cursor.fetchall():
                assert not any(isinstance(value, str) and key in value for value in row), table


@pytest.mark.parametrize("header", ["Token nimportequoi", "Token", "Token a b", "Token clé-non-ascii-é"])
def test_a_wrong_or_malformed_key_is_refused(api_client, alice_admin, header):
    services.api_token_create(user=alice_admin)

    response = api_client.get(reverse("api-me"), HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))

    assert response.status_code == 401
    assert response.json()["code"] == "AUTHENTICATION_FAILED"
    assert response["WWW-Authenticate"] == "Token"


def test_no_header_means_not_authenticated(api_client):
    response = api_client.get(reverse("api-me"))

    assert response.status_code == 401 and response.json()["code"] == "NOT_AUTHENTICATED"


def test_a_revoked_key_is_refused(api_client, alice_admin):
    token, key = services.api_token_create(user=alice_admin)
    services.api_token_revoke(user=alice_admin, token_id=token.pk)

    assert me(api_client, key).status_code == 401


def test_a_deactivated_users_key_is_refused(api_client, alice_admin):
    _, key = services.api_token_create(user=alice_admin)
    User.objects.filter(pk=alice_admin.pk).update(is_active=False)

    response = me(api_client, key)

    assert response.status_code == 401 and "désactivé" in response.json()["detail"]


def test_last_use_is_written_at_most_once_a_minute(api_client, alice_admin):
    token, key = services.api_token_create(user=alice_admin)

    me(api_client, key)
    first_use = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None

    me(api_client, key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first_use  # no write within the minute

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(seconds=61))
    me(api_client, key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first_use


def test_a_recently_used_key_costs_no_write(api_client, alice_admin, django_assert_num_queries):
    token, key = services.api_token_create(user=alice_admin)
    me(api_client, key)

    with django_assert_num_queries(2):  # the key with its user, then the memberships of /me/
        me(api_client, key)


def test_a_key_can_revoke_itself(api_client, alice_admin):
    _, key = services.api_token_create(user=alice_admin)

    response = api_client.delete(reverse("api-auth-token-current"), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 204
    assert me(api_client, key).status_code == 401


def test_revoking_the_current_key_needs_a_key(api_client, alice_admin):
    api_client.force_login(alice_admin)

    response = api_client.delete(reverse("api-auth-token-current"))

    assert response.status_code == 400 and response.json()["code"] == "NOT_TOKEN_AUTH"
