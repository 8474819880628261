"""The format both exports share, as French spreadsheets read it: decimal commas, Paris time, « Oui »/« Non »,
neutralised formulas, ``;`` with quotes where needed, the BOM once, and a file built line by line."""

import datetime

import pytest

from campaigns.exports import export_lines
from campaigns.exports.csv import cell_neutralise, csv_lines, datetime_fr, decimal_fr, export_filename, yes_no
from campaigns.selectors.participations import participation_list
from campaigns.tests.exports_helpers import (
    assessment_campaign,
    fast_password_hashing,  # noqa: F401
    student_joins,
)

UTC = datetime.timezone.utc


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Dupont", "Dupont"), ("", ""), ("a=b", "a=b"),
])
def test_cell_neutralise(value, expected):
    assert cell_neutralise(value) == expected


@pytest.mark.parametrize("value,expected", [
    (5 / 9, "0,56"), (4 / 7, "0,57"), (0.5, "0,5"), (1.0, "1"), (0.0, "0"), (1, "1"),
    (0.125, "0,13"),  # half up, as Pix rounds (not half to even)
    (0.994, "0,99"), (0.995, "1"), (0.005, "0,01"),
])
def test_fractions_are_rounded_to_two_decimals_with_a_comma(value, expected):
    assert decimal_fr(value) == expected


def test_dates_are_written_in_paris_time():
    assert datetime_fr(datetime.datetime(2026, 9, 3, 8, 5, tzinfo=UTC)) == "03/09/2026 10:05"  # summer: +2
    assert datetime_fr(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "01/01/2027 00:30"  # winter: +1
    assert datetime_fr(None) == ""


def test_yes_no_are_words():
    assert (yes_no(True), yes_no(False)) == ("Oui", "Non")


def test_file_name_is_the_paris_date_and_time_then_the_code():
    assert export_filename(code="QWERTY234", at=datetime.datetime(2026, 11, 23, 8, 5, tzinfo=UTC)) == (
        "20261123_0905_QWERTY234_resultats.csv")
    assert export_filename(code="QWERTY234", at=datetime.datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == (
        "20260701_0030_QWERTY234_resultats.csv")


def test_lines_have_the_bom_once_semicolons_and_quotes_only_where_needed():
    lines = list(csv_lines(["Nom", "Classe"], [["Le Goff; Marie", "6EME1"], ['Dit "Mimi"', "=6EME2"], [3, ""]]))
    assert lines == ["\ufeffNom;Classe\r\n", '"Le Goff; Marie";6EME1\r\n', '"Dit ""Mimi""";\'=6EME2\r\n',
                     "3;\r\n"]


@pytest.mark.django_db
def test_the_file_is_built_line_by_line(school, alice_admin, target_profile):
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile)
    for family_name in ("Arnaud", "Bernard"):
        student_joins(campaign, family_name=family_name)

    lines = export_lines(campaign=campaign, participations=participation_list(campaign=campaign))
    assert next(lines).startswith("\ufeffNom de l'organisation;")
    assert ";Arnaud;" in next(lines)
    assert ";Bernard;" in next(lines)
    assert next(lines, None) is None
