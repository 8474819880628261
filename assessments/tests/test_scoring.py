"""Pix and levels of a competence and a profile, certifiability, and what each skill is worth."""

import pytest

from assessments.scoring import (
    CERTIFIABLE_MIN_COMPETENCES,
    PIX_PER_LEVEL,
    CompetenceScore,
    ProfileScore,
    competence_score,
    profile_score,
    skill_pix_values,
)

CODES = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1",
         "5.2"]


def test_constants():
    assert PIX_PER_LEVEL == 8
    assert CERTIFIABLE_MIN_COMPETENCES == 5


@pytest.mark.parametrize("validated, score", [
    ([], CompetenceScore(pix=0, level=0)),
    ([4, 3.5], CompetenceScore(pix=7, level=0)),  # floor(7.5)
    ([4, 4], CompetenceScore(pix=8, level=1)),
    ([4, 4, 2.6667], CompetenceScore(pix=10, level=1)),
    ([8 / 3] * 3, CompetenceScore(pix=8, level=1)),  # thirds: 7.999999… is 8
    ([0.1] * 80, CompetenceScore(pix=8, level=1)),  # 0.1 × 80 in floats
    ([8 / 7] * 7, CompetenceScore(pix=8, level=1)),
    ([1.6] * 5 + [8 / 3] * 3, CompetenceScore(pix=16, level=2)),
    ([4] * 11 + [3.9], CompetenceScore(pix=47, level=5)),
])
def test_competence_pix_are_floored_after_the_sum(validated, score):
    assert competence_score(validated, max_level=7) == score


def test_a_sum_just_under_an_integer_is_still_floored():
    assert competence_score([7.9999], max_level=7) == CompetenceScore(pix=7, level=0)
    assert competence_score([7.9999999], max_level=7) == CompetenceScore(pix=8, level=1)  # within 6 decimals


def test_competence_pix_are_capped_at_the_highest_open_level():
    assert competence_score([4] * 20, max_level=5) == CompetenceScore(pix=40, level=5)
    assert competence_score([4] * 20, max_level=7) == CompetenceScore(pix=56, level=7)
    assert competence_score([4] * 9, max_level=5) == CompetenceScore(pix=36, level=4)


def test_competence_score_reads_any_iterable():
    assert competence_score((pix for pix in [4, 4, 4]), max_level=5) == CompetenceScore(pix=12, level=1)


def test_profile_has_every_competence_even_without_pix():
    profile = profile_score({"1.1": [4, 4, 4]}, competence_codes=CODES, max_level=5)
    assert list(profile.competences) == CODES
    assert profile.competences["1.1"] == CompetenceScore(pix=12, level=1)
    assert profile.competences["5.2"] == CompetenceScore(pix=0, level=0)
    assert profile.pix_score == 12


def test_profile_sums_capped_competences_and_ignores_other_codes():
    validated = {"1.1": [4] * 20, "1.2": [2.5, 2.5], "9.9": [4] * 10}
    profile = profile_score(validated, competence_codes=CODES, max_level=5)
    assert profile.pix_score == 40 + 5
    assert "9.9" not in profile.competences


def test_certifiable_from_exactly_five_competences_at_level_1():
    four = {code: [4, 4] for code in CODES[:4]}
    four_and_almost = {**four, CODES[4]: [4, 3.9]}  # 7 pix: level 0
    five = {**four, CODES[4]: [4, 4]}
    assert profile_score(four, competence_codes=CODES, max_level=5) == ProfileScore(
        pix_score=32, certifiable=False, certifiable_competences=4,
        competences={code: CompetenceScore(pix=8, level=1) if code in four else CompetenceScore(0, 0)
                     for code in CODES})
    assert not profile_score(four_and_almost, competence_codes=CODES, max_level=5).certifiable
    profile = profile_score(five, competence_codes=CODES, max_level=5)
    assert profile.certifiable and profile.certifiable_competences == 5
    everything = profile_score({code: [4, 4] for code in CODES}, competence_codes=CODES, max_level=5)
    assert everything.certifiable_competences == 16


def test_skill_pix_values_share_8_pix_per_competence_and_level():
    values = skill_pix_values({
        "@motsCles2": ("1.1", 2), "@sources2": ("1.1", 2), "@veille2": ("1.1", 2),  # three at 1.1 level 2
        "@motsCles3": ("1.1", 3), "@sources3": ("1.1", 3),  # two at 1.1 level 3
        "@tableur2": ("1.3", 2),  # alone: capped at 4
        "@a4": ("2.1", 4), "@b4": ("2.1", 4), "@c4": ("2.1", 4), "@d4": ("2.1", 4), "@e4": ("2.1", 4),
    })
    assert values["@motsCles2"] == values["@sources2"] == values["@veille2"] == pytest.approx(8 / 3)
    assert values["@motsCles3"] == values["@sources3"] == 4
    assert values["@tableur2"] == 4
    assert values["@a4"] == pytest.approx(1.6)
    assert all(isinstance(value, float) for value in values.values())
    assert skill_pix_values({}) == {}


def test_a_full_level_is_worth_8_pix():
    skills = {f"@s{index}": ("3.4", 1) for index in range(3)}
    assert competence_score(skill_pix_values(skills).values(), max_level=5) == CompetenceScore(pix=8, level=1)
