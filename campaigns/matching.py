"""Linking a student who joins a campaign to their school record (pure: no Django).

The caller passes the candidates: the organization's active learners born on the date the student typed (a wrong
birthdate therefore gives no candidate and never matches). Then, as in Pix Orga:

1. Names are normalised: accents removed, lower case, every character other than a–z and 0–9 removed
   (``"D'Almeida"`` and ``"dalmeida"``, ``"Le Goff"`` and ``"LE-GOFF"`` are the same name).
2. A strict pass, then a tolerant pass. Each pass looks at the given-name slots in order (first name, second,
   third) and keeps the candidates whose slot matches the typed first name *and* whose family name or usage name
   matches the typed last name. The first slot kept by exactly one candidate wins; a slot kept by several is
   ambiguous and skipped.
3. Strict means equal. Tolerant means a Levenshtein distance of at most ``len(typed) // 4`` (that is
   ``floor(0.25 * len(typed))``), where ``typed`` is the normalised name the student typed: names of 1–3 characters
   must be exact, 4–7 allow one edit, 8–11 two, and so on. The first and last names are each measured against their
   own typed length, with the same pass's rule.

Empty names never match: a typed name that normalises to ``""``, or an empty slot of a candidate.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar

# The given-name slots, in the order they are tried.
GIVEN_NAME_SLOTS = ("first_name", "second_first_name", "third_first_name")
# Tolerated edits are distance <= len(typed) // TOLERANCE_DIVISOR: 25 % of the typed length, rounded down.
TOLERANCE_DIVISOR = 4

_NOT_A_Z_0_9 = re.compile(r"[^a-z0-9]+")
# Letters that NFKD does not split into a base letter and an accent.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ı": "i",
})


class MatchReason(StrEnum):
    STRICT = "STRICT"  # found by the strict pass
    TOLERANT = "TOLERANT"  # found by the tolerant pass
    NO_MATCH = "NO_MATCH"  # no slot of either pass kept any candidate
    AMBIGUOUS = "AMBIGUOUS"  # no slot kept exactly one candidate, and at least one kept several


class CandidateLike(Protocol):
    """What ``learner_match`` reads from a candidate: a model instance, a ``Candidate``, a named tuple…"""

    @property
    def id(self) -> Any: ...
    @property
    def first_name(self) -> str | None: ...
    @property
    def second_first_name(self) -> str | None: ...
    @property
    def third_first_name(self) -> str | None: ...
    @property
    def family_name(self) -> str | None: ...
    @property
    def usage_name(self) -> str | None: ...


C = TypeVar("C", bound=CandidateLike)


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A learner as the matching sees it."""

    id: int
    first_name: str | None
    family_name: str | None
    second_first_name: str | None = None
    third_first_name: str | None = None
    usage_name: str | None = None


@dataclass(frozen=True, slots=True)
class MatchResult(Generic[C]):
    """``matched`` is the candidate given in, unchanged; ``slot`` is one of ``GIVEN_NAME_SLOTS``.

    For a match, ``slot`` is the slot that found it; for ``AMBIGUOUS``, the first slot kept by several candidates
    (strict pass first); for ``NO_MATCH``, ``None``.
    """

    reason: MatchReason
    matched: C | None = None
    slot: str | None = None

    @property
    def is_match(self) -> bool:
        return self.matched is not None


def name_normalize(value: str | None) -> str:
    """``"Lœtitia-Anaïs D'Hôte"`` → ``"loetitiaanaisdhote"``: no accents, lower case, only a–z and 0–9 left."""
    if not value:
        return ""
    if not value.isascii():
        # NFKD splits "é" into "e" and a combining accent; the accent then goes with every other non-a–z character.
        value = unicodedata.normalize("NFKD", value.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    return _NOT_A_Z_0_9.sub("", value.lower())


def levenshtein_distance(a: str, b: str, *, max_distance: int | None = None) -> int:
    """The number of single-character insertions, deletions and substitutions turning ``a`` into ``b``.

    With ``max_distance``, the exact distance when it is at most ``max_distance``, otherwise ``max_distance + 1``
    (the computation stops as soon as the bound is exceeded). A swap of two letters counts as two edits.
    """
    if max_distance is not None and max_distance < 0:
        raise ValueError("max_distance must not be negative")
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a  # rows as long as the shorter string
    if max_distance is not None and len(a) - len(b) > max_distance:
        return max_distance + 1
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        # A row's minimum never decreases from one row to the next: once above the bound, it stays above.
        if max_distance is not None and min(current) > max_distance:
            return max_distance + 1
        previous = current
    distance = previous[-1]
    return distance if max_distance is None or distance <= max_distance else max_distance + 1


def tolerated_distance(typed_normalized: str) -> int:
    """The edits the tolerant pass allows for a typed (normalised) name: ``floor(0.25 * len)``."""
    return len(typed_normalized) // TOLERANCE_DIVISOR


def _is_close(typed: str, reference: str, max_distance: int) -> bool:
    if not reference:
        return False
    if max_distance == 0:
        return typed == reference
    return levenshtein_distance(typed, reference, max_distance=max_distance) <= max_distance


@dataclass(frozen=True, slots=True)
class _Normalized:
    candidate: Any
    given_names: tuple[str, str, str]
    last_names: tuple[str, ...]  # family name, then usage name, without empty ones


def _normalized(candidate: CandidateLike) -> _Normalized:
    given = tuple(name_normalize(getattr(candidate, slot)) for slot in GIVEN_NAME_SLOTS)
    last = tuple(name for name in (name_normalize(candidate.family_name), name_normalize(candidate.usage_name)) if name)
    return _Normalized(candidate, given, last)  # type: ignore[arg-type]


def learner_match(*, first_name: str, last_name: str, candidates: Sequence[C]) -> MatchResult[C]:
    """The candidate the student who typed ``first_name`` and ``last_name`` is, if exactly one can be told apart.

    Never raises on empty or odd input: it gives ``NO_MATCH``. See the module docstring for the rules.
    """
    typed_first = name_normalize(first_name)
    typed_last = name_normalize(last_name)
    if not typed_first or not typed_last or not candidates:
        return MatchResult(MatchReason.NO_MATCH)
    normalized = [_normalized(candidate) for candidate in candidates]
    passes = (
        (MatchReason.STRICT, 0, 0),
        (MatchReason.TOLERANT, tolerated_distance(typed_first), tolerated_distance(typed_last)),
    )
    first_ambiguous_slot: str | None = None
    for reason, first_bound, last_bound in passes:
        same_last_name = [
            entry for entry in normalized if any(_is_close(typed_last, name, last_bound) for name in entry.last_names)
        ]
        for index, slot in enumerate(GIVEN_NAME_SLOTS):
            kept = [entry for entry in same_last_name if _is_close(typed_first, entry.given_names[index], first_bound)]
            if len(kept) == 1:
                return MatchResult(reason, kept[0].candidate, slot)
            if kept and first_ambiguous_slot is None:
                first_ambiguous_slot = slot
    if first_ambiguous_slot is not None:
        return MatchResult(MatchReason.AMBIGUOUS, slot=first_ambiguous_slot)
    return MatchResult(MatchReason.NO_MATCH)
