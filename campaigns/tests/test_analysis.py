"""The formulas of the results and analysis (campaigns.analysis) against hand-computed cases, and the SVG charts
(campaigns.charts). No database."""

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns import analysis, charts
from campaigns.analysis import (
    Day,
    Position,
    TubeStats,
    average_rate,
    band,
    competence_percent,
    count_fr,
    cumulative_days,
    distribution,
    level_label,
    mean_position,
    number_fr,
    percent,
    stage_average,
    trend,
    tube_position,
    tube_reason,
    tube_score,
    tube_score_for_student,
)

NNBSP = "\u202f"


# --- French numbers --------------------------------------------------------------------------------------------

def test_thousands_take_a_narrow_no_break_space_and_decimals_a_comma():
    assert number_fr(2331) == f"2{NNBSP}331"
    assert number_fr(1_234_567) == f"1{NNBSP}234{NNBSP}567"
    assert number_fr(1.45, 1) == "1,5"  # half up, not banker's rounding
    assert number_fr(2.0, 1) == "2"
    assert number_fr(0.4074, 1) == "0,4"


def test_counts_are_singular_for_zero_and_one():
    assert count_fr(0, "élève") == "0 élève"
    assert count_fr(1, "élève") == "1 élève"
    assert count_fr(2, "élève") == "2 élèves"
    assert count_fr(2331, "élève") == f"2{NNBSP}331 élèves"
    assert count_fr(3, "acquis validé", "acquis validés") == "3 acquis validés"


def test_a_rate_as_a_percentage_rounds_half_up():
    assert percent(0.625) == 63
    assert percent(1 / 3) == 33
    assert percent(0.005) == 1
    assert percent(None) is None


# --- Résultats -------------------------------------------------------------------------------------------------

def test_average_result_is_the_mean_of_the_latest_rates():
    # Three students' latest sendings (earlier ones are not passed: the selector reads the latest only).
    assert average_rate([0.5, 0.75, 1.0]) == pytest.approx(0.75)
    assert percent(average_rate([1 / 3, 2 / 3, 2 / 3])) == 56  # (1 + 2 + 2) / 9 = 0.5556
    assert average_rate([]) is None


def test_distribution_puts_each_student_in_the_band_of_the_percentage_shown():
    bands = distribution({0.0: 2, 0.295: 1, 0.5: 1, 0.899: 1, 0.995: 1, 1.0: 3})
    assert [band.label for band in bands][:2] == ["0 à 9 %", "10 à 19 %"]
    assert bands[-1].label == "90 à 100 %"
    assert [band.count for band in bands] == [2, 0, 0, 1, 0, 1, 0, 0, 0, 5]  # 0.295 → 30 %, 0.899 → 90 %


def test_stage_average_counts_the_zero_stage_as_no_star():
    # 1 student at the zero stage, 2 with one star, 1 with three: (0 + 1 + 1 + 3) ÷ 4.
    assert stage_average({0: 1, 1: 2, 3: 1}) == pytest.approx(1.25)
    assert stage_average({}) is None


def test_trend_compares_the_percentages_shown():
    assert trend(0.6, 0.4) == "up"
    assert trend(0.4, 0.6) == "down"
    assert trend(0.601, 0.598) == "stable"  # both « 60 % »
    assert trend(0.5, None) is None


# --- Résultats par compétence ----------------------------------------------------------------------------------

def test_competence_result_is_the_mean_validated_over_the_targeted_skills():
    # 3 students validated 2, 3 and 2 of the competence's 4 skills: 7 ÷ 3 = 2.33 → 58 %.
    assert competence_percent(validated_sum=7, participants=3, targeted=4) == 58
    assert competence_percent(validated_sum=5, participants=2, targeted=4) == 63  # 62.5 → 63
    assert competence_percent(validated_sum=0, participants=0, targeted=4) is None


# --- Sujets à travailler ---------------------------------------------------------------------------------------

