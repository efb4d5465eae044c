"""The meeting pack as a PDF to print and a Word document to edit: what a reader finds in them
is what the page shows, on A4 pages with page numbers, a cover and repeated table headers."""

import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from pypdf import PdfReader

from goals.models import ReportingRound
from tests.factories import grow_twentyfold
from tests.helpers import text_of
from tests.sample import load_sample
from tracker.core.pdf import RefusedFetch, StaticFilesOnly

pytestmark = pytest.mark.django_db

PLAN = "/plans/2016-2025"
A4 = (595, 842)  # points, rounded
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIGURE_HEADER = "Part of the plan"


@pytest.fixture
def published():
    load_sample()
    return ReportingRound.objects.published().filter(plan__slug="2016-2025").order_by("closes_on").last()


def pack_url(reporting_round):
    return f"{PLAN}/rounds/{reporting_round.pk}/meeting-pack/"


def goal_percents(page):
    """Each goal row's percent delivered as the page shows it: {"Goal 1: …": "47.5 %"}."""
    rows = re.findall(
        r'<tr class="pack-goal">\s*<th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td>', page, re.S
    )
    assert rows, "the page lists its goals"
    return {label.strip(): value.strip() for label, value in rows}


def pdf_pages(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, [page.extract_text() for page in reader.pages]


def flat(text):
    """Extracted text with its line breaks and no-break spaces as plain spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


class TestMeetingPackPdf:
    def test_the_pdf_carries_the_figures_of_the_page(self, client, published):
        page = text_of(client.get(pack_url(published)))
        assert 'href="?format=pdf"' in page and 'href="?format=docx"' in page
        response = client.get(pack_url(published) + "?format=pdf")
        _reader, pages = pdf_pages(response)
        assert response["Content-Disposition"] == (
            f'attachment; filename="SAMPLE-DATA-meeting_pack-2016-2025-round-{published.pk}.pdf"'
        )
        cover = flat(pages[0])
        assert (
            "Meeting pack" in cover and published.name in cover and "ASEAN IPR Action Plan 2016-2025" in cover
        )
        assert "Sample data" in cover  # flagged, as every page is
        text = flat(" ".join(pages))
        for label, value in goal_percents(page).items():
            label = flat(label)
            assert label[:40] in text, label
            assert re.search(re.escape(label[-30:]) + r".{0,40}?" + re.escape(flat(value)), text), (
                label,
                value,
            )
        assert "Changes since" in text and "Missing reports" in text

    def test_pages_are_a4_numbered_with_the_header_repeated(self, client, published):
        grow_twentyfold()  # a pack long enough to run its table over several pages
        reader, pages = pdf_pages(client.get(pack_url(published) + "?format=pdf"))
        total = len(pages)
        assert total > 4
        for number, page in enumerate(reader.pages, start=1):
            size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
            assert size == A4
            assert f"Page {number} of {total}" in pages[number - 1]
        assert f"Meeting pack: {published.name}" in pages[-1]  # every page after the cover says what it is
        # The figures table starts after the cover and charts and runs on over pages: each of them
        # starts with its header row again.
        on = next(i for i, text in enumerate(pages) if "Progress of the plan, each goal" in text)
        continued = [text for text in pages[on + 1 :] if "Initiative" in text and "Changes since" not in text]
        assert len(continued) >= 2
        for text in continued:
            assert FIGURE_HEADER in text and "Percent delivered" in text

    def test_charts_are_vectors_not_pictures(self, client, published):
        reader, pages = pdf_pages(client.get(pack_url(published) + "?format=pdf"))
        chart_page = next(
            page for page, text in zip(reader.pages, pages, strict=True) if "Progress per" in text
        )
        assert not chart_page.images  # drawn as paths and text, not embedded as an image
        assert "Deliverables by status" in flat(" ".join(pages))

    def test_an_unpublished_round_has_no_pack_in_any_format(self, client, published):
        closed = ReportingRound.objects.filter(plan__slug="2016-2025", state="closed").first()
        for wanted in ("pdf", "docx"):
            response = client.get(pack_url(closed) + f"?format={wanted}")
            assert response.status_code == 404 and "published rounds" in response.content.decode()

    def test_an_unknown_format_is_refused_with_the_choices(self, client, published):
        response = client.get(pack_url(published) + "?format=odt")
        assert response.status_code == 400
        assert (
            "Unknown format &#x27;odt&#x27;: this page is also offered as csv, xlsx, pdf, docx"
            in response.text
        )


class TestMeetingPackWord:
    def test_the_word_document_has_headings_tables_and_the_page_figures(self, client, published):
        page = text_of(client.get(pack_url(published)))
        response = client.get(pack_url(published) + "?format=docx")
        assert response.status_code == 200 and response["Content-Type"] == DOCX
        assert response["Content-Disposition"] == (
            f'attachment; filename="SAMPLE-DATA-meeting_pack-2016-2025-round-{published.pk}.docx"'
        )
        document = Document(io.BytesIO(response.content))
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
        assert headings[0] == "Meeting pack"
        assert published.name in [p.text for p in document.paragraphs]
        goals = goal_percents(page)
        for label in goals:
            assert flat(label) in [flat(h) for h in headings]
        assert any(h.startswith("Changes since") for h in headings) and "Missing reports" in headings
        cells = {}
        for table in document.tables:
            header = table.rows[0]
            assert header._tr.trPr is not None and header._tr.trPr.xpath("./w:tblHeader"), "header repeats"
            for row in table.rows[1:]:
                cells.setdefault(flat(row.cells[0].text), flat(row.cells[1].text))
        for label, value in goals.items():
            assert cells[flat(label)] == flat(value), label
        footer = document.sections[0].footer.paragraphs[0]._p.xml
        assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def test_a_document_may_only_read_the_projects_static_files():
    fetcher = StaticFilesOnly()
    assert b"@page" in fetcher.fetch("https://document.invalid/static/css/document.css").read()
    for url in (
        "https://example.org/static/css/document.css",
        "file:///etc/passwd",
        "https://document.invalid/static/../settings.py",
        "https://document.invalid/media/evidence/report.pdf",
    ):
        with pytest.raises(RefusedFetch):
            fetcher.fetch(url)


@pytest.mark.parametrize("wanted", ["pdf", "docx"])
def test_the_documents_run_a_fixed_number_of_queries(client, published, wanted):
    """Pinned, with the shipped data and with twenty times more: the page's queries, and one
    more read of the public data state (the sample-data flag and the day of the latest
    approved change) for the document's cover."""

    def count(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    url = pack_url(published)
    assert (count(url), count(f"{url}?format={wanted}")) == (PAGE_QUERIES, PAGE_QUERIES + 1)
    grow_twentyfold()
    assert (count(url), count(f"{url}?format={wanted}")) == (PAGE_QUERIES, PAGE_QUERIES + 1)


PAGE_QUERIES = 8  # the meeting pack page itself


def test_the_open_data_page_lists_every_format(client):
    page = text_of(client.get("/data/"))
    formats = re.findall(r'<th scope="row">(.*?)</th>', page.split('id="formats"')[1].split("</table>")[0])
    assert formats == ["CSV", "Excel (.xlsx)", "PDF", "Word (.docx)", "JSON", "Atom"]


def test_a_document_is_kept_in_the_public_cache_until_the_data_changes(client, settings, published):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    url = pack_url(published) + "?format=pdf"
    first = client.get(url)
    assert first.status_code == 200 and "X-Cache" not in first
    again = client.get(url)
    assert again.status_code == 200 and "X-Cache" in again and again.content == first.content
    published.name = "Renamed round"
    published.save()
    renamed = client.get(url)
    assert renamed.status_code == 200 and "X-Cache" not in renamed
    assert "Renamed round" in flat(pdf_pages(renamed)[1][0])
