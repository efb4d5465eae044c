"""Check that every public evidence link still answers; run it from cron, e.g. once a day."""

from django.core.management.base import BaseCommand

from goals.linkcheck import check


class Command(BaseCommand):
    help = (
        "Ask every evidence address of approved progress whether it still answers, and record when it "
        "last did. Pages then say 'link not reachable since <date>' under a link that fails. Run it from "
        "cron (daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=15, help="Seconds to wait for each answer (15).")
        parser.add_argument("--workers", type=int, default=8, help="Addresses asked at the same time (8).")

    def handle(self, *args, timeout, workers, **options):
        outcomes = check(timeout=timeout, workers=workers)
        failing = [outcome for outcome in outcomes if not outcome.answered]
        for outcome in failing:
            self.stdout.write(f"Not reachable: {outcome.url} ({outcome.problem})")
        answered = len(outcomes) - len(failing)
        self.stdout.write(
            f"Checked {len(outcomes)} evidence link(s): {answered} answered, {len(failing)} did not."
        )
