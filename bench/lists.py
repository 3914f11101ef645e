"""List and tree latency at city size (150,000 members) and national size (6,000,000), each request next
to the bare indexed SQL that returns the same rows (issue 10 item 5): for a ranked name search, the one to
three group queries that filled the page, run one after the other.

Run against a database holding a scale world (built once with `dangvu seed_demo --members N`, or by
bench/city.py; this script builds one of --members if the database is empty):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench .venv/bin/python bench/lists.py
        [--members 150000] [--rounds 30] [--budget-top 50] [--budget-committee 50]

Users: the office of the top organisation of the world's first province (`vanphong.thanhuy`: the whole
city at city size, one province of ~176,000 members at national size) and the office of one committee
(`vanphong`, ~1,400 members). For each: the member list page and the member API, whole scope searched
with common words (SEARCHES, one per round), whole scope sorted by name (pages 1-5), filtered by one
organisation and searched; and the organisation tree page. Each request is timed with Django's test Client
(in process, force_login / API token; template rendering, JSON, middleware included); then its rows query
(the SQL Django sends for the page's rows, captured from the request, run again alone with a cursor) is
timed the same way: the ratio request / bare SQL says what the application adds over the floor that
PostgreSQL's indexes allow. Writes bench/results/lists-<members>.json. Exits 1 when a p95 is over budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from city import ROOT, build_or_reuse, ensure_database, machine, percentile, timed  # noqa: E402

SEARCHES = ["nguyen van", "thi hoa", "tuan", "tran thi ngoc", "le minh", "huynh", "pham quoc", "vo thanh"]


def rows_sql(capture) -> tuple[str, ...] | None:
    """The member rows queries among the queries of one request (those selecting full_name with a LIMIT):
    one, or for a ranked name search the one to three rank groups that filled the page
    (dangvu.members.search.RankedRows), with the COUNT of a group skipped over when there is one."""
    found = []
    for q in capture.captured_queries:
        sql = q["sql"]
        if sql.startswith("SELECT") and '"members_member"."full_name"' in sql and "LIMIT" in sql:
            found.append(sql)
    return tuple(found) or None


def bare(sqls: tuple[str, ...], n: int) -> dict:
    from django.db import connection

    def run(_i):
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()

    return timed(run, n)


def measure(rounds: int, budgets: dict[str, float]) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangvu.accounts.models import User
    from dangvu.orgs.models import Organisation, OrgKind

    top_user = User.objects.get(username="vanphong.thanhuy")
    committee_user = User.objects.get(username="vanphong")
    committee = committee_user.roles.get().organisation
    grassroots = (
        Organisation.objects.filter(path__startswith=committee.path, kind=OrgKind.GRASSROOTS_COMMITTEE)
        .order_by("path")
        .first()
    )
    results = []
    for label, user, org, budget in (
        ("top office", top_user, committee, budgets["top"]),
        ("committee office", committee_user, grassroots, budgets["committee"]),
    ):
        client = Client()
        client.force_login(user)
        token = client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": os.environ.get("BENCH_PASSWORD", "Demo-dangvu-2025")},
            content_type="application/json",
        )
        assert token.status_code == 200, token.content
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token.json()['token']}"}
        cases = [
            ("list page, whole scope, searched", "/members/", lambda i: {"q": SEARCHES[i % len(SEARCHES)]}, {}),
            ("list page, whole scope, sorted, pages 1-5", "/members/", lambda i: {"page": 1 + i % 5}, {}),
            (
                "list page, one organisation, searched",
                "/members/",
                lambda i, org=org: {"q": SEARCHES[i % len(SEARCHES)], "organisation": org.pk},
                {},
            ),
            ("API, whole scope, searched", "/api/v1/members", lambda i: {"q": SEARCHES[i % len(SEARCHES)]}, auth),
            ("API, whole scope, sorted, offsets 0-200", "/api/v1/members", lambda i: {"offset": 50 * (i % 5)}, auth),
            ("organisation tree /orgs/", "/orgs/", lambda i: {}, {}),
        ]
        for what, url, params, extra in cases:
            sqls: dict[int, tuple[str, ...]] = {}

            def request(i, url=url, params=params, extra=extra, sqls=sqls, client=client):
                with CaptureQueriesContext(connection) as capture:
                    response = client.get(url, params(i), **extra)
                assert response.status_code == 200, (url, response.status_code)
                sql = rows_sql(capture)
                if sql:
                    sqls[i % len(SEARCHES)] = sql

            row = {"user": label, "what": what, **timed(request, rounds), "budget_p95_ms": budget}
            if sqls:
                floor = [bare(sql, max(3, rounds // len(sqls))) for sql in sqls.values()]
                row["bare_sql_p50_ms"] = round(sum(f["p50_ms"] for f in floor) / len(floor), 1)
                row["bare_sql_p95_ms"] = round(max(f["p95_ms"] for f in floor), 1)
                row["ratio_p50"] = round(row["p50_ms"] / max(row["bare_sql_p50_ms"], 0.1), 1)
            row["ok"] = row["p95_ms"] <= budget
            results.append(row)
            floor_text = f"  bare SQL p50 {row['bare_sql_p50_ms']:6.1f}  ×{row['ratio_p50']}" if sqls else ""
            print(f"  {label:17} {what:42} p50 {row['p50_ms']:7.1f}  p95 {row['p95_ms']:7.1f}{floor_text}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--budget-top", type=float, default=50.0, help="p95 budget, top office (ms)")
    parser.add_argument("--budget-committee", type=float, default=50.0, help="p95 budget, committee office (ms)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database")
    ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    import logging

    logging.getLogger("dangvu.requests").setLevel(logging.WARNING)  # one log line per request otherwise
    call_command("migrate", verbosity=0)
    from dangvu.members.models import Member

    build_or_reuse(args.members)
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    rows = measure(args.rounds, {"top": args.budget_top, "committee": args.budget_committee})
    report = {
        "when": started.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t0, 1),
        "command": "bench/lists.py " + " ".join(sys.argv[1:]),
        "machine": {**machine(), "load_average_before": load_before},
        "members": Member.objects.count(),
        "latency": rows,
    }
    out = ROOT / "bench" / "results" / f"lists-{args.members}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"load average before {load_before}, after {os.getloadavg()}; written {out.relative_to(ROOT)}")
    sys.exit(0 if all(r["ok"] for r in rows) else 1)


if __name__ == "__main__":
    _ = percentile
    main()
