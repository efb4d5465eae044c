"""Writing CSV that spreadsheets open safely, and reading it back: the one place for both.

UTF-8 with a byte-order mark (so Excel reads "Việt Nam" right), RFC 4180 quoting, ISO 8601
dates, rows streamed as they are produced (in pieces of many rows). A text cell that a
spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return, also
after leading spaces) gets a leading apostrophe so it stays text; numbers stay numbers.

``escape_text`` and ``unescape_text`` are exact inverses: text that itself starts with an
apostrophe gets one more, and reading strips exactly one, so every exported file re-imports
unchanged.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
BOM = "\ufeff"


def needs_escape(text):
    return text.startswith((*FORMULA_STARTS, ESCAPE)) or text.lstrip(" ").startswith(FORMULA_STARTS)


def escape_text(text):
    """Text as it is written to a cell: inert for spreadsheets, and reversible."""
    return ESCAPE + text if needs_escape(text) else text


def unescape_text(text):
    """Text as it was before ``escape_text``: one leading apostrophe removed."""
    return text[1:] if text.startswith(ESCAPE) else text


ESCAPE_FIRST = "=+-@\t\r' "  # text starting otherwise never needs escaping


def safe_cell(value):
    """The value as a spreadsheet should see it, whatever its type."""
    if type(value) is str:
        return text_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return escape_text(str(value))


def text_cell(value):
    """A text column's cell (what ``safe_cell`` does for text, without asking the type)."""
    if value is None:
        return ""
    return escape_text(value) if value and value[0] in ESCAPE_FIRST else value


def number_cell(value):
    return "" if value is None else value


def date_cell(value):
    return "" if value is None else value.isoformat()


def flag_cell(value):
    """A yes/no column: "true" or "false" (anything present counts as yes), empty when unknown."""
    return "" if value is None else ("true" if value else "false")


class _Echo:
    def write(self, value):
        return value


def csv_lines(header, rows, cells=None):
    """Yield the encoded lines of a CSV file: the BOM and header first, then each row. ``cells``
    gives each column's cell function when the columns' types are known (faster); otherwise
    ``safe_cell`` looks at each value."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow(header)
    if cells is None:
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])
    else:
        for row in rows:
            yield writer.writerow([cell(value) for cell, value in zip(cells, row, strict=True)])


CHUNK_CHARACTERS = 32_000


def in_chunks(lines):
    """Lines joined into pieces of about ``CHUNK_CHARACTERS``: one write to the network for many
    rows instead of one per row, while memory stays flat however long the file."""
    pending, size = [], 0
    for line in lines:
        pending.append(line)
        size += len(line)
        if size >= CHUNK_CHARACTERS:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)


def csv_response(filename, header, rows, cells=None):
    body = in_chunks(csv_lines(header, rows, cells))
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def read_csv_text(text, *, unescape=True):
    """The one CSV reader. The rows of CSV text written by ``csv_lines`` (or a spreadsheet saving
    it) as dicts of unescaped cells, each with the line it ends on: ``[(line, {column: value})]``,
    and the header. Cells are kept exactly as written, spaces included; cells beyond the header's
    columns are kept under ``EXTRA_CELLS``, for the reader to refuse the row. The project's own
    data files, which no spreadsheet escaped, are read with ``unescape=False``."""
    csv.field_size_limit(MAX_CELL_CHARACTERS)  # process-wide: other readers may have raised it
    reader = csv.DictReader(io.StringIO(text.removeprefix(BOM), newline=""), restkey=EXTRA_CELLS)
    rows = []
    try:
        for row in reader:
            extra = row.pop(EXTRA_CELLS, None)
            cells = {k: unescape_text(v or "") if unescape else (v or "") for k, v in row.items()}
            if extra:
                cells[EXTRA_CELLS] = extra
            rows.append((reader.line_num, cells))
    except csv.Error as error:  # a cell over the csv module's limit, a NUL character, ...
        raise UnreadableCSV(
            _("Line %(line)s cannot be read as CSV: %(error)s.")
            % {"line": reader.line_num + 1, "error": error}
        ) from None
    return rows, reader.fieldnames or []


MAX_CELL_CHARACTERS = 131_072  # the csv module's own default


class UnreadableCSV(ValueError):
    """The text is not CSV the reader can take; the message says where and why."""


EXTRA_CELLS = "__extra_cells__"
