"""City-size benchmark: 150,000 members on PostgreSQL (the Cần Thơ city party organisation, ~109 committees).

Run (the database is created if missing; the world is built once and reused):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench .venv/bin/python bench/city.py

Measures, with Django's test Client, p50/p95 latency of the member list page, the organisation tree page
and the member API for an office user of the city root and one of a committee; then the rows/s of a
150,000-row import through dangvu.imports.services.apply_rows next to PostgreSQL's own COPY of the same
rows into a scratch table. Prints a table and writes bench/results/city.json. Budgets: list and API
p95 <= 150 ms, import >= 2,500 rows/s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
os.environ.setdefault("DANGVU_TWO_FACTOR", "0")
os.environ.setdefault("DANGVU_HTTPS", "0")  # the test client speaks plain HTTP
os.environ.setdefault("DANGVU_DATA_DIR", "/tmp/dangvu-bench")

MEMBERS = 150_000
BUDGET_P95_MS = 150.0
BUDGET_IMPORT_ROWS_S = 2500.0
SEARCHES = ["nguyen van", "thi hoa", "tuan", "tran thi ngoc", "le minh", "huynh", "pham quoc", "vo thanh"]


def ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = url.replace(f"/{name}", "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(fn, n: int, warmup: int = 3) -> dict:
    for i in range(warmup):
        fn(i)
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return {"n": n, "p50_ms": round(statistics.median(samples), 1), "p95_ms": round(percentile(samples, 0.95), 1)}


def machine() -> dict:
    from django.db import connection

    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory": mem,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "postgresql": pg,
        "platform": platform.platform(),
    }


def build_or_reuse(members: int) -> float | None:
    from dangvu.demo import bulk
    from dangvu.members.models import Member
    from dangvu.orgs.models import Organisation

    count = Member.objects.count() if Organisation.objects.exists() else 0
    if Organisation.objects.filter(code="CT").exists() or abs(count - members) <= members // 10:
        # The city world, or a scale world of about the requested size (e.g. the national one).
        print(f"Reusing the world in the database ({count:,} members).")
        return None
    if Organisation.objects.exists():
        sys.exit("The database holds another world; use an empty database (or --rebuild).")
    start = time.perf_counter()
    bulk.build_bulk(members, seed=2025, log=print)
    return time.perf_counter() - start


def measure_pages(rounds: int) -> list[dict]:
    from django.test import Client

    from dangvu.accounts.models import User
    from dangvu.orgs.models import Organisation, OrgKind

    results = []
    city_user = User.objects.get(username="vanphong.thanhuy")
    committee_user = User.objects.get(username="vanphong")
    committee = committee_user.roles.get().organisation
    grassroots = (
        Organisation.objects.filter(path__startswith=committee.path, kind=OrgKind.GRASSROOTS_COMMITTEE)
        .order_by("path")
        .first()
    )
    cases = [("city office", city_user, committee), ("committee office", committee_user, grassroots)]
    for label, user, org in cases:
        client = Client()
        client.force_login(user)

        def member_list(i, client=client, org=org):
            response = client.get(
                "/members/",
                {"q": SEARCHES[i % len(SEARCHES)], "status": "in_party", "sort": "name", "organisation": org.pk},
            )
            assert response.status_code == 200, response.status_code

        def member_list_all(i, client=client):
            response = client.get("/members/", {"status": "in_party", "sort": "name", "page": 1 + i % 5})
            assert response.status_code == 200, response.status_code

        def tree(i, client=client):
            response = client.get("/orgs/")
            assert response.status_code == 200, response.status_code

        token = client.post(
            "/api/v1/auth/token",
            {"username": user.username, "password": os.environ.get("BENCH_PASSWORD", "Demo-dangvu-2025")},
            content_type="application/json",
        )
        assert token.status_code == 200, token.content
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token.json()['token']}"}

        def api(i, client=client, org=org, auth=auth):
            response = client.get(
                "/api/v1/members",
                {"q": SEARCHES[i % len(SEARCHES)], "status": "in_party", "sort": "name", "organisation_id": org.pk},
                **auth,
            )
            assert response.status_code == 200, response.status_code
            assert response.json()["count"] < 150_000  # the organisation filter took effect

        def api_whole_scope(i, client=client, auth=auth):
            response = client.get(
                "/api/v1/members", {"q": SEARCHES[i % len(SEARCHES)], "status": "in_party", "sort": "name"}, **auth
            )
            assert response.status_code == 200, response.status_code

        for name, fn, budget in (
            ("member list (filtered, searched, sorted)", member_list, BUDGET_P95_MS),
            ("member list (whole scope, sorted, pages 1-5)", member_list_all, BUDGET_P95_MS),
            ("organisation tree /orgs/", tree, None),
            ("member API (filtered, searched, sorted)", api, BUDGET_P95_MS),
            ("member API (whole scope, searched, sorted)", api_whole_scope, None),
        ):
            row = {"user": label, "what": name, **timed(fn, rounds), "budget_p95_ms": budget}
            row["ok"] = budget is None or row["p95_ms"] <= budget
            results.append(row)
            print(f"  {label:17} {name:46} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms")
    return results


def import_rows(n: int) -> list[dict]:
    """Synthetic import rows (dicts keyed by column key) for cells of the first committee, with citizen IDs
    from a province prefix the world does not use (079), so that they never collide."""
    from dangvu.accounts.models import User
    from dangvu.demo import names
    from dangvu.orgs.models import Organisation, OrgKind

    committee = User.objects.get(username="vanphong").roles.get().organisation
    cells = list(
        Organisation.objects.filter(path__startswith=committee.path, kind__in=OrgKind.member_holding()).values_list(
            "code", flat=True
        )
    )
    rng = random.Random(79)
    ids = names.CitizenIds()
    province = names.Province("079", "Thành phố Hồ Chí Minh", ("Bến Thành", "Sài Gòn", "Tân Định"))
    theory = {"elementary": "Sơ cấp", "intermediate": "Trung cấp", "advanced": "Cao cấp", "bachelor": "Cử nhân"}
    rows = []
    for _ in range(n):
        p = names.person(rng, ids, province, birth_to=1998)
        p.citizen_id = ids.make("079", p.sex, p.birth_date)
        admitted = dt.date(rng.randint(p.birth_date.year + 20, 2019), rng.randint(1, 12), rng.randint(1, 28))
        official = dt.date(admitted.year + 1, admitted.month, admitted.day) + dt.timedelta(days=10)
        rows.append(
            {
                "full_name": p.full_name,
                "sex": "Nữ" if p.sex == "F" else "Nam",
                "birth_date": p.birth_date,
                "birth_place": p.birth_place,
                "home_town": p.home_town,
                "residence": p.residence,
                "ethnicity": p.ethnicity,
                "religion": p.religion,
                "citizen_id": p.citizen_id,
                "occupation": p.occupation,
                "position": p.position,
                "general_education": p.general_education,
                "professional_degree": p.professional_degree,
                "political_theory": theory.get(p.political_theory, ""),
                "foreign_language": p.foreign_language,
                "cell_code": rng.choice(cells),
                "admission_date": admitted,
                "official_date": official,
            }
        )
    return rows


def measure_import(n: int) -> dict:
    from django.db import connection, transaction

    from dangvu.accounts.models import User

    try:
        from dangvu.imports.services import apply_rows
    except ImportError:
        print("  dangvu.imports.services.apply_rows does not exist yet: import not measured.")
        return {"rows": n, "note": "apply_rows missing"}
    rows = import_rows(n)
    user = User.objects.get(username="admin")
    result: dict = {"rows": n}
    # COPY of the same rows into a scratch table: the floor any import can reach.
    columns = list(rows[0])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_scratch (" + ", ".join(f"{c} text" for c in columns) + ") ON COMMIT DROP"
        )
        start = time.perf_counter()
        with cursor.cursor.copy(f"COPY bench_scratch ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([str(row[c]) for c in columns])
        copy_s = time.perf_counter() - start
    result["copy_seconds"] = round(copy_s, 2)
    result["copy_rows_per_s"] = round(n / copy_s)
    print(f"  COPY into a scratch table: {n:,} rows in {copy_s:.1f} s = {n / copy_s:,.0f} rows/s")
    # The import itself, rolled back afterwards so that the world stays the same for the next run.
    done = {"last": 0}

    def progress(count: int) -> None:
        done["last"] = count

    with transaction.atomic():
        start = time.perf_counter()
        created = apply_rows(rows, user, progress=progress, reason="benchmark")
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    result.update(
        created=created,
        seconds=round(seconds, 1),
        rows_per_s=round(n / seconds),
        budget_rows_per_s=BUDGET_IMPORT_ROWS_S,
        ok=n / seconds >= BUDGET_IMPORT_ROWS_S,
        note="inside a transaction rolled back afterwards (commit time not included)",
    )
    print(f"  apply_rows: {created:,} members in {seconds:.1f} s = {n / seconds:,.0f} rows/s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=MEMBERS)
    parser.add_argument("--rounds", type=int, default=40, help="requests measured per line")
    parser.add_argument("--import-rows", type=int, default=MEMBERS)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/dangvu_bench")
    ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from dangvu.members.models import Member
    from dangvu.orgs.models import Organisation

    started = dt.datetime.now(dt.UTC)
    build_seconds = build_or_reuse(args.members)
    world = {"members": Member.objects.count(), "organisations": Organisation.objects.count()}
    if build_seconds is not None:
        world["build_seconds"] = round(build_seconds, 1)
        print(f"Built in {build_seconds:.1f} s")
    print(f"World: {world['members']:,} members, {world['organisations']:,} organisations")
    print("Latency (Django test Client, in process):")
    pages = measure_pages(args.rounds)
    print("Import:")
    imported = {"skipped": True} if args.skip_import else measure_import(args.import_rows)
    report = {
        "when": started.isoformat(timespec="seconds"),
        "command": "DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench .venv/bin/python bench/city.py "
        + " ".join(sys.argv[1:]),
        "machine": machine(),
        "world": world,
        "latency": pages,
        "import": imported,
    }
    out = ROOT / "bench" / "results" / "city.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print()
    print(f"{'user':17} {'what':46} {'p50 ms':>8} {'p95 ms':>8}  budget")
    for row in pages:
        budget = f"<= {row['budget_p95_ms']:.0f}" if row["budget_p95_ms"] else "-"
        flag = "ok" if row["ok"] else "OVER"
        print(f"{row['user']:17} {row['what']:46} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f}  {budget} {flag}")
    if "rows_per_s" in imported:
        flag = "ok" if imported["ok"] else "UNDER"
        print(
            f"import {imported['rows']:,} rows: {imported['rows_per_s']:,} rows/s (budget >= 2,500: {flag}); "
            f"COPY {imported['copy_rows_per_s']:,} rows/s"
        )
    print(f"Written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
