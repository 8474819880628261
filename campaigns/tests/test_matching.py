"""Linking a student to their school record: the examples of the issue, then properties checked with hypothesis."""

import random
import unicodedata
from collections import namedtuple
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from campaigns.matching import (
    GIVEN_NAME_SLOTS,
    Candidate,
    MatchReason,
    MatchResult,
    learner_match,
    levenshtein_distance,
    name_normalize,
    tolerated_distance,
)

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Examples with many candidates are slower to generate.
GROUP_SETTINGS = settings(SETTINGS, max_examples=100)


def learner(id, first_name, family_name, second=None, third=None, usage=None):
    return Candidate(id=id, first_name=first_name, family_name=family_name, second_first_name=second,
                     third_first_name=third, usage_name=usage)


# --- Names are normalised -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value, normalized",
    [
        ("Joé", "joe"),
        ("Jo e", "joe"),
        ("Jo-e", "joe"),
        ("LE-GOFF", "legoff"),
        ("Le Goff", "legoff"),
        ("D'Almeida", "dalmeida"),
        ("D’Almeida", "dalmeida"),  # typographic apostrophe
        ("  Lœtitia-Anaïs D'Hôte ", "loetitiaanaisdhote"),
        ("Lætitia", "laetitia"),
        ("Strauß", "strauss"),
        ("ÆLIS ŒDIPE", "aelisoedipe"),
        ("François", "francois"),
        ("Zoë Noëlle", "zoenoelle"),
        ("Ÿvès", "yves"),
        ("Søren Łukasz", "sorenlukasz"),
        ("N'Diaye-Kanté", "ndiayekante"),
        ("Louis XIV", "louisxiv"),
        ("Jean-Paul II.", "jeanpaulii"),
        ("Marie\u00a0Anne", "marieanne"),  # no-break space
        ("Élo\u0301die", "elodie"),  # decomposed accent
        ("Ｊｏｅ", "joe"),  # full-width letters
        ("Ana2", "ana2"),
        ("", ""),
        (None, ""),
        ("- ' -", ""),
        ("Ελένη", ""),  # not Latin script: nothing left, so it can never match
    ],
)
def test_names_lose_accents_case_and_everything_but_letters_and_digits(value, normalized):
    assert name_normalize(value) == normalized


# --- The examples of the issue --------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["Joé", "Jo e", "Jo-e", "JOE", "joe", " joé "])
def test_accents_spaces_and_hyphens_in_the_first_name_do_not_matter(typed):
    joe = learner(1, "Joe", "Martin")
    result = learner_match(first_name=typed, last_name="Martin", candidates=[joe])
    assert result == MatchResult(MatchReason.STRICT, joe, "first_name")


@pytest.mark.parametrize("typed, registered", [("Frédérique", "Frédéric"), ("Frédéric", "Frédérique")])
def test_frederique_is_not_frederic(typed, registered):
    assert levenshtein_distance(name_normalize(typed), name_normalize(registered)) == 3  # more than 25 %
    result = learner_match(first_name=typed, last_name="Durand", candidates=[learner(1, registered, "Durand")])
    assert result == MatchResult(MatchReason.NO_MATCH)


def test_twins_born_the_same_day_are_told_apart_by_the_strict_pass():
    allan, alian = learner(1, "Allan", "Bernard"), learner(2, "Alian", "Bernard")
    twins = [allan, alian]
    assert learner_match(first_name="Alian", last_name="Bernard", candidates=twins).matched is alian
    assert learner_match(first_name="Allan", last_name="Bernard", candidates=twins).matched is allan
    assert learner_match(first_name="Allan", last_name="Bernard", candidates=twins[::-1]).reason == MatchReason.STRICT


def test_a_name_close_to_both_twins_is_ambiguous():
    twins = [learner(1, "Allan", "Bernard"), learner(2, "Alian", "Bernard")]
    result = learner_match(first_name="Alan", last_name="Bernard", candidates=twins)
    assert result == MatchResult(MatchReason.AMBIGUOUS, None, "first_name")
    assert not result.is_match


