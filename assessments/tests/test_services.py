"""Taking a test through the services: start and resume, every kind of answer, the knowledge it leaves, the end,
what carries over from earlier tests, and placement tests on « Mon profil »."""

import datetime
import random
import re

import pytest
from django.test import override_settings
from django.utils import timezone

from assessments.errors import (
    AssessmentEnded,
    AssessmentNotFound,
    CampaignWithoutTargetProfile,
    ChallengeAlreadyAnswered,
    ChallengeNotServed,
    CompetenceNotFound,
    InvalidAnswerValue,
    NotAnAssessmentCampaign,
    ParticipationNotCurrent,
    RetryNotYet,
)
from assessments.models import Answer, Assessment, ChallengeReport, KnowledgeState
from assessments.services import (
    answer_record,
    assessment_start_for_competence,
    assessment_start_for_participation,
    challenge_report,
    challenge_timer_start,
    participation_share,
)
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
from campaigns.errors import CampaignArchived, ParticipationAlreadyShared, ParticipationNotFound
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Participation
from content.factories import ChallengeFactory, SkillFactory, TargetProfileFactory, TubeFactory
from content.models import Skill, TargetProfile
from content.testing import content_bank  # noqa: F401


@pytest.fixture
def campaign(school, alice_admin, target_profile):
    return assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)


@pytest.fixture
def participation(campaign, student):
    return participation_of(campaign, student)


def start(participation):
    return assessment_start_for_participation(participation_id=participation.pk, user=participation.user)


def knowledge(user, tube_name):
    row = KnowledgeState.objects.get(user=user, tube__name=tube_name)
    return row.floor, row.ceiling


def profile_of(*tubes):
    """A public profile on hand-made tubes: ``tubes`` = [(tube, cap), …]."""
    return TargetProfileFactory(tubes=list(tubes))


# --- Starting ------------------------------------------------------------------------------------------------------

def test_je_commence_creates_one_test_and_serves_the_easy_tubes_level_2_first(participation, student):
    assessment = start(participation)

    assert assessment.type == Assessment.Type.CAMPAIGN and assessment.state == "started"
    assert assessment.participation_id == participation.pk and assessment.user == student
    assert current(assessment).pk == "motsCles2-a"
    assert assessment.answers_count == 0
    # The tube's knowledge row is ready before the first answer (an answer is then one UPDATE).
    assert knowledge(student, "motsCles") == (0, None)


def test_coming_back_resumes_the_same_test_on_the_same_question(participation):
    first = start(participation)
    answer(first, ok=True)

    again = start(participation)

    assert again.pk == first.pk
    assert Assessment.objects.count() == 1
    assert current(again).pk == "motsCles3-a"
    assert again.answers_count == 1


def test_a_profiles_collection_has_no_test(school, alice_admin, student):
    collection = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)

    with pytest.raises(NotAnAssessmentCampaign) as error:
        start(participation_of(collection, student))

    assert error.value.http_status == 409 and "envoyez votre profil" in error.value.message
    assert not Assessment.objects.exists()


def test_an_archived_campaign_cannot_be_started(campaign, participation):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    with pytest.raises(CampaignArchived):
        start(participation)

    assert not Assessment.objects.exists()


def test_a_test_in_progress_on_a_campaign_archived_since_takes_no_more_answers(campaign, participation):
    assessment = start(participation)
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    with pytest.raises(CampaignArchived) as error:
        answer(assessment)

    assert error.value.code == "CAMPAIGN_ARCHIVED" and error.value.http_status == 403
    assert not Answer.objects.exists()


def test_an_assessment_campaign_without_target_profile_says_to_warn_the_teacher(school, alice_admin, student):
    bare = CampaignFactory(organization=school, owner=alice_admin)  # created before target profiles existed

    with pytest.raises(CampaignWithoutTargetProfile) as error:
        start(participation_of(bare, student))

    assert "prévenez votre enseignant" in error.value.message
    assert not Assessment.objects.exists()


