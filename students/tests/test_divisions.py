"""The class filter's levels, alone: French class names as SIECLE and schools spell them."""

import pytest

from students.divisions import division_level, divisions_by_level, divisions_chosen


@pytest.mark.parametrize(("division", "level"), [
    ("6EME A", "6e"), ("6e B", "6e"), ("601", "6e"), ("5A", "5e"), ("4EME2", "4e"), ("3e B", "3e"),
    ("3PREPA", "3e"), ("Sixième 2", "6e"), ("2NDE1", "2nde"), ("2GT3", "2nde"), ("2nde 4", "2nde"),
    ("SECONDE 1", "2nde"), ("1G3", "1re"), ("1ERE2", "1re"), ("1STMG1", "1re"), ("Première S", "1re"),
    ("TSTMG2", "Tle"), ("TG1", "Tle"), ("T1", "Tle"), ("TLE3", "Tle"), ("TSTI2D", "Tle"), ("Terminale L", "Tle"),
    ("BTS1", "Autres classes"), ("CAP1", "Autres classes"), ("ULIS", "Autres classes"), ("TEST", "Autres classes"),
    ("", "Autres classes"),
])
def test_each_class_name_gets_its_level(division, level):
    assert division_level(division).label == level


def test_levels_come_from_6e_to_tle_then_the_others_each_keeping_its_order():
    groups = divisions_by_level(["BTS1", "TG1", "2NDE1", "2NDE10", "1G3", "6EME A", "3e B", "2NDE2"])
    assert [(level.label, divisions) for level, divisions in groups] == [
        ("6e", ["6EME A"]), ("3e", ["3e B"]), ("2nde", ["2NDE1", "2NDE10", "2NDE2"]), ("1re", ["1G3"]),
        ("Tle", ["TG1"]), ("Autres classes", ["BTS1"])]
    assert groups[2][0].everyone == "toute la 2nde"


def test_toute_la_2nde_chooses_every_class_of_the_level_among_the_known_ones():
    known = ["2NDE1", "2NDE2", "1G1", "1G2", "TG1"]
    assert divisions_chosen(divisions=known, ticked=["TG1", "3EME9"], levels=["2nde"]) == ["2NDE1", "2NDE2", "TG1"]
    assert divisions_chosen(divisions=known, ticked=[], levels=["nope"]) == []
