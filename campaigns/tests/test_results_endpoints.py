"""The results API: ``campaigns/{id}/activity/``, ``results/``, ``analysis/`` and ``participations/{id}/``, for a
member, an admin, an outsider (404) and anonymous (401); their shapes and filters; the schema documents them."""

import pytest

from campaigns.tests.results_helpers import (  # noqa: F401
    assessment_campaign,
    fast_password_hashing,
    profile_with_competences,
    profiles_campaign,
    retake,
    sent_result,
    started,
)
from content.factories import BadgeCriterionFactory, BadgeFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(school, bob_member):
    profile = profile_with_competences(("1.1", "2.1"), levels=3)
    StageFactory(target_profile=profile, threshold=0, title="Premiers pas", prescriber_title="À accompagner")
    StageFactory(target_profile=profile, threshold=50, title="Bien parti", prescriber_title="Autonome")
    BadgeCriterionFactory(badge=BadgeFactory(target_profile=profile, key="bravo", title="Bravo"), threshold=60)
    return assessment_campaign(organization=school, by=bob_member, target_profile=profile, multiple_sendings=True)


@pytest.fixture
def four(campaign):
    return {
        "arnaud": sent_result(campaign, family_name="Arnaud", first_name="Léa", division="2NDE1", level=1),
        "bernard": sent_result(campaign, family_name="Bernard", first_name="Tom", division="2NDE1", level=3),
        "carre": sent_result(campaign, family_name="Carré", first_name="Inès", division="2NDE2", level=0),
        "dubois": sent_result(campaign, family_name="Dubois", first_name="Hugo", division="2NDE2", level=2),
    }


def api(campaign, path: str) -> str:
    return f"/api/v1/campaigns/{campaign.pk}/{path}"


def test_activity(api_client, campaign, four, bob_member):
    started(campaign, family_name="Enzo", division="2NDE2", answers=1)
    api_client.force_authenticate(bob_member)
    body = api_client.get(api(campaign, "activity/")).json()
    assert (body["participants"], body["shared"]) == (5, 4)
    assert body["by_status"] == {"STARTED": 1, "TO_SHARE": 0, "SHARED": 4}
    assert [(day["started"], day["shared"]) for day in body["by_day"]] == [(5, 4)]
    by_class = api_client.get(api(campaign, "activity/"), {"division": "2NDE2"}).json()
    assert (by_class["participants"], by_class["shared"]) == (3, 2)


def test_results_list_with_summary_and_filters(api_client, campaign, four, alice_admin):
    retake(four["arnaud"], level=2)
    api_client.force_authenticate(alice_admin)
    body = api_client.get(api(campaign, "results/")).json()
    assert body["count"] == 4
    assert body["summary"]["count"] == 4
    assert body["summary"]["average_mastery_rate"] == pytest.approx((4 / 6 + 1 + 0 + 4 / 6) / 4)
    assert body["summary"]["stage_average"] == pytest.approx(0.75)
    arnaud = body["results"][0]
    assert arnaud["participation"] != four["arnaud"].pk  # her latest sending
    assert arnaud["learner"]["last_name"] == "Arnaud" and arnaud["division"] == "2NDE1"
    assert (arnaud["sendings"], arnaud["trend"]) == (2, "up")
    assert arnaud["mastery_rate"] == pytest.approx(4 / 6)
    assert arnaud["stage"] == {"reached": 1, "total": 1, "title": "Bien parti", "prescriber_title": "Autonome"}
    assert arnaud["badges"] == [{"key": "bravo", "title": "Bravo", "obtained": True, "progress": 100}]
    assert arnaud["pix_score"] is None and arnaud["certifiable"] is None

    def listed(query):
        return [row["learner"]["last_name"] for row in api_client.get(api(campaign, "results/") + query)
                .json()["results"]]

    assert listed("?division=2NDE2") == ["Carré", "Dubois"]
    assert listed("?division=2NDE1&division=2NDE2&stage=0") == ["Carré"]
    assert listed("?badge=bravo") == ["Arnaud", "Bernard", "Dubois"]
    assert listed("?search=TOM") == ["Bernard"]
    assert listed("?page_size=2") == ["Arnaud", "Bernard"]
    summary = api_client.get(api(campaign, "results/"), {"division": "2NDE2"}).json()["summary"]
    assert summary["count"] == 2 and summary["average_mastery_rate"] == pytest.approx(2 / 6)


def test_results_rejects_a_bad_filter(api_client, campaign, bob_member):
    api_client.force_authenticate(bob_member)
    response = api_client.get(api(campaign, "results/"), {"stage": "deux"})
    assert response.status_code == 400 and response.json()["code"] == "VALIDATION_ERROR"