def test_a_wrong_birthdate_never_matches():
    # The candidates are the learners born on the typed date: a wrong date leaves none.
    assert learner_match(first_name="Joe", last_name="Martin", candidates=[]) == MatchResult(MatchReason.NO_MATCH)


@pytest.mark.parametrize("typed", ["Le Goff", "le goff", "LEGOFF", "Le-Goff", "le  goff"])
def test_a_compound_family_name_can_be_typed_without_its_hyphen(typed):
    le_goff = learner(1, "Yann", "LE-GOFF")
    assert learner_match(first_name="Yann", last_name=typed, candidates=[le_goff]).matched is le_goff


@pytest.mark.parametrize("typed, registered", [("D'Almeida", "Dalmeida"), ("Dalmeida", "D'ALMEIDA"),
                                               ("D’Almeida", "D'Almeida"), ("d almeida", "D'Almeida")])
def test_apostrophes_do_not_matter(typed, registered):
    candidate = learner(1, "Inês", registered)
    assert learner_match(first_name="Ines", last_name=typed, candidates=[candidate]).matched is candidate


@pytest.mark.parametrize("typed_last_name", ["Dupont", "Martin"])
def test_the_usage_name_matches_as_well_as_the_family_name(typed_last_name):
    lea = learner(1, "Léa", "Martin", usage="Dupont")
    result = learner_match(first_name="Lea", last_name=typed_last_name, candidates=[lea])
    assert result == MatchResult(MatchReason.STRICT, lea, "first_name")


def test_a_student_may_type_their_second_given_name():
    marie_anne = learner(1, "Marie", "Petit", second="Anne")
    result = learner_match(first_name="Anne", last_name="Petit", candidates=[marie_anne, learner(2, "Anne", "Moreau")])
    assert result == MatchResult(MatchReason.STRICT, marie_anne, "second_first_name")


def test_a_student_may_type_their_third_given_name():
    candidate = learner(1, "Marie", "Petit", second="Anne", third="Sophie")
    result = learner_match(first_name="Sophie", last_name="Petit", candidates=[candidate])
    assert result == MatchResult(MatchReason.STRICT, candidate, "third_first_name")


def test_a_second_given_name_shared_by_two_learners_is_ambiguous():
    candidates = [learner(1, "Marie", "Petit", second="Anne"), learner(2, "Julie", "Petit", second="Anne")]
    result = learner_match(first_name="Anne", last_name="Petit", candidates=candidates)
    assert result == MatchResult(MatchReason.AMBIGUOUS, None, "second_first_name")


def test_a_typo_within_a_quarter_of_the_length_matches_in_the_tolerant_pass():
    matthieu = learner(1, "Matthieu", "Roux")
    result = learner_match(first_name="Mathieu", last_name="Roux", candidates=[matthieu])  # 1 edit, 7 letters
    assert result == MatchResult(MatchReason.TOLERANT, matthieu, "first_name")


def test_swapped_letters_count_as_two_edits():
    # "matheiu" is two substitutions away from "mathieu": 2 > floor(0.25 * 7) = 1.
    assert levenshtein_distance("matheiu", "mathieu") == 2
    result = learner_match(first_name="Matheiu", last_name="Roux", candidates=[learner(1, "Mathieu", "Roux")])
    assert result.reason == MatchReason.NO_MATCH


def test_swapped_letters_in_a_long_name_are_tolerated():
    # "maxmiilien" has 10 letters: the 2 edits of the swap are tolerated.
    assert levenshtein_distance("maxmiilien", "maximilien") == 2
    candidate = learner(1, "Maximilien", "Roux")
    result = learner_match(first_name="Maxmiilien", last_name="Roux", candidates=[candidate])
    assert result == MatchResult(MatchReason.TOLERANT, candidate, "first_name")


def test_a_typo_in_the_last_name_is_tolerated_too():
    candidate = learner(1, "Hugo", "Dupont")
    result = learner_match(first_name="Hugo", last_name="Dupond", candidates=[candidate])
    assert result == MatchResult(MatchReason.TOLERANT, candidate, "first_name")


