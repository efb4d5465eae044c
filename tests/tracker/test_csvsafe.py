"""CSV round trip: escaping a cell and reading it back are exact inverses, and any export,
hostile and apostrophe-led text included, re-imports with no change."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goals.models import Deliverable, ProgressUpdate
from tracker.core.csvsafe import csv_lines, escape_text, read_csv_text, safe_cell, unescape_text

ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60
)
# Text that starts the way spreadsheets and escaping care about, mixed in so that every run tries it.
LEADING = st.sampled_from(["'", "''", "=", "+", "-", "@", "\t", "\r", " ", "  =", " '"])
TEXT = ANY_TEXT | st.tuples(LEADING, ANY_TEXT).map("".join)
TRICKY = [
    "'IP Week' was held",
    "''two apostrophes",
    "' =not a formula",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\tindented",
    "\rreturn first",
    "   =spaced formula",
    " leading and trailing spaces ",
    'a line\nbreak, a comma and a "quote"',
    "Việt Nam – ASEAN",
    "",
]


@given(TEXT)
def test_reading_undoes_escaping_exactly(text):
    assert unescape_text(escape_text(text)) == text
    assert safe_cell(text) == escape_text(text)


@given(st.lists(st.tuples(TEXT, TEXT), max_size=6))
def test_a_written_file_reads_back_cell_for_cell(rows):
    written = "".join(csv_lines(["first", "second"], rows))
    read, header = read_csv_text(written)
    assert header == ["first", "second"]
    assert [(row["first"], row["second"]) for _line, row in read] == rows


def test_formula_like_text_is_written_inert():
    for text in TRICKY:
        cell = escape_text(text)
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    ("value", "expected"), [(-5, -5), (3.5, 3.5), (None, ""), (True, "true"), ("-5", "'-5")]
)
def test_safe_cell_keeps_numbers_and_neutralises_text(value, expected):
    assert safe_cell(value) == expected


IMPORT_PROGRESS = reverse("admin:goals_progressupdate_import")
IMPORT_DELIVERABLES = reverse("admin:goals_deliverable_import")


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def preview_actions(client, url, content):
    response = client.post(url, {"file": SimpleUploadedFile("export.csv", content)})
    assert response.status_code == 200
    return {result.action for result in response.context["results"]}


@pytest.mark.django_db
def test_every_tricky_text_survives_export_then_import(client, login, staff):
    deliverable = Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1")
    for day, text in enumerate(TRICKY, start=1):
        ProgressUpdate.objects.create(
            deliverable=deliverable, status="in_progress", percent_complete=day, narrative=text,
            provisional=bool(text), provisional_note=text, reported_on=datetime.date(2024, 1, day),
            review_state="approved", evidence_url="https://example.org/evidence",
        )  # fmt: skip
    Deliverable.objects.filter(pk=deliverable.pk).update(title="'TMview' = the regional search")
    admin = login(staff.secretariat)
    exported = download(client, "/data/progress_updates.csv")
    assert preview_actions(admin, IMPORT_PROGRESS, exported) == {"unchanged"}
    structure = download(client, "/data/deliverables.csv")
    assert preview_actions(admin, IMPORT_DELIVERABLES, structure) == {"unchanged"}


@pytest.mark.django_db
@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(narrative=TEXT, note=TEXT)
def test_any_text_survives_export_then_import(client, login, staff, narrative, note):
    with transaction.atomic():
        ProgressUpdate.objects.create(
            deliverable=Deliverable.objects.get(initiative__plan__slug="2016-2025", code="8.1"),
            status="in_progress", percent_complete=40, narrative=narrative, provisional=True,
            provisional_note=note or "unconfirmed", reported_on=datetime.date(2024, 2, 2),
            review_state="approved", evidence_url="https://example.org/evidence",
        )  # fmt: skip
        exported = download(client, "/data/progress_updates.csv?plan=2016-2025")
        assert preview_actions(login(staff.secretariat), IMPORT_PROGRESS, exported) == {"unchanged"}
        transaction.set_rollback(True)
