"""Writing the Excel workbooks (.xlsx) that sit beside every CSV: the one place for them.

A workbook has the rows on its first sheet, typed (numbers, dates, yes/no, percent), with the
header frozen and filtered and columns as wide as their contents; a second sheet holds the data
dictionary (each column's type and meaning) and where the data comes from.

No formula is ever written: every text cell is written as a string, so text that a spreadsheet
would run (``=HYPERLINK(...)``, ``@SUM(...)``) stays text, without the apostrophe the CSV needs.
Rows go to a temporary file one at a time (XlsxWriter's constant-memory mode), so memory stays
flat however long the list; the finished file is then sent from disk.
"""

import datetime
import tempfile
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORKBOOK_OPTIONS = {
    "constant_memory": True,  # rows are flushed as they are written
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "default_date_format": "yyyy-mm-dd",
}
MAX_TEXT = 32_767  # characters a cell can hold (Excel's limit)
ROWS_MEASURED = 1_000  # rows read before the widths are set (they must be set before any row)
MIN_WIDTH, MAX_WIDTH = 6, 60


def is_percent(column_name):
    """A column holding a percent from 0 to 100 (the CSV's convention): in the workbook it is a
    percent cell, stored as a fraction (95 % is 0.95) so that spreadsheet arithmetic is right."""
    return "percent" in column_name.split("_") or column_name.startswith("share_")


def _width(value):
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _writer(worksheet, kind, formats):
    """The function that writes one cell of a column of this kind: (row, column, value)."""
    write_blank = worksheet.write_blank

    def text(row, col, value):
        if value is None or value == "":
            return write_blank(row, col, None)
        value = value if isinstance(value, str) else str(value)
        if len(value) > MAX_TEXT:
            raise ValueError(f"A cell of {len(value)} characters does not fit in a spreadsheet cell.")
        return worksheet.write_string(row, col, value)

    def number(row, col, value):
        if value is None or value == "":
            return write_blank(row, col, None)
        return worksheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value)

    def percent(row, col, value):
        if value is None or value == "":
            return write_blank(row, col, None)
        return worksheet.write_number(row, col, float(value) / 100, formats["percent"])

    def date(row, col, value):
        if value is None or value == "":
            return write_blank(row, col, None)
        if isinstance(value, str):  # already ISO text (from a computed row)
            value = datetime.date.fromisoformat(value)
        if isinstance(value, datetime.datetime):
            return worksheet.write_datetime(row, col, value.replace(tzinfo=None), formats["datetime"])
        return worksheet.write_datetime(row, col, value, formats["date"])

    def flag(row, col, value):  # as the CSV: anything present counts as yes, "" (no file) as no
        if value is None:
            return write_blank(row, col, None)
        return worksheet.write_boolean(row, col, bool(value))

    def any_type(row, col, value):
        if isinstance(value, bool):
            return flag(row, col, value)
        if isinstance(value, int | float | Decimal):
            return number(row, col, value)
        if isinstance(value, datetime.date):
            return date(row, col, value)
        return text(row, col, value)

    return {
        "string": text,
        "integer": number,
        "number": number,
        "percent": percent,
        "date": date,
        "boolean": flag,
        None: any_type,
    }[kind]


class Sheet:
    """What a workbook's first sheet shows: a name, and its columns as
    ``(header, type or None, description)``; a type of None means "look at each value"."""

    def __init__(self, name, columns, *, title="", description="", source=""):
        self.name = name
        self.columns = columns
        self.title = title
        self.description = description
        self.source = source


def write_workbook(target, sheet, rows):
    """Write the rows (iterables of cells, in the columns' order) and the data dictionary."""
    return write_workbook_of(target, [(sheet, rows)])[0]


def write_workbook_of(target, parts):
    """Write one sheet per ``(sheet, rows)`` part, then one data dictionary for them all; the
    number of rows on each sheet."""
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    formats = {
        "header": workbook.add_format({"bold": True, "text_wrap": False, "bottom": 1}),
        "percent": workbook.add_format({"num_format": "0.0%"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "bold": workbook.add_format({"bold": True}),
    }
    counts = [_data_sheet(workbook, sheet, rows, formats) for sheet, rows in parts]
    _dictionary(workbook.add_worksheet("Data dictionary"), [sheet for sheet, _ in parts], formats)
    workbook.close()
    return counts


def column_kinds(sheet):
    """Each column's cell type in the workbook: a number column named as a percent is a percent."""
    return [("percent" if is_percent(header) else kind) if kind in ("number", "integer") else kind
            for header, kind, _ in sheet.columns]  # fmt: skip


def _data_sheet(workbook, sheet, rows, formats):
    data = workbook.add_worksheet(sheet.name[:31])
    headers = [header for header, _, _ in sheet.columns]
    writers = [_writer(data, kind, formats) for kind in column_kinds(sheet)]
    rows = iter(rows)
    first = [list(row) for _, row in zip(range(ROWS_MEASURED), rows, strict=False)]
    for index, header in enumerate(headers):
        measured = max((_width(row[index]) for row in first), default=0)
        width = max(len(header) + 2, min(measured + 1, MAX_WIDTH), MIN_WIDTH)
        data.set_column(index, index, width)
    data.freeze_panes(1, 0)
    for index, header in enumerate(headers):
        data.write_string(0, index, header, formats["header"])
    count = 0
    for count, row in enumerate(_chain(first, rows), start=1):
        cells = list(row)
        if len(cells) != len(writers):
            raise ValueError(f"Row {count} has {len(cells)} cells; the sheet has {len(writers)} columns.")
        for index, (write, value) in enumerate(zip(writers, cells, strict=True)):
            write(count, index, value)
    data.autofilter(0, 0, count, max(len(headers) - 1, 0))
    return count


def _chain(first, rest):
    yield from first
    yield from rest


def _dictionary(worksheet, sheets, formats):
    worksheet.set_column(0, 0, 28)
    worksheet.set_column(1, 1, 12)
    worksheet.set_column(2, 2, 90, formats["wrap"])
    line = 0
    for label, value in (
        ("Source", sheets[0].source),
        (
            "Percent columns",
            "Percent cells hold fractions shown as percent (95 % is stored as 0.95); the CSV writes 95.",
        ),
    ):
        if value:
            worksheet.write_string(line, 0, label, formats["bold"])
            worksheet.write_string(line, 2, value)
            line += 1
    for sheet in sheets:
        line += 1
        for label, value in (
            ("File", sheet.title or sheet.name),
            ("Sheet", sheet.name[:31]),
            ("About", sheet.description),
        ):
            if value:
                worksheet.write_string(line, 0, label, formats["bold"])
                worksheet.write_string(line, 2, value)
                line += 1
        for col, header in enumerate(("Column", "Type", "Meaning")):
            worksheet.write_string(line, col, header, formats["header"])
        for (header, _, description), kind in zip(sheet.columns, column_kinds(sheet), strict=True):
            line += 1
            worksheet.write_string(line, 0, header)
            worksheet.write_string(line, 1, kind or "any")
            worksheet.write_string(line, 2, description or "")
        line += 1


def xlsx_response(filename, sheet, rows):
    """The workbook as a download, written to a temporary file first (memory stays flat)."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
    write_workbook(spool, sheet, rows)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=MEDIA_TYPE)