def test_typos_in_both_names_are_tolerated_in_the_same_pass():
    candidate = learner(1, "Clément", "Lefebvre")
    result = learner_match(first_name="Clemant", last_name="Lefevre", candidates=[candidate])
    assert result == MatchResult(MatchReason.TOLERANT, candidate, "first_name")


def test_an_ambiguous_slot_is_skipped_and_a_later_slot_wins():
    # Two "Marie Dupont" on the first slot; only one learner has "Marie" as second given name.
    candidates = [learner(1, "Marie", "Dupont"), learner(2, "Marie", "Dupont", second="Louise"),
                  learner(3, "Jeanne", "Dupont", second="Marie")]
    result = learner_match(first_name="Marie", last_name="Dupont", candidates=candidates)
    assert result == MatchResult(MatchReason.STRICT, candidates[2], "second_first_name")


def test_an_ambiguous_strict_slot_is_skipped_and_the_tolerant_pass_can_still_decide():
    candidates = [learner(1, "Marie", "Dupont"), learner(2, "Marie", "Dupont"),
                  learner(3, "Jeanne", "Dupont", second="Maria")]
    result = learner_match(first_name="Marie", last_name="Dupont", candidates=candidates)
    assert result == MatchResult(MatchReason.TOLERANT, candidates[2], "second_first_name")


# --- Order of the passes and slots ----------------------------------------------------------------------------------

def test_the_strict_pass_tries_every_slot_before_the_tolerant_pass():
    # "Allan" is one edit from A's first name, but B's second given name is exactly "Allan".
    a, b = learner(1, "Alian", "Bernard"), learner(2, "Paul", "Bernard", second="Allan")
    result = learner_match(first_name="Allan", last_name="Bernard", candidates=[a, b])
    assert result == MatchResult(MatchReason.STRICT, b, "second_first_name")


def test_the_first_slot_with_one_candidate_wins():
    a, b = learner(1, "Anne", "Petit"), learner(2, "Marie", "Petit", second="Anne")
    assert learner_match(first_name="Anne", last_name="Petit", candidates=[b, a]) == MatchResult(
        MatchReason.STRICT, a, "first_name")


def test_the_first_name_must_match_on_the_same_learner_as_the_last_name():
    candidates = [learner(1, "Hugo", "Martin"), learner(2, "Léo", "Dupont")]
    assert learner_match(first_name="Hugo", last_name="Dupont", candidates=candidates).reason == MatchReason.NO_MATCH


def test_first_and_last_names_typed_the_wrong_way_round_do_not_match():
    candidate = learner(1, "Martin", "Dupont")
    assert learner_match(first_name="Dupont", last_name="Martin", candidates=[candidate]).reason == MatchReason.NO_MATCH


def test_two_identical_records_are_ambiguous():
    candidates = [learner(1, "Marie", "Dupont"), learner(2, "Marie", "Dupont")]
    assert learner_match(first_name="Marie", last_name="Dupont", candidates=candidates) == MatchResult(
        MatchReason.AMBIGUOUS, None, "first_name")


# --- The tolerance: floor(25 % of the typed, normalised length) -----------------------------------------------------

@pytest.mark.parametrize("typed, allowed", [("", 0), ("a", 0), ("léa", 0), ("emma", 1), ("mathieu", 1),
                                            ("matthieu", 2), ("maximilien", 2), ("jeanbaptiste", 3)])
def test_the_tolerated_distance_is_a_quarter_of_the_typed_length_rounded_down(typed, allowed):
    assert tolerated_distance(name_normalize(typed)) == allowed


def test_short_names_must_be_typed_exactly():
    assert learner_match(first_name="Léo", last_name="Roux", candidates=[learner(1, "Léa", "Roux")]).reason == (
        MatchReason.NO_MATCH)
    assert learner_match(first_name="Léa", last_name="Rou", candidates=[learner(1, "Léa", "Roux")]).reason == (
        MatchReason.NO_MATCH)


