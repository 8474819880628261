"""Names sorted as a French reader expects: « Élise » before « Zélie », « BŒUF » before « BRUN ».

PostgreSQL sorts with the ICU collation ``pixorga_fr`` (created by ``pixorga/migrations/0001``); SQLite with a
collation of the same name registered on each connection, which sorts by the Unicode Collation Algorithm (pyuca):
the same order as ICU's French, so both databases and Python (``french_sort_key``) agree.
"""

from functools import lru_cache

from django.db.models import F, OrderBy
from django.db.models.functions import Collate
from pyuca import Collator

COLLATION = "pixorga_fr"


@lru_cache(maxsize=1)
def _collator() -> Collator:
    return Collator()  # reads its table (about 0.3 s) when the first name is sorted, not at start-up


@lru_cache(maxsize=65536)
def french_sort_key(value: str) -> tuple:
    """A key for ``sorted``: accents, case and ligatures matter only between otherwise equal names."""
    return tuple(_collator().sort_key(value or ""))


def sqlite_compare(left: str, right: str) -> int:
    a, b = french_sort_key(left), french_sort_key(right)
    return (a > b) - (a < b) or (left > right) - (left < right)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite learns ``pixorga_fr``."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, sqlite_compare)


def french(field: str) -> OrderBy:
    """``"-family_name"`` → the field in French order, descending (a leading ``-`` as in ``order_by``)."""
    descending = field.startswith("-")
    expression = Collate(F(field.lstrip("-")), COLLATION)
    return expression.desc() if descending else expression.asc()


def french_ordering(*fields: str, names: frozenset[str] | set[str]) -> tuple:
    """``order_by`` arguments where the fields in ``names`` are sorted in French, the others as they are."""
    return tuple(french(field) if field.lstrip("-") in names else field for field in fields)


# The name fields of each list, as ``order_by`` names them.
LEARNER_NAMES = frozenset({"family_name", "first_name"})
USER_NAMES = frozenset({"last_name", "first_name"})
MEMBER_NAMES = frozenset({"user__last_name", "user__first_name"})
PARTICIPANT_NAMES = frozenset({"participant_last_name", "participant_first_name"})
