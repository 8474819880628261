"""Classes grouped by level, for the class filter: « 2NDE1 », « 2GT3 » → 2nde; « TSTMG2 » → Tle (pure: no Django)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from students.names import name_fold


@dataclass(frozen=True)
class Level:
    key: str  # in the query string: ?niveau=2nde
    label: str  # « 2nde »
    everyone: str  # « toute la 2nde »


LEVELS = (
    Level("6e", "6e", "toute la 6e"), Level("5e", "5e", "toute la 5e"), Level("4e", "4e", "toute la 4e"),
    Level("3e", "3e", "toute la 3e"), Level("2nde", "2nde", "toute la 2nde"), Level("1re", "1re", "toute la 1re"),
    Level("tle", "Tle", "toute la Tle"), Level("autres", "Autres classes", "toutes les autres classes"),
)
LEVELS_BY_KEY = {level.key: level for level in LEVELS}
OTHER = LEVELS_BY_KEY["autres"]

# On the folded name (upper case, no accents, no spaces): the first digit of a collège or lycée class says its level.
_BY_DIGIT = {"6": "6e", "5": "5e", "4": "4e", "3": "3e", "2": "2nde", "1": "1re"}
_WORDS = (("SIXIEME", "6e"), ("CINQUIEME", "5e"), ("QUATRIEME", "4e"), ("TROISIEME", "3e"), ("SECONDE", "2nde"),
          ("PREMIERE", "1re"), ("TERMINALE", "tle"))
_TERMINALE = re.compile(r"^T(LE|ERM|[A-Z0-9]*\d)")  # TLE3, TG1, TSTMG2, T1; not « TEST »


def division_level(division: str) -> Level:
    """« 6EME A », « 3e B », « 601 » → 6e, 3e, 6e; « 2NDE1 » → 2nde; « 1G3 » → 1re; « TSTMG2 » → Tle; « BTS1 » → other."""
    folded = name_fold(division).upper().replace(" ", "")
    if not folded:
        return OTHER
    for word, key in _WORDS:
        if folded.startswith(word):
            return LEVELS_BY_KEY[key]
    if folded[0] in _BY_DIGIT:
        return LEVELS_BY_KEY[_BY_DIGIT[folded[0]]]
    if _TERMINALE.match(folded):
        return LEVELS_BY_KEY["tle"]
    return OTHER


def divisions_by_level(divisions: Iterable[str]) -> list[tuple[Level, list[str]]]:
    """The levels that have classes, from 6e to Tle then the others; each keeps the classes in their given order."""
    grouped: dict[str, list[str]] = {}
    for division in divisions:
        grouped.setdefault(division_level(division).key, []).append(division)
    return [(level, grouped[level.key]) for level in LEVELS if level.key in grouped]


def divisions_chosen(*, divisions: Iterable[str], ticked: Iterable[str], levels: Iterable[str]) -> list[str]:
    """The classes a filter asks for: those ticked plus every class of the levels ticked (« toute la 2nde »),
    among the known ``divisions``, in their order."""
    ticked, levels = set(ticked), set(levels)
    return [division for division in divisions if division in ticked or division_level(division).key in levels]
