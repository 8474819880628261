"""Reads of the learners' certifiability: counts per class, the school's certification calendar, and who still
needs what. Every figure comes from what is stored on the learners (no profile is computed here), in a fixed number
of queries whatever the number of students."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Substr

from organizations.models import Organization
from students.certification import (
    CERTIFIABLE_MIN_COMPETENCES,
    COLLEGE,
    LEVEL_FOR_CERTIFIABILITY,
    LYCEE,
    CertificationCalendar,
    certification_calendar,
    division_kinds,
    school_kinds,
)
from students.competences import competence_names
from students.models import Learner
from students.selectors.learners import division_sort_key
from pixorga.collation import LEARNER_NAMES, french_ordering

NO_DIVISION = ""


@dataclass(frozen=True, slots=True)
class DivisionCertifiability:
    division: str
    total: int
    certifiable: int
    not_certifiable: int

    @property
    def unknown(self) -> int:
        return self.total - self.certifiable - self.not_certifiable


def learner_certifiability_counts(*, organization: Organization,
                                  divisions: list[str] | None = None) -> list[DivisionCertifiability]:
    """Per class of the active learners (natural order): how many, how many certifiable, not certifiable."""
    learners = Learner.objects.filter(organization=organization, disabled_at__isnull=True)
    wanted = [division for division in (divisions or []) if division]
    if wanted:
        learners = learners.filter(division__in=wanted)
    rows = (
        learners.order_by().values("division").annotate(
            total=Count("pk"),
            certifiable=Count("pk", filter=Q(certifiability=Learner.Certifiability.CERTIFIABLE)),
            not_certifiable=Count("pk", filter=Q(certifiability=Learner.Certifiability.NOT_CERTIFIABLE)),
        )
    )
    counts = [DivisionCertifiability(division=row["division"], total=row["total"], certifiable=row["certifiable"],
                                     not_certifiable=row["not_certifiable"]) for row in rows]
    return sorted(counts, key=lambda item: (item.division == NO_DIVISION, division_sort_key(item.division)))


def _settings_for(kind: str) -> tuple:
    if kind == COLLEGE:
        return settings.CERTIFICATION_WINDOW_COLLEGE, settings.CERTIFICATION_LAST_COLLECTION_COLLEGE
    return settings.CERTIFICATION_WINDOW_LYCEE, settings.CERTIFICATION_LAST_COLLECTION_LYCEE


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    calendars: list[CertificationCalendar]  # one per kind of class of the school (lycée first)
    division_kind: dict[str, str]  # every class → lycée or collège (a class that tells nothing: the school's)
    recognised: bool  # False when no class told its kind (the lycée dates are assumed)

    def for_kind(self, kind: str) -> CertificationCalendar:
        return next(item for item in self.calendars if item.kind == kind)

    @property
    def reminders(self) -> list[CertificationCalendar]:
        return [item for item in self.calendars if item.reminding]


def certification_school_calendar(*, organization: Organization, today: datetime.date) -> SchoolCalendar:
    """The next certification window of each kind of class the school has (one query)."""
    rows = (
        Learner.objects.filter(organization=organization, disabled_at__isnull=True)
        .annotate(mef=Substr("mef_code", 1, 1)).order_by().values("division", "mef").annotate(students=Count("pk"))
        .values_list("division", "mef", "students")
    )
    found = division_kinds(rows)
    kinds = school_kinds(found)
    # A class whose MEF and name tell nothing is taken to be of the school's kind (its first, for a cité scolaire).
    division_kind = {division: kind or kinds[0] for division, kind in found.items()}
    calendars = []
    for kind in kinds:
        window, last_collection = _settings_for(kind)
        calendars.append(certification_calendar(kind=kind, window=window, last_collection=last_collection,
                                                today=today))
    return SchoolCalendar(calendars=calendars, division_kind=division_kind,
                          recognised=any(kind for kind in found.values()))


@dataclass(frozen=True, slots=True)
class CompetenceNeed:
    code: str
    name: str
    pix: int  # of the 8 that make level 1


@dataclass(frozen=True, slots=True)
class LearnerToCertify:
    learner: Learner
    needs: list[CompetenceNeed]  # the competences below level 1, closest to it first

    @property
    def known(self) -> bool:
        return bool(self.learner.certifiability)

    @property
    def missing(self) -> int | None:
        """How many more competences must reach level 1 (None when nothing is known)."""
        if self.learner.certifiable_competences is None:
            return None
        return max(0, CERTIFIABLE_MIN_COMPETENCES - self.learner.certifiable_competences)


@dataclass(frozen=True, slots=True)
class DivisionToCertify:
    division: str
    kind: str
    counts: DivisionCertifiability
    shown: bool  # its students are listed (the class was chosen, or the school is small enough to list them all)
    learners: list[LearnerToCertify]  # not certifiable (fewest missing first), then never known

    @property
    def to_certify(self) -> int:
        return self.counts.total - self.counts.certifiable


def learners_to_certify(*, organization: Organization, division_kind: dict[str, str],
                        counts: list[DivisionCertifiability], divisions: list[str] | None) -> list[DivisionToCertify]:
    """Every class (``counts``, from ``learner_certifiability_counts``) and, for ``divisions`` (None: all), the
    active learners not yet certifiable with the competences each still needs: two queries (the learners, the
    competences' names)."""
    shown = {item.division for item in counts} if divisions is None else set(divisions)
    by_division: dict[str, list[LearnerToCertify]] = {}
    if shown:
        names = competence_names()
        learners = (
            Learner.objects.filter(organization=organization, disabled_at__isnull=True, division__in=shown)
            .exclude(certifiability=Learner.Certifiability.CERTIFIABLE)
            .only("pk", "family_name", "first_name", "division", "user_id", "certifiability", "certifiability_at",
                  "certifiability_source", "certifiable_competences", "certifiability_levels")
            .order_by(*french_ordering("division", "family_name", "first_name", "pk", names=LEARNER_NAMES))
        )
        for learner in learners:
            needs = sorted(
                (CompetenceNeed(code=code, name=names.get(code, ""), pix=int(item.get("pix", 0)))
                 for code, item in (learner.certifiability_levels or {}).items()
                 if int(item.get("level", 0)) < LEVEL_FOR_CERTIFIABILITY),
                key=lambda need: (-need.pix, need.code),
            )
            by_division.setdefault(learner.division, []).append(LearnerToCertify(learner=learner, needs=needs))
    result = []
    for count in counts:
        rows = by_division.get(count.division, [])
        # Fewest competences missing first (stable: by name within), students never known last.
        rows.sort(key=lambda row: (row.missing is None, row.missing or 0))
        result.append(DivisionToCertify(division=count.division, kind=division_kind.get(count.division, LYCEE),
                                        counts=count, shown=count.division in shown, learners=rows))
    return result
