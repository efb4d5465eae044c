from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from goals.models import ActionPlan
from goals.sample import seed_synthetic


class Command(BaseCommand):
    help = (
        "Add synthetic deliverables and approved progress to the main plan so that it holds SCALE "
        "times the real number of deliverables (for benchmarks). Flagged as sample data everywhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=20, help="Times the real number of deliverables.")

    def handle(self, *args, scale=20, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if not ActionPlan.objects.filter(slug="2016-2025").exists():
            raise CommandError("Load the plan first: python manage.py load_plan")
        with transaction.atomic():
            added = seed_synthetic(scale)
        self.stdout.write(
            self.style.SUCCESS(f"Added {added['deliverables']} deliverables and {added['updates']} updates.")
        )
