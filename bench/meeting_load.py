"""Meeting-room load benchmark: 200 members check in and vote within one minute (issue 4).

Run (the database is created if missing; the cell and its members are built once and reused):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_meetbench DANGVU_DATA_DIR=/tmp/dangvu-meetbench \
        .venv/bin/python bench/meeting_load.py [--method both|named|secret] [--path both|pages|api] [--poll 0]

Prepares a cell of 200 official members, each with a user account, and per vote method (by name, secret) a
regular meeting, created and opened through dangvu.meetings.services, with its vote open. Starts the real
app in gunicorn (`dangvu.wsgi:application`, DEBUG=0, PostgreSQL) on a free port of 127.0.0.1. 200 simulated
members (bench/meeting_clients.py: threads, the standard library's urllib with a cookie jar per member) log
in through the log-in form with its CSRF token, or for an API token (measured apart); then, arriving
uniformly over the minute, each opens the meeting room, checks in, opens the vote, submits a ballot (random
choice) and polls once, through the room pages (HTMX requests) and then through the REST API; ~10 % submit
a second ballot, which must be refused. The chair closes the vote and the script checks: no failed request,
200 present, exactly one ballot per member equal to what the member chose, result = the choices (sum 200).
Prints a table and writes bench/results/meeting_load.json; exits non-zero when a check fails or the overall
p95 latency of a window is over the budget (300 ms). Results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
os.environ.setdefault("DANGVU_TWO_FACTOR", "0")
os.environ.setdefault("DANGVU_HTTPS", "0")
os.environ.setdefault("DANGVU_DATA_DIR", "/tmp/dangvu-meetbench")

from city import ensure_database, machine, percentile  # noqa: E402  (bench/city.py, same folder)
from meeting_clients import (  # noqa: E402
    PASSWORD,
    ApiFlow,
    Browser,
    Flow,
    Outcome,
    PagesFlow,
    Recorder,
    Sample,
    Setup,
    log_in_all,
    run_window,
)

MEMBERS = 200
WINDOW_S = 60.0
BUDGET_P95_MS = 300.0
RESUBMIT_SHARE = 0.10
ROOT_CODE = "BENCH-HOP"
CELL_CODE = "BENCH-HOP-CB"
USERNAME = "hop{:03d}"


# --- The world --------------------------------------------------------------------------------------------


@dataclass
class World:
    cell_id: int
    member_ids: list[int]  # index i is the member of user hop{i:03d}; 0 chairs, 1 keeps the minutes
    usernames: list[str]


def build_or_reuse(n: int) -> tuple[World, float | None]:
    """A cell (chi bộ cơ sở) of `n` official members, each with a user (password PASSWORD): members are
    created through dangvu.members.services.create_member; users share one password hash (hashing 200
    times would only measure PBKDF2)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from dangvu.accounts.models import Role, RoleAssignment, User
    from dangvu.demo import names
    from dangvu.members import services as member_services
    from dangvu.members.models import EventKind, Member, Status
    from dangvu.orgs import services as org_services
    from dangvu.orgs.models import Organisation, OrgKind

    start = time.perf_counter()
    built = False
    with transaction.atomic():
        cell = Organisation.objects.filter(code=CELL_CODE).first()
        if cell is None:
            day = dt.date(2015, 1, 1)
            doc = org_services.Document("1-QĐ/BENCH", day, "Benchmark")
            root = org_services.establish(
                None,
                org_services.OrgSpec(ROOT_CODE, "Đảng bộ Thử tải phòng họp", OrgKind.PROVINCIAL),
                day,
                doc,
                None,
            ).created[0]
            cell = org_services.establish(
                root,
                org_services.OrgSpec(CELL_CODE, "Chi bộ Thử tải phòng họp", OrgKind.GRASSROOTS_CELL),
                day,
                doc,
                None,
            ).created[0]
        members = list(Member.objects.filter(organisation=cell, status=Status.OFFICIAL).order_by("id"))
        rng = random.Random(2026)
        ids = names.CitizenIds()
        taken = set(Member.objects.filter(citizen_id__startswith="092").values_list("citizen_id", flat=True))
        while len(members) < n:
            built = True
            person = names.person(rng, ids, names.CAN_THO, birth_to=1995)
            if person.citizen_id in taken:
                continue
            taken.add(person.citizen_id)
            admitted = dt.date(rng.randint(person.birth_date.year + 20, 2022), rng.randint(1, 12), rng.randint(1, 28))
            members.append(
                member_services.create_member(
                    person.fields(),
                    [
                        {
                            "kind": EventKind.ADMISSION,
                            "date": admitted,
                            "organisation": cell,
                            "document_number": f"{len(members) + 1}-QĐ/ĐU",
                        },
                        {"kind": EventKind.OFFICIAL, "date": admitted + dt.timedelta(days=375), "organisation": cell},
                    ],
                    source="seed",
                )
            )
        members = members[:n]
        usernames = [USERNAME.format(i) for i in range(n)]
        existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        missing = [i for i, name in enumerate(usernames) if name not in existing]
        if missing:
            built = True
            hashed = make_password(PASSWORD)
            users = User.objects.bulk_create(
                [
                    User(
                        username=usernames[i],
                        password=hashed,
                        first_name=members[i].full_name.rsplit(" ", 1)[-1],
                        member=members[i],
                    )
                    for i in missing
                ]
            )
            roles = [
                RoleAssignment(user=u, role=Role.MEMBER, organisation=cell, valid_from=dt.date(2015, 1, 1))
                for u in users
            ]
            if 0 in missing:  # the chair is the cell's secretary (Bí thư chi bộ)
                roles.append(
                    RoleAssignment(
                        user=users[0], role=Role.CELL_SECRETARY, organisation=cell, valid_from=dt.date(2015, 1, 1)
                    )
                )
            RoleAssignment.objects.bulk_create(roles)
    world = World(cell.pk, [m.pk for m in members], usernames)
    return world, (time.perf_counter() - start) if built else None


