"""The certification calendar (pure): the next window, the last collection before it, the reminder a month earlier,
and whether a class is a collège or a lycée class."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from students.certification import (
    COLLEGE,
    LYCEE,
    certification_calendar,
    division_kinds,
    kind_of_division_name,
    kind_of_mef,
    month_before,
    school_kinds,
)

LYCEE_WINDOW = ((11, 3), (3, 6))  # 3 November → 6 March: across the new year
COLLEGE_WINDOW = ((3, 16), (6, 13))
D = datetime.date


def lycee(today):
    return certification_calendar(kind=LYCEE, window=LYCEE_WINDOW, last_collection=(12, 10), today=today)


def college(today):
    return certification_calendar(kind=COLLEGE, window=COLLEGE_WINDOW, last_collection=(4, 7), today=today)


def test_in_september_the_lycees_next_window_opens_in_november_and_ends_in_march():
    calendar = lycee(D(2026, 9, 14))
    assert (calendar.window_start, calendar.window_end) == (D(2026, 11, 3), D(2027, 3, 6))
    assert calendar.last_collection == D(2026, 12, 10)
    assert calendar.reminder_from == D(2026, 11, 10)
    assert not calendar.window_in_progress and not calendar.reminding


def test_the_reminder_starts_one_month_before_the_last_collection():
    assert not lycee(D(2026, 11, 9)).reminding
    assert lycee(D(2026, 11, 10)).reminding
    assert lycee(D(2026, 12, 10)).reminding  # the day itself
    assert lycee(D(2026, 12, 10)).days_to_collection == 0
    assert not lycee(D(2026, 12, 11)).reminding


def test_after_the_last_collection_the_window_is_still_in_progress_across_the_new_year():
    calendar = lycee(D(2027, 1, 15))
    assert (calendar.window_start, calendar.window_end) == (D(2026, 11, 3), D(2027, 3, 6))
    assert calendar.window_in_progress and calendar.collection_passed and not calendar.reminding
    assert calendar.last_collection == D(2026, 12, 10)


def test_once_the_window_is_over_the_next_years_window_comes():
    calendar = lycee(D(2027, 3, 7))
    assert (calendar.window_start, calendar.window_end) == (D(2027, 11, 3), D(2028, 3, 6))
    assert calendar.last_collection == D(2027, 12, 10)
    assert lycee(D(2027, 3, 6)).window_end == D(2027, 3, 6)  # its last day still belongs to it


def test_the_college_window_and_its_reminder_in_the_same_year():
    calendar = college(D(2027, 2, 1))
    assert (calendar.window_start, calendar.window_end, calendar.last_collection) == (
        D(2027, 3, 16), D(2027, 6, 13), D(2027, 4, 7))
    assert calendar.reminder_from == D(2027, 3, 7)
    assert not calendar.reminding
    assert college(D(2027, 3, 7)).reminding and college(D(2027, 3, 7)).days_to_collection == 31
    assert college(D(2027, 6, 14)).window_start == D(2028, 3, 16)


def test_a_reminder_that_starts_the_year_before():
    calendar = certification_calendar(kind=LYCEE, window=((1, 20), (3, 31)), last_collection=(1, 5),
                                      today=D(2026, 12, 20))
    assert (calendar.last_collection, calendar.reminder_from) == (D(2027, 1, 5), D(2026, 12, 5))
    assert calendar.reminding and calendar.days_to_collection == 16


def test_a_collection_date_before_the_window_opens():
    calendar = certification_calendar(kind=LYCEE, window=LYCEE_WINDOW, last_collection=(10, 15), today=D(2026, 9, 1))
    assert calendar.last_collection == D(2026, 10, 15)


def test_month_before_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert month_before(D(2027, 3, 31)) == D(2027, 2, 28)
    assert month_before(D(2028, 3, 29)) == D(2028, 2, 29)
    assert month_before(D(2027, 1, 5)) == D(2026, 12, 5)


def test_29_february_is_the_28th_in_other_years():
    calendar = certification_calendar(kind=LYCEE, window=((2, 29), (3, 31)), last_collection=(2, 29),
                                      today=D(2027, 1, 1))
    assert calendar.window_start == D(2027, 2, 28) and calendar.last_collection == D(2027, 2, 28)


@given(today=st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)),
       start=st.tuples(st.integers(1, 12), st.integers(1, 28)), end=st.tuples(st.integers(1, 12), st.integers(1, 28)),
       collection=st.tuples(st.integers(1, 12), st.integers(1, 28)))
def test_the_window_chosen_is_the_first_not_over(today, start, end, collection):
    calendar = certification_calendar(kind=LYCEE, window=(start, end), last_collection=collection, today=today)
    assert calendar.window_start <= calendar.window_end and calendar.window_end >= today
    # The window before it was over already.
    previous_end = calendar.window_end.replace(year=calendar.window_end.year - 1)
    assert previous_end < today
    assert calendar.last_collection <= calendar.window_end
    assert (calendar.window_end - calendar.last_collection).days < 366
    assert calendar.reminding == (calendar.reminder_from <= today <= calendar.last_collection)


def test_a_class_is_told_by_its_mef_code_then_by_its_name():
    assert kind_of_mef("10310019110") == COLLEGE  # 3e
    assert kind_of_mef("20010018110") == LYCEE  # 2de générale et technologique
    assert kind_of_mef("") is None
    assert [kind_of_division_name(name) for name in ("6EME1", "3A", "2NDE4", "1G2", "TSTMG", "Tle 1", "ULIS")] == [
        COLLEGE, COLLEGE, LYCEE, LYCEE, LYCEE, LYCEE, None]


def test_the_mef_codes_of_most_students_win_over_the_name():
    kinds = division_kinds([("2NDE1", "20010018110", 30), ("301", "10310019110", 25), ("301", "20010018110", 1),
                            ("ULIS", "", 8), ("3B", "", 20)])
    assert kinds == {"2NDE1": LYCEE, "301": COLLEGE, "ULIS": None, "3B": COLLEGE}


def test_a_school_has_the_kinds_of_its_classes_and_is_a_lycee_when_nothing_tells():
    assert school_kinds({"2NDE1": LYCEE, "ULIS": None}) == [LYCEE]
    assert school_kinds({"3B": COLLEGE, "2NDE1": LYCEE}) == [LYCEE, COLLEGE]
    assert school_kinds({"A": None}) == [LYCEE]
