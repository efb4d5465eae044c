"""The public CSV files: each is declared once, with its columns, their types and meanings.

The same declaration streams the CSV behind a list page's "Download CSV" link, fills the public
data dictionary, and describes the file in the dataset's ``datapackage.json``. Cells go
through ``tracker.csvsafe`` (the one place where formula-like text is made inert).
"""

from dataclasses import dataclass, field

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

    @property
    def header(self):
        return [column.name for column in self.columns]

    def rows(self, items):
        for item in items:
            yield [column.value(item) for column in self.columns]

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


def file_name(name, *qualifiers):
    from goals.sample import sample_data_loaded

    parts = [name, *(str(q) for q in qualifiers if q)]
    if sample_data_loaded():
        parts.insert(0, "SAMPLE-DATA")
    return "-".join(parts).replace("/", "-") + ".csv"


def wants_csv(request):
    return request.GET.get("format") == "csv"
