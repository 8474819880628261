from hypothesis import given
from hypothesis import strategies as st

from students.names import name_fold, name_search_key, names_explaining


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


def test_a_search_matching_only_a_hidden_name_says_which():
    hidden = [("2e prénom", "Léa"), ("3e prénom", "Marie")]
    assert names_explaining("lea", shown=["JEAN", "Camille"], hidden=hidden) == [("2e prénom", "Léa")]
    assert names_explaining("jean LÉA mar", shown=["JEAN", "Camille"], hidden=hidden) == hidden
    assert names_explaining("cam", shown=["JEAN", "Camille"], hidden=hidden) == []
    assert names_explaining("", shown=["JEAN", "Camille"], hidden=hidden) == []
