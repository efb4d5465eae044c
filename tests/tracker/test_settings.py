"""Settings come from the environment; production refuses to start without real secrets."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts Python with settings of its own: the suite's database plays no part.
pytestmark = pytest.mark.own_database

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "a-real-secret-key-that-is-long-enough-for-production-use"


def start(tmp_path, **env):
    """Load the settings in a fresh interpreter with only the given environment."""
    base = {
        "PATH": os.environ["PATH"],
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(s.DEBUG, d['ENGINE'], d.get('CONN_HEALTH_CHECKS', False))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_no_environment_means_local_debug_on_sqlite(tmp_path):
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["True", "django.db.backends.sqlite3"]


def test_database_url_switches_to_postgresql_and_turns_debug_off(tmp_path):
    result = start(
        tmp_path,
        DATABASE_URL="postgres://u:p@db.example:5432/tracker",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="x.org",
    )
    assert result.returncode == 0, result.stderr
    # Kept connections are checked before reuse: the first request after a restart succeeds.
    assert result.stdout.split() == ["False", "django.db.backends.postgresql", "True"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "x.org"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": "x.org", "SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS must list"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_production_refuses_to_start_without_real_settings(tmp_path, env, message):
    result = start(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def read_settings(tmp_path, names, **env):
    """The named settings as a fresh interpreter reads them from ``env``."""
    base = {
        "PATH": os.environ["PATH"],
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    code = "import json; from django.conf import settings as s; "
    code += f"print(json.dumps([getattr(s, name) for name in {names!r}]))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


PUBLIC_IDENTITY = ["SITE_PUBLISHER", "SITE_CONTACT_EMAIL", "SITE_URL", "SITE_SOURCE_URL", "SITE_CODE_LICENCE"]


def test_the_publisher_and_contact_have_defaults_until_set(tmp_path):
    assert read_settings(tmp_path, PUBLIC_IDENTITY) == [
        "Secretariat of the ASEAN Working Group on Intellectual Property Cooperation (AWGIPC)",
        "tracker-feedback@example.org",
        "http://127.0.0.1:8000",
        "",
        "",
    ]


def test_the_environment_sets_the_publisher_contact_and_code(tmp_path):
    env = {
        "SITE_PUBLISHER": "IP Office of Somewhere",
        "SITE_CONTACT_EMAIL": " tracker@ipo.example.org ",
        "SITE_URL": "https://ipr-tracker.example.org/",
        "SITE_SOURCE_URL": "https://code.example.org/tracker",
        "SITE_CODE_LICENCE": "EUPL-1.2",
    }
    assert read_settings(tmp_path, PUBLIC_IDENTITY, **env) == [
        "IP Office of Somewhere",
        "tracker@ipo.example.org",
        "https://ipr-tracker.example.org",
        "https://code.example.org/tracker",
        "EUPL-1.2",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SITE_CONTACT_EMAIL": "not an address"}, "SITE_CONTACT_EMAIL must be an e-mail address"),
        ({"SITE_PUBLISHER": "  "}, "SITE_PUBLISHER must name who publishes the tracker"),
        ({"SITE_URL": "ipr-tracker.example.org"}, "SITE_URL must start with http:// or https://"),
        ({"SITE_SOURCE_URL": "code.example.org"}, "SITE_SOURCE_URL must start with http:// or https://"),
    ],
)
def test_a_malformed_public_setting_stops_the_start(tmp_path, env, message):
    result = start(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_translations_reviewed_names_shipped_languages_only(tmp_path):
    """TRANSLATIONS_REVIEWED lists the languages a native speaker has reviewed; a code the site
    does not ship stops it at start, with the reason."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; print(s.TRANSLATIONS_REVIEWED)"
    )
    base = {
        "PATH": os.environ["PATH"],
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }
    run = lambda **env: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )
    assert run().stdout.strip() == "{'id': False, 'vi': False}"
    assert run(TRANSLATIONS_REVIEWED="id").stdout.strip() == "{'id': True, 'vi': False}"
    refused = run(TRANSLATIONS_REVIEWED="id,fr")
    assert refused.returncode != 0
    assert "TRANSLATIONS_REVIEWED lists languages the site does not ship: fr." in refused.stderr
