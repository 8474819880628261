"""French numbers and plurals, done once for the pages, the e-mails, the messages and the commands (pure).

« 2 331 » (thousands separated by a narrow no-break space, as « 2 331 ajoutés » always was), « 0 élève », « 1 élève »,
« 2 élèves » (0 and 1 take the singular in French), never « élève(s) ».
"""

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def number(value) -> str:
    """2331 → « 2 331 »."""
    return f"{int(value or 0):,}".replace(",", NARROW_NBSP)


def agree(count, singular: str, plural: str = "") -> str:
    """The word alone, agreed with ``count``: ``agree(1, "ignoré", "ignorés")`` → « ignoré »."""
    return singular if int(count or 0) < 2 else plural or singular + "s"


def plural(count, singular: str, plural_form: str = "") -> str:
    """``plural(2331, "élève")`` → « 2 331 élèves »; ``plural(1, "élève")`` → « 1 élève »."""
    return f"{number(count)} {agree(count, singular, plural_form)}"


def quoted(text: str) -> str:
    """« text » with no-break spaces inside, so that a closing » never starts a line."""
    return f"«{NBSP}{text}{NBSP}»"
