"""The student-side API: a campaign by its code, joining (every refusal code), sending."""

import datetime

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, LinkAttempt, Participation
from organizations.factories import OrganizationFactory
from students.factories import LearnerFactory

BIRTHDATE = datetime.date(2011, 3, 14)
DETAILS = {"first_name": "Eloise", "last_name": "Dupre", "birthdate": "2011-03-14"}


@pytest.fixture
def campaign(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin, title="Parcours de rentrée",
                           external_id_label="")


@pytest.fixture
def eloise(school):
    return LearnerFactory(organization=school, first_name="Éloïse", family_name="Dupré", birthdate=BIRTHDATE,
                          division="2NDE1", ine="123456789AB")


@pytest.fixture
def student(db):
    return UserFactory(email="eloise.dupre@example.net")


def join_url(campaign, code=None):
    return f"/api/v1/campaigns/code/{code or campaign.code}/join/"


def post_join(api_client, campaign, user, **body):
    api_client.force_authenticate(user)
    return api_client.post(join_url(campaign), {**DETAILS, "confirm": True, **body}, format="json")


def test_a_student_reads_the_campaign_of_a_code_typed_loosely(api_client, campaign, student):
    api_client.force_authenticate(student)
    loose = f"{campaign.code[:3].lower()} {campaign.code[3:6].lower()}-{campaign.code[6:]}"

    response = api_client.get(f"/api/v1/campaigns/code/{loose}/")

    assert response.status_code == 200
    assert response.json() == {"organization_name": "Lycée Pix", "title": "Parcours de rentrée",
                               "type": "ASSESSMENT", "reserved": True, "external_id_label": ""}


def test_anonymous_cannot_read_a_campaign_by_code(api_client, campaign):
    assert api_client.get(f"/api/v1/campaigns/code/{campaign.code}/").status_code == 401


def test_a_wrong_code_is_not_found_and_guessing_is_limited(api_client, campaign, student):
    api_client.force_authenticate(student)
    for _ in range(30):  # LIMIT_WRONG_CODES_ACCOUNT
        response = api_client.get("/api/v1/campaigns/code/ABCDEF234/")
        assert response.status_code == 404 and response.json()["code"] == "CAMPAIGN_NOT_FOUND"

    response = api_client.get(f"/api/v1/campaigns/code/{campaign.code}/")  # even the right code now waits
    assert response.status_code == 429 and response.json()["code"] == "TOO_MANY_ATTEMPTS"
    api_client.force_authenticate(UserFactory())  # same address, another account: counted apart
    assert api_client.get(f"/api/v1/campaigns/code/{campaign.code}/").status_code == 200


def test_checking_returns_the_learner_and_stores_nothing_but_the_attempt(api_client, campaign, eloise, student):
    response = post_join(api_client, campaign, student, confirm=False)

    assert response.status_code == 200
    assert response.json() == {"learner": {"first_name": "Éloïse", "last_name": "Dupré"}}
    eloise.refresh_from_db()
    assert eloise.user is None and not Participation.objects.exists()
    assert LinkAttempt.objects.values_list("outcome", flat=True).get() == "CHECKED"


def test_confirming_links_and_creates_the_participation_once(api_client, campaign, eloise, student):
    response = post_join(api_client, campaign, student)

    assert response.status_code == 201
    body = response.json()
    assert (body["campaign_id"], body["status"]) == (campaign.pk, "STARTED")
    eloise.refresh_from_db()
    assert eloise.user == student
    again = post_join(api_client, campaign, student)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Participation.objects.count() == 1


def test_an_unknown_code_to_join_is_campaign_not_found(api_client, campaign, student):
    api_client.force_authenticate(student)
    response = api_client.post("/api/v1/campaigns/code/ZZZZZZ999/join/", {**DETAILS, "confirm": True},
                               format="json")
    assert response.status_code == 404 and response.json()["code"] == "CAMPAIGN_NOT_FOUND"


def test_wrong_details_are_no_matching_learner(api_client, campaign, eloise, student):
    response = post_join(api_client, campaign, student, birthdate="2011-03-15")
    assert response.status_code == 404
    assert response.json() == {"code": "NO_MATCHING_LEARNER", "detail": "Vérifiez vos informations (prénom, nom "
                               "et date de naissance) ou contactez un enseignant."}


def test_missing_details_without_automatic_link_are_asked_for(api_client, campaign, eloise, student):
    api_client.force_authenticate(student)
    response = api_client.post(join_url(campaign), {"confirm": True}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "LEARNER_DETAILS_REQUIRED"


def test_a_malformed_birthdate_is_a_validation_error(api_client, campaign, eloise, student):
    response = post_join(api_client, campaign, student, birthdate="14/03/2011")
    assert response.status_code == 400 and "birthdate" in response.json()["errors"]


def test_archived_campaign_is_403(api_client, campaign, eloise, student):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())
    response = post_join(api_client, campaign, student)
    assert response.status_code == 403 and response.json()["code"] == "CAMPAIGN_ARCHIVED"


