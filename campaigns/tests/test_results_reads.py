"""What the school's tabs read (campaigns.selectors.results), on results made through the services — students of
two classes join, take the whole test and send it — checked against numbers computed by hand.

The campaign of most tests: two tubes (competences 1.1 and 2.1), levels 1 to 3 each (6 skills), stages at 0 and
50 %, a badge at 60 % of the campaign. Four students, one level for both tubes:

    Arnaud (2NDE1) level 1 → 2/6      Bernard (2NDE1) level 3 → 6/6
    Carré  (2NDE2) level 0 → 0/6      Dubois  (2NDE2) level 2 → 4/6
"""

import pytest

from campaigns.models import Participation
from campaigns.selectors.results import (
    activity_read,
    analysis_read,
    badge_options,
    latest_shared,
    profiles_summary,
    results_count,
    results_list,
    results_summary,
    stage_options,
    student_results_read,
)
from campaigns.services.joining import campaign_join
from campaigns.tests.results_helpers import (  # noqa: F401
    assessment_campaign,
    fast_password_hashing,
    profile_with_competences,
    profiles_campaign,
    retake,
    sent_result,
    started,
    take_test,
)
from assessments.services.sharing import participation_share
from content.factories import BadgeCriterionFactory, BadgeFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(db):
    profile = profile_with_competences(("1.1", "2.1"), levels=3)
    StageFactory(target_profile=profile, threshold=0, title="Premiers pas", prescriber_title="À accompagner")
    StageFactory(target_profile=profile, threshold=50, title="Bien parti", prescriber_title="Autonome")
    BadgeCriterionFactory(badge=BadgeFactory(target_profile=profile, key="bravo", title="Bravo"), threshold=60)
    return profile


@pytest.fixture
def campaign(school, alice_admin, profile):
    return assessment_campaign(organization=school, by=alice_admin, target_profile=profile, multiple_sendings=True)


@pytest.fixture
def four(campaign):
    return {
        "arnaud": sent_result(campaign, family_name="Arnaud", first_name="Léa", division="2NDE1", level=1),
        "bernard": sent_result(campaign, family_name="Bernard", first_name="Tom", division="2NDE1", level=3),
        "carre": sent_result(campaign, family_name="Carré", first_name="Inès", division="2NDE2", level=0),
        "dubois": sent_result(campaign, family_name="Dubois", first_name="Hugo", division="2NDE2", level=2),
    }


def names(rows):
    return [row.participant_last_name for row in rows]


def test_the_snapshots_are_what_the_hand_computation_says(four):
    assert [round(four[key].mastery_rate, 4) for key in ("arnaud", "bernard", "carre", "dubois")] == [
        0.3333, 1.0, 0.0, 0.6667]


def test_average_result_is_the_mean_of_the_latest_sending_of_each_student(campaign, four):
    summary = results_summary(campaign=campaign)
    assert summary.count == 4
    assert summary.average == pytest.approx((2 / 6 + 1 + 0 + 4 / 6) / 4)  # 50 %

    retake(four["arnaud"], level=2)  # her latest is now 4/6; the first sending stays as history
    summary = results_summary(campaign=campaign)
    assert summary.count == 4
    assert summary.average == pytest.approx((4 / 6 + 1 + 0 + 4 / 6) / 4)  # 58 %
    assert results_count(campaign=campaign) == 4


def test_summary_by_class_and_the_distribution(campaign, four):
    summary = results_summary(campaign=campaign, divisions=["2NDE1"])
    assert summary.count == 2 and summary.average == pytest.approx((2 / 6 + 1) / 2)
    bands = results_summary(campaign=campaign).distribution
    assert {band.label: band.count for band in bands if band.count} == {
        "0 à 9 %": 1, "30 à 39 %": 1, "60 à 69 %": 1, "90 à 100 %": 1}


