"""Lighthouse (scripts/lighthouse, run in the system's Chromium with its default mobile
emulation) on the page types visitors land on: accessibility, best practices and SEO at 100,
performance at least 95 (the median of three runs when the first falls short). The reports are
kept in test-artifacts/lighthouse/ for review."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "test-artifacts" / "lighthouse"
PAGES = {
    "overview": "/plans/2016-2025/",
    "goal": "/plans/2016-2025/goals/1/",
    "scorecard": "/plans/2016-2025/scorecard/",
    "explorer": "/explore/deliverables/?plan=2016-2025&goal=2",
}
FLOORS = {"accessibility": 1.0, "best-practices": 1.0, "seo": 1.0, "performance": 0.95}


def lighthouse(url, name):
    if not (CHROMIUM and LIGHTHOUSE.exists()):
        if os.environ.get("CI") == "true":
            pytest.fail("Lighthouse and Chromium are required in CI (scripts/lighthouse-for-tests).")
        pytest.skip("Lighthouse is not installed (scripts/lighthouse-for-tests)")
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{name}.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-background-networking",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for attempt in (1, 2):
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        # Lighthouse asks to be run again when it failed to record the page load's trace (e.g.
        # NO_NAVSTART on a busy machine): once more, then the error stands. A low score is not such a
        # failure (performance is judged by a median of runs, in the test).
        if run.returncode == 0 or attempt == 2 or "Please run Lighthouse again" not in run.stderr:
            break
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(report.read_text())


def failing_audits(result, category):
    refs = result["categories"][category]["auditRefs"]
    audits = (result["audits"][ref["id"]] for ref in refs if ref["weight"] > 0)
    found = []
    for audit in audits:
        if audit["score"] is not None and audit["score"] < 1:
            items = audit.get("details", {}).get("items", [])[:3]
            found.append((audit["id"], [item.get("description") or item.get("url") for item in items]))
    return found


def performance_median(site, path, name, first):
    """The median performance of three runs: the first and two more. Performance is timed, so it
    varies from run to run on a busy machine (the other test processes share its cores), and
    Lighthouse's own advice is to judge it by the median of several runs. The other categories
    are checks of the page, the same in every run, and are taken from the first."""
    runs = [first] + [lighthouse(site + path, f"{name}-{n}") for n in (2, 3)]
    return sorted(run["categories"]["performance"]["score"] for run in runs)[1]


@pytest.mark.parametrize(("name", "path"), PAGES.items())
def test_lighthouse_scores(site, name, path):
    result = lighthouse(site + path, name)
    scores = {category: result["categories"][category]["score"] for category in FLOORS}
    if scores["performance"] < FLOORS["performance"]:
        scores["performance"] = performance_median(site, path, name, result)
    below = {
        category: (score, failing_audits(result, category))
        for category, score in scores.items()
        if score < FLOORS[category]
    }
    assert not below, f"{path}: {below}"
