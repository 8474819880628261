"""The test's API (/api/v1/, assessments/api_urls.py), endpoint by endpoint: shapes, status codes, the {code, detail}
errors, another student's data (404), anonymous (401), and never a solution before the answer."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Assessment, KnowledgeState
from assessments.services import assessment_start_for_participation
from assessments.tests.helpers import (  # noqa: F401  (fixtures)
    answer,
    assessment_campaign,
    current,
    days_ago,
    fast_password_hashing,
    fresh_skill_sets,
    other_student,
    participation_of,
    right_value,
    student,
    wrong_value,
)
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign
from content.factories import ChallengeFactory, CompetenceFactory, SkillFactory, TargetProfileFactory, TubeFactory
from content.testing import content_bank  # noqa: F401

ASSESSMENT_KEYS = {"id", "state", "progress", "answers_count"}
CHALLENGE_KEYS = {"id", "type", "instruction", "proposals", "fields", "timer", "focused", "illustration_url",
                  "illustration_alt", "index"}


@pytest.fixture
def campaign(school, alice_admin, target_profile):
    return assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)


@pytest.fixture
def participation(campaign, student):
    return participation_of(campaign, student)


@pytest.fixture
def assessment(participation):
    return assessment_start_for_participation(participation_id=participation.pk, user=participation.user)


@pytest.fixture
def as_student(api_client, student):
    api_client.force_authenticate(student)
    return api_client


def url(name, *args):
    return reverse(name, args=args)


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"code", "detail"} and body["code"] == code and body["detail"]
    return body


# --- Anonymous and other people --------------------------------------------------------------------------------------

@pytest.fixture
def every_endpoint(participation, assessment):
    return [
        ("post", url("api-participation-assessment", participation.pk)),
        ("post", url("api-participation-share", participation.pk)),
        ("get", url("api-participation-results", participation.pk)),
        ("post", url("api-competence-assessment", "1.1")),
        ("get", url("api-my-profile")),
        ("get", url("api-assessment", assessment.pk)),
        ("get", url("api-assessment-challenge", assessment.pk)),
        ("post", url("api-assessment-answers", assessment.pk)),
        ("get", url("api-assessment-checkpoint", assessment.pk)),
    ]


def test_every_endpoint_wants_a_signed_in_account(api_client, every_endpoint):
    for method, path in every_endpoint:
        response = getattr(api_client, method)(path, {}, format="json")
        error(response, 401, "NOT_AUTHENTICATED")
    assert not Answer.objects.exists() and Assessment.objects.count() == 1


def test_another_students_test_and_participation_are_not_found(api_client, every_endpoint, other_student,
                                                               alice_admin):
    for intruder in (other_student, alice_admin):  # another student, and the school's own teacher
        api_client.force_authenticate(intruder)
        for method, path in every_endpoint:
            if "/me/" in path:
                continue  # their own profile and placement tests
            response = getattr(api_client, method)(path, {"challenge": "motsCles2-a", "value": "2"}, format="json")
            assert response.status_code == 404, (path, response.content)
            assert response.json()["code"] in {"PARTICIPATION_NOT_FOUND", "ASSESSMENT_NOT_FOUND"}
    assert not Answer.objects.exists()
    assert Assessment.objects.get().timer_started_at is None


# --- Starting and reading a test ------------------------------------------------------------------------------------

def test_starting_returns_the_test_and_resuming_returns_the_same(as_student, participation):
    first = as_student.post(url("api-participation-assessment", participation.pk))
    again = as_student.post(url("api-participation-assessment", participation.pk))

    assert first.status_code == 200 and set(first.json()) == ASSESSMENT_KEYS
    assert first.json() == {"id": Assessment.objects.get().pk, "state": "started", "progress": 0.0,
                            "answers_count": 0}
    assert again.json() == first.json()
    assert Assessment.objects.count() == 1


def test_starting_a_profiles_collection_or_a_campaign_without_parcours_is_a_conflict(
        as_student, school, alice_admin, student):
    collection = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)
    bare = CampaignFactory(organization=school, owner=alice_admin)

    error(as_student.post(url("api-participation-assessment", participation_of(collection, student).pk)), 409,
          "NOT_AN_ASSESSMENT")
    error(as_student.post(url("api-participation-assessment", participation_of(bare, student).pk)), 409,
          "CAMPAIGN_WITHOUT_TARGET_PROFILE")
    assert not Assessment.objects.exists()


def test_starting_on_an_archived_campaign_is_forbidden(as_student, campaign, participation):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    body = error(as_student.post(url("api-participation-assessment", participation.pk)), 403, "CAMPAIGN_ARCHIVED")

    assert "Cette campagne est terminée" in body["detail"]


def test_starting_a_participation_already_sent_is_a_conflict(as_student, participation, assessment):
    answer(assessment, ok=True)
    answer(assessment, ok=True)
    as_student.post(url("api-participation-share", participation.pk))

    error(as_student.post(url("api-participation-assessment", participation.pk)), 409,
          "PARTICIPATION_ALREADY_SHARED")


def test_the_state_of_a_test(as_student, assessment):
    response = as_student.get(url("api-assessment", assessment.pk))
    assert response.json() == {"id": assessment.pk, "state": "started", "progress": 0.0, "answers_count": 0}

    answer(assessment, ok=True)  # level 2: levels 1 and 2 of 3 tested
    assert as_student.get(url("api-assessment", assessment.pk)).json() == {
        "id": assessment.pk, "state": "started", "progress": 0.667, "answers_count": 1}

    answer(assessment, ok=False)
    assert as_student.get(url("api-assessment", assessment.pk)).json() == {
        "id": assessment.pk, "state": "completed", "progress": 1.0, "answers_count": 2}


def test_an_unknown_test_is_not_found(as_student, assessment):
    error(as_student.get(url("api-assessment", assessment.pk + 1000)), 404, "ASSESSMENT_NOT_FOUND")


# --- The question in progress ---------------------------------------------------------------------------------------

def test_the_question_in_progress(as_student, assessment):
    response = as_student.get(url("api-assessment-challenge", assessment.pk))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == CHALLENGE_KEYS
    assert body == {"id": "motsCles2-a", "type": "QCU", "instruction": "Quelle est la bonne réponse ?",
                    "proposals": ["Celle-ci", "Celle-là", "Aucune"], "fields": [], "timer": None, "focused": False,
                    "illustration_url": None, "illustration_alt": "", "index": 1}


SOLUTIONS = {
    "QCU": dict(proposals=["Le pare-feu", "L'antivirus", "Le navigateur"], solution="2",
                solution_to_display="L'antivirus détecte les logiciels malveillants connus."),
    "QCM": dict(proposals=["Firefox", "Word", "Chrome", "Excel"], solution="1,3",
                solution_to_display="Firefox et Chrome sont des navigateurs."),
    "QROC": dict(proposals="Le chef gaulois d'Alésia : ${chef#Son nom}", solution="Vercingétorix\nVercingetorix",
                 solution_to_display="C'était Vercingétorix, en 52 avant J.-C."),
    "QROCM-ind": dict(proposals="Capitale du Pérou : ${perou}\nCapitale du Kenya : ${kenya}",
                      solution={"perou": ["Lima"], "kenya": ["Nairobi"]},
                      solution_to_display="Lima et Nairobi."),
    "QROCM-dep": dict(proposals="Un format d'image : ${a}\nUn autre : ${b}",
                      solution={"g1": ["webp"], "g2": ["tiff"], "g3": ["heic"]},
                      solution_to_display="Par exemple webp, tiff ou heic."),
}


@pytest.mark.parametrize("kind", list(SOLUTIONS))
def test_the_question_never_contains_its_solution(as_student, school, alice_admin, student, kind):
    tube = TubeFactory(name="secret")
    ChallengeFactory(id="secret2-a", type=kind, skill=SkillFactory(tube=tube, level=2), **SOLUTIONS[kind])
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfileFactory(tubes=[(tube, 2)]))
    participation = participation_of(campaign, student)
    assessment = assessment_start_for_participation(participation_id=participation.pk, user=student)

    response = as_student.get(url("api-assessment-challenge", assessment.pk))

    text = response.content.decode()
    escaped = json.dumps(json.loads(text), ensure_ascii=True)
    assert response.status_code == 200 and response.json()["type"] == kind
    assert "solution" not in text
    for secret in [SOLUTIONS[kind]["solution_to_display"], "Vercingétorix", "Lima", "Nairobi", "webp", "tiff",
                   "heic"]:
        assert secret not in text and json.dumps(secret)[1:-1] not in escaped
    if kind.startswith("QRO"):
        keys = [field["key"] for field in response.json()["fields"]]
        assert keys == {"QROC": ["chef"], "QROCM-ind": ["perou", "kenya"], "QROCM-dep": ["a", "b"]}[kind]
    if kind == "QROC":
        assert response.json()["fields"] == [{"key": "chef", "placeholder": "Son nom"}]


@pytest.fixture
def timed(as_student, school, alice_admin, student):
    """The second question is timed (30 s)."""
    tube = TubeFactory(name="chrono")
    ChallengeFactory(id="chrono2-a", skill=SkillFactory(tube=tube, level=2))
    ChallengeFactory(id="chrono3-a", skill=SkillFactory(tube=tube, level=3), timer=30)
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfileFactory(tubes=[(tube, 3)]))
    participation = participation_of(campaign, student)
    assessment = assessment_start_for_participation(participation_id=participation.pk, user=student)
    answer(assessment, ok=True)
    return assessment


def test_serving_a_timed_question_starts_its_time_once(as_student, timed):
    assert Assessment.objects.get(pk=timed.pk).timer_started_at is None

    first = as_student.get(url("api-assessment-challenge", timed.pk))
    started = Assessment.objects.get(pk=timed.pk).timer_started_at
    second = as_student.get(url("api-assessment-challenge", timed.pk))

    assert first.json()["timer"] == 30 and first.json()["index"] == 2
    assert started is not None and abs((timezone.now() - started).total_seconds()) < 5
    assert second.status_code == 200
    assert Assessment.objects.get(pk=timed.pk).timer_started_at == started


def test_a_timed_question_sent_with_the_answer_before_it_starts_its_time_then(as_student, school, alice_admin,
                                                                          student):
    tube = TubeFactory(name="chrono")
    ChallengeFactory(id="chrono2-a", skill=SkillFactory(tube=tube, level=2))
    ChallengeFactory(id="chrono3-a", skill=SkillFactory(tube=tube, level=3), timer=30)
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfileFactory(tubes=[(tube, 3)]))
    assessment = assessment_start_for_participation(participation_id=participation_of(campaign, student).pk,
                                                    user=student)

    response = post_answer(as_student, assessment, challenge="chrono2-a", value="2")

    following = response.json()["next_challenge"]
    assert (following["id"], following["timer"], following["index"]) == ("chrono3-a", 30, 2)
    started = Assessment.objects.get(pk=assessment.pk).timer_started_at
    assert started is not None and abs((timezone.now() - started).total_seconds()) < 5
    # Asking for it again does not give more time.
    assert as_student.get(url("api-assessment-challenge", assessment.pk)).json()["id"] == "chrono3-a"
    assert Assessment.objects.get(pk=assessment.pk).timer_started_at == started


def test_a_right_answer_after_the_time_is_timedout(as_student, timed):
    as_student.get(url("api-assessment-challenge", timed.pk))
    Assessment.objects.filter(pk=timed.pk).update(timer_started_at=timezone.now() - datetime.timedelta(seconds=40))

    response = as_student.post(url("api-assessment-answers", timed.pk), {"challenge": "chrono3-a", "value": "2"},
                               format="json")

    assert response.status_code == 201 and response.json()["status"] == "timedout"


def test_the_question_of_an_archived_campaign_is_forbidden(as_student, campaign, assessment):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    error(as_student.get(url("api-assessment-challenge", assessment.pk)), 403, "CAMPAIGN_ARCHIVED")


def test_a_timed_question_of_an_archived_campaign_is_forbidden(as_student, timed):
    Campaign.objects.filter(pk=timed.participation.campaign_id).update(archived_at=timezone.now())

    error(as_student.get(url("api-assessment-challenge", timed.pk)), 403, "CAMPAIGN_ARCHIVED")
    assert Assessment.objects.get(pk=timed.pk).timer_started_at is None


def test_an_ended_test_has_no_question(as_student, assessment):
    answer(assessment, ok=True)
    answer(assessment, ok=True)

    body = error(as_student.get(url("api-assessment-challenge", assessment.pk)), 409, "ASSESSMENT_ENDED")

    assert body["detail"] == "Ce test est terminé : il n'y a plus de question."


# --- Answering ------------------------------------------------------------------------------------------------------

def post_answer(client, assessment, **body):
    return client.post(url("api-assessment-answers", assessment.pk), body, format="json")


def test_an_answer_is_created_with_its_status(as_student, assessment):
    response = post_answer(as_student, assessment, challenge="motsCles2-a", value="2")

    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in ("status", "checkpoint", "ended")} == {"status": "ok", "checkpoint": False,
                                                                           "ended": False}
    assert body["next_challenge"]["index"] == 2
    # The next challenge is the one now served: the same as GET challenge/ gives, without its solution.
    assert body["next_challenge"] == as_student.get(url("api-assessment-challenge", assessment.pk)).json()
    assert "solution" not in response.content.decode()
    recorded = Answer.objects.get()
    assert (recorded.challenge_id, recorded.status, recorded.value, recorded.index) == ("motsCles2-a", "ok", "2", 1)


def test_a_wrong_answer_then_a_skip_end_the_test(as_student, assessment):
    wrong = post_answer(as_student, assessment, challenge="motsCles2-a", value="1")
    skipped = post_answer(as_student, assessment, challenge="motsCles1-a", skip=True)

    assert wrong.json()["status"] == "ko" and not wrong.json()["ended"]
    assert wrong.json()["next_challenge"]["id"] == "motsCles1-a"
    assert skipped.status_code == 201 and skipped.json() == {"status": "aband", "checkpoint": True, "ended": True,
                                                             "next_challenge": None}
    assert list(Answer.objects.order_by("index").values_list("status", flat=True)) == ["ko", "aband"]


def test_a_double_click_records_one_answer(as_student, assessment):
    first = post_answer(as_student, assessment, challenge="motsCles2-a", value="2")
    second = post_answer(as_student, assessment, challenge="motsCles2-a", value="2")

    assert first.status_code == 201
    error(second, 409, "CHALLENGE_ALREADY_ANSWERED")
    assert Answer.objects.count() == 1


def test_answering_another_question_than_the_one_served_is_a_conflict(as_student, assessment):
    error(post_answer(as_student, assessment, challenge="motsCles3-a", value="2"), 409, "CHALLENGE_NOT_SERVED")
    error(post_answer(as_student, assessment, challenge="nexiste-pas", value="2"), 409, "CHALLENGE_NOT_SERVED")
    assert not Answer.objects.exists()


def test_answering_an_ended_test_is_a_conflict(as_student, assessment):
    answer(assessment, ok=True)
    answer(assessment, ok=True)

    error(post_answer(as_student, assessment, challenge="motsCles1-a", value="2"), 409, "ASSESSMENT_ENDED")
    assert Answer.objects.count() == 2


def test_answering_on_an_archived_campaign_is_forbidden(as_student, campaign, assessment):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    error(post_answer(as_student, assessment, challenge="motsCles2-a", value="2"), 403, "CAMPAIGN_ARCHIVED")
    assert not Answer.objects.exists()


@pytest.mark.parametrize("body, code", [
    ({"challenge": "motsCles2-a"}, "VALIDATION_ERROR"),  # neither a value nor a skip
    ({"value": "2"}, "VALIDATION_ERROR"),
    ({"challenge": "motsCles2-a", "value": ""}, "INVALID_ANSWER"),
    ({"challenge": "motsCles2-a", "value": None}, "VALIDATION_ERROR"),
    ({"challenge": "motsCles2-a", "value": "9"}, "INVALID_ANSWER"),
    ({"challenge": "motsCles2-a", "value": {"a": "b"}}, "INVALID_ANSWER"),
])
def test_a_malformed_answer_is_refused_and_nothing_recorded(as_student, assessment, body, code):
    response = as_student.post(url("api-assessment-answers", assessment.pk), body, format="json")

    error(response, 400, code)
    assert not Answer.objects.exists()
    assert Assessment.objects.get(pk=assessment.pk).answers_count == 0


@pytest.mark.parametrize("kind", list(SOLUTIONS))
def test_values_of_every_type_through_the_api(as_student, school, alice_admin, student, kind):
    tube = TubeFactory(name="formes")
    challenge = ChallengeFactory(id="formes2-a", type=kind, skill=SkillFactory(tube=tube, level=2),
                                 **SOLUTIONS[kind])
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfileFactory(tubes=[(tube, 2)]))
    participation = participation_of(campaign, student)
    assessment = assessment_start_for_participation(participation_id=participation.pk, user=student)

    response = post_answer(as_student, assessment, challenge="formes2-a", value=right_value(challenge))

    assert response.status_code == 201 and response.json() == {"status": "ok", "checkpoint": True, "ended": True,
                                                               "next_challenge": None}


@pytest.fixture
def six_questions(school, alice_admin, student):
    """Five tubes of levels 1–3: a student who fails everything answers six questions (levels 2 then 1 of the
    first tube, then level 1 of each other tube)."""
    tubes = []
    for name in ("recherche", "partage", "sauvegarde", "courriel", "tableur"):
        tube = TubeFactory(name=name)
        for level in (1, 2, 3):
            ChallengeFactory(id=f"{name}{level}-a", skill=SkillFactory(tube=tube, level=level, hint=f"Indice {name}"))
        tubes.append((tube, 3))
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfileFactory(tubes=tubes))
    participation = participation_of(campaign, student)
    return assessment_start_for_participation(participation_id=participation.pk, user=student)


def test_a_checkpoint_comes_after_five_answers(as_student, six_questions):
    statuses = []
    for _ in range(5):
        served = current(six_questions)
        statuses.append(post_answer(as_student, six_questions, challenge=served.pk, value=wrong_value(served)).json())

    assert [s["checkpoint"] for s in statuses] == [False, False, False, False, True]
    assert not any(s["ended"] for s in statuses)
    checkpoint = as_student.get(url("api-assessment-checkpoint", six_questions.pk))
    assert checkpoint.status_code == 200
    body = checkpoint.json()
    assert body["ended"] is False and 0 < body["progress"] < 1
    assert [a["index"] for a in body["answers"]] == [1, 2, 3, 4, 5]
    first = body["answers"][0]
    assert set(first) == {"index", "challenge", "instruction", "value", "status", "fields", "solution_to_display",
                          "hint", "tutorials"}
    assert first["status"] == "ko" and first["value"] == "1"
    assert first["solution_to_display"] == "« Celle-là » est la bonne réponse."
    assert first["hint"].startswith("Indice ") and first["tutorials"] == []

    while not statuses[-1]["ended"]:
        served = current(six_questions)
        statuses.append(post_answer(as_student, six_questions, challenge=served.pk, skip=True).json())
    count = len(statuses)
    assert count > 5
    assert [s["checkpoint"] for s in statuses] == [i % 5 == 0 or i == count for i in range(1, count + 1)]
    after = as_student.get(url("api-assessment-checkpoint", six_questions.pk)).json()
    assert after["ended"] is True and after["progress"] == 1.0
    # The last checkpoint shows the answers since the previous one.
    assert [(a["index"], a["status"], a["value"]) for a in after["answers"]] == [
        (index, "aband", None) for index in range(6, count + 1)]


def test_the_checkpoint_before_any_answer_is_empty(as_student, assessment):
    body = as_student.get(url("api-assessment-checkpoint", assessment.pk)).json()
    assert body == {"progress": 0.0, "ended": False, "answers": []}


# --- Sending and results --------------------------------------------------------------------------------------------

def test_sending_an_ended_test_then_reading_its_results(as_student, participation, assessment):
    answer(assessment, ok=True)
    answer(assessment, ok=False)

    sent = as_student.post(url("api-participation-share", participation.pk))
    results = as_student.get(url("api-participation-results", participation.pk))

    assert sent.status_code == 200
    assert set(sent.json()) == {"id", "campaign_id", "status", "created_at", "shared_at"}
    assert sent.json()["status"] == "SHARED" and sent.json()["id"] == participation.pk
    assert results.status_code == 200
    body = results.json()
    assert set(body) == {"mastery_rate", "competences", "stages", "badges", "shared_at"}
    assert body["mastery_rate"] == pytest.approx(2 / 3)
    assert body["competences"] == [{"code": "1.1", "name": "Compétence 1.1", "mastery_rate": pytest.approx(2 / 3)}]
    assert body["stages"] is None and body["badges"] == [] and body["shared_at"] == sent.json()["shared_at"]
    error(as_student.post(url("api-participation-share", participation.pk)), 409, "PARTICIPATION_ALREADY_SHARED")


def test_an_unfinished_test_cannot_be_sent_and_has_no_results(as_student, participation, assessment):
    body = error(as_student.post(url("api-participation-share", participation.pk)), 409,
                 "PARTICIPATION_NOT_SHAREABLE")

    assert "Terminez d'abord votre parcours" in body["detail"]
    error(as_student.get(url("api-participation-results", participation.pk)), 409, "RESULTS_NOT_SENT")


def test_results_with_stages_and_badges(as_student, school, alice_admin, student):
    from content.factories import BadgeCriterionFactory, BadgeFactory, StageFactory

    tube = TubeFactory(name="vieprivee", competence=CompetenceFactory(code="4.2", name="Protéger ses données"))
    for level in (1, 2, 3, 4):
        ChallengeFactory(id=f"vieprivee{level}-a", skill=SkillFactory(tube=tube, level=level))
    profile = TargetProfileFactory(tubes=[(tube, 4)])
    StageFactory(target_profile=profile, threshold=0, title="Premiers pas")
    StageFactory(target_profile=profile, threshold=50, title="Bien protégé", message="Bravo !")
    badge = BadgeFactory(target_profile=profile, key="discret", title="Discret", message="Vos données sont à vous.")
    BadgeCriterionFactory(badge=badge, threshold=100)
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile)
    KnowledgeState.objects.create(user=student, tube=tube, floor=2, ceiling=3, ceiling_at=timezone.now())
    participation = participation_of(campaign, student)
    assessment_start_for_participation(participation_id=participation.pk, user=student)
    as_student.post(url("api-participation-share", participation.pk))

    body = as_student.get(url("api-participation-results", participation.pk)).json()

    assert body["mastery_rate"] == 0.5
    assert body["competences"] == [{"code": "4.2", "name": "Protéger ses données", "mastery_rate": 0.5}]
    assert body["stages"] == {"reached": 1, "total": 1, "title": "Bien protégé", "message": "Bravo !"}
    assert body["badges"] == [{"key": "discret", "title": "Discret", "message": "Vos données sont à vous.",
                               "obtained": False, "progress": 50}]


def test_sending_a_profile_through_the_api(as_student, school, alice_admin, student):
    tube = TubeFactory(competence=CompetenceFactory(code="3.1"))
    SkillFactory(tube=tube, level=1, pix_value=4.0)
    SkillFactory(tube=tube, level=2, pix_value=4.0)
    KnowledgeState.objects.create(user=student, tube=tube, floor=2)
    collection = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)
    participation = participation_of(collection, student)

    sent = as_student.post(url("api-participation-share", participation.pk))

    assert sent.status_code == 200 and sent.json()["status"] == "SHARED"
    participation.refresh_from_db()
    assert participation.pix_score == 8 and participation.is_certifiable is False
    # A profile has no results page of an assessment.
    error(as_student.get(url("api-participation-results", participation.pk)), 409, "NOT_AN_ASSESSMENT")


# --- « Mon profil » and placement tests ----------------------------------------------------------------------------

def test_my_profile_lists_every_competence_with_level_and_pix(as_student, student):
    for code, floor in (("1.1", 2), ("1.2", 3), ("2.1", 0)):
        tube = TubeFactory(competence=CompetenceFactory(code=code))
        for level in (1, 2, 3):
            SkillFactory(tube=tube, level=level, pix_value=4.0)
        KnowledgeState.objects.create(user=student, tube=tube, floor=floor)

    response = as_student.get(url("api-my-profile"))

    assert response.status_code == 200
    assert response.json() == {
        "pix_score": 20, "certifiable": False, "certifiable_competences": 2,
        "competences": [
            {"code": "1.1", "name": "Compétence 1.1", "level": 1, "pix": 8},
            {"code": "1.2", "name": "Compétence 1.2", "level": 1, "pix": 12},
            {"code": "2.1", "name": "Compétence 2.1", "level": 0, "pix": 0},
        ]}


def test_my_profile_on_the_real_bank_has_the_16_competences(as_student, content_bank):
    body = as_student.get(url("api-my-profile")).json()

    assert [c["code"] for c in body["competences"]] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1",
        "5.2"]
    assert body["competences"][0]["name"] == "Mener une recherche et une veille d'information"
    assert body["pix_score"] == 0 and body["certifiable"] is False
    assert all(c["level"] == 0 and c["pix"] == 0 for c in body["competences"])


def test_a_placement_test_on_an_unknown_competence_is_not_found(as_student, content_bank):
    error(as_student.post(url("api-competence-assessment", "9.9")), 404, "COMPETENCE_NOT_FOUND")


def test_a_placement_test_starts_resumes_and_answers(as_student, content_bank):
    first = as_student.post(url("api-competence-assessment", "1.1"))
    again = as_student.post(url("api-competence-assessment", "1.1"))

    assert first.status_code == 200 and set(first.json()) == ASSESSMENT_KEYS
    assert first.json()["state"] == "started" and again.json()["id"] == first.json()["id"]
    served = as_student.get(url("api-assessment-challenge", first.json()["id"])).json()
    placement = Assessment.objects.get(pk=first.json()["id"])
    assert served["id"] == placement.current_challenge_id
    response = post_answer(as_student, placement, challenge=served["id"], skip=True)
    assert response.status_code == 201 and response.json()["status"] == "aband"


def test_retenter_too_early_is_a_conflict_that_says_when(as_student, student, content_bank):
    started = as_student.post(url("api-competence-assessment", "5.2")).json()
    placement = Assessment.objects.get(pk=started["id"])
    while not Assessment.objects.get(pk=placement.pk).is_completed:
        answer(placement, ok=False)
    Assessment.objects.filter(pk=placement.pk).update(completed_at=days_ago(1))

    body = error(as_student.post(url("api-competence-assessment", "5.2")), 409, "RETRY_NOT_YET")

    assert "Vous pourrez retenter cette compétence à partir du" in body["detail"]


def test_the_schema_documents_every_endpoint_of_the_test(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]

    expected = {
        "/api/v1/participations/{participation_id}/assessment/": ("post", {"200", "401", "403", "404", "409"}),
        "/api/v1/participations/{participation_id}/share/": ("post", {"200", "401", "403", "404", "409"}),
        "/api/v1/participations/{participation_id}/results/": ("get", {"200", "401", "404", "409"}),
        "/api/v1/me/competences/{code}/assessment/": ("post", {"200", "401", "404", "409"}),
        "/api/v1/me/profile/": ("get", {"200", "401"}),
        "/api/v1/assessments/{assessment_id}/": ("get", {"200", "401", "404"}),
        "/api/v1/assessments/{assessment_id}/challenge/": ("get", {"200", "401", "403", "404", "409"}),
        "/api/v1/assessments/{assessment_id}/answers/": ("post", {"201", "400", "401", "403", "404", "409"}),
        "/api/v1/assessments/{assessment_id}/checkpoint/": ("get", {"200", "401", "404"}),
    }
    for path, (method, statuses) in expected.items():
        assert set(paths[path]) == {method}, path
        assert set(paths[path][method]["responses"]) == statuses, path
    served = paths["/api/v1/assessments/{assessment_id}/challenge/"]["get"]["responses"]["200"]
    name = served["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][name]["properties"]) == CHALLENGE_KEYS
