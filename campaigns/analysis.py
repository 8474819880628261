"""The formulas of a campaign's results and analysis, and their French wording. Pure: no Django.

The selectors aggregate the snapshot rows in SQL (sums and counts per competence, per tube, per class); these
functions turn those aggregates into what a teacher reads. Each one is tested against hand-computed cases.

- Average result: the mean of each student's latest sent mastery rate.
- Competence result: round(mean validated skills × 100 ÷ targeted skills).
- Topics to work on, per tube, per student: 40 × reached ÷ dmax + 30 × dmax ÷ campaignMax + 20 × validated ÷ skills
  + (validated > 0 ? 10 × reached ÷ next : 0), averaged over the students; lower = more to work on.
- Positionnement: per tube the mean level reached against the tube's maximum; per competence the means of its tubes.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

NARROW_NBSP = "\u202f"  # French thousands separator (« 2 331 »)
EPSILON = 1e-9

LEVEL_LABELS = {1: "Novice", 2: "Novice", 3: "Indépendant", 4: "Indépendant", 5: "Avancé", 6: "Avancé",
                7: "Expert", 8: "Expert"}
BELOW_FIRST_LEVEL = "Pas encore Novice"

# Bands of the recommendation score (upper bound included), most to work on first: (key, label, bubbles).
BANDS = (
    (25, "TRES_RECOMMANDE", "Très recommandé", 4),
    (50, "FORTEMENT_RECOMMANDE", "Fortement recommandé", 3),
    (75, "RECOMMANDE", "Recommandé", 2),
    (math.inf, "ASSEZ_RECOMMANDE", "Assez recommandé", 1),
)
SCORE_FORMULA = ("40 × niveau atteint ÷ niveau maximum du sujet + 30 × niveau maximum du sujet ÷ niveau maximum "
                 "de la campagne + 20 × acquis validés ÷ acquis du sujet + 10 × niveau atteint ÷ niveau suivant "
                 "(si au moins un acquis est validé)")


# --- French numbers --------------------------------------------------------------------------------------------

def round_half_up(value: float, decimals: int = 0) -> float:
    """School rounding (2,5 → 3), not Python's banker's rounding (round(2.5) == 2)."""
    factor = 10 ** decimals
    return math.floor(value * factor + 0.5 + EPSILON) / factor


def number_fr(value: float | int, decimals: int = 0) -> str:
    """2331 → « 2 331 » (narrow no-break space), 1.45 with 1 decimal → « 1,5 »; trailing ",0" dropped."""
    rounded = round_half_up(float(value), decimals)
    if decimals == 0 or rounded == int(rounded):
        return f"{int(rounded):,}".replace(",", NARROW_NBSP)
    whole, _, fraction = f"{rounded:,.{decimals}f}".partition(".")
    return f"{whole.replace(',', NARROW_NBSP)},{fraction.rstrip('0')}"


def count_fr(count: int, singular: str, plural: str | None = None) -> str:
    """« 0 élève », « 1 élève », « 2 élèves », « 2 331 élèves » (in French 0 and 1 are singular)."""
    word = singular if abs(count) < 2 else (plural or singular + "s")
    return f"{number_fr(count)} {word}"


def percent(rate: float | None) -> int | None:
    """A rate (0–1) as a whole percentage, rounded half up (0.625 → 63)."""
    if rate is None:
        return None
    return int(round_half_up(rate * 100))


# --- Average result, distribution, stages, trend -----------------------------------------------------------------

def average_rate(rates: Iterable[float]) -> float | None:
    """The mean of the students' latest sent mastery rates; None when nobody has sent results."""
    rates = list(rates)
    return sum(rates) / len(rates) if rates else None


@dataclass(frozen=True)
class Band:
    label: str  # « 30 à 39 % »
    low: int
    high: int
    count: int


