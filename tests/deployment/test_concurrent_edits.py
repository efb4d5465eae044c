"""No lost edits under real concurrency: two staff open the same record, both save at the same
moment through different gunicorn workers on PostgreSQL, and exactly one save goes in; the other
is told someone else changed the record. (On SQLite one writer is let in at a time; the same test
runs there too.)"""

import threading

import pytest

from tests.deployment.servers import Deployment, admin_session, form_values, suite_database_url

pytestmark = pytest.mark.deployment

PAIRS = 8


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def deployment(request, tmp_path_factory):
    postgresql = request.param == "postgresql"  # in the suite's PostgreSQL run; SQLite in its SQLite run
    if not postgresql and suite_database_url():
        pytest.skip("Runs in the SQLite run of the suite.")
    with Deployment.create(tmp_path_factory.mktemp("concurrent"), postgresql=postgresql) as deployment:
        yield deployment


def simultaneous_saves(staff, path, titles):
    """Each signed-in session opens the form, then all save their title at the same moment."""
    forms = [form_values(session.send("GET", path).body, "deliverable_form") for session in staff]
    barrier, answers = threading.Barrier(len(staff)), [None] * len(staff)

    def save(i):
        values = [(k, v) for k, v in forms[i] if k not in ("title", "csrfmiddlewaretoken")]
        barrier.wait()
        answers[i] = staff[i].post(path, [*values, ("title", titles[i]), ("_save", "Save")], expect=None)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(staff))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_of_two_simultaneous_saves_exactly_one_goes_in(deployment):
    path = f"/admin/goals/deliverable/{deployment.deliverable_pk('8.1')}/change/"
    with deployment.serve(workers=4) as server:
        staff = [admin_session(server, deployment), admin_session(server, deployment)]
        for pair in range(PAIRS):
            titles = [f"Title {pair}-{i}" for i in range(2)]
            answers = simultaneous_saves(staff, path, titles)
            statuses = sorted(answer.status for answer in answers)
            assert statuses == [200, 302], (pair, statuses)
            loser = next(answer for answer in answers if answer.status == 200)
            assert "someone else changed this record" in loser.body
            winner = next(i for i, answer in enumerate(answers) if answer.status == 302)
            saved = deployment.shell(
                "from goals.models import Deliverable\n"
                "print(Deliverable.objects.get(initiative__plan__slug='2016-2025', code='8.1').title)"
            )
            assert saved == titles[winner]


def test_a_save_without_the_version_is_refused(deployment):
    path = f"/admin/goals/deliverable/{deployment.deliverable_pk('8.1')}/change/"
    with deployment.serve(workers=1) as server:
        staff = admin_session(server, deployment)
        values = form_values(staff.send("GET", path).body, "deliverable_form")
        values = [(k, v) for k, v in values if k not in ("title", "seen_version", "csrfmiddlewaretoken")]
        answer = staff.post(path, [*values, ("title", "Without a version")], expect=200)
        assert "did not say which version" in answer.body
