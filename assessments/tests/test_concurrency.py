"""Races on PostgreSQL with real threads and row locks: a double click on « Je valide », two « Je commence » at
once, two tests of one student answering on the same tube at once, a double click on « Voir mes résultats »."""

import pytest

from assessments.errors import ChallengeAlreadyAnswered
from assessments.models import Answer, Assessment, KnowledgeState
from assessments.services import (
    answer_record,
    assessment_start_for_competence,
    assessment_start_for_participation,
    participation_share,
)
from assessments.tests.helpers import (  # noqa: F401  (fixtures)
    assessment_campaign,
    fast_password_hashing,
    fresh_skill_sets,
    participation_of,
)
from accounts.factories import UserFactory
from campaigns.errors import ParticipationAlreadyShared
from pixorga.testing import run_together

THREADS = 8


@pytest.fixture
def campaign(school, alice_admin, target_profile):
    return assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_identical_answers_at_once_record_one_and_advance_the_test_once(campaign):
    student = UserFactory()
    participation = participation_of(campaign, student)
    assessment = assessment_start_for_participation(participation_id=participation.pk, user=student)
    assert assessment.current_challenge_id == "motsCles2-a"

    results = run_together(lambda i: answer_record(assessment_id=assessment.pk, user=student,
                                                   challenge_id="motsCles2-a", value="2").status, THREADS)

    assert [value for kind, value in results if kind == "ok"] == ["ok"]
    errors = [value for kind, value in results if kind == "error"]
    assert len(errors) == THREADS - 1 and all(isinstance(error, ChallengeAlreadyAnswered) for error in errors)
    assert Answer.objects.filter(assessment=assessment).count() == 1
    assessment.refresh_from_db()
    assert assessment.answers_count == 1 and len(assessment.history) == 1
    assert assessment.current_challenge_id == "motsCles3-a"
    row = KnowledgeState.objects.get(user=student)
    assert (row.floor, row.ceiling) == (2, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_je_commence_clicked_twice_at_once_creates_one_test(campaign):
    student = UserFactory()
    participation = participation_of(campaign, student)

    results = run_together(lambda i: assessment_start_for_participation(participation_id=participation.pk,
                                                                        user=student).pk, THREADS)

    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({value for _, value in results}) == 1
    assert Assessment.objects.filter(participation=participation).count() == 1
    assert KnowledgeState.objects.filter(user=student).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_commencer_a_placement_test_twice_at_once_creates_one_test(target_profile):
    student = UserFactory()

    results = run_together(lambda i: assessment_start_for_competence(user=student, competence_code="1.1").pk,
                           THREADS)

    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({value for _, value in results}) == 1
    assert Assessment.objects.filter(user=student, type="PLACEMENT").count() == 1


def two_tests_on_the_same_tube(campaign, student):
    """A campaign test and a placement test (competence 1.1, the same tube « motsCles »), both serving level 2."""
    in_campaign = assessment_start_for_participation(participation_id=participation_of(campaign, student).pk,
                                                     user=student)
    placement = assessment_start_for_competence(user=student, competence_code="1.1")
    assert in_campaign.current_challenge_id == placement.current_challenge_id == "motsCles2-a"
    return in_campaign, placement


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_ok, second_ok, expected", [
    (True, False, (2, None)),  # either order: the failure at level 2 cannot undo the success at level 2
    (False, False, (0, 2)),
    (True, True, (2, None)),
])
def test_two_tests_answering_one_tube_at_once_keep_the_knowledge_as_if_one_after_the_other(
        campaign, first_ok, second_ok, expected):
    for _round in range(4):  # several students: several chances for the two updates to meet
        student = UserFactory()
        tests = two_tests_on_the_same_tube(campaign, student)
        values = ["2" if first_ok else "1", "2" if second_ok else "1"]

        results = run_together(lambda i: answer_record(assessment_id=tests[i].pk, user=student,
                                                       challenge_id="motsCles2-a", value=values[i]).status, 2)

        assert [value for _, value in results] == ["ok" if first_ok else "ko", "ok" if second_ok else "ko"]
        row = KnowledgeState.objects.get(user=student)
        assert (row.floor, row.ceiling) == expected
        assert (row.ceiling_at is None) == (expected[1] is None)
        assert Answer.objects.filter(user=student).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_voir_mes_resultats_clicked_twice_at_once_sends_once(campaign):
    student = UserFactory()
    participation = participation_of(campaign, student)
    assessment = assessment_start_for_participation(participation_id=participation.pk, user=student)
    answer_record(assessment_id=assessment.pk, user=student, challenge_id="motsCles2-a", value="2")
    answer_record(assessment_id=assessment.pk, user=student, challenge_id="motsCles3-a", value="1")

    results = run_together(lambda i: participation_share(participation_id=participation.pk, user=student).pk,
                           THREADS)

    assert [kind for kind, _ in results].count("ok") == 1
    errors = [value for kind, value in results if kind == "error"]
    assert all(isinstance(error, ParticipationAlreadyShared) for error in errors), errors
    participation.refresh_from_db()
    assert participation.status == "SHARED" and participation.mastery_rate == pytest.approx(2 / 3)
    assert participation.tube_results.count() == 1 and participation.competence_results.count() == 1
