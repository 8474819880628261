"""Usernames of students without an e-mail address (no Django: plain values in, plain values out).

The rule: first name + "." + last name + the day and month of birth (DDMM), each name lower-cased, its accents
removed and every character outside a–z and 0–9 dropped (``Léna Côte`` born on 15 March → ``lena.cote1503``).
When that username is taken, the DDMM is replaced by 4 random digits until the username is free.

Ligatures are spelt out first (``Lætitia`` → ``laetitia``, ``Cœur`` → ``coeur``, ``Strauß`` → ``strauss``): dropping
them, as the rule drops any other character, would give usernames no one could guess from their own name.
"""

from __future__ import annotations

import datetime
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

# A username is made of lower-case letters, digits and dots; never an "@", so a login is told from an e-mail.
USERNAME_PATTERN = r"[a-z0-9]+(?:\.[a-z0-9]+)*"
USERNAME_RE = re.compile(rf"^{USERNAME_PATTERN}$")
USERNAME_MAX_LENGTH = 150
# Long names are cut so that the username stays readable (and under the column's length).
NAME_PART_MAX_LENGTH = 40
# A name with no letter left (written in another alphabet, say) still gives a username.
EMPTY_NAME_PART = "eleve"
SUFFIXES = 10_000  # 4 digits

_LIGATURES = str.maketrans({"æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ẞ": "ss", "ø": "o", "Ø": "o",
                            "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ð": "d", "þ": "th", "ı": "i"})
_OUTSIDE = re.compile(r"[^a-z0-9]")


def username_name_part(name: str) -> str:
    """``"Jean-Éric d'Arc"`` → ``"jeanericdarc"``: NFD, combining marks dropped, lower case, only a–z and 0–9."""
    text = unicodedata.normalize("NFKD", (name or "").translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return _OUTSIDE.sub("", text)[:NAME_PART_MAX_LENGTH] or EMPTY_NAME_PART


def username_base(*, first_name: str, last_name: str) -> str:
    """``lena.cote``: the part before the 4 digits."""
    return f"{username_name_part(first_name)}.{username_name_part(last_name)}"


def username_suggest(*, first_name: str, last_name: str, birthdate: datetime.date) -> str:
    """``lena.cote1503``: the username the rule gives first."""
    return f"{username_base(first_name=first_name, last_name=last_name)}{birthdate:%d%m}"


def username_normalize(username: str) -> str:
    """Usernames are compared and stored trimmed and lower-cased."""
    return (username or "").strip().lower()


def username_is_valid(username: str) -> bool:
    return bool(USERNAME_RE.match(username or "")) and len(username) <= USERNAME_MAX_LENGTH


def username_candidates(*, first_name: str, last_name: str, birthdate: datetime.date,
                        rng: random.Random) -> Iterator[str]:
    """The suggestion, then the base followed by every other 4-digit number once, in a random order."""
    yield username_suggest(first_name=first_name, last_name=last_name, birthdate=birthdate)
    base = username_base(first_name=first_name, last_name=last_name)
    seen = {int(f"{birthdate:%d%m}")}
    while len(seen) < SUFFIXES:  # drawn one at a time: most people need one or two
        number = rng.randrange(SUFFIXES)
        if number not in seen:
            seen.add(number)
            yield f"{base}{number:04d}"


class UsernamesExhausted(Exception):
    """Every 4-digit variant of a name is taken (10 000 people with the same first and last name)."""


def usernames_assign(
    people: Iterable[tuple[object, str, str, datetime.date]],
    *,
    taken: Callable[[set[str]], set[str]],
    rng: random.Random,
    batch: int = 4,
) -> dict[object, str]:
    """A free, distinct username for each ``(key, first_name, last_name, birthdate)``.

    ``taken(candidates)`` answers which of the candidates already belong to someone (one database query). Each
    person offers ``batch`` candidates at once — the suggestion first, then random ones — and takes the first one
    that is free and not given to someone of the batch: one call answers everyone, nearly always (another round
    only for whoever found all of theirs taken), so a school of 2 500 costs the same as one student.
    """
    generators: dict[object, Iterator[str]] = {}
    for key, first_name, last_name, birthdate in people:
        generators[key] = username_candidates(first_name=first_name, last_name=last_name, birthdate=birthdate,
                                              rng=rng)
    chosen: dict[object, str] = {}
    given: set[str] = set()
    waiting = list(generators)
    while waiting:
        offers: dict[object, list[str]] = {}
        for key in waiting:
            offers[key] = []
            for candidate in generators[key]:
                if candidate not in given:
                    offers[key].append(candidate)
                    if len(offers[key]) == batch:
                        break
            if not offers[key]:
                raise UsernamesExhausted(key)
        unavailable = taken({candidate for candidates in offers.values() for candidate in candidates})
        still_waiting = []
        for key in waiting:
            free = next((c for c in offers[key] if c not in unavailable and c not in given), None)
            if free is None:
                still_waiting.append(key)
            else:
                chosen[key] = free
                given.add(free)
        waiting = still_waiting
    return chosen
