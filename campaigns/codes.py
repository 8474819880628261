"""Campaign codes: what a student types to join a campaign (pure: no Django).

A code is 9 characters: 6 letters from A–Z without I, L and O, then 3 digits from 2 to 9 (``QWERTY234``). The
letters and digits that read alike (I/L/1, O/0) are left out so that a code read aloud or copied from a board
cannot be mistyped into another one. 23**6 * 8**3 ≈ 7.6e10 codes exist, so a random one rarely collides; the
database's unique constraint stays the last word, and the caller regenerates on collision.
"""

from __future__ import annotations

import random
import re
import secrets
import unicodedata
from collections.abc import Callable

CAMPAIGN_CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ"  # A–Z without I, L, O
CAMPAIGN_CODE_DIGITS = "23456789"  # without 0 and 1
CAMPAIGN_CODE_LENGTH = 9
# Shown to a student who typed a wrong code, as "for example ABCDEF234".
CAMPAIGN_CODE_EXAMPLE = "ABCDEF234"

_CAMPAIGN_CODE = re.compile(r"[ABCDEFGHJKMNPQRSTUVWXYZ]{6}[2-9]{3}")
# Typed between groups, or slipped in by a copy-paste (en dash, minus sign, soft hyphen, zero-width space).
_IGNORED_CATEGORIES = frozenset({"Pd", "Cf"})
_MINUS_SIGN = "\u2212"


class CampaignCodeGenerationFailed(RuntimeError):
    """Every attempt gave a code already in use: with ~7.6e10 codes, something else is wrong."""

    code = "CAMPAIGN_CODE_GENERATION_FAILED"

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(f"No free campaign code after {attempts} attempts.")


def campaign_code_generate(*, rng: random.Random | None = None) -> str:
    """A random well-formed code; ``rng`` defaults to the operating system's CSPRNG (codes must not be guessable)."""
    if rng is None:
        rng = secrets.SystemRandom()
    letters = "".join(rng.choice(CAMPAIGN_CODE_LETTERS) for _ in range(6))
    digits = "".join(rng.choice(CAMPAIGN_CODE_DIGITS) for _ in range(3))
    return letters + digits


def campaign_code_generate_unique(
    *, exists: Callable[[str], bool], attempts: int = 20, rng: random.Random | None = None
) -> str:
    """A code for which ``exists(code)`` is false, drawing at most ``attempts`` codes.

    Raises ``CampaignCodeGenerationFailed`` after ``attempts`` collisions. ``exists`` is checked before the insert,
    so two concurrent creations can still pick the same code: the unique constraint decides, and the caller
    retries on ``IntegrityError``.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    if rng is None:
        rng = secrets.SystemRandom()
    for _ in range(attempts):
        code = campaign_code_generate(rng=rng)
        if not exists(code):
            return code
    raise CampaignCodeGenerationFailed(attempts)


def campaign_code_normalize(raw: str) -> str:
    """What the student typed, upper-cased, without whitespace or dashes: ``"qwe-rty 234"`` → ``"QWERTY234"``.

    Full-width letters and digits (a Japanese or Chinese input method, a copy from some PDFs) become plain ones
    (NFKC: ``"ＱＷＥ２３４"`` → ``"QWE234"``). The result is returned even when it is not a well-formed code, so that
    the form can show it back.
    """
    text = raw or ""
    # One pass can leave a string that a second pass changes: dropping the space of NFKC("¯") = " \u0304" puts the
    # combining macron after the letter before it, which NFKC then composes ("O¯" → "Ō"); upper-casing can also
    # decompose ("ǰ" → "J\u030c"). So the pass is repeated until nothing changes (twice in practice, rarely three).
    for _ in range(_NORMALIZE_PASSES_MAX):
        again = _normalize_pass(text)
        if again == text:
            break
        text = again
    return text


_NORMALIZE_PASSES_MAX = 8


def _normalize_pass(text: str) -> str:
    kept = "".join(
        ch for ch in unicodedata.normalize("NFKC", text)
        if not (ch.isspace() or ch == _MINUS_SIGN or unicodedata.category(ch) in _IGNORED_CATEGORIES)
    )
    return kept.upper()


def campaign_code_is_well_formed(code: str) -> bool:
    """Whether ``code`` is exactly 6 allowed letters then 3 allowed digits (normalize what a student typed first)."""
    return _CAMPAIGN_CODE.fullmatch(code) is not None