def test_a_participation_replaced_by_a_newer_one_gets_no_test(campaign, participation, student):
    Participation.objects.filter(pk=participation.pk).update(is_current=False)
    participation_of(campaign, student)  # the current one now

    with pytest.raises(ParticipationNotCurrent) as error:
        start(participation)

    assert "Mes parcours" in error.value.message
    assert not Assessment.objects.exists()


def test_someone_elses_participation_is_not_found(participation, other_student, alice_admin):
    for intruder in (other_student, alice_admin):  # another student, and the school's own teacher
        with pytest.raises(ParticipationNotFound) as error:
            assessment_start_for_participation(participation_id=participation.pk, user=intruder)
        assert error.value.http_status == 404
    assert not Assessment.objects.exists()


def test_starting_a_shared_participation_is_refused_as_already_sent(participation):
    assessment = start(participation)
    answer(assessment, ok=True)
    answer(assessment, ok=True)
    participation_share(participation_id=participation.pk, user=participation.user)

    with pytest.raises(ParticipationAlreadyShared) as error:
        start(participation)

    assert error.value.http_status == 409 and "Mes parcours" in error.value.message
    assert Assessment.objects.count() == 1


def test_the_first_question_is_never_timed_and_comes_from_an_easy_tube(school, alice_admin, student):
    hard = TubeFactory(name="chiffrement")
    for level in (1, 2, 3, 4, 5):
        ChallengeFactory(id=f"chiffrement{level}-a", skill=SkillFactory(tube=hard, level=level))
    easy = TubeFactory(name="courriel")
    ChallengeFactory(id="courriel1-a", skill=SkillFactory(tube=easy, level=1))
    ChallengeFactory(id="courriel2-chrono", skill=SkillFactory(tube=easy, level=2), timer=30)
    ChallengeFactory(id="courriel2-calme", skill=Skill.objects.get(name="@courriel2"))
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile_of((hard, 5), (easy, 2)))

    assessment = start(participation_of(campaign, student))

    # The hard tube (up to level 5) waits; in the easy one, level 2 without a timer.
    assert current(assessment).pk == "courriel2-calme"


def test_without_level_2_the_first_question_is_the_lowest_level(school, alice_admin, student):
    tube = TubeFactory(name="sauvegarde")
    ChallengeFactory(id="sauvegarde1-a", skill=SkillFactory(tube=tube, level=1))
    ChallengeFactory(id="sauvegarde3-a", skill=SkillFactory(tube=tube, level=3))
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile_of((tube, 3)))

    assert current(start(participation_of(campaign, student))).pk == "sauvegarde1-a"


# --- Answers of every type -----------------------------------------------------------------------------------------

CHALLENGES = {
    "QCU": dict(proposals=["Un moteur de recherche", "Un navigateur", "Un tableur"], solution="2"),
    "QCM": dict(proposals=["Firefox", "Word", "Chrome", "Excel"], solution="1,3"),
    "QROC": dict(proposals="Le chef gaulois d'Alésia : ${chef}", solution="Vercingétorix\nVercingetorix"),
    "QROCM-ind": dict(proposals="Capitale de la France : ${france}\nCapitale de l'Italie : ${italie}",
                      solution={"france": ["Paris"], "italie": ["Rome"]}),
    "QROCM-dep": dict(proposals="Un format d'image : ${a}\nUn autre : ${b}",
                      solution={"g1": ["png"], "g2": ["jpg", "jpeg"], "g3": ["gif"]}),
}


@pytest.fixture
def one_question(school, alice_admin, student):
    """A campaign of one question of the given type (level 2: the first one served)."""
    def build(kind):
        tube = TubeFactory(name="question")
        ChallengeFactory(id="question2-a", type=kind, skill=SkillFactory(tube=tube, level=2), **CHALLENGES[kind])
        campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile_of((tube, 2)))
        return start(participation_of(campaign, student))
    return build


