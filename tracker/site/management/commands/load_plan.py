from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import goals.loading
import partners.loading
from goals.models import ActionPlan
from goals.sample import load_sample
from tracker.core.loading import DataFileError, LoadReport


class Command(BaseCommand):
    help = (
        "Load the ASEAN IPR Action Plans, bodies, partners and documented progress from the data "
        "files in goals/data/ and partners/data/. Safe to run again: only what changed is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample",
            action="store_true",
            help="Also load made-up progress for demonstrations (flagged as sample data everywhere).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when a plan is already loaded (used by 'make run').",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            help="Read the files from DIR/goals and DIR/partners instead of the apps' data folders.",
        )

    def handle(self, *args, sample=False, if_empty=False, data_dir=None, **options):
        if if_empty and ActionPlan.objects.exists():
            self.stdout.write("A plan is already loaded; nothing to do.")
            return
        goals_dir = data_dir / "goals" if data_dir else goals.loading.DATA_DIR
        partners_dir = data_dir / "partners" if data_dir else partners.loading.DATA_DIR
        report = LoadReport()
        try:
            with transaction.atomic():
                index = goals.loading.load(report, goals_dir)
                partners.loading.load(report, index, partners_dir)
                if sample:
                    load_sample(report)
        except (DataFileError, FileNotFoundError) as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        for line in report.lines():
            self.stdout.write(f"  {line}")
        summary = (
            f"{report.changed} record(s) created or updated." if report.changed else "Already up to date."
        )
        self.stdout.write(self.style.SUCCESS(summary))
