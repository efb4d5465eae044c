"""Writing CSV that spreadsheets open safely: the one helper every export uses.

UTF-8 with a byte-order mark (so Excel reads "Việt Nam" right), RFC 4180 quoting, ISO 8601
dates, rows streamed as they are produced (in pieces of many rows). A text cell that a
spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return, also
after leading spaces) gets a leading apostrophe so it stays text; numbers stay numbers.
"""

import csv
import datetime
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value):
    """The value as a spreadsheet should see it."""
    if type(value) is str and not value.startswith(FORMULA_STARTS) and not value.startswith(" "):
        return value  # the common case, first
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


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
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
