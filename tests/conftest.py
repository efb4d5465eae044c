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


# What runs once, in the SQLite suite only (marked `same_on_every_database`; `make test-postgres`
# leaves it out): checks whose outcome no database can change, because they test the layout of a
# document or page built from figures other tests already check on both databases, or pure code
# that reads no database at all. Each entry says why. Anything that counts queries, filters, orders,
# searches, aggregates, writes, locks, caches, imports or exports stays in both suites.
RUN_ONCE = {
    # The meeting pack's PDF and Word layout (WeasyPrint and python-docx, seconds per document):
    # A4 pages, page numbers, repeated headers, vector charts, headings. Its queries and its public
    # cache are checked on both databases (test_the_documents_run_a_fixed_number_of_queries,
    # test_a_document_is_kept_in_the_public_cache_until_the_data_changes); the page it is compared
    # with is checked on both in test_pages.py. Reading only the project's static files is pure.
    "tests/goals/test_documents.py": {
        "TestMeetingPackPdf::test_the_pdf_carries_the_figures_of_the_page",
        "TestMeetingPackPdf::test_pages_are_a4_numbered_with_the_header_repeated",
        "TestMeetingPackPdf::test_charts_are_vectors_not_pictures",
        "TestMeetingPackWord::test_the_word_document_has_headings_tables_and_the_page_figures",
        "test_a_document_may_only_read_the_projects_static_files",
    },
    # The Article 67 report's PDF says what its page says (the page is checked on both databases).
    "tests/partners/test_documents.py": {
        "test_the_pdf_says_what_the_page_says",
        "test_a_joint_programme_shows_each_members_own_report",
    },
}
# Modules whose tests that use no database are pure functions (wording, geometry, arithmetic,
# CSV cell quoting, map simplification): the same on any database, so run once. Their tests that
# use the database stay in both suites.
PURE_WHERE_NO_DATABASE = {
    "tests/goals/test_build_map.py",
    "tests/goals/test_charts.py",
    "tests/goals/test_forecast.py",
    "tests/goals/test_progress.py",
    "tests/goals/test_templatetags.py",
    "tests/tracker/test_csvsafe.py",
    "tests/tracker/test_glossary.py",
}
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def uses_database(item):
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    """With `make test`'s `--dist loadgroup`, tests spread over the test processes one by one, so
    a long file does not hold up the run; but the tests of a file that starts servers once for
    the file (tests/deployment) stay in one process, so each starts them once. Tests listed in
    RUN_ONCE, and the pure ones of PURE_WHERE_NO_DATABASE, are marked `same_on_every_database`."""
    for item in items:
        if "deployment" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
        path = item.path.relative_to(config.rootpath).as_posix()
        name = item.nodeid.split("::", 1)[-1].split("[")[0]
        if name in RUN_ONCE.get(path, ()) or (path in PURE_WHERE_NO_DATABASE and not uses_database(item)):
            item.add_marker(pytest.mark.same_on_every_database)


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
    if not uses_database(request.node):
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
