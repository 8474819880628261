"""Statements that every request of a hot path runs (an answer, an API key's lookup), prepared once per database
connection on PostgreSQL.

Planning such a statement (a few joins, a CTE) costs PostgreSQL more than running it, on every answer of every
student. ``execute`` sends ``EXECUTE name (…)`` instead, after a ``PREPARE`` sent once on that connection; after a
few executions PostgreSQL keeps a generic plan and plans no more. Elsewhere (SQLite) the statement runs as it is.

The ``PREPARE`` goes through the driver's own cursor, like the set-up Django runs on a new connection: it is not one
of the request's queries (the query counts of the tests stay those of the request). A prepared statement belongs to
its connection and outlives a rollback; a new connection (``CONN_MAX_AGE`` reached, a reconnection) prepares again.
PostgreSQL plans again by itself after a migration changes a table. A pooler in transaction mode (PgBouncer) would
not keep them: pixorga connects to PostgreSQL directly (docker-compose.yml).
"""

from __future__ import annotations

import functools
import hashlib
import re

from django.db import DEFAULT_DB_ALIAS, connection, connections

_PLACEHOLDER = re.compile(r"%s|%%")


@functools.lru_cache(maxsize=256)
def _prepared(sql: str) -> tuple[str, str, int]:
    """The statement's name, its ``PREPARE`` (``$1``, ``$2``… for the ``%s``) and its number of parameters."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    body = _PLACEHOLDER.sub(number, sql)
    name = "pixorga_" + hashlib.sha256(sql.encode()).hexdigest()[:20]
    return name, f"PREPARE {name} AS {body}", count


def execute(cursor, sql: str, params=()) -> None:
    """``cursor.execute(sql, params)``, as a prepared statement on PostgreSQL; ``sql`` uses ``%s`` placeholders and
    must be the same text each time (its values in ``params``): each different text is one more statement prepared
    on every connection."""
    name, prepare, count = _prepared(sql)
    if len(params) != count:
        raise ValueError(f"{count} parameters expected, {len(params)} given")
    database = cursor.db
    if database.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    raw = database.connection
    known = getattr(database, "_pixorga_prepared", None)
    if known is None or known[0] is not raw:
        known = (raw, set())
        database._pixorga_prepared = known
    if name not in known[1]:
        with raw.cursor() as driver_cursor:
            driver_cursor.execute(prepare)
        known[1].add(name)
    if count:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * count)})", params)
    else:
        cursor.execute(f"EXECUTE {name}")


def column_converters(model, fields) -> tuple:
    """For each field, what turns its column's value as the driver gives it into the field's value (JSON, dates…),
    as the ORM applies them: for ``instance_from_row``."""
    found = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        found.append((column, [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]))
    return tuple(found)


def instance_from_row(model, values, converters):
    """A model instance from its concrete fields' columns read in SQL (in ``_meta.concrete_fields`` order), as if
    the ORM had read it."""
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself: ``connection`` looks it up on each use
    converted = []
    for value, (column, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, column, database)
        converted.append(value)
    return model.from_db(database.alias, None, converted)