def test_the_tolerance_follows_the_typed_length_not_the_registered_one():
    # "Emma" (4 letters, 1 edit) is tolerated for "Emmma"; typing "Ema" (3 letters, exact only) is not for "Emma".
    assert learner_match(first_name="Emma", last_name="Roux", candidates=[learner(1, "Emmma", "Roux")]).is_match
    assert not learner_match(first_name="Ema", last_name="Roux", candidates=[learner(1, "Emma", "Roux")]).is_match


def test_the_tolerance_is_measured_on_the_normalised_typed_name():
    # "J-o é" is 5 characters as typed but "joe" once normalised: no edit allowed.
    assert not learner_match(first_name="J-o é", last_name="Roux", candidates=[learner(1, "Jon", "Roux")]).is_match


# --- Odd input never raises -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("first_name, last_name", [("", "Martin"), ("Joe", ""), ("", ""), ("  ", "Martin"),
                                                   ("Joe", "-'-"), ("Ελένη", "Martin")])
def test_empty_typed_names_never_match(first_name, last_name):
    candidates = [learner(1, "", ""), learner(2, "Joe", "Martin"), learner(3, None, None)]
    assert learner_match(first_name=first_name, last_name=last_name, candidates=candidates) == MatchResult(
        MatchReason.NO_MATCH)


def test_empty_slots_of_a_candidate_never_match():
    candidate = learner(1, "Joe", "Martin", second="", third=None, usage="")
    assert learner_match(first_name="Joe", last_name="Martin", candidates=[candidate]).slot == "first_name"
    lone = learner(2, None, "Martin", second="Joe")
    assert learner_match(first_name="Joe", last_name="Martin", candidates=[lone]).slot == "second_first_name"


def test_a_learner_without_family_name_matches_on_the_usage_name():
    candidate = learner(1, "Joe", None, usage="Martin")
    assert learner_match(first_name="Joe", last_name="Martin", candidates=[candidate]).matched is candidate


# --- Anything with the attributes is a candidate --------------------------------------------------------------------

def test_any_object_with_the_names_is_a_candidate_and_is_given_back_as_is():
    Row = namedtuple("Row", "id first_name second_first_name third_first_name family_name usage_name")
    row = Row(7, "Zoé", None, None, "Nguyen", None)
    namespace = SimpleNamespace(id=8, first_name="Théo", second_first_name="Zoé", third_first_name=None,
                                family_name="Nguyen", usage_name=None, division="3e B")
    assert learner_match(first_name="Zoe", last_name="NGUYEN", candidates=(row, namespace)).matched is row
    assert learner_match(first_name="Theo", last_name="nguyen", candidates=[row, namespace]).matched is namespace


def test_a_candidate_is_frozen():
    with pytest.raises(AttributeError):
        learner(1, "Joe", "Martin").first_name = "Jo"  # type: ignore[misc]


# --- Levenshtein distance -------------------------------------------------------------------------------------------

