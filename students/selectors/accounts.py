"""How a school's student logs in, as « Élèves » shows it: the username in clear (the teacher gives it to the
student), the e-mail masked (recognised, not read)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from students.obfuscation import login_obfuscate


@dataclass(frozen=True, slots=True)
class AccountLogin:
    username: str
    email_masked: str

    @property
    def shown(self) -> str:
        """One line for the list: the username if there is one, else the masked e-mail."""
        return self.username or self.email_masked


def account_login(user: User | None) -> AccountLogin | None:
    """``None`` for a learner without a linked account."""
    if user is None:
        return None
    return AccountLogin(username=user.username or "", email_masked=login_obfuscate(user.email or ""))
