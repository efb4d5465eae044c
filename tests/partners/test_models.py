import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partners.models import ContactPoint, ProgrammeReport
from tests.factories import make_body, make_partner, make_programme

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "symbol", ["IP/C/W/647/Add.2", "IP/C/W/601", "IP/C/R/TC/AUS/1", "IP/C/R/TC/WTO-OMC/1"]
)
def test_wto_symbols_of_both_series_are_accepted(symbol):
    report = ProgrammeReport(
        programme=make_programme(), year=2020, document_symbol=symbol, reporting_member="X"
    )
    report.full_clean()


@pytest.mark.parametrize("symbol", ["IP/C/W/", "WT/IP/1", "IP/C/R/TC/aus/1", "IP/C/W/647 Add.2"])
def test_malformed_wto_symbols_are_refused_with_an_example(symbol):
    report = ProgrammeReport(
        programme=make_programme(), year=2020, document_symbol=symbol, reporting_member="X"
    )
    with pytest.raises(ValidationError, match="IP/C/R/TC/AUS/1"):
        report.full_clean()


def test_one_report_per_programme_and_year():
    programme = make_programme()
    ProgrammeReport.objects.create(programme=programme, year=2021, reporting_member="Australia")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeReport.objects.create(programme=programme, year=2021, reporting_member="Australia")


def test_budget_needs_a_currency():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_programme(budget=1000)
    programme = make_programme()
    programme.budget = 1000
    with pytest.raises(ValidationError, match="currency"):
        programme.full_clean()


def test_programme_years_in_order():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_programme(start_year=2020, end_year=2018)


def test_article_67_categories_are_listed_by_name():
    programme = make_programme(serves_training=True, serves_enforcement=True)
    assert programme.article_67_categories == ["enforcement", "training of personnel"]


def test_contact_point_belongs_to_one_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPoint.objects.create(name="A person", partner=make_partner(), body=make_body())
