"""Sending results to the school: what the snapshot holds (checked against numbers computed by hand), profiles
collections, double sends, and « Repasser mon parcours » with multiple sendings."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Assessment, KnowledgeState
from assessments.services import assessment_start_for_participation, participation_share
from assessments.tests.helpers import (  # noqa: F401  (fixtures)
    answer,
    assessment_campaign,
    current,
    days_ago,
    fast_password_hashing,
    fresh_skill_sets,
    other_student,
    participation_of,
    student,
)
from campaigns.errors import (
    CampaignArchived,
    ParticipationAlreadyShared,
    ParticipationNotFound,
    ParticipationNotShareable,
)
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Participation
from campaigns.services.joining import campaign_join
from campaigns.services.participations import participation_can_start_again
from content.factories import (
    BadgeCriterionFactory,
    BadgeFactory,
    ChallengeFactory,
    CompetenceFactory,
    SkillFactory,
    StageFactory,
    TargetProfileFactory,
    TubeFactory,
)
from students.factories import LearnerFactory


def start(participation):
    return assessment_start_for_participation(participation_id=participation.pk, user=participation.user)


def share(participation):
    participation_share(participation_id=participation.pk, user=participation.user)
    participation.refresh_from_db()
    return participation


def know(user, tube, floor, ceiling=None, ceiling_at=None):
    """What the student knows of a tube from earlier tests."""
    KnowledgeState.objects.update_or_create(user=user, tube=tube, defaults={
        "floor": floor, "ceiling": ceiling, "ceiling_at": ceiling_at or (timezone.now() if ceiling else None)})


# --- The snapshot --------------------------------------------------------------------------------------------------

@pytest.fixture
def security(db):
    """A hand-built parcours: « motsDePasse » (1.1, levels 1–4) and « courriel » (1.2, levels 1–2); three stages
    (0 %, 50 %, 80 %), three badges."""
    passwords = TubeFactory(name="motsDePasse", competence=CompetenceFactory(code="1.1", name="Chercher"))
    mails = TubeFactory(name="courriel", competence=CompetenceFactory(code="1.2", name="Évaluer"))
    for tube, levels in ((passwords, 4), (mails, 2)):
        for level in range(1, levels + 1):
            ChallengeFactory(id=f"{tube.name}{level}-a", skill=SkillFactory(tube=tube, level=level))
    profile = TargetProfileFactory(name="Protéger ses comptes", tubes=[(passwords, 4), (mails, 2)])
    StageFactory(target_profile=profile, threshold=0, title="Premiers pas", message="Tout commence ici.")
    StageFactory(target_profile=profile, threshold=50, title="Sur la bonne voie", message="Continuez ainsi !")
    StageFactory(target_profile=profile, threshold=80, title="Presque expert", message="Bravo.")
    vigilant = BadgeFactory(target_profile=profile, key="vigilant", title="Vigilant", message="Bons réflexes.")
    BadgeCriterionFactory(badge=vigilant, scope="CAMPAIGN", threshold=60)
    BadgeCriterionFactory(badge=vigilant, scope="TUBES", threshold=80, tubes=[{"tube": "motsDePasse", "level": 4}])
    beginner = BadgeFactory(target_profile=profile, key="debutant", title="Débutant")
    BadgeCriterionFactory(badge=beginner, scope="CAMPAIGN", threshold=50)
    mail = BadgeFactory(target_profile=profile, key="courriel", title="Courriel")
    BadgeCriterionFactory(badge=mail, scope="TUBES", threshold=100, tubes=[{"tube": "courriel", "level": 1}])
    return profile, passwords, mails


def test_the_snapshot_holds_mastery_competences_tubes_stage_and_badges(security, school, alice_admin, student):
    profile, passwords, mails = security
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile)
    # Known from earlier tests: levels 1–3 of motsDePasse (4 failed), level 1 of courriel (2 failed).
    know(student, passwords, 3, 4)
    know(student, mails, 1, 2)
    participation = participation_of(campaign, student)
    assert start(participation).is_completed  # nothing left to ask

    shared = share(participation)

    assert shared.status == "SHARED" and shared.shared_at is not None
    # 4 of the 6 skills: A1, A2, A3 and B1.
    assert shared.mastery_rate == pytest.approx(4 / 6) and shared.validated_skills_count == 4
    results = shared.results
    assert results["skills_count"] == 6
    assert results["competences"] == {
        "1.1": {"name": "Chercher", "total": 4, "validated": 3, "mastery_rate": 0.75},
        "1.2": {"name": "Évaluer", "total": 2, "validated": 1, "mastery_rate": 0.5},
    }
    assert results["tubes"][str(passwords.pk)] == {
        "name": "motsDePasse", "competence": "1.1", "max": 4, "reached": 3, "validated": 3, "failed": 1,
        "total": 4, "levels": {"1": "validated", "2": "validated", "3": "validated", "4": "failed"}}
    assert results["tubes"][str(mails.pk)] == {
        "name": "courriel", "competence": "1.2", "max": 2, "reached": 1, "validated": 1, "failed": 1, "total": 2,
        "levels": {"1": "validated", "2": "failed"}}
    # Thresholds 0, 50 and 80 %: 66.7 % reaches the second (one star of two).
    assert results["stage"] == {"reached": 1, "total": 2, "title": "Sur la bonne voie",
                                "message": "Continuez ainsi !", "prescriber_title": "", "threshold": 50}
    # Vigilant: campaign 66.7 % ≥ 60 % (100), motsDePasse 3/4 = 75 % of 80 % (94) → not obtained, (100+94)/2 = 97.
    assert results["badges"] == [
        {"key": "vigilant", "title": "Vigilant", "message": "Bons réflexes.", "obtained": False, "progress": 97},
        {"key": "debutant", "title": "Débutant", "message": "", "obtained": True, "progress": 100},
        {"key": "courriel", "title": "Courriel", "message": "", "obtained": True, "progress": 100},
    ]
    # The same per competence and per tube as rows, for the school's analysis.
    assert sorted(shared.competence_results.values_list("competence__code", "validated", "total")) == [
        ("1.1", 3, 4), ("1.2", 1, 2)]
    assert sorted(shared.tube_results.values_list("tube__name", "reached", "max_level", "next_level", "validated",
                                                  "failed", "total")) == [
        ("courriel", 1, 2, 2, 1, 1, 2), ("motsDePasse", 3, 4, 4, 3, 1, 4)]
    assert shared.is_latest_shared


def test_a_snapshot_below_every_stage_but_zero_reaches_the_zero_stage(security, school, alice_admin, student):
    profile, passwords, mails = security
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile)
    know(student, passwords, 0, 1)
    know(student, mails, 0, 1)
    participation = participation_of(campaign, student)
    start(participation)

    results = share(participation).results

    assert participation.mastery_rate == 0 and participation.validated_skills_count == 0
    assert results["stage"]["reached"] == 0 and results["stage"]["title"] == "Premiers pas"
    assert [(b["key"], b["obtained"], b["progress"]) for b in results["badges"]] == [
        ("vigilant", False, 0), ("debutant", False, 0), ("courriel", False, 0)]


def test_the_snapshot_of_a_test_taken_answer_by_answer(school, alice_admin, target_profile, student):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    participation = participation_of(campaign, student)
    assessment = start(participation)
    answer(assessment, ok=True)  # level 2 (and 1)
    assert answer(assessment, ok=False).ended  # level 3

    shared = share(participation)

    assert shared.mastery_rate == pytest.approx(2 / 3) and shared.validated_skills_count == 2
    tube = next(iter(shared.results["tubes"].values()))
    assert tube["levels"] == {"1": "validated", "2": "validated", "3": "failed"}
    assert shared.results["stage"] is None and shared.results["badges"] == []


def test_a_tube_validated_to_its_top_has_no_next_level(school, alice_admin, target_profile, student):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    participation = participation_of(campaign, student)
    assessment = start(participation)
    answer(assessment, ok=True)
    answer(assessment, ok=True)

    shared = share(participation)

    assert list(shared.tube_results.values_list("reached", "max_level", "next_level", "validated", "failed")) == [
        (3, 3, None, 3, 0)]
    assert list(shared.competence_results.values_list("validated", "total")) == [(3, 3)]


def test_the_snapshot_stays_as_sent_when_the_student_learns_more(school, alice_admin, target_profile, student):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    participation = participation_of(campaign, student)
    assessment = start(participation)
    answer(assessment, ok=True)
    answer(assessment, ok=False)
    share(participation)

    KnowledgeState.objects.filter(user=student).update(floor=3, ceiling=None, ceiling_at=None)

    participation.refresh_from_db()
    assert participation.mastery_rate == pytest.approx(2 / 3)
    assert next(iter(participation.results["tubes"].values()))["validated"] == 2


def test_an_unfinished_test_cannot_be_sent(school, alice_admin, target_profile, student):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    participation = participation_of(campaign, student)

    with pytest.raises(ParticipationNotShareable) as never_started:
        participation_share(participation_id=participation.pk, user=student)
    start(participation)
    with pytest.raises(ParticipationNotShareable) as in_progress:
        participation_share(participation_id=participation.pk, user=student)

    assert "Terminez d'abord votre parcours" in in_progress.value.message
    assert never_started.value.http_status == in_progress.value.http_status == 409
    participation.refresh_from_db()
    assert participation.status == "STARTED" and participation.mastery_rate is None


def test_sending_twice_says_it_is_already_sent(school, alice_admin, target_profile, student):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    participation = participation_of(campaign, student)
    assessment = start(participation)
    answer(assessment, ok=True)
    answer(assessment, ok=True)
    first = share(participation).shared_at

    with pytest.raises(ParticipationAlreadyShared):
        participation_share(participation_id=participation.pk, user=student)

    participation.refresh_from_db()
    assert participation.shared_at == first and participation.mastery_rate == 1


def test_someone_elses_participation_cannot_be_sent(school, alice_admin, target_profile, student, other_student):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    participation = participation_of(campaign, student)

    for intruder in (other_student, alice_admin):
        with pytest.raises(ParticipationNotFound):
            participation_share(participation_id=participation.pk, user=intruder)


def test_a_finished_test_of_an_archived_campaign_cannot_be_sent(school, alice_admin, target_profile, student):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    participation = participation_of(campaign, student)
    assessment = start(participation)
    answer(assessment, ok=True)
    answer(assessment, ok=True)
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    with pytest.raises(CampaignArchived):
        participation_share(participation_id=participation.pk, user=student)

    participation.refresh_from_db()
    assert participation.status == "STARTED"


# --- Profiles collections ------------------------------------------------------------------------------------------

@pytest.fixture
def six_competences(db):
    """Six competences of area 1–2, each one tube of levels 1–2 worth 4 pix a skill."""
    tubes = []
    for code in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3"):
        tube = TubeFactory(competence=CompetenceFactory(code=code))
        for level in (1, 2):
            SkillFactory(tube=tube, level=level, pix_value=4.0)
        tubes.append(tube)
    return tubes


@pytest.fixture
def collection(school, alice_admin):
    return CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION)


def test_a_profiles_collection_stores_pix_levels_and_certifiable(six_competences, collection, student):
    for tube in six_competences[:5]:
        know(student, tube, 2)  # 8 pix: level 1
    know(student, six_competences[5], 1)  # 4 pix: level 0
    participation = participation_of(collection, student)

    shared = share(participation)

    assert shared.status == "SHARED" and shared.pix_score == 44 and shared.is_certifiable is True
    assert shared.results["certifiable_competences"] == 5
    assert shared.results["competences"]["1.1"] == {"pix": 8, "level": 1}
    assert shared.results["competences"]["2.3"] == {"pix": 4, "level": 0}
    assert shared.mastery_rate is None


def test_four_competences_at_level_1_are_not_certifiable(six_competences, collection, student):
    for tube in six_competences[:4]:
        know(student, tube, 2)
    participation = participation_of(collection, student)

    shared = share(participation)

    assert shared.pix_score == 32 and shared.is_certifiable is False
    assert shared.results["certifiable_competences"] == 4


def test_a_profile_is_sent_once(six_competences, collection, student):
    participation = participation_of(collection, student)
    share(participation)

    with pytest.raises(ParticipationAlreadyShared):
        participation_share(participation_id=participation.pk, user=student)


# --- Multiple sendings: « Repasser mon parcours » -------------------------------------------------------------------

@pytest.fixture
def joined(school, alice_admin, target_profile, student):
    """The student (a learner of the school) joins an assessment with multiple sendings."""
    LearnerFactory(organization=school, user=student, first_name="Éloïse", family_name="Dupré")

    def join(multiple_sendings=True):
        campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile,
                                       multiple_sendings=multiple_sendings)
        return campaign, campaign_join(campaign=campaign, user=student, confirm=True).participation
    return join


def take_and_share(participation, *, level_3_right: bool):
    assessment = start(participation)
    answer(assessment, ok=True)
    answer(assessment, ok=level_3_right)
    return share(participation)


def shared_days_ago(participation, days):
    Participation.objects.filter(pk=participation.pk).update(shared_at=days_ago(days))
    participation.refresh_from_db()


def test_repasser_is_possible_four_days_after_sending_below_100(joined, student):
    campaign, participation = joined()
    take_and_share(participation, level_3_right=False)

    # Just sent: joining again returns the sent participation.
    assert not participation_can_start_again(participation)
    again = campaign_join(campaign=campaign, user=student, confirm=True)
    assert again.participation.pk == participation.pk and not again.created

    shared_days_ago(participation, 3)
    assert not participation_can_start_again(participation)
    shared_days_ago(participation, 4.01)
    assert participation_can_start_again(participation)

    # The failure is as old (the retry window): the new test asks level 3 again.
    KnowledgeState.objects.filter(user=student).update(ceiling_at=days_ago(4.01))
    retry = campaign_join(campaign=campaign, user=student, confirm=True)

    assert retry.created and retry.participation.pk != participation.pk
    assert retry.participation.status == "STARTED" and retry.participation.is_current
    participation.refresh_from_db()
    assert not participation.is_current and participation.status == "SHARED"
    assert participation.mastery_rate == pytest.approx(2 / 3)  # the first sending stays as history
    second = start(retry.participation)
    assert second.pk != Assessment.objects.get(participation=participation).pk
    assert current(second).pk == "motsCles3-a"

    answer(second, ok=True)
    latest = share(retry.participation)
    participation.refresh_from_db()
    # The school counts the latest sending only; both keep their results.
    assert latest.is_latest_shared and not participation.is_latest_shared
    assert latest.mastery_rate == 1 and participation.mastery_rate == pytest.approx(2 / 3)
    assert latest.tube_results.get().reached == 3 and participation.tube_results.get().reached == 2


def test_repasser_is_never_offered_at_100(joined, student):
    campaign, participation = joined()
    take_and_share(participation, level_3_right=True)
    shared_days_ago(participation, 30)

    assert participation.mastery_rate == 1
    assert not participation_can_start_again(participation)
    assert campaign_join(campaign=campaign, user=student, confirm=True).participation.pk == participation.pk


def test_repasser_needs_multiple_sendings(joined, student):
    campaign, participation = joined(multiple_sendings=False)
    take_and_share(participation, level_3_right=False)
    shared_days_ago(participation, 30)

    assert not participation_can_start_again(participation)
    outcome = campaign_join(campaign=campaign, user=student, confirm=True)
    assert outcome.participation.pk == participation.pk and not outcome.created
    assert Participation.objects.filter(campaign=campaign).count() == 1


def test_repasser_needs_the_results_sent(joined, student):
    campaign, participation = joined()
    assessment = start(participation)
    answer(assessment, ok=True)
    answer(assessment, ok=False)  # finished, not sent
    Participation.objects.filter(pk=participation.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))

    participation.refresh_from_db()
    assert not participation_can_start_again(participation)
    assert campaign_join(campaign=campaign, user=student, confirm=True).participation.pk == participation.pk
