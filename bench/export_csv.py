"""Benchmark: stream a CSV export of N synthetic progress updates through the real view.

Runs against a throwaway SQLite database in a temporary folder, so it never touches the
local data. Prints rows per second and the peak memory growth while streaming (goal: under
50 MB for a million rows), and writes them to bench-results/export.json.

    python bench/export_csv.py --rows 1000000
"""

import argparse
import datetime
import sys
import time
import tracemalloc

from throwaway import report, throwaway_django


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with throwaway_django():
        deliverable = seed(args.rows)
        result = measure(deliverable, args.rows)
    report("export", result)


def seed(rows):
    """One plan, one deliverable and ``rows`` approved updates, inserted in batches."""
    from goals.models import ActionPlan, Deliverable, Initiative, ProgressUpdate, StrategicGoal

    plan = ActionPlan.objects.create(title="Benchmark plan", slug="bench", start_year=2016, end_year=2025)
    goal = StrategicGoal.objects.create(plan=plan, number=1, title="Goal")
    initiative = Initiative.objects.create(goal=goal, number=1, title="Initiative")
    deliverable = Deliverable.objects.create(initiative=initiative, code="1.1", title="Deliverable")
    start = time.perf_counter()
    batch = 20_000
    for first in range(0, rows, batch):
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                deliverable=deliverable,
                status="in_progress",
                percent_complete=n % 100,
                reported_on=datetime.date(2016, 1, 1) + datetime.timedelta(days=n % 3650),
                narrative=f"Synthetic update {n} with a =formula-looking tail"
                if n % 7 == 0
                else f"Synthetic {n}",
                evidence_url="https://example.org/evidence",
                review_state="approved",
            )
            for n in range(first, min(first + batch, rows))
        )
    print(f"seeded {rows} rows in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return deliverable


def stream(client):
    """Fetch the export and consume it chunk by chunk, as a slow client would; keeps nothing."""
    response = client.get("/explore/updates/?plan=bench&format=csv")
    assert response.status_code == 200, response.status_code
    lines = size = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:  # small: whole
        lines += chunk.count(b"\r\n")  # the synthetic narratives hold no line breaks
        size += len(chunk)
    return lines, size


def measure(deliverable, rows):
    """Two passes: one timed (no tracing, which slows Python down), one with memory tracing."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    start = time.perf_counter()
    with connection.execute_wrapper(count):
        lines, size = stream(client)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    stream(client)
    peak = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()
    return {
        "rows": rows,
        "csv_lines_including_header": lines,
        "bytes": size,
        "seconds": round(elapsed, 2),
        "rows_per_second": round(rows / elapsed),
        "peak_memory_growth_mb": round(peak / 1024 / 1024, 1),
        "goal_peak_memory_growth_mb": 50,
        "sql_queries": len(queries),
    }


if __name__ == "__main__":
    main()