@pytest.mark.parametrize("kind", list(CHALLENGES))
def test_a_right_answer_of_each_type_is_ok_and_validates_the_skill(one_question, student, kind):
    assessment = one_question(kind)
    challenge = current(assessment)

    outcome = answer_record(assessment_id=assessment.pk, user=student, challenge_id=challenge.pk,
                            value=right_value(challenge))

    assert outcome.status == "ok" and outcome.ended and outcome.checkpoint
    recorded = Answer.objects.get()
    assert (recorded.status, recorded.index, recorded.skill.name) == ("ok", 1, "@question2")
    assert recorded.value == right_value(challenge)
    assert knowledge(student, "question") == (2, None)


@pytest.mark.parametrize("kind", list(CHALLENGES))
def test_a_wrong_answer_of_each_type_is_ko_and_invalidates_the_skill(one_question, student, kind):
    assessment = one_question(kind)
    challenge = current(assessment)

    outcome = answer_record(assessment_id=assessment.pk, user=student, challenge_id=challenge.pk,
                            value=wrong_value(challenge))

    assert outcome.status == "ko"
    assert Answer.objects.get().status == "ko"
    assert knowledge(student, "question") == (0, 2)


@pytest.mark.parametrize("kind, value", [
    ("QCM", "3,1"),  # any order
    ("QROC", "  vercingetorix "),  # T1: case, accents, spaces
    ("QROCM-ind", {"france": "paris", "italie": "Rome !"}),  # T2: punctuation
    ("QROCM-dep", {"a": "JPEG", "b": "png"}),  # any group, each once
])
def test_answers_written_loosely_are_right(one_question, student, kind, value):
    assessment = one_question(kind)

    outcome = answer_record(assessment_id=assessment.pk, user=student, challenge_id=current(assessment).pk,
                            value=value)

    assert outcome.status == "ok"


def test_qrocm_dep_fields_cannot_use_the_same_group_twice(one_question, student):
    assessment = one_question("QROCM-dep")

    outcome = answer_record(assessment_id=assessment.pk, user=student, challenge_id=current(assessment).pk,
                            value={"a": "png", "b": "png"})

    assert outcome.status == "ko"
    assert Answer.objects.get().fields == {"a": True, "b": False}


def test_qrocm_ind_keeps_which_field_was_right(one_question, student):
    assessment = one_question("QROCM-ind")

    answer_record(assessment_id=assessment.pk, user=student, challenge_id=current(assessment).pk,
                  value={"france": "Paris", "italie": "Milan"})

    recorded = Answer.objects.get()
    assert recorded.status == "ko" and recorded.fields == {"france": True, "italie": False}


def test_je_passe_is_aband_and_counts_as_failed(participation, student):
    assessment = start(participation)

    outcome = answer_record(assessment_id=assessment.pk, user=student, challenge_id="motsCles2-a", skip=True)

    assert outcome.status == "aband"
    recorded = Answer.objects.get()
    assert recorded.status == "aband" and recorded.value is None
    assert knowledge(student, "motsCles") == (0, 2)
    assert current(assessment).pk == "motsCles1-a"  # easier now


@pytest.fixture
def timed_second(school, alice_admin, student):
    """Level 2 first, then a timed level 3 (30 s)."""
    tube = TubeFactory(name="chrono")
    ChallengeFactory(id="chrono2-a", skill=SkillFactory(tube=tube, level=2))
    ChallengeFactory(id="chrono3-a", skill=SkillFactory(tube=tube, level=3), timer=30)
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile_of((tube, 3)))
    assessment = start(participation_of(campaign, student))
    answer(assessment, ok=True)
    assert current(assessment).pk == "chrono3-a"
    return assessment


def test_a_right_answer_within_the_time_is_ok(timed_second, student):
    challenge_timer_start(assessment_id=timed_second.pk, user=student, challenge_id="chrono3-a")

    assert answer(timed_second, ok=True).status == "ok"
    assert knowledge(student, "chrono") == (3, None)


def test_a_right_answer_after_the_time_is_timedout_and_counts_as_failed(timed_second, student):
    challenge_timer_start(assessment_id=timed_second.pk, user=student, challenge_id="chrono3-a")
    Assessment.objects.filter(pk=timed_second.pk).update(
        timer_started_at=timezone.now() - datetime.timedelta(seconds=45))

    outcome = answer(timed_second, ok=True)

    assert outcome.status == "timedout"
    assert Answer.objects.get(challenge_id="chrono3-a").status == "timedout"
    assert knowledge(student, "chrono") == (2, 3)


