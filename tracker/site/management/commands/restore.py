import filecmp
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from goals.models import ActionPlan, ProgressUpdate
from partners.models import Partner
from tracker.site.management.commands.backup import DATABASE, MEDIA


class Command(BaseCommand):
    help = (
        "Load an archive written by 'backup' (the database and the evidence files) into an empty, "
        "migrated database (run 'migrate' first). Refuses to run over existing data or to "
        "overwrite a different file of the same name, so nothing is ever mixed or lost."
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
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            if file.name.endswith(".tar.gz"):
                self.unpack(file, folder)
                database, files = folder / DATABASE, self.files_to_restore(folder / MEDIA)
            else:  # a database-only backup from before evidence files were archived with it
                database, files = file, []
                self.stderr.write("This backup holds the database only: copy MEDIA_ROOT back by hand.")
            for source, target in files:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            # The file holds the history itself: loading must not add history entries of its own.
            with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
                call_command("loaddata", str(database), verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Restored the database and {len(files)} evidence file(s) from {file}.")
        )

    def unpack(self, file, folder):
        try:
            with tarfile.open(file, "r:gz") as archive:
                names = archive.getnames()
                unexpected = [n for n in names if n != DATABASE and not n.startswith(f"{MEDIA}/")]
                if DATABASE not in names or unexpected:
                    raise CommandError(f"{file} is not a backup written by 'backup'. Nothing was changed.")
                archive.extractall(folder, filter="data")  # refuses links and paths outside the folder
        except (tarfile.TarError, OSError, EOFError) as error:
            raise CommandError(f"{file} cannot be read as a backup ({error}). Nothing was changed.") from None

    def files_to_restore(self, media):
        """(unpacked file, where it goes in MEDIA_ROOT); refuses to replace a different file."""
        pairs = [(path, Path(settings.MEDIA_ROOT) / path.relative_to(media))
                 for path in sorted(media.rglob("*")) if path.is_file()]  # fmt: skip
        clashes = [str(t) for s, t in pairs if t.exists() and not filecmp.cmp(s, t, shallow=False)]
        if clashes:
            raise CommandError(
                f"{len(clashes)} file(s) in MEDIA_ROOT differ from the backup's, e.g. {clashes[0]}; "
                "restore into an empty MEDIA_ROOT. Nothing was changed."
            )
        return pairs
