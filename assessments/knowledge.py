"""Reading a student's knowledge: one row per tube; a failure older than the retry window is asked again."""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.db import connection

from assessments import engine
from assessments.models import Assessment, KnowledgeState
from pixorga.sql import execute as sql_execute

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
    sql, params = knowledge_select_sql(user_id=user_id, since=since)
    with connection.cursor() as cursor:
        sql_execute(cursor, sql, params)
        return knowledge_from_rows(cursor.fetchall())


def knowledge_select_sql(*, user_id: int, since: datetime.datetime | None, table: str | None = None,
                         except_tube: int | None = None) -> tuple[str, list]:
    """The SELECT of ``knowledge_read`` (rows: tube id, floor, ceiling still counting), from the knowledge table or
    from ``table`` (a statement's CTE with the same columns), leaving out ``except_tube``."""
    params: list = []
    if since is not None:
        params.append(connection.ops.adapt_datetimefield_value(since))
    if table is None:
        params.append(user_id)
        if except_tube is not None:
            params.append(except_tube)
    return knowledge_select_text(connection.vendor, since is not None, table, except_tube is not None), params


@functools.cache
def knowledge_select_text(vendor: str, dated: bool, table: str | None, except_tube: bool) -> str:
    """``knowledge_select_sql``'s text, built once per shape (every answer runs it): with the date of the oldest
    failure that counts (``dated``), from the knowledge table or ``table``, leaving one tube out or not."""
    quote = connection.ops.quote_name
    tube_id, floor, ceiling, ceiling_at = (quote(name) for name in ("tube_id", "floor", "ceiling", "ceiling_at"))
    # A ceiling counts when its failure is recent enough (a failure with no date does not).
    columns = (f"{tube_id}, {floor}, CASE WHEN {ceiling_at} >= %s THEN {ceiling} END" if dated
               else f"{tube_id}, {floor}, {ceiling}")
    sql = f"SELECT {columns} FROM {table or quote(KnowledgeState._meta.db_table)}"
    if table is None:
        sql += f" WHERE {quote('user_id')} = %s"
        if except_tube:
            sql += f" AND {tube_id} <> %s"
    return sql


def knowledge_from_rows(rows) -> dict[str, engine.TubeKnowledge]:
    return {str(tube): _tube_knowledge(level, failed) for tube, level, failed in rows}


@functools.lru_cache(maxsize=1024)
def _tube_knowledge(floor: int, ceiling: int | None) -> engine.TubeKnowledge:
    """One shared (immutable) value per (floor, ceiling): a few dozen exist, and every answer reads every tube."""
    return engine.TubeKnowledge(floor=floor, ceiling=ceiling)


def placement_retry_at(assessment: Assessment | None) -> datetime.datetime | None:
    """When a completed placement test may be taken again (« Retenter »)."""
    if assessment is None or assessment.completed_at is None:
        return None
    return assessment.completed_at + retry_window()
