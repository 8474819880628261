"""What a student's knowledge means for a campaign (assessments/results.py, pure): skill states, mastery per
competence and per tube, stages (by threshold or by level), badges and their progress, the test's progress."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.results import (
    BadgeDef,
    CampaignSkillInfo,
    CriterionDef,
    StageDef,
    badge_results,
    campaign_results,
    progress,
    skill_state,
    stage_reached,
    stage_thresholds,
)


def tube_skills(tube: str, levels, *, competence="1.1", name=None):
    name = name or f"t{tube}"
    return [CampaignSkillInfo(name=f"@{name}{level}", tube=tube, tube_name=name, level=level, competence=competence)
            for level in levels]


def badge(*criteria, key="b"):
    return BadgeDef(key=key, title="Badge", message="", criteria=tuple(criteria))


# --- Skill states ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("floor, ceiling, level, state", [
    (0, None, 1, "untested"),
    (2, None, 2, "validated"),
    (2, None, 1, "validated"),
    (2, None, 3, "untested"),
    (2, 4, 3, "untested"),
    (2, 4, 4, "failed"),
    (2, 4, 6, "failed"),
    (0, 1, 1, "failed"),
])
def test_a_skill_is_validated_up_to_the_floor_and_failed_from_the_ceiling(floor, ceiling, level, state):
    assert skill_state(floor, ceiling, level) == state


# --- Mastery --------------------------------------------------------------------------------------------------------

def test_mastery_per_competence_and_per_tube():
    skills = tube_skills("1", [1, 2, 3, 4], competence="1.1", name="recherche") + tube_skills(
        "2", [1, 2], competence="2.1", name="courriel") + tube_skills("3", [1, 2, 3], competence="2.1", name="agenda")

    results = campaign_results(skills=skills, knowledge={"1": (3, 4), "2": (0, 1)},
                               competence_names={"1.1": "Chercher", "2.1": "Interagir"})

    # 3 + 0 + 0 validated of 9.
    assert results["skills_count"] == 9 and results["validated_skills_count"] == 3
    assert results["mastery_rate"] == pytest.approx(3 / 9)
    assert results["competences"] == {
        "1.1": {"name": "Chercher", "total": 4, "validated": 3, "mastery_rate": 0.75},
        "2.1": {"name": "Interagir", "total": 5, "validated": 0, "mastery_rate": 0.0},
    }
    assert results["tubes"]["1"] == {"name": "recherche", "competence": "1.1", "max": 4, "reached": 3,
                                     "validated": 3, "failed": 1, "total": 4,
                                     "levels": {"1": "validated", "2": "validated", "3": "validated", "4": "failed"}}
    assert results["tubes"]["2"]["failed"] == 2 and results["tubes"]["2"]["reached"] == 0
    # A tube never tested: every level untested.
    assert results["tubes"]["3"]["levels"] == {"1": "untested", "2": "untested", "3": "untested"}
    assert results["stage"] is None and results["badges"] == []


def test_a_campaign_without_skills_has_zero_mastery_and_is_complete():
    results = campaign_results(skills=[], knowledge={})

    assert results["mastery_rate"] == 0.0 and results["skills_count"] == 0
    assert progress(skills=[], knowledge={}) == 1.0


def test_progress_counts_tested_skills_validated_or_failed():
    skills = tube_skills("1", [1, 2, 3, 4]) + tube_skills("2", [1, 2, 3, 4], name="autre")

    assert progress(skills=skills, knowledge={}) == 0
    assert progress(skills=skills, knowledge={"1": (2, None)}) == 2 / 8
    assert progress(skills=skills, knowledge={"1": (2, 3), "2": (0, 1)}) == 1.0


# --- Stages ---------------------------------------------------------------------------------------------------------

THRESHOLD_STAGES = [StageDef(title="Premiers pas", threshold=0), StageDef(title="En route", threshold=30, message="Bien."),
                    StageDef(title="Bravo", threshold=60), StageDef(title="Expert", threshold=90)]


@pytest.mark.parametrize("mastery, reached, title", [
    (0.0, 0, "Premiers pas"),
    (0.29, 0, "Premiers pas"),
    (0.30, 1, "En route"),
    (0.6, 2, "Bravo"),
    (0.899, 2, "Bravo"),
    (1.0, 3, "Expert"),
])
def test_the_stage_reached_is_the_highest_threshold_the_mastery_reaches(mastery, reached, title):
    stage = stage_reached(THRESHOLD_STAGES, [1, 2, 3], mastery)

    assert (stage["reached"], stage["total"], stage["title"]) == (reached, 3, title)


def test_stages_given_in_any_order_count_the_same():
    shuffled = [THRESHOLD_STAGES[2], THRESHOLD_STAGES[0], THRESHOLD_STAGES[3], THRESHOLD_STAGES[1]]

    assert stage_reached(shuffled, [1], 0.35) == stage_reached(THRESHOLD_STAGES, [1], 0.35) == {
        "reached": 1, "total": 3, "title": "En route", "message": "Bien.", "prescriber_title": "", "threshold": 30}


def test_level_stages_become_the_share_of_skills_at_or_below_that_level():
    levels = [1, 1, 2, 2, 3, 4, 5, 6]  # 8 skills
    stages = [StageDef(title="Zéro", level=0), StageDef(title="Niveau 2", level=2), StageDef(title="Niveau 4", level=4)]

    assert stage_thresholds(stages, levels) == [0, 50, 75]
    assert stage_reached(stages, levels, 6 / 8)["title"] == "Niveau 4"
    assert stage_reached(stages, levels, 5 / 8)["title"] == "Niveau 2"


def test_validating_every_skill_up_to_a_level_reaches_that_level_stage():
    levels = [1, 2, 3]
    stages = [StageDef(title="Zéro", level=0), StageDef(title="Niveau 2", level=2)]

    assert stage_reached(stages, levels, 2 / 3)["title"] == "Niveau 2"


def test_no_stages_no_stage():
    assert stage_reached([], [1, 2], 0.5) is None


# --- Badges ---------------------------------------------------------------------------------------------------------

def test_a_campaign_criterion_compares_the_mastery_with_its_threshold():
    skills = tube_skills("1", [1, 2, 3, 4])
    half = badge(CriterionDef(scope="CAMPAIGN", threshold=50))

    assert badge_results([half], skills, {"@t11", "@t12"}, 0.5)[0] == {
        "key": "b", "title": "Badge", "message": "", "obtained": True, "progress": 100}
    assert badge_results([half], skills, {"@t11"}, 0.25)[0]["obtained"] is False
    assert badge_results([half], skills, {"@t11"}, 0.25)[0]["progress"] == 50


def test_a_tubes_criterion_counts_only_its_tubes_up_to_their_cap():
    skills = tube_skills("1", [1, 2, 3, 4], name="mdp") + tube_skills("2", [1, 2], name="courriel")
    criterion = CriterionDef(scope="TUBES", threshold=100, tubes=(("mdp", 2),))

    # Levels 1 and 2 of « mdp »: the rest of the campaign does not matter.
    assert badge_results([badge(criterion)], skills, {"@mdp1", "@mdp2"}, 2 / 6)[0]["obtained"] is True
    assert badge_results([badge(criterion)], skills, {"@mdp1", "@courriel1", "@courriel2"}, 0.5)[0] == {
        "key": "b", "title": "Badge", "message": "", "obtained": False, "progress": 50}


def test_every_criterion_must_be_met_and_progress_is_their_mean():
    skills = tube_skills("1", [1, 2, 3, 4], name="mdp")
    both = badge(CriterionDef(scope="CAMPAIGN", threshold=50),
                 CriterionDef(scope="TUBES", threshold=100, tubes=(("mdp", 4),)))

    result = badge_results([both], skills, {"@mdp1", "@mdp2", "@mdp3"}, 0.75)[0]

    # Campaign 75 % of 50 % → 100; tubes 75 % of 100 % → 75; mean 87.5.
    assert result["obtained"] is False and result["progress"] == 88


def test_an_unmet_badge_never_shows_100():
    skills = tube_skills("1", range(1, 8), name="long")
    # 99 % of one criterion and three met: the mean rounds to 100 while a criterion is still short.
    nearly = badge(CriterionDef(scope="CAMPAIGN", threshold=100), *[CriterionDef(scope="CAMPAIGN", threshold=1)] * 3)

    result = badge_results([nearly], skills, set(), 0.99)[0]

    assert result["obtained"] is False and result["progress"] == 99


def test_a_tubes_criterion_on_tubes_outside_the_campaign_is_not_met():
    skills = tube_skills("1", [1, 2])
    elsewhere = badge(CriterionDef(scope="TUBES", threshold=10, tubes=(("absent", 8),)))

    assert badge_results([elsewhere], skills, {"@t11", "@t12"}, 1.0)[0] == {
        "key": "b", "title": "Badge", "message": "", "obtained": False, "progress": 0}


def test_a_badge_is_not_obtained_just_below_its_threshold():
    skills = [CampaignSkillInfo(name=f"@t{i}1", tube=str(i), tube_name=f"t{i}", level=1, competence="1.1")
              for i in range(43)]
    validated = {skill.name for skill in skills[:30]}
    seventy = badge(CriterionDef(scope="CAMPAIGN", threshold=70))

    result = badge_results([seventy], skills, validated, 30 / 43)[0]

    assert result["obtained"] is False and result["progress"] == 99


# --- Properties -----------------------------------------------------------------------------------------------------

@st.composite
def campaigns(draw):
    """A few tubes with consecutive levels from 1, and a knowledge (floor < ceiling) of some of them."""
    skills, knowledge = [], {}
    for index in range(draw(st.integers(1, 4))):
        top = draw(st.integers(1, 6))
        skills += tube_skills(str(index), range(1, top + 1), competence=draw(st.sampled_from(["1.1", "1.2", "4.1"])),
                              name=f"tube{index}")
        if draw(st.booleans()):
            floor = draw(st.integers(0, 7))
            ceiling = draw(st.one_of(st.none(), st.integers(floor + 1, 8)))
            knowledge[str(index)] = (floor, ceiling)
    return skills, knowledge


@given(campaigns())
def test_the_counts_of_a_snapshot_add_up(campaign):
    skills, knowledge = campaign
    results = campaign_results(skills=skills, knowledge=knowledge)

    assert 0 <= results["mastery_rate"] <= 1
    assert results["validated_skills_count"] == sum(c["validated"] for c in results["competences"].values()) \
        == sum(t["validated"] for t in results["tubes"].values())
    assert sum(c["total"] for c in results["competences"].values()) == len(skills)
    for tube in results["tubes"].values():
        assert tube["validated"] + tube["failed"] <= tube["total"]
        states = [tube["levels"][str(level)] for level in range(1, tube["max"] + 1)]
        # Validated levels come first, failed ones last.
        assert states == sorted(states, key=["validated", "untested", "failed"].index)
        assert tube["reached"] == tube["validated"]
    tested = sum(t["validated"] + t["failed"] for t in results["tubes"].values())
    assert progress(skills=skills, knowledge=knowledge) == pytest.approx(tested / len(skills))


@given(st.lists(st.integers(1, 100), unique=True, max_size=5), st.floats(0, 1))
def test_the_stage_reached_is_the_highest_one_the_mastery_reaches(thresholds, mastery):
    stages = [StageDef(title="zéro", threshold=0)] + [StageDef(title=str(t), threshold=t) for t in thresholds]

    stage = stage_reached(stages, [1, 2, 3], mastery)

    reachable = [0] + [t for t in thresholds if t <= mastery * 100 + 1e-9]
    assert stage["threshold"] == max(reachable)
    assert stage["reached"] == len(reachable) - 1 and stage["total"] == len(thresholds)


@given(campaigns(), st.integers(1, 100))
def test_a_badge_shows_100_exactly_when_obtained(campaign, threshold):
    skills, knowledge = campaign
    results = campaign_results(skills=skills, knowledge=knowledge,
                               badges=[badge(CriterionDef(scope="CAMPAIGN", threshold=threshold))])

    result = results["badges"][0]
    assert (result["progress"] == 100) == result["obtained"]
    assert 0 <= result["progress"] <= 100
