"""Pure core: split what an admin typed into e-mail addresses. No database, no settings."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Commas, semicolons, any whitespace (spaces, tabs, new lines).
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class ParsedEmails:
    valid: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


def emails_parse(raw: str) -> ParsedEmails:
    """Trimmed, lower-cased, de-duplicated (first occurrence wins); invalid ones kept as typed, in order."""
    valid: list[str] = []
    invalid: list[str] = []
    for piece in _SEPARATORS.split(raw or ""):
        if not piece:
            continue
        email = piece.lower()
        try:
            validate_email(email)
        except ValidationError:
            if piece not in invalid:
                invalid.append(piece)
            continue
        if email not in valid:
            valid.append(email)
    return ParsedEmails(valid=valid, invalid=invalid)


def email_obfuscate(email: str) -> str:
    """``ce.0751234a@ac-pix.fr`` → ``ce.0751***a@ac-pix.fr``: enough to recognise one's address, not to harvest it."""
    local, _, domain = email.partition("@")
    if len(local) <= 2:
        shown = local[:1] + "***"
    else:
        keep = min(max(1, (2 * len(local)) // 3), len(local) - 2)
        shown = local[:keep] + "***" + local[-1]
    return f"{shown}@{domain}" if domain else shown
