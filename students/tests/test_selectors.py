import datetime

import pytest
from django.utils import timezone

from students.models import Learner
from students.names import name_search_key
from students.selectors import learner_divisions, learner_list

pytestmark = pytest.mark.django_db

_ine = iter(range(10_000, 99_999))


def make_learner(organization, family_name, first_name, *, division="6EME1", birthdate=None, usage_name="",
                 user=None, disabled=False) -> Learner:
    return Learner.objects.create(
        organization=organization, ine=f"{next(_ine):09d}AB", family_name=family_name, usage_name=usage_name,
        first_name=first_name, birthdate=birthdate or datetime.date(2013, 5, 4), division=division, user=user,
        search_key=name_search_key(family_name, usage_name, first_name),
        disabled_at=timezone.now() if disabled else None,
    )


def names(learners) -> list[str]:
    return [f"{learner.family_name} {learner.first_name}" for learner in learners]


def test_search_ignores_accents_and_case(school):
    make_learner(school, "Dupré", "Zoé")
    make_learner(school, "Martin", "Zoa")
    assert names(learner_list(organization=school, search="zoe")) == ["Dupré Zoé"]
    assert names(learner_list(organization=school, search="DUPRE")) == ["Dupré Zoé"]
    assert names(learner_list(organization=school, search="Dupré")) == ["Dupré Zoé"]


def test_search_matches_every_word_in_any_name(school):
    make_learner(school, "Lefèvre", "Anaïs", usage_name="Moreau")
    make_learner(school, "Lefèvre", "Hugo")
    assert names(learner_list(organization=school, search="anais lefe")) == ["Lefèvre Anaïs"]
    assert names(learner_list(organization=school, search="moreau")) == ["Lefèvre Anaïs"]
    assert names(learner_list(organization=school, search="lefevre")) == ["Lefèvre Anaïs", "Lefèvre Hugo"]
    assert names(learner_list(organization=school, search="  ")) == ["Lefèvre Anaïs", "Lefèvre Hugo"]
    assert names(learner_list(organization=school, search="%")) == ["Lefèvre Anaïs", "Lefèvre Hugo"]


def test_filter_by_several_divisions(school):
    make_learner(school, "Aubert", "Léa", division="6EME1")
    make_learner(school, "Bernard", "Noé", division="5EME1")
    make_learner(school, "Colin", "Jade", division="4EME1")
    assert names(learner_list(organization=school, divisions=["6EME1", "4EME1"])) == ["Aubert Léa", "Colin Jade"]
    assert names(learner_list(organization=school, divisions=["3EME9"])) == []
    assert len(learner_list(organization=school, divisions=[])) == 3


def test_filter_linked_or_not(school, bob_member):
    make_learner(school, "Aubert", "Léa", user=bob_member)
    make_learner(school, "Bernard", "Noé")
    assert names(learner_list(organization=school, linked=True)) == ["Aubert Léa"]
    assert names(learner_list(organization=school, linked=False)) == ["Bernard Noé"]
    assert len(learner_list(organization=school, linked=None)) == 2


def test_orderings(school):
    make_learner(school, "Bernard", "Noé", division="6EME2", birthdate=datetime.date(2012, 1, 1))
    make_learner(school, "Aubert", "Léa", division="6EME1", birthdate=datetime.date(2013, 1, 1))
    make_learner(school, "Aubert", "Adam", division="5EME1", birthdate=datetime.date(2011, 1, 1))
    assert names(learner_list(organization=school)) == ["Aubert Adam", "Aubert Léa", "Bernard Noé"]
    assert names(learner_list(organization=school, ordering="-name")) == ["Bernard Noé", "Aubert Léa", "Aubert Adam"]
    by_division = learner_list(organization=school, ordering="division")
    assert names(by_division) == ["Aubert Adam", "Aubert Léa", "Bernard Noé"]
    by_birthdate = learner_list(organization=school, ordering="birthdate")
    assert names(by_birthdate) == ["Aubert Adam", "Bernard Noé", "Aubert Léa"]
    assert names(learner_list(organization=school, ordering="-birthdate")) == ["Aubert Léa", "Bernard Noé", "Aubert Adam"]


def test_unknown_ordering_falls_back_to_the_name(school):
    make_learner(school, "Bernard", "Noé")
    make_learner(school, "Aubert", "Léa")
    assert names(learner_list(organization=school, ordering="ine; drop table")) == ["Aubert Léa", "Bernard Noé"]


def test_learners_who_left_are_not_listed(school):
    make_learner(school, "Aubert", "Léa", division="6EME1")
    make_learner(school, "Parti", "Tom", division="3EME1", disabled=True)
    assert names(learner_list(organization=school)) == ["Aubert Léa"]
    assert names(learner_list(organization=school, search="tom")) == []
    assert learner_divisions(organization=school) == ["6EME1"]


def test_another_schools_learners_never_appear(school, other_school):
    make_learner(school, "Aubert", "Léa", division="6EME1")
    make_learner(other_school, "Voisin", "Zoé", division="CM2")
    assert names(learner_list(organization=school)) == ["Aubert Léa"]
    assert names(learner_list(organization=school, search="zoe")) == []
    assert names(learner_list(organization=school, divisions=["CM2"])) == []
    assert learner_divisions(organization=school) == ["6EME1"]


def test_divisions_are_distinct_and_in_natural_order(school):
    for division in ["6EME10", "6EME2", "6EME1", "6EME2", "5EME1", "TLE1", "1ERE3", ""]:
        make_learner(school, "Élève", division or "Sans classe", division=division)
    assert learner_divisions(organization=school) == ["1ERE3", "5EME1", "6EME1", "6EME2", "6EME10", "TLE1"]
