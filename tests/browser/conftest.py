"""Browser tests: Playwright for Python driving the system's Chromium (no browser download).

`make test` installs Debian's `chromium` when it is missing (see scripts/chromium-for-tests).
Without a Chromium the tests are skipped, except with CI=true, where they fail.
"""

import io
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are plain synchronous calls, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "Chromium is required for the browser tests in CI; install the Debian package chromium."
            )
        pytest.skip("Chromium is not installed (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # axe-core is injected into the page, which the site's Content Security Policy forbids;
    # test_content_security_policy_holds checks the policy without this bypass.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


_loaded = {}  # this test process's copy of the database just after the first load


@pytest.fixture
def site(live_server):
    """The live server, with the real plan and the sample rounds (and their dataset releases) loaded.

    Each test starts from the same freshly loaded data. Loading takes seconds; on SQLite (where
    the browser tests run) the first load is copied aside with SQLite's backup API and copied
    back for each later test, which takes milliseconds."""
    from django.db import connection

    from tracker.core.roles import ensure_roles

    connection.ensure_connection()
    if connection.vendor != "sqlite":
        call_command("load_plan", "--sample", stdout=io.StringIO())
        call_command("publish_releases", stdout=io.StringIO())
        ensure_roles()
    elif "copy" in _loaded:
        _loaded["copy"].backup(connection.connection)
    else:
        call_command("load_plan", "--sample", stdout=io.StringIO())
        call_command("publish_releases", stdout=io.StringIO())  # the sample rounds' dataset releases
        ensure_roles()  # a transactional test before may have emptied the database, roles and all
        _loaded["copy"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_loaded["copy"])
    return live_server.url


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
