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


def safe_cell(value):
    """The value as a spreadsheet should see it."""
    if type(value) is str:
        if not value or value[0] not in "=+-@\t\r' ":
            return value  # the common case, first
        return escape_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return escape_text(str(value))


class _Echo:
    def write(self, value):
        return value


def csv_lines(header, rows):
    """Yield the encoded lines of a CSV file: the BOM and header first, then each row."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


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


def csv_response(filename, header, rows):
    body = in_chunks(csv_lines(header, rows))
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def read_csv_text(text):
    """The rows of CSV text written by ``csv_lines`` (or a spreadsheet saving it) as dicts of
    unescaped cells, each with the line it started on: ``[(line, {column: value})]``, and the
    header. Cells are kept exactly as written, spaces included."""
    reader = csv.DictReader(io.StringIO(text.removeprefix(BOM), newline=""))
    rows = []
    for row in reader:
        rows.append((reader.line_num, {k: unescape_text(v or "") for k, v in row.items() if k}))
    return rows, reader.fieldnames or []
