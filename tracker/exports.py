"""The public CSV files: each is declared once, with its columns, their types and meanings.

The same declaration streams the CSV behind a list page's "Download CSV" link, fills the public
data dictionary, and describes the file in the dataset's ``datapackage.json``. Cells go
through ``tracker.csvsafe`` (the one place where formula-like text is made inert).

Query input is checked before anything is written: an unknown qualifier or format answers 400
with the reason (``tracker.badquery``), and file names are built only from values found in the
database.
"""

import re
from dataclasses import dataclass, field

from tracker.badquery import BadQuery
from tracker.csvsafe import csv_response

# Frictionless table-schema types used here.
STRING, INTEGER, NUMBER, DATE, BOOLEAN = "string", "integer", "number", "date", "boolean"


@dataclass(frozen=True)
class Column:
    name: str  # stable snake_case header
    type: str
    description: str
    value: object  # callable(item) -> cell value


@dataclass
class Export:
    name: str  # file name without .csv; also the Data Package resource name
    title: str
    description: str
    columns: list = field(default_factory=list)
    items: object = None  # callable(params: dict) -> iterable of items for the site-wide file
    # Query parameters that narrow the site-wide file: name -> callable(value) -> the record it
    # names, or None when there is no such record (see ``qualifiers_of``).
    qualifiers: dict = field(default_factory=dict)

    @property
    def header(self):
        return [column.name for column in self.columns]

    def rows(self, items):
        values = [column.value for column in self.columns]
        for item in items:
            yield [value(item) for value in values]

    def response(self, items, *qualifiers):
        """The CSV download; its name says what it holds (and whether sample data is in it)."""
        return csv_response(file_name(self.name, *qualifiers), self.header, self.rows(items))

    def schema(self):
        return {
            "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in self.columns]
        }


REGISTRY = {}


def register(export):
    REGISTRY[export.name] = export
    return export


def col(name, type_, description, value):
    return Column(name, type_, description, value)


def qualifiers_of(export, query):
    """The records a site-wide file is narrowed to, from its query string: ``{name: record}``.

    A parameter the file does not take, or a value naming nothing, is refused with the reason,
    so that a mistyped address never gets an empty file or every row.
    """
    found = {}
    for name in query:
        if name not in export.qualifiers:
            takes = ", ".join(export.qualifiers) or "no parameters"
            raise BadQuery(f"{export.name}.csv does not take {name!r}; it takes {takes}.")
        value = query[name].strip()
        if not value:
            continue
        record = export.qualifiers[name](value)
        if record is None:
            raise BadQuery(f"There is no {name} {value!r}. The data dictionary at /data/ lists the files.")
        found[name] = record
    return found


SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(name, *qualifiers):
    """A download's file name from its export name and the (validated) values it holds."""
    from goals.sample import sample_data_loaded

    parts = [name, *(str(q) for q in qualifiers if q)]
    if sample_data_loaded():
        parts.insert(0, "SAMPLE-DATA")
    return SAFE_NAME.sub("-", "-".join(parts)) + ".csv"


def requested_format(request, offered=("csv",)):
    """The alternative format asked for with ``?format=``: None for the page itself, or one of
    ``offered``; anything else is refused with the reason."""
    value = request.GET.get("format", "")
    if not value or value == "html":
        return None
    if value not in offered:
        other = f"is also offered as {', '.join(offered)}" if offered else "has no other format"
        raise BadQuery(f"Unknown format {value!r}: this page {other}.")
    return value


def wants_csv(request, offered=("csv",)):
    return requested_format(request, offered) == "csv"
