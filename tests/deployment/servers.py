"""Running the app as it is deployed, from the tests: a throwaway database, manage.py commands as
separate processes, gunicorn servers with production settings, and plain HTTP clients.

Each server writes an access log naming the worker (process id) that answered each request, so
a test can make sure every worker has answered.
"""

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OVERVIEW = "/"
ADMIN_USER, ADMIN_PASSWORD = "live-admin", secrets.token_urlsafe(16)


def suite_database_url():
    """The PostgreSQL server the suite runs on, if it does (the `make test` PostgreSQL run)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


@dataclass
class Response:
    status: int
    headers: dict
    body: str


def request(base, method, path, *, body=None, headers=None):
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        headers = {"Set-Cookie": []}
        for name, value in answer.getheaders():
            if name == "Set-Cookie":
                headers[name].append(value)
            else:
                headers[name] = value
        return Response(answer.status, headers, answer.read().decode("utf-8", "replace"))
    finally:
        connection.close()


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    access_log: Path

    def get(self, path, headers=None):
        return request(self.base, "GET", path, headers=headers)

    def workers_seen(self, since):
        """Process ids in the access log after byte offset ``since``, with how often each answered."""
        counts = {}
        with self.access_log.open() as log:
            log.seek(since)
            for line in log:
                pid = line.split(" ", 1)[0]
                counts[pid] = counts.get(pid, 0) + 1
        return counts


def burst(server, path, *, workers, each=2, rounds=15):
    """Concurrent requests for ``path`` until every one of ``workers`` worker processes has
    answered at least ``each`` of them; returns every response."""
    start = server.access_log.stat().st_size
    responses = []
    with ThreadPoolExecutor(max_workers=workers * 3) as pool:
        for _ in range(rounds):
            responses += pool.map(lambda _: server.get(path), range(workers * 4))
            time.sleep(0.05)  # let the access log catch up
            seen = server.workers_seen(start)
            if len(seen) >= workers and min(seen.values()) >= each:
                return responses
    raise AssertionError(f"Not every worker answered {path}: {server.workers_seen(start)}")


@dataclass
class Deployment:
    folder: Path
    env: dict
    database: str = ""  # a PostgreSQL database made for this deployment, dropped at the end
    servers: list = field(default_factory=list)

    @classmethod
    @contextmanager
    def create(cls, folder, postgresql=None):
        """A migrated database with the plan loaded, an admin account, collected static files."""
        base = suite_database_url()
        if postgresql and not base:
            import pytest

            pytest.skip("Runs in the PostgreSQL run of the suite (make test-postgres).")
        database = f"tracker_live_{uuid.uuid4().hex[:10]}" if base and postgresql is not False else ""
        if database:
            import psycopg

            with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{database}"')
            url = base.rsplit("/", 1)[0] + f"/{database}"
        else:
            url = f"sqlite:///{folder}/db.sqlite3"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "REDIS_URL"))},
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "DATABASE_URL": url,
            "VAR_DIR": str(folder),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        }
        deployment = cls(Path(folder), env, database)
        try:
            deployment.manage("migrate", "--noinput")
            deployment.manage("load_plan")
            deployment.manage("collectstatic", "--noinput")
            deployment.manage(
                "createsuperuser", "--noinput", "--username", ADMIN_USER, "--email", "live@example.org"
            )
            yield deployment
        finally:
            for server in deployment.servers:
                server.process.terminate()
            for server in deployment.servers:
                server.process.wait(timeout=20)
            if database:
                import psycopg

                with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def manage(self, *args):
        """Run a management command as its own process; returns what it printed."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def shell(self, code):
        return self.manage("shell", "--verbosity", "0", "-c", code).strip()

    def sql(self, statement):
        """A fix typed into a database shell: plain SQL on a connection of its own."""
        self.shell(f"from django.db import connection\nconnection.cursor().execute({statement!r})")

    def deliverable_pk(self, code):
        return int(self.shell(
            "from goals.models import Deliverable\n"
            f"print(Deliverable.objects.get(initiative__plan__slug='2016-2025', code={code!r}).pk)"
        ))  # fmt: skip

    def submitted_update(self, code, narrative):
        """An update submitted for review (by a focal point's hand, here a command): not public."""
        return int(self.shell(
            "import datetime\nfrom goals.models import Deliverable, ProgressUpdate\n"
            f"d = Deliverable.objects.get(initiative__plan__slug='2016-2025', code={code!r})\n"
            "u = ProgressUpdate.objects.create(deliverable=d, status='in_progress', percent_complete=70,"
            f" narrative={narrative!r}, reported_on=datetime.date(2026, 11, 1), review_state='draft',"
            " evidence_url='https://example.org/evidence')\n"
            "u.review_state = 'submitted'\nu.save()\nprint(u.pk)"
        ))  # fmt: skip

    def data_files_with(self, relative, old, new):
        """A copy of the plan's data files with one text replaced, for load_plan --data-dir."""
        target = self.folder / f"data-{uuid.uuid4().hex[:6]}"
        shutil.copytree(ROOT / "goals" / "data", target / "goals")
        shutil.copytree(ROOT / "partners" / "data", target / "partners")
        path = target / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return target

    @contextmanager
    def serve(self, *, workers, redis_url=""):
        """gunicorn as the README deploys it, on a free port, logging which worker answered."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = self.folder / f"access-{port}.log"
        log.touch()
        env = {**self.env, **({"REDIS_URL": redis_url} if redis_url else {})}
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
             str(workers), "--access-logfile", str(log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
             "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        server = Server(f"http://127.0.0.1:{port}", process, log)
        self.servers.append(server)
        for _ in range(100):
            try:
                if server.get("/healthz/alive").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start")
        try:
            yield server
        finally:
            process.terminate()
            process.wait(timeout=20)
            self.servers.remove(server)


class FormFields(HTMLParser):
    """The values a browser would send for the form with ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image") or (
                kind in ("checkbox", "radio") and "checked" not in attrs
            ):
                return
            self.values.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.values.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_values(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.values


class AdminSession:
    """A signed-in secretariat browser, reduced to cookies and forms."""

    def __init__(self, server, deployment):
        self.server, self.deployment, self.cookies = server, deployment, {}

    def send(self, method, path, body=None, content_type=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        response = request(self.server.base, method, path, body=body, headers=headers)
        for cookie in response.headers["Set-Cookie"]:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response

    def post(self, path, values, expect=302):
        values = [*values, ("csrfmiddlewaretoken", self.cookies["csrftoken"])]
        response = self.send(
            "POST", path, urllib.parse.urlencode(values), "application/x-www-form-urlencoded"
        )
        assert expect is None or response.status == expect, (path, response.status, response.body[:2000])
        return response

    def sign_in(self):
        self.send("GET", "/admin/login/")
        self.post("/admin/login/?next=/admin/", [("username", ADMIN_USER), ("password", ADMIN_PASSWORD),
                                                  ("next", "/admin/")])  # fmt: skip
        return self

    def change_deliverable(self, code, **changes):
        """Open a deliverable's change form, change fields and save it, as staff would."""
        path = f"/admin/goals/deliverable/{self.deployment.deliverable_pk(code)}/change/"
        shown = form_values(self.send("GET", path).body, "deliverable_form")
        values = [
            (name, value) for name, value in shown if name not in changes and name != "csrfmiddlewaretoken"
        ]
        self.post(path, [*values, *changes.items(), ("_save", "Save")])

    def import_deliverables(self, text):
        """Upload a deliverables CSV on the import page, then confirm its preview."""
        path = "/admin/goals/deliverable/import/"
        self.send("GET", path)
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.cookies['csrftoken']}\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="deliverables.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n{text}\r\n--{boundary}--\r\n"
        ).encode()
        preview = self.send("POST", path, body, f"multipart/form-data; boundary={boundary}")
        assert preview.status == 200, preview.body[:2000]
        confirm = re.search(r'name="confirm" value="([^"]+)"', preview.body)
        assert confirm, re.findall(r"<li[^>]*>[^<]*</li>", preview.body)[:10]
        self.post(path, [("confirm", confirm.group(1))])

    def approve(self, pk):
        """The changelist's bulk "approve" action."""
        action = [("action", "approve_selected"), ("_selected_action", str(pk)), ("index", "0")]
        self.post("/admin/goals/progressupdate/", action)


def admin_session(server, deployment):
    return AdminSession(server, deployment).sign_in()