def test_the_timer_starts_once_a_second_commencer_gives_no_more_time(timed_second, student):
    challenge_timer_start(assessment_id=timed_second.pk, user=student, challenge_id="chrono3-a")
    earlier = timezone.now() - datetime.timedelta(seconds=45)
    Assessment.objects.filter(pk=timed_second.pk).update(timer_started_at=earlier)

    challenge_timer_start(assessment_id=timed_second.pk, user=student, challenge_id="chrono3-a")

    timed_second.refresh_from_db()
    assert timed_second.timer_started_at == earlier
    assert answer(timed_second, ok=True).status == "timedout"


def test_the_timer_of_a_question_not_served_cannot_be_started(timed_second, student):
    with pytest.raises(ChallengeNotServed):
        challenge_timer_start(assessment_id=timed_second.pk, user=student, challenge_id="chrono2-a")


def test_a_double_answer_is_refused_and_recorded_once(participation, student):
    assessment = start(participation)
    answer_record(assessment_id=assessment.pk, user=student, challenge_id="motsCles2-a", value="2")

    with pytest.raises(ChallengeAlreadyAnswered) as error:
        answer_record(assessment_id=assessment.pk, user=student, challenge_id="motsCles2-a", value="1")

    assert error.value.code == "CHALLENGE_ALREADY_ANSWERED"
    assert Answer.objects.filter(challenge_id="motsCles2-a").count() == 1
    assert Answer.objects.get().status == "ok"  # the first answer stands
    assessment.refresh_from_db()
    assert assessment.answers_count == 1


def test_a_question_that_is_not_the_one_served_is_refused(participation, student):
    assessment = start(participation)

    with pytest.raises(ChallengeNotServed) as error:
        answer_record(assessment_id=assessment.pk, user=student, challenge_id="motsCles3-a", value="2")

    assert "rechargez la page" in error.value.message
    assert not Answer.objects.exists()


def test_an_ended_test_takes_no_more_answers(participation, student):
    assessment = start(participation)
    answer(assessment, ok=True)
    assert answer(assessment, ok=True).ended

    with pytest.raises(AssessmentEnded):
        answer_record(assessment_id=assessment.pk, user=student, challenge_id="motsCles1-a", value="2")

    assert Answer.objects.count() == 2