def test_r31(api_client, campaign, eloise, student):
    post_join(api_client, campaign, UserFactory(email="jeanne@example.net"))
    response = post_join(api_client, campaign, student)
    assert response.status_code == 409
    assert response.json()["code"] == "R31"
    assert "j***@example.net" in response.json()["detail"]


def test_r32(api_client, campaign, eloise, student):
    post_join(api_client, campaign, UserFactory(email=None, username="eloise.dupre1403"))
    response = post_join(api_client, campaign, student)
    assert (response.status_code, response.json()["code"]) == (409, "R32")
    assert "l'identifiant e***.d***1403" in response.json()["detail"]


def test_r11_and_r12(api_client, campaign, eloise, student, other_school):
    elsewhere = LearnerFactory(organization=other_school, ine=eloise.ine, birthdate=BIRTHDATE,
                               user=UserFactory(email="jules@example.net"))
    response = post_join(api_client, campaign, student)
    assert (response.status_code, response.json()["code"]) == (409, "R11")
    assert "j***@example.net" in response.json()["detail"]

    type(student).objects.filter(pk=elsewhere.user_id).update(email=None, username="jules.verne0802")
    response = post_join(api_client, campaign, student)
    assert (response.status_code, response.json()["code"]) == (409, "R12")
    assert "l'identifiant j***.v***0802" in response.json()["detail"]


def test_r70(api_client, campaign, school, eloise, student):
    LearnerFactory(organization=school, first_name="Marc", family_name="Dupré", birthdate=BIRTHDATE, user=student)
    response = post_join(api_client, campaign, student)
    assert (response.status_code, response.json()["code"]) == (409, "R70")


def test_r90(api_client, campaign, eloise, student, other_school):
    LearnerFactory(organization=other_school, ine="999999999ZZ", birthdate=datetime.date(2005, 6, 1), user=student)
    response = post_join(api_client, campaign, student)
    assert (response.status_code, response.json()["code"]) == (422, "R90")


def test_the_sixth_failure_is_429_with_when_to_retry(api_client, campaign, eloise, student):
    for _ in range(5):
        assert post_join(api_client, campaign, student, last_name="Durand").status_code == 404
    response = post_join(api_client, campaign, student)
    assert response.status_code == 429
    assert response.json()["code"] == "TOO_MANY_ATTEMPTS"
    assert "Réessayez dans 15 minutes" in response.json()["detail"]


def test_an_account_linked_in_the_school_joins_with_nothing_typed(api_client, campaign, school, eloise, student,
                                                                   alice_admin):
    post_join(api_client, campaign, student)
    second = CampaignFactory(organization=school, owner=alice_admin)
    response = api_client.post(join_url(second), {"confirm": True}, format="json")
    assert response.status_code == 201
    assert Participation.objects.get(pk=response.json()["id"]).learner == eloise


def test_a_non_reserved_campaign_is_joined_without_learner(api_client, alice_admin, student):
    campaign = CampaignFactory(organization=OrganizationFactory(type="PRO", is_managing_students=False),
                               owner=alice_admin)
    api_client.force_authenticate(student)
    assert api_client.get(f"/api/v1/campaigns/code/{campaign.code}/").json()["reserved"] is False
    response = api_client.post(join_url(campaign), {"confirm": True}, format="json")
    assert response.status_code == 201


def test_sharing_a_profile(api_client, school, eloise, student, alice_admin, bob_member):
    campaign = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)
    participation_id = post_join(api_client, campaign, student).json()["id"]
    url = f"/api/v1/participations/{participation_id}/share/"

    api_client.force_authenticate(bob_member)
    assert api_client.post(url).status_code == 404  # not theirs, even for a teacher of the school
    api_client.force_authenticate(student)
    response = api_client.post(url)
    assert response.status_code == 200 and response.json()["status"] == "SHARED"
    assert response.json()["shared_at"]
    again = api_client.post(url)
    assert again.status_code == 409 and again.json()["code"] == "PARTICIPATION_ALREADY_SHARED"
    api_client.force_authenticate(None)
    assert api_client.post(url).status_code == 401


def test_the_schema_documents_the_join_endpoints(api_client, student, db):
    api_client.force_authenticate(student)
    schema = api_client.get("/api/schema/?format=json").content.decode()
    assert "/api/v1/campaigns/code/{code}/join/" in schema and "campaign_join" in schema


