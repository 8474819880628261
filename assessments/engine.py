"""Choosing the next challenge of an adaptive test, "smart random" as in Pix (pure: no Django).

A student's knowledge of a tube is a floor (highest validated level) and a ceiling (lowest invalidated level):
levels up to the floor are validated, levels from the ceiling up are invalidated, the others are untested. Each
answer settles several levels at once: a success validates every level below, a failure invalidates every level
above.

The first question comes from an easy tube (its hardest skill at level 3 or below), at level 2, not timed. Then
the engine estimates the student's level from the answers of this test and asks, among the untested skills at most
two levels above that estimate, the one whose answer is expected to settle the most skills of its tube: easy tubes
first, and never two timed questions in a row while an untimed one can be asked. Ties are broken by the test's
seed, so the same state always gives the same question. The test ends when no skill is left to ask.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

FIRST_CHALLENGE_LEVEL = 2
EASY_TUBE_MAX_LEVEL = 3
MAX_LEVEL_ABOVE_ESTIMATE = 2
ESTIMATE_LEVELS = tuple(step / 2 for step in range(1, 16))  # 0.5, 1, … 7.5
# Two answers every test is assumed to have: level 0 passed, level 7 failed (they keep the estimate finite).
VIRTUAL_ANSWERS = ((0, True), (7, False))
# Rewards and sums are compared after rounding, so that ties are ties whatever the order of the additions.
_DIGITS = 9

VALIDATED = "validated"
INVALIDATED = "invalidated"
UNTESTED = "untested"


@dataclass(frozen=True, slots=True)
class ChallengeOption:
    id: str
    timed: bool


@dataclass(frozen=True, slots=True)
class SkillCandidate:
    name: str
    tube: str
    level: int
    challenges: tuple[ChallengeOption, ...]  # its playable challenges, in a stable order


@dataclass(frozen=True, slots=True)
class TubeKnowledge:
    """One student's knowledge of one tube (the caller passes a failure older than the retry window as
    ``ceiling=None``)."""

    floor: int = 0  # highest validated level (0: none)
    ceiling: int | None = None  # lowest invalidated level (None: none)


@dataclass(frozen=True, slots=True)
class Pick:
    skill: str
    challenge_id: str
    estimated_level: float


def skill_state(knowledge: TubeKnowledge | None, level: int) -> str:
    """``"validated"``, ``"invalidated"`` or ``"untested"``: where a level stands in a tube's knowledge."""
    if knowledge is None:
        return UNTESTED
    if level <= knowledge.floor:
        return VALIDATED
    if knowledge.ceiling is not None and level >= knowledge.ceiling:
        return INVALIDATED
    return UNTESTED


def knowledge_after(knowledge: TubeKnowledge | None, *, level: int, ok: bool) -> TubeKnowledge:
    """The tube's knowledge once the student answered a skill of this level (right or not)."""
    knowledge = knowledge or TubeKnowledge()
    if ok:
        floor = max(knowledge.floor, level)
        ceiling = knowledge.ceiling if knowledge.ceiling is not None and knowledge.ceiling > floor else None
        return TubeKnowledge(floor=floor, ceiling=ceiling)
    if level <= knowledge.floor:  # a level already validated stays validated
        return knowledge
    ceiling = level if knowledge.ceiling is None else min(knowledge.ceiling, level)
    return TubeKnowledge(floor=knowledge.floor, ceiling=ceiling)


def success_probability(estimated_level: float, level: int) -> float:
    """P(L, d) = 1 / (1 + e^−(L − d))."""
    return 1 / (1 + math.exp(level - estimated_level))


# P(L, d) for every estimate and level 0–8: the estimate and the rewards read it on every answer (same floats as
# ``success_probability``, computed once).
_PROBABILITIES = {(estimated_level, level): success_probability(estimated_level, level)
                  for estimated_level in ESTIMATE_LEVELS for level in range(0, 9)}


