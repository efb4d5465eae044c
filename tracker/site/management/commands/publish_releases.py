"""Publish a dataset release for every published reporting round that has none."""

from django.core.management.base import BaseCommand

from tracker.site.releases import publish_missing_releases


class Command(BaseCommand):
    help = (
        "Publish a dataset release for every published reporting round that has none: rounds published "
        "before releases existed, or the demonstration's sample rounds. Publishing a round in the admin "
        "makes its release at once; running this again makes nothing new."
    )

    def handle(self, *args, **options):
        made = publish_missing_releases()
        for release in made:
            self.stdout.write(f"Published dataset release {release.version} for {release.round}.")
        if not made:
            self.stdout.write("Every published round has its dataset release.")
