"""Pix and levels: of a competence, of a whole profile, and what each skill is worth (pure: no Django).

Each level of a competence is worth 8 pix, shared by its active skills (a skill is worth at most 4). A competence's
pix are the sum of its validated skills' values, rounded down and capped at the highest level open; its level is
pix ÷ 8. A profile can be certified from 5 competences at level 1 or more.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PIX_PER_LEVEL = 8
CERTIFIABLE_MIN_COMPETENCES = 5  # with level ≥ 1
MAX_SKILL_PIX = 4
# Sums of thirds and fifths come out as 7.999999…: round before flooring.
_PIX_DIGITS = 6


@dataclass(frozen=True, slots=True)
class CompetenceScore:
    pix: int
    level: int


@dataclass(frozen=True, slots=True)
class ProfileScore:
    pix_score: int
    certifiable: bool
    certifiable_competences: int
    competences: dict[str, CompetenceScore]


def competence_score(validated_pix: Iterable[float], *, max_level: int) -> CompetenceScore:
    """floor(Σ pix of the validated skills), capped at max_level × 8; level = pix ÷ 8 (at most max_level)."""
    total = math.floor(round(math.fsum(validated_pix), _PIX_DIGITS))
    pix = max(0, min(total, max_level * PIX_PER_LEVEL))
    return CompetenceScore(pix=pix, level=min(pix // PIX_PER_LEVEL, max_level))


def profile_score(validated_pix_by_competence: Mapping[str, Iterable[float]], *, competence_codes: Iterable[str],
                  max_level: int) -> ProfileScore:
    """Every competence of ``competence_codes`` (0 pix when none of its skills is validated) and their sum.

    Pix of a competence outside ``competence_codes`` do not count.
    """
    competences = {code: competence_score(validated_pix_by_competence.get(code, ()), max_level=max_level)
                   for code in competence_codes}
    certifiable_competences = sum(1 for score in competences.values() if score.level >= 1)
    return ProfileScore(
        pix_score=sum(score.pix for score in competences.values()),
        certifiable=certifiable_competences >= CERTIFIABLE_MIN_COMPETENCES,
        certifiable_competences=certifiable_competences,
        competences=competences,
    )


def skill_pix_values(active_skill_levels: Mapping[str, tuple[str, int]]) -> dict[str, float]:
    """{skill: (competence code, level)} → {skill: min(4, 8 ÷ active skills of the same competence and level)}."""
    counts = Counter(active_skill_levels.values())
    return {name: min(float(MAX_SKILL_PIX), PIX_PER_LEVEL / counts[key]) for name, key in active_skill_levels.items()}
