"""Figures that the apps built on the student base add to each row of « Élèves » (page, CSV and API).

students knows nothing of campaigns: the « Participations » column is a slot that campaigns fills at start-up
(``CampaignsConfig.ready`` provides a subquery over ``OuterRef("pk")``), so the list stays one query whatever the
number of rows. Without a provider the slot reads 0.
"""

from collections.abc import Callable

from django.db.models import Expression, IntegerField, Value

PARTICIPATION_COUNT = "participation_count"

LearnerCount = Callable[[], Expression]  # builds an expression over the learner rows (``OuterRef("pk")``)

_providers: dict[str, LearnerCount] = {PARTICIPATION_COUNT: lambda: Value(0, output_field=IntegerField())}


def learner_count_provide(*, name: str, build: LearnerCount) -> None:
    """Fill one of the slots above (an unknown name is a programming error: ``KeyError``)."""
    if name not in _providers:
        raise KeyError(name)
    _providers[name] = build


def learner_count_annotations() -> dict[str, Expression]:
    """The slots as ``annotate()`` keyword arguments, built afresh for each query."""
    return {name: build() for name, build in _providers.items()}
