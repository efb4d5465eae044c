"""Loading records from the human-editable CSV data files kept in the repository.

Each row is matched to its record by a natural key (a slug, a code, a number in its plan).
A record is saved only when a value differs, after the model's own validation, so running
the loader twice changes nothing and a corrected data file updates just what changed. A bad
row stops the whole load with its file and line named; nothing is written (the command runs
in one transaction).
"""

import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError

from tracker.core.csvsafe import EXTRA_CELLS, UnreadableCSV, read_csv_text
from tracker.core.parsing import error_messages, yes_or_no


class DataFileError(Exception):
    """A data file row that cannot be loaded; says where and why."""

    def __init__(self, where, message):
        super().__init__(f"{where}: {message}")


class LoadReport:
    """Counts of created, updated and unchanged records per model."""

    OUTCOMES = ("created", "updated", "unchanged")

    def __init__(self):
        self.counts = Counter()

    def add(self, model, outcome, suffix=""):
        self.counts[(f"{model._meta.verbose_name_plural}{suffix}", outcome)] += 1

    @property
    def changed(self):
        return sum(n for (_, outcome), n in self.counts.items() if outcome != "unchanged")

    def lines(self):
        names = sorted({name for name, _ in self.counts})
        for name in names:
            parts = [f"{self.counts[(name, o)]} {o}" for o in self.OUTCOMES if self.counts[(name, o)]]
            yield f"{name}: {', '.join(parts)}"


class Row(dict):
    """One data-file row: its values by column, plus where it is for error messages."""

    def __init__(self, values, where):
        super().__init__(values)
        self.where = where

    def text(self, column):
        return self[column].strip()

    def required(self, column):
        value = self.text(column)
        if not value:
            raise DataFileError(self.where, f"the column {column!r} is empty")
        return value

    def integer(self, column):
        value = self.text(column)
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            raise DataFileError(self.where, f"{column} must be a whole number, not {value!r}") from None

    def decimal(self, column):
        value = self.text(column)
        if not value:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            raise DataFileError(self.where, f"{column} must be a number, not {value!r}") from None

    def date(self, column):
        value = self.text(column)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise DataFileError(self.where, f"{column} must be a date as YYYY-MM-DD, not {value!r}") from None

    def flag(self, column):
        value = self.text(column)
        answer = yes_or_no(value)
        if answer is None:
            raise DataFileError(self.where, f"{column} must be yes, no or empty, not {value!r}")
        return answer

    def items_of(self, column):
        """A list column: values separated by semicolons."""
        return [item.strip() for item in self.text(column).split(";") if item.strip()]


def read_rows(path: Path, columns):
    """The rows of a CSV data file, refusing one whose header lacks a needed column or a row
    with more cells than the header has columns."""
    try:
        rows, header = read_csv_text(path.read_text(encoding="utf-8-sig"), unescape=False)
    except UnreadableCSV as error:
        raise DataFileError(path.name, str(error)) from None
    missing = [column for column in columns if column not in header]
    if missing:
        raise DataFileError(path.name, f"missing column(s): {', '.join(missing)}")
    for line, cells in rows:
        where = f"{path.name}, line {line}"
        if EXTRA_CELLS in cells:
            raise DataFileError(where, f"more cells than the {len(header)} columns of the header")
        yield Row(cells, where)


def lookup(mapping, key, where, what):
    """Find a record the row refers to, or say clearly which reference is unknown."""
    try:
        return mapping[key]
    except KeyError:
        raise DataFileError(where, f"unknown {what} {key!r}") from None


def sync(model, key, values, *, report, where):
    """Create or update the record matching ``key`` so that it holds ``values``.

    Foreign keys are given by their ``<name>_id`` attribute so that comparing is cheap.
    """
    instance = model.objects.filter(**key).first()
    if instance is None:
        instance = model(**key)
        outcome = "created"
    elif all(getattr(instance, field) == value for field, value in values.items()):
        report.add(model, "unchanged")
        return instance
    else:
        outcome = "updated"
    for field, value in values.items():
        setattr(instance, field, value)
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DataFileError(where, "; ".join(error_messages(error))) from None
    instance.save()
    report.add(model, outcome)
    return instance


def sync_many(instance, field, targets, *, report):
    """Make a many-to-many field hold exactly ``targets``; counts as an update if it changed."""
    manager = getattr(instance, field)
    if {target.pk for target in targets} != set(manager.values_list("pk", flat=True)):
        manager.set(targets)
        report.add(type(instance), "updated", suffix=f" ({field})")
