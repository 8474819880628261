"""Campaign codes: their shape, what a student may type, and how the Django side gets a free one."""

import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns.codes import (
    CAMPAIGN_CODE_DIGITS,
    CAMPAIGN_CODE_EXAMPLE,
    CAMPAIGN_CODE_LENGTH,
    CAMPAIGN_CODE_LETTERS,
    CampaignCodeGenerationFailed,
    campaign_code_generate,
    campaign_code_generate_unique,
    campaign_code_is_well_formed,
    campaign_code_normalize,
)


def test_the_alphabet_leaves_out_the_characters_that_read_alike():
    assert set(CAMPAIGN_CODE_LETTERS) == set(string.ascii_uppercase) - {"I", "L", "O"}
    assert len(CAMPAIGN_CODE_LETTERS) == 23
    assert set(CAMPAIGN_CODE_DIGITS) == set("23456789")


def test_the_example_shown_to_students_is_a_well_formed_code():
    assert CAMPAIGN_CODE_EXAMPLE == "ABCDEF234"
    assert campaign_code_is_well_formed(CAMPAIGN_CODE_EXAMPLE)


@pytest.mark.parametrize("code", ["QWERTY234", "ABCDEF234", "ZZZZZZ999", "HJKMNP222", "AAAAAA888"])
def test_six_allowed_letters_then_three_allowed_digits_is_well_formed(code):
    assert campaign_code_is_well_formed(code)


@pytest.mark.parametrize(
    "code, why",
    [
        ("", "empty"),
        ("QWERTY23", "too short"),
        ("QWERTY2345", "too long"),
        ("QWERTYU234", "seven letters"),
        ("QWERT2345", "five letters"),
        ("QWERTY234 ", "trailing space"),
        ("QWERTY234\n", "trailing newline"),
        ("QWE-RTY234", "not normalized"),
        ("qwerty234", "lower case"),
        ("QWIRTY234", "letter I"),
        ("QWLRTY234", "letter L"),
        ("QWORTY234", "letter O"),
        ("QWERTY034", "digit 0"),
        ("QWERTY214", "digit 1"),
        ("234QWERTY", "digits first"),
        ("QWE234RTY", "digits in the middle"),
        ("QWERTÉ234", "accented letter"),
        ("QWERTY２34", "full-width digit"),
        ("QWERTY٢34", "Arabic-Indic digit"),
    ],
)
def test_anything_else_is_not_well_formed(code, why):
    assert not campaign_code_is_well_formed(code), why


@pytest.mark.parametrize(
    "typed, normalized",
    [
        ("qwe-rty 234", "QWERTY234"),
        ("QWERTY234", "QWERTY234"),
        ("  qwerty234  ", "QWERTY234"),
        ("QwErTy-234", "QWERTY234"),
        ("QWE RTY 234", "QWERTY234"),
        ("Q-W-E-R-T-Y-2-3-4", "QWERTY234"),
        ("qwe\trty\n234\r\n", "QWERTY234"),
        ("qwe\u00a0rty\u202f234", "QWERTY234"),  # no-break spaces from a copy-paste
        ("qwe–rty—234", "QWERTY234"),  # en and em dashes, as phones type them
        ("qwe\u2212rty\u2010234", "QWERTY234"),  # minus sign, Unicode hyphen
        ("\u200bqwe\u00adrty234\ufeff", "QWERTY234"),  # zero-width space, soft hyphen, byte order mark
        ("", ""),
        ("  - ", ""),
    ],
)
def test_what_a_student_types_is_upper_cased_without_spaces_or_dashes(typed, normalized):
    assert campaign_code_normalize(typed) == normalized
    assert campaign_code_is_well_formed(campaign_code_normalize(typed)) == bool(normalized)


@pytest.mark.parametrize(
    "typed, normalized",
    [("qwerty_234", "QWERTY_234"), ("qwe.rty.234", "QWE.RTY.234"), ("qwerty0234", "QWERTY0234"),
     ("olivia234", "OLIVIA234")],
)
def test_an_invalid_code_is_still_given_back_normalized_for_the_form(typed, normalized):
    assert campaign_code_normalize(typed) == normalized
    assert not campaign_code_is_well_formed(normalized)