def estimate_level(direct: Sequence[tuple[int, bool]]) -> float:
    """The level among 0.5, 1, … 7.5 that best explains the answers (level, ok) of this test.

    It minimises |Σ (outcome − P(L, d))| over the answers and the two virtual ones; ties go to the lowest level.
    """
    # Levels are 1–8: counting the answers by (level, outcome) keeps the sums short however long the test.
    return _estimate_from_counts(tuple(sorted(Counter([*((level, bool(ok)) for level, ok in direct),
                                                       *VIRTUAL_ANSWERS]).items())))


# outcome − P(L, d) for every estimate, level 0–8 and outcome: the terms of the estimate's sums (the same floats as
# computing them from ``_PROBABILITIES``).
_DIFFERENCES = {estimated_level: {(level, ok): int(ok) - _PROBABILITIES[estimated_level, level]
                                  for level in range(0, 9) for ok in (False, True)}
                for estimated_level in ESTIMATE_LEVELS}


@functools.lru_cache(maxsize=4096)
def _estimate_from_counts(counts: tuple[tuple[tuple[int, bool], int], ...]) -> float:
    """The estimate for answers counted by (level, outcome): many tests share the same counts, so it is cached."""
    best, best_gap = None, None
    for estimated_level in ESTIMATE_LEVELS:  # ascending: a tie keeps the lowest level
        differences = _DIFFERENCES[estimated_level]
        terms = []
        for key, count in counts:
            difference = differences.get(key)
            if difference is None:  # a level outside 0–8
                difference = int(key[1]) - success_probability(estimated_level, key[0])
            terms.append(count * difference)
        gap = round(abs(math.fsum(terms)), _DIGITS)
        if best_gap is None or gap < best_gap:
            best, best_gap = estimated_level, gap
    return best


