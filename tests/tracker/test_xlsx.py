"""Every file offered as CSV is also offered as an Excel workbook from the same declaration
(tracker.core.exports, tracker.core.xlsx): the same rows, typed cells, a frozen and filtered
header, a data dictionary sheet, and never a formula, whatever the text."""

import csv
import datetime
import io
import os
import re
import shutil
import subprocess

import openpyxl
import pytest

from goals.models import ProgressUpdate
from tests.factories import make_update
from tests.helpers import deliverable, download, text_of
from tests.sample import load_sample
from tracker.core import exports
from tracker.core.xlsx import MEDIA_TYPE
from tracker.site import urls  # noqa: F401  (importing the site registers every app's files)

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("https://evil.example/","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "'already quoted",
    "Việt Nam, ភាសាខ្មែរ, ພາສາລາວ",
]


@pytest.fixture
def loaded():
    load_sample()


def workbook(client, url):
    """The workbook downloaded from ``url``, once sure it is one: 200, the xlsx type, an attachment."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == MEDIA_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and disposition.endswith('.xlsx"'), disposition
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(raw))


def data_rows(book):
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], rows[1:]


def same_cell(csv_text, cell, header):
    """Whether a workbook cell holds what the CSV cell says, in its own type."""
    if csv_text == "":
        return cell is None
    if isinstance(cell, bool):
        return csv_text == ("true" if cell else "false")
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() == csv_text[:10]
    if isinstance(cell, int | float):
        expected = (
            float(csv_text) / 100
            if ("percent" in header.split("_") or header.startswith("share_"))
            else float(csv_text)
        )
        return abs(cell - expected) < 1e-9
    return cell == csv_text.removeprefix("'") or cell == csv_text  # the CSV escapes formula-like text


@pytest.mark.parametrize("name", sorted(exports.REGISTRY))
def test_every_data_file_is_also_a_workbook_with_the_same_rows(client, loaded, name):
    csv_rows = download(client, f"/data/{name}.csv")
    book = workbook(client, f"/data/{name}.xlsx")
    header, rows = data_rows(book)
    assert list(header) == exports.REGISTRY[name].header
    assert len(rows) == len(csv_rows)
    for csv_row, row in zip(csv_rows, rows, strict=True):
        for column, cell in zip(header, row, strict=True):
            assert same_cell(csv_row[column], cell, column), (name, column, csv_row[column], cell)
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows) + 1}"
    widths = {}
    for dimension in sheet.column_dimensions.values():  # neighbours of one width share an entry
        widths.update(dict.fromkeys(range(dimension.min, dimension.max + 1), dimension.width))
    assert all(widths[i] >= len(title) for i, title in enumerate(header, start=1)), widths


def test_cells_are_typed_numbers_dates_and_percent(client, loaded):
    book = workbook(client, "/data/progress_updates.xlsx?plan=2016-2025")
    header, rows = data_rows(book)
    first = dict(zip(header, rows[0], strict=True))
    assert isinstance(first["reported_on"], datetime.datetime)
    assert isinstance(first["percent_complete"], float) and 0 <= first["percent_complete"] <= 1
    sheet = book.worksheets[0]
    percent = sheet.cell(row=2, column=header.index("percent_complete") + 1)
    assert percent.number_format == "0.0%"
    assert sheet.cell(row=2, column=header.index("reported_on") + 1).number_format == "yyyy-mm-dd"
    assert isinstance(first["has_evidence_file"], bool)


def test_the_second_sheet_is_the_data_dictionary_with_the_source(client, loaded):
    book = workbook(client, "/data/deliverables.xlsx")
    assert book.sheetnames == ["deliverables", "Data dictionary"]
    dictionary = list(book["Data dictionary"].iter_rows(values_only=True))
    labels = {row[0]: row[2] for row in dictionary if row[0]}
    assert "methodology" in labels["Source"] and "CC BY 4.0" in labels["Source"]
    described = {
        row[0]: (row[1], row[2]) for row in dictionary[dictionary.index(("Column", "Type", "Meaning")) + 1 :]
    }
    for column in exports.REGISTRY["deliverables"].columns:
        assert described[column.name][1] == column.description
    assert described["percent_complete"][0] == "percent"
    assert described["planned_end"][0] == "date"


def test_hostile_text_stays_text_and_no_formula_is_ever_written(client, loaded):
    target = deliverable("5.1")
    for n, text in enumerate(HOSTILE):
        make_update(
            deliverable=target,
            narrative=text,
            review_state="approved",
            percent_complete=n,
            status="in_progress",
        )
    book = workbook(client, "/explore/updates/?plan=2016-2025&deliverable=5.1&format=xlsx")
    header, rows = data_rows(book)
    narratives = [dict(zip(header, row, strict=True))["narrative"] for row in rows]
    for text in HOSTILE:
        assert text in narratives
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_every_download_link_on_the_public_pages_has_its_workbook_beside_it(client, loaded):
    pages = [
        "/plans/2016-2025/goals/1/",
        "/plans/2016-2025/initiatives/5/",
        "/plans/2016-2025/initiatives/5/5.1/",
        "/plans/2016-2025/member-states/",
        "/plans/2016-2025/scorecard/",
        "/explore/deliverables/?plan=2016-2025",
        "/platforms/",
        "/partners/",
        "/partners/euipo/",
        "/data/",
        "/plans/2016-2025/compare/",
    ]
    round_ = ProgressUpdate.objects.filter(round__state="published").values_list("round", flat=True).first()
    if round_:
        pages.append(f"/plans/2016-2025/rounds/{round_}/meeting-pack/")
    for page in pages:
        html = text_of(client.get(page))
        csv_links = re.findall(r'href="([^"]*(?:format=csv|\.csv)[^"]*)"', html)
        xlsx_links = re.findall(r'href="([^"]*(?:format=xlsx|\.xlsx)[^"]*)"', html)
        assert csv_links and len(xlsx_links) >= len(csv_links), page
        for link in xlsx_links:
            url = link.replace("&amp;", "&")
            if url.startswith("?"):
                url = page.split("?")[0] + url
            workbook(client, url)


def test_an_unknown_format_is_refused_and_lists_both(client, loaded):
    response = client.get("/explore/deliverables/?plan=2016-2025&format=ods")
    assert response.status_code == 400
    assert "csv, xlsx" in response.text


def test_the_admin_offers_workbooks_of_its_lists_and_the_audit_log(admin_client, loaded):
    html = text_of(admin_client.get("/admin/"))
    assert 'href="/admin/audit-log.xlsx"' in html
    book = workbook(
        admin_client, "/admin/audit-log.csv?format=xlsx&record=progress+update"
    )  # the form's choice
    header, rows = data_rows(book)
    assert header[0] == "changed_at" and rows
    assert data_rows(workbook(admin_client, "/admin/audit-log.xlsx"))[0] == header
    refused = admin_client.get("/admin/audit-log.xlsx?colour=red")
    assert refused.status_code == 400
    updates = list(ProgressUpdate.objects.values_list("pk", flat=True)[:3])
    response = admin_client.post(
        "/admin/goals/progressupdate/", {"action": "export_xlsx", "_selected_action": updates}
    )
    assert response.status_code == 200 and response["Content-Type"] == MEDIA_TYPE
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(list(book.worksheets[0].iter_rows())) == 1 + len(updates)


@pytest.mark.libreoffice
def test_libreoffice_opens_every_workbook_and_reads_the_same_rows(client, loaded, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        assert os.environ.get("CI") != "true", (
            "CI must open the workbooks in LibreOffice (make test installs it)"
        )
        pytest.skip(
            "LibreOffice (Debian package libreoffice-calc-nogui) is not installed: make test installs it"
        )
    names = sorted(exports.REGISTRY)
    for name in names:
        response = client.get(f"/data/{name}.xlsx")
        (tmp_path / f"{name}.xlsx").write_bytes(b"".join(response.streaming_content))
    out = tmp_path / "out"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out),
         *(str(tmp_path / f"{name}.xlsx") for name in names)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for name in names:
        converted = (out / f"{name}.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(io.StringIO(converted, newline="")))
        assert rows[0] == exports.REGISTRY[name].header, name
        assert len(rows) - 1 == len(download(client, f"/data/{name}.csv")), name