@given(st.randoms(use_true_random=False))
def test_every_generated_code_is_well_formed(rng):
    code = campaign_code_generate(rng=rng)
    assert len(code) == CAMPAIGN_CODE_LENGTH
    assert campaign_code_is_well_formed(code)
    assert campaign_code_normalize(code) == code


def test_the_default_generator_gives_well_formed_codes_that_differ():
    codes = {campaign_code_generate() for _ in range(200)}
    assert all(campaign_code_is_well_formed(code) for code in codes)
    assert len(codes) == 200  # 7.6e10 possible codes: a repeat here would mean a broken generator


def test_generation_uses_every_allowed_character_and_no_other():
    rng = random.Random(2024)
    codes = [campaign_code_generate(rng=rng) for _ in range(2000)]
    assert {ch for code in codes for ch in code[:6]} == set(CAMPAIGN_CODE_LETTERS)
    assert {ch for code in codes for ch in code[6:]} == set(CAMPAIGN_CODE_DIGITS)


def test_the_same_seed_gives_the_same_code():
    assert campaign_code_generate(rng=random.Random(7)) == campaign_code_generate(rng=random.Random(7))


@given(st.text())
def test_normalizing_twice_changes_nothing(raw):
    once = campaign_code_normalize(raw)
    assert campaign_code_normalize(once) == once


@given(st.text())
def test_a_normalized_code_has_no_space_and_no_dash(raw):
    normalized = campaign_code_normalize(raw)
    assert " " not in normalized and "-" not in normalized
    assert not any(ch.isspace() for ch in normalized)


@given(code=st.builds(campaign_code_generate, rng=st.randoms(use_true_random=False)), data=st.data())
def test_a_code_typed_in_lower_case_with_spaces_and_dashes_is_recognised(code, data):
    typed = ""
    for ch in code:
        typed += data.draw(st.sampled_from(["", " ", "-", "  ", " - ", "\t"]))
        typed += ch.lower() if data.draw(st.booleans()) else ch
    assert campaign_code_normalize(typed) == code


def test_a_free_code_is_returned_at_once():
    seen = []

    def exists(code):
        seen.append(code)
        return False

    code = campaign_code_generate_unique(exists=exists)
    assert campaign_code_is_well_formed(code)
    assert seen == [code]


def test_taken_codes_are_skipped_until_a_free_one_is_drawn():
    replay = random.Random(1)
    draws = [campaign_code_generate(rng=replay) for _ in range(4)]
    taken = set(draws[:3])
    asked = []

    def exists(code):
        asked.append(code)
        return code in taken

    assert campaign_code_generate_unique(exists=exists, rng=random.Random(1)) == draws[3]
    assert asked == draws


def test_generation_gives_up_after_the_given_number_of_collisions():
    calls = []

    def always_taken(code):
        calls.append(code)
        return True

    with pytest.raises(CampaignCodeGenerationFailed) as caught:
        campaign_code_generate_unique(exists=always_taken, attempts=5)
    assert len(calls) == 5
    assert caught.value.attempts == 5
    assert caught.value.code == "CAMPAIGN_CODE_GENERATION_FAILED"
    assert "5 attempts" in str(caught.value)


def test_generation_tries_twenty_times_by_default():
    calls = []
    with pytest.raises(CampaignCodeGenerationFailed):
        campaign_code_generate_unique(exists=lambda code: calls.append(code) or True)
    assert len(calls) == 20


def test_the_last_attempt_can_still_succeed():
    calls = []

    def exists(code):
        calls.append(code)
        return len(calls) < 3

    assert campaign_code_generate_unique(exists=exists, attempts=3) == calls[-1]


@pytest.mark.parametrize("attempts", [0, -1])
def test_at_least_one_attempt_is_required(attempts):
    with pytest.raises(ValueError):
        campaign_code_generate_unique(exists=lambda code: False, attempts=attempts)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("O\u00af", "\u014c"),  # the macron's NFKC is a space and a combining macron: both passes together give Ō
        ("\u01f0", "J\u030c"),  # upper-casing ǰ gives J and a combining caron, which has no composed capital
        ("qwe\u00a0rty\u2011234", "QWERTY234"),
    ],
)
def test_normalizing_gives_what_a_second_pass_would_keep(raw, expected):
    assert campaign_code_normalize(raw) == expected
