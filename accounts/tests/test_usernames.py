"""The username rule and the one-time password rule, as pure functions (no database)."""

import datetime
import random
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.one_time_passwords import LETTERS, one_time_password_generate, one_time_password_is_well_formed
from accounts.usernames import (
    USERNAME_MAX_LENGTH,
    username_base,
    username_is_valid,
    username_name_part,
    username_suggest,
    usernames_assign,
)

MARCH_15 = datetime.date(2012, 3, 15)


@pytest.mark.parametrize(("first_name", "last_name", "expected"), [
    ("Léna", "Côte", "lena.cote1503"),                     # accents
    ("LÉNA", "CÔTE", "lena.cote1503"),                     # case
    ("Jean-Éric", "Dupont-Moreau", "jeaneric.dupontmoreau1503"),  # hyphens
    ("Chloé", "D'Artagnan", "chloe.dartagnan1503"),        # apostrophe
    ("Chloé", "D’Artagnan", "chloe.dartagnan1503"),        # typographic apostrophe
    ("Anne Marie", "Le Goff", "annemarie.legoff1503"),     # spaces
    ("  Zoé ", " Ñúñez ", "zoe.nunez1503"),                # trimmed, Spanish accents
    ("Lætitia", "Cœur", "laetitia.coeur1503"),             # ligatures spelt out
    ("Jürgen", "Strauß", "jurgen.strauss1503"),
    ("Ali", "Ben Saïd 2", "ali.bensaid21503"),             # digits are kept
    ("李", "王", "eleve.eleve1503"),                       # nothing left of a name: still a login
])
def test_the_suggested_username_follows_the_rule(first_name, last_name, expected):
    assert username_suggest(first_name=first_name, last_name=last_name, birthdate=MARCH_15) == expected


def test_the_day_and_month_have_two_digits_each():
    assert username_suggest(first_name="Léo", last_name="Roy", birthdate=datetime.date(2011, 1, 5)) == "leo.roy0501"


def test_a_very_long_name_is_cut():
    username = username_suggest(first_name="A" * 150, last_name="B" * 150, birthdate=MARCH_15)

    assert username == f"{'a' * 40}.{'b' * 40}1503" and username_is_valid(username)


def _taken_by(existing: set[str], calls: list | None = None):
    def taken(candidates: set[str]) -> set[str]:
        if calls is not None:
            calls.append(set(candidates))
        return candidates & existing
    return taken


def test_a_free_suggestion_is_given_as_is():
    chosen = usernames_assign([("léna", "Léna", "Côte", MARCH_15)], taken=_taken_by(set()), rng=random.Random(1))

    assert chosen == {"léna": "lena.cote1503"}


def test_a_taken_suggestion_gets_four_random_digits_instead_of_the_day_and_month():
    chosen = usernames_assign([(1, "Léna", "Côte", MARCH_15)], taken=_taken_by({"lena.cote1503"}),
                              rng=random.Random(7))

    username = chosen[1]
    assert username != "lena.cote1503"
    assert username.startswith("lena.cote") and len(username) == len("lena.cote") + 4
    assert username[-4:].isdigit()


def test_random_digits_are_drawn_until_a_free_username_is_found():
    everything_but_one = {f"lena.cote{number:04d}" for number in range(10_000)} - {"lena.cote4242"}

    chosen = usernames_assign([(1, "Léna", "Côte", MARCH_15)], taken=_taken_by(everything_but_one),
                              rng=random.Random(3), batch=500)

    assert chosen == {1: "lena.cote4242"}


def test_people_of_one_batch_never_get_the_same_username():
    twins = [(n, "Léna", "Côte", MARCH_15.replace(year=2010 + n)) for n in range(6)]

    chosen = usernames_assign(twins, taken=_taken_by(set()), rng=random.Random(5))

    assert len(set(chosen.values())) == 6
    assert "lena.cote1503" in chosen.values()


def test_a_whole_school_costs_one_lookup_not_one_per_student():
    rng = random.Random(11)
    people = [(n, rng.choice(["Léna", "Hugo", "Inès"]), rng.choice(["Côte", "Martin"]),
               datetime.date(2011, rng.randint(1, 12), rng.randint(1, 28))) for n in range(2_500)]
    calls: list = []

    chosen = usernames_assign(people, taken=_taken_by({"lena.cote1503", "hugo.martin0101"}, calls), rng=rng)

    assert len(chosen) == 2_500 and len(set(chosen.values())) == 2_500
    assert len(calls) == 1  # each offered its suggestion and three random ones at once


names = st.text(alphabet=string.ascii_letters + "éèêëàâäîïôöùûüçÉÈÀÇœæß -'’.", max_size=60)
dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2020, 12, 31))


@settings(deadline=None)
@given(first_name=names, last_name=names, birthdate=dates)
def test_any_name_gives_a_valid_lower_case_username_ending_with_the_day_and_month(first_name, last_name, birthdate):
    username = username_suggest(first_name=first_name, last_name=last_name, birthdate=birthdate)

    assert username_is_valid(username) and len(username) <= USERNAME_MAX_LENGTH
    assert username == username.lower() and "@" not in username
    assert username.endswith(birthdate.strftime("%d%m"))
    assert username.count(".") == 1
    assert username_base(first_name=first_name, last_name=last_name) == username[:-4]


@given(name=names)
def test_case_and_accents_do_not_change_a_name_part(name):
    assert username_name_part(name.upper()) == username_name_part(name.lower()) == username_name_part(name)


@settings(deadline=None)
@given(people=st.lists(st.tuples(names, names, dates), min_size=1, max_size=30),
       existing=st.sets(st.sampled_from([f"eleve.eleve{n:04d}" for n in range(50)] + ["a.b0101"])),
       seed=st.integers())
def test_assigned_usernames_are_free_and_distinct(people, existing, seed):
    keyed = [(n, first, last, birthdate) for n, (first, last, birthdate) in enumerate(people)]

    chosen = usernames_assign(keyed, taken=_taken_by(existing), rng=random.Random(seed))

    assert set(chosen) == set(range(len(people)))
    assert len(set(chosen.values())) == len(people)
    assert not set(chosen.values()) & existing


# --- One-time passwords ---------------------------------------------------------------------------------------------

def test_a_one_time_password_is_six_letters_without_i_l_o_then_two_digits():
    password = one_time_password_generate()

    assert len(password) == 8 and one_time_password_is_well_formed(password)
    assert password[:6].isalpha() and password[:6].islower() and password[6:].isdigit()
    assert not set(password) & set("ilo")


def test_the_letters_exclude_those_mistaken_for_digits():
    assert LETTERS == "".join(sorted(set(string.ascii_lowercase) - set("ilo")))


@given(seed=st.integers())
def test_every_one_time_password_is_well_formed(seed):
    assert one_time_password_is_well_formed(one_time_password_generate(random.Random(seed)))


def test_one_time_passwords_differ():
    assert len({one_time_password_generate() for _ in range(200)}) == 200


@pytest.mark.parametrize("password", ["kbrtze4", "kbrtzei7", "Kbrtze47", "kbrtze477", "kbrt ze47", "12kbrtze"])
def test_other_shapes_are_not_one_time_passwords(password):
    assert not one_time_password_is_well_formed(password)
