"""Test helpers for every app: the real content bank in the test database.

    from content.testing import content_bank  # noqa: F401  (a pytest fixture)

    def test_something(content_bank):
        ...   # content_bank is the Release; the bank's areas, tubes, skills, challenges and profiles are there

The files are read and checked once per test session (the ``Bank`` is kept in this module); each test writes it to
its own database with ``content_release_apply`` (a fraction of a second, in bulk).
"""

import pytest

from content.loader import BANK_PATH, Bank, bank_read
_bank: Bank | None = None


def real_bank() -> Bank:
    """The real bank, read once per process (raises BankInvalid while its files have errors)."""
    global _bank
    if _bank is None:
        _bank = bank_read(BANK_PATH)
    return _bank


@pytest.fixture
def content_bank(db):
    """The real bank loaded in the test database; the Release."""
    from content.services import content_release_apply

    return content_release_apply(bank=real_bank())