def distribution(counts_by_rate: Mapping[float, int]) -> list[Band]:
    """Students by result, in ten bands of 10 % (the last one 90 to 100 %), from ``{mastery rate: students}``.

    A student is put in the band of the percentage shown beside their name (rounded), so 0.995 (« 100 % ») is in
    the last band and 0.295 (« 30 % ») in « 30 à 39 % »."""
    bands = [0] * 10
    for rate, count in counts_by_rate.items():
        bands[min(9, percent(rate) // 10)] += count
    return [Band(label=f"{low} à {low + 9 if low < 90 else 100} %", low=low, high=low + 9 if low < 90 else 100,
                 count=count) for low, count in zip(range(0, 100, 10), bands)]


def stage_average(counts_by_reached: Mapping[int, int]) -> float | None:
    """« Palier moyen »: the mean of the stars reached (the zero stage counts 0), from ``{stars: students}``."""
    students = sum(counts_by_reached.values())
    if not students:
        return None
    return sum(stars * count for stars, count in counts_by_reached.items()) / students


def trend(current: float | None, previous: float | None) -> str | None:
    """Against the previous sending: "up", "down" or "stable" (same shown percentage); None for a first one."""
    if current is None or previous is None:
        return None
    now, before = percent(current), percent(previous)
    return "up" if now > before else "down" if now < before else "stable"


TREND_LABELS = {"up": "En progrès par rapport à l'envoi précédent", "down": "En baisse par rapport à l'envoi "
                "précédent", "stable": "Stable par rapport à l'envoi précédent"}


# --- Competence results ----------------------------------------------------------------------------------------

def competence_percent(*, validated_sum: int, participants: int, targeted: int) -> int | None:
    """round(mean validated skills × 100 ÷ targeted skills) over the latest sent participations."""
    if not participants or not targeted:
        return None
    return int(round_half_up(validated_sum / participants * 100 / targeted))


# --- Topics to work on -----------------------------------------------------------------------------------------

def tube_score_for_student(*, reached: int, validated: int, skills: int, dmax: int, campaign_max: int,
                           next_level: int | None) -> float:
    """One student's score on one tube (0–100; lower = more to work on). ``next_level`` is the easiest campaign
    level not validated, None when all are (then the tube's maximum)."""
    score = 40 * reached / dmax + 30 * dmax / campaign_max + 20 * validated / skills
    if validated > 0:
        score += 10 * reached / (next_level or dmax)
    return score


@dataclass
class TubeStats:
    """What SQL gives for one tube over the latest sent participations.

    ``next_ratio_sum`` = Σ (validated > 0 ? reached ÷ next : 0); ``none`` = students who validated no level;
    ``complete`` = students who validated every level; ``stopped_at`` = {level: students whose easiest level not
    validated is that one}."""

    dmax: int
    skills: int
    min_level: int = 1
    participants: int = 0
    reached_sum: int = 0
    validated_sum: int = 0
    next_ratio_sum: float = 0.0
    none: int = 0
    complete: int = 0
    stopped_at: dict[int, int] = field(default_factory=dict)

    @property
    def mean_reached(self) -> float:
        return self.reached_sum / self.participants if self.participants else 0.0


def tube_score(stats: TubeStats, *, campaign_max: int) -> float | None:
    """The mean of the students' scores, from the sums (the mean of a sum is the sum of the means)."""
    n = stats.participants
    if not n:
        return None
    return (40 * stats.reached_sum / (stats.dmax * n) + 30 * stats.dmax / campaign_max
            + 20 * stats.validated_sum / (stats.skills * n) + 10 * stats.next_ratio_sum / n)


def band(score: float) -> tuple[str, str, int]:
    """(key, label, bubbles): ≤ 25 « Très recommandé » (4) … > 75 « Assez recommandé » (1)."""
    for upper, key, label, bubbles in BANDS:
        if score <= upper + EPSILON:
            return key, label, bubbles
    raise AssertionError("unreachable")


def _students_of(count: int, total: int, verb_singular: str, verb_plural: str) -> str:
    return f"{count_fr(count, 'élève')} sur {number_fr(total)} {verb_singular if count < 2 else verb_plural}"


def tube_reason(stats: TubeStats) -> str:
    """Why the tube is where it is: where at least half of the students stop, then the mean level reached.

    - at least half validated no level: « 18 élèves sur 27 n'ont validé aucun niveau de ce sujet. »
    - else the easiest level that at least half did not validate: « 15 élèves sur 27 n'ont pas validé le
      niveau 2 de ce sujet. » (validated levels are the easiest ones: a student who stopped before level 1 did
      not validate level 2 either)
    - else more than half validated everything: « 20 élèves sur 27 ont validé tous les niveaux de ce sujet
      (jusqu'au niveau 3). »
    followed by « Niveau moyen atteint : 1,4 sur 3. »"""
    n = stats.participants
    if not n:
        return ""
    mean = f"Niveau moyen atteint : {number_fr(stats.mean_reached, 1)} sur {stats.dmax}."
    if stats.none and stats.none * 2 >= n:
        return (_students_of(stats.none, n, "n'a validé", "n'ont validé") + " aucun niveau de ce sujet. " + mean)
    missing = stats.none
    for level in sorted(level for level in stats.stopped_at if level > stats.min_level):
        missing += stats.stopped_at[level]
        if missing * 2 >= n:
            return (_students_of(missing, n, "n'a pas validé", "n'ont pas validé")
                    + f" le niveau {level} de ce sujet. " + mean)
    return (_students_of(stats.complete, n, "a validé", "ont validé")
            + f" tous les niveaux de ce sujet (jusqu'au niveau {stats.dmax}). " + mean)


# --- Positionnement --------------------------------------------------------------------------------------------

def level_label(level: float | None) -> str:
    """Novice (1–2), Indépendant (3–4), Avancé (5–6), Expert (7–8) for a mean level rounded half up; below 0,5:
    « Pas encore Novice »."""
    if level is None:
        return ""
    rounded = int(round_half_up(level))
    return LEVEL_LABELS.get(min(rounded, 8), BELOW_FIRST_LEVEL)


@dataclass(frozen=True)
class Position:
    mean_level: float
    max_level: float

    @property
    def label(self) -> str:
        return level_label(self.mean_level)

    @property
    def ratio(self) -> float:
        """How far along the campaign's maximum (0–1), for a gauge."""
        return self.mean_level / self.max_level if self.max_level else 0.0


def tube_position(*, reached_sum: int, participants: int, max_level: int) -> Position | None:
    """A tube's mean level reached (0 counted for a student with no level) against its hardest campaign skill."""
    if not participants:
        return None
    return Position(mean_level=reached_sum / participants, max_level=max_level)


def mean_position(positions: Sequence[Position]) -> Position | None:
    """A competence (or the whole campaign): the mean of its tubes' mean levels and of their maximums."""
    positions = [position for position in positions if position is not None]
    if not positions:
        return None
    return Position(mean_level=sum(p.mean_level for p in positions) / len(positions),
                    max_level=sum(p.max_level for p in positions) / len(positions))


# --- Activity --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Day:
    date: datetime.date
    started: int  # cumulative
    shared: int  # cumulative


def cumulative_days(started: Mapping[datetime.date, int], shared: Mapping[datetime.date, int]) -> list[Day]:
    """Cumulative started and sent participations at the end of each day on which something happened."""
    days = sorted(set(started) | set(shared))
    total_started = total_shared = 0
    result = []
    for day in days:
        total_started += started.get(day, 0)
        total_shared += shared.get(day, 0)
        result.append(Day(date=day, started=total_started, shared=total_shared))
    return result
