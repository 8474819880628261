"""The shared cache (Redis) down: /readyz says so, the pages that need it answer a French 503, the API {code, detail}.

A real Redis client pointed at a port nobody listens on (no mock): every call fails as it would in production.
"""

import pytest
from django.urls import reverse

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from campaigns.factories import CampaignFactory

CLOSED_PORT_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                 "LOCATION": "redis://127.0.0.1:1/0",
                                 "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
UNAVAILABLE = "Le service est momentanément indisponible"


@pytest.fixture
def cache_down(settings):
    settings.CACHES = CLOSED_PORT_CACHE


@pytest.fixture
def campaign(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin)


def assert_french_503(response):
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert UNAVAILABLE in body
    assert "Traceback" not in body and "ConnectionError" not in body
    assert response["Retry-After"]


@pytest.mark.django_db
def test_readyz_reports_the_cache(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json()["checks"]["cache"] is True


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_cache_is_unreachable(client, cache_down):
    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": True, "cache": False, "broker": True}}


def test_code_look_up_answers_a_french_503(client, cache_down, campaign):
    assert_french_503(client.post(reverse("join:code"), {"code": campaign.code}))


def test_a_right_codes_campaign_page_still_opens_and_a_wrong_ones_answers_a_french_503(client, cache_down,
                                                                                    campaign):
    # A right code's direct link is never counted (campaigns.services: limits), so it needs no cache.
    opened = client.get(reverse("join:landing", args=[campaign.code]))
    assert opened.status_code == 200 and "Je commence" in opened.content.decode()

    assert_french_503(client.get(reverse("join:landing", args=["ZZZZZZ999"])))


def test_password_reset_request_answers_a_french_503(client, cache_down, alice_admin):
    assert_french_503(client.post(reverse("accounts:password_reset"), {"email": alice_admin.email}))


def test_api_token_answers_503_with_code_and_detail(api_client, cache_down, alice_admin):
    response = api_client.post(reverse("api-auth-token"), {"login": alice_admin.email, "password": DEFAULT_PASSWORD},
                               format="json")

    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"code", "detail"}
    assert body["code"] == "SERVICE_UNAVAILABLE"
    assert body["detail"].startswith(UNAVAILABLE)


def test_pages_that_do_not_need_the_cache_still_work(client, cache_down, alice_admin):
    client.force_login(alice_admin)
    assert client.get(reverse("accounts:login")).status_code in (200, 302)
    assert client.get(reverse("organizations:team", args=[alice_admin.memberships.get().organization_id])).status_code == 200
