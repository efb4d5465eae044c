"""``check --deploy`` warns of a site about to go public with local or placeholder addresses."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test runs the checks in a process with a database of its own.
pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-real-secret-key-that-is-long-enough-for-production-use-0123456789",
    "ALLOWED_HOSTS": "tracker.example.org",
}


def check_deploy(tmp_path, **env):
    env = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), **PRODUCTION, **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip


def test_warns_of_the_local_site_address_and_the_placeholder_contact(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "(tracker.W001) SITE_URL is still the local address http://127.0.0.1:8000." in output
    assert (
        "(tracker.W002) SITE_CONTACT_EMAIL is still the placeholder tracker-feedback@example.org." in output
    )


def test_quiet_once_both_are_set(tmp_path):
    result = check_deploy(
        tmp_path, SITE_URL="https://tracker.example.org", SITE_CONTACT_EMAIL="tracker@ipo.example.org"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tracker.W00" not in result.stdout + result.stderr