def test_tube_score_of_one_student_by_hand():
    # dmax 3, campaignMax 4, 3 skills in the tube.
    # Reached 2, validated 2, next 3: 40 × 2/3 + 30 × 3/4 + 20 × 2/3 + 10 × 2/3 = 69.17
    assert tube_score_for_student(reached=2, validated=2, skills=3, dmax=3, campaign_max=4,
                                  next_level=3) == pytest.approx(69.1667, abs=1e-3)
    # Nothing validated: only the difficulty term, 30 × 3/4 = 22.5.
    assert tube_score_for_student(reached=0, validated=0, skills=3, dmax=3, campaign_max=4,
                                  next_level=1) == pytest.approx(22.5)
    # Everything validated: next is the tube's maximum, 40 + 22.5 + 20 + 10 = 92.5.
    assert tube_score_for_student(reached=3, validated=3, skills=3, dmax=3, campaign_max=4,
                                  next_level=None) == pytest.approx(92.5)


def test_tube_score_is_the_mean_of_the_students_scores_from_the_sums():
    # The three students above: (69.17 + 22.5 + 92.5) ÷ 3 = 61.39 → « Recommandé ».
    stats = TubeStats(dmax=3, skills=3, participants=3, reached_sum=5, validated_sum=5,
                      next_ratio_sum=2 / 3 + 0 + 1)
    score = tube_score(stats, campaign_max=4)
    assert score == pytest.approx(61.3889, abs=1e-3)
    assert band(score) == ("RECOMMANDE", "Recommandé", 2)
    assert tube_score(TubeStats(dmax=3, skills=3), campaign_max=4) is None


@given(st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=1, max_size=30))
def test_the_score_from_sums_equals_the_mean_of_each_students_score(students):
    # A student who reached level r validated levels 1..r (skills 1, 2, 3); next = r + 1 (None when r = 3).
    scores, stats = [], TubeStats(dmax=3, skills=3, participants=len(students))
    for reached, _ in students:
        next_level = reached + 1 if reached < 3 else None
        scores.append(tube_score_for_student(reached=reached, validated=reached, skills=3, dmax=3,
                                             campaign_max=5, next_level=next_level))
        stats.reached_sum += reached
        stats.validated_sum += reached
        stats.next_ratio_sum += reached / (next_level or 3) if reached else 0
    assert tube_score(stats, campaign_max=5) == pytest.approx(sum(scores) / len(scores))


@pytest.mark.parametrize(("score", "label", "bubbles"), [
    (0, "Très recommandé", 4), (25, "Très recommandé", 4), (25.01, "Fortement recommandé", 3),
    (50, "Fortement recommandé", 3), (75, "Recommandé", 2), (75.1, "Assez recommandé", 1), (100, "Assez recommandé", 1),
])
def test_bands_include_their_upper_bound(score, label, bubbles):
    assert band(score)[1:] == (label, bubbles)


def test_reason_when_most_students_validated_no_level():
    # 27 students, 18 validated nothing; the 9 others reached 1 or 2 (Σ reached 11).
    stats = TubeStats(dmax=3, skills=3, participants=27, reached_sum=11, none=18, stopped_at={1: 18, 2: 7, 3: 2})
    assert tube_reason(stats) == ("18 élèves sur 27 n'ont validé aucun niveau de ce sujet. "
                                  "Niveau moyen atteint : 0,4 sur 3.")


def test_reason_names_the_easiest_level_that_half_of_the_students_did_not_validate():
    # 10 students: 2 nothing, 2 stopped before level 2, 3 before level 3, 3 validated all.
    # Level 2 is missed by 4 (< 5), level 3 by 7 (≥ 5).
    stats = TubeStats(dmax=3, skills=3, participants=10, reached_sum=2 * 1 + 3 * 2 + 3 * 3, none=2, complete=3,
                      stopped_at={1: 2, 2: 2, 3: 3})
    assert tube_reason(stats) == ("7 élèves sur 10 n'ont pas validé le niveau 3 de ce sujet. "
                                  "Niveau moyen atteint : 1,7 sur 3.")


def test_reason_when_most_students_validated_every_level():
    stats = TubeStats(dmax=2, skills=2, participants=5, reached_sum=9, none=0, complete=4, stopped_at={2: 1})
    assert tube_reason(stats) == ("4 élèves sur 5 ont validé tous les niveaux de ce sujet (jusqu'au niveau 2). "
                                  "Niveau moyen atteint : 1,8 sur 2.")


