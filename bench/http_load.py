"""HTTP benchmark: the app as deployed (gunicorn, production settings) under wrk.

Builds a throwaway database (PostgreSQL when a local server is available, else SQLite) with
the real plan and its sample reporting rounds, grown to 20 times its deliverables
(seed_synthetic), starts gunicorn, and drives each target with wrk. Prints requests per second
and p50/p95/p99 latency, with each figure as a ratio to the static file and to the minimal
Django view, and the CPU time the workers spent per request ("CPU ms": the measure to compare two
versions of the code by, as other load on the machine hardly moves it), and writes
bench-results/http.json.

    python bench/http_load.py [--seconds 10] [--connections 16]
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765


def targets(static_path):
    return [
        ("static file (whitenoise)", static_path, False),
        ("minimal Django view", "/healthz/alive", False),
        ("overview, cached", "/", False),
        ("overview, uncached", "/", True),
        ("initiative page, cached", "/plans/2016-2025/initiatives/5/", False),
        ("initiative page, uncached", "/plans/2016-2025/initiatives/5/", True),
        ("initiative page in Bahasa Indonesia, cached", "/id/plans/2016-2025/initiatives/5/", False),
        ("initiative page in Bahasa Indonesia, uncached", "/id/plans/2016-2025/initiatives/5/", True),
        ("plan page with its completion forecasts, uncached", "/plans/2016-2025/", True),
        ("deliverable page with its forecast, uncached", "/plans/2016-2025/initiatives/5/5.1/", True),
        ("comparison of two rounds, cached", "/plans/2016-2025/compare/", False),
        ("comparison of two rounds, uncached", "/plans/2016-2025/compare/", True),
        ("plan lineage page, cached", "/plans/2016-2025/lineage/", False),
        ("plan lineage page, uncached", "/plans/2016-2025/lineage/", True),
        ("indicator list, cached", "/plans/2016-2025/indicators/", False),
        ("indicator list, uncached", "/plans/2016-2025/indicators/", True),
        (
            "indicator page, cached",
            "/plans/2016-2025/indicators/member-states-party-to-the-madrid-protocol/",
            False,
        ),
        (
            "indicator page, uncached",
            "/plans/2016-2025/indicators/member-states-party-to-the-madrid-protocol/",
            True,
        ),
        ("explorer with filters, cached", "/explore/deliverables/?goal=1&kind=output", False),
        ("explorer with filters, uncached", "/explore/deliverables/?goal=1&kind=output", True),
        ("CSV export, cached", "/explore/deliverables/?format=csv", False),
        ("CSV export, uncached (streamed)", "/explore/deliverables/?format=csv", True),
        # A PDF document (the plan data holds no published round, so no meeting pack to time).
        ("Article 67 report PDF, cached", "/partners/euipo/article-67/2019/?format=pdf", False),
        ("Article 67 report PDF, uncached", "/partners/euipo/article-67/2019/?format=pdf", True),
    ]


def database_url():
    """A fresh PostgreSQL database when a server is available, else '' (SQLite)."""
    try:
        base = subprocess.run(
            [str(ROOT / "scripts/postgres-for-tests")], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    if not base:
        return ""
    import psycopg

    name = f"tracker_bench_{os.getpid()}"
    with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}"


def analyze(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def drop_database(url):
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--only", default="", help="run only the targets whose label contains this")
    parser.add_argument(
        "--changes", type=int, default=30, help="data changes timed for the first request after"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian package wrk; `make bench` installs it when run as root).")
    folder = tempfile.mkdtemp(prefix="tracker-bench-")
    db_url = database_url()
    env = {
        **os.environ,
        "VAR_DIR": folder,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": db_url,
    }
    if not db_url:
        env.pop("DATABASE_URL")
    manage = [PYTHON, str(ROOT / "manage.py")]
    server = None
    try:
        # The sample rounds give the comparison published rounds to compare.
        for step in (["migrate", "--noinput"], ["load_plan", "--sample"], ["seed_synthetic", "--scale", "20"],
                     ["collectstatic", "--noinput"]):  # fmt: skip
            subprocess.run([*manage, *step, "-v0"], env=env, check=True, cwd=ROOT, capture_output=True)
        if db_url:
            analyze(db_url)  # as autovacuum would soon after a bulk load
        manifest = json.loads((Path(folder) / "static/staticfiles.json").read_text())
        static_path = "/static/" + manifest["paths"]["css/site.css"]
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "tracker.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers",
             str(args.workers), "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        wait_until_up(f"http://127.0.0.1:{PORT}/healthz")
        results = []
        for label, path, bust in targets(static_path):
            if args.only and args.only not in label and not label.startswith(("static", "minimal")):
                continue
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}").read()  # warm the cache
            cpu_before = workers_cpu_seconds(server.pid)
            result = run_wrk(path, bust, args)
            result["cpu_ms"] = round(
                (workers_cpu_seconds(server.pid) - cpu_before) * 1000 / result["requests"], 2
            )
            results.append({"target": label, "path": path, **result})
        if not args.only or args.only in FIRST_AFTER_CHANGE:
            first = first_after_change(db_url or str(Path(folder) / "db.sqlite3"), "/", args.changes)
            results.append({"target": FIRST_AFTER_CHANGE, "path": "/", **first})
    finally:
        if server:
            server.terminate()
            server.wait(timeout=20)
        if db_url:
            drop_database(db_url)
        shutil.rmtree(folder, ignore_errors=True)
    static = next(r for r in results if r["target"].startswith("static"))["rps"]
    minimal = next(r for r in results if r["target"].startswith("minimal"))["rps"]
    for result in results:
        result["ratio_to_static"] = round(result["rps"] / static, 3)
        result["ratio_to_minimal_view"] = round(result["rps"] / minimal, 3)
    report = {
        "database": "PostgreSQL" if db_url else "SQLite",
        "workers": args.workers,
        "connections": args.connections,
        "seconds_per_target": args.seconds,
        "machine": f"{os.cpu_count()} cores",
        "results": results,
    }
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "http.json").write_text(json.dumps(report, indent=2))
    columns = ["req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "÷static", "÷minimal", "CPU ms"]
    print(f"{'target':40}" + "".join(f"{column:>9}" for column in columns))
    for r in results:
        figures = [r["rps"], r["p50_ms"], r["p95_ms"], r["p99_ms"], r["errors"]]
        figures += [r["ratio_to_static"], r["ratio_to_minimal_view"], r.get("cpu_ms", float("nan"))]
        print(f"{r['target']:40}" + "".join(f"{figure:9.2f}" for figure in figures))
    setup = f"{report['database']}, {args.workers} gunicorn workers, {args.connections} connections"
    print(f"({setup}, {report['machine']})")


FIRST_AFTER_CHANGE = "overview, first request after a data change"


def first_after_change(database, path, changes):
    """Time the first request for ``path`` after each of ``changes`` data changes, made from
    this process as any other process would (an UPDATE the database's triggers see): once the
    worker has seen the new data version, the page cache misses and the worker reloads the
    plan's data before rendering."""
    if database.startswith("postgres"):
        import psycopg

        connection = psycopg.connect(database, autocommit=True)
    else:
        import sqlite3

        connection = sqlite3.connect(database, isolation_level=None)
    change = "UPDATE goals_deliverable SET title = title WHERE id = (SELECT min(id) FROM goals_deliverable)"
    timings = []
    try:
        for _ in range(changes):
            connection.execute(change)
            time.sleep(1.1)  # each worker reads the data version at most once a second (DATA_VERSION_MAX_AGE)
            start = time.perf_counter()
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}") as response:
                response.read()
                assert response.headers.get("X-Cache") != "hit"
            timings.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()
    timings.sort()
    return {
        "requests": changes,
        "rps": round(1000 / (sum(timings) / len(timings)), 1),
        "p50_ms": round(timings[len(timings) // 2], 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "p99_ms": round(timings[-1], 1),
        "max_ms": round(timings[-1], 1),
        "errors": 0,
        "goal_max_ms": 300,
    }


def workers_cpu_seconds(master_pid):
    """CPU time (user and system) the server's worker processes have used so far. Divided by the
    requests served, it is the work one request costs, which other load on the machine barely
    changes (unlike requests per second): the figure to compare two versions of the code by."""
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    ticks = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a worker that has just been replaced
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_until_up(url):
    for _ in range(100):
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("The server did not start.")


def run_wrk(path, bust, args):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(ROOT / "bench/report.lua"),
         f"http://127.0.0.1:{PORT}{path}"],
        env={**os.environ, "BENCH_BUST": "1" if bust else "0"}, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(line for line in output.splitlines() if line.startswith("JSON "))
    return json.loads(line[5:])


if __name__ == "__main__":
    main()
