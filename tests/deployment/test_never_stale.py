"""Never stale, however it is deployed: the app runs as the README deploys it (gunicorn with
several workers, production settings) on a throwaway database, and a change committed by any
process shows on every public page and export, whichever worker answers, within two seconds.

On SQLite (the `make test` SQLite run) and on PostgreSQL (its PostgreSQL run) one server runs
three workers without Redis; on PostgreSQL two app servers also share the database and a real
Redis (scripts/redis-for-tests), as the README's "scaling out" says. The changes come through the
admin of one worker, `load_plan`, a CSV import, a fix typed into a database shell, `flush` and
`restore`. Every worker must have served the old page before a change and the new one after.
"""

import time

import pytest

from tests.deployment.servers import OVERVIEW, Deployment, admin_session, burst

pytestmark = pytest.mark.deployment

PAGE = "/plans/2016-2025/initiatives/8/8.1/"
EXPORT = "/data/deliverables.csv?plan=2016-2025"
WORKERS = 3
MAX_DELAY = 2  # seconds from a commit to the change showing


def two_seconds_later():
    """Called when a change has committed (the command or request that made it has returned):
    wait until two seconds have passed, the most a change may take to show."""
    time.sleep(MAX_DELAY)


def everyone_sees(servers, path, text, *, absent=None, workers=WORKERS):
    """Requests spread over every worker of every server (each must answer at least twice) all
    show ``text`` (and not ``absent``)."""
    for server in servers:
        responses = burst(server, path, workers=workers)
        for response in responses:
            assert response.status == 200, (server.base, path, response.status)
            assert text in response.body, (server.base, path)
            assert absent is None or absent not in response.body, (server.base, path)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    with Deployment.create(tmp_path_factory.mktemp("deployment")) as deployment:
        deployment.manage("backup", str(deployment.folder / "backup.tar.gz"))
        yield deployment


@pytest.fixture(scope="module")
def server(deployment):
    with deployment.serve(workers=WORKERS) as server:
        yield server


def test_an_admin_save_through_one_worker_shows_on_every_worker(deployment, server):
    everyone_sees([server], PAGE, "ASEAN TMview")
    everyone_sees([server], EXPORT, "ASEAN TMview")
    admin = admin_session(server, deployment)
    admin.change_deliverable("8.1", title="ASEAN Trademark View")
    two_seconds_later()
    everyone_sees([server], PAGE, "ASEAN Trademark View", absent="ASEAN TMview<")
    everyone_sees([server], EXPORT, "ASEAN Trademark View")


def test_load_plan_from_another_process_shows_within_two_seconds(deployment, server):
    everyone_sees([server], EXPORT, "ASEAN DesignView")
    data = deployment.data_files_with("goals/deliverables.csv", ",ASEAN DesignView,", ",ASEAN Design View,")
    deployment.manage("load_plan", "--data-dir", str(data))
    two_seconds_later()
    everyone_sees([server], "/plans/2016-2025/initiatives/8/8.2/", "ASEAN Design View")
    everyone_sees([server], EXPORT, "ASEAN Design View")


def test_an_import_through_the_admin_shows_within_two_seconds(deployment, server):
    everyone_sees([server], "/plans/2016-2025/initiatives/8/8.3/", "ASEAN TMclass")
    admin = admin_session(server, deployment)
    exported = server.get(EXPORT).body
    admin.import_deliverables(exported.replace(",ASEAN TMclass,", ",ASEAN Trademark Classes,"))
    two_seconds_later()
    everyone_sees([server], "/plans/2016-2025/initiatives/8/8.3/", "ASEAN Trademark Classes")


def test_a_fix_typed_into_a_database_shell_shows_within_two_seconds(deployment, server):
    everyone_sees([server], "/plans/2016-2025/initiatives/8/8.4/", "ASEAN GI Database")
    deployment.sql("UPDATE goals_deliverable SET title = 'ASEAN Geographical Indications' WHERE code = '8.4'")
    two_seconds_later()
    everyone_sees([server], "/plans/2016-2025/initiatives/8/8.4/", "ASEAN Geographical Indications")


def test_a_submission_keeps_the_cache_and_its_approval_shows_within_two_seconds(deployment, server):
    register = "/plans/2016-2025/initiatives/8/8.7/"
    everyone_sees([server], register, "ASEAN IP Register")
    update = deployment.submitted_update("8.7", narrative="Mobile search launched")
    answers = burst(server, register, workers=WORKERS)
    assert all(r.headers.get("X-Cache") == "hit" for r in answers)  # nothing public changed
    assert all("Mobile search launched" not in r.body for r in answers)
    admin_session(server, deployment).approve(update)
    two_seconds_later()
    everyone_sees([server], register, "Mobile search launched")


def test_flush_then_restore_from_other_processes_shows_within_two_seconds(deployment, server):
    gi_page = "/plans/2016-2025/initiatives/8/8.4/"
    deployment.sql("UPDATE goals_deliverable SET title = 'Changed after the backup' WHERE code = '8.4'")
    two_seconds_later()
    everyone_sees([server], gi_page, "Changed after the backup")
    deployment.manage("flush", "--noinput")
    two_seconds_later()
    for response in burst(server, OVERVIEW, workers=WORKERS):
        assert response.status == 404 and "No plan is loaded yet" in response.body
    deployment.manage("restore", str(deployment.folder / "backup.tar.gz"))
    two_seconds_later()
    everyone_sees([server], gi_page, "ASEAN GI Database", absent="Changed after the backup")  # as backed up
    everyone_sees([server], EXPORT, "ASEAN GI Database")


def test_changes_show_within_two_seconds_on_two_app_servers_sharing_postgresql_and_redis(tmp_path, redis_url):
    with (
        Deployment.create(tmp_path, postgresql=True) as deployment,
        deployment.serve(workers=2, redis_url=redis_url) as one,
        deployment.serve(workers=2, redis_url=redis_url) as two,
    ):
        everyone_sees([one, two], PAGE, "ASEAN TMview", workers=2)
        fresh = f"{PAGE}?shared=1"
        one.get(fresh)
        assert two.get(fresh).headers.get("X-Cache") == "hit"  # the page cache is shared through Redis
        admin_session(one, deployment).change_deliverable("8.1", title="ASEAN Trademark View")
        two_seconds_later()
        everyone_sees([two, one], PAGE, "ASEAN Trademark View", absent="ASEAN TMview<", workers=2)
        everyone_sees([two, one], EXPORT, "ASEAN Trademark View", workers=2)
        deployment.sql("UPDATE goals_deliverable SET title = 'ASEAN TM View' WHERE code = '8.1'")
        two_seconds_later()
        everyone_sees([one, two], PAGE, "ASEAN TM View", workers=2)
