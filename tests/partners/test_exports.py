"""The partners' open data (partners.exports): each list downloads exactly what it shows; the
Article 67 report of a partner for a year, as a page and as a CSV file."""

import pytest

from tests.helpers import download

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/partners/?format=csv", 12),
        ("/data/involvements.csv?partner=euipo", 14),
        ("/data/cooperation_programmes.csv?partner=euipo", 6),
    ],
)
def test_each_list_downloads_exactly_what_it_shows(client, url, count):
    assert len(download(client, url)) == count


class TestArticle67:
    def test_article_67_report_lists_programmes_active_that_year(self, client):
        page = client.get("/partners/euipo/article-67/2019/").text
        assert "ARISE+ IPR" in page and "IP Key South-East Asia" in page and "SCOPE IPR" not in page
        rows = download(client, "/partners/ip-australia/article-67/2020/?format=csv")
        assert rows[0]["wto_document_symbol"] == "IP/C/R/TC/AUS/1"
        assert "MY" in rows[0]["beneficiaries"].split("; ")

    def test_a_joint_programme_shows_each_members_own_report(self, client):
        """AANZFTA is run by Australia and New Zealand; each files its own Article 67 report."""
        australia = download(client, "/partners/ip-australia/article-67/2022/?format=csv")
        new_zealand = download(client, "/partners/iponz/article-67/2022/?format=csv")
        assert [r["wto_document_symbol"] for r in australia] == ["IP/C/R/TC/AUS/3"]
        assert [r["wto_document_symbol"] for r in new_zealand] == ["IP/C/R/TC/NZL/1"]
        page = client.get("/partners/iponz/article-67/2022/").text
        assert "IP/C/R/TC/NZL/1" in page and "IP/C/R/TC/AUS/3" not in page

    def test_unreasonable_years_are_404_with_the_reason(self, client):
        response = client.get("/partners/euipo/article-67/1800/")
        assert response.status_code == 404 and "There is no Article 67 report for 1800" in response.text
