"""Typed text cleaned before it is stored or compared (pure: no Django)."""

import unicodedata

# Format (Cf: zero-width spaces and joiners, bidirectional marks, embeddings, overrides and isolates, the BOM, the soft
# hyphen) and control (Cc) characters: invisible in a name, yet they make « Léa » and « Lé\u200ba » two people and
# let a bidi override show a name reversed.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc"})


def name_clean(value: str | None) -> str:
    """A typed name without invisible characters, composed (NFC), trimmed, its inner spaces single."""
    # Removed first: a zero-width joiner between a letter and its accent would keep them apart.
    text = "".join(" " if ch in "\t\n\r" else ch for ch in value or "" if ch in "\t\n\r"
                   or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)
    return " ".join(unicodedata.normalize("NFC", text).split())