# --- POST campaigns/code/{code}/signup/: a student without an account ---------------------------------------------

SIGNUP = {"first_name": "Eloise", "last_name": "Dupre", "birthdate": "2011-03-14", "password": "Girafe2026",
          "accept_terms": True}


def signup_url(campaign, code=None):
    return f"/api/v1/campaigns/code/{code or campaign.code}/signup/"


def test_signup_with_a_username_creates_the_account_linked_and_it_gets_a_token(api_client, campaign, eloise):
    response = api_client.post(signup_url(campaign), {**SIGNUP, "username": True}, format="json")

    assert response.status_code == 201
    assert response.json() == {"login": "eloise.dupre1403"}
    eloise.refresh_from_db()
    assert eloise.user.username == "eloise.dupre1403" and eloise.user.email is None
    token = api_client.post("/api/v1/auth/token/", {"login": "eloise.dupre1403", "password": "Girafe2026"},
                            format="json")
    assert token.status_code == 201
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    joined = api_client.post(join_url(campaign), {"confirm": True}, format="json")
    assert joined.status_code == 201 and Participation.objects.get().learner == eloise


def test_signup_with_an_email(api_client, campaign, eloise):
    response = api_client.post(signup_url(campaign), {**SIGNUP, "email": "Eloise@Example.net"}, format="json")

    assert (response.status_code, response.json()) == (201, {"login": "eloise@example.net"})


@pytest.mark.parametrize("body", [{}, {"email": "eloise@example.net", "username": True}])
def test_signup_needs_exactly_one_way_to_log_in(api_client, campaign, eloise, body):
    response = api_client.post(signup_url(campaign), {**SIGNUP, **body}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "VALIDATION_ERROR"
    assert "email" in response.json()["errors"]


def test_signup_with_a_weak_password_or_without_the_terms(api_client, campaign, eloise):
    weak = api_client.post(signup_url(campaign), {**SIGNUP, "username": True, "password": "girafe"}, format="json")
    terms = api_client.post(signup_url(campaign), {**SIGNUP, "username": True, "accept_terms": False},
                            format="json")

    assert weak.status_code == 400 and "password" in weak.json()["errors"]
    assert terms.status_code == 400 and "accept_terms" in terms.json()["errors"]
    assert not LinkAttempt.objects.exists()


def test_signup_refusals_have_their_codes(api_client, campaign, eloise, other_school):
    no_match = api_client.post(signup_url(campaign), {**SIGNUP, "username": True, "birthdate": "2012-03-14"},
                               format="json")
    first = api_client.post(signup_url(campaign), {**SIGNUP, "username": True}, format="json")
    s52 = api_client.post(signup_url(campaign), {**SIGNUP, "email": "autre@example.net"}, format="json")

    assert (no_match.status_code, no_match.json()["code"]) == (404, "NO_MATCHING_LEARNER")
    assert first.status_code == 201
    assert (s52.status_code, s52.json()["code"]) == (409, "S52")
    assert "l'identifiant e***.d***1403" in s52.json()["detail"]


def test_signup_s61_when_the_same_ine_has_an_account_in_another_school(api_client, campaign, eloise, other_school):
    LearnerFactory(organization=other_school, ine=eloise.ine, birthdate=BIRTHDATE,
                   user=UserFactory(email="jules@example.net"), linked_at=timezone.now())

    response = api_client.post(signup_url(campaign), {**SIGNUP, "username": True}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "S61")
    assert "j***@example.net" in response.json()["detail"]


def test_signup_on_a_campaign_not_reserved_or_a_wrong_code(api_client, alice_admin):
    workshop = CampaignFactory(organization=OrganizationFactory(is_managing_students=False), owner=alice_admin)

    not_reserved = api_client.post(signup_url(workshop), {**SIGNUP, "username": True}, format="json")
    wrong = api_client.post(signup_url(workshop, "ABCDEF999"), {**SIGNUP, "username": True}, format="json")

    assert (not_reserved.status_code, not_reserved.json()["code"]) == (400, "CAMPAIGN_NOT_RESERVED")
    assert (wrong.status_code, wrong.json()["code"]) == (404, "CAMPAIGN_NOT_FOUND")


def test_signup_failures_are_limited_per_address(api_client, campaign, eloise):
    for _ in range(5):
        api_client.post(signup_url(campaign), {**SIGNUP, "username": True, "birthdate": "2012-03-14"},
                        format="json")

    response = api_client.post(signup_url(campaign), {**SIGNUP, "username": True}, format="json")

    assert (response.status_code, response.json()["code"]) == (429, "TOO_MANY_ATTEMPTS")