@pytest.mark.parametrize("kind, value, message", [
    ("QCU", "", "Choisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("QCU", "7", "Cette réponse n'est pas l'une des propositions."),
    ("QCM", "", "Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("QROC", "   ", "Saisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("QROCM-ind", {"france": "", "italie": ""}, "Remplissez au moins un champ. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("QROCM-dep", {"a": "png"}, "Remplissez les champs de la question."),
])
def test_an_incomplete_answer_is_refused_and_nothing_is_recorded(one_question, student, kind, value, message):
    assessment = one_question(kind)

    with pytest.raises(InvalidAnswerValue) as error:
        answer_record(assessment_id=assessment.pk, user=student, challenge_id=current(assessment).pk, value=value)

    assert error.value.message == message and error.value.http_status == 400
    assert not Answer.objects.exists()
    assessment.refresh_from_db()
    assert assessment.answers_count == 0 and assessment.current_challenge_id == "question2-a"
    assert knowledge(student, "question") == (0, None)


def test_someone_elses_test_is_not_found(participation, other_student):
    assessment = start(participation)

    with pytest.raises(AssessmentNotFound):
        answer_record(assessment_id=assessment.pk, user=other_student, challenge_id="motsCles2-a", value="2")
    with pytest.raises(AssessmentNotFound):
        challenge_timer_start(assessment_id=assessment.pk, user=other_student, challenge_id="motsCles2-a")

    assert not Answer.objects.exists()


# --- Knowledge -----------------------------------------------------------------------------------------------------

@pytest.fixture
def five_levels(school, alice_admin, student):
    tube = TubeFactory(name="tableur")
    for level in range(1, 6):
        ChallengeFactory(id=f"tableur{level}-a", skill=SkillFactory(tube=tube, level=level))
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile_of((tube, 5)))
    return start(participation_of(campaign, student))


def test_a_right_answer_validates_the_easier_skills_a_wrong_one_invalidates_the_harder(five_levels, student):
    assert current(five_levels).pk == "tableur2-a"
    answer(five_levels, ok=True)
    assert knowledge(student, "tableur") == (2, None)  # level 1 validated with it
    failed = current(five_levels).skill.level
    assert failed > 2

    answer(five_levels, ok=False)

    assert knowledge(student, "tableur") == (2, failed)  # every level from ``failed`` up invalidated with it
    while not Assessment.objects.get(pk=five_levels.pk).is_completed:
        answer(five_levels, ok=True)
    levels = [a.skill.level for a in Answer.objects.filter(assessment=five_levels).order_by("index")]
    # Only the levels between the floor and the ceiling were asked afterwards; level 1 never.
    assert levels[:2] == [2, failed] and sorted(levels[2:]) == list(range(3, failed))
    assert knowledge(student, "tableur") == (failed - 1, failed)


def test_a_tube_without_its_knowledge_row_gets_one_at_its_first_answer(five_levels, student):
    # The rows are prepared when the test starts; a row missing since (a tube added by a release) is created.
    KnowledgeState.objects.filter(user=student).delete()
    answer(five_levels, ok=True)
    assert knowledge(student, "tableur") == (2, None)
    failed = current(five_levels).skill.level

    KnowledgeState.objects.filter(user=student).delete()
    answer(five_levels, ok=False)

    assert knowledge(student, "tableur") == (0, failed)  # the row made again knows only this answer
    assert KnowledgeState.objects.filter(user=student).count() == 1


def test_the_history_of_the_test_keeps_each_direct_answer(participation):
    assessment = start(participation)
    answer(assessment, ok=False)
    answer(assessment, ok=True)

    assessment.refresh_from_db()
    assert assessment.history == [[2, False, "motsCles2-a", False], [1, True, "motsCles1-a", False]]
    assert assessment.is_completed and assessment.completed_at is not None
    assert assessment.current_challenge is None


def test_the_participation_keeps_the_tests_progress_for_the_school(participation):
    assessment = start(participation)
    answer(assessment, ok=True)  # levels 1 and 2 of 3 settled

    participation.refresh_from_db()
    assert participation.progress == pytest.approx(2 / 3, abs=0.001)
    answer(assessment, ok=False)
    participation.refresh_from_db()
    assert participation.progress == 1


def test_the_participation_progress_counts_what_carries_over_from_the_start(participation, second_campaign,
                                                                            student):
    first = start(participation)
    answer(first, ok=True)  # levels 1 and 2 validated
    second = participation_of(second_campaign, student)

    start(second)

    second.refresh_from_db()
    assert second.progress == pytest.approx(2 / 3, abs=0.001)


def test_a_test_with_nothing_left_to_ask_starts_at_100(participation, second_campaign, student):
    fail_level_2_then_pass_level_1(start(participation))
    second = participation_of(second_campaign, student)

    assert start(second).is_completed

    second.refresh_from_db()
    assert second.progress == 1


def test_the_test_ends_and_never_asks_a_skill_twice_on_the_real_bank(content_bank, school, alice_admin, student):
    everything = TargetProfile.objects.get(key="les-16-competences")
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=everything)
    assessment = start(participation_of(campaign, student))
    chance = random.Random(8)

    outcomes = []
    while not Assessment.objects.get(pk=assessment.pk).is_completed:
        choice = chance.choice(["right", "wrong", "skip"])
        outcomes.append(answer(assessment, ok=choice == "right", skip=choice == "skip"))
        assert len(outcomes) <= campaign.campaign_skills.count()

    assert outcomes[-1].ended and not any(outcome.ended for outcome in outcomes[:-1])
    answers = list(Answer.objects.filter(assessment=assessment).order_by("index"))
    assert len({a.skill_id for a in answers}) == len(answers)
    assert [a.index for a in answers] == list(range(1, len(answers) + 1))
    # No two timed questions in a row; the campaign's skills are never exhausted by a test that ends early.
    timed = [a.challenge.timer is not None for a in answers]
    assert not any(a and b for a, b in zip(timed, timed[1:]))
    assessment.refresh_from_db()
    assert assessment.answers_count == len(answers) and assessment.current_challenge is None


# --- What carries over from earlier tests ---------------------------------------------------------------------------

@pytest.fixture
def second_campaign(school, alice_admin, target_profile):
    return assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile,
                               name="Deuxième campagne")