def plan_meeting(world: World, method: str) -> Setup:
    """A regular meeting of the cell, created and opened through the services, with its vote open before
    anyone has checked in (members check in and vote in the same minute)."""
    from django.utils import timezone

    from dangvu.accounts.models import User
    from dangvu.meetings import services
    from dangvu.meetings.models import MeetingKind, VoteRule
    from dangvu.members.models import Member
    from dangvu.orgs.models import Organisation

    cell = Organisation.objects.get(pk=world.cell_id)
    chair_user = User.objects.get(username=world.usernames[0])
    chair, secretary = Member.objects.get(pk=world.member_ids[0]), Member.objects.get(pk=world.member_ids[1])
    kind = "named" if method == "named" else "secret"
    meeting = services.create_meeting(
        cell,
        chair_user,
        kind=MeetingKind.REGULAR,
        starts_at=timezone.now(),
        place="Hội trường tầng 2",
        chair=chair,
        secretary=secretary,
        agenda=[services.AgendaSpec(f"Biểu quyết thông qua nghị quyết (phiếu {kind}, thử tải)")],
    )
    services.open_meeting(meeting, chair_user)
    vote = services.create_vote(
        meeting,
        chair_user,
        question="Thông qua nghị quyết sinh hoạt chi bộ tháng này",
        method=method,
        rule=VoteRule.MAJORITY_OF_PRESENT,
        agenda_item=meeting.agenda.first(),
    )
    services.open_vote(vote, chair_user)
    invitation_of = dict(meeting.invitations.filter(member__isnull=False).values_list("member_id", "id"))
    return Setup(method, meeting.pk, vote.pk, invitation_of)


