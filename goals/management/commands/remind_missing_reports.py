import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from goals import notifications
from goals.models import ReportingRound
from goals.rounds import missing_reports, reminders


class Command(BaseCommand):
    help = (
        "E-mail each focal point the deliverables its bodies have not reported on in every open "
        "round that closes within --days days. Meant to run daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="Remind about rounds closing within this many days."
        )

    def handle(self, *args, days=7, **options):
        if days < 0:
            raise CommandError("--days must be zero or more.")
        today = timezone.localdate()
        closing = ReportingRound.objects.filter(
            state=ReportingRound.State.OPEN,
            closes_on__gte=today,
            closes_on__lte=today + datetime.timedelta(days=days),
        ).select_related("plan")
        sent = 0
        for reporting_round in closing:
            for reminder in reminders(missing_reports(reporting_round)):
                if reminder.reachable:
                    items = [str(item) for item in reminder.items]
                    notifications.missing_reports_reminder(reporting_round, reminder.person.email, items)
                    sent += 1
        self.stdout.write(
            f"Sent {sent} reminder(s) for {len(closing)} round(s) closing within {days} day(s)."
        )