def test_a_skill_validated_in_another_campaign_is_not_asked_again(participation, second_campaign, student):
    first = start(participation)
    answer(first, ok=True)  # level 2: levels 1 and 2 validated

    second = start(participation_of(second_campaign, student))

    assert current(second).pk == "motsCles3-a"
    answer(second, ok=True)
    assert [a.challenge_id for a in Answer.objects.filter(assessment=second)] == ["motsCles3-a"]
    assert Assessment.objects.get(pk=second.pk).is_completed


def fail_level_2_then_pass_level_1(assessment):
    answer(assessment, ok=False)
    answer(assessment, ok=True)
    assert Assessment.objects.get(pk=assessment.pk).is_completed


def test_a_skill_failed_five_days_ago_is_asked_again(participation, second_campaign, student):
    fail_level_2_then_pass_level_1(start(participation))
    KnowledgeState.objects.filter(user=student).update(ceiling_at=days_ago(5))

    second = start(participation_of(second_campaign, student))

    assert current(second).pk == "motsCles2-a"


def test_a_skill_failed_two_days_ago_is_not_asked_again(participation, second_campaign, student):
    fail_level_2_then_pass_level_1(start(participation))
    KnowledgeState.objects.filter(user=student).update(ceiling_at=days_ago(2))

    second = start(participation_of(second_campaign, student))

    # Level 1 validated, levels 2 and 3 failed recently: nothing is left to ask.
    second.refresh_from_db()
    assert second.is_completed and second.current_challenge is None
    assert not Answer.objects.filter(assessment=second).exists()


@override_settings(ASSESSMENT_RETRY_DAYS=1)
def test_the_retry_window_is_a_setting(participation, second_campaign, student):
    fail_level_2_then_pass_level_1(start(participation))
    KnowledgeState.objects.filter(user=student).update(ceiling_at=days_ago(2))

    assert current(start(participation_of(second_campaign, student))).pk == "motsCles2-a"


def test_a_failure_asked_again_and_passed_lifts_the_ceiling(participation, second_campaign, student):
    fail_level_2_then_pass_level_1(start(participation))
    KnowledgeState.objects.filter(user=student).update(ceiling_at=days_ago(5))
    second = start(participation_of(second_campaign, student))

    answer(second, ok=True)  # level 2, right this time

    assert knowledge(student, "motsCles") == (2, None)
    assert current(second).pk == "motsCles3-a"


# --- Placement tests on « Mon profil » ------------------------------------------------------------------------------

def test_a_placement_test_asks_only_the_skills_of_its_competence(content_bank, student):
    assessment = assessment_start_for_competence(user=student, competence_code="2.1")
    chance = random.Random(21)

    while not Assessment.objects.get(pk=assessment.pk).is_completed:
        answer(assessment, ok=chance.random() < 0.6)

    answers = Answer.objects.filter(assessment=assessment).select_related("skill__tube__competence")
    assert answers.exists()
    assert {a.skill.tube.competence.code for a in answers} == {"2.1"}
    assert len({a.skill_id for a in answers}) == answers.count()
    assessment.refresh_from_db()
    assert assessment.type == "PLACEMENT" and assessment.participation is None
    assert assessment.competence.code == "2.1"


def test_a_placement_test_resumes_where_it_stopped(content_bank, student):
    first = assessment_start_for_competence(user=student, competence_code="1.1")
    answer(first, ok=True)
    served = current(first).pk

    again = assessment_start_for_competence(user=student, competence_code="1.1")

    assert again.pk == first.pk and current(again).pk == served
    assert Assessment.objects.filter(type="PLACEMENT").count() == 1


