"""Reading a student's knowledge: one row per tube; a failure older than the retry window is asked again."""

from __future__ import annotations

import datetime

from django.conf import settings

from assessments import engine
from assessments.models import Assessment, KnowledgeState

CHECKPOINT_EVERY = 5


def retry_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.ASSESSMENT_RETRY_DAYS)


def fresh_after(assessment: Assessment) -> datetime.datetime:
    """Failures recorded before this moment are forgotten by this test (asked again)."""
    return assessment.created_at - retry_window()


def knowledge_read(*, user_id: int, since: datetime.datetime | None) -> dict[str, engine.TubeKnowledge]:
    """The account's knowledge by tube id (str); failures older than ``since`` are left out (asked again)."""
    knowledge = {}
    for tube_id, floor, ceiling, ceiling_at in KnowledgeState.objects.filter(user_id=user_id).values_list(
        "tube_id", "floor", "ceiling", "ceiling_at"
    ):
        if ceiling is not None and since is not None and (ceiling_at is None or ceiling_at < since):
            ceiling = None
        knowledge[str(tube_id)] = engine.TubeKnowledge(floor=floor, ceiling=ceiling)
    return knowledge


def placement_retry_at(assessment: Assessment | None) -> datetime.datetime | None:
    """When a completed placement test may be taken again (« Retenter »)."""
    if assessment is None or assessment.completed_at is None:
        return None
    return assessment.completed_at + retry_window()
