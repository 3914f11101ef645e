"""Throughput on this machine (issue 10): requests per second of the member list and of the meeting room's
poll with 1, 2 and 4 gunicorn processes, and one worker vs two for 150,000 imported rows.

Run (the databases are created if missing; the 150,000-member world is built once and reused):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_throughput REDIS_URL=redis://127.0.0.1:6379/15 \
        .venv/bin/python bench/throughput.py [--seconds 15] [--clients 8] [--processes 1,2,4] \
        [--import-rows 150000] [--skip-http] [--skip-import]

HTTP: the real app in gunicorn (gthread, 4 threads per process, DEBUG off, sessions and cache in Redis when
REDIS_URL is set), `--clients` threads each logged in through the log-in form, each requesting as fast as
the answers come for `--seconds`: the member list of a committee office (`/members/`, ~1,400 members of
the 150,000) and the meeting room's live fragment as an HTMX poll (`/meetings/<id>/room/live/`) of an open
meeting of a cell. Every answer must be 200.

Import: the rows are split into two uploaded files of equal size, queued as two import jobs (check, then
apply, each a task), and worked off by 1, then by 2 `dangvu worker` processes, each time in a fresh copy of
a small migrated database (`<name>_import_tpl`): the wall time from queueing to both jobs applied. One
import is one all-or-nothing transaction, so a second worker runs the second file beside the first; it does
not split one file. Writes bench/results/throughput.json. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
os.environ.setdefault("DANGVU_TWO_FACTOR", "0")
os.environ.setdefault("DANGVU_HTTPS", "0")
os.environ.setdefault("DANGVU_DATA_DIR", "/tmp/dangvu-throughput")
os.environ.setdefault("DANGVU_LOG_LEVEL", "WARNING")  # no line per request while measuring

from city import MEMBERS, build_or_reuse, ensure_database, machine  # noqa: E402
from meeting_load import start_server, stop_server  # noqa: E402

PASSWORD = "Thong-luong-2026"
PLACE = "Phòng thử thông lượng"


class Browser:
    """A logged-in client: cookie jar, CSRF token, plain urllib (a new connection per request, as browsers
    behind a proxy often do)."""

    def __init__(self, base: str):
        import http.cookiejar
        import urllib.request

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, headers: dict | None = None) -> tuple[int, str]:
        import urllib.error
        import urllib.request

        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""
        except OSError as exc:
            return 0, str(exc)

    def log_in(self, username: str, password: str) -> None:
        import re
        import urllib.request

        _status, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=data.encode(), headers={"Referer": self.base + "/accounts/login/"}
        )
        with self.opener.open(request, timeout=60) as response:
            if "/accounts/login/" in response.url:
                sys.exit(f"log-in of {username} failed")


def prepare_http() -> tuple[str, str, int]:
    """The committee office and a cell secretary with an open meeting; returns (office, secretary, meeting)."""
    from django.utils import timezone

    from dangvu.accounts.models import Role, RoleAssignment, User
    from dangvu.meetings import services
    from dangvu.meetings.models import Meeting, MeetingKind
    from dangvu.members.models import Member, Status
    from dangvu.orgs.models import Organisation, OrgKind

    office = User.objects.get(username="vanphong")
    office.set_password(PASSWORD)
    office.save()
    committee = office.roles.get().organisation
    meeting = Meeting.objects.filter(place=PLACE).first()
    secretary = User.objects.filter(username="thongluong.thuky").first()
    if meeting is None:
        cell = (
            Organisation.objects.filter(path__startswith=committee.path, kind=OrgKind.CELL, valid_to__isnull=True)
            .order_by("path")
            .first()
        )
        members = list(Member.objects.filter(organisation=cell, status=Status.OFFICIAL).order_by("pk")[:2])
        secretary = User.objects.create_user(username="thongluong.thuky", password=PASSWORD, member=members[1])
        RoleAssignment.objects.create(
            user=secretary, role=Role.CELL_SECRETARY, organisation=cell, valid_from=timezone.localdate()
        )
        meeting = services.create_meeting(
            cell,
            secretary,
            kind=MeetingKind.REGULAR,
            starts_at=timezone.now(),
            place=PLACE,
            chair=members[0],
            secretary=members[1],
            agenda=[services.AgendaSpec("Sinh hoạt chi bộ (thử thông lượng)")],
        )
        services.open_meeting(meeting, secretary)
    secretary.set_password(PASSWORD)
    secretary.save()
    return office.username, secretary.username, meeting.pk


def hammer(base: str, username: str, path: str, clients: int, seconds: float, htmx: bool) -> dict:
    browsers = []
    for _ in range(clients):
        browser = Browser(base)
        browser.log_in(username, PASSWORD)
        browsers.append(browser)
    counts = [0] * clients
    errors: list[str] = []
    headers = {"HX-Request": "true"} if htmx else {}
    start = threading.Event()
    stop_at = [0.0]

    def run(i: int) -> None:
        start.wait()
        while time.monotonic() < stop_at[0]:
            status, _body = browsers[i].get(path, headers)
            if status == 200:
                counts[i] += 1
            else:
                errors.append(str(status))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    stop_at[0] = began + seconds
    start.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    return {
        "requests": sum(counts),
        "errors": len(errors),
        "seconds": round(elapsed, 1),
        "rps": round(sum(counts) / elapsed, 1),
    }


def measure_http(url: str, args) -> list[dict]:
    office, secretary, meeting = prepare_http()
    rows = []
    log = Path(os.environ["DANGVU_DATA_DIR"]) / "gunicorn.log"
    for processes in [int(p) for p in args.processes.split(",")]:
        server, base = start_server(url, processes, 4, log)
        try:
            for label, user, path, htmx in (
                ("member list (committee office)", office, "/members/", False),
                ("meeting room poll (HTMX)", secretary, f"/meetings/{meeting}/room/live/", True),
            ):
                hammer(base, user, path, 2, 2, htmx)  # warm-up
                result = hammer(base, user, path, args.clients, args.seconds, htmx)
                row = {"what": label, "processes": processes, "clients": args.clients, **result}
                print(f"  {label:34} {processes} process(es): {row['rps']:7.1f} req/s ({row['errors']} errors)")
                rows.append(row)
        finally:
            stop_server(server)
    return rows


def _import_files(rows: int) -> list[bytes]:
    from dangvu.imports.tests import factories

    half = rows // 2
    return [
        factories.csv_bytes(factories.rows(half, start=1, **{"Mã chi bộ*": "A1-C1"})),
        factories.csv_bytes(factories.rows(rows - half, start=half + 1, **{"Mã chi bộ*": "A1-C2"})),
    ]


def measure_import(url: str, args) -> list[dict]:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.replace(f"/{name}", "/postgres", 1)
    template = f"{name}_import_tpl"
    env = {**os.environ, "DANGVU_LOG_FORMAT": "text"}
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
            conn.execute(f'DROP DATABASE IF EXISTS "{template}_building" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{template}_building"')
            building = url.replace(f"/{name}", f"/{template}_building", 1)
            seed = (
                "from dangvu import testing; t = testing.make_tree(); "
                "testing.make_cast(t, testing.member(t.c1, 'Nguyễn Văn An'))"
            )
            for command in (["migrate", "-v0"], ["shell", "-c", seed]):
                subprocess.run(
                    [sys.executable, "-m", "dangvu", *command], env={**env, "DATABASE_URL": building}, check=True
                )
            conn.execute(f'ALTER DATABASE "{template}_building" RENAME TO "{template}"')
    files = _import_files(args.import_rows)
    results = []
    for workers in (1, 2):
        work = f"{name}_import_run"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{work}" TEMPLATE "{template}"')
        run_url = url.replace(f"/{name}", f"/{work}", 1)
        queue = (
            "import sys; from dangvu.accounts.models import User; from dangvu.imports import services; "
            "from dangvu.orgs.models import Organisation; u = User.objects.get(username='office'); "
            "a = Organisation.objects.get(code='A'); "
            "[print(services.create_job(u, a, f'phan-{i}.csv', open(p, 'rb').read()).pk) "
            "for i, p in enumerate(sys.argv[1:])]"
        )
        paths = []
        for i, data in enumerate(files):
            path = Path(os.environ["DANGVU_DATA_DIR"]) / f"import-{i}.csv"
            path.write_bytes(data)
            paths.append(str(path))
        job_env = {**env, "DATABASE_URL": run_url}
        ids = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); exec({queue!r})", *paths],
            env={**job_env, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        started = time.monotonic()
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "dangvu", "worker", "--name", f"bench{w}", "--interval", "0.2"],
                env=job_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for w in range(workers)
        ]
        try:
            checked_at = None
            with psycopg.connect(run_url, autocommit=True) as conn:
                while True:
                    states = [r[0] for r in conn.execute("SELECT status FROM imports_importjob ORDER BY id")]
                    if checked_at is None and all(s == "validated" for s in states):
                        checked_at = time.monotonic()
                        apply = (
                            "from dangvu.accounts.models import User; from dangvu.imports import services; "
                            "from dangvu.imports.models import ImportJob; u = User.objects.get(username='office'); "
                            "[services.claim_for_apply(j, u) for j in ImportJob.objects.order_by('id')]"
                        )
                        subprocess.run(
                            [sys.executable, "-c", f"import django; django.setup(); exec({apply!r})"],
                            env={**job_env, "PYTHONPATH": str(ROOT)},
                            check=True,
                        )
                    if all(s == "applied" for s in states):
                        break
                    if any(s == "failed" for s in states):
                        sys.exit(f"an import failed: {list(conn.execute('SELECT message FROM imports_importjob'))}")
                    time.sleep(0.2)
                done = time.monotonic()
                members = conn.execute("SELECT count(*) FROM members_member").fetchone()[0]
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(30)
        row = {
            "workers": workers,
            "rows": args.import_rows,
            "jobs": len(ids),
            "check_s": round(checked_at - started, 1),
            "apply_s": round(done - checked_at, 1),
            "total_s": round(done - started, 1),
            "rows_per_s": round(args.import_rows / (done - started)),
            "members_after": members,
        }
        print(
            f"  {workers} worker(s): check {row['check_s']} s, apply {row['apply_s']} s, "
            f"total {row['total_s']} s = {row['rows_per_s']:,} rows/s"
        )
        results.append(row)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)')
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--import-rows", type=int, default=MEMBERS)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (created if missing).")
    Path(os.environ["DANGVU_DATA_DIR"], "static").mkdir(parents=True, exist_ok=True)
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    result = {"machine": machine(), "redis": bool(os.environ.get("REDIS_URL"))}
    if not args.skip_http:
        build_or_reuse(MEMBERS)
        print(f"HTTP throughput, {args.clients} clients, {args.seconds} s each:")
        result["http"] = measure_http(url, args)
    if not args.skip_import:
        print(f"Import of {args.import_rows:,} rows as two jobs:")
        result["import"] = measure_import(url, args)
    out = ROOT / "bench" / "results" / "throughput.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
