"""Correcting answers: every type, each tolerance on and off, statuses, refusals, and properties (hypothesis)."""

import itertools
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.correction import (
    AnswerStatus,
    ChallengeKey,
    Correction,
    Field,
    InvalidAnswer,
    answer_correct,
    answer_evaluate,
    answer_normalize,
    maximum_matching,
    proposal_fields,
    treatment_t1,
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OK, KO = AnswerStatus.OK, AnswerStatus.KO
TOLERANCE_SETS = [dict(t1=t1, t2=t2, t3=t3) for t1 in (True, False) for t2 in (True, False) for t3 in (True, False)]


def qcu(solution="2", options=("Un moteur de recherche", "Un navigateur", "Un tableur")):
    return ChallengeKey(type="QCU", proposals=list(options), solution=solution)


def qcm(solution="1,3", options=("Chiffrer", "Publier", "Sauvegarder", "Partager")):
    return ChallengeKey(type="QCM", proposals=list(options), solution=solution)


def qroc(solution, *, t1=True, t2=True, t3=True, format=""):
    return ChallengeKey(type="QROC", proposals="Réponse : ${reponse}", solution=solution, t1=t1, t2=t2, t3=t3,
                        format=format)


def qrocm_ind(solution, proposals="Ville : ${ville}\nFleuve : ${fleuve#le fleuve}", **tolerances):
    return ChallengeKey(type="QROCM-ind", proposals=proposals, solution=solution, **tolerances)


def qrocm_dep(solution, proposals="${c1} ${c2} ${c3}", **tolerances):
    return ChallengeKey(type="QROCM-dep", proposals=proposals, solution=solution, **tolerances)


def correct(challenge, value):
    return answer_correct(challenge=challenge, value=answer_normalize(challenge=challenge, value=value))


def status(challenge, value):
    return correct(challenge, value).status


# --- Proposals ------------------------------------------------------------------------------------------------------

def test_proposal_fields_are_read_in_order_with_their_placeholder():
    text = "Le fichier ${nom#nom du fichier} pèse ${taille} Mo, soit ${ko# en ko } ko."
    assert proposal_fields(text) == [Field("nom", "nom du fichier"), Field("taille", ""), Field("ko", "en ko")]


def test_proposal_fields_of_a_text_without_field_or_a_field_twice():
    assert proposal_fields("Pas de champ ici, juste $ et {}.") == []
    assert proposal_fields("${a} puis ${a#encore}") == [Field("a", "")]


# --- QCU and QCM ----------------------------------------------------------------------------------------------------

def test_qcu_is_right_only_with_the_right_option():
    assert status(qcu(), "2") == OK
    assert status(qcu(), 2) == OK
    assert status(qcu(), " 2 ") == OK
    assert status(qcu(), "1") == KO
    assert status(qcu(), "3") == KO


def test_qcm_is_right_with_the_same_set_in_any_order():
    assert status(qcm(), "1,3") == OK
    assert status(qcm(), "3, 1") == OK
    assert status(qcm(), ["3", "1", "3"]) == OK
    assert status(qcm(solution="1, 3"), [1, 3]) == OK
    assert status(qcm(), "1") == KO  # a subset
    assert status(qcm(), "1,2,3") == KO  # a superset
    assert status(qcm(), "2,4") == KO


def test_choices_are_normalized_to_sorted_numbers_once_each():
    assert answer_normalize(challenge=qcu(), value=" 3") == "3"
    assert answer_normalize(challenge=qcm(), value="4, 1,1 ,2") == "1,2,4"
    assert answer_normalize(challenge=qcm(), value=["2"]) == "2"


@pytest.mark.parametrize("value, message", [
    (None, "Choisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("", "Choisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("0", "Cette réponse n'est pas l'une des propositions."),
    ("4", "Cette réponse n'est pas l'une des propositions."),
    ("deux", "Cette réponse n'est pas l'une des propositions."),
    ("1,2", "Cette réponse n'est pas l'une des propositions."),
    ("²", "Cette réponse n'est pas l'une des propositions."),
    (True, "Cette réponse n'est pas l'une des propositions."),
    (["1", "2"], "Choisissez une seule réponse."),
])
def test_qcu_refuses_anything_but_one_option(value, message):
    with pytest.raises(InvalidAnswer) as error:
        answer_normalize(challenge=qcu(), value=value)
    assert str(error.value) == message


@pytest.mark.parametrize("value, message", [
    (None, "Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("", "Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    (" , ", "Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ([], "Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("1,5", "Cette réponse n'est pas l'une des propositions."),
    ("1;3", "Cette réponse n'est pas l'une des propositions."),
    ({"1": True}, "Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
])
def test_qcm_refuses_an_empty_choice_or_a_number_outside_the_options(value, message):
    with pytest.raises(InvalidAnswer) as error:
        answer_normalize(challenge=qcm(), value=value)
    assert str(error.value) == message


# --- QROC and the tolerances ----------------------------------------------------------------------------------------

def test_qroc_matches_any_accepted_line():
    challenge = qroc("Paris\nparis 75\n\n")
    assert status(challenge, "Paris") == OK
    assert status(challenge, "paris 75") == OK
    assert status(challenge, "Lyon") == KO


def test_qroc_accepts_a_list_of_accepted_answers_too():
    assert status(qroc(["Paris", "Lutèce"]), "lutece") == OK


@pytest.mark.parametrize("accepted, answer", [
    ("paris", "  PARIS "),  # trim and case
    ("elephant", "Éléphant"),  # accents
    ("elephant", "e\u0301le\u0301phant"),  # decomposed accents
    ("elephant", "élé phant"),  # inner spaces
    ("elephant", "ele\tphant"),  # every whitespace
])
def test_t1_spaces_case_and_accents(accepted, answer):
    assert status(qroc(accepted, t1=True, t2=False, t3=False), answer) == OK
    assert status(qroc(accepted, t1=False, t2=False, t3=False), answer) == KO


def test_t1_also_treats_the_accepted_answers():
    assert status(qroc("Éléphant d'Afrique", t1=True, t2=False, t3=False), "elephantd'afrique") == OK


def test_t2_punctuation():
    challenge_on = qroc("aujourd hui", t1=False, t2=True, t3=False)
    challenge_off = qroc("aujourd hui", t1=False, t2=False, t3=False)
    assert status(challenge_on, "aujourd'hui") == KO  # the apostrophe is removed, not turned into a space
    assert status(challenge_on, "aujourd -hui") == OK
    assert status(challenge_on, "aujourd hui !") == OK  # the stray space left at the end is trimmed
    assert status(challenge_off, "aujourd -hui") == KO
    # Without T1, T2 keeps capitals: "Paris" does not become "aris".
    assert status(qroc("Paris", t1=False, t2=True, t3=False), "Paris.") == OK
    assert status(qroc("Paris", t1=False, t2=True, t3=False), "paris.") == KO


def test_t1_then_t2_strips_accents_before_punctuation():
    assert status(qroc("l'école", t1=True, t2=True, t3=False), "L ECOLE") == OK
    assert status(qroc("e-mail", t1=True, t2=True, t3=False), "Email") == OK
    assert status(qroc("e-mail", t1=True, t2=False, t3=False), "Email") == KO


def test_t3_accepts_a_typo_within_a_quarter_of_the_answers_length():
    # "navigateur" (10 letters): 2 edits allowed.
    on = qroc("navigateur", t1=True, t2=True, t3=True)
    off = qroc("navigateur", t1=True, t2=True, t3=False)
    assert status(on, "navigatuer") == OK  # 2 substitutions
    assert status(off, "navigatuer") == KO
    assert status(on, "navigtr") == KO  # 3 deletions, 7 letters: 3/7 > 0.25
    # The ratio is divided by the answer's length: 1 edit over 4 letters passes, over 3 does not.
    assert status(qroc("chat", t3=True), "chta") == KO  # a swap is 2 edits: 2/4 > 0.25
    assert status(qroc("chat", t3=True), "chad") == OK  # 1/4
    assert status(qroc("cha", t3=True), "chu") == KO  # 1/3


def test_t3_an_empty_treated_answer_only_matches_an_empty_accepted_one():
    # "?!" is not blank, so it is a valid answer; T2 makes it "".
    assert status(qroc("a", t1=True, t2=True, t3=True), "?!") == KO
    assert status(qroc("a\n...", t1=True, t2=True, t3=True), "?!") == OK


def test_pretreatment_nfc_and_no_break_spaces_even_without_tolerances():
    strict = dict(t1=False, t2=False, t3=False)
    assert status(qroc("Mot de passe", **strict), "Mot\u00a0de\u202fpasse") == OK
    assert status(qroc("café", **strict), "cafe\u0301") == OK  # NFD typed, NFC accepted
    assert status(qroc("cafe\u0301", **strict), "café") == OK


def test_strict_challenge_refuses_a_typo_a_capital_and_a_space():
    strict = qroc("ls -la", t1=False, t2=False, t3=False)
    assert status(strict, "ls -la") == OK
    assert status(strict, "ls -al") == KO
    assert status(strict, "LS -la") == KO
    assert status(strict, "ls -la ") == KO


# --- Numeric QROC ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["3,5", "3.5", " 3.50 ", "+3,500", "3,5\u00a0"])
def test_numeric_qroc_compares_numbers(answer):
    assert status(qroc("3.5", format="nombre"), answer) == OK


@pytest.mark.parametrize("answer, expected", [
    ("2 500", OK), ("2500", OK), ("2\u00a0500", OK), ("2500,0", OK), ("2 50 0", KO), ("25 00", KO), ("250", KO),
    ("-2500", KO),
])
def test_numeric_qroc_spaces_as_thousands_separators(answer, expected):
    # T1 and T3 off, so that what is not a number is not accepted as text ("25 00" is "2500" once spaces go).
    assert status(qroc("2500", format="nombre", t1=False, t3=False), answer) == expected


def test_numeric_qroc_is_not_lenient_on_digits():
    # Numbers are compared as numbers: T3 does not let 12.6 pass for 12.5 (one edit in five characters).
    assert status(qroc("12,5", format="nombre"), "12.6") == KO
    assert status(qroc("12,5", format="nombre"), "12,50") == OK


def test_numeric_qroc_falls_back_to_text_when_something_is_not_a_number():
    challenge = qroc("3,5\ntrois et demi", format="nombre", t2=False)  # T2 would make "3.5" and "3,5" both "35"
    assert status(challenge, "Trois et demi") == OK
    assert status(challenge, "3,5") == OK
    assert status(challenge, "3.5") == KO  # not compared as numbers: "trois et demi" is not a number
    assert status(qroc("3,5", format="nombre"), "environ 3,5") == KO


def test_without_numeric_format_numbers_are_text():
    assert status(qroc("3.5", t2=False, t3=False), "3,5") == KO


@pytest.mark.parametrize("value, message", [
    (None, "Saisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("", "Saisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("   ", "Saisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    (12, "Saisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("a" * 501, "Votre réponse est trop longue : 500 caractères au plus."),
])
def test_qroc_refuses_an_empty_a_non_text_or_a_too_long_answer(value, message):
    with pytest.raises(InvalidAnswer) as error:
        answer_normalize(challenge=qroc("x"), value=value)
    assert str(error.value) == message


def test_qroc_keeps_the_answer_as_typed():
    assert answer_normalize(challenge=qroc("x"), value=" Paris ") == " Paris "
    assert answer_normalize(challenge=qroc("x"), value="a" * 500) == "a" * 500


# --- QROCM ----------------------------------------------------------------------------------------------------------

def test_qrocm_ind_every_field_matches_its_own_accepted_answers():
    challenge = qrocm_ind({"ville": ["Lyon"], "fleuve": ["Rhône", "le Rhône"]})
    assert correct(challenge, {"ville": "lyon", "fleuve": "le rhone"}) == Correction(
        status=OK, fields={"ville": True, "fleuve": True})
    assert correct(challenge, {"ville": "Lyon", "fleuve": "Saône"}) == Correction(
        status=KO, fields={"ville": True, "fleuve": False})
    # An answer of the other field does not count.
    assert correct(challenge, {"ville": "Rhône", "fleuve": "Lyon"}).fields == {"ville": False, "fleuve": False}
    # An empty field is wrong.
    assert correct(challenge, {"ville": "Lyon", "fleuve": ""}).status == KO


def test_qrocm_ind_tolerances_apply_to_every_field():
    strict = qrocm_ind({"ville": ["Lyon"], "fleuve": ["Rhône"]}, t1=False, t2=False, t3=False)
    assert correct(strict, {"ville": "lyon", "fleuve": "Rhône"}).fields == {"ville": False, "fleuve": True}


def test_qrocm_dep_fields_match_groups_in_any_order():
    challenge = qrocm_dep({"g1": ["rouge"], "g2": ["vert"], "g3": ["bleu"]})
    assert correct(challenge, {"c1": "Bleu", "c2": "rouge", "c3": "vert"}).status == OK
    assert correct(challenge, {"c1": "vert", "c2": "rouge", "c3": "jaune"}) == Correction(
        status=KO, fields={"c1": True, "c2": True, "c3": False})


def test_qrocm_dep_a_group_is_used_once():
    challenge = qrocm_dep({"g1": ["rouge"], "g2": ["vert"], "g3": ["bleu"]})
    assert correct(challenge, {"c1": "rouge", "c2": "rouge", "c3": "bleu"}) == Correction(
        status=KO, fields={"c1": True, "c2": False, "c3": True})


def test_qrocm_dep_finds_the_assignment_a_first_fit_would_miss():
    # "chat" fits g1 and g2, "chien" only g1: first fit gives g1 to "chat" and leaves "chien" without a group.
    challenge = qrocm_dep({"g1": ["chat", "chien"], "g2": ["chat", "poisson"]}, proposals="${a} ${b}")
    assert correct(challenge, {"a": "chat", "b": "chien"}) == Correction(status=OK, fields={"a": True, "b": True})


def test_qrocm_dep_a_longer_augmenting_path():
    groups = {"g1": ["a", "b"], "g2": ["b", "c"], "g3": ["c", "d"]}
    challenge = qrocm_dep(groups)
    assert correct(challenge, {"c1": "b", "c2": "c", "c3": "d"}).status == OK
    assert correct(challenge, {"c1": "a", "c2": "b", "c3": "c"}).status == OK
    assert correct(challenge, {"c1": "a", "c2": "a", "c3": "d"}).fields == {"c1": True, "c2": False, "c3": True}


def test_qrocm_dep_with_more_groups_than_fields():
    challenge = qrocm_dep({"g1": ["Word"], "g2": ["Writer"], "g3": ["Pages"]}, proposals="${x} ${y}")
    assert correct(challenge, {"x": "pages", "y": "writter"}).status == OK  # T3: one edit in 7 letters


def brute_force_matching_size(left, edges):
    best = 0
    for choice in itertools.product(*[[None, *edges[item]] for item in left]):
        used = [group for group in choice if group is not None]
        if len(used) == len(set(used)):
            best = max(best, len(used))
    return best


@SETTINGS
@given(edges=st.dictionaries(st.sampled_from("abcde"), st.lists(st.sampled_from("12345"), unique=True, max_size=4),
                             max_size=5))
def test_maximum_matching_is_as_large_as_any_assignment(edges):
    left = sorted(edges)
    matching = maximum_matching(left, edges)
    assert len(set(matching.values())) == len(matching)  # a group used once
    assert all(group in edges[item] for item, group in matching.items())
    assert len(matching) == brute_force_matching_size(left, edges)


def test_qrocm_normalize_keeps_the_fields_order_and_blank_fields():
    challenge = qrocm_ind({"ville": ["Lyon"], "fleuve": ["Rhône"]})
    assert answer_normalize(challenge=challenge, value={"fleuve": "Rhône", "ville": ""}) == {
        "ville": "", "fleuve": "Rhône"}


@pytest.mark.parametrize("value, message", [
    (None, "Remplissez les champs de la question."),
    ("Lyon", "Remplissez les champs de la question."),
    ({"ville": "Lyon"}, "Remplissez les champs de la question."),  # a field missing
    ({"ville": "Lyon", "fleuve": "Rhône", "pays": "France"}, "Remplissez les champs de la question."),
    ({"ville": "Lyon", "fleuve": 3}, "Remplissez les champs de la question."),
    ({"ville": " ", "fleuve": ""}, "Remplissez au moins un champ. Si vous ne savez pas, cliquez sur « Je passe »."),
    ({"ville": "Lyon", "fleuve": "x" * 501}, "Une réponse est trop longue : 500 caractères au plus par champ."),
])
def test_qrocm_refuses_the_wrong_fields_all_empty_or_too_long(value, message):
    with pytest.raises(InvalidAnswer) as error:
        answer_normalize(challenge=qrocm_ind({"ville": ["Lyon"], "fleuve": ["Rhône"]}), value=value)
    assert str(error.value) == message


def test_invalid_answer_has_a_stable_code():
    with pytest.raises(InvalidAnswer) as error:
        answer_normalize(challenge=qcu(), value="")
    assert error.value.code == "ANSWER_EMPTY"
    assert isinstance(error.value, ValueError)


# --- Statuses -------------------------------------------------------------------------------------------------------

def test_a_skip_is_aband_whatever_the_value():
    assert answer_evaluate(challenge=qcu(), value="2", skipped=True, late=False).status == AnswerStatus.ABAND
    assert answer_evaluate(challenge=qcu(), value=None, skipped=True, late=True).status == AnswerStatus.ABAND


def test_a_right_answer_after_the_timer_is_timedout_a_wrong_one_stays_ko():
    assert answer_evaluate(challenge=qcu(), value="2", skipped=False, late=False).status == OK
    assert answer_evaluate(challenge=qcu(), value="2", skipped=False, late=True).status == AnswerStatus.TIMEDOUT
    assert answer_evaluate(challenge=qcu(), value="1", skipped=False, late=True).status == KO
    assert answer_evaluate(challenge=qcu(), value="1", skipped=False, late=False).status == KO


def test_a_late_qrocm_keeps_its_fields():
    challenge = qrocm_ind({"ville": ["Lyon"], "fleuve": ["Rhône"]})
    late = answer_evaluate(challenge=challenge, value={"ville": "Lyon", "fleuve": "Rhône"}, skipped=False, late=True)
    assert late == Correction(status=AnswerStatus.TIMEDOUT, fields={"ville": True, "fleuve": True})


def test_statuses_are_their_stored_strings():
    assert [str(status) for status in AnswerStatus] == ["ok", "ko", "aband", "timedout"]


# --- Properties -----------------------------------------------------------------------------------------------------

# Accepted answers are one line each and not blank (a blank line of a solution is layout).
accepted_text = st.text(
    st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), min_size=1, max_size=40,
).filter(lambda text: text.strip())


@SETTINGS
@given(accepted=accepted_text, tolerances=st.sampled_from(TOLERANCE_SETS), numeric=st.booleans())
def test_an_accepted_answer_always_matches_itself(accepted, tolerances, numeric):
    challenge = qroc(accepted, format="nombre" if numeric else "", **tolerances)
    assert answer_correct(challenge=challenge, value=accepted).status == OK


@SETTINGS
@given(texts=st.lists(accepted_text, min_size=1, max_size=3), tolerances=st.sampled_from(TOLERANCE_SETS))
def test_accepted_answers_always_match_themselves_in_qrocm(texts, tolerances):
    keys = [f"k{index}" for index in range(len(texts))]
    proposals = " ".join(f"${{{key}}}" for key in keys)
    value = dict(zip(keys, texts))
    solution = {key: [text] for key, text in value.items()}
    for kind in ("QROCM-ind", "QROCM-dep"):
        challenge = ChallengeKey(type=kind, proposals=proposals, solution=solution, **tolerances)
        assert answer_correct(challenge=challenge, value=value).status == OK


@SETTINGS
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_t1_is_idempotent(text):
    once = treatment_t1(text)
    assert treatment_t1(once) == once


ACCENTED = {"a": "àâäá", "e": "éèêë", "i": "îïí", "o": "ôöó", "u": "ùûü", "c": "ç", "n": "ñ", "y": "ÿ"}


@st.composite
def case_and_accent_variant(draw):
    """A word of a–z and spaces, and the same word with random capitals and accents."""
    word = draw(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz "), min_size=1, max_size=20)
                .filter(lambda text: text.strip()))
    variant = []
    for letter in word:
        if letter in ACCENTED and draw(st.booleans()):
            letter = draw(st.sampled_from(ACCENTED[letter]))
        if draw(st.booleans()):
            letter = letter.upper()
        if draw(st.booleans()):  # some typed decomposed
            letter = unicodedata.normalize("NFD", letter)
        variant.append(letter)
    return word, "".join(variant)


@SETTINGS
@given(pair=case_and_accent_variant(), t2=st.booleans(), t3=st.booleans(), swap=st.booleans())
def test_case_and_accents_never_matter_with_t1(pair, t2, t3, swap):
    accepted, answer = pair if not swap else pair[::-1]
    challenge = qroc(accepted, t1=True, t2=t2, t3=t3)
    assert answer_correct(challenge=challenge, value=answer).status == OK
