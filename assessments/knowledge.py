"""Reading a student's knowledge: one row per tube; a failure older than the retry window is asked again."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection

from assessments import engine
from assessments.models import Assessment, KnowledgeState

CHECKPOINT_EVERY = 5


def retry_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.ASSESSMENT_RETRY_DAYS)


def fresh_after(assessment: Assessment) -> datetime.datetime:
    """Failures recorded before this moment are forgotten by this test (asked again)."""
    return assessment.created_at - retry_window()


def knowledge_read(*, user_id: int, since: datetime.datetime | None) -> dict[str, engine.TubeKnowledge]:
    """The account's knowledge by tube id (str); failures older than ``since`` are left out (asked again).

    One plain SELECT, the age of each failure compared by the database: it runs on every answer, and the ORM costs
    more to build this query and its datetimes than the database costs to run it.
    """
    quote = connection.ops.quote_name
    tube_id, floor, ceiling, ceiling_at = (quote(name) for name in ("tube_id", "floor", "ceiling", "ceiling_at"))
    table = quote(KnowledgeState._meta.db_table)
    if since is None:
        sql, params = f"SELECT {tube_id}, {floor}, {ceiling} FROM {table} WHERE {quote('user_id')} = %s", [user_id]
    else:
        # A ceiling counts when its failure is recent enough (a failure with no date does not).
        sql = (f"SELECT {tube_id}, {floor}, CASE WHEN {ceiling_at} >= %s THEN {ceiling} END FROM {table} "
               f"WHERE {quote('user_id')} = %s")
        params = [connection.ops.adapt_datetimefield_value(since), user_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {str(tube): engine.TubeKnowledge(floor=level, ceiling=failed) for tube, level, failed in rows}


def placement_retry_at(assessment: Assessment | None) -> datetime.datetime | None:
    """When a completed placement test may be taken again (« Retenter »)."""
    if assessment is None or assessment.completed_at is None:
        return None
    return assessment.completed_at + retry_window()
