"""Prepared statements of the hot paths (pixorga/sql.py): the same rows as the plain statement, prepared once per
connection, again on a new connection, still there after a rollback, and not counted among a request's queries."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from pixorga import sql

SELECT = 'SELECT "id", "email" FROM "accounts_user" WHERE "email" = %s OR "id" = %s ORDER BY "id"'


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'pixorga_%%'")
        return {name for (name,) in cursor.fetchall()}


def _rows(statement, params):
    with connection.cursor() as cursor:
        sql.execute(cursor, statement, params)
        return cursor.fetchall()


@pytest.mark.django_db
def test_the_rows_are_those_of_the_plain_statement():
    ada = User.objects.create_user("ada@example.org", "Motdepasse2026", first_name="Ada", last_name="L")
    bob = User.objects.create_user("bob@example.org", "Motdepasse2026", first_name="Bob", last_name="M")
    with connection.cursor() as cursor:
        cursor.execute(SELECT, ["ada@example.org", bob.pk])
        plain = cursor.fetchall()

    assert plain == [(ada.pk, "ada@example.org"), (bob.pk, "bob@example.org")]
    assert _rows(SELECT, ["ada@example.org", bob.pk]) == plain
    assert _rows(SELECT, ["ada@example.org", bob.pk]) == plain  # run again (prepared the second time on PostgreSQL)
    assert _rows(SELECT, ["nobody@example.org", 0]) == []


@pytest.mark.django_db
def test_one_statement_per_execution_whatever_was_prepared():
    with CaptureQueriesContext(connection) as first:
        _rows(SELECT, ["x@example.org", 1])
    with CaptureQueriesContext(connection) as second:
        _rows(SELECT, ["y@example.org", 2])

    assert len(first) == len(second) == 1


@pytest.mark.django_db
def test_the_number_of_parameters_is_checked():
    with pytest.raises(ValueError, match="2 parameters expected, 1 given"):
        _rows(SELECT, ["only one"])


def test_the_placeholders_are_numbered_and_a_percent_sign_is_kept():
    name, prepare, count = sql._prepared("SELECT %s, '100 %%', %s")
    assert prepare == f"PREPARE {name} AS SELECT $1, '100 %', $2"
    assert count == 2
    assert name == sql._prepared("SELECT %s, '100 %%', %s")[0] != sql._prepared("SELECT %s")[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_prepared_once_per_connection_again_on_a_new_one_and_kept_after_a_rollback():
    name = sql._prepared(SELECT)[0]
    connection.close()
    _rows(SELECT, ["a@example.org", 0])
    assert name in _prepared_names()

    with pytest.raises(RuntimeError), transaction.atomic():
        _rows(SELECT, ["a@example.org", 0])
        raise RuntimeError("rolled back")
    assert name in _prepared_names()  # a prepared statement outlives a rollback: it is not prepared again
    assert _rows(SELECT, ["a@example.org", 0]) == []

    connection.close()  # a new connection (CONN_MAX_AGE reached) has none: prepared again on first use
    with connection.cursor():
        assert name not in _prepared_names()
    assert _rows(SELECT, ["a@example.org", 0]) == []
    assert name in _prepared_names()
