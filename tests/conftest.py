import io
import os

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

# Property-based tests draw the same examples on every run (a fixed seed, no example database),
# so a failure reproduces and never blocks a landing by chance. HYPOTHESIS_PROFILE=explore draws
# new examples each run, to look for more; whatever it finds gets an explicit regression test.
hypothesis_settings.register_profile("fixed", derandomize=True, database=None, deadline=None, print_blob=True)
hypothesis_settings.register_profile("explore", deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The SQLite test database lives in memory, shared between the test and the live server's
    thread with table locks that do not wait: there, transactions begin as SQLite's default
    (deferred). A database in a file, as deployed, takes the write lock at the start (settings);
    tests/deployment/test_concurrent_edits.py checks that."""
    from django.conf import settings

    settings.DATABASES["default"].get("OPTIONS", {}).pop("transaction_mode", None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the real plan data, loaded once per run (each test rolls back)."""
    from tests import sample

    with django_db_blocker.unblock():
        call_command("load_plan", stdout=io.StringIO())
        sample.prepare()  # the sample rounds, copied aside for tests/sample.py's load_sample


def transactional(item):
    marker = item.get_closest_marker("django_db") if item is not None else None
    return marker is not None and marker.kwargs.get("transaction", False)


def pytest_collection_modifyitems(items):
    """With `make test`'s `--dist loadgroup`, tests spread over the test processes one by one, so
    a long file does not hold up the run; but the tests of a file that starts servers once for
    the file (tests/deployment) stay in one process, so each starts them once."""
    for item in items:
        if "deployment" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying the database. pytest-django runs those last, but
    pytest-xdist may still hand other tests to that process afterwards: they get the real plan
    data back."""
    result = yield
    if transactional(item) and nextitem is not None and not transactional(nextitem):
        from pytest_django.plugin import blocking_manager_key

        from tracker.core.roles import ensure_roles

        with item.config.stash[blocking_manager_key].unblock():
            ensure_roles()
            call_command("load_plan", stdout=io.StringIO())
        from tests import sample

        sample.forget()  # the reloaded plan has new ids: the sample's copy no longer fits
    return result


@pytest.fixture(autouse=True)
def sample_copy_usable(request):
    """Tells tests/sample.py how many rows the connection had written as a database test starts
    (after pytest-django opened the test's transaction, before any other fixture wrote), so that
    ``load_sample`` knows whether the database still holds just the real plan."""
    fixtures = set(request.fixturenames)
    uses_db = request.node.get_closest_marker("django_db") is not None or fixtures & {
        "db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"
    }  # fmt: skip
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from tests import sample

    emptied_after = {"transactional_db", "live_server", "django_db_reset_sequences"}
    sample.test_started(transactional(request.node) or bool(fixtures & emptied_after))


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded evidence and dataset releases (written when a test publishes a round) go to a
    folder of the test run, never to the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Pages render afresh in tests (query counts, rolled-back data); tests/tracker/test_cache.py
    turns the cache on. Anonymous requests read the data version afresh too, so that a change
    made by the test shows on its next request (tests/deployment checks the delay as deployed)."""
    settings.PUBLIC_CACHE_SECONDS = 0
    settings.DATA_VERSION_MAX_AGE = 0


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests make many accounts; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "a-long-test-password")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def make_staff(django_user_model, username, role, *, bodies=(), partner=None):
    """A staff account in one role, linked to bodies (by slug) or a partner (by slug)."""
    from django.contrib.auth.models import Group

    from goals.models import Body
    from partners.models import Partner
    from tracker.core.models import StaffAccess
    from tracker.core.roles import ensure_roles

    if not Group.objects.filter(name=role).exists():
        ensure_roles()  # a transactional test before this one flushed the database

    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    access = StaffAccess.objects.create(user=user, partner=Partner.objects.filter(slug=partner).first())
    access.bodies.set(Body.objects.filter(slug__in=bodies))
    return user


@pytest.fixture
def staff(django_user_model):
    """One account per role: two secretariat reviewers, focal points of the Philippine and Thai
    offices and of the ASPEC task force, a partner reporter for EUIPO, and a viewer."""
    from types import SimpleNamespace

    from tracker.core import roles

    return SimpleNamespace(
        secretariat=make_staff(django_user_model, "sec", roles.SECRETARIAT),
        reviewer=make_staff(django_user_model, "sec2", roles.SECRETARIAT),
        ph=make_staff(django_user_model, "ph", roles.FOCAL_POINT, bodies=["ipophl"]),
        th=make_staff(django_user_model, "th", roles.FOCAL_POINT, bodies=["th-dip"]),
        aspec=make_staff(django_user_model, "aspec", roles.FOCAL_POINT, bodies=["aspec-task-force"]),
        euipo=make_staff(django_user_model, "euipo", roles.PARTNER_REPORTER, partner="euipo"),
        viewer=make_staff(django_user_model, "viewer", roles.VIEWER),
    )


@pytest.fixture
def open_round():
    import datetime

    from goals.models import ActionPlan, ReportingRound

    return ReportingRound.objects.create(
        plan=ActionPlan.objects.get(slug="2016-2025"),
        name="Test round",
        opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 12, 15),
        state=ReportingRound.State.OPEN,
    )


@pytest.fixture
def update(staff, open_round):
    """A draft progress update on 8.1 (ASEAN TMview) by the Philippine focal point, in the open
    round (tests/goals/test_workflow.py has its own)."""
    import datetime

    from goals.models import ProgressUpdate
    from tests.helpers import deliverable

    return ProgressUpdate.objects.create(
        deliverable=deliverable("8.1"), round=open_round, status="in_progress", percent_complete=60,
        reported_on=datetime.date(2026, 11, 10), narrative="First version", submitted_by=staff.ph,
    )  # fmt: skip


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
