"""The audit log across every tracked model: who changed what, when, and which fields.

The log runs oldest first (by the time of each change), so that it reads as a ledger and a
filtered file is the same rows in the same order as the whole one. Each change names who made
it by username and by name. The log may be narrowed by the query string: ``user`` (a username or
an e-mail address), ``record`` (a record type, as the ``model`` column names it), ``since`` and
``until`` (ISO dates, both days included, in the site's time zone). A value that names nothing is
refused with the reason (``BadQuery``), never answered with an empty file.
"""

import datetime
import heapq

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from tracker.core.apps import person_name
from tracker.core.badquery import BadQuery

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
HEADER = [
    "changed_at",
    "changed_by",
    "changed_by_name",
    "action",
    "model",
    "object_id",
    "object",
    "changed_fields",
    "reason",
]
PARAMETERS = ("user", "record", "since", "until")


def tracked_models():
    return [
        m for m in apps.get_models() if m.__name__.startswith("Historical") and hasattr(m, "history_object")
    ]


def record_type(history_model):
    """A tracked model's name in the log's ``model`` column (and its ``record`` filter)."""
    return str(history_model.instance_type._meta.verbose_name)


def record_types():
    return sorted({record_type(m) for m in tracked_models()})


def _day(name, value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadQuery(
            f"{name} must be a date written as YYYY-MM-DD (e.g. 2026-11-22), not {value!r}."
        ) from None


def filters_from(query):
    """The log's filters from a query string, as ``audit_rows`` takes them; a parameter the log
    does not take, a user or record type that does not exist, a date that is not one, or a
    range that ends before it starts is refused with the reason."""
    for name in query:
        if name not in PARAMETERS:
            raise BadQuery(f"The audit log does not take {name!r}; it takes {', '.join(PARAMETERS)}.")
    found = {}
    username = query.get("user", "").strip()
    if username:
        users = get_user_model().objects
        user = users.filter(username=username).first() or users.filter(email__iexact=username).first()
        if user is None:
            raise BadQuery(f"There is no user {username!r}.")
        found["user"] = user
    record = query.get("record", "").strip()
    if record:
        models = [m for m in tracked_models() if record_type(m).lower() == record.lower()]
        if not models:
            raise BadQuery(f"There is no record type {record!r}; the log has {', '.join(record_types())}.")
        found["models"] = models
    for name in ("since", "until"):
        value = query.get(name, "").strip()
        if value:
            found[name] = _day(name, value)
    if found.get("since") and found.get("until") and found["since"] > found["until"]:
        raise BadQuery("The date range ends before it starts: 'until' must not be before 'since'.")
    return found


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _entries(history_model, user=None, since=None, until=None):
    """(sort key, row) of one model's changes in time order. The changed fields are worked out
    from the entry before, read from the database for the first change of each record in range."""
    records = history_model.objects.select_related("history_user").order_by("history_date", "history_id")
    if since is not None:
        records = records.filter(history_date__gte=_start_of(since))
    if until is not None:
        records = records.filter(history_date__lt=_start_of(until + datetime.timedelta(days=1)))
    label = record_type(history_model)
    previous = {}
    for record in records.iterator(chunk_size=500):
        before = previous.get(record.id)
        if record.history_type == "~" and before is None and since is not None:
            before = record.prev_record
        if record.history_type == "~" and before is not None:
            changed = record.diff_against(before).changed_fields  # links (many-to-many) included
        else:
            changed = []
        previous[record.id] = record
        if user is not None and record.history_user_id != user.pk:
            continue
        yield (
            (record.history_date, label, record.history_id),
            [
                timezone.localtime(record.history_date).isoformat(timespec="seconds"),
                record.history_user.get_username() if record.history_user else "(system)",
                person_name(record.history_user) if record.history_user else "(system)",
                ACTIONS.get(record.history_type, record.history_type),
                label,
                record.id,
                _data_name(record.instance) if record.history_type != "-" else f"#{record.id}",
                " ".join(changed),
                record.history_change_reason or "",
            ],
        )


def _data_name(instance):
    """How a data file names a record: its ``data_name`` where it has one (dates by ISO 8601,
    not as pages show them), else its ``str``."""
    return str(getattr(instance, "data_name", instance))


def audit_rows(*, user=None, models=None, since=None, until=None):
    """The log's rows, oldest first across every model, narrowed as ``filters_from`` reads them.
    Accounts, roles and staff access are tracked too: changes to rights are in the log."""
    streams = [_entries(m, user, since, until) for m in (models or tracked_models())]
    for _key, row in heapq.merge(*streams, key=lambda entry: entry[0]):
        yield row