def seed_index(seed: int, count: int) -> int:
    """A stable index in range(count) drawn from the seed (SHA-256: the same on every run and machine)."""
    digest = hashlib.sha256(str(seed).encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def next_challenge(*, skills: Sequence[SkillCandidate], knowledge: Mapping[str, TubeKnowledge],
                   direct: Sequence[tuple[int, bool]], last_timed: bool, seed: int,
                   answered: frozenset[str] = frozenset()) -> Pick | None:
    """The next challenge to ask, or None when the test is over.

    ``knowledge``: the student's knowledge by tube (``SkillCandidate.tube``), updated with ``knowledge_after``
    after each answer;
    ``direct``: (level, ok) of this test's answers, in order; ``answered``: the challenges already asked in this
    test; ``seed``: the same for the whole test (e.g. the assessment's id).
    """
    # Untested skills that can still be asked (one of their challenges not asked yet): the pool every rule below
    # starts from. It runs on every answer over every skill of the test: the skills are grouped by tube once per
    # skill set (``_layout``), so each tube's knowledge is looked up once.
    layout = _layout(skills)
    hardest = layout.hardest
    askable: list[SkillCandidate] = []
    for tube, group in layout.tubes:
        tube_knowledge = knowledge.get(tube)
        floor, ceiling = (0, None) if tube_knowledge is None else (tube_knowledge.floor, tube_knowledge.ceiling)
        for skill in group:
            level = skill.level
            if tube_knowledge is not None and (level <= floor or (ceiling is not None and level >= ceiling)):
                continue
            for option in skill.challenges:
                if option.id not in answered:
                    askable.append(skill)
                    break
    if not askable:
        return None

    def remaining(skill: SkillCandidate) -> tuple[ChallengeOption, ...]:
        return tuple(option for option in skill.challenges if option.id not in answered)

    def easy_first(candidates: list[SkillCandidate]) -> list[SkillCandidate]:
        easy = [skill for skill in candidates if hardest[skill.tube] <= EASY_TUBE_MAX_LEVEL]
        return easy or candidates

    def not_timed_if_possible(candidates: list[SkillCandidate]) -> list[SkillCandidate]:
        untimed = [skill for skill in candidates if any(not option.timed for option in remaining(skill))]
        return untimed or candidates

    if not direct:
        candidates = not_timed_if_possible(easy_first(askable))
        at_first_level = [skill for skill in candidates if skill.level == FIRST_CHALLENGE_LEVEL]
        lowest = min(skill.level for skill in candidates)
        candidates = at_first_level or [skill for skill in candidates if skill.level == lowest]
        return _pick(candidates, remaining, prefer_untimed=True, seed=seed,
                     estimated_level=float(FIRST_CHALLENGE_LEVEL))

    estimated_level = estimate_level(direct)
    # Too-hard skills go first, so that the preferences below only weigh skills that can really be asked: an easy
    # tube's level 3 out of reach must not hide every other tube, nor an untimed skill out of reach end the test.
    candidates = [skill for skill in askable if skill.level - estimated_level <= MAX_LEVEL_ABOVE_ESTIMATE]
    if last_timed:  # before the easy tubes: no two timed in a row weighs more than the order of the tubes
        candidates = not_timed_if_possible(candidates)
    candidates = easy_first(candidates)
    candidates = _best_rewards(candidates, askable, estimated_level)
    if not candidates:
        return None
    return _pick(candidates, remaining, prefer_untimed=last_timed, seed=seed, estimated_level=estimated_level)


@dataclass(frozen=True, slots=True)
class _Layout:
    tubes: tuple[tuple[str, tuple[SkillCandidate, ...]], ...]  # each tube and its skills, in the skills' order
    hardest: dict[str, int]  # each tube's hardest level


# Layouts of the skill sets seen last, by identity: a test's skill set is one tuple, built once per campaign and
# release, read on every answer. The tuple is kept with its layout (its id cannot be reused while it is here).
_LAYOUTS: dict[int, tuple[tuple, _Layout]] = {}
_LAYOUTS_MAX = 256


def _layout(skills: Sequence[SkillCandidate]) -> _Layout:
    """The skills grouped by tube and each tube's hardest level; remembered for a tuple (immutable), computed again
    for any other sequence."""
    remembered = type(skills) is tuple
    if remembered:
        known = _LAYOUTS.get(id(skills))
        if known is not None and known[0] is skills:
            return known[1]
    groups: dict[str, list[SkillCandidate]] = {}
    for skill in skills:
        groups.setdefault(skill.tube, []).append(skill)
    layout = _Layout(tubes=tuple((tube, tuple(group)) for tube, group in groups.items()),
                     hardest={tube: max(skill.level for skill in group) for tube, group in groups.items()})
    if remembered:
        if len(_LAYOUTS) >= _LAYOUTS_MAX:
            _LAYOUTS.clear()
        _LAYOUTS[id(skills)] = (skills, layout)
    return layout


def _best_rewards(candidates: list[SkillCandidate], askable: list[SkillCandidate],
                  estimated_level: float) -> list[SkillCandidate]:
    """The candidates whose answer is expected to settle the most askable skills of their tube.

    Reward of a skill of level d: p·E + (1 − p)·H, p = P(L, d); a success settles the E askable skills of the tube
    at or below d, a failure the H at or above d (both count the skill itself).
    """
    levels_by_tube: dict[str, list[int]] = defaultdict(list)
    for skill in askable:
        levels_by_tube[skill.tube].append(skill.level)
    rewards: dict[str, float] = {}
    for skill in candidates:
        below = above = 0
        for level in levels_by_tube[skill.tube]:
            if level <= skill.level:
                below += 1
            if level >= skill.level:
                above += 1
        p = _PROBABILITIES.get((estimated_level, skill.level))
        if p is None:
            p = success_probability(estimated_level, skill.level)
        rewards[skill.name] = round(p * below + (1 - p) * above, _DIGITS)
    best = max(rewards.values(), default=0)
    if best <= 0:
        return []
    return [skill for skill in candidates if rewards[skill.name] == best]


def _pick(candidates: list[SkillCandidate], remaining: Callable[[SkillCandidate], tuple[ChallengeOption, ...]], *,
          prefer_untimed: bool, seed: int, estimated_level: float) -> Pick:
    ordered = sorted(candidates, key=lambda skill: skill.name)
    skill = ordered[seed_index(seed, len(ordered))]
    options = list(remaining(skill))
    if prefer_untimed:
        options = [option for option in options if not option.timed] or options
    option = options[seed_index(seed + 1, len(options))]
    return Pick(skill=skill.name, challenge_id=option.id, estimated_level=estimated_level)
