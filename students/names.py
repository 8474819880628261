"""Accent- and case-free forms of names, for search (pure: no Django)."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Letters that NFKD does not split into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "ł": "l", "Ł": "l"})


def name_fold(value: str | None) -> str:
    """``"  Lœtitia-Anaïs D'Hôte "`` → ``"loetitia anais d hote"``: lower case, no accents, words kept apart."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def name_search_key(*parts: str | None) -> str:
    """The stored search key of a learner: its folded names, space-separated."""
    return " ".join(folded for folded in (name_fold(part) for part in parts) if folded)


def names_explaining(search: str | None, *, shown: list[str | None],
                     hidden: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """The names not on screen that a search matched, so that the list says why a row is there: « lea » finds
    « JEAN Camille » by her second first name → ``[("2e prénom", "Léa")]``. A word that a shown name contains
    explains itself."""
    shown_folded = [name_fold(name) for name in shown]
    found = []
    for word in name_fold(search).split():
        if any(word in name for name in shown_folded):
            continue
        for label, name in hidden:
            if name and word in name_fold(name) and (label, name) not in found:
                found.append((label, name))
    return found
