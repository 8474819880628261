"""One-time passwords that a teacher hands to a student (no Django).

6 lower-case letters, without i, l and o (read aloud or copied from paper, they are mistaken for 1 and 0), then
2 digits: ``kbrtze47``. 23⁶ × 10² ≈ 1.5 × 10¹⁰ possibilities (about 34 bits), drawn by the system's CSPRNG. The
account must choose its own password at its first log-in with one.
"""

from __future__ import annotations

import re
import secrets

LETTERS = "abcdefghjkmnpqrstuvwxyz"
DIGITS = "0123456789"
ONE_TIME_PASSWORD_RE = re.compile(rf"^[{LETTERS}]{{6}}[{DIGITS}]{{2}}$")


def one_time_password_generate(rng: secrets.SystemRandom | None = None) -> str:
    rng = rng or secrets.SystemRandom()
    return "".join(rng.choice(LETTERS) for _ in range(6)) + "".join(rng.choice(DIGITS) for _ in range(2))


def one_time_password_is_well_formed(password: str) -> bool:
    return bool(ONE_TIME_PASSWORD_RE.match(password or ""))