def test_stage_average_and_badges_obtained(campaign, four):
    stages, badges = stage_options(campaign=campaign), badge_options(campaign=campaign)
    assert [(s.reached, s.title) for s in stages] == [(0, "À accompagner"), (1, "Autonome")]
    summary = results_summary(campaign=campaign, with_stages=True, badges=badges)
    # Stars: Arnaud 33 % → 0, Bernard 100 % → 1, Carré 0 → 0, Dubois 67 % → 1.
    assert summary.stage_counts == {0: 2, 1: 2}
    assert summary.stage_average == pytest.approx(0.5)
    assert summary.badge_counts == {"bravo": 2}  # ≥ 60 %: Bernard and Dubois


def test_list_is_the_latest_sending_of_each_student_sorted_by_name(campaign, four):
    retake(four["arnaud"], level=2)
    rows = list(results_list(campaign=campaign, badge_slots=1))
    assert names(rows) == ["Arnaud", "Bernard", "Carré", "Dubois"]
    arnaud = rows[0]
    assert arnaud.mastery_rate == pytest.approx(4 / 6)
    assert arnaud.previous_value == pytest.approx(2 / 6) and arnaud.sendings == 2
    assert rows[1].previous_value is None and rows[1].sendings == 1
    assert arnaud.stage["reached"] == 1 and arnaud.stage["prescriber_title"] == "Autonome"
    assert [b["key"] for b in arnaud.badges if b["obtained"]] == ["bravo"]
    assert (arnaud.participant_first_name, arnaud.participant_division) == ("Léa", "2NDE1")


def test_filters_by_class_stage_badge_and_name(campaign, four):
    def listed(**filters):
        return names(results_list(campaign=campaign, badge_slots=1, **filters))

    assert listed(divisions=["2NDE2"]) == ["Carré", "Dubois"]
    assert listed(stages=[0]) == ["Arnaud", "Carré"]
    assert listed(stages=[1], divisions=["2NDE1"]) == ["Bernard"]
    assert listed(badges=["bravo"]) == ["Bernard", "Dubois"]
    assert listed(badges=["inconnu"]) == []
    assert listed(search="INES carre") == ["Carré"]


def test_previews_students_not_sent_and_other_campaigns_are_never_read(campaign, four, school, alice_admin, profile):
    preview = campaign_join(campaign=campaign, user=alice_admin, confirm=True, preview=True).participation
    take_test(preview, alice_admin, 3)
    participation_share(participation_id=preview.pk, user=alice_admin)
    started(campaign, family_name="Enzo", answers=2)
    other = assessment_campaign(organization=school, by=alice_admin, target_profile=profile, name="Autre")
    sent_result(other, family_name="Ailleurs", level=3)

    assert latest_shared(campaign=campaign).count() == 4
    assert results_summary(campaign=campaign).average == pytest.approx(0.5)
    assert analysis_read(campaign=campaign).participants == 4
    activity = activity_read(campaign=campaign)
    assert (activity.participants, activity.shared) == (5, 4)
    assert activity.by_status == {"STARTED": 1, "TO_SHARE": 0, "SHARED": 4}


def test_activity_counts_by_class_and_cumulates_by_day(campaign, four):
    Participation.objects.filter(pk=four["carre"].pk).update(shared_at=four["carre"].shared_at.replace(year=2025))
    activity = activity_read(campaign=campaign, divisions=["2NDE2"])
    assert (activity.participants, activity.shared) == (2, 2)
    assert [(day.started, day.shared) for day in activity.days] == [(0, 1), (2, 2)]


def test_competence_results_topics_and_positionnement_by_hand(campaign, four):
    result = analysis_read(campaign=campaign)
    assert result.participants == 4 and result.campaign_max == 3
    competence = {c.code: c for c in result.competences}["1.1"]
    # Validated in 1.1: 1 + 3 + 0 + 2 = 6 over 4 students and 3 skills: 6 ÷ 4 × 100 ÷ 3 = 50 %.
    assert (competence.validated_sum, competence.participants, competence.targeted) == (6, 4, 3)
    assert competence.percent == 50
    tube = next(t for t in result.tubes if t.competence == "1.1")
    # 40 × 6 ÷ (3 × 4) + 30 × 3 ÷ 3 + 20 × 6 ÷ (3 × 4) + 10 × (1/2 + 3/3 + 0 + 2/3) ÷ 4 = 65.42
    assert tube.score == pytest.approx(65.4167, abs=1e-3)
    assert tube.band[1] == "Recommandé"
    assert tube.reason == "2 élèves sur 4 n'ont pas validé le niveau 2 de ce sujet. Niveau moyen atteint : 1,5 sur 3."
    assert (tube.position.mean_level, tube.position.max_level, tube.position.label) == (1.5, 3, "Novice")
    assert (competence.position.mean_level, competence.position.max_level) == (1.5, 3)