def reference_levenshtein(a: str, b: str) -> int:
    """The textbook full-matrix definition, to check the two-row bounded one against."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return rows[len(a)][len(b)]


@pytest.mark.parametrize("a, b, distance", [("", "", 0), ("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3),
                                            ("flaw", "lawn", 2), ("joe", "joe", 0), ("allan", "alian", 1),
                                            ("frederique", "frederic", 3), ("ab", "ba", 2)])
def test_levenshtein_distance_examples(a, b, distance):
    assert levenshtein_distance(a, b) == distance == levenshtein_distance(b, a)


def test_a_bounded_distance_stops_at_the_bound_plus_one():
    assert levenshtein_distance("kitten", "sitting", max_distance=3) == 3
    assert levenshtein_distance("kitten", "sitting", max_distance=2) == 3
    assert levenshtein_distance("kitten", "sitting", max_distance=0) == 1
    assert levenshtein_distance("a", "abcdefghij", max_distance=2) == 3  # by the lengths alone
    with pytest.raises(ValueError):
        levenshtein_distance("a", "b", max_distance=-1)


WORDS = st.text(alphabet="abcdeo", max_size=12)


@SETTINGS
@given(WORDS, WORDS, st.none() | st.integers(min_value=0, max_value=8))
def test_levenshtein_distance_agrees_with_the_textbook_definition(a, b, max_distance):
    expected = reference_levenshtein(a, b)
    if max_distance is not None:
        expected = min(expected, max_distance + 1)
    assert levenshtein_distance(a, b, max_distance=max_distance) == expected
    assert levenshtein_distance(b, a, max_distance=max_distance) == expected


# --- Properties on French-like names --------------------------------------------------------------------------------

LETTERS = "abcdefghijklmnopqrstuvwxyzéèêëàâäîïôöùûüçÿœæ"
SEPARATORS = ["-", " ", "'", "’"]
word = st.text(alphabet=LETTERS, min_size=1, max_size=9)


@st.composite
def names(draw, max_words=3):
    words = draw(st.lists(word, min_size=1, max_size=max_words))
    text = words[0]
    for next_word in words[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + next_word
    casing = draw(st.sampled_from([str.title, str.upper, str.lower, str.capitalize]))
    return casing(text)


optional_names = st.none() | st.just("") | names()


@st.composite
def candidates(draw, id=st.integers(min_value=1, max_value=10**6)):
    return Candidate(id=draw(id), first_name=draw(names()), second_first_name=draw(optional_names),
                     third_first_name=draw(optional_names), family_name=draw(names()), usage_name=draw(optional_names))


def _without_accent(char: str) -> str:
    return "".join(part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part))


def retyped(name: str, rng: random.Random) -> str:
    """How a student may type a registered name: accents dropped here and there, any case, hyphens and spaces
    swapped, apostrophes dropped, ligatures spelt out."""
    typed = []
    for char in name:
        if char in SEPARATORS:
            char = rng.choice(["-", " ", "", "  ", " - "] if char in "- " else ["", " ", "'"])
        elif rng.random() < 0.5:
            char = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}.get(char, _without_accent(char))
        typed.append(rng.choice([str.upper, str.lower, str])(char))
    return rng.choice(["", " "]) + "".join(typed) + rng.choice(["", " ", "\t"])


def typed_names(candidate: Candidate, rng: random.Random) -> tuple[str, str]:
    given = [getattr(candidate, slot) for slot in GIVEN_NAME_SLOTS if name_normalize(getattr(candidate, slot))]
    last = [name for name in (candidate.family_name, candidate.usage_name) if name_normalize(name)]
    return retyped(rng.choice(given), rng), retyped(rng.choice(last), rng)


@SETTINGS
@given(candidates(), st.randoms(use_true_random=False))
def test_a_learner_always_matches_themselves_however_the_name_is_typed(candidate, rng):
    first_name, last_name = typed_names(candidate, rng)
    result = learner_match(first_name=first_name, last_name=last_name, candidates=[candidate])
    assert result.matched is candidate
    assert result.reason == MatchReason.STRICT


@GROUP_SETTINGS
@given(candidates(), st.lists(candidates(), max_size=30), st.randoms(use_true_random=False))
def test_a_learner_is_found_among_classmates_with_other_last_names(candidate, classmates, rng):
    first_name, last_name = typed_names(candidate, rng)
    typed_last = name_normalize(last_name)
    others = [c for c in classmates if typed_last not in (name_normalize(c.family_name), name_normalize(c.usage_name))]
    everyone = others + [candidate]
    rng.shuffle(everyone)
    result = learner_match(first_name=first_name, last_name=last_name, candidates=everyone)
    assert result.matched is candidate
    assert result.reason == MatchReason.STRICT


@given(st.text())
def test_normalizing_twice_changes_nothing_and_leaves_only_a_z_0_9(value):
    normalized = name_normalize(value)
    assert name_normalize(normalized) == normalized
    assert all(char in "abcdefghijklmnopqrstuvwxyz0123456789" for char in normalized)


@given(names())
def test_a_french_name_keeps_all_its_letters(value):
    assert len(name_normalize(value)) >= sum(char.isalpha() for char in value)


def mistyped(name: str, rng: random.Random) -> str:
    """A few random insertions, deletions and substitutions."""
    chars = list(name)
    for _ in range(rng.randint(0, 5)):
        operation = rng.choice(["insert", "delete", "substitute"])
        position = rng.randrange(len(chars) + (operation == "insert")) if chars else 0
        if operation == "insert" or not chars:
            chars.insert(position, rng.choice(LETTERS))
        elif operation == "delete":
            del chars[position]
        else:
            chars[position] = rng.choice(LETTERS)
    return "".join(chars)


def _far(typed: str, registered: list[str | None]) -> bool:
    typed = name_normalize(typed)
    return all(reference_levenshtein(typed, name_normalize(name)) > len(typed) // 4
               for name in registered if name_normalize(name))


@SETTINGS
@given(candidates(), st.randoms(use_true_random=False), names(), names())
def test_a_lone_learner_far_from_both_typed_names_never_matches(candidate, rng, other_first_name, other_last_name):
    # Half of the time a mistyped own name (near the 25 % boundary), otherwise someone else's name.
    first_name, last_name = (mistyped(name, rng) for name in typed_names(candidate, rng))
    if rng.random() < 0.5:
        first_name, last_name = other_first_name, other_last_name
    assume(_far(first_name, [getattr(candidate, slot) for slot in GIVEN_NAME_SLOTS]))
    assume(_far(last_name, [candidate.family_name, candidate.usage_name]))
    assert learner_match(first_name=first_name, last_name=last_name, candidates=[candidate]) == MatchResult(
        MatchReason.NO_MATCH)


@SETTINGS
@given(candidates(), st.randoms(use_true_random=False))
def test_a_lone_learner_matches_exactly_when_a_given_name_and_a_last_name_are_close_enough(candidate, rng):
    first_name, last_name = (mistyped(name, rng) for name in typed_names(candidate, rng))
    typed_first, typed_last = name_normalize(first_name), name_normalize(last_name)
    last_names = [name for name in map(name_normalize, (candidate.family_name, candidate.usage_name)) if name]
    given = [name_normalize(getattr(candidate, slot)) for slot in GIVEN_NAME_SLOTS]

    def first_slot(close) -> str | None:
        if not typed_first or not typed_last or not any(close(typed_last, name) for name in last_names):
            return None
        return next((slot for slot, name in zip(GIVEN_NAME_SLOTS, given) if name and close(typed_first, name)), None)

    strict_slot = first_slot(lambda typed, name: typed == name)
    tolerant_slot = first_slot(lambda typed, name: reference_levenshtein(typed, name) <= len(typed) // 4)
    result = learner_match(first_name=first_name, last_name=last_name, candidates=[candidate])
    event(f"{result.reason} {result.slot}")
    if strict_slot:
        assert result == MatchResult(MatchReason.STRICT, candidate, strict_slot)
    elif tolerant_slot:
        assert result == MatchResult(MatchReason.TOLERANT, candidate, tolerant_slot)
    else:
        assert result == MatchResult(MatchReason.NO_MATCH)


@GROUP_SETTINGS
@given(st.lists(candidates(), max_size=12), st.randoms(use_true_random=False), st.data())
def test_the_order_of_the_candidates_does_not_change_the_result(group, rng, data):
    assume(group)
    model = data.draw(st.sampled_from(group))
    first_name, last_name = (mistyped(name, rng) if rng.random() < 0.3 else name for name in typed_names(model, rng))
    # Classmates sharing a typed name make the ambiguous and "later slot" cases likely.
    group = group + [Candidate(id=0, first_name=data.draw(names()), second_first_name=first_name,
                               family_name=last_name)] * data.draw(st.integers(0, 2))
    shuffled = list(group)
    rng.shuffle(shuffled)
    result = learner_match(first_name=first_name, last_name=last_name, candidates=group)
    event(f"{result.reason} {result.slot}")
    assert learner_match(first_name=first_name, last_name=last_name, candidates=shuffled) == result
    assert result.matched is None or any(result.matched is candidate for candidate in group)
