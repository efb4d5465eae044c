from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Rebuilt by `migrate` on any database, so not worth keeping; sessions and sign-in attempts are
# transient; the data version is the restored database's own (restoring moves it on).
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "tracker.dataversion"]


class Command(BaseCommand):
    help = (
        "Write the whole database (plans, progress, partners, history, users and roles) to a "
        "compressed JSON file that 'restore' loads into an empty database, on SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write, e.g. backups/tracker-2026-11-21.json.gz")

    def handle(self, *args, file, **options):
        if not file.name.endswith((".json", ".json.gz", ".json.xz", ".json.bz2")):
            raise CommandError("Name the file .json, or .json.gz to compress it.")
        if file.exists():
            raise CommandError(f"{file} already exists; choose a new name so no backup is overwritten.")
        file.parent.mkdir(parents=True, exist_ok=True)
        call_command(
            "dumpdata",
            exclude=LEFT_OUT,
            natural_foreign=True,
            natural_primary=True,
            output=str(file),
            verbosity=0,
        )
        self.stdout.write(
            self.style.SUCCESS(f"Backed up the database to {file} ({file.stat().st_size:,} bytes).")
        )