def test_reason_for_a_single_student_is_singular():
    stats = TubeStats(dmax=4, skills=4, participants=1, reached_sum=0, none=1, stopped_at={1: 1})
    assert tube_reason(stats) == "1 élève sur 1 n'a validé aucun niveau de ce sujet. Niveau moyen atteint : 0 sur 4."
    assert tube_reason(TubeStats(dmax=4, skills=4)) == ""


# --- Positionnement --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("level", "label"), [
    (0, "Pas encore Novice"), (0.49, "Pas encore Novice"), (0.5, "Novice"), (2.4, "Novice"), (2.5, "Indépendant"),
    (4.6, "Avancé"), (6.5, "Expert"), (8, "Expert"),
])
def test_level_labels(level, label):
    assert level_label(level) == label


def test_positionnement_per_tube_and_per_competence():
    # Tube A: 4 students reached 3, 2, 2, 3 of a maximum of 3 → 2.5 / 3; tube B: 1, 0, 1, 2 of 2 → 1 / 2.
    tube_a = tube_position(reached_sum=10, participants=4, max_level=3)
    tube_b = tube_position(reached_sum=4, participants=4, max_level=2)
    assert (tube_a.mean_level, tube_a.max_level, tube_a.label) == (2.5, 3, "Indépendant")
    assert (tube_b.mean_level, tube_b.label) == (1, "Novice")
    competence = mean_position([tube_a, tube_b])
    assert (competence.mean_level, competence.max_level) == (1.75, 2.5)
    assert competence.label == "Novice"
    assert competence.ratio == pytest.approx(0.7)
    assert tube_position(reached_sum=0, participants=0, max_level=3) is None
    assert mean_position([None]) is None
    assert Position(mean_level=0, max_level=0).ratio == 0


# --- Activité --------------------------------------------------------------------------------------------------

def test_days_are_cumulated():
    d1, d2, d3 = datetime.date(2026, 9, 1), datetime.date(2026, 9, 2), datetime.date(2026, 9, 5)
    assert cumulative_days({d1: 3, d3: 2}, {d2: 1, d3: 3}) == [
        Day(d1, started=3, shared=0), Day(d2, started=3, shared=1), Day(d3, started=5, shared=4)]
    assert cumulative_days({}, {}) == []


# --- Charts ----------------------------------------------------------------------------------------------------

def test_cumulative_chart_is_an_accessible_svg_without_style_attributes():
    days = [Day(datetime.date(2026, 9, 1), 3, 0), Day(datetime.date(2026, 9, 4), 27, 18)]
    svg = charts.cumulative_chart(days, until=datetime.date(2026, 9, 10), label="Participants <et> envois")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-label="Participants &lt;et&gt; envois"' in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.count("<polyline") == 2
    assert "01/09" in svg and "10/09" in svg
    # The vertical axis reaches a whole number at or above 27: 0, 8, 16, 24, 32.
    assert [int(v) for v in re.findall(r'text-anchor="end">(\d+)</text>', svg)] == [0, 8, 16, 24, 32]
    assert charts.cumulative_chart([], label="vide") == ""


def test_bars_stars_gauges_and_bubbles():
    assert 'width="63"' in charts.bar(63, 100, label="63 %")
    assert 'width="100"' in charts.bar(150, 100, label="trop")  # clamped
    assert 'class="bar-fill" width="0"' in charts.bar(5, 0, label="rien")
    stars = charts.stars(2, 3, label="2 étoiles sur 3")
    assert stars.count("star-lit") == 2 and stars.count("<path") == 3
    assert charts.bubbles(3, label="Fortement recommandé").count("bubble-on") == 3
    gauge = charts.gauge(2, 4, scale=8, label="niveau 2 sur 4")
    assert 'class="gauge-fill" y="2" width="25"' in gauge
    for markup in (stars, gauge, charts.bar(1, 2, label="x")):
        assert "style=" not in markup and 'role="img"' in markup


def test_the_score_formula_is_written_out_for_teachers():
    assert analysis.SCORE_FORMULA.startswith("40 × niveau atteint")
