from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from goals.models import ActionPlan, ProgressUpdate
from partners.models import Partner


class Command(BaseCommand):
    help = (
        "Load a file written by 'backup' into an empty, migrated database (run 'migrate' first). "
        "Refuses to run over existing data, so nothing is ever mixed or lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        if ActionPlan.objects.exists() or ProgressUpdate.objects.exists() or Partner.objects.exists():
            raise CommandError(
                "This database already holds plan data; restore only into an empty database "
                "(create a new one and run 'migrate' first). Nothing was changed."
            )
        # The file holds the history itself: loading must not add history entries of its own.
        with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
            call_command("loaddata", str(file), verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored the database from {file}."))
