"""Issue 10 acceptance: dangvu deployed as it is in production, on this machine — two gunicorn processes,
one worker process, PostgreSQL and Redis — driven from outside over HTTP.

1. Log in through the first process; the session (in Redis) works on the second.
2. An import uploaded through the first process is checked and applied by the worker; its progress is seen
   through the second process while it runs.
3. The worker is killed (SIGKILL) in the middle of the apply: nothing is half-written; a new worker notices
   the dead one's silence, runs the task again and the import completes once.
4. A meeting notice queued while the mail server refuses connections is delivered once a local SMTP sink
   accepts them, exactly once.

It creates its own database next to the PostgreSQL test database (or DANGVU_TEST_POSTGRES_URL) and uses
Redis database DANGVU_TEST_REDIS_URL (default 15), whichever database the rest of the run uses. test.sh
runs it once (marker `topology`), with Redis started by scripts/redis-up.sh.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.topology

ROWS = 8_000
TIMEOUT = 90  # seconds for any one wait
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "Mat-khau-kiem-thu-2026"

SEED = """
from dangvu import testing
tree = testing.make_tree()
cast = testing.make_cast(tree, testing.member(tree.c1, "Nguyễn Văn An"))
cast.office.set_password({password!r}); cast.office.save()
cast.member.email = "an@example.vn"; cast.member.save()
print(tree.a.pk)
"""
# Planned after the workers started (their first schedule tick has passed), so that the notice is queued
# by the command, at a known moment.
MEETING = """
import datetime as dt
from django.utils import timezone
from dangvu.accounts.models import User
from dangvu.meetings import services
from dangvu.orgs.models import Organisation
services.create_meeting(Organisation.objects.get(code="A1-C1"), User.objects.get(username="secretary"),
    kind="regular", starts_at=timezone.now() + dt.timedelta(days=3), place="Phòng họp số 2")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_base() -> str:
    url = os.environ.get("DANGVU_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url.replace("postgresql://", "postgres://", 1)


def _wait(predicate, what: str, timeout: float = TIMEOUT, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


class Browser:
    """A cookie-keeping HTTP client for one user, pointed at either process."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf(self, url: str) -> str:
        _status, _headers, body = self.request(url)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def post(self, url: str, fields: dict, files: dict | None = None, page: str | None = None):
        """POST a form with the CSRF token of `page` (default: the form's own address)."""
        fields = {"csrfmiddlewaretoken": self.csrf(page or url), **fields}
        headers = {"Referer": url}
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: text/csv\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(url, body, headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Deployment:
    def __init__(self, tmp: Path):
        base = _postgres_base()
        self.admin_url = base.replace("postgres://", "postgresql://", 1)
        name = f"{urllib.parse.urlparse(base).path.lstrip('/') or 'postgres'}_topology"
        self.db_name = name
        self.database_url = base.rsplit("/", 1)[0] + "/" + name
        self.redis_url = os.environ.get("DANGVU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
        self.smtp_port = _free_port()
        self.ports = [_free_port(), _free_port()]
        self.tmp = tmp
        self.processes: list[subprocess.Popen] = []
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "DANGVU_DATA_DIR": str(tmp / "data"),
            "SECRET_KEY": "topology-test-key-" + "x" * 40,
            "DEBUG": "0",
            "DANGVU_HTTPS": "0",
            "DANGVU_TWO_FACTOR": "0",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "0",
            "DANGVU_TASK_BACKOFF_SECONDS": "1",
            "DANGVU_WORKER_HEARTBEAT_SECONDS": "1",
            "DANGVU_WORKER_DEAD_AFTER_SECONDS": "3",
            "DANGVU_SITE_URL": "http://127.0.0.1",
        }
        (tmp / "data" / "static").mkdir(parents=True)

    def sql(self, query: str, *params):
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def create(self) -> None:
        """A fresh database, copied from a migrated template that is rebuilt only when the migrations change
        (migrating takes most of a minute on a loaded machine)."""
        import hashlib

        import redis

        digest = hashlib.sha256()
        for path in sorted(ROOT.glob("dangvu/*/migrations/*.py")) + [ROOT / "requirements.lock"]:
            digest.update(path.read_bytes())
        template = f"{self.db_name}_tpl_{digest.hexdigest()[:10]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            names = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
            if template not in names:
                for stale in names:
                    if stale.startswith(f"{self.db_name}_tpl_"):
                        conn.execute(f'DROP DATABASE "{stale}" WITH (FORCE)')
                conn.execute(f'DROP DATABASE IF EXISTS "{template}_building" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{template}_building"')
                building = self.database_url.rsplit("/", 1)[0] + f"/{template}_building"
                self.run("migrate", "--noinput", "-v0", env={"DATABASE_URL": building})
                conn.execute(f'ALTER DATABASE "{template}_building" RENAME TO "{template}"')
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.db_name}" TEMPLATE "{template}"')
        redis.Redis.from_url(self.redis_url).flushdb()

    def drop(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def run(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(
            [str(BIN / "dangvu"), *args], env={**self.env, **(env or {})}, capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        process.log_name = name
        self.processes.append(process)
        return process

    def web(self, index: int) -> subprocess.Popen:
        return self.start(
            f"web{index}",
            str(BIN / "gunicorn"),
            "dangvu.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.ports[index]}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--no-control-socket",
        )

    def worker(self, name: str) -> subprocess.Popen:
        return self.start(name, str(BIN / "dangvu"), "worker", "--name", name, "--interval", "0.2")

    def url(self, index: int, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[index]}{path}"

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.log_name}\n" + (self.tmp / f"{p.log_name}.log").read_text(errors="replace")[-3000:]
            for p in self.processes
        )


@pytest.fixture
def deployment(tmp_path):
    deployment = Deployment(tmp_path)
    deployment.create()
    try:
        yield deployment
    except BaseException:
        print(deployment.logs())
        raise
    finally:
        deployment.stop_all()
        deployment.drop()


def _progress(browser: Browser, deployment: Deployment, index: int, job: int) -> tuple[int, int, str]:
    status, _headers, body = browser.request(deployment.url(index, f"/imports/{job}/progress/"))
    assert status == 200, body[:500]
    done, total = (int(x) for x in re.search(r'<progress value="(\d+)" max="(\d+)"', body).groups())
    return done, total, body


def _import_csv(rows: int) -> bytes:
    from dangvu.imports.tests import factories

    # Into the second cell: the meeting of step 4 is the first cell's, with a handful of invitations.
    return factories.csv_bytes(factories.rows(rows, **{"Mã chi bộ*": "A1-C2"}))


def test_two_web_processes_one_worker_postgresql_and_redis(deployment):
    started = time.monotonic()
    organisation = deployment.run("shell", "-c", SEED.format(password=PASSWORD)).strip().splitlines()[-1]
    print(f"topology: database ready and seeded in {time.monotonic() - started:.1f} s")
    deployment.web(0), deployment.web(1)
    worker = deployment.worker("worker1")
    for index in (0, 1):
        _wait(lambda i=index: _health(deployment, i), f"web process {index}")

    lap = _Laps(started)
    lap("three processes up")
    # 1. One log-in, both processes: the session lives in Redis.
    browser = Browser()
    status, headers, _ = browser.post(
        deployment.url(0, "/accounts/login/"), {"username": "office", "password": PASSWORD}
    )
    assert status == 302, headers
    assert browser.request(deployment.url(1, "/imports/"))[0] == 200

    # 2. The import: uploaded through the first process, checked by the worker, progress through the second.
    before = deployment.sql("SELECT count(*) FROM members_member")[0][0]
    status, headers, body = browser.post(
        deployment.url(0, "/imports/"), {"organisation": organisation}, {"file": ("big.csv", _import_csv(ROWS))}
    )
    assert status == 302, body[:2000]
    job = int(headers["Location"].rstrip("/").split("/")[-1])
    seen: set[int] = set()

    def checked():
        done, total, body = _progress(browser, deployment, 1, job)
        seen.add(done)
        return "hx-trigger" not in body  # no longer polling: the check is over

    _wait(checked, "the dry run", every=0.05)
    status = deployment.sql("SELECT status, total_rows FROM imports_importjob WHERE id = %s", job)[0]
    assert status == ("validated", ROWS), status
    assert any(0 < d < ROWS for d in seen), f"no intermediate progress seen through the second process: {seen}"

    lap("dry run")
    # 3. Apply through the first process; kill the worker in the middle of it.
    apply = browser.post(deployment.url(0, f"/imports/{job}/apply/"), {}, page=deployment.url(0, f"/imports/{job}/"))
    assert apply[0] == 302, apply

    def halfway():
        done, total, _ = _progress(browser, deployment, 1, job)
        return 0 < done < total

    _wait(halfway, "apply progress through the second process", every=0.02)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    assert deployment.sql("SELECT count(*) FROM members_member")[0][0] == before  # nothing half-written
    assert deployment.sql("SELECT status FROM imports_importjob WHERE id = %s", job)[0][0] == "applying"
    task = deployment.sql(
        "SELECT id, status FROM django_tasks_database_dbtaskresult WHERE task_path = 'dangvu.imports.jobs.apply'"
    )
    assert [t[1] for t in task] == ["RUNNING"]  # as the dead worker left it

    lap("apply killed half-way")
    deployment.worker("worker2")
    _wait(
        lambda: deployment.sql("SELECT status FROM imports_importjob WHERE id = %s", job)[0][0] == "applied",
        "the import to be completed by the second worker",
    )
    assert deployment.sql("SELECT count(*) FROM members_member")[0][0] == before + ROWS
    status, attempts = deployment.sql(
        "SELECT status, jsonb_array_length(worker_ids) FROM django_tasks_database_dbtaskresult WHERE id = %s",
        task[0][0],
    )[0]
    assert (status, attempts) == ("SUCCESSFUL", 2)
    done, total, _ = _progress(browser, deployment, 0, job)
    assert done == total == ROWS

    lap("apply completed by the second worker")
    # 4. A notice queued while the mail server refuses is delivered once it accepts, exactly once.
    deployment.run("shell", "-c", MEETING)
    lap("meeting planned")
    assert "queued invitations: 1" in deployment.run("send_meeting_notices")
    lap("notice queued")

    def notice():
        rows = deployment.sql(
            "SELECT status, jsonb_array_length(worker_ids) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'dangvu.meetings.jobs.deliver_notice'"
        )
        return rows[0] if rows else None

    _wait(lambda: (n := notice()) and n[0] == "READY" and n[1] >= 1, "a refused delivery attempt")
    lap("delivery refused")
    received = _smtp_sink(deployment.smtp_port)
    lap("sink started")
    try:
        _wait(lambda: notice()[0] == "SUCCESSFUL", "the delivery once the sink accepts")
        lap("delivered")
        assert "queued invitations: 0" in deployment.run("send_meeting_notices")
        time.sleep(2)  # time for any duplicate to arrive
        assert [m["to"] for m in received.messages] == [["an@example.vn"]]
        assert "Phòng họp số 2" in received.messages[0]["body"]
    finally:
        received.stop()
    health = json.loads(browser.request(deployment.url(1, "/health/"))[2])
    assert health["cache"]["backend"] == "RedisCache" and health["queue"]["workers"] == 1
    assert health["queue"]["waiting"] == 0
    lap("notice delivered once")


class _Laps:
    def __init__(self, started: float):
        self.last = started

    def __call__(self, what: str) -> None:
        now = time.monotonic()
        print(f"topology: {what} in {now - self.last:.1f} s")
        self.last = now


def _health(deployment: Deployment, index: int) -> bool:
    try:
        with urllib.request.urlopen(deployment.url(index, "/health/"), timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _smtp_sink(port: int):
    """A local SMTP server that records what it accepts (aiosmtpd)."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages: list[dict] = []
            self.lock = threading.Lock()

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            message = message_from_bytes(envelope.content, policy=policy.default)
            with self.lock:
                self.messages.append({"to": list(envelope.rcpt_tos), "body": message.get_body().get_content()})
            return "250 OK"

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.stop = controller.stop
    return sink
