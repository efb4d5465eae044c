import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from tracker.core import roles


class Command(BaseCommand):
    help = (
        "For a local debug run only: create an 'admin' superuser in the Secretariat role, with a "
        "random password printed once and the e-mail given (so that submissions notify someone), "
        "when no superuser exists yet; otherwise say how to sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="/admin/", help="Where the admin is served, to print.")
        parser.add_argument(
            "--email", default="admin@localhost", help="The account's e-mail (make run: ADMIN_EMAIL=...)."
        )

    def handle(self, *args, url="/admin/", email="admin@localhost", **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a local admin when DEBUG is off; use createsuperuser.")
        User = get_user_model()
        admin_url = url
        if User.objects.filter(is_superuser=True).exists():
            self._complete(User.objects.filter(username="admin", is_superuser=True).first(), email)
            self.stdout.write(
                f"Staff sign-in at {admin_url} with your existing admin account "
                "(forgotten the password? python manage.py changepassword admin)."
            )
            return
        password = secrets.token_urlsafe(16)
        user = User.objects.create_superuser(
            username="admin", email=email, password=password, first_name="Local", last_name="Administrator"
        )
        user.groups.add(Group.objects.get(name=roles.SECRETARIAT))
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a local admin account (Secretariat, e-mail {email}). "
                f"Sign in at {admin_url} as 'admin' "
                f"with password: {password}\n"
                "This password is shown only once; change it with: python manage.py changepassword admin"
            )
        )

    def _complete(self, user, email):
        """An older local admin (from a database made before invitations) gets the e-mail and the
        Secretariat role it lacks, so that submissions notify someone; said once, when done."""
        if user is None:
            return
        secretariat = Group.objects.get(name=roles.SECRETARIAT)
        added = []
        if not user.email:
            user.email = email
            user.save(update_fields=["email"])
            added.append(f"e-mail {email}")
        if not user.groups.filter(pk=secretariat.pk).exists():
            user.groups.add(secretariat)
            added.append("the Secretariat role")
        if added:
            self.stdout.write(self.style.SUCCESS(f"Gave the local admin account {' and '.join(added)}."))
