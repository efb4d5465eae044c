import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Rebuilt by `migrate` on any database, so not worth keeping; sessions and sign-in attempts are
# transient; the data version is the restored database's own (restoring moves it on).
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "tracker.dataversion"]
DATABASE = "database.json"  # the archive's members: the database, and the uploaded files under
MEDIA = "media"  # their paths in MEDIA_ROOT (the evidence files)


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []


class Command(BaseCommand):
    help = (
        "Write the whole database (plans, progress, partners, history, users and roles) and the "
        "evidence files to one .tar.gz archive that 'restore' loads into an empty database, on "
        "SQLite or PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write, e.g. backups/tracker-2026-11-21.tar.gz")

    def handle(self, *args, file, **options):
        if not file.name.endswith(".tar.gz"):
            raise CommandError(
                "Name the backup .tar.gz: one archive holds the database and the evidence files."
            )
        if file.exists():
            raise CommandError(f"{file} already exists; choose a new name so no backup is overwritten.")
        file.parent.mkdir(parents=True, exist_ok=True)
        files = media_files()
        partial = file.with_name(file.name + ".partial")  # never a half-written backup under its name
        with tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / DATABASE
            call_command("dumpdata", exclude=LEFT_OUT, natural_foreign=True, natural_primary=True,
                         output=str(database), verbosity=0)  # fmt: skip
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(database, arcname=DATABASE)
                for path in files:
                    archive.add(path, arcname=f"{MEDIA}/{path.relative_to(settings.MEDIA_ROOT).as_posix()}")
        partial.rename(file)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the database and {len(files)} evidence file(s) to {file} "
                f"({file.stat().st_size:,} bytes)."
            )
        )
