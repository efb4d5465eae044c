"""E-mails (goals.notifications): reminders of missing reports go to the focal points that owe
them before a round closes."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from goals.models import ReportingRound

pytestmark = pytest.mark.django_db


def test_reminders_go_to_focal_points_with_missing_reports(staff, open_round):
    ReportingRound.objects.filter(pk=open_round.pk).update(
        closes_on=datetime.date.today() + datetime.timedelta(days=3)
    )
    out = io.StringIO()
    call_command("remind_missing_reports", "--days", "7", stdout=out)
    to_ph = [m for m in mail.outbox if m.to == ["ph@example.org"]]
    assert to_ph and "/admin/my-deliverables/" in to_ph[0].body
    assert "5.2 Accession to the Hague Agreement (Geneva Act 1999) (Philippines)" in to_ph[0].body
    assert "8.1 ASEAN TMview" not in to_ph[0].body  # completed in 2014: nothing is owed
    assert "Sent" in out.getvalue()


def test_no_reminders_for_rounds_closing_later(staff, open_round):
    ReportingRound.objects.filter(pk=open_round.pk).update(
        closes_on=datetime.date.today() + datetime.timedelta(days=30)
    )
    call_command("remind_missing_reports", "--days", "7", stdout=io.StringIO())
    assert mail.outbox == []
