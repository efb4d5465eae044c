"""A partner's TRIPS Article 67 report as a PDF to print: what it says is what the page says, on
numbered A4 pages after a cover with the partner and the year."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.helpers import text_of

pytestmark = pytest.mark.django_db

A4 = (595, 842)  # points, rounded


def pdf_text(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [re.sub(r"\s+", " ", page.extract_text().replace("\u00a0", " ")) for page in reader.pages]
    for number, page in enumerate(reader.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4
        assert f"Page {number} of {len(pages)}" in pages[number - 1]
    return pages


def headings(page):
    """The programmes' names as the page's headings give them."""
    names = re.findall(r'<h2 id="p-[^"]+">\s*(.*?)\s*<', page, re.S)
    assert names
    return [re.sub(r"\s+", " ", name) for name in names]


def test_the_pdf_says_what_the_page_says(client):
    url = "/partners/euipo/article-67/2019/"
    page = text_of(client.get(url))
    assert 'href="?format=pdf"' in page
    response = client.get(f"{url}?format=pdf")
    pages = pdf_text(response)
    assert response["Content-Disposition"] == 'attachment; filename="article_67_report-euipo-2019.pdf"'
    cover = pages[0]
    assert "TRIPS Article 67 report 2019" in cover and "European Union Intellectual Property Office" in cover
    text = " ".join(pages[1:])
    for name in headings(page):
        assert name in text, name
    assert "ARISE+ IPR" in text and "IP Key South-East Asia" in text and "SCOPE IPR" not in text
    for symbol in re.findall(r"IP/C/[A-Z/0-9]+", page):
        assert symbol in text


def test_a_joint_programme_shows_each_members_own_report(client):
    text = " ".join(pdf_text(client.get("/partners/iponz/article-67/2022/?format=pdf")))
    assert "IP/C/R/TC/NZL/1" in text and "IP/C/R/TC/AUS/3" not in text


def test_bad_formats_and_years_are_refused_with_the_reason(client):
    word = client.get("/partners/euipo/article-67/2019/?format=docx")
    assert word.status_code == 400 and "is also offered as csv, xlsx, pdf" in word.text
    too_early = client.get("/partners/euipo/article-67/1800/?format=pdf")
    assert too_early.status_code == 404 and "There is no Article 67 report for 1800" in too_early.text
