"""Round trip: documents built from random students parse back into exactly the learners meant."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from students.siecle import LearnerRecord, SiecleErrorCode, SiecleFileError, SkipReason, parse_siecle
from students.siecle.samples import SampleStudent, build_siecle_xml

UAI = "0751234A"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
LOWER = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ"
DIVISIONS = ("6EME1", "5EME2", "4EME3", "3EME1", "2NDE10", "TSTMG1")
GROUPS = ("6EPS G1", "CHORALE", "4LV2 ESP2", "1SPE-MATHS3", "TGRAND ORAL 1")
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def words(alphabet: str, capitalise: bool) -> st.SearchStrategy[str]:
    """Names like "DE SAINT-EXUPÉRY", "N'DIAYE", "Marie-Ève": letters around single separators."""
    word = st.text(alphabet, min_size=1, max_size=8)
    if capitalise:
        word = st.builds(lambda first, rest: first + rest, st.sampled_from(UPPER), st.text(LOWER, max_size=7))
    separator = st.sampled_from([" ", "-", "'", "--"])
    return st.builds(
        lambda head, tail: head + "".join(sep + part for sep, part in tail),
        word, st.lists(st.tuples(separator, word), max_size=2),
    )


family_names = words(UPPER, capitalise=False)
first_names = words(LOWER, capitalise=True)


def optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str | None, str | None]]:
    """(what the file holds, what the parser must give): a value, an empty element or no element."""
    return st.one_of(strategy.map(lambda value: (value, value)), st.sampled_from([(None, None), ("", None)]))


@dataclass
class Case:
    student: SampleStudent
    outcome: str  # "import" or a SkipReason
    expected: LearnerRecord | None


@st.composite
def cases(draw: st.DrawFn, index: int) -> Case:
    eleve_id = str(600000 + index)
    ine = f"{index:09d}{draw(st.sampled_from(['AB', 'ZZ']))}" if draw(st.booleans()) else f"{index:010d}K"
    family_name, first_name = draw(family_names), draw(first_names)
    usage_raw, usage = draw(optional(family_names))
    second_raw, second = draw(optional(first_names))
    third_raw, third = draw(optional(first_names)) if second else (None, None)
    birthdate = draw(st.dates(dt.date(2000, 1, 1), dt.date(2021, 12, 31)))
    sex_code = draw(st.sampled_from(["1", "2"]))
    if draw(st.booleans()):  # born in France: INSEE code required, city name optional
        country, department = "100", draw(st.sampled_from(["075", "02A", "974"]))
        city_code = draw(st.sampled_from(["75056", "2A004", "97411"]))
        city_raw, city = draw(optional(family_names))
    else:
        country, department, city_code = draw(st.sampled_from(["139", "352", "216"])), None, None
        city_raw = city = draw(family_names)
    mef_raw, mef = draw(optional(st.sampled_from(["10010012110", "20010018110"])))
    status_raw, status = draw(optional(st.sampled_from(["ST", "AP"])))
    groups = tuple((group, "G") for group in draw(st.lists(st.sampled_from(GROUPS), max_size=3, unique=True)))
    division = draw(st.sampled_from(DIVISIONS))
    outcome = draw(st.sampled_from(["import", "import", "import", *SkipReason, "inactifs", "nothing"]))
    structures = tuple(draw(st.permutations(((division, "D"), *groups))))
    left_on = None
    if outcome == SkipReason.LEFT:
        left_on = "03/10/2024"
    elif outcome == SkipReason.INE_PENDING:
        ine = None
    elif outcome == SkipReason.NO_DIVISION:
        structures = groups
    elif outcome == "inactifs":
        structures, outcome = (("Inactifs", "D"), *groups), SkipReason.NO_DIVISION
    elif outcome == "nothing":
        structures, outcome = (), SkipReason.NO_DIVISION
    student = SampleStudent(
        eleve_id, ine=ine, family_name=family_name, usage_name=usage_raw, first_name=first_name,
        second_first_name=second_raw, third_first_name=third_raw, birthdate=birthdate.strftime("%d/%m/%Y"),
        sex_code=sex_code, country_code=country, department_code=department, city_code=city_code, city=city_raw,
        mef_code=mef_raw, status=status_raw, left_on=left_on, structures=structures,
    )
    expected = None
    if outcome == "import":
        expected = LearnerRecord(
            ine=ine, family_name=family_name, usage_name=usage, first_name=first_name, second_first_name=second,
            third_first_name=third, sex={"1": "M", "2": "F"}[sex_code], birthdate=birthdate,
            birth_country_code=country, birth_department_code=department, birth_city_code=city_code,
            birth_city=city, mef_code=mef, status=status, division=division, eleve_id=eleve_id,
        )
    return Case(student, outcome, expected)


@st.composite
def schools(draw: st.DrawFn) -> list[Case]:
    return [draw(cases(index)) for index in range(draw(st.integers(0, 12)))]


def parse(data: bytes):
    return parse_siecle(io.BytesIO(data), expected_uai=UAI)


@SETTINGS
@given(school=schools(), encoding=st.sampled_from(["ISO-8859-15", "ISO-8859-15", "UTF-8"]))
def test_parsed_learners_are_exactly_the_students_meant_to_be_imported(school, encoding):
    result = parse(build_siecle_xml([case.student for case in school], encoding=encoding))

    assert result.learners == [case.expected for case in school if case.expected]
    for reason in SkipReason:
        assert [ref.eleve_id for ref in result.skipped[reason]] == [
            case.student.eleve_id for case in school if case.outcome == reason]
    if any(case.expected for case in school):
        assert result.errors == []
    else:
        assert [issue.code for issue in result.errors] == [SiecleErrorCode.EMPTY]


def _names(student: SampleStudent) -> list[str | None]:
    return [student.family_name, student.usage_name, student.first_name, student.second_first_name,
            student.third_first_name, student.city]


@SETTINGS
@given(school=schools())
def test_utf8_bytes_under_an_iso_declaration_are_always_caught(school):
    students = [case.student for case in school]
    data = build_siecle_xml(students, encoding="UTF-8", declared_encoding="ISO-8859-15")
    garbled = any(name and not name.isascii() for student in students for name in _names(student))

    if garbled:
        with pytest.raises(SiecleFileError) as caught:
            parse(data)
        assert caught.value.code == SiecleErrorCode.ENCODING_MISMATCH
    else:  # pure ASCII reads the same in both encodings: nothing to refuse
        assert parse(data).learners == [case.expected for case in school if case.expected]


@SETTINGS
@given(school=schools(), broken=st.data())
def test_row_errors_name_every_broken_student_and_never_a_skipped_one(school, broken):
    students = [case.student for case in school]
    to_break = [case for case in school if case.outcome == "import"]
    chosen = broken.draw(st.lists(st.sampled_from(to_break), unique_by=id) if to_break else st.just([]))
    for case in chosen:
        case.student.birthdate = "31/02/2012"
    for case in school:
        if case.outcome != "import":  # skipped students may hold anything
            case.student.birthdate, case.student.sex_code = "99/99/9999", None
    result = parse(build_siecle_xml(students))

    assert [issue.students[0].eleve_id for issue in result.errors if issue.code != SiecleErrorCode.EMPTY] == [
        case.student.eleve_id for case in school if case in chosen]
    assert {learner.eleve_id for learner in result.learners} == {
        case.student.eleve_id for case in to_break if case not in chosen}
