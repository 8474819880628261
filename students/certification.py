"""The certification calendar of a school (pure: no Django): the next national window of its level, the
recommended date of the last profiles collection before it, and the reminder that comes one month earlier.

Windows and dates are month-day pairs (settings ``CERTIFICATION_WINDOW_*`` and ``CERTIFICATION_LAST_COLLECTION_*``);
a window whose last day comes before its first day in the year ends the next year (lycées: November → March).

A class is a collège or a lycée class by its students' MEF code (SIECLE: first digit 1 = collège, 2 or 3 = lycée),
else by its name (6…, 5…, 4…, 3… = collège; 2…, 1…, T… = lycée). A cité scolaire has both kinds, each with its
own window.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

MonthDay = tuple[int, int]

# Pix's rule: certifiable with level 1 or more in 5 competences.
LEVEL_FOR_CERTIFIABILITY = 1
CERTIFIABLE_MIN_COMPETENCES = 5

LYCEE = "lycee"
COLLEGE = "college"
KIND_LABELS = {LYCEE: "lycées", COLLEGE: "collèges"}
KINDS = (LYCEE, COLLEGE)


def on(year: int, month_day: MonthDay) -> datetime.date:
    """The month-day in ``year`` (29 February is the 28th in other years)."""
    month, day = month_day
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def month_before(date: datetime.date) -> datetime.date:
    """The same day one month earlier (the last day of that month when it is shorter)."""
    year, month = (date.year, date.month - 1) if date.month > 1 else (date.year - 1, 12)
    return on(year, (month, date.day))


@dataclass(frozen=True, slots=True)
class CertificationCalendar:
    kind: str
    window_start: datetime.date
    window_end: datetime.date
    last_collection: datetime.date  # the recommended last profiles collection before the certification
    reminder_from: datetime.date  # one month before ``last_collection``
    today: datetime.date

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def window_in_progress(self) -> bool:
        return self.window_start <= self.today <= self.window_end

    @property
    def collection_passed(self) -> bool:
        return self.today > self.last_collection

    @property
    def days_to_collection(self) -> int:
        return (self.last_collection - self.today).days

    @property
    def reminding(self) -> bool:
        """From one month before the last collection until that day."""
        return self.reminder_from <= self.today <= self.last_collection


def certification_calendar(*, kind: str, window: tuple[MonthDay, MonthDay], last_collection: MonthDay,
                           today: datetime.date) -> CertificationCalendar:
    """The window that is in progress or comes next, and the last occurrence of ``last_collection`` up to its end."""
    start_day, end_day = window
    crosses_year = end_day < start_day
    for year in (today.year - 1, today.year, today.year + 1):
        start = on(year, start_day)
        end = on(year + 1 if crosses_year else year, end_day)
        if end >= today:
            break
    collection = on(end.year, last_collection)
    if collection > end:
        collection = on(end.year - 1, last_collection)
    return CertificationCalendar(kind=kind, window_start=start, window_end=end, last_collection=collection,
                                 reminder_from=month_before(collection), today=today)


def kind_of_mef(mef_code: str) -> str | None:
    first = (mef_code or "").strip()[:1]
    if first == "1":
        return COLLEGE
    if first in ("2", "3"):
        return LYCEE
    return None


def kind_of_division_name(division: str) -> str | None:
    first = (division or "").strip()[:1].upper()
    if first in ("6", "5", "4", "3"):
        return COLLEGE
    if first in ("2", "1", "T"):
        return LYCEE
    return None


def division_kinds(rows: Iterable[tuple[str, str, int]]) -> dict[str, str | None]:
    """(division, MEF code, number of students) of the active students → each division's kind (None when neither
    tells). The MEF codes win over the name; a division whose MEF codes disagree takes its students' majority.
    """
    votes: dict[str, dict[str, int]] = {}
    for division, mef_code, students in rows:
        kind = kind_of_mef(mef_code)
        counts = votes.setdefault(division, {})
        if kind:
            counts[kind] = counts.get(kind, 0) + students
    kinds = {}
    for division, counts in votes.items():
        if counts:
            kinds[division] = max(KINDS, key=lambda kind: counts.get(kind, 0))
        else:
            kinds[division] = kind_of_division_name(division)
    return kinds


def school_kinds(division_kind: dict[str, str | None]) -> list[str]:
    """The kinds of the school's classes (lycée first); a school whose classes tell nothing counts as a lycée."""
    found = {kind for kind in division_kind.values() if kind}
    return [kind for kind in KINDS if kind in found] or [LYCEE]