def test_analysis_by_class_and_the_class_comparison(campaign, four):
    only = analysis_read(campaign=campaign, divisions=["2NDE2"])
    assert only.participants == 2
    assert {c.code: c.percent for c in only.competences} == {"1.1": 33, "2.1": 33}  # (0 + 2) ÷ 2 ÷ 3
    rows = analysis_read(campaign=campaign).divisions
    assert [(row.division, row.participants, row.percents) for row in rows] == [
        ("2NDE1", 2, {"1.1": 67, "2.1": 67}), ("2NDE2", 2, {"1.1": 33, "2.1": 33})]


def test_analysis_without_results_is_empty(campaign):
    result = analysis_read(campaign=campaign)
    assert result.participants == 0 and result.tubes == [] and result.divisions == []
    assert [c.percent for c in result.competences] == [None, None]


def test_student_page_with_two_sendings(campaign, four):
    second = retake(four["arnaud"], level=2)
    student = student_results_read(campaign=campaign, participation_id=second.pk)
    assert [(s.number, round(s.mastery_rate, 4), s.is_current) for s in student.sendings] == [
        (1, 0.3333, False), (2, 0.6667, True)]
    assert student.sending_number == 2
    assert [(c.code, c.validated, c.total, c.percent) for c in student.competences] == [
        ("1.1", 2, 3, 67), ("2.1", 2, 3, 67)]
    tube = student.competences[0].tubes[0]
    assert (tube.reached, tube.max_level) == (2, 3)
    assert [(level.level, level.state) for level in tube.levels] == [(1, "validated"), (2, "validated"),
                                                                      (3, "failed")]
    first = student_results_read(campaign=campaign, participation_id=four["arnaud"].pk)
    assert first.competences[0].tubes[0].reached == 1 and first.sending_number == 1


def test_student_page_of_a_student_still_taking_the_test(campaign):
    participation = started(campaign, family_name="Enzo", answers=1)
    student = student_results_read(campaign=campaign, participation_id=participation.pk)
    assert student.competences == [] and [s.status for s in student.sendings] == ["STARTED"]


@pytest.fixture
def collection(school, alice_admin):
    return profiles_campaign(organization=school, by=alice_admin, multiple_sendings=True)


def test_profiles_received_with_their_certifiability(school, alice_admin, collection):
    # Level 2 in the five competences' tubes (2 skills × 4 pix each): 8 pix, level 1 in each → certifiable.
    practice = assessment_campaign(organization=school, by=alice_admin, name="Entraînement",
                                   target_profile=profile_with_competences(("1.1", "2.1", "3.1", "4.1", "5.1")))
    strong = sent_result(practice, family_name="Fort", level=2)
    sent_result(collection, learner=strong.learner, user=strong.user)
    sent_result(collection, family_name="Débutant", division="2NDE2")

    summary = profiles_summary(campaign=collection)
    assert (summary.count, summary.certifiable, summary.average_pix) == (2, 1, 20)
    rows = list(results_list(campaign=collection))
    assert [(r.participant_last_name, r.pix_score, r.is_certifiable, r.certifiable_competences) for r in rows] == [
        ("Débutant", 0, False, 0), ("Fort", 40, True, 5)]
    assert names(results_list(campaign=collection, certifiable=True)) == ["Fort"]
    assert names(results_list(campaign=collection, certifiable=False, divisions=["2NDE2"])) == ["Débutant"]
    page = student_results_read(campaign=collection, participation_id=rows[1].pk)
    assert {c.code: (c.level, c.pix) for c in page.competences if c.pix} == {
        code: (1, 8) for code in ("1.1", "2.1", "3.1", "4.1", "5.1")}
