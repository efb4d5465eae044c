"""What the in-process benchmarks share: Django on a throwaway SQLite database in a temporary
folder (so the local data is never touched), and where results are written."""

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextlib.contextmanager
def throwaway_django():
    """Set Django up on an empty, migrated SQLite database that is deleted afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(VAR_DIR=folder, DJANGO_SETTINGS_MODULE="tracker.settings", DEBUG="true")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield


def report(name, result):
    """Print the result and keep it in bench-results/<name>.json."""
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
