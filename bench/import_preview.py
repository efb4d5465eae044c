"""Benchmark: preview a progress-update import of N rows through the real admin page.

Runs against a throwaway SQLite database in a temporary folder holding the real plan data, so
it never touches the local data. A focal point of the Philippine office uploads N valid rows
(all new) and the page checks and lists every one; the whole request is timed, page included
(goal: 10,000 rows within the 30 seconds a request may take). Prints seconds, rows per second
and the SQL queries, and writes them to bench-results/import_preview.json.

    python bench/import_preview.py --rows 10000
"""

import argparse
import datetime
import io
import sys
import time

from throwaway import report, throwaway_django

GOAL_SECONDS = 30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with throwaway_django():
        from django.core.management import call_command

        call_command("load_plan", stdout=io.StringIO())
        user, text = seed(args.rows)
        result = measure(user, text, args.rows)
    report("import_preview", result)


def seed(rows):
    """An open round, a focal point of the Philippine office, and a file of ``rows`` new reports
    on the rows that office reports on, each on its own date."""
    from django.contrib.auth.models import Group

    from goals.access import reporting_of
    from goals.models import ActionPlan, Body, Deliverable, MemberState, ReportingRound
    from tracker.core import roles
    from tracker.core.csvsafe import csv_lines
    from tracker.core.models import StaffAccess

    plan = ActionPlan.objects.get(slug="2016-2025")
    ReportingRound.objects.create(
        plan=plan, name="Benchmark round", opens_on=datetime.date(2026, 11, 1),
        closes_on=datetime.date(2026, 12, 15), state=ReportingRound.State.OPEN,
    )  # fmt: skip
    roles.ensure_roles()
    user = Group.objects.get(name=roles.FOCAL_POINT).user_set.create(
        username="bench-ph", email="bench@example.org", is_staff=True
    )
    StaffAccess.objects.create(user=user).bodies.set(Body.objects.filter(slug="ipophl"))
    reporting = reporting_of(user)
    philippines = MemberState.objects.get(iso_code="PH")
    ours = Deliverable.objects.filter(pk__in=reporting.deliverables, initiative__plan=plan).order_by("pk")
    targets = [
        (d, philippines.iso_code if d.per_member_state else "")
        for d in ours
        if reporting.allows(d, philippines.pk if d.per_member_state else None)
    ]
    start = datetime.date(2000, 1, 1)
    header = ["plan", "deliverable_code", "member_state", "status", "percent_complete", "reported_on",
              "reporting_round", "narrative", "evidence_url", "provisional"]  # fmt: skip

    def row(n):
        deliverable, state = targets[n % len(targets)]
        on = start + datetime.timedelta(days=n)
        return ["2016-2025", deliverable.code, state, "in_progress", n % 100, on, "Benchmark round",
                f"Benchmark row {n}", "https://example.org/evidence", False]  # fmt: skip

    return user, "".join(csv_lines(header, (row(n) for n in range(rows))))


def measure(user, text, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    client.force_login(user)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    upload = SimpleUploadedFile("rows.csv", text.encode())
    start = time.perf_counter()
    with connection.execute_wrapper(count):
        response = client.post("/admin/goals/progressupdate/import/", {"file": upload})
    elapsed = time.perf_counter() - start
    results = response.context["results"] if response.context else []
    if response.status_code != 200 or len(results) != rows or not response.context.get("confirm"):
        sys.exit(f"The preview did not check every row as valid: {response.status_code}, {results[:3]}")
    return {
        "rows": rows,
        "seconds": round(elapsed, 2),
        "rows_per_second": round(rows / elapsed),
        "goal_seconds": GOAL_SECONDS,
        "within_goal": elapsed < GOAL_SECONDS,
        "sql_queries": len(queries),
        "page_bytes": len(response.content),
    }


if __name__ == "__main__":
    main()