# --- The server ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workers: int, threads: int, log: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn serving dangvu.wsgi:application as in production (DEBUG off), plain HTTP on 127.0.0.1."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "DANGVU_TWO_FACTOR": "0",
        "DANGVU_HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "dangvu.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--backlog",
        "512",
        "--timeout",
        "60",
        "--no-control-socket",  # gunicorn >= 24 opens ~/.gunicorn/gunicorn.ctl otherwise, shared by all runs
        "--error-logfile",
        str(log),
    ]
    with log.open("ab") as output:  # the workers' own output (Django's request warnings) goes there too
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, start_new_session=True, stdout=output, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}); see {log}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as answer:
            if answer.status == 200:
                return server, base
        time.sleep(0.3)
    stop_server(server)
    sys.exit(f"gunicorn did not answer within 60 s; see {log}")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants (the gunicorn master and workers)."""
    total, pending = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while pending:
        p = pending.pop()
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
    return total


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- Checks and figures -----------------------------------------------------------------------------------


def verify(world: World, setup: Setup, outcomes: list[Outcome], samples: list[Sample]) -> dict[str, dict]:
    """Read back what the server stored and compare with what the members did."""
    from dangvu.meetings import services
    from dangvu.meetings.models import Attendance, Ballot, Invitation, SecretCount, SecretReceipt, Vote, VoteState

    n = len(outcomes)
    chosen = Counter(o.choice for o in outcomes)
    checks: dict[str, dict] = {}

    def check(name: str, expected, got) -> None:
        checks[name] = {"expected": expected, "got": got, "ok": expected == got}

    errors = [s for s in samples if s.error]
    check("HTTP errors and failed requests", 0, len(errors))
    present = Invitation.objects.filter(
        meeting_id=setup.meeting_id, member__isnull=False, attendance=Attendance.PRESENT
    ).count()
    check("members present", n, present)
    check("ballots accepted by the server (as answered to the members)", n, sum(o.accepted for o in outcomes))
    duplicates = [o for o in outcomes if o.duplicate]
    check(
        "second ballots refused (resubmits and double clicks)",
        len(duplicates),
        sum(bool(o.duplicate_refused) for o in duplicates),
    )
    vote = Vote.objects.get(pk=setup.vote_id)
    if vote.method == "named":
        stored = dict(Ballot.objects.filter(vote=vote).values_list("invitation_id", "choice"))
        check("ballots stored (one per member)", n, Ballot.objects.filter(vote=vote).count())
        wanted = {setup.invitation_of[world.member_ids[o.index]]: o.choice for o in outcomes}
        check("each stored ballot is the member's choice", 0, sum(stored.get(k) != v for k, v in wanted.items()))
    else:
        receipts = SecretReceipt.objects.filter(vote=vote)
        check("receipts stored (one per member)", n, receipts.values("invitation_id").distinct().count())
        counted = sum(SecretCount.objects.filter(vote=vote).values_list("n", flat=True))
        check("secret ballots counted (counters, no row per ballot)", n, counted)
        check("secret ballots by choice = the members' choices", dict(chosen), services.tally(vote))
    check("vote closed", VoteState.CLOSED, vote.state)
    result = {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain}
    check("result after closing = the members' choices", {c: chosen.get(c, 0) for c in result}, result)
    check("tally sum", n, sum(v or 0 for v in result.values()))
    checks["verdict (information)"] = {
        "got": {"present": vote.present, "eligible": vote.eligible, "needed": vote.needed, "passed": vote.passed},
        "ok": True,
    }
    return checks


def figures(samples: list[Sample], kinds: list[str]) -> list[dict]:
    rows = []
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    for kind in [*kinds, "all"]:
        chosen = samples if kind == "all" else by_kind.get(kind, [])
        if not chosen:
            continue
        ms = [s.ms for s in chosen]
        rows.append(
            {
                "what": kind,
                "n": len(ms),
                "errors": sum(1 for s in chosen if s.error),
                "p50_ms": round(percentile(ms, 0.50), 1),
                "p95_ms": round(percentile(ms, 0.95), 1),
                "p99_ms": round(percentile(ms, 0.99), 1),
                "max_ms": round(max(ms), 1),
            }
        )
    return rows


WINDOW_KINDS = ["room", "check_in", "vote", "ballot", "ballot_again", "tally", "poll"]


def print_rows(title: str, rows: list[dict]) -> None:
    print(f"  {title}")
    print(f"    {'request':14} {'n':>5} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for r in rows:
        print(
            f"    {r['what']:14} {r['n']:5} {r['errors']:6} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} "
            f"{r['p99_ms']:8.1f} {r['max_ms']:8.1f}"
        )


# --- Main -------------------------------------------------------------------------------------------------


def drop_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    with psycopg.connect(url.replace(f"/{name}", "/postgres", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_variant(flow: Flow, browsers: list[Browser], world: World, method: str, args, server_pid: int) -> dict:
    from dangvu.accounts.models import User
    from dangvu.meetings import services
    from dangvu.meetings.models import Meeting

    setup = plan_meeting(world, method)
    print(
        f"  {flow.name} / {method} vote: meeting {setup.meeting_id}, vote {setup.vote_id}; window {args.window:.0f} s"
    )
    server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
    outcomes, recorder, wall = run_window(
        flow, browsers, setup, args.window, args.think, args.resubmit, args.seed + len(method), args.poll
    )
    server_cpu, client_cpu = cpu_seconds(server_pid) - server_cpu, time.process_time() - client_cpu
    closing = Recorder()
    browsers[0].recorder = closing
    closed = flow.close(browsers[0], setup)
    samples = recorder.samples
    checks = verify(world, setup, outcomes, samples + closing.samples)
    checks["chair closed the vote through the " + flow.name] = {"expected": True, "got": closed, "ok": closed}
    services.close_meeting(Meeting.objects.get(pk=setup.meeting_id), User.objects.get(username=world.usernames[0]))
    first = min(s.started for s in samples)
    last = max(s.started + s.ms / 1000 for s in samples)
    rows = figures(samples, WINDOW_KINDS)
    overall = rows[-1]
    for o in outcomes:
        for e in o.errors:
            print(f"    member {o.index}: {e}")
    for s in [s for s in samples if s.error][:10]:
        print(f"    {s.error}")
    return {
        "path": flow.name,
        "method": method,
        "meeting_id": setup.meeting_id,
        "vote_id": setup.vote_id,
        "members": len(outcomes),
        "second_ballots": {
            "resubmits": sum(o.duplicate == "resubmit" for o in outcomes),
            "double_clicks": sum(o.duplicate == "double" for o in outcomes),
        },
        "requests": len(samples),
        "span_s": round(last - first, 1),
        "wall_s": round(wall, 1),
        "requests_per_s": round(len(samples) / (last - first), 1),
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / len(samples), 1),
        "client_cpu_s": round(client_cpu, 1),
        "load_average_after": os.getloadavg(),
        "latency": rows,
        "budget_p95_ms": BUDGET_P95_MS,
        "p95_ok": overall["p95_ms"] <= BUDGET_P95_MS,
        "checks": checks,
        "ok": all(c["ok"] for c in checks.values()) and overall["p95_ms"] <= BUDGET_P95_MS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--window", type=float, default=WINDOW_S, help="seconds over which members arrive")
    parser.add_argument("--method", choices=["both", "named", "secret"], default="both")
    parser.add_argument("--path", choices=["both", "pages", "api"], default="both", help="pages, API or both")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--think", type=float, default=1.0, help="longest pause between a member's steps (s)")
    parser.add_argument("--resubmit", type=float, default=RESUBMIT_SHARE, help="share of members voting twice")
    parser.add_argument(
        "--poll", type=float, default=0.0, help="also poll every N seconds from each open room (the page does: 2)"
    )
    parser.add_argument("--login-concurrency", type=int, default=10)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/dangvu_meetbench")
    if args.fresh:
        drop_database(url)
    ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    started = dt.datetime.now(dt.UTC)
    world, build_seconds = build_or_reuse(args.members)
    print(f"World: cell {CELL_CODE} with {len(world.member_ids)} official members and their users", end="")
    print(f" (built in {build_seconds:.1f} s)" if build_seconds is not None else " (reused)")
    methods = ["named", "secret"] if args.method == "both" else [args.method]
    flows: list[Flow] = []
    if args.path in ("both", "pages"):
        flows.append(PagesFlow())
    if args.path in ("both", "api"):
        flows.append(ApiFlow())
    data_dir = Path(os.environ["DANGVU_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "gunicorn-meeting-load.log"
    server, base = start_server(url, args.workers, args.threads, log)
    print(f"gunicorn on {base}: {args.workers} workers x {args.threads} threads (gthread), nproc {os.cpu_count()}")
    logins, variants = [], []
    try:
        for flow in flows:
            browsers, recorder, seconds = log_in_all(flow, base, world.usernames, args.login_concurrency)
            rows = figures(recorder.samples, ["login_page", "login"])
            logins.append(
                {
                    "path": flow.name,
                    "members": len(browsers),
                    "seconds": round(seconds, 1),
                    "concurrency": args.login_concurrency,
                    "errors": rows[-1]["errors"],
                    "latency": rows,
                }
            )
            row = next(r for r in rows if r["what"] == "login")
            print(
                f"  {flow.name}: {len(browsers)} log-ins in {seconds:.1f} s, {args.login_concurrency} at a time "
                f"(log-in POST p50 {row['p50_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms; errors {rows[-1]['errors']})"
            )
            for method in methods:
                variant = run_variant(flow, browsers, world, method, args, server.pid)
                variants.append(variant)
                print_rows(
                    f"{flow.name} / {method}: {variant['requests']} requests in {variant['span_s']} s; CPU: server "
                    f"{variant['server_cpu_ms_per_request']} ms/request, client {variant['client_cpu_s']} s",
                    variant["latency"],
                )
    finally:
        stop_server(server)
    report = {
        "when": started.isoformat(timespec="seconds"),
        "command": f"DATABASE_URL={url} DANGVU_DATA_DIR={os.environ['DANGVU_DATA_DIR']} "
        ".venv/bin/python bench/meeting_load.py " + " ".join(sys.argv[1:]),
        "machine": {**machine(), "nproc": os.cpu_count()},
        "server": {"gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)", "debug": False},
        "parameters": {
            "members": args.members,
            "window_s": args.window,
            "think_s": args.think,
            "resubmit_share": args.resubmit,
            "poll_s": args.poll,
            "login_concurrency": args.login_concurrency,
            "seed": args.seed,
        },
        "logins": logins,
        "variants": variants,
        "ok": all(v["ok"] for v in variants) and all(r["errors"] == 0 for r in logins),
    }
    out = ROOT / "bench" / "results" / "meeting_load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    print()
    print(
        f"{'path / vote':16} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
        "  checks"
    )
    for v in variants:
        overall = v["latency"][-1]
        failed = [name for name, c in v["checks"].items() if not c["ok"]]
        print(
            f"{v['path'] + ' / ' + v['method']:16} {v['requests']:8} {v['requests_per_s']:6.1f} "
            f"{overall['p50_ms']:7.1f} {overall['p95_ms']:7.1f} {overall['p99_ms']:7.1f} {overall['max_ms']:7.1f}  "
            + ("all ok" if not failed else "FAILED: " + "; ".join(failed))
            + ("" if v["p95_ok"] else f"  p95 OVER {BUDGET_P95_MS:.0f} ms")
        )
    print(f"Written {out.relative_to(ROOT)}")
    if not report["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
