from hypothesis import given
from hypothesis import strategies as st

from students.names import name_fold, name_search_key


def test_fold_removes_accents_case_and_punctuation():
    assert name_fold("  Lœtitia-Anaïs D'Hôte ") == "loetitia anais d hote"
    assert name_fold("ÉLODIE") == name_fold("elodie") == "elodie"


def test_fold_of_nothing_is_empty():
    assert name_fold(None) == "" and name_fold("  -- ") == ""


def test_search_key_joins_the_folded_names():
    assert name_search_key("Dupré", None, "Zoé", "") == "dupre zoe"


@given(st.text())
def test_fold_only_keeps_lowercase_ascii_words(value):
    folded = name_fold(value)
    assert folded == folded.strip()
    assert all(ch == " " or ch.isascii() and (ch.isdigit() or ch.islower()) for ch in folded)
    assert name_fold(folded) == folded
