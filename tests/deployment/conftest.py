"""The deployment tests start the app as deployed (gunicorn, production settings) in separate
processes on throwaway databases; they use no test database of their own."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis (scripts/redis-for-tests); mandatory with CI=true, else skipped when missing."""
    url = (
        os.environ.get("TEST_REDIS_URL")
        or subprocess.run(
            [str(ROOT / "scripts/redis-for-tests")], capture_output=True, text=True
        ).stdout.strip()
    )
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is required for the deployment tests in CI (Debian package redis-server).")
        pytest.skip("Redis is not available (Debian package redis-server)")
    return url
