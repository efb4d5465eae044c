"""The public CSV files: each is declared once, with its columns, their types and meanings.

The same declaration streams the CSV behind a list page's "Download CSV" link, writes the same
rows as an Excel workbook (``?format=xlsx``, see ``tracker.core.xlsx``), fills the public data
dictionary, and describes the file in the dataset's ``datapackage.json``. Cells go
through ``tracker.core.csvsafe`` (the one place where formula-like text is made inert).

Query input is checked before anything is written: an unknown qualifier or format answers 400
with the reason (``tracker.core.badquery``), and file names are built only from values found in the
database.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings

from tracker.core import xlsx
from tracker.core.badquery import BadQuery
from tracker.core.csvsafe import csv_lines, csv_response, date_cell, flag_cell, number_cell, text_cell

# The formats every declared file is offered in (``?format=``).
SPREADSHEET_FORMATS = ("csv", "xlsx")


def source():
    """Where a downloaded file comes from, as its workbook's data dictionary says."""
    site = settings.SITE_URL
    return (
        f"ASEAN IPR Action Plan Tracker ({site}/): approved data only, computed as {site}/methodology/ "
        f"explains; licensed CC BY 4.0. Every file and its columns are described at {site}/data/."
    )


# Frictionless table-schema types used here.
STRING, INTEGER, NUMBER, DATE, BOOLEAN = "string", "integer", "number", "date", "boolean"


@dataclass(frozen=True)
class Column:
    name: str  # stable snake_case header
    type: str
    description: str
    value: object = None  # callable(item) -> cell value,
    path: str = ""  # or the value's ORM path, when the file is read straight from the database


CELLS = {STRING: text_cell, INTEGER: number_cell, NUMBER: number_cell, DATE: date_cell, BOOLEAN: flag_cell}


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

    @property
    def read_in_bulk(self):
        """Whether every column is a database field: rows then come from ``values_list`` as
        plain tuples, with no record built per row (the fast path for long files)."""
        return all(column.path for column in self.columns)

    def rows(self, items):
        if self.read_in_bulk:
            # The primary key comes first so that a DISTINCT (from a filter) never merges two rows.
            fetched = items.values_list("pk", *(column.path for column in self.columns))
            return (row[1:] for row in fetched.iterator(chunk_size=5000))
        values = [column.value for column in self.columns]
        return ([value(item) for value in values] for item in items)

    def cells(self):
        return [CELLS[column.type] for column in self.columns] if self.read_in_bulk else None

    def lines(self, items):
        return csv_lines(self.header, self.rows(items), self.cells())

    def response(self, items, *qualifiers, format="csv"):
        """The download in ``format`` (one of ``SPREADSHEET_FORMATS``); its name says what it holds
        (and whether sample data is in it)."""
        if format == "xlsx":
            return xlsx.xlsx_response(
                file_name(self.name, *qualifiers, extension="xlsx"), self.sheet(), self.rows(items)
            )
        return csv_response(file_name(self.name, *qualifiers), self.header, self.rows(items), self.cells())

    def sheet(self):
        """The workbook's description of these rows: columns, types and where they come from."""
        return xlsx.Sheet(
            self.name,
            [(column.name, column.type, column.description) for column in self.columns],
            title=self.title,
            description=self.description,
            source=source(),
        )

    def workbook(self, items, target):
        """Write the rows as a workbook to ``target`` (a path or a binary file)."""
        return xlsx.write_workbook(target, self.sheet(), self.rows(items))

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


def field(name, type_, description, path):
    return Column(name, type_, description, path=path)


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


# Words put before every download's file name while their check holds (apps add them when
# ready: goals marks files made while sample data is loaded).
FILE_NAME_MARKS = []


def mark_file_names(word, applies):
    if (word, applies) not in FILE_NAME_MARKS:
        FILE_NAME_MARKS.append((word, applies))


def file_name(name, *qualifiers, extension="csv"):
    """A download's file name from its export name and the (validated) values it holds."""
    marks = [word for word, applies in FILE_NAME_MARKS if applies()]
    parts = [*marks, name, *(str(q) for q in qualifiers if q)]
    return SAFE_NAME.sub("-", "-".join(parts)) + "." + extension


def requested_format(request, offered=SPREADSHEET_FORMATS):
    """The alternative format asked for with ``?format=``: None for the page itself, or one of
    ``offered``; anything else is refused with the reason."""
    value = request.GET.get("format", "")
    if not value or value == "html":
        return None
    if value not in offered:
        other = f"is also offered as {', '.join(offered)}" if offered else "has no other format"
        raise BadQuery(f"Unknown format {value!r}: this page {other}.")
    return value