def finish(assessment):
    while not Assessment.objects.get(pk=assessment.pk).is_completed:
        answer(assessment, ok=False)


def test_retenter_is_refused_before_four_days_with_the_date(content_bank, student):
    first = assessment_start_for_competence(user=student, competence_code="1.1")
    finish(first)
    completed_at = Assessment.objects.get(pk=first.pk).completed_at
    Assessment.objects.filter(pk=first.pk).update(completed_at=completed_at - datetime.timedelta(days=3))

    with pytest.raises(RetryNotYet) as error:
        assessment_start_for_competence(user=student, competence_code="1.1")

    retry_at = timezone.localtime(completed_at + datetime.timedelta(days=1))
    assert error.value.http_status == 409
    assert f"à partir du {retry_at:%d/%m/%Y à %H:%M}" in error.value.message
    assert re.search(r"\d\d/\d\d/\d{4} à \d\d:\d\d", error.value.message)
    assert Assessment.objects.filter(type="PLACEMENT").count() == 1


def test_retenter_after_four_days_starts_a_new_test_that_asks_the_failures_again(content_bank, student):
    first = assessment_start_for_competence(user=student, competence_code="1.1")
    finish(first)
    Assessment.objects.filter(pk=first.pk).update(completed_at=days_ago(5))
    KnowledgeState.objects.filter(user=student).update(ceiling_at=days_ago(5))

    second = assessment_start_for_competence(user=student, competence_code="1.1")

    assert second.pk != first.pk and second.state == "started"
    skill = current(second).skill
    # Everything was failed the first time: the question now served is a failure of the first test asked again.
    assert skill.level >= KnowledgeState.objects.get(user=student, tube=skill.tube).ceiling
    assert Assessment.objects.filter(type="PLACEMENT", state="started").count() == 1


def test_an_unknown_competence_is_not_found(content_bank, student):
    with pytest.raises(CompetenceNotFound) as error:
        assessment_start_for_competence(user=student, competence_code="9.9")
    assert error.value.http_status == 404 and "Mon profil" in error.value.message


def test_a_placement_test_and_a_campaign_share_the_knowledge(participation, student):
    campaign_test = start(participation)
    answer(campaign_test, ok=True)  # levels 1 and 2 of motsCles (competence 1.1)

    placement = assessment_start_for_competence(user=student, competence_code="1.1")

    assert current(placement).pk == "motsCles3-a"


# --- Problem reports -----------------------------------------------------------------------------------------------

def test_a_problem_report_on_the_question_served_is_kept_for_staff(participation, student):
    assessment = start(participation)

    challenge_report(assessment_id=assessment.pk, user=student, challenge_id="motsCles2-a", category="ANSWER",
                     text="  Ma réponse est juste.  ")

    report = ChallengeReport.objects.get()
    assert (report.challenge_id, report.category, report.text, report.user) == (
        "motsCles2-a", "ANSWER", "Ma réponse est juste.", student)
    assert report.assessment_id == assessment.pk


def test_a_problem_report_on_a_question_never_seen_or_without_category_is_refused(participation, student):
    assessment = start(participation)

    with pytest.raises(ChallengeNotServed):
        challenge_report(assessment_id=assessment.pk, user=student, challenge_id="motsCles3-a", category="OTHER")
    with pytest.raises(InvalidAnswerValue) as error:
        challenge_report(assessment_id=assessment.pk, user=student, challenge_id="motsCles2-a", category="")

    assert error.value.message == "Choisissez le type de problème."
    assert not ChallengeReport.objects.exists()


def test_a_problem_report_too_long_is_refused_with_the_limit_written_in_french(participation, student):
    assessment = start(participation)

    with pytest.raises(InvalidAnswerValue) as error:
        challenge_report(assessment_id=assessment.pk, user=student, challenge_id="motsCles2-a", category="OTHER",
                         text="a" * 10_001)

    assert error.value.message == "Votre message ne peut pas dépasser 10\u202f000 caractères."
    assert not ChallengeReport.objects.exists()