def test_profiles_collection_results_and_student(api_client, school, bob_member):
    practice = assessment_campaign(organization=school, by=bob_member, name="Entraînement",
                                   target_profile=profile_with_competences(("1.1", "2.1", "3.1", "4.1", "5.1")))
    strong = sent_result(practice, family_name="Fort", level=2)
    collection = profiles_campaign(organization=school, by=bob_member)
    sent_participation = sent_result(collection, learner=strong.learner, user=strong.user)
    sent_result(collection, family_name="Débutant")
    api_client.force_authenticate(bob_member)
    body = api_client.get(api(collection, "results/"), {"certifiable": "true"}).json()
    assert [(r["learner"]["last_name"], r["pix_score"], r["certifiable"], r["certifiable_competences"])
            for r in body["results"]] == [("Fort", 40, True, 5)]
    assert body["results"][0]["mastery_rate"] is None and body["results"][0]["stage"] is None
    assert body["summary"] == {"count": 2, "average_mastery_rate": None, "stage_average": None, "certifiable": 1,
                               "average_pix_score": 20.0}
    page = api_client.get(api(collection, f"participations/{sent_participation.pk}/")).json()
    assert page["assessment"] is None
    assert page["profile"]["pix_score"] == 40 and page["profile"]["certifiable"] is True
    assert {c["code"]: (c["level"], c["pix"]) for c in page["profile"]["competences"]}["3.1"] == (1, 8)
    response = api_client.get(api(collection, "analysis/"))
    assert response.status_code == 409 and response.json()["code"] == "CAMPAIGN_NOT_ASSESSMENT"


def test_analysis(api_client, campaign, four, bob_member):
    api_client.force_authenticate(bob_member)
    body = api_client.get(api(campaign, "analysis/")).json()
    assert body["participants"] == 4
    assert [(c["code"], c["percent"], c["targeted_skills"]) for c in body["competences"]] == [
        ("1.1", 50, 3), ("2.1", 50, 3)]
    tube = body["tubes"][0]
    assert tube["score"] == pytest.approx(65.4167, abs=1e-3)
    assert (tube["band"], tube["band_label"]) == ("RECOMMANDE", "Recommandé")
    assert tube["reason"].startswith("2 élèves sur 4 n'ont pas validé le niveau 2")
    position = body["positionnement"]
    assert (position["mean_level"], position["max_level"], position["label"]) == (1.5, 3, "Novice")
    assert position["competences"][0]["tubes"][0]["mean_level"] == 1.5
    assert body["divisions"] == [
        {"division": "2NDE1", "participants": 2, "competences": [{"code": "1.1", "percent": 67},
                                                                 {"code": "2.1", "percent": 67}]},
        {"division": "2NDE2", "participants": 2, "competences": [{"code": "1.1", "percent": 33},
                                                                 {"code": "2.1", "percent": 33}]}]
    only = api_client.get(api(campaign, "analysis/"), {"division": "2NDE1"}).json()
    assert only["participants"] == 2 and only["competences"][0]["percent"] == 67


def test_student(api_client, campaign, four, bob_member):
    second = retake(four["arnaud"], level=2)
    api_client.force_authenticate(bob_member)
    body = api_client.get(api(campaign, f"participations/{second.pk}/")).json()
    assert body["participation"]["id"] == second.pk and body["participation"]["status"] == "SHARED"
    assert body["learner"]["first_name"] == "Léa" and body["division"] == "2NDE1"
    assert [(s["participation"], s["number"], s["is_current"]) for s in body["sendings"]] == [
        (four["arnaud"].pk, 1, False), (second.pk, 2, True)]
    assessment = body["assessment"]
    assert (assessment["validated_skills_count"], assessment["skills_count"]) == (4, 6)
    assert [(c["code"], c["validated"], c["total"]) for c in assessment["competences"]] == [
        ("1.1", 2, 3), ("2.1", 2, 3)]
    assert assessment["tubes"][0]["levels"] == [{"level": 1, "state": "validated"},
                                                {"level": 2, "state": "validated"},
                                                {"level": 3, "state": "failed"}]
    assert body["profile"] is None


def test_a_student_still_taking_the_test(api_client, campaign, bob_member):
    participation = started(campaign, answers=1)
    api_client.force_authenticate(bob_member)
    body = api_client.get(api(campaign, f"participations/{participation.pk}/")).json()
    assert body["participation"]["status"] == "STARTED" and body["assessment"] is None
    assert 0 < body["participation"]["progress"] < 1


@pytest.mark.parametrize("path", ["activity/", "results/", "analysis/", "participations/{pk}/"])
def test_anonymous_401_outsider_404(api_client, campaign, four, charlie_outsider, path):
    address = api(campaign, path.format(pk=four["arnaud"].pk))
    response = api_client.get(address)
    assert response.status_code == 401 and response.json()["code"] == "NOT_AUTHENTICATED"
    api_client.force_authenticate(charlie_outsider)
    response = api_client.get(address)
    assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND"


def test_a_participation_of_another_campaign_is_404(api_client, school, campaign, four, bob_member):
    other = assessment_campaign(organization=school, by=bob_member, target_profile=campaign.target_profile,
                                name="Autre")
    api_client.force_authenticate(bob_member)
    assert api_client.get(api(other, f"participations/{four['arnaud'].pk}/")).status_code == 404


def test_schema_documents_the_endpoints(api_client):
    paths = api_client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in ("activity/", "results/", "analysis/", "participations/{participation_id}/"):
        assert f"/api/v1/campaigns/{{campaign_id}}/{path}" in paths
    results = paths["/api/v1/campaigns/{campaign_id}/results/"]["get"]
    assert {p["name"] for p in results["parameters"]} >= {"division", "stage", "badge", "certifiable", "search"}
