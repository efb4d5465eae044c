"""The data version: a token in the database that changes whenever public data changes.

Every table of the apps that hold public data (``public_data = True`` on their AppConfig: goals
and partners; their audit-history tables aside) carries
database triggers that write a new random token into ``tracker_dataversion`` in the same
transaction as the change. So a change made by any process, an admin save through any worker,
``load_plan``, an import, ``restore`` or a fix typed into a database shell, moves the version
exactly when it commits, and a rolled-back change never does (the token is random, so a
version is never reused). Progress updates move it only when an approved update is involved:
saving a draft or a submission, which the public never sees, keeps the public cache.

The triggers are (re)installed after every ``migrate``, so they follow the models; the test
suite checks that every table has them.
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from tracker.core.models import DataVersion

TABLE = DataVersion._meta.db_table
TRIGGER = "tracker_data_version"


def watched_apps():
    return [config for config in apps.get_app_configs() if getattr(config, "public_data", False)]


def watched_tables():
    """The tables whose changes are public: every table of the watched apps, but the history."""
    tables = set()
    for config in watched_apps():
        for model in config.get_models(include_auto_created=True):
            if not hasattr(model, "instance_type"):  # simple_history's historical models have it
                tables.add(model._meta.db_table)
    return sorted(tables)


def public_rows_only():
    """Tables whose rows are public only in some states: {table: SQL condition on a row}, as the
    apps declare them (``public_rows()`` on their AppConfig)."""
    conditions = {}
    for config in watched_apps():
        conditions.update(config.public_rows())
    return conditions


def read(using="default"):
    """The current token ("" before any change was recorded)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else ""


def install_triggers(using="default"):
    """Create (or re-create) the triggers on every watched table that exists."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    tables = [table for table in watched_tables() if table in existing]
    if connection.vendor == "sqlite":
        statements = _sqlite(tables, public_rows_only())
    elif connection.vendor == "postgresql":
        statements = _postgresql(tables, public_rows_only())
    else:
        raise ImproperlyConfigured(
            "The data version needs database triggers, written for SQLite and PostgreSQL, "
            f"not {connection.vendor}."
        )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def triggered_tables(using="default"):
    """The tables whose inserts, updates and deletes all move the version now (for the tests and
    the readiness check)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            sql = (
                "SELECT tbl_name, upper(substr(name, length(rtrim(name, 'abcdefghijklmnopqrstuvwxyz')) + 1)) "
            )
            sql += "FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s"
        else:
            sql = "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
            sql += "WHERE trigger_name LIKE %s"
        cursor.execute(sql, [f"{TRIGGER}%"])
        events = {}
        for table, event in cursor.fetchall():
            events.setdefault(table, set()).add(event)
    return sorted(table for table, found in events.items() if found >= {"INSERT", "UPDATE", "DELETE"})


# Two plain statements rather than one INSERT OR REPLACE: inside a trigger SQLite applies the
# conflict policy of the statement that fired it, so an INSERT OR IGNORE (how Django adds
# many-to-many links) would silently ignore the new token.
NEW_TOKEN_SQLITE = (
    f"UPDATE {TABLE} SET token = lower(hex(randomblob(16))) WHERE id = 1; "
    f"INSERT INTO {TABLE} (id, token) SELECT 1, lower(hex(randomblob(16))) "
    f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} WHERE id = 1)"
)


def _sqlite(tables, conditions):
    statements = []
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"{TRIGGER}_{table}_{event.lower()}"
            when = ""
            if table in conditions:
                rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[event]
                when = "WHEN " + " OR ".join(f"{row}.{conditions[table]}" for row in rows)
            statements += [
                f'DROP TRIGGER IF EXISTS "{name}"',
                f'CREATE TRIGGER "{name}" AFTER {event} ON "{table}" FOR EACH ROW {when} '
                f"BEGIN {NEW_TOKEN_SQLITE}; END",
            ]
    return statements


def _postgresql(tables, conditions):
    new_token = (
        f"INSERT INTO {TABLE} (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text)) "
        "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token"
    )
    statements = [
        f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {new_token}; RETURN NULL; END $$"
    ]
    for table in tables:
        drop = [
            f'DROP TRIGGER IF EXISTS "{TRIGGER}{suffix}" ON "{table}"'
            for suffix in ("", "_ins", "_upd", "_del")
        ]
        statements += drop
        if table not in conditions:
            # Once per statement, however many rows: bulk loads stay fast.
            statements.append(
                f'CREATE TRIGGER "{TRIGGER}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )
            continue
        condition = conditions[table]
        function = f"{TRIGGER}_{table}"
        statements.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "DECLARE touched boolean := false; BEGIN "
            "IF TG_OP <> 'DELETE' THEN "
            f"touched := EXISTS (SELECT 1 FROM new_rows WHERE {condition}); END IF; "
            f"IF NOT touched AND TG_OP <> 'INSERT' THEN "
            f"touched := EXISTS (SELECT 1 FROM old_rows WHERE {condition}); END IF; "
            f"IF touched THEN {new_token}; END IF; RETURN NULL; END $$"
        )
        transitions = {
            "ins": ("INSERT", "NEW TABLE AS new_rows"),
            "upd": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            "del": ("DELETE", "OLD TABLE AS old_rows"),
        }
        for suffix, (event, referencing) in transitions.items():
            statements.append(
                f'CREATE TRIGGER "{TRIGGER}_{suffix}" AFTER {event} ON "{table}" REFERENCING {referencing} '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        statements.append(
            f'CREATE TRIGGER "{TRIGGER}" AFTER TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
        )
    return statements
