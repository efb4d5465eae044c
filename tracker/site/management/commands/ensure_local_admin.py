import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "For a local debug run only: create an 'admin' superuser with a random password, printed "
        "once, when no superuser exists yet; otherwise say how to sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="/admin/", help="Where the admin is served, to print.")

    def handle(self, *args, url="/admin/", **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a local admin when DEBUG is off; use createsuperuser.")
        User = get_user_model()
        admin_url = url
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                f"Staff sign-in at {admin_url} with your existing admin account "
                "(forgotten the password? python manage.py changepassword admin)."
            )
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username="admin", email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a local admin account. Sign in at {admin_url} as 'admin' "
                f"with password: {password}\n"
                "This password is shown only once; change it with: python manage.py changepassword admin"
            )
        )
