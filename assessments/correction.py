"""Correcting a student's answer to a challenge (pure: no Django).

A submitted value is first checked and made canonical (``answer_normalize``), then corrected
(``answer_correct``), then given its final status (``answer_evaluate``: a skip, an answer after the timer).

Free answers (QROC, QROCM) go through the challenge's tolerances, applied to the answer and to every accepted
answer alike, after a pre-treatment (Unicode NFC, non-breaking spaces become spaces):

- **T1** « espaces, casse et accents »: trim, lower case, accents removed (NFD, combining marks dropped), every
  whitespace removed;
- **T2** « ponctuation »: every character other than a letter a–z, a digit or a space removed (with T1 on, the
  letters are already lower case and the spaces gone; with T1 off, A–Z are kept, runs of spaces become one and
  the ends are trimmed, so that ``"Paris !"`` reads ``"Paris"``);
- **T3** « distance d'édition »: also accepted when the Levenshtein distance to an accepted answer, divided by the
  length of the (treated) answer, is at most 0.25; an empty answer only matches an empty accepted one.

A numeric QROC (``format: nombre``) compares numbers when the answer and every accepted answer read as numbers:
``3,5`` = ``3.5`` = `` 3.50 ``, ``2 500`` = ``2500``.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import Levenshtein

MAX_ANSWER_LENGTH = 500
T3_MAX_RATIO = 0.25
NUMERIC_FORMAT = "nombre"
CHOICE_TYPES = frozenset({"QCU", "QCM"})
QROCM_TYPES = frozenset({"QROCM-ind", "QROCM-dep"})
CHALLENGE_TYPES = frozenset({"QCU", "QCM", "QROC", "QROCM-ind", "QROCM-dep"})

_FIELD = re.compile(r"\$\{([^}#]*)(?:#([^}]*))?\}")
# U+00A0 no-break space, U+2007 figure space, U+202F narrow no-break space (French typography before « ; : ! ? »).
_NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " "})
_NOT_ALNUM_OR_SPACE = re.compile(r"[^a-zA-Z0-9 ]+")
_SPACES = re.compile(r" {2,}")
_SOLUTION_LINES = re.compile(r"\r?\n")
# 2500, 2 500, 1 234 567, with an optional sign and decimals after "," or ".".
_NUMBER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?: \d{3})+)(?:[.,]\d+)?")


class AnswerStatus(enum.StrEnum):
    OK = "ok"
    KO = "ko"
    ABAND = "aband"
    TIMEDOUT = "timedout"


@dataclass(frozen=True, slots=True, kw_only=True)
class ChallengeKey:
    """What correction needs of a challenge."""

    type: str  # "QCU" | "QCM" | "QROC" | "QROCM-ind" | "QROCM-dep"
    # QCU/QCM: the options; QROC/QROCM: a text with ${key} or ${key#placeholder} fields.
    proposals: list[str] | str
    # QCU "2"; QCM "1,3"; QROC accepted answers one per line; QROCM {field key (ind) or group (dep): [accepted]}.
    solution: str | dict[str, list[str]]
    t1: bool = True
    t2: bool = True
    t3: bool = True
    format: str = ""  # "nombre": numeric QROC


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    placeholder: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Correction:
    status: AnswerStatus
    fields: dict[str, bool] | None = None  # QROCM: which fields were right (for the correction screen)


class InvalidAnswer(ValueError):
    """A submitted value of the wrong shape; ``str(error)`` is a French sentence saying what to fix."""

    def __init__(self, message: str, *, code: str = "ANSWER_INVALID"):
        super().__init__(message)
        self.code = code


# --- Proposals ------------------------------------------------------------------------------------------------------

def proposal_fields(proposals: str) -> list[Field]:
    """The input fields of a QROC/QROCM text, in order: ``${key}`` or ``${key#placeholder}`` (a key once)."""
    fields: list[Field] = []
    seen: set[str] = set()
    for match in _FIELD.finditer(proposals or ""):
        key = match.group(1).strip()
        if key and key not in seen:
            seen.add(key)
            fields.append(Field(key, (match.group(2) or "").strip()))
    return fields


def _options(proposals: list[str] | str) -> list[str]:
    if isinstance(proposals, str):  # a Markdown list: one option per line starting with "- "
        return [line[2:] for line in proposals.splitlines() if line.startswith("- ")]
    return list(proposals)


def _choice_numbers(solution) -> set[int]:
    parts = solution if isinstance(solution, (list, tuple, set, frozenset)) else str(solution).split(",")
    return {int(str(part).strip()) for part in parts if str(part).strip()}


def _accepted_lines(solution) -> list[str]:
    lines = solution if isinstance(solution, (list, tuple)) else _SOLUTION_LINES.split(str(solution))
    return [str(line) for line in lines if str(line).strip()]  # a blank line is layout, not an accepted answer


# --- Normalising a submitted value ----------------------------------------------------------------------------------

def answer_normalize(*, challenge: ChallengeKey, value) -> str | dict[str, str]:
    """Check the shape of a submitted value and return it canonical, or raise ``InvalidAnswer``.

    QCU ``"2"`` (one option's number), QCM ``"1,3"`` (sorted, once each, at least one), QROC the text (not blank,
    at most 500 characters), QROCM ``{key: text}`` with exactly the fields' keys and at least one filled in.
    """
    if challenge.type == "QCU":
        return _normalize_qcu(challenge, value)
    if challenge.type == "QCM":
        return _normalize_qcm(challenge, value)
    if challenge.type == "QROC":
        return _normalize_text(value)
    if challenge.type in QROCM_TYPES:
        return _normalize_fields(challenge, value)
    raise ValueError(f"unknown challenge type {challenge.type!r}")


def _option_number(raw, count: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise InvalidAnswer("Cette réponse n'est pas l'une des propositions.", code="ANSWER_NOT_AN_OPTION")
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= count:
        raise InvalidAnswer("Cette réponse n'est pas l'une des propositions.", code="ANSWER_NOT_AN_OPTION")
    return int(text)


def _normalize_qcu(challenge: ChallengeKey, value) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidAnswer("Choisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe ».", code="ANSWER_EMPTY")
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise InvalidAnswer("Choisissez une seule réponse.", code="ANSWER_NOT_AN_OPTION")
        value = value[0]
    return str(_option_number(value, len(_options(challenge.proposals))))


def _normalize_qcm(challenge: ChallengeKey, value) -> str:
    if value is None:
        raise InvalidAnswer("Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe ».", code="ANSWER_EMPTY")
    if isinstance(value, str):
        parts = [part for part in value.split(",") if part.strip()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        parts = list(value)
    else:
        raise InvalidAnswer("Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe ».", code="ANSWER_EMPTY")
    if not parts:
        raise InvalidAnswer("Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe ».", code="ANSWER_EMPTY")
    count = len(_options(challenge.proposals))
    return ",".join(str(number) for number in sorted({_option_number(part, count) for part in parts}))


def _normalize_text(value) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidAnswer("Saisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe ».", code="ANSWER_EMPTY")
    if not isinstance(value, str):
        raise InvalidAnswer("Saisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe ».", code="ANSWER_EMPTY")
    if len(value) > MAX_ANSWER_LENGTH:
        raise InvalidAnswer(f"Votre réponse est trop longue : {MAX_ANSWER_LENGTH} caractères au plus.",
                            code="ANSWER_TOO_LONG")
    return value


def _normalize_fields(challenge: ChallengeKey, value) -> dict[str, str]:
    keys = [field.key for field in proposal_fields(_text_proposals(challenge))]
    if not isinstance(value, Mapping) or set(value) != set(keys):
        raise InvalidAnswer("Remplissez les champs de la question.", code="ANSWER_WRONG_FIELDS")
    normalized: dict[str, str] = {}
    for key in keys:
        text = value[key]
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise InvalidAnswer("Remplissez les champs de la question.", code="ANSWER_WRONG_FIELDS")
        if len(text) > MAX_ANSWER_LENGTH:
            raise InvalidAnswer(f"Une réponse est trop longue : {MAX_ANSWER_LENGTH} caractères au plus par champ.",
                                code="ANSWER_TOO_LONG")
        normalized[key] = text
    if not any(text.strip() for text in normalized.values()):
        raise InvalidAnswer("Remplissez au moins un champ. Si vous ne savez pas, cliquez sur « Je passe ».", code="ANSWER_EMPTY")
    return normalized


def _text_proposals(challenge: ChallengeKey) -> str:
    proposals = challenge.proposals
    return proposals if isinstance(proposals, str) else "\n".join(proposals)


# --- Tolerances -----------------------------------------------------------------------------------------------------

def text_pretreat(text: str) -> str:
    """What every free answer and accepted answer goes through first: NFC, no-break spaces → spaces."""
    return unicodedata.normalize("NFC", text).translate(_NO_BREAK_SPACES)


def _drop_marks(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char))


def treatment_t1(text: str) -> str:
    """Trim, lower case, accents removed, every whitespace removed."""
    # Marks are dropped on both sides of lower(): "İ".lower() gives "i" + a combining dot.
    return "".join(_drop_marks(_drop_marks(text.strip()).lower()).split())


def treatment_t2(text: str) -> str:
    """Every character other than a–z, A–Z, 0–9 and space removed; spaces collapsed and trimmed."""
    return _SPACES.sub(" ", _NOT_ALNUM_OR_SPACE.sub("", text)).strip()


def text_treat(text: str, *, t1: bool, t2: bool) -> str:
    text = text_pretreat(text)
    if t1:
        text = treatment_t1(text)
    if t2:
        text = treatment_t2(text)
    return text


def within_edit_distance(answer: str, accepted: str) -> bool:
    """T3: distance ÷ the answer's length ≤ 0.25 (an empty answer only matches an empty accepted one)."""
    if not answer:
        return not accepted
    limit = int(T3_MAX_RATIO * len(answer))
    return Levenshtein.distance(answer, accepted, score_cutoff=limit) <= limit


def text_matches(answer: str, accepted: Iterable[str], *, t1: bool, t2: bool, t3: bool) -> bool:
    """Whether a free answer matches one of the accepted answers under the enabled tolerances."""
    treated = text_treat(answer, t1=t1, t2=t2)
    candidates = [text_treat(text, t1=t1, t2=t2) for text in accepted]
    if treated in candidates:
        return True
    return t3 and any(within_edit_distance(treated, candidate) for candidate in candidates)


def number_read(text: str) -> Decimal | None:
    """A typed number (``3,5``, `` 3.50 ``, ``2 500``, ``-12``), or None."""
    text = text_pretreat(text).strip()
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None


# --- Correcting -----------------------------------------------------------------------------------------------------

def answer_correct(*, challenge: ChallengeKey, value) -> Correction:
    """Correct a value already normalized by ``answer_normalize``."""
    if challenge.type == "QCU":
        ok = str(value).strip() == str(challenge.solution).strip()
        return Correction(status=_status(ok))
    if challenge.type == "QCM":
        ok = _choice_numbers(value) == _choice_numbers(challenge.solution)
        return Correction(status=_status(ok))
    if challenge.type == "QROC":
        return Correction(status=_status(_qroc_ok(challenge, value)))
    if challenge.type == "QROCM-ind":
        return _qrocm_ind(challenge, value)
    if challenge.type == "QROCM-dep":
        return _qrocm_dep(challenge, value)
    raise ValueError(f"unknown challenge type {challenge.type!r}")


def answer_evaluate(*, challenge: ChallengeKey, value, skipped: bool, late: bool) -> Correction:
    """The final status: a skip is ``aband`` (the value is ignored); a right answer after the timer ``timedout``."""
    if skipped:
        return Correction(status=AnswerStatus.ABAND)
    correction = answer_correct(challenge=challenge, value=value)
    if late and correction.status == AnswerStatus.OK:
        return Correction(status=AnswerStatus.TIMEDOUT, fields=correction.fields)
    return correction


def _status(ok: bool) -> AnswerStatus:
    return AnswerStatus.OK if ok else AnswerStatus.KO


def _tolerances(challenge: ChallengeKey) -> dict[str, bool]:
    return {"t1": challenge.t1, "t2": challenge.t2, "t3": challenge.t3}


def _qroc_ok(challenge: ChallengeKey, value: str) -> bool:
    accepted = _accepted_lines(challenge.solution)
    if challenge.format == NUMERIC_FORMAT:
        number = number_read(value)
        numbers = [number_read(text) for text in accepted]
        if number is not None and accepted and all(each is not None for each in numbers):
            return number in numbers
    return text_matches(value, accepted, **_tolerances(challenge))


def _accepted_by_group(solution) -> dict[str, list[str]]:
    if not isinstance(solution, Mapping):
        raise ValueError("a QROCM solution is a mapping of fields or groups to accepted answers")
    return {str(key): [str(text) for text in (texts if isinstance(texts, (list, tuple)) else [texts])]
            for key, texts in solution.items()}


def _qrocm_ind(challenge: ChallengeKey, value: Mapping[str, str]) -> Correction:
    accepted = _accepted_by_group(challenge.solution)
    tolerances = _tolerances(challenge)
    fields = {key: key in accepted and text_matches(text, accepted[key], **tolerances) for key, text in value.items()}
    return Correction(status=_status(bool(fields) and all(fields.values())), fields=fields)


def _qrocm_dep(challenge: ChallengeKey, value: Mapping[str, str]) -> Correction:
    groups = _accepted_by_group(challenge.solution)
    tolerances = _tolerances(challenge)
    keys = list(value)
    # Which groups each field could stand for; then a maximum matching, each group used once.
    edges = {key: [group for group, texts in groups.items() if text_matches(value[key], texts, **tolerances)]
             for key in keys}
    assignment = maximum_matching(keys, edges)
    fields = {key: key in assignment for key in keys}
    return Correction(status=_status(bool(fields) and all(fields.values())), fields=fields)


def maximum_matching(left: list[str], edges: Mapping[str, list[str]]) -> dict[str, str]:
    """A maximum bipartite matching (augmenting paths): {left item: the right item it is matched to}.

    Left items are tried in order, so among maximum matchings the earlier fields are preferred.
    """
    owner: dict[str, str] = {}  # right item → left item

    def augment(item: str, visited: set[str]) -> bool:
        for right in edges.get(item, ()):
            if right in visited:
                continue
            visited.add(right)
            if right not in owner or augment(owner[right], visited):
                owner[right] = item
                return True
        return False

    for item in left:
        augment(item, set())
    return {item: right for right, item in owner.items()}
