"""Reads of the student side, scoped by the acting account: a test, its progress, its checkpoint, « Mon profil »
(pix, levels, the placement buttons), « Mes parcours »."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from assessments.errors import AssessmentNotFound
from assessments.models import Assessment, KnowledgeState
from assessments.selectors import (
    assessment_for_owner,
    assessment_progress,
    checkpoint_answers,
    participations_for_user,
    profile_for_user,
    profile_score_for_user,
)
from assessments.services import assessment_start_for_competence, assessment_start_for_participation
from assessments.tests.helpers import (  # noqa: F401  (fixtures)
    answer,
    assessment_campaign,
    days_ago,
    fast_password_hashing,
    fresh_skill_sets,
    other_student,
    participation_of,
    student,
)
from campaigns.models import Participation
from content.factories import (
    AreaFactory,
    ChallengeFactory,
    CompetenceFactory,
    SkillFactory,
    TargetProfileFactory,
    TubeFactory,
)
from content.models import Competence, Skill


@pytest.fixture
def campaign(school, alice_admin, target_profile):
    return assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)


def started(campaign, user):
    return assessment_start_for_participation(participation_id=participation_of(campaign, user).pk, user=user)


# --- A test ---------------------------------------------------------------------------------------------------------

def test_a_test_is_read_by_its_owner_only(campaign, student, other_student, alice_admin):
    assessment = started(campaign, student)

    assert assessment_for_owner(user=student, assessment_id=assessment.pk).pk == assessment.pk
    for intruder in (other_student, alice_admin):
        with pytest.raises(AssessmentNotFound):
            assessment_for_owner(user=intruder, assessment_id=assessment.pk)


def test_progress_is_the_share_of_the_campaign_skills_tested(campaign, student):
    assessment = started(campaign, student)
    assert assessment_progress(assessment) == 0.0

    answer(assessment, ok=True)  # level 2: levels 1 and 2 of 3 settled
    assessment.refresh_from_db()
    assert assessment_progress(assessment) == 0.667

    answer(assessment, ok=True)
    assessment.refresh_from_db()
    assert assessment.is_completed and assessment_progress(assessment) == 1.0


def test_progress_counts_what_carries_over_but_not_failures_asked_again(school, alice_admin, target_profile,
                                                                       student):
    tube = target_profile.capped_tubes.get().tube
    KnowledgeState.objects.create(user=student, tube=tube, floor=1, ceiling=2, ceiling_at=days_ago(5))
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)

    assessment = started(campaign, student)

    # Level 1 validated earlier counts; levels 2–3, failed 5 days ago, will be asked again.
    assert assessment_progress(assessment) == 0.333
    assert assessment.current_challenge_id == "motsCles2-a"


def test_progress_of_a_placement_test(student):
    tube = TubeFactory(competence=CompetenceFactory(code="3.2"))
    for level in (1, 2, 3, 4):
        ChallengeFactory(skill=SkillFactory(tube=tube, level=level))
    placement = assessment_start_for_competence(user=student, competence_code="3.2")
    answer(placement, ok=True)  # level 2

    placement.refresh_from_db()
    assert assessment_progress(placement) == 0.5


@pytest.fixture
def long_test(school, alice_admin, student):
    """Six tubes of levels 1–3: enough questions for two checkpoints."""
    tubes = []
    for _ in range(6):
        tube = TubeFactory()
        for level in (1, 2, 3):
            ChallengeFactory(skill=SkillFactory(tube=tube, level=level))
        tubes.append((tube, 3))
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfileFactory(tubes=tubes))
    return started(campaign, student)


def test_a_checkpoint_shows_the_answers_since_the_last_one(long_test):
    assert checkpoint_answers(long_test) == []
    seen = []
    for _ in range(7):
        answer(long_test, ok=False)
        long_test.refresh_from_db()
        seen.append([a.index for a in checkpoint_answers(long_test)])

    assert seen == [[1], [1, 2], [1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5], [6], [6, 7]]


# --- « Mon profil » -------------------------------------------------------------------------------------------------

@pytest.fixture
def framework(db):
    """Two areas, three competences; 1.1 has two tubes of levels 1–3 (4 pix each), 2.1 one of levels 1–6."""
    information = AreaFactory(code="1", name="Information et données")
    communication = AreaFactory(code="2", name="Communication et collaboration")
    search = CompetenceFactory(code="1.1", name="Mener une recherche", area=information)
    CompetenceFactory(code="1.2", name="Gérer des données", area=information)
    interact = CompetenceFactory(code="2.1", name="Interagir", area=communication)
    tubes = {}
    for name, competence, top in (("motsCles", search, 3), ("sources", search, 3), ("messagerie", interact, 6)):
        tubes[name] = TubeFactory(name=name, competence=competence)
        for level in range(1, top + 1):
            SkillFactory(tube=tubes[name], level=level, pix_value=4.0)
    return tubes


def test_pix_and_levels_come_from_the_validated_skills(framework, student):
    KnowledgeState.objects.create(user=student, tube=framework["motsCles"], floor=3, ceiling=None)
    KnowledgeState.objects.create(user=student, tube=framework["sources"], floor=1, ceiling=2,
                                  ceiling_at=timezone.now())

    score = profile_score_for_user(user_id=student.pk)

    # 1.1: 3 + 1 skills × 4 pix = 16 pix, level 2; the others 0.
    assert score.competences["1.1"].pix == 16 and score.competences["1.1"].level == 2
    assert score.competences["1.2"].pix == 0 and score.competences["2.1"].level == 0
    assert score.pix_score == 16 and score.certifiable_competences == 1 and not score.certifiable


@override_settings(MAX_REACHABLE_LEVEL=2)
def test_pix_stop_at_the_highest_level_open(framework, student):
    KnowledgeState.objects.create(user=student, tube=framework["messagerie"], floor=6)

    score = profile_score_for_user(user_id=student.pk)

    # 6 skills × 4 = 24 pix, capped at 2 × 8.
    assert score.competences["2.1"].pix == 16 and score.competences["2.1"].level == 2


def test_archived_skills_no_longer_count(framework, student):
    Skill.objects.filter(tube=framework["messagerie"], level__gte=2).update(status=Skill.Status.ARCHIVED)
    KnowledgeState.objects.create(user=student, tube=framework["messagerie"], floor=6)

    assert profile_score_for_user(user_id=student.pk).competences["2.1"].pix == 4


def test_another_students_knowledge_is_not_in_my_profile(framework, student, other_student):
    KnowledgeState.objects.create(user=other_student, tube=framework["messagerie"], floor=6)

    assert profile_score_for_user(user_id=student.pk).pix_score == 0


def test_the_profile_groups_competences_by_area_with_their_placement_button(framework, student):
    Assessment.objects.create(user=student, type="PLACEMENT", competence=Competence.objects.get(code="1.1"),
                              state="completed", completed_at=days_ago(6))
    Assessment.objects.create(user=student, type="PLACEMENT", competence=Competence.objects.get(code="1.1"))
    soon = Assessment.objects.create(user=student, type="PLACEMENT", competence=Competence.objects.get(code="2.1"),
                                     state="completed", completed_at=days_ago(1))

    profile = profile_for_user(user=student)

    assert [(code, name, [c.code for c in items]) for code, name, items in profile.areas()] == [
        ("1", "Information et données", ["1.1", "1.2"]), ("2", "Communication et collaboration", ["2.1"])]
    actions = {c.code: c.action for c in profile.competences}
    # 1.1: the newest placement is in progress; 1.2: never started; 2.1: finished yesterday, not yet.
    assert actions == {"1.1": "Reprendre", "1.2": "Commencer", "2.1": ""}
    later = next(c for c in profile.competences if c.code == "2.1")
    assert later.retry_at == soon.completed_at + datetime.timedelta(days=4)
    assert profile.missing_for_certifiable == 5 and profile.max_level == 6


def test_retenter_once_the_retry_window_has_passed(framework, student):
    Assessment.objects.create(user=student, type="PLACEMENT", competence=Competence.objects.get(code="1.2"),
                              state="completed", completed_at=days_ago(4.01))

    assert {c.code: c.action for c in profile_for_user(user=student).competences}["1.2"] == "Retenter"


def test_next_level_pix_is_what_is_left_to_the_next_level(framework, student):
    KnowledgeState.objects.create(user=student, tube=framework["motsCles"], floor=3)  # 12 pix

    search = next(c for c in profile_for_user(user=student).competences if c.code == "1.1")

    assert (search.pix, search.level, search.next_level_pix) == (12, 1, 4)


# --- « Mes parcours » -----------------------------------------------------------------------------------------------

def test_mes_parcours_lists_my_current_participations_newest_first_with_their_test(school, alice_admin,
                                                                                 target_profile, student,
                                                                                 other_student):
    first = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile, name="Un")
    second = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile, name="Deux")
    old = participation_of(first, student)
    Participation.objects.filter(pk=old.pk).update(is_current=False)
    current_first = Participation.objects.create(campaign=first, user=student, status="STARTED")
    newest = participation_of(second, student)
    Participation.objects.filter(pk=current_first.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    test = assessment_start_for_participation(participation_id=newest.pk, user=student)
    participation_of(first, other_student)

    listed = participations_for_user(user=student)

    assert [p.pk for p in listed] == [newest.pk, current_first.pk]
    assert listed[0].assessment.pk == test.pk
    assert listed[0].campaign.organization.name == "Lycée Pix"
