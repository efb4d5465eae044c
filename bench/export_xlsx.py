"""Benchmark: download N synthetic progress updates as an Excel workbook through the real view.

Runs against a throwaway SQLite database in a temporary folder, like the CSV benchmark (whose
data it reuses), and compares the two in one run: seconds, rows per second and the peak memory
growth of each, for the same rows. The workbook is written row by row to a temporary file, so
its memory should stay flat however many rows; the results go to bench-results/xlsx.json.

    python bench/export_xlsx.py --rows 100000
"""

import argparse
import time
import tracemalloc

from export_csv import seed
from throwaway import report, throwaway_django

URL = "/explore/updates/?plan=bench&format="


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with throwaway_django():
        seed(args.rows)
        result = measure(args.rows)
    report("xlsx", result)


def fetch(client, format):
    """Download the file and read it through, keeping nothing; its size in bytes."""
    response = client.get(URL + format)
    assert response.status_code == 200, response.status_code
    return sum(len(chunk) for chunk in response.streaming_content)


def timed(client, format):
    """One timed pass (no tracing, which slows Python down), then one with memory tracing."""
    start = time.perf_counter()
    size = fetch(client, format)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    fetch(client, format)
    peak = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()
    return size, seconds, peak / 1024 / 1024


def measure(rows):
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    xlsx_bytes, xlsx_seconds, xlsx_peak = timed(client, "xlsx")
    csv_bytes, csv_seconds, csv_peak = timed(client, "csv")
    return {
        "rows": rows,
        "xlsx_bytes": xlsx_bytes,
        "xlsx_seconds": round(xlsx_seconds, 2),
        "xlsx_rows_per_second": round(rows / xlsx_seconds),
        "xlsx_peak_memory_growth_mb": round(xlsx_peak, 1),
        "csv_bytes": csv_bytes,
        "csv_seconds": round(csv_seconds, 2),
        "csv_peak_memory_growth_mb": round(csv_peak, 1),
        "xlsx_time_over_csv_time": round(xlsx_seconds / csv_seconds, 1),
    }


if __name__ == "__main__":
    main()
