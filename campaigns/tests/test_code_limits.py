"""Wrong campaign codes: counted per account (or browser) first, per address far higher; a right code's direct link
is always served. One class behind its school's address never locks the others out."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory
from pixorga.testing import run_together

WRONG = "ABCDEF999"


@pytest.fixture
def campaign(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée")


def text(response) -> str:
    return response.content.decode()


def test_one_browser_guessing_codes_blocks_itself_not_its_classmates_behind_the_same_address(campaign):
    guesser = Client()  # every test client comes from 127.0.0.1: one school address
    for _ in range(30):
        assert guesser.post(reverse("join:code"), {"code": WRONG}).status_code == 404

    blocked = guesser.post(reverse("join:code"), {"code": campaign.code})
    assert blocked.status_code == 429
    assert "Trop de codes essayés. Réessayez dans " in text(blocked)
    classmate = Client().post(reverse("join:code"), {"code": campaign.code})
    assert classmate.status_code == 302 and classmate.url == f"/campagnes/{campaign.code}"


def test_a_class_of_35_who_all_mistype_three_times_behind_one_address_all_get_in(campaign):
    students = [Client() for _ in range(35)]
    for student in students:
        for _ in range(3):
            assert student.post(reverse("join:code"), {"code": WRONG}).status_code == 404
    for student in students:
        response = student.post(reverse("join:code"), {"code": campaign.code})
        assert response.status_code == 302, text(response)


def test_an_account_guessing_codes_through_the_api_does_not_block_another_account(api_client, campaign):
    guesser, other = UserFactory(), UserFactory()
    api_client.force_authenticate(guesser)
    for _ in range(30):
        assert api_client.get(f"/api/v1/campaigns/code/{WRONG}/").status_code == 404
    response = api_client.get(f"/api/v1/campaigns/code/{campaign.code}/")
    assert response.status_code == 429
    assert response.json()["code"] == "TOO_MANY_ATTEMPTS" and "Réessayez dans" in response.json()["detail"]

    api_client.force_authenticate(other)
    assert api_client.get(f"/api/v1/campaigns/code/{campaign.code}/").status_code == 200


def test_the_address_limit_still_stops_a_flood_from_many_browsers(settings, campaign):
    settings.LIMIT_WRONG_CODES_ADDRESS = "100/10min"
    for _ in range(10):  # ten fresh browsers, ten wrong codes each: the address has used its 100
        browser = Client()
        for _ in range(10):
            assert browser.post(reverse("join:code"), {"code": WRONG}).status_code == 404

    typed = Client().post(reverse("join:code"), {"code": campaign.code})
    assert typed.status_code == 429 and "Trop de codes essayés" in text(typed)


def test_a_right_codes_direct_link_is_served_whatever_the_counts(settings, campaign):
    settings.LIMIT_WRONG_CODES_ADDRESS = "100/10min"
    guesser = Client()
    for _ in range(10):
        browser = Client()
        for _ in range(10):
            browser.post(reverse("join:code"), {"code": WRONG})
    for _ in range(30):
        guesser.post(reverse("join:code"), {"code": WRONG})

    # The teacher's link works for a new browser of the school, and even for the one that guessed.
    for browser in (Client(), guesser):
        landing = browser.get(f"/campagnes/{campaign.code}")
        assert landing.status_code == 200 and "Parcours de rentrée" in text(landing)
    # A wrong code in a link is still refused once over the limit, saying when to retry.
    wrong_link = Client().get(f"/campagnes/{WRONG}")
    assert wrong_link.status_code == 429 and "Réessayez dans" in text(wrong_link)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_codes_from_one_account_never_pass_its_limit(api_client):
    from rest_framework.test import APIClient

    school_campaign = CampaignFactory()
    guesser = UserFactory()

    def guess(i):
        client = APIClient()
        client.force_authenticate(guesser)
        return client.get(f"/api/v1/campaigns/code/{WRONG}/").status_code

    results = run_together(guess, 45)
    statuses = sorted(value for kind, value in results if kind == "ok")
    assert len(statuses) == 45
    assert statuses.count(404) <= 30 and statuses.count(429) >= 15
    client = APIClient()
    client.force_authenticate(guesser)
    assert client.get(f"/api/v1/campaigns/code/{school_campaign.code}/").status_code == 429
