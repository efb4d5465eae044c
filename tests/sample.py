"""The sample rounds (`load_plan --sample`) on top of the real plan, loaded in milliseconds.

Many tests start from the sample data. Loading it reads and checks every data file again and
takes about a second; the rows it leaves are the same every time. So each test process loads it
once, when it sets up its test database (``prepare``), keeps a copy of the tables it changes in
a side database the tests never see (an attached in-memory database on SQLite, a schema of its
own on PostgreSQL), and puts the real plan back. ``load_sample`` then writes those tables back
inside the test's transaction, which is rolled back as usual.

The copy is used only where it gives exactly what the command would: in a test that has not yet
written anything (so the database holds the real plan as loaded at the start), and not in a
transactional test, nor after one emptied and reloaded the database. Anywhere else the command
runs as before. The data version's token is not copied: the triggers give it a new one, as the
command's writes would.
"""

import io

from django.core.management import call_command
from django.db import connection

SIDE = "sample_copy"  # the attached database (SQLite) or schema (PostgreSQL) holding the copy
NOT_COPIED = {"tracker_dataversion", "django_migrations"}

_state = {"tables": None, "writes_at_start": None}


def _q(name):
    return connection.ops.quote_name(name)


def writes():
    """How many rows this connection has written: since it opened (SQLite), or in the current
    transaction (PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute(
                "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
            )
        return int(cursor.fetchone()[0])


def _contents(cursor, tables):
    contents = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {_q(table)} ORDER BY 1")
        contents[table] = cursor.fetchall()
    return contents


def prepare():
    """Load the sample once, keep a copy of what it changed, and put the real plan back. Called
    outside any transaction, right after the real plan is loaded."""
    _state["tables"] = None
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    tables = [t for t in connection.introspection.table_names() if t not in NOT_COPIED]
    with connection.cursor() as cursor:
        before = _contents(cursor, tables)
        if connection.vendor == "sqlite":
            import sqlite3

            base = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(base)
            cursor.execute(f"ATTACH DATABASE ':memory:' AS {SIDE}")
        else:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SIDE} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SIDE}")
            for table in tables:
                cursor.execute(f"CREATE TABLE {SIDE}.{_q('base_' + table)} AS SELECT * FROM {_q(table)}")
        call_command("load_plan", "--sample", stdout=io.StringIO())
        after = _contents(cursor, tables)
        changed = [t for t in tables if before[t] != after[t]]
        for table in changed:
            cursor.execute(f"CREATE TABLE {SIDE}.{_q(table)} AS SELECT * FROM {_q(table)}")
        if connection.vendor == "sqlite":
            cursor.execute(f"CREATE TABLE {SIDE}.sequences AS SELECT * FROM sqlite_sequence")
            base.backup(connection.connection)  # the real plan back, byte for byte
            base.close()
        else:
            # The real plan's rows back. The sequences stay where the sample left them (they are
            # never rolled back on PostgreSQL anyway), so the copied rows' ids stay free.
            from django.db import transaction

            with transaction.atomic():
                for table in changed:
                    cursor.execute(f"DELETE FROM {_q(table)}")
                for table in changed:
                    cursor.execute(f"INSERT INTO {_q(table)} SELECT * FROM {SIDE}.{_q('base_' + table)}")
    _state["tables"] = changed


def forget():
    """The database is emptied (by a transactional test) and reloaded: the copy no longer fits
    the rows that are there."""
    _state["tables"] = None


def test_started(transactional):
    """Called as each database test starts, before any fixture writes. A transactional test
    empties the database as it ends, so the copy is not used again in this process."""
    if transactional:
        forget()
    _state["writes_at_start"] = None if _state["tables"] is None else writes()


def load_sample():
    """What ``manage.py load_plan --sample`` does, from the copy where that is exactly the same."""
    start = _state["writes_at_start"]
    if start is None or _state["tables"] is None or writes() != start:
        call_command("load_plan", "--sample", stdout=io.StringIO())
        return
    _state["writes_at_start"] = None  # from here on the test has written
    with connection.cursor() as cursor:
        for table in _state["tables"]:
            cursor.execute(f"DELETE FROM {_q(table)}")
        for table in _state["tables"]:
            cursor.execute(f"INSERT INTO {_q(table)} SELECT * FROM {SIDE}.{_q(table)}")
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM sqlite_sequence")
            cursor.execute(f"INSERT INTO sqlite_sequence SELECT * FROM {SIDE}.sequences")
